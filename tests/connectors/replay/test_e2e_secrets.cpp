// End to end: the fake token "sa-test-token-0xDEADBEEF" is sent to the server but never lands in
// a snapshot page, meta file, manifest, failure record, error message, event line or server log,
// whatever the vendor echoes back (headers, error bodies, redirects, rate-limit answers).
#include "../test_support.hpp"
#include "e2e_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test::e2e;
using stackaudit::test::TempDir;
using stackaudit::test::replay::api_data;
using stackaudit::test::replay::ReplayServer;

TEST_CASE("no secret appears in snapshots, meta files, errors or logs", "[connector][e2e]") {
    ReplayServer server(api_data("_generic"));
    TempDir snapshots;
    FakeClock clock;
    CapturedEvents captured;
    std::vector<std::string> errors;
    const auto auth = GENERATE(connectors::AuthKind::bearer, connectors::AuthKind::ssws, connectors::AuthKind::basic_token,
                               connectors::AuthKind::header);
    auto config = config_for(server);
    config.options["email"] = "it-admin@northwind.example";  // basic_token sends "email/token:TOKEN" (Zendesk)
    auto pull = [&](const std::string& source, std::vector<Endpoint> endpoints) {
        auto transport = http::make_curl_transport(config.transport);
        auto pulled = connectors::pull_source(source, generic_spec(std::move(endpoints), auth, "X-Api-Key"), config,
                                              snapshots.path(), *transport, clock, captured.events());
        if (!pulled) {
            errors.push_back(pulled.error().to_string());
        }
        clock.advance(std::chrono::minutes{5});
        return pulled;
    };

    // The server echoes the credential in a response header and rate-limits once on the way.
    server.set_faults(R"({"faults": [
        {"path": "/v1/single/items", "times": 1, "action": {"status": 429, "headers": {"Retry-After": "2", "X-Echo": ")" + k_token + R"("}, "body": {"message": "slow down )" + k_token + R"("}}},
        {"path": "/v1/link/items", "query": "*", "times": -1, "action": {"headers": {"X-Debug-Credential": "Bearer )" + k_token + R"("}}}]})");
    auto good = pull("good", {single_endpoint(), link_endpoint(), url_endpoint()});
    INFO((good ? std::string("pulled") : errors.back()));
    REQUIRE(good.has_value());
    const auto sent = server.requests();
    REQUIRE_FALSE(sent.empty());
    // The credential really was sent, so its absence below means redaction, not omission.
    bool sent_somewhere = false;
    for (const auto& request : sent) {
        for (const auto& [name, value] : request.headers) {
            sent_somewhere = sent_somewhere || carries_token(value);
        }
    }
    CHECK(sent_somewhere);

    // Failures whose messages quote the vendor, which quotes the token.
    server.set_faults(R"({"faults": [{"path": "/v1/single/items", "times": -1, "action": {"status": 401, "body": {"errorSummary": "Invalid token )" + k_token + R"("}}}]})");
    REQUIRE_FALSE(pull("unauthorized", {single_endpoint()}).has_value());
    server.set_faults(R"({"faults": [{"path": "/v1/single/items", "times": -1, "action": {"status": 403, "body": {"error": "missing_scope", "needed": "users:read", "provided": ")" + k_token + R"("}}}]})");
    REQUIRE_FALSE(pull("forbidden", {single_endpoint()}).has_value());
    server.set_faults(R"({"faults": [{"path": "/v1/single/items", "times": -1, "action": {"status": 503, "headers": {"Retry-After": "1"}, "body": "token )" + k_token + R"( is fine, we are not"}}]})");
    REQUIRE_FALSE(pull("unavailable", {single_endpoint()}).has_value());
    server.set_faults(R"({"faults": [{"path": "/v1/single/items", "times": -1, "action": {"body": "{\"broken\": "}}]})");
    REQUIRE_FALSE(pull("broken", {single_endpoint()}).has_value());

    CHECK(errors.size() == 4);
    for (const auto& error : errors) {
        require_no_secret("error", error);
    }
    for (const auto& line : captured.lines) {
        require_no_secret("event line", line);
    }
    for (const auto& line : server.log_lines()) {
        require_no_secret("server log line", line);
    }
    // Pages, meta files, manifests and failure records.
    require_no_secret_in_files(snapshots.path());
    CHECK(std::filesystem::exists(snapshots.path() / "unauthorized" / "LAST_FAILURE.json"));
}
