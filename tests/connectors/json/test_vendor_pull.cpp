// Pulling HubSpot, Adobe, Zoom, Zendesk and a generic JSON list through pull_source + libcurl from the loopback
// replay server: every page arrives, and the snapshot reads to the same Dataset as the
// recorded pages read directly.
#include <catch2/catch.hpp>

#include "../replay/e2e_support.hpp"
#include "adobe/adobe.hpp"
#include "hubspot/hubspot.hpp"
#include "json/json_connector.hpp"
#include "vendor_support.hpp"
#include "zendesk/zendesk.hpp"
#include "zoom/zoom.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;
using stackaudit::test::replay::api_data;
using stackaudit::test::replay::ReplayServer;

namespace {

const std::string k_key = "sa-test-apikey-0xFEEDFACE";
const std::string k_key_env = "SA_HAZZ_API_KEY";

struct Pulled {
    connectors::PullResult result;
    std::vector<replay::RecordedRequest> requests;
};

Pulled pull(const connectors::ConnectorSpec& spec, const std::string& fixture, connectors::ApiSourceConfig config,
            ReplayServer& server, const std::filesystem::path& root) {
    e2e::FakeClock clock;
    e2e::CapturedEvents captured;
    auto transport = connectors::http::make_curl_transport(config.transport);
    REQUIRE(spec.api);
    auto pulled = connectors::pull_source(fixture, *spec.api, config, root, *transport, clock, captured.events());
    INFO((pulled ? std::string("pulled") : pulled.error().to_string()));
    REQUIRE(pulled.has_value());
    CHECK(clock.sleeps().empty());
    e2e::require_no_secret_in_files(root);
    for (const auto& line : captured.lines) {
        e2e::require_no_secret("log line", line);
        CHECK_FALSE(e2e::has(line, k_key));
    }
    return Pulled{std::move(*pulled), server.requests()};
}

// The snapshot and the recorded pages read to the same seats and pools.
void require_same_read(const connectors::ConnectorSpec& spec, const std::string& fixture,
                       const std::filesystem::path& snapshot_dir) {
    const auto from_pages = read_with(spec, vendor_source(spec.kind, {api_fixture(fixture)}));
    const auto from_snapshot = read_with(spec, vendor_source(spec.kind, {snapshot_dir}));
    REQUIRE(from_pages.result);
    INFO((from_snapshot.result ? std::string("read") : from_snapshot.result.error().to_string()));
    REQUIRE(from_snapshot.result);
    REQUIRE_FALSE(from_pages.data.seats.empty());
    require_same_seats(from_pages.data, from_snapshot.data);
    CHECK(from_pages.report.records == from_snapshot.report.records);
    CHECK(from_pages.report.ignored == from_snapshot.report.ignored);
    REQUIRE(from_pages.data.licenses.size() == from_snapshot.data.licenses.size());
    for (std::size_t i = 0; i < from_pages.data.licenses.size(); ++i) {
        CHECK(from_pages.data.licenses[i].sku == from_snapshot.data.licenses[i].sku);
        CHECK(from_pages.data.licenses[i].purchased == from_snapshot.data.licenses[i].purchased);
        CHECK(from_pages.data.licenses[i].assigned == from_snapshot.data.licenses[i].assigned);
    }
}

}  // namespace

TEST_CASE("adobe pulls page numbers until lastPage and reads the snapshot like the pages", "[connector][adobe][pull]") {
    ReplayServer server(api_data("adobe"));
    TempDir snapshots;
    auto config = e2e::config_for(server);
    ::setenv(k_key_env.c_str(), k_key.c_str(), 1);
    config.credentials["api_key"] = connectors::CredentialSource{.env = k_key_env};
    config.options["org_id"] = "4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg";
    const auto spec = connectors::adobe::spec();
    const auto pulled = pull(spec, "adobe", config, server, snapshots.path());

    REQUIRE(pulled.result.endpoints.size() == 2);
    CHECK(pulled.result.endpoints[0].pages == 3);
    CHECK(pulled.result.endpoints[0].records == 6);
    CHECK(pulled.result.endpoints[1].pages == 2);
    CHECK(pulled.result.endpoints[1].records == 5);
    std::vector<std::string> paths;
    for (const auto& request : pulled.requests) {
        INFO(request.path << " -> " << request.outcome);
        CHECK(request.outcome == "200");
        CHECK(request.header("authorization") == "Bearer " + e2e::k_token);
        CHECK(request.header("x-api-key") == k_key);
        paths.push_back(request.path);
    }
    CHECK(paths == std::vector<std::string>{"/v2/usermanagement/users/4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg/0",
                                            "/v2/usermanagement/users/4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg/1",
                                            "/v2/usermanagement/users/4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg/2",
                                            "/v2/usermanagement/groups/4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg/0",
                                            "/v2/usermanagement/groups/4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg/1"});
    require_same_read(spec, "adobe", pulled.result.snapshot_dir);
}

TEST_CASE("zendesk follows links.next until has_more is false and reads the snapshot like the pages",
          "[connector][zendesk][pull]") {
    ReplayServer server(api_data("zendesk"));
    TempDir snapshots;
    auto config = e2e::config_for(server);
    config.credentials.clear();
    config.credentials["api_token"] = connectors::CredentialSource{.env = e2e::k_token_env};
    config.options["email"] = "it-admin@northwind.example";
    config.options["subdomain"] = "northwind";
    const auto spec = connectors::zendesk::spec();
    const auto pulled = pull(spec, "zendesk", config, server, snapshots.path());

    REQUIRE(pulled.result.endpoints.size() == 1);
    CHECK(pulled.result.endpoints[0].pages == 3);
    CHECK(pulled.result.endpoints[0].records == 4);
    REQUIRE(pulled.requests.size() == 3);
    for (const auto& request : pulled.requests) {
        INFO(request.path << " -> " << request.outcome);
        CHECK(request.outcome == "200");
        CHECK(request.path == "/api/v2/users.json");
        CHECK(e2e::has(request.header("authorization"), "Basic "));
    }
    CHECK_FALSE(pulled.requests[0].query.contains("page[after]"));
    CHECK(pulled.requests[2].query.at("page[after]") == "eyJvIjoiaWQiLCJ2IjoiYVJ3U0JRQUFBQUFBIn0=");
    require_same_read(spec, "zendesk", pulled.result.snapshot_dir);
}

TEST_CASE("hubspot pulls users and logins by the after token", "[connector][hubspot][pull]") {
    ReplayServer server(api_data("hubspot"));
    TempDir snapshots;
    const auto spec = connectors::hubspot::spec();
    const auto pulled = pull(spec, "hubspot", e2e::config_for(server), server, snapshots.path());
    REQUIRE(pulled.result.endpoints.size() == 2);
    CHECK(pulled.result.endpoints[0].pages == 3);
    CHECK(pulled.result.endpoints[0].records == 5);
    CHECK(pulled.result.endpoints[1].pages == 2);
    CHECK(pulled.result.endpoints[1].records == 6);
    for (const auto& request : pulled.requests) {
        INFO(request.path << " -> " << request.outcome);
        CHECK(request.outcome == "200");
    }
    require_same_read(spec, "hubspot", pulled.result.snapshot_dir);
}

TEST_CASE("zoom pulls until next_page_token is empty", "[connector][zoom][pull]") {
    ReplayServer server(api_data("zoom"));
    TempDir snapshots;
    const auto spec = connectors::zoom::spec();
    const auto pulled = pull(spec, "zoom", e2e::config_for(server), server, snapshots.path());
    REQUIRE(pulled.result.endpoints.size() == 1);
    CHECK(pulled.result.endpoints[0].pages == 3);
    CHECK(pulled.result.endpoints[0].records == 6);
    REQUIRE(pulled.requests.size() == 3);
    CHECK(pulled.requests[1].query.at("next_page_token") == "Io1Tqx1pJ6N0MklgW0F3kz2y9J1aVx4cQ2");
    require_same_read(spec, "zoom", pulled.result.snapshot_dir);
}

TEST_CASE("json pulls one page from option url and maps it when read", "[connector][json][pull]") {
    ReplayServer server(api_data("json"));
    TempDir snapshots;
    auto config = e2e::config_for(server);
    config.base_url.clear();
    config.options["url"] = server.base_url() + "/api/v1/seats";
    const auto spec = connectors::json::spec();
    const auto pulled = pull(spec, "json", config, server, snapshots.path());
    REQUIRE(pulled.requests.size() == 1);
    CHECK(pulled.requests[0].path == "/api/v1/seats");
    const std::map<std::string, std::string> options = {
        {"email", "/email"}, {"license_type", "/seat_type"}, {"last_activity", "/last_active"}, {"assigned_date", "/created_at"}};
    const auto from_file = read_with(spec, vendor_source("json", {api_fixture("json/seats.json")}, options, "Figma"));
    const auto from_snapshot = read_with(spec, vendor_source("json", {pulled.result.snapshot_dir}, options, "Figma"));
    REQUIRE(from_file.result);
    REQUIRE(from_snapshot.result);
    REQUIRE(from_file.data.seats.size() == 3);
    require_same_seats(from_file.data, from_snapshot.data);
}
