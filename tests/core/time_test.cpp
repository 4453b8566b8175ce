// Every timestamp spelling named in vendor-apis.md, and the "never" forms.
#include <catch2/catch.hpp>

#include "stackaudit/core/time.hpp"

using namespace stackaudit;

TEST_CASE("vendor timestamp spellings parse to the same instant", "[unit][time]") {
    using Row = std::tuple<std::string, std::string>;
    auto [text, expected] = GENERATE(table<std::string, std::string>({
        Row{"2013-06-24T17:39:19.000Z", "2013-06-24T17:39:19Z"},   // Okta
        Row{"2019-12-16T18:02:48Z", "2019-12-16T18:02:48Z"},       // Microsoft Graph, Zoom
        Row{"2013-05-20T20:49:32.000+0000", "2013-05-20T20:49:32Z"},  // Salesforce
        Row{"2024-03-01T10:00:00+01:00", "2024-03-01T09:00:00Z"},
        Row{"2024-03-01T08:30:00-0530", "2024-03-01T14:00:00Z"},
        Row{"2024-03-01 09:00:00", "2024-03-01T09:00:00Z"},
        Row{"2024-03-01 09:00", "2024-03-01T09:00:00Z"},
        Row{"2024-03-01", "2024-03-01T00:00:00Z"},
        Row{"1700000000", "2023-11-14T22:13:20Z"},                 // Slack epoch seconds
        Row{"1700000000123", "2023-11-14T22:13:20Z"},              // epoch milliseconds
        Row{"  2026-11-01T00:00:00.123456Z ", "2026-11-01T00:00:00Z"},
        Row{"2026-11-01T12:00:00 UTC", "2026-11-01T12:00:00Z"},
    }));
    auto ts = parse_timestamp(text);
    INFO(text);
    REQUIRE(ts.has_value());
    REQUIRE(ts->has_value());
    CHECK(format_timestamp(**ts) == expected);
}

TEST_CASE("never is spelled many ways", "[unit][time]") {
    auto text = GENERATE(as<std::string>{}, "", "null", "NULL", "never", "Never", "-", "N/A", "0",
                         "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00Z");
    auto ts = parse_timestamp(text);
    INFO(text);
    REQUIRE(ts.has_value());
    CHECK_FALSE(ts->has_value());
}

TEST_CASE("garbage timestamps are errors that quote the text", "[unit][time]") {
    auto text = GENERATE(as<std::string>{}, "yesterday", "2024-13-01", "2024-02-30", "2024-03-01T25:00:00Z",
                         "2024-03-01T10:00:00+2", "2024-03-01X", "12345678901234", "2024-3-1");
    auto ts = parse_timestamp(text);
    INFO(text);
    REQUIRE_FALSE(ts.has_value());
    CHECK(ts.error().code == ErrorCode::invalid_value);
    CHECK(ts.error().message.find(text) != std::string::npos);
}

TEST_CASE("dates accept ISO, US slashes and timestamps", "[unit][time]") {
    CHECK(format_date(*parse_date("2026-02-28").value()) == "2026-02-28");
    CHECK(format_date(*parse_date("3/7/2026").value()) == "2026-03-07");
    CHECK(format_date(*parse_date("12/31/2025").value()) == "2025-12-31");
    CHECK(format_date(*parse_date("2026-02-28T23:30:00-0100").value()) == "2026-03-01");
    CHECK_FALSE(parse_date("").value().has_value());
    CHECK_FALSE(parse_date("13/1/2026").has_value());
    CHECK_FALSE(parse_date("1/1/26").has_value());
    const auto a = *parse_date("2026-01-01").value();
    const auto b = *parse_date("2026-03-01").value();
    CHECK(days_between(a, b) == 59);
    CHECK(days_between(b, a) == -59);
}
