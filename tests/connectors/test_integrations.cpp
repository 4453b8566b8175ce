// Integrations reader tests.
#include "test_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

TEST_CASE("integrations reads data flows", "[connector][unit]") {
    auto outcome = read_one(source("integrations", {data_path("integrations.csv")}));
    REQUIRE(outcome.report().ok);
    const auto& rows = outcome.data.integrations;
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].source_tool == "HubSpot Marketing Hub");
    CHECK(rows[0].target_tool == "Salesforce");
    CHECK(rows[0].data == std::vector<std::string>{"contacts", "leads", "campaign members"});
    CHECK(rows[0].line == 2);
    CHECK(rows[3].source_tool == "Typeform");
    CHECK(rows[4].data.empty());
}

TEST_CASE("integrations with a blank end or a renamed header", "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("flows.csv",
                                "From,To,Data categories\n"
                                "HubSpot,,contacts\n"
                                "HubSpot,Salesforce,contacts;leads\n");
    SECTION("overrides and a rejected row") {
        auto outcome = read_one(
            source("integrations", {file}, {{"source_tool", "From"}, {"target_tool", "To"}, {"data", "Data categories"}}),
            BadRowPolicy::skip);
        REQUIRE(outcome.report().ok);
        CHECK(outcome.report().rejected == 1);
        CHECK(outcome.report().errors.front().where.line == 2);
        CHECK(contains(outcome.report().errors.front().message, "target_tool"));
        REQUIRE(outcome.data.integrations.size() == 1);
        CHECK(outcome.data.integrations[0].data == std::vector<std::string>{"contacts", "leads"});
    }
    SECTION("a missing required column") {
        auto outcome = read_one(source("integrations", {file}, {{"source_tool", "From"}}));
        REQUIRE_FALSE(outcome.report().ok);
        const Error& error = outcome.report().errors.front();
        CHECK(error.code == ErrorCode::csv_missing_column);
        CHECK(contains(error.to_string(), "target_tool"));
        CHECK(contains(error.to_string(), "flows.csv"));
    }
}
