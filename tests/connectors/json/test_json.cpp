// The generic json connector: any JSON list mapped through JSON pointers, and the page reader
// every vendor connector shares.
#include <catch2/catch.hpp>

#include "json/json_connector.hpp"
#include "json/json_pages.hpp"
#include "vendor_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

namespace {
const std::map<std::string, std::string> k_flat = {
    {"email", "/email"}, {"license_type", "seat_type"}, {"last_activity", "last_active"}, {"assigned_date", "$.created_at"}};
}

TEST_CASE("json spec needs a tool and documents its options", "[connector][json]") {
    const auto spec = connectors::json::spec();
    CHECK(spec.kind == "json");
    CHECK(spec.needs_tool);
    CHECK(spec.multiple);
    REQUIRE(spec.api);
    CHECK(spec.api->default_base_url == "{url}");
    REQUIRE(spec.api->endpoints.size() == 1);
    CHECK(spec.api->endpoints[0].paging.kind == connectors::PagingKind::none);
    std::vector<std::string> names;
    for (const auto& option : spec.options) {
        names.push_back(option.substr(0, option.find(':')));
    }
    CHECK(names == std::vector<std::string>{"records_pointer", "email", "license_type", "last_activity", "assigned_date", "url"});
}

TEST_CASE("json reads a bare array with pointer and dotted mappings", "[connector][json]") {
    const auto read = read_with(connectors::json::spec(),
                                vendor_source("json", {api_fixture("json/seats.json")}, k_flat, "Figma"));
    REQUIRE(read.result);
    CHECK(read.report.records == 3);
    CHECK(read.report.seat_tools == std::vector<std::string>{"Figma"});
    CHECK(emails(read.data) == std::vector<std::string>{"ana.ruiz@northwind.example", "raj.patel@northwind.example",
                                                         "li.wei@northwind.example"});
    const Seat& ana = read.data.seats[0];
    CHECK(ana.tool == "Figma");
    CHECK(ana.license_type == "full");
    CHECK(ana.last_activity == at("2026-10-30T14:20:00Z"));  // +02:00 offset
    CHECK(ana.assigned_date == day("2025-03-01"));
    CHECK(ana.has_activity_column);
    CHECK(read.data.seats[1].last_activity == at("2025-11-01T00:00:00Z"));  // epoch seconds as a number
    CHECK(read.data.seats[1].assigned_date == day("2025-03-01"));
    CHECK_FALSE(read.data.seats[2].last_activity);  // null
    CHECK(read.data.seats[2].line == 3);
}

TEST_CASE("json reads saved pages with nested fields", "[connector][json]") {
    const std::map<std::string, std::string> options = {{"records_pointer", "/data"},
                                                        {"email", "/member/profile/mail"},
                                                        {"license_type", "license.plan"},
                                                        {"last_activity", "/activity/lastSignIn"}};
    const auto read = read_with(connectors::json::spec(),
                                vendor_source("json", {api_fixture("json/saved")}, options, "Miro"));
    REQUIRE(read.result);
    CHECK(emails(read.data) == std::vector<std::string>{"mia.chen@northwind.example", "tom.becker@northwind.example",
                                                         "sam.okafor@northwind.example"});
    CHECK(read.data.seats[0].license_type == "Editor");
    CHECK(read.data.seats[0].last_activity == at("2026-10-29T08:00:00Z"));
    CHECK_FALSE(read.data.seats[2].last_activity);  // 1970-01-01 = never
    CHECK(read.data.seats[2].line == 3);
    CHECK_FALSE(read.data.seats[0].assigned_date);
}

TEST_CASE("json without last_activity says the seats carry no activity data", "[connector][json]") {
    const auto read = read_with(connectors::json::spec(),
                                vendor_source("json", {api_fixture("json/seats.json")}, {{"email", "email"}}, "Figma"));
    REQUIRE(read.result);
    REQUIRE(read.data.seats.size() == 3);
    CHECK_FALSE(read.data.seats[0].has_activity_column);
    CHECK(read.data.seats[0].license_type.empty());
}

TEST_CASE("json rejects bad records with their JSON path", "[connector][json]") {
    auto options = k_flat;
    options["records_pointer"] = "data";
    const auto source = vendor_source("json", {api_fixture("json/bad.json")}, options, "Figma");
    SECTION("collect") {
        const auto read = read_with(connectors::json::spec(), source, BadRowPolicy::collect);
        REQUIRE(read.result);
        CHECK(emails(read.data) == std::vector<std::string>{"ok.person@northwind.example"});
        CHECK(read.report.rejected == 5);
        REQUIRE(read.rows.collected().size() == 5);
        REQUIRE(read.report.errors.size() == 5);
        CHECK(read.report.errors[0].where.json_path == "$.data[1].email");
        CHECK(read.report.errors[0].message == "email is empty");
        CHECK(read.report.errors[1].where.json_path == "$.data[2].email");
        CHECK(contains(read.report.errors[1].message, "not-an-email"));
        CHECK(read.report.errors[2].where.json_path == "$.data[3].last_active");
        CHECK(contains(read.report.errors[2].message, "yesterday"));
        CHECK(read.report.errors[3].where.json_path == "$.data[4].seat_type");
        CHECK(contains(read.report.errors[3].message, "an object"));
        CHECK(read.report.errors[4].where.json_path == "$.data[5].email");
        CHECK(contains(read.report.errors[4].message, "not an object"));
        CHECK(read.rows.collected()[4].raw == "\"just a string\"");
        CHECK(contains(read.report.errors[0].to_string(), "bad.json"));
    }
    SECTION("fail") {
        const auto read = read_with(connectors::json::spec(), source);
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().where.json_path == "$.data[1].email");
        CHECK(contains(read.result.error().hint, "--on-bad-row"));
    }
}

TEST_CASE("json explains configuration mistakes", "[connector][json]") {
    SECTION("no email option") {
        const auto read = read_with(connectors::json::spec(), vendor_source("json", {api_fixture("json/seats.json")}, {}, "Figma"));
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::config_invalid);
        CHECK(contains(read.result.error().message, "option email"));
        CHECK(read.result.error().where.file == "stackaudit.yaml");
    }
    SECTION("records_pointer that is not an array") {
        const auto read = read_with(connectors::json::spec(),
                                    vendor_source("json", {api_fixture("json/saved")},
                                                  {{"email", "/email"}, {"records_pointer", "/links"}}, "Miro"));
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::json_malformed);
        CHECK(contains(read.result.error().where.file, "page-00001.json"));
        CHECK(contains(read.result.error().message, "an object at $.links"));
    }
    SECTION("a file that is not JSON") {
        TempDir dir;
        const auto file = dir.write("list.json", "[{\"email\": \"a@northwind.example\"}, {\"email\": ");
        const auto read = read_with(connectors::json::spec(), vendor_source("json", {file}, {{"email", "/email"}}, "Figma"));
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::json_malformed);
        CHECK(read.result.error().where.file == file.string());
    }
    SECTION("trailing text after the JSON value") {
        TempDir dir;
        const auto file = dir.write("list.json", "[{\"email\": \"a@northwind.example\"}] [");
        const auto read = read_with(connectors::json::spec(), vendor_source("json", {file}, {{"email", "/email"}}, "Figma"));
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::json_malformed);
    }
    SECTION("a byte order mark is fine") {
        TempDir dir;
        const auto file = dir.write("list.json", "\xEF\xBB\xBF[{\"email\": \"a@northwind.example\"}]");
        const auto read = read_with(connectors::json::spec(), vendor_source("json", {file}, {{"email", "/email"}}, "Figma"));
        REQUIRE(read.result);
        CHECK(read.data.seats.size() == 1);
    }
}

TEST_CASE("json pointers and paths", "[connector][json]") {
    using namespace connectors::json_pages;
    CHECK(json_path("") == "$");
    CHECK(json_path("/users/12/last_login_time") == "$.users[12].last_login_time");
    CHECK(json_path("/a~1b/c~0d") == "$.a/b.c~d");
    CHECK(to_pointer("user.email") == "/user/email");
    CHECK(to_pointer("/user/email") == "/user/email");
    CHECK(to_pointer("$.user.email") == "/user/email");
    CHECK(to_pointer("") == "");

    Record record(R"({"n": 25, "s": "25", "f": 2.5, "b": true, "bs": "false", "list": ["x", 3], "nil": null, "o": {"k": 1}})",
                  "page.json", "$.items[0]", 1);
    CHECK(record.integer("/n").value() == 25);
    CHECK(record.integer("/s").value() == 25);
    CHECK_FALSE(record.integer("/f"));
    CHECK(record.text("/f").value() == "2.5");
    CHECK(record.boolean("/b").value() == true);
    CHECK(record.boolean("/bs").value() == false);
    CHECK(record.strings("/list").value() == std::vector<std::string>{"x", "3"});
    CHECK_FALSE(record.text("/nil").value());
    CHECK_FALSE(record.text("/missing").value());
    CHECK_FALSE(record.text("/o"));
    CHECK(record.text("/o/k").value() == "1");
    CHECK(record.path("/o/k") == "$.items[0].o.k");
}

TEST_CASE("json record with broken JSON inside answers every later lookup with an error", "[connector][json]") {
    // The page-level check only balances brackets, so a stray byte after a value reaches the
    // record; simdjson abandons the document at the first lookup that meets it, and a second
    // lookup used to dereference the dropped parser (found by fuzz_vendor_pages).
    using namespace connectors::json_pages;
    Record record(std::string("{\"role\":\"agent\"\0}", 17), "page.json", "$.users[0]", 1);
    CHECK(record.text("/role").value() == "agent");
    const auto active = record.boolean("/active");
    REQUIRE_FALSE(active);
    CHECK(active.error().code == ErrorCode::json_malformed);
    const auto email = record.text("/email");
    REQUIRE_FALSE(email);
    CHECK(email.error().code == ErrorCode::json_malformed);
    CHECK_FALSE(record.strings("/groups"));
    CHECK_FALSE(record.integer("/id"));
}
