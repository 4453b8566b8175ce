// owners on the fixture: every problem sentence, and the filters alone and together.
#include "fixture.hpp"

using namespace query_test;

namespace {

std::vector<std::string> tool_names(const GraphSnapshot& s, const query::OwnersResult& r) {
    std::vector<std::string> out;
    for (const auto& row : r.rows) out.push_back(s.tools[row.tool].name);
    return out;
}

const query::OwnersRow& row_of(const query::OwnersResult& r, std::uint32_t tool) {
    for (const auto& row : r.rows)
        if (row.tool == tool) return row;
    FAIL("no row for tool " << tool);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("owners lists catalog tools by name with one sentence per problem", "[unit][query]") {
    const GraphSnapshot s = fixture();
    const auto r = query::owners(s, {});
    REQUIRE(r);
    CHECK(tool_names(s, *r) ==
          std::vector<std::string>{"Canva", "HubSpot", "Looker", "Mailchimp", "Salesforce", "Tableau", "Zoho CRM"});
    CHECK(r->unclear == 5);

    CHECK(row_of(*r, canva).problems.empty());
    CHECK(row_of(*r, hubspot).problems.empty());
    CHECK(row_of(*r, looker).problems == std::vector<std::string>{
                                             "no active business owner",
                                             "no active technical owner",
                                             "business owner dan@x.com left on 2026-09-30",
                                             "technical owner ghost@x.com is not in the directory",
                                         });
    CHECK(row_of(*r, mailchimp).problems == std::vector<std::string>{"no business owner", "no technical owner"});
    CHECK(row_of(*r, salesforce).problems ==
          std::vector<std::string>{"catalog rows disagree: line 41: business_owner ann@x.com (line 12 says cat@x.com)",
                                   "business owners sit in different departments (Marketing, Sales)"});
    CHECK(row_of(*r, zoho).problems ==
          std::vector<std::string>{"business owners are outside the owning department (Sales)"});

    const auto& looker_row = row_of(*r, looker);
    REQUIRE(looker_row.business.size() == 1);
    CHECK(looker_row.business[0].person == 3);
    CHECK(looker_row.business[0].state == query::OwnerState::departed);
    CHECK(looker_row.technical[0].state == query::OwnerState::unknown);
    // Catalog order of the owners is kept.
    const auto& sf = row_of(*r, salesforce);
    REQUIRE(sf.business.size() == 2);
    CHECK(sf.business[0].person == 2);
    CHECK(sf.business[1].person == 0);
}

TEST_CASE("owners: a departure without a date says the directory status", "[unit][query]") {
    GraphSnapshot s = fixture();
    s.people[3].termination_date.reset();
    const auto r = query::owners(s, {});
    REQUIRE(r);
    CHECK(row_of(*r, looker).problems[2] == "business owner dan@x.com left (directory status DEPROVISIONED)");
}

TEST_CASE("owners filters: missing, departed, conflicting, department, and several at once", "[unit][query]") {
    const GraphSnapshot s = fixture();
    query::OwnersOptions o;
    o.missing = true;
    CHECK(tool_names(s, *query::owners(s, o)) == std::vector<std::string>{"Looker", "Mailchimp", "Tableau"});
    o = {};
    o.departed = true;
    CHECK(tool_names(s, *query::owners(s, o)) == std::vector<std::string>{"Looker"});
    o = {};
    o.conflicting = true;
    CHECK(tool_names(s, *query::owners(s, o)) == std::vector<std::string>{"Salesforce", "Zoho CRM"});
    o.departed = true;  // any of them
    CHECK(tool_names(s, *query::owners(s, o)) == std::vector<std::string>{"Looker", "Salesforce", "Zoho CRM"});

    o = {};
    o.department = "marketing";
    auto r = query::owners(s, o);
    REQUIRE(r);
    CHECK(tool_names(s, *r) == std::vector<std::string>{"Canva", "HubSpot", "Mailchimp"});
    CHECK(r->unclear == 1);
    CHECK(r->options.department == "Marketing");
    o.missing = true;
    CHECK(tool_names(s, *query::owners(s, o)) == std::vector<std::string>{"Mailchimp"});

    o = {};
    o.department = "IT";  // a department that owns nothing
    r = query::owners(s, o);
    REQUIRE(r);
    CHECK(r->rows.empty());

    o.department = "Salez";
    const auto bad = query::owners(s, o);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "no department \"Salez\" in the snapshot; did you mean \"Sales\"?");
}
