// Unit tests of pull_source over a URL-routed fake transport: every paging style delivers each
// record exactly once, loops stop with an error, snapshots and LATEST/LAST_FAILURE behave, and
// no secret lands in any snapshot file.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "fakes.hpp"
#include "stackaudit/connectors/api.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using connectors::ApiSourceConfig;
using connectors::ApiSpec;
using connectors::AuthKind;
using connectors::Endpoint;
using connectors::PagingKind;
using connectors::http::Millis;

namespace {

constexpr const char* k_token = "tok-SECRET-123";
const std::string k_base = "https://northwind.example";

struct EnvToken {
    EnvToken() { ::setenv("STACKAUDIT_TEST_TOKEN", k_token, 1); }
    ~EnvToken() { ::unsetenv("STACKAUDIT_TEST_TOKEN"); }
};

ApiSourceConfig config_with_env(std::map<std::string, std::string> options = {}) {
    ApiSourceConfig config;
    config.base_url = k_base;
    config.credentials["token"] = connectors::CredentialSource{.env = "STACKAUDIT_TEST_TOKEN", .file = {}};
    config.options = std::move(options);
    config.retry.base_delay = Millis{100};
    return config;
}

ApiSpec spec_with(std::vector<Endpoint> endpoints, AuthKind kind = AuthKind::bearer) {
    ApiSpec spec;
    spec.default_base_url = "https://unused.example";
    spec.credentials.push_back({.name = "token", .kind = kind, .header = "X-Api-Key",
                                .description = "an API token with read access"});
    spec.endpoints = std::move(endpoints);
    spec.permissions = "users:read";
    return spec;
}

Endpoint endpoint(std::string name, std::string path, PagingKind kind, std::string records_pointer = "") {
    Endpoint e;
    e.name = std::move(name);
    e.path = std::move(path);
    e.paging.kind = kind;
    e.records_pointer = std::move(records_pointer);
    return e;
}

std::vector<std::string> all_files(const std::filesystem::path& dir) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    return files;
}

// Every "id" value in every saved page of an endpoint, in page order.
std::vector<std::string> ids_in(const std::filesystem::path& dir, const std::string& name) {
    std::vector<std::string> ids;
    for (const auto& page : connectors::endpoint_pages(dir, name)) {
        const auto text = slurp(page);
        std::size_t pos = 0;
        while ((pos = text.find("\"id\":\"", pos)) != std::string::npos) {
            pos += 6;
            ids.push_back(text.substr(pos, text.find('"', pos) - pos));
        }
    }
    return ids;
}

}  // namespace

TEST_CASE("pull_source follows Link rel=next (Okta) and saves pages as received", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    const std::string p1 = R"([{"id":"00u1"},{"id":"00u2"}])";
    const std::string p2 = R"([{"id":"00u3"},{"id":"00u4"}])";
    const std::string p3 = R"([{"id":"00u5"}])";
    transport.route(k_base + "/api/v1/users?limit=2",
                    response(200, p1, {{"link", "<" + k_base + "/api/v1/users?limit=2>; rel=\"self\""},
                                       {"link", "<" + k_base + "/api/v1/users?after=00u2&limit=2>; rel=\"next\""},
                                       {"set-cookie", "sid=abc"}}));
    transport.route(k_base + "/api/v1/users?after=00u2&limit=2",
                    response(200, p2, {{"link", "</api/v1/users?after=00u4&limit=2>; rel=\"next\""}}));
    transport.route(k_base + "/api/v1/users?after=00u4&limit=2",
                    response(200, p3, {{"link", "<" + k_base + "/api/v1/users?after=00u4&limit=2>; rel=\"self\""}}));
    auto spec = spec_with({endpoint("users", "/api/v1/users?limit=2", PagingKind::link_header)}, AuthKind::ssws);

    const auto result = connectors::pull_source("okta", spec, config_with_env(), root.path(), transport, clock);
    REQUIRE(result);
    CHECK(result->stamp == "20261102T020000Z");
    REQUIRE(result->endpoints.size() == 1);
    CHECK(result->endpoints[0].pages == 3);
    CHECK(result->endpoints[0].records == 5);
    CHECK(result->requests == 3);
    CHECK(ids_in(result->snapshot_dir, "users") == std::vector<std::string>{"00u1", "00u2", "00u3", "00u4", "00u5"});

    REQUIRE(transport.requests.size() == 3);
    const auto& auth = transport.requests[0].headers.front();
    CHECK(auth.name == "authorization");
    CHECK(auth.value == std::string("SSWS ") + k_token);

    const auto dir = root.path() / "okta" / "20261102T020000Z";
    CHECK(slurp(dir / "users" / "page-00001.json") == p1);
    CHECK(slurp(dir / "users" / "page-00003.json") == p3);
    const auto meta = slurp(dir / "users" / "page-00001.meta.json");
    CHECK_THAT(meta, Catch::Contains("\"status\": 200") && Catch::Contains("rel=\\\"next\\\""));
    CHECK(meta.find("set-cookie") == std::string::npos);
    CHECK_THAT(slurp(dir / "MANIFEST.json"), Catch::Contains("\"records\": 5"));
    CHECK(slurp(root.path() / "okta" / "LATEST") == "20261102T020000Z\n");

    const auto latest = connectors::latest_snapshot(root.path(), "okta");
    REQUIRE(latest);
    CHECK(latest->dir == dir);
    CHECK_FALSE(latest->stale);
    CHECK(format_timestamp(latest->fetched_at) == "2026-11-02T02:00:00Z");
}

TEST_CASE("pull_source follows next URLs in the body (Salesforce paths, Graph absolute links)", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    const std::string q = "/services/data/v60.0/query?q=SELECT+Id+FROM+User";
    transport.route(k_base + q, response(200, R"({"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v60.0/query/01g-2","records":[{"id":"005A"},{"id":"005B"}]})"));
    transport.route(k_base + "/services/data/v60.0/query/01g-2",
                    response(200, R"({"totalSize":3,"done":true,"records":[{"id":"005C"}]})"));
    transport.route(k_base + "/v1.0/users", response(200, R"({"value":[{"id":"u1"}],"@odata.nextLink":")" + k_base + R"(/v1.0/users?$skiptoken=abc"})"));
    transport.route(k_base + "/v1.0/users?$skiptoken=abc", response(200, R"({"value":[{"id":"u2"}]})"));

    auto sf = endpoint("users", "/services/data/{api_version}/query?q=SELECT Id FROM User", PagingKind::body_url, "/records");
    sf.path = "/services/data/{api_version}/query?q=SELECT+Id+FROM+User";
    sf.paging.next_pointer = "/nextRecordsUrl";
    sf.paging.done_pointer = "/done";
    auto graph = endpoint("graph_users", "/v1.0/users", PagingKind::body_url, "/value");
    graph.paging.next_pointer = "/@odata.nextLink";
    const auto result = connectors::pull_source("salesforce", spec_with({sf, graph}),
                                                config_with_env({{"api_version", "v60.0"}}), root.path(), transport, clock);
    REQUIRE(result);
    CHECK(result->endpoints[0].records == 3);
    CHECK(result->endpoints[1].records == 2);
    CHECK(ids_in(result->snapshot_dir, "users") == std::vector<std::string>{"005A", "005B", "005C"});
    CHECK(ids_in(result->snapshot_dir, "graph_users") == std::vector<std::string>{"u1", "u2"});
}

TEST_CASE("pull_source sends body tokens back as a query parameter (Google, Zoom, HubSpot)", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    transport.route(k_base + "/admin/directory/v1/users?customer=my_customer&maxResults=2",
                    response(200, R"({"users":[{"id":"g1"},{"id":"g2"}],"nextPageToken":"tok/A+=="})"));
    transport.route(k_base + "/admin/directory/v1/users?customer=my_customer&maxResults=2&pageToken=tok%2FA%2B%3D%3D",
                    response(200, R"({"users":[{"id":"g3"}],"nextPageToken":"B"})"));
    transport.route(k_base + "/admin/directory/v1/users?customer=my_customer&maxResults=2&pageToken=B",
                    response(200, R"({"users":[{"id":"g4"}]})"));
    transport.route(k_base + "/v2/users?page_size=1", response(200, R"({"users":[{"id":"z1"}],"next_page_token":"Z2"})"));
    transport.route(k_base + "/v2/users?page_size=1&next_page_token=Z2", response(200, R"({"users":[{"id":"z2"}],"next_page_token":""})"));
    transport.route(k_base + "/settings/v3/users/?limit=1", response(200, R"({"results":[{"id":"h1"}],"paging":{"next":{"after":"2"}}})"));
    transport.route(k_base + "/settings/v3/users/?limit=1&after=2", response(200, R"({"results":[{"id":"h2"}]})"));

    auto google = endpoint("users", "/admin/directory/v1/users?customer=my_customer&maxResults=2", PagingKind::body_token, "/users");
    google.paging.next_pointer = "/nextPageToken";
    google.paging.token_param = "pageToken";
    auto zoom = endpoint("zoom_users", "/v2/users?page_size=1", PagingKind::body_token, "/users");
    zoom.paging.next_pointer = "/next_page_token";
    zoom.paging.token_param = "next_page_token";
    auto hubspot = endpoint("hubspot_users", "/settings/v3/users/?limit=1", PagingKind::body_token, "/results");
    hubspot.paging.next_pointer = "/paging/next/after";
    hubspot.paging.token_param = "after";
    const auto result = connectors::pull_source("mixed", spec_with({google, zoom, hubspot}), config_with_env(), root.path(),
                                                transport, clock);
    REQUIRE(result);
    CHECK(ids_in(result->snapshot_dir, "users") == std::vector<std::string>{"g1", "g2", "g3", "g4"});
    CHECK(ids_in(result->snapshot_dir, "zoom_users") == std::vector<std::string>{"z1", "z2"});
    CHECK(ids_in(result->snapshot_dir, "hubspot_users") == std::vector<std::string>{"h1", "h2"});
    CHECK(transport.requests.size() == 7);
}

TEST_CASE("pull_source walks page numbers until the end flag or the page count (Adobe, Slack)", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    transport.route(k_base + "/v2/usermanagement/users/ORG1@AdobeOrg/0", response(200, R"({"lastPage":false,"users":[{"id":"a1"}]})"));
    transport.route(k_base + "/v2/usermanagement/users/ORG1@AdobeOrg/1", response(200, R"({"lastPage":false,"users":[{"id":"a2"}]})"));
    transport.route(k_base + "/v2/usermanagement/users/ORG1@AdobeOrg/2", response(200, R"({"lastPage":true,"users":[{"id":"a3"}]})"));
    transport.route(k_base + "/api/team.accessLogs?count=1&page=1", response(200, R"({"ok":true,"logins":[{"id":"s1"}],"paging":{"page":1,"pages":2}})"));
    transport.route(k_base + "/api/team.accessLogs?count=1&page=2", response(200, R"({"ok":true,"logins":[{"id":"s2"}],"paging":{"page":2,"pages":2}})"));

    auto adobe = endpoint("users", "/v2/usermanagement/users/{org_id}/{page}", PagingKind::page_number, "/users");
    adobe.paging.done_pointer = "/lastPage";
    adobe.paging.first_page = 0;
    auto slack = endpoint("access_logs", "/api/team.accessLogs?count=1&page={page}", PagingKind::page_number, "/logins");
    slack.paging.first_page = 1;
    slack.paging.pages_pointer = "/paging/pages";
    const auto result = connectors::pull_source("adobe", spec_with({adobe, slack}), config_with_env({{"org_id", "ORG1@AdobeOrg"}}),
                                                root.path(), transport, clock);
    REQUIRE(result);
    CHECK(ids_in(result->snapshot_dir, "users") == std::vector<std::string>{"a1", "a2", "a3"});
    CHECK(ids_in(result->snapshot_dir, "access_logs") == std::vector<std::string>{"s1", "s2"});
    CHECK(transport.requests.size() == 5);
}

TEST_CASE("pull_source ignores a page count too large for a whole number (fuzz_http_headers)", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    transport.route(k_base + "/api/team.accessLogs?count=1&page=1", response(200, R"({"ok":true,"logins":[{"id":"s1"}],"paging":{"page":1,"pages":7.7e22}})"));
    transport.route(k_base + "/api/team.accessLogs?count=1&page=2", response(200, R"({"ok":true,"logins":[{"id":"s2"}],"paging":{"page":2,"pages":2.0}})"));
    auto slack = endpoint("access_logs", "/api/team.accessLogs?count=1&page={page}", PagingKind::page_number, "/logins");
    slack.paging.first_page = 1;
    slack.paging.pages_pointer = "/paging/pages";
    const auto result = connectors::pull_source("slack", spec_with({slack}), config_with_env(), root.path(), transport, clock);
    REQUIRE(result);
    CHECK(ids_in(result->snapshot_dir, "access_logs") == std::vector<std::string>{"s1", "s2"});
    CHECK(transport.requests.size() == 2);
}

TEST_CASE("pull_source stops Okta log polling at the first empty page and continues from the last event", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    const std::string first = k_base + "/api/v1/logs?since=2026-08-04T02:00:00Z&limit=2";
    transport.route(first, response(200, R"([{"id":"e1","published":"2026-11-01T10:00:00.000Z"},{"id":"e2","published":"2026-11-01T11:00:00.000Z"}])",
                                    {{"link", "<" + k_base + "/api/v1/logs?after=c2&limit=2>; rel=\"next\""}}));
    transport.route(k_base + "/api/v1/logs?after=c2&limit=2",
                    response(200, R"([{"id":"e3","published":"2026-11-01T12:30:00.123Z"}])",
                             {{"link", "<" + k_base + "/api/v1/logs?after=c3&limit=2>; rel=\"next\""}}));
    transport.route(k_base + "/api/v1/logs?after=c3&limit=2",
                    response(200, "[]", {{"link", "<" + k_base + "/api/v1/logs?after=c3b&limit=2>; rel=\"next\""}}));
    auto logs = endpoint("logs", "/api/v1/logs?since={since}&limit=2", PagingKind::link_header);
    logs.paging.stop_on_empty_page = true;
    auto spec = spec_with({logs}, AuthKind::ssws);
    spec.incremental = "logs";

    const auto result = connectors::pull_source("okta_log", spec, config_with_env(), root.path(), transport, clock);
    REQUIRE(result);
    CHECK(result->endpoints[0].pages == 3);
    CHECK(result->endpoints[0].records == 3);
    CHECK(ids_in(result->snapshot_dir, "logs") == std::vector<std::string>{"e1", "e2", "e3"});

    // The next run continues one millisecond after the newest event of the previous snapshot
    // (Okta's since is inclusive: the newest event must not be pulled twice).
    clock.advance(Millis{3'600'000});
    const std::string second = k_base + "/api/v1/logs?since=2026-11-01T12:30:00.124Z&limit=2";
    transport.route(second, response(200, "[]"));
    const auto again = connectors::pull_source("okta_log", spec, config_with_env(), root.path(), transport, clock);
    REQUIRE(again);
    CHECK(transport.requests.back().url == second);
    CHECK_THAT(slurp(again->snapshot_dir / "MANIFEST.json"), Catch::Contains("2026-11-01T12:30:00.124Z"));
    // The newest snapshot alone holds every event: the earlier non-empty pages are carried over.
    CHECK(again->endpoints[0].carried_pages == 2);
    CHECK(again->endpoints[0].pages == 1);
    CHECK(ids_in(again->snapshot_dir, "logs") == std::vector<std::string>{"e1", "e2", "e3"});
    CHECK(slurp(again->snapshot_dir / "logs" / "page-00003.json") == "[]");
    CHECK(std::filesystem::exists(again->snapshot_dir / "logs" / "page-00001.meta.json"));

    // A run after an empty one keeps the same starting point.
    clock.advance(Millis{3'600'000});
    const auto third = connectors::pull_source("okta_log", spec, config_with_env(), root.path(), transport, clock);
    REQUIRE(third);
    CHECK(transport.requests.back().url == second);
    CHECK(ids_in(third->snapshot_dir, "logs") == std::vector<std::string>{"e1", "e2", "e3"});

    // Pages older than 180 days are no longer carried; the starting point still comes from them.
    clock.advance(Millis{std::int64_t{200} * 86'400'000});
    const auto later = connectors::pull_source("okta_log", spec, config_with_env(), root.path(), transport, clock);
    REQUIRE(later);
    CHECK(transport.requests.back().url == second);
    CHECK(later->endpoints[0].carried_pages == 0);
    CHECK(ids_in(later->snapshot_dir, "logs").empty());
}

TEST_CASE("pull_source uses the since option or 90 days before as_of", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    transport.route(k_base + "/logs?since=2026-10-01T00:00:00Z", response(200, "[]"));
    transport.route(k_base + "/logs?since=2026-08-03T00:00:00Z", response(200, "[]"));
    auto spec = spec_with({endpoint("logs", "/logs?since={since}", PagingKind::none)});
    REQUIRE(connectors::pull_source("a", spec, config_with_env({{"since", "2026-10-01T00:00:00Z"}}), root.path(), transport, clock));
    REQUIRE(connectors::pull_source("b", spec, config_with_env({{"as_of", "2026-11-01"}}), root.path(), transport, clock));
    CHECK(transport.requests.size() == 2);
}

TEST_CASE("pull_source detects paging loops and keeps the previous snapshot", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    auto okta = endpoint("users", "/api/v1/users", PagingKind::link_header);
    SECTION("a next link back to an earlier page") {
        RoutedTransport transport;
        transport.route(k_base + "/api/v1/users", response(200, R"([{"id":"1"}])", {{"link", "<" + k_base + "/api/v1/users?after=1>; rel=\"next\""}}));
        transport.route(k_base + "/api/v1/users?after=1", response(200, R"([{"id":"2"}])", {{"link", "<" + k_base + "/api/v1/users?after=2>; rel=\"next\""}}));
        transport.route(k_base + "/api/v1/users?after=2", response(200, R"([{"id":"3"}])", {{"link", "<" + k_base + "/api/v1/users>; rel=\"next\""}}));
        const auto result = connectors::pull_source("okta", spec_with({okta}), config_with_env(), root.path(), transport, clock);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::source_failed);
        CHECK_THAT(result.error().message, Catch::Contains("paging loop") && Catch::Contains("page 4 points back to page 1"));
        CHECK(transport.requests.size() == 3);
        CHECK_FALSE(std::filesystem::exists(root.path() / "okta" / "LATEST"));
        CHECK(std::filesystem::exists(root.path() / "okta" / "LAST_FAILURE.json"));
        CHECK_FALSE(std::filesystem::exists(root.path() / "okta" / "20261102T020000Z"));
    }
    SECTION("a token that repeats") {
        RoutedTransport transport;
        auto google = endpoint("users", "/users", PagingKind::body_token, "/users");
        google.paging.next_pointer = "/nextPageToken";
        google.paging.token_param = "pageToken";
        transport.route(k_base + "/users", response(200, R"({"users":[{"id":"1"}],"nextPageToken":"A"})"));
        transport.route(k_base + "/users?pageToken=A", response(200, R"({"users":[{"id":"2"}],"nextPageToken":"B"})"));
        transport.route(k_base + "/users?pageToken=B", response(200, R"({"users":[{"id":"3"}],"nextPageToken":"A"})"));
        const auto result = connectors::pull_source("google", spec_with({google}), config_with_env(), root.path(), transport, clock);
        REQUIRE_FALSE(result);
        CHECK_THAT(result.error().message, Catch::Contains("page 3 returned the same next token as page 1"));
    }
}

TEST_CASE("pull_source checks ok=false answers (Slack) and skips optional endpoints", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    auto users = endpoint("users", "/api/users.list", PagingKind::none, "/members");
    auto logs = endpoint("access_logs", "/api/team.accessLogs", PagingKind::none, "/logins");
    logs.optional = true;
    auto reports = endpoint("reports", "/reports", PagingKind::none);
    reports.optional = true;
    auto spec = spec_with({users, logs, reports});
    spec.ok_pointer = "/ok";
    spec.error_pointer = "/error";
    SECTION("invalid_auth fails with the credential hint") {
        transport.route(k_base + "/api/users.list", response(200, R"({"ok":false,"error":"invalid_auth"})"));
        const auto result = connectors::pull_source("slack", spec, config_with_env(), root.path(), transport, clock);
        REQUIRE_FALSE(result);
        CHECK_THAT(result.error().message, Catch::Contains("/ok = false: invalid_auth"));
        CHECK_THAT(result.error().hint, Catch::Contains("env STACKAUDIT_TEST_TOKEN"));
        CHECK(result.error().to_string().find(k_token) == std::string::npos);
    }
    SECTION("a paid-only optional endpoint and a 403 are recorded, not fatal") {
        transport.route(k_base + "/api/users.list", response(200, R"({"ok":true,"members":[{"id":"U1"},{"id":"U2"}]})"));
        transport.route(k_base + "/api/team.accessLogs", response(200, R"({"ok":false,"error":"paid_only"})"));
        transport.route(k_base + "/reports", response(403, R"({"ok":false,"error":"not_allowed"})"));
        const auto result = connectors::pull_source("slack", spec, config_with_env(), root.path(), transport, clock);
        REQUIRE(result);
        REQUIRE(result->endpoints.size() == 3);
        CHECK(result->endpoints[0].records == 2);
        CHECK(result->endpoints[1].skipped);
        CHECK_THAT(result->endpoints[1].note, Catch::Contains("paid_only"));
        CHECK(result->endpoints[2].skipped);
        CHECK_THAT(result->endpoints[2].note, Catch::Contains("HTTP 403"));
        CHECK(connectors::endpoint_pages(result->snapshot_dir, "access_logs").empty());
    }
}

TEST_CASE("a failed pull keeps the previous snapshot and marks it stale", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    transport.route(k_base + "/api/v1/users", response(200, R"([{"id":"1"}])"));
    transport.route(k_base + "/api/v1/users", response(401, R"({"errorCode":"E0000011","errorSummary":"Invalid token provided"})"));
    transport.route(k_base + "/api/v1/users", response(200, R"([{"id":"1"},{"id":"2"}])"));
    auto spec = spec_with({endpoint("users", "/api/v1/users", PagingKind::none)}, AuthKind::ssws);

    const auto first = connectors::pull_source("okta", spec, config_with_env(), root.path(), transport, clock);
    REQUIRE(first);
    clock.advance(Millis{86'400'000});
    const auto second = connectors::pull_source("okta", spec, config_with_env(), root.path(), transport, clock);
    REQUIRE_FALSE(second);
    CHECK(second.error().where.http_status == 401);
    CHECK_THAT(second.error().message, Catch::Contains("credential rejected"));
    CHECK(slurp(root.path() / "okta" / "LATEST") == "20261102T020000Z\n");
    CHECK_FALSE(std::filesystem::exists(root.path() / "okta" / "20261103T020000Z"));
    CHECK(std::filesystem::exists(first->snapshot_dir / "users" / "page-00001.json"));
    const auto failure = slurp(root.path() / "okta" / "LAST_FAILURE.json");
    CHECK_THAT(failure, Catch::Contains("2026-11-03T02:00:00Z") && Catch::Contains("Invalid token provided"));

    auto latest = connectors::latest_snapshot(root.path(), "okta");
    REQUIRE(latest);
    CHECK(latest->dir == first->snapshot_dir);
    CHECK(latest->stale);
    CHECK_THAT(latest->stale_reason, Catch::StartsWith("pull at 2026-11-03T02:00:00Z failed:") &&
                                         Catch::Contains("credential rejected"));

    clock.advance(Millis{3'600'000});
    const auto third = connectors::pull_source("okta", spec, config_with_env(), root.path(), transport, clock);
    REQUIRE(third);
    latest = connectors::latest_snapshot(root.path(), "okta");
    REQUIRE(latest);
    CHECK(latest->dir == third->snapshot_dir);
    CHECK_FALSE(latest->stale);
    CHECK_FALSE(std::filesystem::exists(root.path() / "okta" / "LAST_FAILURE.json"));
}

TEST_CASE("latest_snapshot without any pull says how to make one", "[unit][http]") {
    ScratchDir root;
    const auto latest = connectors::latest_snapshot(root.path(), "okta_users");
    REQUIRE_FALSE(latest);
    CHECK(latest.error().code == ErrorCode::not_found);
    CHECK_THAT(latest.error().message, Catch::Contains("no snapshot of okta_users yet"));
    CHECK_THAT(latest.error().hint, Catch::Contains("stackaudit pull"));
}

TEST_CASE("endpoint_pages lists hand-saved pages in numeric order", "[unit][http]") {
    ScratchDir dir;
    for (const auto* name : {"page-10.json", "page-2.json", "page-00001.json", "page-00001.meta.json", "notes.txt", "page-3.csv"}) {
        spill(dir.path() / "users" / name, "[]");
    }
    const auto pages = connectors::endpoint_pages(dir.path(), "users");
    REQUIRE(pages.size() == 4);
    CHECK(pages[0].filename() == "page-00001.json");
    CHECK(pages[1].filename() == "page-2.json");
    CHECK(pages[2].filename() == "page-3.csv");
    CHECK(pages[3].filename() == "page-10.json");
    CHECK(connectors::endpoint_pages(dir.path(), "missing").empty());
}

TEST_CASE("credentials come from the environment or a file, never shown in errors", "[unit][http]") {
    ScratchDir dir;
    auto spec = spec_with({});
    SECTION("environment variable") {
        EnvToken env;
        const auto creds = connectors::resolve_credentials(spec, config_with_env());
        REQUIRE(creds);
        CHECK(creds->values.at("token") == k_token);
        CHECK(creds->describe("token") == "env STACKAUDIT_TEST_TOKEN");
    }
    SECTION("unset variable names it") {
        ::unsetenv("STACKAUDIT_TEST_TOKEN");
        const auto creds = connectors::resolve_credentials(spec, config_with_env());
        REQUIRE_FALSE(creds);
        CHECK(creds.error().code == ErrorCode::config_invalid);
        CHECK_THAT(creds.error().message, Catch::Contains("STACKAUDIT_TEST_TOKEN is not set"));
        CHECK_THAT(creds.error().hint, Catch::Contains("an API token with read access"));
    }
    SECTION("empty variable") {
        ::setenv("STACKAUDIT_TEST_TOKEN", "  ", 1);
        const auto creds = connectors::resolve_credentials(spec, config_with_env());
        ::unsetenv("STACKAUDIT_TEST_TOKEN");
        REQUIRE_FALSE(creds);
        CHECK_THAT(creds.error().message, Catch::Contains("STACKAUDIT_TEST_TOKEN is empty"));
    }
    SECTION("file, first line trimmed, warning when others can read it") {
        const auto file = dir.path() / "token";
        spill(file, std::string(k_token) + "\nsecond line\n");
        ::chmod(file.c_str(), 0644);
        ApiSourceConfig config;
        config.credentials["token"] = connectors::CredentialSource{.env = {}, .file = file};
        auto creds = connectors::resolve_credentials(spec, config);
        REQUIRE(creds);
        CHECK(creds->values.at("token") == k_token);
        CHECK(creds->describe("token") == "file " + file.string());
        REQUIRE(creds->warnings.size() == 1);
        CHECK_THAT(creds->warnings[0], Catch::Contains("readable by everyone") && Catch::Contains("chmod 600"));
        CHECK(creds->warnings[0].find(k_token) == std::string::npos);
        ::chmod(file.c_str(), 0600);
        creds = connectors::resolve_credentials(spec, config);
        REQUIRE(creds);
        CHECK(creds->warnings.empty());
    }
    SECTION("missing or empty file") {
        ApiSourceConfig config;
        config.credentials["token"] = connectors::CredentialSource{.env = {}, .file = dir.path() / "absent"};
        auto creds = connectors::resolve_credentials(spec, config);
        REQUIRE_FALSE(creds);
        CHECK_THAT(creds.error().message, Catch::Contains("cannot read file") && Catch::Contains("absent"));
        spill(dir.path() / "empty", "\n");
        config.credentials["token"].file = dir.path() / "empty";
        creds = connectors::resolve_credentials(spec, config);
        REQUIRE_FALSE(creds);
        CHECK_THAT(creds.error().message, Catch::Contains("is empty"));
    }
    SECTION("not configured at all") {
        const auto creds = connectors::resolve_credentials(spec, ApiSourceConfig{});
        REQUIRE_FALSE(creds);
        CHECK_THAT(creds.error().message, Catch::Contains("credential 'token' is not configured"));
        CHECK_THAT(creds.error().hint, Catch::Contains("{env: VARIABLE}"));
    }
}

TEST_CASE("pull_source builds each kind of auth header and checks its options", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    transport.route(k_base + "/api/v2/users.json", response(200, R"({"users":[]})"));
    auto users = endpoint("users", "/api/v2/users.json", PagingKind::none, "/users");
    SECTION("Zendesk API token: Basic base64(email/token:token)") {
        const auto result = connectors::pull_source("zendesk", spec_with({users}, AuthKind::basic_token),
                                                    config_with_env({{"email", "admin@northwind.example"}}), root.path(),
                                                    transport, clock);
        REQUIRE(result);
        const auto& h = transport.requests[0].headers.front();
        CHECK(h.name == "authorization");
        CHECK(h.value == "Basic YWRtaW5Abm9ydGh3aW5kLmV4YW1wbGUvdG9rZW46dG9rLVNFQ1JFVC0xMjM=");
    }
    SECTION("Zendesk without the email option") {
        const auto result = connectors::pull_source("zendesk", spec_with({users}, AuthKind::basic_token), config_with_env(),
                                                    root.path(), transport, clock);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::config_invalid);
        CHECK_THAT(result.error().message, Catch::Contains("option 'email'"));
    }
    SECTION("custom header and bearer") {
        auto spec = spec_with({users}, AuthKind::header);
        spec.credentials.push_back({.name = "token", .kind = AuthKind::bearer, .header = {}, .description = {}});
        const auto result = connectors::pull_source("adobe", spec, config_with_env(), root.path(), transport, clock);
        REQUIRE(result);
        const auto& headers = transport.requests[0].headers;
        REQUIRE(headers.size() >= 2);
        CHECK(headers[0].name == "x-api-key");
        CHECK(headers[0].value == k_token);
        CHECK(headers[1].value == std::string("Bearer ") + k_token);
    }
    SECTION("a missing option for a placeholder is named") {
        auto adobe = endpoint("users", "/v2/usermanagement/users/{org_id}/{page}", PagingKind::page_number, "/users");
        const auto result = connectors::pull_source("adobe", spec_with({adobe}), config_with_env({{"org", "x"}}), root.path(),
                                                    transport, clock);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::config_invalid);
        CHECK_THAT(result.error().message, Catch::Contains("needs option 'org_id'"));
        CHECK(transport.requests.empty());
        CHECK(std::filesystem::exists(root.path() / "adobe" / "LAST_FAILURE.json"));
    }
}

TEST_CASE("no secret appears in any snapshot file or log line", "[unit][http]") {
    EnvToken env;
    ScratchDir root;
    FakeClock clock;
    RoutedTransport transport;
    // A misbehaving server that echoes the credential in headers and next links.
    transport.route(k_base + "/api/v1/users",
                    response(200, R"([{"id":"1"}])",
                             {{"x-echo-authorization", std::string("SSWS ") + k_token},
                              {"authorization", std::string("SSWS ") + k_token},
                              {"x-debug", std::string("token=") + k_token + "&x=1"},
                              {"link", "<" + k_base + "/api/v1/users?after=1&access_token=" + k_token + ">; rel=\"next\""}}));
    transport.route(k_base + "/api/v1/users?after=1&access_token=" + k_token,
                    response(429, "{}", {{"retry-after", "2"}}));
    transport.route(k_base + "/api/v1/users?after=1&access_token=" + k_token, response(200, R"([{"id":"2"}])"));
    std::vector<std::string> lines;
    connectors::http::Events events;
    events.log = [&](std::string_view, std::string_view line) { lines.emplace_back(line); };
    events.waiting = [&](std::string_view, Millis, std::string_view why) { lines.emplace_back(why); };
    const auto result = connectors::pull_source("okta", spec_with({endpoint("users", "/api/v1/users", PagingKind::link_header)}, AuthKind::ssws),
                                                config_with_env(), root.path(), transport, clock, events);
    REQUIRE(result);
    CHECK(clock.waits == std::vector<std::int64_t>{2000});
    const std::string b64 = "dG9rLVNFQ1JFVC0xMjM";
    for (const auto& file : all_files(root.path())) {
        INFO(file);
        const auto text = slurp(file);
        CHECK(text.find(k_token) == std::string::npos);
        CHECK(text.find(b64) == std::string::npos);
    }
    REQUIRE_FALSE(lines.empty());
    for (const auto& line : lines) {
        INFO(line);
        CHECK(line.find(k_token) == std::string::npos);
    }
}
