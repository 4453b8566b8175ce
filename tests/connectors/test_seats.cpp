// Seats reader tests: vendor exports mapped with `columns:`, timestamps, missing activity column.
#include "test_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

TEST_CASE("seats reads a Salesforce user export", "[connector][unit]") {
    auto outcome = read_one(source("seats", {data_path("seats/salesforce_users.csv")},
                                   {{"email", "Email"},
                                    {"license_type", "User License"},
                                    {"assigned_date", "Created Date"},
                                    {"last_activity", "Last Login"}},
                                   "Salesforce"));
    const auto& report = outcome.report();
    REQUIRE(report.ok);
    CHECK(report.name == "seats:Salesforce");
    CHECK(report.records == 5);
    const auto& seats = outcome.data.seats;
    REQUIRE(seats.size() == 5);
    CHECK(seats[0].tool == "Salesforce");
    CHECK(seats[0].source == "seats:Salesforce");
    CHECK(seats[0].email == "omar.haddad@northwind.example");
    CHECK(seats[0].license_type == "Salesforce");
    CHECK(format_date(seats[0].assigned_date.value()) == "2023-02-14");
    CHECK(seats[0].has_activity_column);
    CHECK(seats[0].last_activity == at("2026-10-30T08:01:12Z"));
    CHECK(seats[1].email == "tom.becker@northwind.example");
    CHECK_FALSE(seats[3].last_activity.has_value());  // empty
    CHECK_FALSE(seats[4].last_activity.has_value());  // 1970-01-01: never
    CHECK(seats[4].has_activity_column);
    CHECK(seats[4].line == 6);
}

TEST_CASE("seats from an export without an activity column", "[connector][unit]") {
    auto outcome = read_one(source("seats", {data_path("seats/adobe_users.csv")},
                                   {{"email", "Email"}, {"license_type", "Product Configurations"}},
                                   "Adobe Creative Cloud"));
    REQUIRE(outcome.report().ok);
    const auto& seats = outcome.data.seats;
    REQUIRE(seats.size() == 3);
    CHECK(seats[0].license_type == "Creative Cloud All Apps, Adobe Stock");
    for (const auto& seat : seats) {
        CHECK_FALSE(seat.has_activity_column);
        CHECK_FALSE(seat.last_activity.has_value());
        CHECK_FALSE(seat.assigned_date.has_value());
    }
}

TEST_CASE("seats timestamps in Zoom and Slack spellings", "[connector][unit]") {
    auto zoom = read_one(source("seats", {data_path("seats/zoom_users.csv")},
                                {{"email", "Email"}, {"license_type", "User Type"},
                                 {"assigned_date", "Created At"}, {"last_activity", "Last Login Time"}},
                                "Zoom"));
    REQUIRE(zoom.report().ok);
    REQUIRE(zoom.data.seats.size() == 3);
    CHECK(zoom.data.seats[0].last_activity == at("2026-10-29T07:55:41Z"));
    CHECK_FALSE(zoom.data.seats[2].last_activity.has_value());

    auto slack = read_one(source("seats", {data_path("seats/slack_members.csv")},
                                 {{"email", "email"}, {"license_type", "status"}, {"last_activity", "date_last"}},
                                 "Slack"));
    REQUIRE(slack.report().ok);
    REQUIRE(slack.data.seats.size() == 3);
    CHECK(slack.data.seats[0].last_activity == at("2026-10-31T08:00:00Z"));  // epoch seconds
    CHECK(slack.data.seats[1].last_activity == at("2025-11-01T00:00:00Z"));
    CHECK_FALSE(slack.data.seats[2].last_activity.has_value());  // 0: never
}

TEST_CASE("seats bad rows and mapped columns that are missing", "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("zoom.csv",
                                "Email,Last Login Time\n"
                                "li.wei@northwind.example,2026-10-29T07:55:41Z\n"
                                ",2026-10-29T07:55:41Z\n"
                                "mia.santos@northwind.example,yesterday\n"
                                "ben.cole@northwind.example,1761955200000\n");
    SECTION("bad timestamp and blank email") {
        auto outcome = read_one(source("seats", {file}, {{"email", "Email"}, {"last_activity", "Last Login Time"}}, "Zoom"),
                                BadRowPolicy::collect);
        REQUIRE(outcome.report().ok);
        CHECK(outcome.report().records == 2);
        CHECK(outcome.data.seats[1].last_activity == at("2025-11-01T00:00:00Z"));  // epoch milliseconds
        const auto& rejected = outcome.rows.collected();
        REQUIRE(rejected.size() == 2);
        CHECK(rejected[0].line == 3);
        CHECK(rejected[0].source == "seats:Zoom");
        CHECK(rejected[1].line == 4);
        CHECK(contains(rejected[1].reason, "yesterday"));
    }
    SECTION("fail stops at the first") {
        auto outcome = read_one(source("seats", {file}, {{"email", "Email"}, {"last_activity", "Last Login Time"}}, "Zoom"));
        REQUIRE_FALSE(outcome.report().ok);
        CHECK(outcome.report().errors.front().where.line == 3);
        CHECK(outcome.data.seats.empty());
    }
    SECTION("a mapped column the file lacks is an error, not 'no activity data'") {
        auto outcome = read_one(source("seats", {file}, {{"email", "Email"}, {"last_activity", "Last Sign In"}}, "Zoom"));
        REQUIRE_FALSE(outcome.report().ok);
        CHECK(outcome.report().errors.front().code == ErrorCode::csv_missing_column);
        CHECK(contains(outcome.report().errors.front().to_string(), "Last Sign In"));
    }
    SECTION("default headers: email found case-insensitively, no activity column") {
        auto outcome = read_one(source("seats", {file}, {}, "Zoom"), BadRowPolicy::skip);
        REQUIRE(outcome.report().ok);
        CHECK(outcome.data.seats.size() == 3);
        CHECK_FALSE(outcome.data.seats[0].has_activity_column);
    }
}

TEST_CASE("seats export with a near-miss email header suggests it", "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("hubspot_users.csv", "E-mail,Role\nana.ruiz@northwind.example,Marketing Pro\n");
    auto outcome = read_one(source("seats", {file}, {}, "HubSpot Marketing Hub"));
    REQUIRE_FALSE(outcome.report().ok);
    const std::string text = outcome.report().errors.front().to_string();
    CHECK(contains(text, "hubspot_users.csv"));
    CHECK(contains(text, "Did you mean \"E-mail\"?"));
    CHECK(contains(text, "stackaudit.yaml:7"));
}
