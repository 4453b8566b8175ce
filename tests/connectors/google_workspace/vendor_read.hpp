// Helpers of the Google Workspace, Salesforce and Slack connector tests: reading one source
// straight through a ConnectorSpec (no registry needed), a printable form of seats and pools to
// compare datasets, and pulling a vendor's routes.json from the replay server into a snapshot.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../replay/e2e_support.hpp"
#include "../test_support.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::test::vendor {

struct VendorRead {
    Dataset data;
    RowSink rows;
    SourceReport report;
    Result<void> result;
};

inline std::filesystem::path api_dir(const std::string& vendor) { return data_path("api/" + vendor); }

inline VendorRead read_source(const connectors::ConnectorSpec& spec, std::vector<std::filesystem::path> paths,
                              BadRowPolicy policy = BadRowPolicy::collect,
                              std::map<std::string, std::string> columns = {}, std::string tool = {},
                              std::string_view as_of = "2026-11-01T00:00:00Z") {
    VendorRead out{Dataset{}, RowSink(policy), SourceReport{}, {}};
    auto config = source(spec.kind, std::move(paths), std::move(columns), std::move(tool));
    config.name = spec.kind;
    connectors::ReadContext context{out.rows, at(as_of), 30};
    out.report.name = config.name;
    out.report.kind = config.kind;
    out.result = spec.read(config, context, out.data, out.report);
    return out;
}

inline std::string describe(const Seat& seat) {
    std::ostringstream text;
    text << seat.tool << " | " << seat.email << " | " << seat.license_type << " | "
         << (seat.assigned_date ? format_date(*seat.assigned_date) : std::string("-")) << " | "
         << (seat.last_activity ? format_timestamp(*seat.last_activity) : std::string("never")) << " | "
         << (seat.has_activity_column ? "activity" : "no-activity") << " | " << seat.source << " | " << seat.line;
    return text.str();
}

inline std::vector<std::string> describe(const Dataset& data) {
    std::vector<std::string> lines;
    for (const auto& seat : data.seats) {
        lines.push_back(describe(seat));
    }
    for (const auto& pool : data.licenses) {
        lines.push_back("pool " + pool.tool + " | " + pool.sku + " | " +
                        (pool.purchased ? std::to_string(*pool.purchased) : std::string("?")) + " | " +
                        (pool.assigned ? std::to_string(*pool.assigned) : std::string("?")) + " | " + pool.source);
    }
    return lines;
}

// Copies the named endpoint folders of a fixture into `dir`, to read a subset of the pages.
inline void copy_endpoints(const std::string& vendor, const std::vector<std::string>& endpoints,
                           const std::filesystem::path& dir) {
    for (const auto& endpoint : endpoints) {
        std::filesystem::copy(api_dir(vendor) / endpoint, dir / endpoint, std::filesystem::copy_options::recursive);
    }
}

// Pulls every endpoint of `spec` from the replay server serving data/api/<vendor>/routes.json.
struct Pulled {
    std::optional<connectors::PullResult> result;
    std::string error;
    std::vector<replay::RecordedRequest> requests;
};

inline Pulled pull_vendor(const std::string& vendor, const connectors::ConnectorSpec& spec,
                          const std::filesystem::path& root, std::map<std::string, std::string> options,
                          bool options_hold_base = false) {
    replay::ReplayServer server(replay::api_data(vendor));
    auto config = e2e::config_for(server);
    for (auto& [name, value] : options) {
        if (options_hold_base && value == "{{BASE}}") {
            value = server.base_url();
        }
    }
    config.options = std::move(options);
    auto transport = connectors::http::make_curl_transport(config.transport);
    e2e::FakeClock clock;
    Pulled pulled;
    auto result = connectors::pull_source(spec.kind, *spec.api, config, root, *transport, clock);
    if (result) {
        pulled.result = std::move(*result);
    } else {
        pulled.error = result.error().to_string();
    }
    pulled.requests = server.requests();
    return pulled;
}

}  // namespace stackaudit::test::vendor
