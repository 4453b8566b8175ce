// Helpers of the vendor connector tests (HubSpot, Adobe, Zoom, Zendesk, generic JSON): a source
// config for a connector kind, reading it through the spec's read() as the registry would, and
// copying fixture folders so a test can damage its own copy.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../test_support.hpp"
#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::test::vendor {

inline std::filesystem::path api_fixture(const std::string& relative) { return data_path("api") / relative; }

inline connectors::SourceConfig vendor_source(const std::string& kind, std::vector<std::filesystem::path> paths,
                                              std::map<std::string, std::string> options = {}, std::string tool = {}) {
    connectors::SourceConfig config;
    config.kind = kind;
    config.name = kind;
    config.paths = std::move(paths);
    config.options = std::move(options);
    config.tool = std::move(tool);
    config.config_file = "stackaudit.yaml";
    config.config_line = 12;
    return config;
}

struct VendorRead {
    Dataset data;
    RowSink rows;
    SourceReport report;
    Result<void> result;
};

inline VendorRead read_with(const connectors::ConnectorSpec& spec, const connectors::SourceConfig& source,
                            BadRowPolicy policy = BadRowPolicy::fail) {
    VendorRead out{Dataset{}, RowSink(policy), SourceReport{}, {}};
    out.report.name = source.name;
    out.report.kind = source.kind;
    connectors::ReadContext context{out.rows, at("2026-11-01T00:00:00Z"), 30};
    out.data.as_of = context.as_of;
    out.result = spec.read(source, context, out.data, out.report);
    return out;
}

inline const Seat* seat_of(const Dataset& data, const std::string& email) {
    const auto it = std::find_if(data.seats.begin(), data.seats.end(), [&](const Seat& s) { return s.email == email; });
    return it == data.seats.end() ? nullptr : &*it;
}

inline std::vector<std::string> emails(const Dataset& data) {
    std::vector<std::string> out;
    for (const auto& seat : data.seats) {
        out.push_back(seat.email);
    }
    return out;
}

inline Date day(std::string_view text) {
    auto parsed = parse_date(text);
    REQUIRE(parsed);
    REQUIRE(parsed->has_value());
    return **parsed;
}

inline std::string slurp_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Copies a fixture folder into `to` (recursively) so a test can change its own copy.
inline std::filesystem::path copy_fixture(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::filesystem::create_directories(to);
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    return to;
}

// The seats of two reads agree on everything a rule can see.
inline void require_same_seats(const Dataset& a, const Dataset& b) {
    REQUIRE(a.seats.size() == b.seats.size());
    for (std::size_t i = 0; i < a.seats.size(); ++i) {
        INFO("seat " << i << ": " << a.seats[i].email);
        CHECK(a.seats[i].tool == b.seats[i].tool);
        CHECK(a.seats[i].email == b.seats[i].email);
        CHECK(a.seats[i].license_type == b.seats[i].license_type);
        CHECK(a.seats[i].assigned_date == b.seats[i].assigned_date);
        CHECK(a.seats[i].last_activity == b.seats[i].last_activity);
        CHECK(a.seats[i].has_activity_column == b.seats[i].has_activity_column);
    }
}

}  // namespace stackaudit::test::vendor
