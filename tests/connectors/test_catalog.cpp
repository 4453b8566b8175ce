// Catalog reader tests: lists, owners, money, merging duplicate rows and owner conflicts.
#include "test_support.hpp"

#include <algorithm>

using namespace stackaudit;
using namespace stackaudit::test;

namespace {

const Tool& tool_named(const Dataset& data, std::string_view name) {
    const auto it = std::find_if(data.tools.begin(), data.tools.end(), [&](const Tool& t) { return t.name == name; });
    REQUIRE(it != data.tools.end());
    return *it;
}

}  // namespace

TEST_CASE("catalog reads tools with lists, owners, money and dates", "[connector][unit]") {
    auto outcome = read_one(source("catalog", {data_path("catalog.csv")}));
    const auto& report = outcome.report();
    REQUIRE(report.ok);
    CHECK(report.records == 9);
    REQUIRE(outcome.data.tools.size() == 6);

    const Tool& salesforce = tool_named(outcome.data, "Salesforce");
    CHECK(salesforce.vendor == "Salesforce");
    CHECK(salesforce.sso_app_label == "Salesforce.com");
    CHECK(salesforce.capabilities == std::vector<std::string>{"crm", "sales forecasting"});
    CHECK(salesforce.intended_departments == std::vector<std::string>{"Sales", "Customer Success"});
    CHECK_FALSE(salesforce.intended_all);
    CHECK(salesforce.business_owners == std::vector<std::string>{"omar.haddad@northwind.example"});
    CHECK(salesforce.it_review == "approved");
    CHECK(salesforce.contract_seats == 1200);
    CHECK(salesforce.annual_cost_per_seat.value() == Approx(1650.0));
    CHECK(format_date(salesforce.renewal_date.value()) == "2027-01-31");
    CHECK(salesforce.line == 2);
    CHECK(salesforce.owner_conflicts.empty());

    const Tool& zoom = tool_named(outcome.data, "Zoom");
    CHECK(zoom.intended_all);
    CHECK(zoom.intended_departments.empty());
    CHECK(zoom.annual_cost_per_seat.value() == Approx(149.9));
    CHECK(format_date(zoom.renewal_date.value()) == "2027-03-01");
    CHECK(zoom.capabilities == std::vector<std::string>{"video conferencing", "webinars"});  // merged
    CHECK(zoom.owner_conflicts.empty());  // the repeat names the same owner

    const Tool& adobe = tool_named(outcome.data, "Adobe Creative Cloud");
    CHECK(adobe.annual_cost_per_seat.value() == Approx(659.88));
    CHECK(adobe.technical_owners.empty());
    CHECK_FALSE(adobe.renewal_date.has_value());
    CHECK(adobe.it_review == "pending");
}

TEST_CASE("catalog merges repeated tools and records owner conflicts", "[connector][unit]") {
    auto outcome = read_one(source("catalog", {data_path("catalog.csv")}));
    REQUIRE(outcome.report().ok);

    const Tool& hubspot = tool_named(outcome.data, "HubSpot Marketing Hub");
    CHECK(hubspot.line == 3);
    CHECK(hubspot.business_owners == std::vector<std::string>{"ana.ruiz@northwind.example", "raj.patel@northwind.example",
                                                              "tom.becker@northwind.example"});
    REQUIRE(hubspot.owner_conflicts.size() == 1);
    CHECK(hubspot.owner_conflicts[0] ==
          "line 8: business_owner tom.becker@northwind.example (line 3 says ana.ruiz@northwind.example; "
          "raj.patel@northwind.example)");
    CHECK(hubspot.capabilities ==
          std::vector<std::string>{"email marketing", "landing pages", "crm", "social publishing"});
    CHECK(hubspot.intended_departments == std::vector<std::string>{"Marketing", "Sales"});
    CHECK(hubspot.annual_cost_per_seat.value() == Approx(1020.5));

    // A repeat that fills blanks is not a conflict.
    const Tool& canva = tool_named(outcome.data, "Canva");
    CHECK(canva.technical_owners == std::vector<std::string>{"pat.oneil@northwind.example"});
    CHECK(canva.contract_seats == 30);
    CHECK(canva.annual_cost_per_seat.value() == Approx(120.0));
    CHECK(canva.intended_departments == std::vector<std::string>{"Marketing"});
    CHECK(canva.it_review == "none");
    CHECK(canva.owner_conflicts.empty());
}

TEST_CASE("catalog bad values are rejected with line and column", "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("catalog.csv",
                                "Tool Name,business_owner,contract_seats,annual_cost_per_seat,it_review,renewal_date\n"
                                "Marketo,ana@northwind.example,12x,,approved,\n"
                                "Hootsuite,Ana Ruiz,10,99,approved,\n"
                                "Semrush,raj@northwind.example,5,\"1.020,50\",approved,\n"
                                "Hotjar,raj@northwind.example,5,39,maybe,\n"
                                ",raj@northwind.example,5,39,approved,\n"
                                "Asana,raj@northwind.example;li@northwind.example,5,39,approved,2027-02-30\n"
                                "Miro,\"raj@northwind.example, li@northwind.example\",\"1,000\",$8.00,APPROVED,2027-02-28\n");
    auto outcome = read_one(source("catalog", {file}, {{"tool", "Tool Name"}}), BadRowPolicy::collect);
    REQUIRE(outcome.report().ok);
    CHECK(outcome.report().records == 1);
    CHECK(outcome.report().rejected == 6);
    REQUIRE(outcome.data.tools.size() == 1);
    CHECK(outcome.data.tools[0].business_owners ==
          std::vector<std::string>{"raj@northwind.example", "li@northwind.example"});
    CHECK(outcome.data.tools[0].contract_seats == 1000);
    const auto& rejected = outcome.rows.collected();
    REQUIRE(rejected.size() == 6);
    CHECK(rejected[0].line == 2);
    CHECK(contains(rejected[0].reason, "contract_seats"));
    CHECK(contains(rejected[0].reason, "12x"));
    CHECK(rejected[1].line == 3);
    CHECK(contains(rejected[1].reason, "business_owner"));
    CHECK(rejected[2].line == 4);
    CHECK(contains(rejected[2].reason, "annual_cost_per_seat"));
    CHECK(rejected[3].line == 5);
    CHECK(contains(rejected[3].reason, "maybe"));
    CHECK(rejected[4].line == 6);
    CHECK(contains(rejected[4].reason, "Tool Name"));
    CHECK(rejected[5].line == 7);
    CHECK(contains(rejected[5].reason, "renewal_date"));
    const auto& errors = outcome.report().errors;
    REQUIRE_FALSE(errors.empty());
    CHECK_FALSE(errors[0].hint.empty());
}

TEST_CASE("catalog without a tool column fails the source", "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("catalog.csv", "Application,vendor\nMarketo,Adobe\n");
    auto outcome = read_one(source("catalog", {file}));
    REQUIRE_FALSE(outcome.report().ok);
    CHECK(outcome.report().errors.front().code == ErrorCode::csv_missing_column);
    CHECK(contains(outcome.report().errors.front().to_string(), "catalog.csv"));
}
