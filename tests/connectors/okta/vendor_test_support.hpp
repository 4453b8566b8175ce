// Helpers for the Okta and Microsoft 365 connector tests: calling a kind's read() directly (the
// kinds are registered by the lead), finding seats, and building folders of saved pages.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace stackaudit::test {

struct VendorRead {
    Dataset data;
    RowSink rows;
    SourceReport report;
    std::optional<Error> error;
    [[nodiscard]] bool ok() const { return !error.has_value(); }
};


template <class Read>
VendorRead run_read(const Read& read, const connectors::SourceConfig& config, BadRowPolicy policy = BadRowPolicy::fail,
                    std::string_view as_of = "2026-11-01T00:00:00Z") {
    VendorRead outcome{Dataset{}, RowSink(policy), SourceReport{}, std::nullopt};
    connectors::ReadContext context{outcome.rows, at(as_of), 30};
    outcome.data.as_of = context.as_of;
    outcome.report.name = config.name;
    outcome.report.kind = config.kind;
    auto done = read(config, context, outcome.data, outcome.report);
    if (!done) {
        outcome.error = done.error();
    }
    return outcome;
}

inline VendorRead run_read(const connectors::ConnectorSpec& spec, const connectors::SourceConfig& config,
                           BadRowPolicy policy = BadRowPolicy::fail) {
    return run_read(spec.read, config, policy);
}

inline std::vector<const Seat*> seats_of(const Dataset& data, std::string_view tool) {
    std::vector<const Seat*> out;
    for (const auto& seat : data.seats) {
        if (seat.tool == tool) {
            out.push_back(&seat);
        }
    }
    return out;
}

inline const Seat* find_seat(const Dataset& data, std::string_view tool, std::string_view email) {
    for (const auto& seat : data.seats) {
        if (seat.tool == tool && seat.email == email) {
            return &seat;
        }
    }
    return nullptr;
}

inline const LicensePool* find_pool(const Dataset& data, std::string_view sku) {
    for (const auto& pool : data.licenses) {
        if (pool.sku == sku) {
            return &pool;
        }
    }
    return nullptr;
}

inline Date day(std::string_view text) {
    auto parsed = parse_date(text);
    REQUIRE(parsed);
    REQUIRE(parsed->has_value());
    return **parsed;
}

inline void write_file(const std::filesystem::path& file, const std::string& content) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
}

inline std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::filesystem::copy(from, to,
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
}

// JSON paths of the rejected records kept as examples in the report (the first five).
inline std::vector<std::string> rejected_paths(const VendorRead& outcome) {
    std::vector<std::string> paths;
    for (const auto& error : outcome.report.errors) {
        paths.push_back(error.where.json_path);
    }
    return paths;
}

// A comparable text form of everything a read produced, for "same Dataset" checks.
inline std::string describe(const Dataset& data) {
    std::ostringstream out;
    for (const auto& seat : data.seats) {
        out << "seat " << seat.tool << " | " << seat.email << " | " << seat.license_type << " | "
            << (seat.assigned_date ? format_date(*seat.assigned_date) : "-") << " | "
            << (seat.last_activity ? format_timestamp(*seat.last_activity) : "-") << " | " << seat.has_activity_column
            << " | " << seat.line << "\n";
    }
    for (const auto& pool : data.licenses) {
        out << "pool " << pool.tool << " | " << pool.sku << " | " << pool.purchased.value_or(-1) << " | "
            << pool.assigned.value_or(-1) << "\n";
    }
    for (const auto& usage : data.usage) {
        out << "usage " << usage.app_label << " | " << usage.user_login << " | " << usage.events << " | "
            << format_timestamp(usage.first_seen) << " | " << format_timestamp(usage.last_seen) << "\n";
    }
    return out.str();
}

}  // namespace stackaudit::test
