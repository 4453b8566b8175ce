// Okta and Microsoft 365 end to end: pull_source with the connectors' own ApiSpecs over the real
// libcurl transport against the replay server serving the recorded pages (routes.json), then
// the snapshot read back must give the same Dataset as the recorded pages read directly.
#include "okta/vendor_test_support.hpp"

#include <algorithm>

#include "m365/m365.hpp"
#include "okta/okta.hpp"
#include "okta_log/api.hpp"
#include "okta_log/okta_log.hpp"
#include "replay/e2e_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using stackaudit::test::replay::api_data;
using stackaudit::test::replay::ReplayServer;

namespace {

connectors::PullResult pull(const std::string& name, const connectors::ApiSpec& spec, const ReplayServer& server,
                            const std::filesystem::path& root) {
    e2e::FakeClock clock;
    const auto config = e2e::config_for(server);
    auto transport = connectors::http::make_curl_transport(config.transport);
    auto pulled = connectors::pull_source(name, spec, config, root, *transport, clock);
    INFO((pulled ? std::string("pulled") : pulled.error().to_string()));
    REQUIRE(pulled.has_value());
    return *pulled;
}

}  // namespace

TEST_CASE("okta: a pull through the replay server reads like the recorded pages", "[connector][okta][e2e]") {
    ReplayServer server(api_data("okta"));
    TempDir snapshots;
    auto spec = connectors::okta::api_spec();

    // pull_source has no fan-out yet (Endpoint::fan_out_from): pull users and apps, then each
    // app's assignments as its own endpoint "app_users/<id>", which is where a fan-out saves them.
    std::vector<connectors::Endpoint> fan_out;
    std::erase_if(spec.endpoints, [&](const connectors::Endpoint& endpoint) {
        if (endpoint.fan_out_from.empty()) {
            return false;
        }
        fan_out.push_back(endpoint);
        return true;
    });
    REQUIRE(fan_out.size() == 1);
    const auto directory = pull("okta", spec, server, snapshots.path());
    CHECK(directory.endpoints.size() == 2);
    CHECK(directory.endpoints[0].pages == 3);
    CHECK(directory.endpoints[0].records == 9);
    CHECK(directory.endpoints[1].pages == 2);

    auto assignments = connectors::okta::api_spec();
    assignments.endpoints.clear();
    for (const auto& app_id : e2e::saved_ids(directory.snapshot_dir, connectors::Endpoint{.name = "apps"})) {
        connectors::Endpoint endpoint = fan_out.front();
        endpoint.name = "app_users/" + app_id;
        endpoint.path.replace(endpoint.path.find("{id}"), 4, app_id);
        endpoint.fan_out_from.clear();
        assignments.endpoints.push_back(endpoint);
    }
    REQUIRE(assignments.endpoints.size() == 4);
    const auto apps = pull("okta_app_users", assignments, server, snapshots.path());
    CHECK(apps.endpoints[0].pages == 2);  // Salesforce's assignments come in two pages
    copy_tree(apps.snapshot_dir / "app_users", directory.snapshot_dir / "app_users");

    for (const auto& request : server.requests()) {
        INFO(request.path << " -> " << request.outcome);
        CHECK(request.outcome == "200");
        CHECK(request.header("authorization") == "SSWS " + e2e::k_token);
    }

    const auto recorded = run_read(connectors::okta::spec(), source("okta", {api_data("okta")}));
    const auto pulled = run_read(connectors::okta::spec(), source("okta", {directory.snapshot_dir}));
    REQUIRE(recorded.ok());
    REQUIRE(pulled.ok());
    CHECK(pulled.data.seats.size() == 18);
    CHECK(describe(pulled.data) == describe(recorded.data));
    CHECK(pulled.report.records == recorded.report.records);
    CHECK(pulled.report.ignored == recorded.report.ignored);
    CHECK(pulled.report.seat_tools == recorded.report.seat_tools);
}

TEST_CASE("okta_log: a System Log pull stops at the empty page and reads like the pages", "[connector][okta][e2e]") {
    ReplayServer server(api_data("okta"));
    TempDir snapshots;
    const auto pulled = pull("okta_log", connectors::okta_log::api_spec(), server, snapshots.path());
    REQUIRE(pulled.endpoints.size() == 1);
    CHECK(pulled.endpoints[0].records == 5);
    const auto requests = server.requests_to("/api/v1/logs");
    REQUIRE(requests.size() == 3);  // the third page is empty although it links on
    CHECK(requests[0].query.contains("since"));
    CHECK(requests[0].query.at("limit") == "1000");

    const auto recorded = run_read(connectors::okta_log::read, source("okta_log", {api_data("okta")}));
    const auto read_back = run_read(connectors::okta_log::read, source("okta_log", {pulled.snapshot_dir}));
    REQUIRE(recorded.ok());
    REQUIRE(read_back.ok());
    CHECK(read_back.data.usage.size() == 2);
    CHECK(describe(read_back.data) == describe(recorded.data));
    CHECK(read_back.report.records == recorded.report.records);
    CHECK(read_back.report.ignored == recorded.report.ignored);
}

TEST_CASE("m365: a Graph pull (nextLink paging, report redirect) reads like the recorded pages", "[connector][m365][e2e]") {
    ReplayServer server(api_data("m365"));
    TempDir snapshots;
    const auto pulled = pull("m365", connectors::m365::api_spec(), server, snapshots.path());
    REQUIRE(pulled.endpoints.size() == 3);
    CHECK(pulled.endpoints[0].pages == 1);
    CHECK(pulled.endpoints[1].pages == 3);
    CHECK(pulled.endpoints[1].records == 8);
    CHECK(pulled.endpoints[2].pages == 1);
    CHECK_FALSE(pulled.endpoints[2].skipped);
    CHECK(std::filesystem::exists(pulled.snapshot_dir / "active_users" / "page-00001.csv"));
    CHECK(server.requests_to("/download/reports/Office365ActiveUserDetail_D30.csv").size() == 1);
    for (const auto& request : server.requests()) {
        if (request.path.starts_with("/v1.0/")) {
            CHECK(request.header("authorization") == "Bearer " + e2e::k_token);
        }
    }

    const auto recorded = run_read(connectors::m365::spec(), source("m365", {api_data("m365")}));
    const auto read_back = run_read(connectors::m365::spec(), source("m365", {pulled.snapshot_dir}));
    REQUIRE(recorded.ok());
    REQUIRE(read_back.ok());
    CHECK(read_back.data.seats.size() == 7);
    CHECK(read_back.data.licenses.size() == 3);
    CHECK(describe(read_back.data) == describe(recorded.data));
    CHECK(read_back.report.ignored == recorded.report.ignored);
}
