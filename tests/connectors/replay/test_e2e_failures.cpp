// End to end: what a live pull does when the vendor misbehaves. Faults are injected through the
// replay server's control API; waits go through a FakeClock and are asserted, never slept.
#include <chrono>

#include "../test_support.hpp"
#include "e2e_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test::e2e;
using stackaudit::test::TempDir;
using stackaudit::test::replay::api_data;
using stackaudit::test::replay::ReplayServer;

namespace {

std::string describe(const Result<connectors::PullResult>& pulled) {
    return pulled ? "pulled " + pulled->stamp : pulled.error().to_string();
}

std::string faults(const std::string& path, const std::string& query, int times, const std::string& action) {
    return R"({"faults": [{"path": ")" + path + R"(", "query": )" + query + R"(, "times": )" + std::to_string(times) +
           R"(, "action": )" + action + "}]}";
}

// Seconds of real time `body` took.
template <class F>
double timed(F&& body) {
    const auto started = std::chrono::steady_clock::now();
    body();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

struct Fixture {
    ReplayServer server{api_data("_generic")};
    TempDir snapshots;
    FakeClock clock;
    CapturedEvents captured;
    ApiSourceConfig config = config_for(server);

    Result<connectors::PullResult> pull(const std::vector<Endpoint>& endpoints, const std::string& source = "generic") {
        auto transport = connectors::http::make_curl_transport(config.transport);
        return connectors::pull_source(source, generic_spec(endpoints), config, snapshots.path(), *transport, clock,
                                       captured.events());
    }
    void no_secrets_anywhere(const Result<connectors::PullResult>& pulled) {
        require_no_secret_in_files(snapshots.path());
        if (!pulled) {
            require_no_secret("error", pulled.error().to_string());
        }
        for (const auto& line : captured.lines) {
            require_no_secret("event line", line);
        }
        for (const auto& line : server.log_lines()) {
            require_no_secret("server log line", line);
        }
    }
    // A failed pull leaves no LATEST (first pull) and writes LAST_FAILURE.json.
    void failed_cleanly(const std::string& source = "generic") {
        CHECK(latest_of(snapshots.path(), source).empty());
        CHECK(std::filesystem::exists(snapshots.path() / source / "LAST_FAILURE.json"));
    }
};

}  // namespace

TEST_CASE("429 with Retry-After is retried after exactly that wait", "[connector][e2e]") {
    Fixture f;
    SECTION("delta seconds") {
        f.server.set_faults(faults("/v1/single/items", "\"*\"", 1,
                                   R"({"status": 429, "headers": {"Retry-After": "7"}, "body": {"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit due to too many requests."}})"));
        auto pulled = f.pull({single_endpoint()});
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(f.clock.sleeps() == std::vector<http::Millis>{7'000ms});
        CHECK(f.captured.waits == std::vector<http::Millis>{7'000ms});
        CHECK(pulled->waited == 7'000ms);
        CHECK(f.server.requests_to("/v1/single/items").size() == 2);
        CHECK(pulled->endpoints.at(0).records == 3);
        f.no_secrets_anywhere(pulled);
    }
    SECTION("HTTP date") {
        const auto date = http_date(f.clock.now() + std::chrono::seconds{9});
        f.server.set_faults(faults("/v1/link/items", R"({"limit": "2", "after": "link-2"})", 1,
                                   R"({"status": 429, "headers": {"Retry-After": ")" + date + R"("}})"));
        auto pulled = f.pull({link_endpoint()});
        INFO(describe(pulled) << " (Retry-After: " << date << ")");
        REQUIRE(pulled.has_value());
        CHECK(f.clock.sleeps() == std::vector<http::Millis>{9'000ms});
        CHECK(f.server.requests_to("/v1/link/items").size() == 4);
        CHECK(saved_ids(pulled->snapshot_dir, link_endpoint()) ==
              std::vector<std::string>{"link-1", "link-2", "link-3", "link-4", "link-5"});
    }
    SECTION("Okta style: no Retry-After, X-Rate-Limit-Reset in epoch seconds") {
        const auto reset = std::chrono::duration_cast<std::chrono::seconds>(f.clock.now().time_since_epoch()).count() + 42;
        f.server.set_faults(faults("/v1/single/items", "\"*\"", 1,
                                   R"({"status": 429, "headers": {"X-Rate-Limit-Limit": "600", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": ")" +
                                       std::to_string(reset) + R"("}, "body": {"errorCode": "E0000047"}})"));
        auto pulled = f.pull({single_endpoint()});
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(f.clock.slept() == 42'000ms);
        CHECK(f.server.requests_to("/v1/single/items").size() == 2);
    }
    SECTION("a nearly used-up quota pauses until its reset before the next page") {
        const auto reset = std::chrono::duration_cast<std::chrono::seconds>(f.clock.now().time_since_epoch()).count() + 30;
        f.server.set_faults(faults("/v1/link/items", R"({"limit": "2"})", 1,
                                   R"({"headers": {"X-Rate-Limit-Limit": "600", "X-Rate-Limit-Remaining": "3", "X-Rate-Limit-Reset": ")" +
                                       std::to_string(reset) + R"("}})"));
        auto pulled = f.pull({link_endpoint()});
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(f.clock.sleeps() == std::vector<http::Millis>{30'000ms});
        CHECK(f.server.requests_to("/v1/link/items").size() == 3);
    }
    SECTION("a Retry-After beyond the longest allowed wait fails instead of sleeping") {
        f.config.retry.max_delay = 60s;
        f.server.set_faults(faults("/v1/single/items", "\"*\"", -1, R"({"status": 429, "headers": {"Retry-After": "3600"}})"));
        auto pulled = f.pull({single_endpoint()});
        INFO(describe(pulled));
        REQUIRE_FALSE(pulled.has_value());
        CHECK(pulled.error().code == ErrorCode::source_failed);
        CHECK(f.clock.slept() < 3'600'000ms);
        f.failed_cleanly();
    }
}

TEST_CASE("500 and 503 are retried with backoff, then reported", "[connector][e2e]") {
    Fixture f;
    SECTION("transient") {
        f.server.set_faults(R"({"faults": [
            {"path": "/v1/token/items", "query": {"page_size": "2", "next_page_token": "tokA2"}, "times": 1, "action": {"status": 500, "body": "oops"}},
            {"path": "/v1/token/items", "query": {"page_size": "2", "next_page_token": "tokA2"}, "times": 1, "action": {"status": 503, "body": "busy"}}]})");
        auto pulled = f.pull({token_endpoint()});
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(f.server.requests_to("/v1/token/items").size() == 5);
        CHECK(pulled->endpoints.at(0).records == 5);
        CHECK(f.clock.sleeps().size() <= 2);
        for (const auto wait : f.clock.sleeps()) {
            CHECK(wait <= 800ms);  // full jitter under base 100 ms * 2^attempt for the first retries
        }
    }
    SECTION("persistent: gives up after max_attempts, naming the status and the attempts") {
        f.server.set_faults(faults("/v1/single/items", "\"*\"", -1, R"({"status": 503, "body": "down for maintenance"})"));
        auto pulled = f.pull({single_endpoint()});
        INFO(describe(pulled));
        REQUIRE_FALSE(pulled.has_value());
        CHECK(pulled.error().code == ErrorCode::source_failed);
        CHECK(f.server.requests_to("/v1/single/items").size() == 4);
        const auto text = pulled.error().to_string();
        CHECK(test::contains(text, "503"));
        CHECK(test::contains(text, "4"));
        f.failed_cleanly();
        f.no_secrets_anywhere(pulled);
    }
}

TEST_CASE("a hung connection fails by timeout, is retried, then reported", "[connector][e2e]") {
    Fixture f;
    f.config.transport.total_timeout = 2s;
    SECTION("once: the retry succeeds") {
        f.server.set_faults(faults("/v1/single/items", "\"*\"", 1, R"({"hang_seconds": 30})"));
        Result<connectors::PullResult> pulled = std::unexpected(Error{});
        const double seconds = timed([&] { pulled = f.pull({single_endpoint()}); });
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(seconds >= 1.5);
        CHECK(seconds < 10.0);
        CHECK(f.server.requests_to("/v1/single/items").size() == 2);
    }
    SECTION("always: a clear timeout error") {
        f.config.retry.max_attempts = 2;
        f.server.set_faults(faults("/v1/single/items", "\"*\"", -1, R"({"hang_seconds": 30})"));
        Result<connectors::PullResult> pulled = std::unexpected(Error{});
        const double seconds = timed([&] { pulled = f.pull({single_endpoint()}); });
        INFO(describe(pulled));
        REQUIRE_FALSE(pulled.has_value());
        CHECK(pulled.error().code == ErrorCode::source_failed);
        CHECK(seconds < 12.0);
        const auto text = pulled.error().to_string();
        CHECK((test::contains(text, "timed out") || test::contains(text, "timeout")));
        CHECK(test::contains(text, "/v1/single/items"));
        f.failed_cleanly();
    }
    SECTION("the transport itself says timeout") {
        f.server.set_faults(faults("/v1/single/items", "\"*\"", 1, R"({"hang_seconds": 30})"));
        auto transport = http::make_curl_transport(f.config.transport);
        auto response = transport->send(http::Request{.url = f.server.base_url() + "/v1/single/items"});
        REQUIRE_FALSE(response.has_value());
        CHECK(transport->last_failure() == http::TransportFailure::timeout);
        CHECK(response.error().code == ErrorCode::source_failed);
        // The same handle is usable again afterwards.
        auto next = transport->send(http::Request{.url = f.server.base_url() + "/v1/single/items"});
        REQUIRE(next.has_value());
        CHECK(next->status == 200);
        CHECK(transport->last_failure() == http::TransportFailure::none);
    }
}

TEST_CASE("a truncated body is detected, never parsed as data", "[connector][e2e]") {
    Fixture f;
    SECTION("the transport reports truncation") {
        f.server.set_faults(faults("/v1/single/items", "\"*\"", 1, R"({"truncate": true})"));
        auto transport = http::make_curl_transport(f.config.transport);
        auto response = transport->send(http::Request{.url = f.server.base_url() + "/v1/single/items"});
        REQUIRE_FALSE(response.has_value());
        CHECK(transport->last_failure() == http::TransportFailure::truncated);
    }
    SECTION("a pull that always gets half a page fails and saves nothing") {
        f.server.set_faults(faults("/v1/pages/items/1", "\"*\"", -1, R"({"truncate": true})"));
        auto pulled = f.pull({pages_endpoint()});
        INFO(describe(pulled));
        REQUIRE_FALSE(pulled.has_value());
        CHECK(pulled.error().code == ErrorCode::source_failed);
        CHECK(test::contains(pulled.error().to_string(), "/v1/pages/items/1"));
        f.failed_cleanly();
    }
    SECTION("a pull that gets half a page once retries and keeps only complete pages") {
        f.server.set_faults(faults("/v1/pages/items/1", "\"*\"", 1, R"({"truncate": true})"));
        auto pulled = f.pull({pages_endpoint()});
        INFO(describe(pulled));
        if (pulled) {
            CHECK(saved_ids(pulled->snapshot_dir, pages_endpoint()) ==
                  std::vector<std::string>{"pages-1", "pages-2", "pages-3", "pages-4", "pages-5", "pages-6"});
        } else {
            f.failed_cleanly();
        }
    }
}

TEST_CASE("an invalid JSON page is an error naming the endpoint and the page", "[connector][e2e]") {
    Fixture f;
    SECTION("body URL paging") {
        f.server.set_faults(faults("/v1/url/items", R"({"$skiptoken": "X2Y"})", -1, R"({"body": "{not json"})"));
        auto pulled = f.pull({url_endpoint()});
        INFO(describe(pulled));
        REQUIRE_FALSE(pulled.has_value());
        const auto text = pulled.error().to_string();
        CHECK(test::contains(text, "url"));
        CHECK(test::contains(text, "page 2"));
        f.failed_cleanly();
    }
    SECTION("Link header paging (the body is not needed to find the next page)") {
        f.server.set_faults(faults("/v1/link/items", R"({"limit": "2", "after": "link-2"})", -1, R"({"body": "[{\"id\": \"link-3\","})"));
        auto pulled = f.pull({link_endpoint()});
        INFO(describe(pulled));
        REQUIRE_FALSE(pulled.has_value());
        const auto text = pulled.error().to_string();
        CHECK(test::contains(text, "link"));
        CHECK(test::contains(text, "page 2"));
        f.failed_cleanly();
    }
}

TEST_CASE("401 names the credential to renew and never the token", "[connector][e2e]") {
    Fixture f;
    // A vendor that echoes the credential back in its error must not make us leak it.
    f.server.set_faults(faults("/v1/single/items", "\"*\"", -1,
                               R"({"status": 401, "headers": {"WWW-Authenticate": "Bearer realm=\"generic\""}, "body": {"errorCode": "E0000011", "errorSummary": "Invalid token provided: )" +
                                   k_token + R"("}})"));
    auto pulled = f.pull({single_endpoint()});
    INFO(describe(pulled));
    REQUIRE_FALSE(pulled.has_value());
    CHECK(pulled.error().code == ErrorCode::source_failed);
    CHECK(pulled.error().where.http_status == 401);
    const auto text = pulled.error().to_string();
    CHECK(test::contains(text, k_token_env));
    CHECK(f.server.requests_to("/v1/single/items").size() == 1);  // a rejected credential is not retried
    CHECK(f.clock.sleeps().empty());
    f.failed_cleanly();
    f.no_secrets_anywhere(pulled);
}

TEST_CASE("other 4xx answers carry the vendor's error text, redacted", "[connector][e2e]") {
    Fixture f;
    f.server.set_faults(faults("/v1/single/items", "\"*\"", -1,
                               R"({"status": 400, "body": {"error": "invalid_request", "error_description": "bad filter near )" +
                                   k_token + R"("}})"));
    auto pulled = f.pull({single_endpoint()});
    INFO(describe(pulled));
    REQUIRE_FALSE(pulled.has_value());
    CHECK(pulled.error().where.http_status == 400);
    CHECK(test::contains(pulled.error().to_string(), "bad filter near"));
    f.no_secrets_anywhere(pulled);
}

TEST_CASE("a 302 redirect is followed; the credential never goes to another host:port", "[connector][e2e]") {
    Fixture f;
    SECTION("same server: followed with the credential") {
        f.server.set_faults(faults("/v1/single/items", "\"*\"", 1, R"({"redirect": "/v1/moved/items"})"));
        auto pulled = f.pull({single_endpoint()});
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(pulled->endpoints.at(0).records == 3);
        const auto moved = f.server.requests_to("/v1/moved/items");
        REQUIRE(moved.size() == 1);
        CHECK(moved[0].header("authorization") == "Bearer " + k_token);
    }
    SECTION("another port: followed without Authorization") {
        ReplayServer other(api_data("_generic"));
        f.server.set_faults(faults("/v1/single/items", "\"*\"", 1,
                                   R"({"redirect": ")" + other.base_url() + R"(/v1/moved/items?sig=presigned"})"));
        // The pre-signed download answers whatever query it is given.
        other.set_faults(faults("/v1/moved/items", "\"*\"", -1, R"({"status": 200, "body": {"items": [{"id": "single-1"}, {"id": "single-2"}, {"id": "single-3"}]}})"));
        auto pulled = f.pull({single_endpoint()});
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(pulled->endpoints.at(0).records == 3);
        const auto moved = other.requests_to("/v1/moved/items");
        REQUIRE(moved.size() == 1);
        CHECK_FALSE(moved[0].has_header("authorization"));
        CHECK(f.server.requests_to("/v1/single/items").at(0).header("authorization") == "Bearer " + k_token);
        for (const auto& line : other.log_lines()) {
            CHECK_FALSE(test::contains(line, "presigned"));  // the server masks signature-like query values
        }
    }
    SECTION("another port: an API-key header is dropped too") {
        ReplayServer other(api_data("_generic"));
        f.server.set_faults(faults("/v1/single/items", "\"*\"", 1, R"({"redirect": ")" + other.base_url() + R"(/v1/moved/items"})"));
        auto transport = http::make_curl_transport(f.config.transport);
        auto pulled = connectors::pull_source("generic", generic_spec({single_endpoint()}, connectors::AuthKind::header, "X-Api-Key"),
                                              f.config, f.snapshots.path(), *transport, f.clock);
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        const auto moved = other.requests_to("/v1/moved/items");
        REQUIRE(moved.size() == 1);
        CHECK_FALSE(moved[0].has_header("x-api-key"));
        CHECK_FALSE(moved[0].has_header("authorization"));
    }
}

TEST_CASE("paging limits: optional endpoints, empty pages, page caps, foreign next links", "[connector][e2e]") {
    Fixture f;
    SECTION("an optional endpoint the plan cannot use is recorded as skipped") {
        auto optional = single_endpoint();
        optional.optional = true;
        f.server.set_faults(faults("/v1/single/items", "\"*\"", -1, R"({"status": 403, "body": {"error": "feature not in plan"}})"));
        auto pulled = f.pull({optional, link_endpoint()});
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(pulled->endpoints.at(0).skipped);
        CHECK_FALSE(pulled->endpoints.at(0).note.empty());
        CHECK(pulled->endpoints.at(1).records == 5);
        CHECK(latest_of(f.snapshots.path(), "generic") == pulled->stamp);
    }
    SECTION("a required endpoint answering 403 fails with the permissions needed") {
        f.server.set_faults(faults("/v1/single/items", "\"*\"", -1, R"({"status": 403, "body": {"errorSummary": "You do not have permission"}})"));
        auto pulled = f.pull({single_endpoint()});
        INFO(describe(pulled));
        REQUIRE_FALSE(pulled.has_value());
        CHECK(pulled.error().where.http_status == 403);
        CHECK(test::contains(pulled.error().to_string(), "users:read"));
        f.failed_cleanly();
    }
    SECTION("stop_on_empty_page ends a feed that always links onward (Okta System Log polling)") {
        auto feed = link_endpoint();
        feed.paging.stop_on_empty_page = true;
        f.server.set_faults(faults("/v1/link/items", R"({"limit": "2", "after": "link-2"})", 1,
                                   R"({"body": [], "headers": {"Link": "<{{BASE}}/v1/link/items?after=link-2&limit=2>; rel=\"next\""}})"));
        auto pulled = f.pull({feed});
        INFO(describe(pulled));
        REQUIRE(pulled.has_value());
        CHECK(pulled->endpoints.at(0).pages == 2);
        CHECK(pulled->endpoints.at(0).records == 2);
        CHECK(f.server.requests_to("/v1/link/items").size() == 2);
    }
    SECTION("max_pages stops a runaway endpoint") {
        auto capped = link_endpoint();
        capped.paging.max_pages = 2;
        auto pulled = f.pull({capped});
        INFO(describe(pulled));
        REQUIRE_FALSE(pulled.has_value());
        CHECK(f.server.requests_to("/v1/link/items").size() == 2);
        f.failed_cleanly();
    }
    SECTION("a next link to another host is not followed with the credential") {
        ReplayServer other(api_data("_generic"));
        f.server.set_faults(faults("/v1/link/items", R"({"limit": "2"})", 1,
                                   R"({"headers": {"Link": "<)" + other.base_url() + R"(/v1/link/items?after=link-2&limit=2>; rel=\"next\""}})"));
        auto pulled = f.pull({link_endpoint()});
        INFO(describe(pulled));
        for (const auto& request : other.requests()) {
            CHECK_FALSE(request.has_header("authorization"));
        }
        if (!pulled) {
            CHECK(test::contains(pulled.error().to_string(), "host"));
            f.failed_cleanly();
        }
    }
}

TEST_CASE("a paging loop is detected and stopped", "[connector][e2e]") {
    Fixture f;
    auto pulled = f.pull({loop_endpoint()});
    INFO(describe(pulled));
    REQUIRE_FALSE(pulled.has_value());
    CHECK(pulled.error().code == ErrorCode::source_failed);
    CHECK(test::contains(pulled.error().to_string(), "loop"));
    CHECK(f.server.requests_to("/v1/loop/items").size() <= 3);
    f.failed_cleanly();
}

TEST_CASE("a failing source keeps its previous snapshot while another pulls fine", "[connector][e2e]") {
    Fixture f;
    auto first = f.pull({single_endpoint()}, "alpha");
    INFO(describe(first));
    REQUIRE(first.has_value());
    const auto alpha_latest = latest_of(f.snapshots.path(), "alpha");
    CHECK(alpha_latest == first->stamp);

    f.clock.advance(std::chrono::hours{24});
    f.server.set_faults(faults("/v1/single/items", "\"*\"", -1, R"({"status": 500, "body": "internal"})"));
    auto failed = f.pull({single_endpoint()}, "alpha");
    INFO(describe(failed));
    REQUIRE_FALSE(failed.has_value());
    auto beta = f.pull({link_endpoint()}, "beta");
    INFO(describe(beta));
    REQUIRE(beta.has_value());

    CHECK(latest_of(f.snapshots.path(), "alpha") == alpha_latest);
    CHECK(std::filesystem::exists(f.snapshots.path() / "alpha" / "LAST_FAILURE.json"));
    CHECK(test::contains(slurp(f.snapshots.path() / "alpha" / "LAST_FAILURE.json"), "500"));
    CHECK(saved_ids(f.snapshots.path() / "alpha" / alpha_latest, single_endpoint()) ==
          std::vector<std::string>{"single-1", "single-2", "single-3"});
    auto alpha = connectors::latest_snapshot(f.snapshots.path(), "alpha");
    REQUIRE(alpha.has_value());
    CHECK(alpha->dir == first->snapshot_dir);
    CHECK(alpha->stale);
    CHECK_FALSE(alpha->stale_reason.empty());

    CHECK(latest_of(f.snapshots.path(), "beta") == beta->stamp);
    CHECK_FALSE(std::filesystem::exists(f.snapshots.path() / "beta" / "LAST_FAILURE.json"));
    auto beta_info = connectors::latest_snapshot(f.snapshots.path(), "beta");
    REQUIRE(beta_info.has_value());
    CHECK_FALSE(beta_info->stale);

    SECTION("the next good pull of the failed source is no longer stale") {
        f.server.reset();
        f.clock.advance(std::chrono::hours{1});
        auto recovered = f.pull({single_endpoint()}, "alpha");
        REQUIRE(recovered.has_value());
        auto info = connectors::latest_snapshot(f.snapshots.path(), "alpha");
        REQUIRE(info.has_value());
        CHECK(info->dir == recovered->snapshot_dir);
        CHECK_FALSE(info->stale);
    }
    SECTION("a source never pulled is not_found") {
        auto none = connectors::latest_snapshot(f.snapshots.path(), "gamma");
        REQUIRE_FALSE(none.has_value());
        CHECK(none.error().code == ErrorCode::not_found);
    }
    f.no_secrets_anywhere(failed);
}
