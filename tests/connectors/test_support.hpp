// Helpers shared by the connector tests: fixture paths, temporary folders, source configs.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::test {

inline std::filesystem::path data_path(const std::string& name) {
    return std::filesystem::path(STACKAUDIT_TEST_DATA_DIR) / name;
}

// A folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        m_path = std::filesystem::temp_directory_path() /
                 ("stackaudit-connectors-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

    std::filesystem::path write(const std::string& name, const std::string& content) const {
        const auto file = m_path / name;
        std::ofstream out(file, std::ios::binary);
        out << content;
        return file;
    }

private:
    std::filesystem::path m_path;
};

inline connectors::SourceConfig source(std::string kind, std::vector<std::filesystem::path> paths,
                                       std::map<std::string, std::string> columns = {}, std::string tool = {}) {
    connectors::SourceConfig config;
    config.kind = kind;
    config.name = tool.empty() ? kind : kind + ":" + tool;
    config.paths = std::move(paths);
    config.columns = std::move(columns);
    config.tool = std::move(tool);
    config.config_file = "stackaudit.yaml";
    config.config_line = 7;
    return config;
}

inline Timestamp at(std::string_view text) {
    auto parsed = parse_timestamp(text);
    REQUIRE(parsed);
    REQUIRE(parsed->has_value());
    return **parsed;
}

// Reads one source through the registry (as the CLI does) and returns the dataset.
struct ReadOutcome {
    Dataset data;
    RowSink rows;
    [[nodiscard]] const SourceReport& report() const { return data.sources.front(); }
};

inline ReadOutcome read_one(const connectors::SourceConfig& config, BadRowPolicy policy = BadRowPolicy::fail,
                            std::string_view as_of = "2026-11-01T00:00:00Z", int window_days = 30) {
    ReadOutcome outcome{Dataset{}, RowSink(policy)};
    connectors::ReadContext context{outcome.rows, at(as_of), window_days};
    outcome.data = connectors::read_all({config}, context);
    REQUIRE(outcome.data.sources.size() == 1);
    return outcome;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace stackaudit::test
