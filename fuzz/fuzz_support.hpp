// What the fuzz targets share: reading a selector byte and '\x1e'-separated parts out of the
// input, a per-process scratch folder for parsers that read files, and small helpers that
// drive an error or a dataset through the code a real run would use next. Header-only so the
// g++ replay tests (tests/fuzz/) compile the same harnesses without libFuzzer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "stackaudit/core/error.hpp"

namespace stackaudit::fuzz {

// Separates the parts of a multi-file input (ASCII record separator: never in the seed files,
// one byte for the fuzzer to insert or drop).
inline constexpr char k_part_separator = '\x1e';

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The first byte picks what to fuzz; the rest is the payload.
struct Selected {
    std::size_t choice = 0;
    std::string_view rest;
};
inline Selected select(std::string_view input, std::size_t choices) {
    if (input.empty() || choices == 0) return {0, input};
    return {static_cast<unsigned char>(input.front()) % choices, input.substr(1)};
}

inline std::vector<std::string_view> split_parts(std::string_view text, char separator = k_part_separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(separator, start);
        if (at == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, at - start));
        start = at + 1;
    }
}

// "name=value" lines (a connector's options, a tool name); lines without '=' are ignored.
inline std::map<std::string, std::string> parse_options(std::string_view text) {
    std::map<std::string, std::string> options;
    for (const auto line : split_parts(text, '\n')) {
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        options[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    }
    return options;
}

// A folder private to this process, emptied on request. libFuzzer runs inputs one at a time in
// a process, so every input reuses the same paths.
class Scratch {
public:
    static Scratch& get() {
        static Scratch scratch;
        return scratch;
    }
    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }

    // Removes everything under the root and returns it.
    const std::filesystem::path& clear() const {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(m_root, ec)) {
            std::filesystem::remove_all(entry.path(), ec);
        }
        return m_root;
    }

    // Writes `content` at root/relative, creating the folders on the way.
    std::filesystem::path write(const std::filesystem::path& relative, std::string_view content) const {
        const auto path = m_root / relative;
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        return path;
    }

    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

private:
    Scratch() {
        std::error_code ec;
        m_root = std::filesystem::temp_directory_path(ec) / ("stackaudit-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_root, ec);
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(m_root, ec);
    }
    std::filesystem::path m_root;
};

// Renders an error as every report does, so the formatting of odd input is exercised too.
inline void touch(const Error& error) {
    const auto text = error.to_string();
    if (text.empty()) std::abort();  // an error always says something
}

}  // namespace stackaudit::fuzz
