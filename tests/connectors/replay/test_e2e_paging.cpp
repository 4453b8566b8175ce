// End to end: pull_source over the real libcurl transport against the loopback replay server,
// one endpoint per paging style of the generic fixture; every record must arrive exactly once.
#include <algorithm>
#include <set>

#include "../test_support.hpp"
#include "e2e_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test::e2e;
using stackaudit::test::TempDir;
using stackaudit::test::replay::api_data;
using stackaudit::test::replay::ReplayServer;

namespace {

std::vector<std::string> expected_ids(const std::string& prefix, int count) {
    std::vector<std::string> ids;
    for (int i = 1; i <= count; ++i) {
        ids.push_back(prefix + "-" + std::to_string(i));
    }
    return ids;
}

}  // namespace

TEST_CASE("every record arrives exactly once across pages", "[connector][e2e]") {
    ReplayServer server(api_data("_generic"));
    TempDir snapshots;
    FakeClock clock;
    CapturedEvents captured;
    auto transport = connectors::http::make_curl_transport(config_for(server).transport);

    struct Case {
        Endpoint endpoint;
        int pages;
        std::vector<std::string> ids;
        std::string path;  // the server path every page is served from ("" = per-page paths)
    };
    const std::vector<Case> cases = {
        {link_endpoint(), 3, expected_ids("link", 5), "/v1/link/items"},
        {url_endpoint(), 3, expected_ids("url", 6), "/v1/url/items"},
        {token_endpoint(), 3, expected_ids("token", 5), "/v1/token/items"},
        {pages_endpoint(), 3, expected_ids("pages", 6), ""},
        {single_endpoint(), 1, expected_ids("single", 3), "/v1/single/items"},
    };
    std::vector<Endpoint> endpoints;
    for (const auto& c : cases) {
        endpoints.push_back(c.endpoint);
    }
    const auto spec = generic_spec(endpoints);

    auto pulled = connectors::pull_source("generic", spec, config_for(server), snapshots.path(), *transport, clock,
                                          captured.events());
    INFO((pulled ? std::string("pulled") : pulled.error().to_string()));
    REQUIRE(pulled.has_value());
    CHECK(pulled->source == "generic");
    CHECK(pulled->snapshot_dir.parent_path() == snapshots.path() / "generic");
    CHECK(latest_of(snapshots.path(), "generic") == pulled->stamp);
    CHECK(std::filesystem::exists(pulled->snapshot_dir / "MANIFEST.json"));
    CHECK_FALSE(std::filesystem::exists(snapshots.path() / "generic" / "LAST_FAILURE.json"));
    CHECK(clock.sleeps().empty());
    REQUIRE(pulled->endpoints.size() == cases.size());

    const auto requests = server.requests();
    CHECK(pulled->requests == static_cast<int>(requests.size()));
    for (const auto& request : requests) {
        INFO(request.method << " " << request.path << " -> " << request.outcome);
        CHECK(request.outcome == "200");
        CHECK(request.header("authorization") == "Bearer " + k_token);
    }

    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        const auto& endpoint = pulled->endpoints[i];
        SECTION("endpoint " + c.endpoint.name) {
            CHECK(endpoint.endpoint == c.endpoint.name);
            CHECK(endpoint.pages == c.pages);
            CHECK(endpoint.records == c.ids.size());
            CHECK_FALSE(endpoint.skipped);
            const auto pages = connectors::endpoint_pages(pulled->snapshot_dir, c.endpoint.name);
            CHECK(pages.size() == static_cast<std::size_t>(c.pages));
            CHECK(saved_ids(pulled->snapshot_dir, c.endpoint) == c.ids);  // each once, in order
            if (!c.path.empty()) {
                CHECK(server.requests_to(c.path).size() == static_cast<std::size_t>(c.pages));  // no page fetched twice
            }
            // Pages are saved exactly as received ({{BASE}} is what the server substituted).
            for (std::size_t page = 0; page < pages.size(); ++page) {
                auto expected = slurp(api_data("_generic") / c.endpoint.name / pages[page].filename());
                for (auto at = expected.find("{{BASE}}"); at != std::string::npos; at = expected.find("{{BASE}}")) {
                    expected.replace(at, 8, server.base_url());
                }
                INFO(pages[page]);
                CHECK(slurp(pages[page]) == expected);
            }
        }
    }

    SECTION("the page-number endpoint walked pages 0, 1, 2 and stopped at lastPage") {
        std::vector<std::string> paths;
        for (const auto& request : requests) {
            if (request.path.rfind("/v1/pages/", 0) == 0) {
                paths.push_back(request.path);
            }
        }
        CHECK(paths == std::vector<std::string>{"/v1/pages/items/0", "/v1/pages/items/1", "/v1/pages/items/2"});
    }
    SECTION("the token endpoint sent the token back and stopped at the empty token") {
        const auto token_requests = server.requests_to("/v1/token/items");
        REQUIRE(token_requests.size() == 3);
        CHECK_FALSE(token_requests[0].query.contains("next_page_token"));
        CHECK(token_requests[1].query.at("next_page_token") == "tokA2");
        CHECK(token_requests[2].query.at("next_page_token") == "tokB3");
        CHECK(token_requests[2].query.at("page_size") == "2");
    }
    SECTION("gzip is accepted and undone before saving") {
        const auto url_requests = server.requests_to("/v1/url/items");
        REQUIRE_FALSE(url_requests.empty());
        CHECK(test::contains(url_requests[0].header("accept-encoding"), "gzip"));
    }
    SECTION("a second pull makes a new snapshot and moves LATEST") {
        clock.advance(std::chrono::hours{1});
        auto again = connectors::pull_source("generic", generic_spec({single_endpoint()}), config_for(server),
                                             snapshots.path(), *transport, clock);
        REQUIRE(again.has_value());
        CHECK(again->stamp != pulled->stamp);
        CHECK(latest_of(snapshots.path(), "generic") == again->stamp);
        CHECK(std::filesystem::exists(pulled->snapshot_dir / "MANIFEST.json"));  // the old one stays
        auto latest = connectors::latest_snapshot(snapshots.path(), "generic");
        REQUIRE(latest.has_value());
        CHECK(latest->dir == again->snapshot_dir);
        CHECK_FALSE(latest->stale);
    }
    require_no_secret_in_files(snapshots.path());
    for (const auto& line : captured.lines) {
        require_no_secret("event line", line);
    }
}

TEST_CASE("Okta-style SSWS and API-key header credentials are sent as specified", "[connector][e2e]") {
    ReplayServer server(api_data("_generic"));
    TempDir snapshots;
    FakeClock clock;
    auto transport = connectors::http::make_curl_transport(config_for(server).transport);

    SECTION("SSWS") {
        auto pulled = connectors::pull_source("okta_like", generic_spec({single_endpoint()}, connectors::AuthKind::ssws),
                                              config_for(server), snapshots.path(), *transport, clock);
        REQUIRE(pulled.has_value());
        const auto requests = server.requests();
        REQUIRE(requests.size() == 1);
        CHECK(requests[0].header("authorization") == "SSWS " + k_token);
    }
    SECTION("API key header") {
        auto pulled = connectors::pull_source("key_like",
                                              generic_spec({single_endpoint()}, connectors::AuthKind::header, "X-Api-Key"),
                                              config_for(server), snapshots.path(), *transport, clock);
        REQUIRE(pulled.has_value());
        const auto requests = server.requests();
        REQUIRE(requests.size() == 1);
        CHECK(requests[0].header("x-api-key") == k_token);
        CHECK_FALSE(requests[0].has_header("authorization"));
    }
    require_no_secret_in_files(snapshots.path());
}
