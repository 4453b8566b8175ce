// Unit tests of the HTTP layer: header parsers, URL resolution, redaction, and the retrying
// client's exact waits against a scripted transport and a fake clock.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fakes.hpp"
#include "stackaudit/connectors/http.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using connectors::http::Client;
using connectors::http::Header;
using connectors::http::Millis;
using connectors::http::Request;
using connectors::http::RetryPolicy;
using connectors::http::TransportFailure;

namespace {

Request get(std::string url = "https://northwind.okta.example/api/v1/users") {
    Request r;
    r.url = std::move(url);
    r.headers.push_back({"authorization", "SSWS tok-SECRET-123"});
    return r;
}

RetryPolicy policy() {
    RetryPolicy p;
    p.max_attempts = 6;
    p.base_delay = Millis{1000};
    p.max_delay = Millis{120'000};
    p.budget = std::chrono::seconds{900};
    return p;
}

const std::vector<std::string> k_secrets{"tok-SECRET-123"};

}  // namespace

TEST_CASE("parse_retry_after reads seconds, HTTP dates and ISO dates", "[unit][http]") {
    const auto now = tp("2026-11-02T02:00:00Z");
    using connectors::http::parse_retry_after;
    CHECK(parse_retry_after("7", now) == Millis{7000});
    CHECK(parse_retry_after(" 120 ", now) == Millis{120'000});
    CHECK(parse_retry_after("0", now) == Millis{0});
    CHECK(parse_retry_after("Mon, 02 Nov 2026 02:00:30 GMT", now) == Millis{30'000});
    CHECK(parse_retry_after("Monday, 02-Nov-26 02:01:00 GMT", now) == Millis{60'000});
    CHECK(parse_retry_after("Mon Nov  2 02:00:05 2026", now) == Millis{5000});
    CHECK(parse_retry_after("2026-11-02T03:00:00Z", now) == Millis{3'600'000});        // Zoom daily limit
    CHECK(parse_retry_after("2026-11-02T02:00:10.000+0000", now) == Millis{10'000});
    SECTION("dates in the past mean retry now") {
        CHECK(parse_retry_after("Sun, 01 Nov 2026 23:00:00 GMT", now) == Millis{0});
        CHECK(parse_retry_after("2026-11-01T00:00:00Z", now) == Millis{0});
    }
    SECTION("garbage is unreadable") {
        CHECK_FALSE(parse_retry_after("", now));
        CHECK_FALSE(parse_retry_after("soon", now));
        CHECK_FALSE(parse_retry_after("-5", now));
        CHECK_FALSE(parse_retry_after("Mon, 32 Nov 2026 02:00:30 GMT", now));
        CHECK_FALSE(parse_retry_after("12 apples", now));
    }
    SECTION("absurdly long waits are capped at a century instead of overflowing (fuzz_http_headers)") {
        const Millis century{std::int64_t{100} * 366 * 24 * 3600 * 1000};
        CHECK(parse_retry_after("99999999999999999", now) == century);
        CHECK(parse_retry_after("99999999999999999999999", now) == century);  // more than 64 bits
        CHECK(parse_retry_after("99999999999999999999.5", now) == century);
        CHECK(parse_retry_after("3153600000", now) == Millis{3'153'600'000'000});  // exactly what it says below the cap
    }
    SECTION("dates beyond what system_clock counts give a long wait, not an overflow (fuzz_http_headers)") {
        const auto far = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now);
        REQUIRE(far);
        CHECK(*far > Millis{std::int64_t{170} * 365 * 24 * 3600 * 1000});
        CHECK(parse_retry_after("9999-12-31T23:59:59Z", now) == far);
        CHECK(parse_retry_after("0001-01-01T00:00:00Z", now) == Millis{0});
    }
}

TEST_CASE("parse_link_next finds rel=next across lines, links and parameter orders", "[unit][http]") {
    using connectors::http::parse_link_next;
    SECTION("Okta: one link per header line") {
        const std::vector<std::string> lines{"<https://n.okta.example/api/v1/users?limit=2>; rel=\"self\"",
                                             "<https://n.okta.example/api/v1/users?after=00u1b&limit=2>; rel=\"next\""};
        CHECK(parse_link_next(lines) == "https://n.okta.example/api/v1/users?after=00u1b&limit=2");
    }
    SECTION("several links on one line") {
        const std::vector<std::string> lines{"<https://a.example/p?page=1>; rel=\"prev\", <https://a.example/p?page=3>; rel=\"next\""};
        CHECK(parse_link_next(lines) == "https://a.example/p?page=3");
    }
    SECTION("parameters in any order, unquoted rel") {
        const std::vector<std::string> lines{"<https://a.example/x?c=2>; type=\"application/json\"; rel=next; title=\"more, please\""};
        CHECK(parse_link_next(lines) == "https://a.example/x?c=2");
    }
    SECTION("quoted rel with several values") {
        const std::vector<std::string> lines{"<https://a.example/y>; rel=\"next self\""};
        CHECK(parse_link_next(lines) == "https://a.example/y");
        const std::vector<std::string> other{"<https://a.example/z>; rel=\"self NEXT\""};
        CHECK(parse_link_next(other) == "https://a.example/z");
    }
    SECTION("commas inside the URL") {
        const std::vector<std::string> lines{"<https://a.example/q?ids=1,2,3>; rel=\"next\""};
        CHECK(parse_link_next(lines) == "https://a.example/q?ids=1,2,3");
    }
    SECTION("no next") {
        CHECK_FALSE(parse_link_next({}));
        CHECK_FALSE(parse_link_next({"<https://a.example/p>; rel=\"self\""}));
        CHECK_FALSE(parse_link_next({"<https://a.example/p>; rel=\"nextish\"", "garbage"}));
    }
}

TEST_CASE("resolve_url handles absolute URLs, absolute paths and relative references", "[unit][http]") {
    using connectors::http::resolve_url;
    const std::string base = "https://northwind.my.salesforce.com/services/data/v60.0/query?q=SELECT+Id";
    CHECK(resolve_url(base, "/services/data/v60.0/query/01gD0000002HU6KIAW-2000") ==
          "https://northwind.my.salesforce.com/services/data/v60.0/query/01gD0000002HU6KIAW-2000");
    CHECK(resolve_url(base, "https://graph.microsoft.com/v1.0/users?$skiptoken=X") ==
          "https://graph.microsoft.com/v1.0/users?$skiptoken=X");
    CHECK(resolve_url(base, "next?x=1") == "https://northwind.my.salesforce.com/services/data/v60.0/next?x=1");
    CHECK(resolve_url(base, "../v61.0/query") == "https://northwind.my.salesforce.com/services/data/v61.0/query");
    CHECK(resolve_url(base, "?q=2") == "https://northwind.my.salesforce.com/services/data/v60.0/query?q=2");
    CHECK(resolve_url(base, "//cdn.example/file.csv") == "https://cdn.example/file.csv");
    CHECK(resolve_url(base, "") == base);
    CHECK(resolve_url("http://127.0.0.1:8080", "/api/v1/users?after=x") == "http://127.0.0.1:8080/api/v1/users?after=x");
    CHECK(resolve_url("http://127.0.0.1:8080/a/b/c", "./d") == "http://127.0.0.1:8080/a/b/d");
}

TEST_CASE("redact removes secrets, their base64 forms and credential-looking values", "[unit][http]") {
    using connectors::http::redact;
    CHECK(redact("token tok-SECRET-123 rejected", k_secrets) == "token [REDACTED] rejected");
    const std::string basic = "admin@northwind.example/token:zd-SECRET-9";
    CHECK(redact("sent dG9rLVNFQ1JFVC0xMjM=", k_secrets) == "sent [REDACTED]");
    CHECK(redact("sent dG9rLVNFQ1JFVC0xMjM", k_secrets) == "sent [REDACTED]");  // unpadded
    CHECK(redact("Basic YWRtaW5Abm9ydGh3aW5kLmV4YW1wbGUvdG9rZW46emQtU0VDUkVULTk=", {basic}) == "Basic [REDACTED]");
    CHECK(redact("Authorization: Bearer abc.def\nnext", {}) == "Authorization: [REDACTED]\nnext");
    CHECK(redact("authorization:SSWS 00abc", {}) == "authorization:[REDACTED]");
    CHECK(redact("https://x.example/a?token=abc&pageToken=keep&access_token=zzz#f", {}) ==
          "https://x.example/a?token=[REDACTED]&pageToken=keep&access_token=[REDACTED]#f");
    CHECK(redact("next_page_token=keep&api_key=k1", {}) == "next_page_token=keep&api_key=[REDACTED]");
    CHECK(redact("nothing secret here", k_secrets) == "nothing secret here");
    // Every secret is looked for in the text as given, not in the markers of the ones before
    // (short secrets used to match inside "[REDACTED]" and grow the text tenfold each; fuzz_http_headers).
    CHECK(redact("RED", {"R", "E", "D"}) == "[REDACTED][REDACTED][REDACTED]");
    CHECK(redact("ab", {"ab", "b"}) == "[REDACTED]");
}

TEST_CASE("is_credential_header recognises auth-bearing headers", "[unit][http]") {
    using connectors::http::is_credential_header;
    CHECK(is_credential_header("Authorization"));
    CHECK(is_credential_header("x-api-key"));
    CHECK(is_credential_header("Cookie"));
    CHECK(is_credential_header("X-Auth-Token"));
    CHECK_FALSE(is_credential_header("link"));
    CHECK_FALSE(is_credential_header("content-type"));
}

TEST_CASE("Client waits exactly what Retry-After says", "[unit][http]") {
    FakeClock clock;
    SECTION("seconds") {
        ScriptedTransport transport{{response(429, "{}", {{"retry-after", "7"}})}, {response(200, "[]")}};
        Client client(transport, clock, policy(), k_secrets, "okta");
        const auto r = client.send(get());
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(clock.waits == std::vector<std::int64_t>{7000});
        CHECK(client.requests_sent() == 2);
        CHECK(client.total_waited() == Millis{7000});
    }
    SECTION("HTTP date") {
        ScriptedTransport transport{{response(503, "", {{"retry-after", "Mon, 02 Nov 2026 02:00:45 GMT"}})},
                                    {response(200, "[]")}};
        Client client(transport, clock, policy(), k_secrets, "m365");
        REQUIRE(client.send(get()));
        CHECK(clock.waits == std::vector<std::int64_t>{45'000});
    }
    SECTION("Okta X-Rate-Limit-Reset in epoch seconds") {
        const auto reset = epoch_seconds(clock.now()) + 12;
        ScriptedTransport transport{
            {response(429, R"({"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."})",
                      {{"x-rate-limit-limit", "600"}, {"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", std::to_string(reset)}})},
            {response(200, "[]")}};
        Client client(transport, clock, policy(), k_secrets, "okta");
        REQUIRE(client.send(get()));
        CHECK(clock.waits == std::vector<std::int64_t>{12'000});  // the reset, not also a quota pause
    }
    SECTION("a wait longer than max_delay fails at once") {
        ScriptedTransport transport{{response(429, R"({"code":429,"message":"Daily limit reached"})",
                                              {{"retry-after", "2026-11-03T00:00:00Z"}})}};
        Client client(transport, clock, policy(), k_secrets, "zoom");
        const auto r = client.send(get());
        REQUIRE_FALSE(r);
        CHECK(clock.waits.empty());
        CHECK_THAT(r.error().message, Catch::Contains("rate limited") && Catch::Contains("Daily limit reached") &&
                                          Catch::Contains("longer than the 120 s limit"));
        CHECK(r.error().where.http_status == 429);
    }
}

TEST_CASE("Client backs off exponentially with full jitter, deterministically", "[unit][http]") {
    auto run = [](std::uint64_t seed) {
        FakeClock clock;
        ScriptedTransport transport{{response(503)}, {response(502)}, {response(500)}, {response(504)}, {response(200)}};
        Client client(transport, clock, policy(), k_secrets, "okta", {}, seed);
        REQUIRE(client.send(get()));
        CHECK(client.requests_sent() == 5);
        return clock.waits;
    };
    const auto waits = run(42);
    REQUIRE(waits.size() == 4);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < waits.size(); ++i) {
        CHECK(waits[i] >= 0);
        CHECK(waits[i] <= 1000 * (std::int64_t{1} << i));
        total += waits[i];
    }
    CHECK(total > 0);
    CHECK(run(42) == waits);
    CHECK(run(7) != waits);
}

TEST_CASE("Client gives up after max_attempts and when the budget runs out", "[unit][http]") {
    FakeClock clock;
    SECTION("attempts") {
        ScriptedTransport transport{{response(503)}, {response(503)}, {response(503, R"({"message":"maintenance"})")}};
        auto p = policy();
        p.max_attempts = 3;
        Client client(transport, clock, p, k_secrets, "hubspot");
        const auto r = client.send(get());
        REQUIRE_FALSE(r);
        CHECK_THAT(r.error().message, Catch::Contains("gave up after 3 attempts") && Catch::Contains("HTTP 503") &&
                                          Catch::Contains("maintenance"));
        CHECK(clock.waits.size() == 2);
        CHECK(r.error().where.source == "hubspot");
    }
    SECTION("budget") {
        ScriptedTransport transport{{response(429, "{}", {{"retry-after", "7"}})},
                                    {response(429, "{}", {{"retry-after", "7"}})}};
        auto p = policy();
        p.budget = std::chrono::seconds{10};
        Client client(transport, clock, p, k_secrets, "adobe");
        const auto r = client.send(get());
        REQUIRE_FALSE(r);
        CHECK(clock.waits == std::vector<std::int64_t>{7000});
        CHECK_THAT(r.error().message, Catch::Contains("retry budget exhausted") && Catch::Contains("budget of 10 s") &&
                                          Catch::Contains("already waited 7 s"));
    }
}

TEST_CASE("Client explains 401 and 403 without showing the token", "[unit][http]") {
    FakeClock clock;
    SECTION("401 names the credential to renew") {
        ScriptedTransport transport{{response(401, R"({"errorCode":"E0000011","errorSummary":"Invalid token provided: tok-SECRET-123"})")}};
        Client client(transport, clock, policy(), k_secrets, "okta");
        client.set_credential_hint("check or renew token (env OKTA_TOKEN)");
        const auto r = client.send(get("https://northwind.okta.example/api/v1/users?token=tok-SECRET-123"));
        REQUIRE_FALSE(r);
        const auto text = r.error().to_string();
        CHECK_THAT(text, Catch::Contains("credential rejected") && Catch::Contains("E0000011: Invalid token provided") &&
                             Catch::Contains("env OKTA_TOKEN"));
        CHECK(r.error().where.http_status == 401);
        CHECK(text.find("tok-SECRET-123") == std::string::npos);
        CHECK(clock.waits.empty());
    }
    SECTION("403 names the permission") {
        ScriptedTransport transport{{response(403, R"({"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}})")}};
        Client client(transport, clock, policy(), k_secrets, "m365");
        client.set_permission_hint("User.Read.All, AuditLog.Read.All");
        const auto r = client.send(get());
        REQUIRE_FALSE(r);
        CHECK_THAT(r.error().message, Catch::Contains("permission missing") &&
                                          Catch::Contains("Authorization_RequestDenied: Insufficient privileges"));
        CHECK_THAT(r.error().hint, Catch::Contains("AuditLog.Read.All"));
    }
}

TEST_CASE("Client retries vendor rate limits sent as 403", "[unit][http]") {
    FakeClock clock;
    ScriptedTransport transport{
        {response(403, R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])")},
        {response(403, R"({"error":{"code":403,"message":"Rate limit","errors":[{"reason":"userRateLimitExceeded"}]}})")},
        {response(200, R"({"done":true,"records":[]})")}};
    Client client(transport, clock, policy(), k_secrets, "salesforce", {}, 3);
    const auto r = client.send(get());
    REQUIRE(r);
    CHECK(client.requests_sent() == 3);
    CHECK(clock.waits.size() == 2);
}

TEST_CASE("Client slows down when the remaining quota runs low", "[unit][http]") {
    FakeClock clock;
    const auto reset = epoch_seconds(clock.now()) + 30;
    ScriptedTransport transport{
        {response(200, "[]", {{"x-rate-limit-limit", "100"}, {"x-rate-limit-remaining", "1"}, {"x-rate-limit-reset", std::to_string(reset)}})},
        {response(200, "[]", {{"x-rate-limit-limit", "100"}, {"x-rate-limit-remaining", "99"}, {"x-rate-limit-reset", std::to_string(reset + 60)}})},
        {response(200, "[]")}};
    std::vector<std::string> why;
    connectors::http::Events events;
    events.waiting = [&](std::string_view, Millis, std::string_view reason) { why.emplace_back(reason); };
    Client client(transport, clock, policy(), k_secrets, "okta", events);
    REQUIRE(client.send(get()));
    CHECK(clock.waits.empty());
    REQUIRE(client.send(get()));
    CHECK(clock.waits == std::vector<std::int64_t>{30'000});
    REQUIRE(client.send(get()));
    CHECK(clock.waits.size() == 1);  // plenty left: no pause
    REQUIRE(why.size() == 1);
    CHECK_THAT(why[0], Catch::Contains("quota"));
}

TEST_CASE("Client survives rate-limit headers with absurd numbers (fuzz_pull)", "[unit][http]") {
    FakeClock clock;
    SECTION("a reset in epoch seconds past year 2262 is a wait too long, not an overflow") {
        ScriptedTransport transport{{response(429, "{}", {{"x-rate-limit-reset", "17935200000"}})}};
        Client client(transport, clock, policy(), k_secrets, "okta");
        const auto r = client.send(get());
        REQUIRE_FALSE(r);
        CHECK_THAT(r.error().message, Catch::Contains("longer than the 120 s limit"));
        CHECK(clock.waits.empty());
    }
    SECTION("quota headers with huge or negative counts") {
        ScriptedTransport transport{
            {response(200, "{}", {{"x-rate-limit-limit", "100"}, {"x-rate-limit-remaining", "0"},
                                  {"x-rate-limit-reset", "-9223372036854775808"},
                                  {"x-hubspot-ratelimit-interval-milliseconds", "9223372036854775807"},
                                  {"sforce-limit-info", "api-usage=-9223372036854775808/9223372036854775807"}})},
            {response(200, "{}")}};
        Client client(transport, clock, policy(), k_secrets, "salesforce");
        REQUIRE(client.send(get()));
        REQUIRE(client.send(get()));
        CHECK(clock.waits == std::vector<std::int64_t>{1000});  // no usable reset: one base delay
    }
}

TEST_CASE("Client paces requests when a daily quota without reset runs low", "[unit][http]") {
    FakeClock clock;
    ScriptedTransport transport{{response(200, "{}", {{"sforce-limit-info", "api-usage=4990/5000"}})}, {response(200, "{}")}};
    Client client(transport, clock, policy(), k_secrets, "salesforce");
    REQUIRE(client.send(get()));
    REQUIRE(client.send(get()));
    CHECK(clock.waits == std::vector<std::int64_t>{1000});
}

TEST_CASE("Client retries connection failures and timeouts, not TLS failures", "[unit][http]") {
    FakeClock clock;
    SECTION("timeout then success") {
        ScriptedTransport transport{fails(TransportFailure::timeout, "GET https://x failed (timed out)"),
                                    fails(TransportFailure::truncated, "GET https://x failed (response cut off)"),
                                    {response(200)}};
        Client client(transport, clock, policy(), k_secrets, "zoom");
        REQUIRE(client.send(get()));
        CHECK(clock.waits.size() == 2);
    }
    SECTION("TLS is final") {
        ScriptedTransport transport{fails(TransportFailure::tls, "GET https://x failed (TLS verification failed)")};
        Client client(transport, clock, policy(), k_secrets, "zoom");
        const auto r = client.send(get());
        REQUIRE_FALSE(r);
        CHECK(transport.requests.size() == 1);
        CHECK_THAT(r.error().message, Catch::Contains("TLS"));
    }
    SECTION("connect failures exhaust attempts") {
        ScriptedTransport transport{fails(TransportFailure::connect, "c1"), fails(TransportFailure::connect, "c2")};
        auto p = policy();
        p.max_attempts = 2;
        Client client(transport, clock, p, k_secrets, "zoom");
        const auto r = client.send(get());
        REQUIRE_FALSE(r);
        CHECK_THAT(r.error().message, Catch::Contains("gave up after 2 attempts") && Catch::Contains("c2"));
    }
}

TEST_CASE("Client quotes the vendor's error text from the common JSON shapes", "[unit][http]") {
    struct Case {
        int status;
        std::string body;
        std::string expected;
    };
    const std::vector<Case> cases{
        {400, R"({"errorCode":"E0000001","errorSummary":"Api validation failed: limit"})", "E0000001: Api validation failed: limit"},
        {400, R"({"error":{"code":"BadRequest","message":"Invalid filter clause"}})", "BadRequest: Invalid filter clause"},
        {400, R"({"error":{"code":400,"message":"Invalid Input: customer"}})", "Invalid Input: customer"},
        {400, R"([{"message":"unexpected token: FORM","errorCode":"MALFORMED_QUERY"}])", "MALFORMED_QUERY: unexpected token: FORM"},
        {400, R"({"ok":false,"error":"invalid_cursor"})", "invalid_cursor"},
        {400, R"({"code":300,"message":"Invalid next_page_token"})", "Invalid next_page_token"},
        {404, R"({"error":"RecordNotFound","description":"Not found"})", "RecordNotFound: Not found"},
        {400, R"({"status":"error","message":"Invalid input JSON","category":"VALIDATION_ERROR"})", "Invalid input JSON"},
        {400, "<html><body>Bad   Request</body></html>", "<html><body>Bad Request</body></html>"},
    };
    for (const auto& c : cases) {
        FakeClock clock;
        ScriptedTransport transport{{response(c.status, c.body)}};
        Client client(transport, clock, policy(), k_secrets, "vendor");
        const auto r = client.send(get());
        REQUIRE_FALSE(r);
        INFO(c.body);
        CHECK_THAT(r.error().message, Catch::Contains(c.expected));
        CHECK(r.error().where.http_status == c.status);
    }
}
