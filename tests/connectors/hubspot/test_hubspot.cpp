// The hubspot connector against recorded Settings API and login-history pages.
#include <catch2/catch.hpp>

#include "../json/vendor_support.hpp"
#include "hubspot/hubspot.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

TEST_CASE("hubspot spec states endpoints, paging and scopes", "[connector][hubspot]") {
    const auto spec = connectors::hubspot::spec();
    CHECK(spec.kind == "hubspot");
    CHECK(spec.default_tool == "HubSpot Marketing Hub");
    CHECK_FALSE(spec.needs_tool);
    REQUIRE(spec.api);
    REQUIRE(spec.api->endpoints.size() == 2);
    const auto& users = spec.api->endpoints[0];
    CHECK(users.name == "users");
    CHECK(users.path == "/settings/v3/users/?limit=100");
    CHECK(users.paging.kind == connectors::PagingKind::body_token);
    CHECK(users.paging.next_pointer == "/paging/next/after");
    CHECK(users.paging.token_param == "after");
    CHECK(users.records_pointer == "/results");
    CHECK(spec.api->endpoints[1].name == "logins");
    CHECK(spec.api->endpoints[1].optional);
    CHECK(contains(spec.api->permissions, "settings.users.read"));
    CHECK(contains(spec.api->permissions, "account-info.security.read"));
    REQUIRE(spec.api->credentials.size() == 1);
    CHECK(spec.api->credentials[0].kind == connectors::AuthKind::bearer);
}

TEST_CASE("hubspot saved pages give one seat per user with the newest successful login", "[connector][hubspot]") {
    const auto read = read_with(connectors::hubspot::spec(), vendor_source("hubspot", {api_fixture("hubspot")}));
    REQUIRE(read.result);
    CHECK(read.report.records == 5);
    CHECK(read.report.rejected == 0);
    CHECK(read.report.seat_tools == std::vector<std::string>{"HubSpot Marketing Hub"});
    CHECK(emails(read.data) == std::vector<std::string>{"ana.ruiz@northwind.example", "raj.patel@northwind.example",
                                                         "li.wei@northwind.example", "mia.chen@northwind.example",
                                                         "tom.becker@northwind.example"});
    for (const auto& seat : read.data.seats) {
        CHECK(seat.tool == "HubSpot Marketing Hub");
        CHECK(seat.source == "hubspot");
        CHECK(seat.has_activity_column);
        CHECK_FALSE(seat.assigned_date);
    }
    const Seat* ana = seat_of(read.data, "ana.ruiz@northwind.example");
    REQUIRE(ana);
    CHECK(ana->license_type == "super admin");
    CHECK(ana->last_activity == at("2026-10-30T14:05:09Z"));  // newest of two, sub-seconds dropped
    CHECK(ana->line == 1);
    const Seat* raj = seat_of(read.data, "raj.patel@northwind.example");
    REQUIRE(raj);
    CHECK(raj->license_type == "310245");
    CHECK(raj->last_activity == at("2026-09-02T09:01:17Z"));  // the newer failed attempt is not use
    CHECK(seat_of(read.data, "li.wei@northwind.example")->last_activity == at("2026-10-28T16:40:02Z"));
    CHECK_FALSE(seat_of(read.data, "mia.chen@northwind.example")->last_activity);
    const Seat* tom = seat_of(read.data, "tom.becker@northwind.example");
    REQUIRE(tom);
    CHECK(tom->license_type == "310247");
    CHECK_FALSE(tom->last_activity);  // only a failed login
    CHECK(tom->line == 5);
}

TEST_CASE("hubspot without login history reads seats with no activity data", "[connector][hubspot]") {
    TempDir dir;
    copy_fixture(api_fixture("hubspot/users"), dir.path() / "users");
    const auto read = read_with(connectors::hubspot::spec(),
                                vendor_source("hubspot", {dir.path()}, {}, "HubSpot Sales Hub"));
    REQUIRE(read.result);
    REQUIRE(read.data.seats.size() == 5);
    CHECK(read.report.seat_tools == std::vector<std::string>{"HubSpot Sales Hub"});
    for (const auto& seat : read.data.seats) {
        CHECK(seat.tool == "HubSpot Sales Hub");
        CHECK_FALSE(seat.has_activity_column);
        CHECK_FALSE(seat.last_activity);
    }
}

TEST_CASE("hubspot reads one saved users page given as a file", "[connector][hubspot]") {
    const auto read = read_with(connectors::hubspot::spec(),
                                vendor_source("hubspot", {api_fixture("hubspot/users/page-00002.json")}));
    REQUIRE(read.result);
    CHECK(emails(read.data) == std::vector<std::string>{"li.wei@northwind.example", "mia.chen@northwind.example"});
}

TEST_CASE("hubspot rejects bad records with their JSON path", "[connector][hubspot]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");
    std::filesystem::create_directories(dir.path() / "logins");
    dir.write("users/page-00001.json", R"({"results": [
        {"id": "1", "email": "ok@northwind.example", "roleId": "9", "superAdmin": false},
        {"id": "2", "roleId": "9", "superAdmin": false},
        {"id": "3", "email": "bad@northwind.example", "superAdmin": "sometimes"}]})");
    dir.write("logins/page-00001.json", R"({"results": [
        {"id": "7", "email": "ok@northwind.example", "loginAt": "last tuesday", "loginSucceeded": true}]})");
    SECTION("collect keeps going and counts each") {
        const auto read = read_with(connectors::hubspot::spec(), vendor_source("hubspot", {dir.path()}),
                                    BadRowPolicy::collect);
        REQUIRE(read.result);
        CHECK(emails(read.data) == std::vector<std::string>{"ok@northwind.example"});
        CHECK(read.report.rejected == 3);
        REQUIRE(read.rows.collected().size() == 3);
        REQUIRE(read.report.errors.size() == 3);
        CHECK(read.report.errors[0].where.json_path == "$.results[0].loginAt");
        CHECK(contains(read.report.errors[0].where.file, "page-00001.json"));
        CHECK(read.report.errors[1].where.json_path == "$.results[1].email");
        CHECK(read.report.errors[1].message == "email is empty");
        CHECK(read.report.errors[2].where.json_path == "$.results[2].superAdmin");
        CHECK(contains(read.rows.collected()[1].raw, R"("id": "2")"));
    }
    SECTION("fail stops at the first one") {
        const auto read = read_with(connectors::hubspot::spec(), vendor_source("hubspot", {dir.path()}));
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().where.json_path == "$.results[0].loginAt");
    }
}

TEST_CASE("hubspot names the page that is malformed", "[connector][hubspot]") {
    TempDir dir;
    copy_fixture(api_fixture("hubspot"), dir.path());
    const auto page = dir.path() / "users" / "page-00002.json";
    const std::string text = slurp_text(page);
    dir.write("users/page-00002.json", text.substr(0, text.size() / 2));  // cut short mid-download
    const auto read = read_with(connectors::hubspot::spec(), vendor_source("hubspot", {dir.path()}));
    REQUIRE_FALSE(read.result);
    CHECK(read.result.error().code == ErrorCode::json_malformed);
    CHECK(read.result.error().where.file == page.string());
    CHECK(contains(read.result.error().to_string(), "page-00002.json"));
}

TEST_CASE("hubspot explains missing pages and CSV paths", "[connector][hubspot]") {
    TempDir dir;
    SECTION("empty folder") {
        const auto read = read_with(connectors::hubspot::spec(), vendor_source("hubspot", {dir.path()}));
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::not_found);
        CHECK(contains(read.result.error().message, "users"));
        CHECK(contains(read.result.error().hint, "stackaudit pull"));
    }
    SECTION("csv export") {
        const auto file = dir.write("hubspot.csv", "Email\nana.ruiz@northwind.example\n");
        const auto read = read_with(connectors::hubspot::spec(), vendor_source("hubspot", {file}));
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::config_invalid);
        CHECK(contains(read.result.error().hint, "seats"));
    }
}
