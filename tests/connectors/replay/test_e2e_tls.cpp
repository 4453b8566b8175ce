// End to end over HTTPS: a server certificate from a throwaway CA is rejected by default and
// accepted only when TransportOptions::ca_file names that CA. Independent of SSL_CERT_FILE and
// CURL_CA_BUNDLE: the CA is always given explicitly.
#include "../test_support.hpp"
#include "e2e_support.hpp"
#include "test_certs.hpp"

using namespace stackaudit;
using namespace stackaudit::test::e2e;
using stackaudit::test::TempDir;
using stackaudit::test::replay::api_data;
using stackaudit::test::replay::ReplayServer;
using stackaudit::test::replay::ServerOptions;

TEST_CASE("TLS: an unknown CA is rejected by default and accepted with ca_file", "[connector][e2e]") {
    if (!test::replay::openssl_available()) {
        WARN("openssl CLI not found (Debian package openssl): TLS end-to-end test skipped");
        return;
    }
    TempDir work;
    const auto certs = test::replay::make_test_certificates(work.path() / "certs", "loopback");
    ReplayServer server(ServerOptions{.roots = {api_data("_generic")},
                                      .tls_cert = certs.cert_file,
                                      .tls_key = certs.key_file,
                                      .control_ca_file = certs.ca_file});
    REQUIRE(server.base_url().rfind("https://127.0.0.1:", 0) == 0);
    FakeClock clock;
    auto config = config_for(server);
    config.retry.max_attempts = 2;
    const auto snapshots = work.path() / "snapshots";

    SECTION("rejected by default") {
        auto transport = http::make_curl_transport(config.transport);
        auto response = transport->send(http::Request{.url = server.base_url() + "/v1/single/items"});
        REQUIRE_FALSE(response.has_value());
        CHECK(transport->last_failure() == http::TransportFailure::tls);
        CHECK(response.error().code == ErrorCode::source_failed);

        auto pulled = connectors::pull_source("secure", generic_spec({single_endpoint()}), config, snapshots, *transport, clock);
        REQUIRE_FALSE(pulled.has_value());
        INFO(pulled.error().to_string());
        CHECK(pulled.error().code == ErrorCode::source_failed);
        CHECK(server.requests().empty());  // nothing, not even the token, went over the untrusted connection
        CHECK(latest_of(snapshots, "secure").empty());
        // A certificate problem is not something retrying fixes.
        CHECK(clock.sleeps().empty());
    }
    SECTION("rejected with another CA") {
        const auto other = test::replay::make_test_certificates(work.path() / "certs", "other");
        config.transport.ca_file = other.ca_file.string();
        auto transport = http::make_curl_transport(config.transport);
        auto response = transport->send(http::Request{.url = server.base_url() + "/v1/single/items"});
        REQUIRE_FALSE(response.has_value());
        CHECK(transport->last_failure() == http::TransportFailure::tls);
    }
    SECTION("accepted with ca_file, paging links stay on https") {
        config.transport.ca_file = certs.ca_file.string();
        auto transport = http::make_curl_transport(config.transport);
        auto pulled = connectors::pull_source("secure", generic_spec({link_endpoint(), single_endpoint()}), config, snapshots,
                                              *transport, clock);
        INFO((pulled ? std::string("pulled") : pulled.error().to_string()));
        REQUIRE(pulled.has_value());
        CHECK(pulled->endpoints.at(0).records == 5);
        CHECK(pulled->endpoints.at(1).records == 3);
        CHECK(server.requests_to("/v1/link/items").size() == 3);
        CHECK(latest_of(snapshots, "secure") == pulled->stamp);
        require_no_secret_in_files(snapshots);
    }
}
