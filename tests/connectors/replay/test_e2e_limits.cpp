// End to end, issue #7 "Limits": a vendor response bigger than max_response_bytes is refused by
// the transport with a clear error (announced by Content-Length, or only known once a gzip body
// is inflated), and a pull that meets one fails cleanly instead of holding the body in memory.
#include "../test_support.hpp"
#include "e2e_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test::e2e;
using stackaudit::test::TempDir;
using stackaudit::test::replay::api_data;
using stackaudit::test::replay::ReplayServer;

TEST_CASE("a response larger than max_response_bytes is refused with a clear error", "[connector][e2e][limits]") {
    ReplayServer server{api_data("_generic")};
    ApiSourceConfig config = config_for(server);

    SECTION("announced by Content-Length (the single page is 496 bytes)") {
        config.transport.max_response_bytes = 64;
        auto transport = http::make_curl_transport(config.transport);
        auto response = transport->send(http::Request{.url = server.base_url() + "/v1/single/items"});
        REQUIRE_FALSE(response.has_value());
        CHECK(transport->last_failure() == http::TransportFailure::too_large);
        CHECK(response.error().code == ErrorCode::source_failed);
        CHECK(has(response.error().message, "response too large"));
        CHECK(has(response.error().message, "larger than 64 bytes"));
        CHECK(has(response.error().hint, "responses are limited to 64 bytes"));
    }
    SECTION("a gzip body that only inflates past the limit") {
        config.transport.max_response_bytes = 300;  // the url page is 443 bytes, less when compressed
        auto transport = http::make_curl_transport(config.transport);
        auto response = transport->send(http::Request{.url = server.base_url() + "/v1/url/items"});
        REQUIRE_FALSE(response.has_value());
        CHECK(transport->last_failure() == http::TransportFailure::too_large);
        CHECK(has(response.error().hint, "responses are limited to 300 bytes"));
    }
    SECTION("a pull that meets one fails, names the endpoint and keeps no snapshot") {
        config.transport.max_response_bytes = 64;
        TempDir snapshots;
        FakeClock clock;
        CapturedEvents captured;
        auto transport = http::make_curl_transport(config.transport);
        auto pulled = connectors::pull_source("generic", generic_spec({single_endpoint()}), config, snapshots.path(),
                                              *transport, clock, captured.events());
        REQUIRE_FALSE(pulled.has_value());
        INFO(pulled.error().to_string());
        CHECK(has(pulled.error().to_string(), "/v1/single/items"));
        CHECK(has(pulled.error().to_string(), "larger than 64 bytes"));
        CHECK(latest_of(snapshots.path(), "generic").empty());
    }
}
