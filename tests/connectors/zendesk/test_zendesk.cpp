// The zendesk connector against recorded GET /api/v2/users.json pages (cursor paging).
#include <catch2/catch.hpp>

#include "../json/vendor_support.hpp"
#include "zendesk/zendesk.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

TEST_CASE("zendesk spec states links.next paging and basic token auth", "[connector][zendesk]") {
    const auto spec = connectors::zendesk::spec();
    CHECK(spec.kind == "zendesk");
    CHECK(spec.default_tool == "Zendesk");
    REQUIRE(spec.api);
    CHECK(spec.api->default_base_url == "https://{subdomain}.zendesk.com");
    REQUIRE(spec.api->endpoints.size() == 1);
    const auto& users = spec.api->endpoints[0];
    CHECK(users.path == "/api/v2/users.json?page[size]=100&role[]=agent&role[]=admin");
    CHECK(users.paging.kind == connectors::PagingKind::body_url);
    CHECK(users.paging.next_pointer == "/links/next");
    CHECK(users.paging.done_pointer == "/meta/has_more");
    CHECK_FALSE(users.paging.done_when);
    REQUIRE(spec.api->credentials.size() == 1);
    CHECK(spec.api->credentials[0].kind == connectors::AuthKind::basic_token);
}

TEST_CASE("zendesk saved pages: agents and admins hold seats, suspended ones marked", "[connector][zendesk]") {
    const auto read = read_with(connectors::zendesk::spec(), vendor_source("zendesk", {api_fixture("zendesk")}));
    REQUIRE(read.result);
    CHECK(read.report.records == 4);
    CHECK(read.report.ignored == 0);
    CHECK(emails(read.data) == std::vector<std::string>{"adam.myers@northwind.example", "nina.owusu@northwind.example",
                                                         "adam.roberts@northwind.example", "priya.nair@northwind.example"});
    const Seat* adam = seat_of(read.data, "adam.myers@northwind.example");
    REQUIRE(adam);
    CHECK(adam->license_type == "agent");
    CHECK(adam->last_activity == at("2026-10-29T12:18:52Z"));
    CHECK(adam->assigned_date == day("2024-08-02"));
    CHECK(adam->has_activity_column);
    CHECK(seat_of(read.data, "nina.owusu@northwind.example")->license_type == "admin");
    CHECK(seat_of(read.data, "adam.roberts@northwind.example")->license_type == "suspended agent");
    const Seat* priya = seat_of(read.data, "priya.nair@northwind.example");
    REQUIRE(priya);
    CHECK_FALSE(priya->last_activity);  // last_login_at null: never signed in
    CHECK(priya->line == 4);
}

TEST_CASE("zendesk ignores end users and deleted users, rejects bad ones", "[connector][zendesk]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");
    dir.write("users/page-00001.json", R"({"users": [
        {"id": 1, "email": "customer@example.org", "role": "end-user", "active": true, "suspended": false},
        {"id": 2, "email": "gone@northwind.example", "role": "agent", "active": false, "suspended": false},
        {"id": 3, "email": "ok@northwind.example", "role": "Admin", "active": true, "suspended": false, "last_login_at": "2026-10-01T10:00:00Z", "created_at": "2020-05-05T00:00:00Z"}
      ], "meta": {"has_more": true, "after_cursor": "x"}, "links": {"next": "https://northwind.zendesk.com/api/v2/users.json?page%5Bafter%5D=x"}})");
    dir.write("users/page-00002.json", R"({"users": [
        {"id": 4, "email": "agent4@northwind.example", "role": "agent", "suspended": false, "created_at": "13/45/2026"},
        {"id": 5, "email": "agent5@northwind.example"}
      ], "meta": {"has_more": false}, "links": {"next": null}})");
    const auto read = read_with(connectors::zendesk::spec(), vendor_source("zendesk", {dir.path()}), BadRowPolicy::collect);
    REQUIRE(read.result);
    CHECK(emails(read.data) == std::vector<std::string>{"ok@northwind.example"});
    CHECK(read.data.seats[0].license_type == "admin");
    CHECK(read.data.seats[0].line == 3);
    CHECK(read.report.ignored == 2);
    REQUIRE(read.report.errors.size() == 2);
    CHECK(read.report.errors[0].where.json_path == "$.users[0].created_at");
    CHECK(contains(read.report.errors[0].where.file, "page-00002.json"));
    CHECK(read.report.errors[1].where.json_path == "$.users[1].role");
}

TEST_CASE("zendesk names a page that is not JSON", "[connector][zendesk]") {
    TempDir dir;
    copy_fixture(api_fixture("zendesk"), dir.path());
    dir.write("users/page-00003.json", "<html><body>502 Bad Gateway</body></html>");
    const auto read = read_with(connectors::zendesk::spec(), vendor_source("zendesk", {dir.path()}));
    REQUIRE_FALSE(read.result);
    CHECK(read.result.error().code == ErrorCode::json_malformed);
    CHECK(contains(read.result.error().where.file, "page-00003.json"));
}
