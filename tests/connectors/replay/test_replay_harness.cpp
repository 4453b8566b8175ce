// The harness itself: the replay server starts on a free loopback port, answers its control API,
// rejects a malformed fault list, and is gone once the harness is destroyed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "replay_server.hpp"

using stackaudit::test::replay::api_data;
using stackaudit::test::replay::ReplayServer;

namespace {

bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

TEST_CASE("the replay harness starts, answers control calls and stops", "[connector][replay]") {
    int port = 0;
    {
        ReplayServer server(api_data("_generic"));
        port = server.port();
        REQUIRE(port > 0);
        CHECK(server.base_url() == "http://127.0.0.1:" + std::to_string(port));
        CHECK(accepts_connections(port));
        CHECK(server.requests().empty());
        server.set_faults(R"({"faults": [{"path": "/v1/single/items", "times": 1, "action": {"status": 429}}]})");
        CHECK_THROWS_WITH(server.set_faults(R"({"faults": [{"path": "/x"}]})"), Catch::Contains("action"));
        server.reset();
        CHECK(server.requests().empty());
        CHECK_FALSE(server.log_lines().empty());  // "listening on ..."
    }
    CHECK_FALSE(accepts_connections(port));
}

TEST_CASE("the replay harness reports a server that cannot start", "[connector][replay]") {
    CHECK_THROWS_WITH(ReplayServer(api_data("no-such-fixture")), Catch::Contains("routes.json"));
}
