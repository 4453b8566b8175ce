// Directory reader tests: fixture export, overrides, missing columns, bad rows, BOM and CRLF.
#include "test_support.hpp"

#include "stackaudit/core/strings.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

TEST_CASE("directory reads an HR export", "[connector][unit]") {
    auto outcome = read_one(source("directory", {data_path("directory.csv")}));
    const auto& report = outcome.report();
    REQUIRE(report.ok);
    CHECK(report.records == 8);
    CHECK(report.rejected == 0);
    const auto& people = outcome.data.people;
    REQUIRE(people.size() == 8);
    CHECK(people[0].email == "ana.ruiz@northwind.example");
    CHECK(people[0].user_id == "00u1a2b3c4D5e6F7g8h9");
    CHECK(people[0].department == "Marketing");
    CHECK(people[0].team == "Demand Generation");
    CHECK(people[0].status == PersonStatus::active);
    CHECK_FALSE(people[0].termination_date.has_value());
    CHECK(people[0].line == 2);
    CHECK(people[3].display_name == "Becker, Tom");
    CHECK(people[3].status == PersonStatus::suspended);
    REQUIRE(people[3].termination_date.has_value());
    CHECK(format_date(*people[3].termination_date) == "2026-09-30");
    CHECK(people[4].status == PersonStatus::deprovisioned);
    REQUIRE(people[4].termination_date.has_value());
    CHECK(format_date(*people[4].termination_date) == "2026-08-15");  // M/D/YYYY
    CHECK(people[5].status == PersonStatus::active);  // "active" in lower case
    CHECK(people[6].status == PersonStatus::locked_out);
    CHECK(people[6].team.empty());
    CHECK(people[7].status == PersonStatus::other);
    CHECK(people[7].status_text == "On Leave");
}

TEST_CASE("directory maps an identity provider's own headers", "[connector][unit]") {
    auto outcome = read_one(source("directory", {data_path("directory_okta.csv")},
                                   {{"user_id", "Okta ID"},
                                    {"email", "Primary email"},
                                    {"display_name", "Full name"},
                                    {"status", "Okta status"},
                                    {"termination_date", "Last day"}}));
    REQUIRE(outcome.report().ok);
    const auto& people = outcome.data.people;
    REQUIRE(people.size() == 2);
    CHECK(people[0].user_id == "00u9x8y7z6");
    CHECK(people[0].email == "mia.santos@northwind.example");
    CHECK(people[0].display_name == "Mia Santos");
    CHECK(people[0].department == "Customer Success");  // default header, matched case-insensitively
    CHECK(people[1].status == PersonStatus::deprovisioned);
    CHECK(format_date(*people[1].termination_date) == "2026-06-01");
}

TEST_CASE("directory without its email column names the file and suggests a header", "[connector][unit]") {
    auto outcome = read_one(source("directory", {data_path("directory_okta.csv")}, {{"status", "Okta status"}}));
    const auto& report = outcome.report();
    REQUIRE_FALSE(report.ok);
    const Error& error = report.errors.front();
    CHECK(error.code == ErrorCode::csv_missing_column);
    CHECK(contains(error.to_string(), "directory_okta.csv"));
    CHECK(contains(error.to_string(), "email"));
    CHECK(contains(error.to_string(), "Primary email"));  // the closest header found
}

TEST_CASE("directory bad rows under fail, skip and collect", "[connector][unit]") {
    const auto config = source("directory", {data_path("directory_bad.csv")});

    SECTION("fail stops at the first bad row") {
        auto outcome = read_one(config, BadRowPolicy::fail);
        REQUIRE_FALSE(outcome.report().ok);
        const Error& error = outcome.report().errors.front();
        CHECK(error.where.line == 3);
        CHECK(error.where.source == "directory");
        CHECK(contains(error.where.file, "directory_bad.csv"));
        CHECK(contains(error.message, "email"));
        CHECK(contains(error.message, "is empty"));
        CHECK(contains(error.hint, "--on-bad-row"));
        CHECK(outcome.data.people.empty());
    }
    SECTION("skip goes on and counts") {
        auto outcome = read_one(config, BadRowPolicy::skip);
        const auto& report = outcome.report();
        REQUIRE(report.ok);
        CHECK(report.records == 3);
        CHECK(report.rejected == 3);
        CHECK(outcome.rows.rejected("directory") == 3);
        REQUIRE(outcome.data.people.size() == 3);
        CHECK(outcome.data.people[1].display_name == "Li\nWei");
        CHECK(outcome.data.people[1].line == 4);
        CHECK(outcome.data.people[2].email == "omar.haddad@northwind.example");
        CHECK(outcome.data.people[2].line == 8);  // the quoted newline shifted it
        REQUIRE(report.errors.size() == 3);
        CHECK(report.errors[0].where.line == 3);
        CHECK(report.errors[1].where.line == 6);
        CHECK(contains(report.errors[1].message, "termination_date"));
        CHECK(contains(report.errors[1].message, "2026-13-45"));
        CHECK(report.errors[2].where.line == 7);
        CHECK(report.errors[2].code == ErrorCode::csv_malformed);
    }
    SECTION("collect keeps the raw rows") {
        auto outcome = read_one(config, BadRowPolicy::collect);
        REQUIRE(outcome.report().ok);
        const auto& rejected = outcome.rows.collected();
        REQUIRE(rejected.size() == 3);
        CHECK(rejected[0].line == 3);
        CHECK(rejected[0].source == "directory");
        CHECK(rejected[0].raw == "00u2,,Blank Email,Marketing,Brand,ACTIVE,");
        CHECK(rejected[1].line == 6);
        CHECK(contains(rejected[1].raw, "2026-13-45"));
        CHECK(rejected[2].line == 7);
    }
}

TEST_CASE("directory rejects a repeated email", "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("people.csv",
                                "email,status\n"
                                "a@northwind.example,ACTIVE\n"
                                "A@Northwind.example ,SUSPENDED\n"
                                "b@northwind.example,\n"
                                "not-an-email,ACTIVE\n");
    auto outcome = read_one(source("directory", {file}), BadRowPolicy::collect);
    REQUIRE(outcome.report().ok);
    CHECK(outcome.data.people.size() == 1);
    const auto& errors = outcome.report().errors;
    REQUIRE(errors.size() == 3);
    CHECK(contains(errors[0].message, "already listed on line 2"));
    CHECK(errors[0].where.line == 3);
    CHECK(contains(errors[1].message, "status"));
    CHECK(contains(errors[2].message, "not an email address"));
}

TEST_CASE("directory accepts a UTF-8 BOM, CRLF line ends and another delimiter", "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("people.csv",
                                "\xEF\xBB\xBFuser_id;Email;status;department\r\n"
                                "00u1;ana.ruiz@northwind.example;ACTIVE;Marketing\r\n"
                                "00u2;\"raj\r\n.patel@northwind.example\";ACTIVE;Marketing\r\n"
                                "00u3;li.wei@northwind.example;ACTIVE;\"IT\"\r\n");
    auto config = source("directory", {file});
    config.options["delimiter"] = ";";
    auto outcome = read_one(config, BadRowPolicy::skip);
    REQUIRE(outcome.report().ok);
    REQUIRE(outcome.data.people.size() == 2);
    CHECK(outcome.data.people[0].user_id == "00u1");
    CHECK(outcome.data.people[0].department == "Marketing");
    CHECK(outcome.data.people[1].department == "IT");
    CHECK(outcome.data.people[1].line == 5);
    REQUIRE(outcome.report().errors.size() == 1);
    CHECK(outcome.report().errors[0].where.line == 3);
}
