// The zoom connector against recorded GET /v2/users pages.
#include <catch2/catch.hpp>

#include "../json/vendor_support.hpp"
#include "zoom/zoom.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

TEST_CASE("zoom spec states token paging and the scope", "[connector][zoom]") {
    const auto spec = connectors::zoom::spec();
    CHECK(spec.kind == "zoom");
    CHECK(spec.default_tool == "Zoom");
    REQUIRE(spec.api);
    REQUIRE(spec.api->endpoints.size() == 1);
    const auto& users = spec.api->endpoints[0];
    CHECK(users.path == "/v2/users?status=active&page_size=300");
    CHECK(users.paging.kind == connectors::PagingKind::body_token);
    CHECK(users.paging.next_pointer == "/next_page_token");
    CHECK(users.paging.token_param == "next_page_token");
    CHECK(users.records_pointer == "/users");
    CHECK(contains(spec.api->permissions, "user:read:admin"));
}

TEST_CASE("zoom saved pages: a seat per Licensed user, Basic users ignored", "[connector][zoom]") {
    const auto read = read_with(connectors::zoom::spec(), vendor_source("zoom", {api_fixture("zoom")}));
    REQUIRE(read.result);
    CHECK(read.report.records == 4);
    CHECK(read.report.ignored == 2);
    CHECK(read.report.seat_tools == std::vector<std::string>{"Zoom"});
    CHECK(emails(read.data) == std::vector<std::string>{"adam.myers@northwind.example", "alexander.davis@northwind.example",
                                                         "ana.ruiz@northwind.example", "tom.becker@northwind.example"});
    for (const auto& seat : read.data.seats) {
        CHECK(seat.license_type == "Licensed");
        CHECK(seat.has_activity_column);
        CHECK(seat.tool == "Zoom");
    }
    const Seat* adam = seat_of(read.data, "adam.myers@northwind.example");
    REQUIRE(adam);
    CHECK(adam->last_activity == at("2026-10-31T09:20:00Z"));
    CHECK(adam->assigned_date == day("2026-02-28"));
    CHECK(adam->line == 1);
    const Seat* ana = seat_of(read.data, "ana.ruiz@northwind.example");
    REQUIRE(ana);
    CHECK_FALSE(ana->last_activity);  // never signed in: no last_login_time at all
    CHECK(ana->line == 4);            // numbered across pages, Basic users included
    CHECK(seat_of(read.data, "tom.becker@northwind.example")->last_activity == at("2026-07-01T17:45:00Z"));
}

TEST_CASE("zoom rejects bad users with their JSON path", "[connector][zoom]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");
    dir.write("users/page-00001.json", R"({"next_page_token": "", "users": [
        {"id": "a", "email": "a@northwind.example", "type": 2, "last_login_time": "2026-10-31 09:20"},
        {"id": "b", "email": "b@northwind.example", "type": "2", "created_at": "2026-01-01T00:00:00Z", "last_login_time": 1761955200},
        {"id": "c", "email": "c@northwind.example"},
        {"id": "d", "type": 2},
        {"id": "e", "email": "e@northwind.example", "type": 1}]})");
    const auto read = read_with(connectors::zoom::spec(), vendor_source("zoom", {dir.path()}, {}, "Zoom Workplace"),
                                BadRowPolicy::collect);
    REQUIRE(read.result);
    CHECK(emails(read.data) == std::vector<std::string>{"a@northwind.example", "b@northwind.example"});
    CHECK(read.data.seats[0].last_activity == at("2026-10-31T09:20:00Z"));
    CHECK(read.data.seats[1].last_activity == at("2025-11-01T00:00:00Z"));  // epoch seconds
    CHECK(read.data.seats[1].tool == "Zoom Workplace");
    CHECK(read.report.ignored == 1);
    REQUIRE(read.report.errors.size() == 2);
    CHECK(read.report.errors[0].where.json_path == "$.users[2].type");
    CHECK(read.report.errors[1].where.json_path == "$.users[3].email");
}

TEST_CASE("zoom: an unreadable last_login_time is rejected, not guessed", "[connector][zoom]") {
    TempDir dir;
    const auto file = dir.write("page.json", R"({"users": [{"email": "a@northwind.example", "type": 2, "last_login_time": "soon"}]})");
    const auto read = read_with(connectors::zoom::spec(), vendor_source("zoom", {file}));
    REQUIRE_FALSE(read.result);
    CHECK(read.result.error().where.json_path == "$.users[0].last_login_time");
    CHECK(read.result.error().where.file == file.string());
    CHECK(contains(read.result.error().message, "soon"));
}

TEST_CASE("zoom names a page without its users list", "[connector][zoom]") {
    TempDir dir;
    const auto file = dir.write("page.json", R"({"code": 124, "message": "Invalid access token."})");
    const auto read = read_with(connectors::zoom::spec(), vendor_source("zoom", {file}));
    REQUIRE_FALSE(read.result);
    CHECK(read.result.error().code == ErrorCode::json_malformed);
    CHECK(read.result.error().where.file == file.string());
    CHECK(contains(read.result.error().message, "$.users"));
}
