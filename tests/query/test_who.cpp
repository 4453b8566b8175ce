// who and tools on the fixture: groups, active against idle, filters, and how a subject is
// resolved (person, team, department; ambiguous and unknown names).
#include "fixture.hpp"

using namespace query_test;

namespace {

std::vector<std::string> emails(const GraphSnapshot& s, const query::WhoResult& r) {
    std::vector<std::string> out;
    for (const std::uint32_t u : r.uses) out.push_back(s.people[s.uses[u].person].email);
    return out;
}

// "tool people/active/idle/seats owner" per row.
std::vector<std::string> describe(const GraphSnapshot& s, const query::ToolsResult& r) {
    std::vector<std::string> out;
    for (const auto& row : r.rows)
        out.push_back(s.tools[row.tool].name + " " + std::to_string(row.people) + "/" + std::to_string(row.active) + "/" +
                      std::to_string(row.idle) + "/" + std::to_string(row.seats) + (row.owner ? " owner" : ""));
    return out;
}

}  // namespace

TEST_CASE("who: people of a tool by department and team, active against idle", "[unit][query]") {
    const GraphSnapshot s = fixture();
    const auto r = query::who(s, "HUBSPOT", {});
    REQUIRE(r);
    CHECK(r->tool == hubspot);
    CHECK(r->active == 4);
    CHECK(r->idle == 1);
    CHECK(r->seats == 4);
    REQUIRE(r->groups.size() == 5);
    CHECK(r->groups[0].department == "IT");
    CHECK(r->groups[1].department == "Marketing");
    CHECK(r->groups[1].team == "Brand");
    CHECK(r->groups[2].team == "Growth");
    CHECK(r->groups[3].team == "Field");
    CHECK(r->groups[3].active == 0);
    CHECK(r->groups[3].idle == 1);
    CHECK(r->groups[3].seats == 1);
    CHECK(emails(s, *r) == std::vector<std::string>{"eve@x.com", "bob@x.com", "ann@x.com", "dan@x.com", "cat@x.com"});
}

TEST_CASE("who filters: department, active only, idle only", "[unit][query]") {
    const GraphSnapshot s = fixture();
    query::WhoOptions o;
    o.department = "marketing";
    auto r = query::who(s, "HubSpot", o);
    REQUIRE(r);
    CHECK(emails(s, *r) == std::vector<std::string>{"bob@x.com", "ann@x.com"});
    CHECK(r->options.department == "Marketing");
    o = {};
    o.idle_only = true;
    r = query::who(s, "HubSpot", o);
    REQUIRE(r);
    CHECK(emails(s, *r) == std::vector<std::string>{"dan@x.com"});
    CHECK(r->active == 0);
    o = {};
    o.active_only = true;
    CHECK(query::who(s, "HubSpot", o)->uses.size() == 4);
    o.idle_only = true;
    CHECK(query::who(s, "HubSpot", o).error().code == ErrorCode::invalid_value);
    o = {};
    o.department = "Legal";
    CHECK(query::who(s, "HubSpot", o).error().code == ErrorCode::not_found);
    // A tool nobody uses is an empty answer, not an error.
    r = query::who(s, "Tableau", {});
    REQUIRE(r);
    CHECK(r->uses.empty());
    CHECK(r->groups.empty());
}

TEST_CASE("tools of a person, by email, user id or display name", "[unit][query]") {
    const GraphSnapshot s = fixture();
    for (const char* subject : {"ann@x.com", " ANN@X.COM ", "U-ANN", "ann lee"}) {
        const auto r = query::tools_of(s, subject);
        REQUIRE(r);
        CHECK(r->kind == query::SubjectKind::person);
        CHECK(r->subject == "ann@x.com");
        CHECK(r->members == std::vector<std::uint32_t>{0});
        CHECK(describe(s, *r) == std::vector<std::string>{"HubSpot 1/1/0/1 owner", "Mailchimp 1/1/0/1",
                                                          "Salesforce 1/1/0/1 owner", "Shadow App 1/1/0/0"});
        CHECK(r->rows[0].last_seen == at(2026, 11, 20, 9));
    }
    // A departed person: idle seats, and a tool owned but not used.
    const auto dan = query::tools_of(s, "dan@x.com");
    REQUIRE(dan);
    CHECK(describe(s, *dan) == std::vector<std::string>{"HubSpot 1/0/1/1", "Looker 0/0/0/0 owner", "Salesforce 1/0/1/1"});
}

TEST_CASE("tools of a team or a department", "[unit][query]") {
    const GraphSnapshot s = fixture();
    auto r = query::tools_of(s, "Marketing");
    REQUIRE(r);
    CHECK(r->kind == query::SubjectKind::department);
    CHECK(r->subject == "Marketing");
    CHECK(r->members == std::vector<std::uint32_t>{0, 1});
    CHECK(describe(s, *r) == std::vector<std::string>{"HubSpot 2/2/0/2 owner", "Canva 1/1/0/1 owner", "Mailchimp 2/1/1/2",
                                                      "Salesforce 1/1/0/1 owner", "Shadow App 1/1/0/0"});

    r = query::tools_of(s, "sales / growth");
    REQUIRE(r);
    CHECK(r->kind == query::SubjectKind::team);
    CHECK(r->subject == "Sales / Growth");
    CHECK(r->members == std::vector<std::uint32_t>{2});

    r = query::tools_of(s, "platform");  // one team of that name: no department needed
    REQUIRE(r);
    CHECK(r->kind == query::SubjectKind::team);
    CHECK(r->subject == "IT / Platform");
    CHECK(r->members == std::vector<std::uint32_t>{4, 5});
    CHECK(describe(s, *r) == std::vector<std::string>{"HubSpot 1/1/0/0 owner", "Zoho CRM 1/1/0/0 owner",
                                                      "Canva 0/0/0/0 owner", "Salesforce 0/0/0/0 owner"});
}

TEST_CASE("tools: a department wins over a team of the same name", "[unit][query]") {
    GraphSnapshot s = fixture();
    s.people[4].team = "Sales";  // eve: IT / Sales
    const auto r = query::tools_of(s, "sales");
    REQUIRE(r);
    CHECK(r->kind == query::SubjectKind::department);
    CHECK(r->members == std::vector<std::uint32_t>{2, 3});
    CHECK(query::tools_of(s, "IT/Sales")->members == std::vector<std::uint32_t>{4});
}

TEST_CASE("tools: ambiguous, unknown and empty subjects are errors that help", "[unit][query]") {
    const GraphSnapshot s = fixture();
    auto r = query::tools_of(s, "Alex Kim");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_value);
    CHECK(r.error().message ==
          "display name \"Alex Kim\" belongs to 2 people: Alex Kim <fay@x.com>, Alex Kim <gus@x.com>");
    CHECK(r.error().hint == "name the person by email");

    r = query::tools_of(s, "growth");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_value);
    CHECK(r.error().message == "team \"growth\" is in 2 departments: Marketing / Growth, Sales / Growth");
    CHECK(r.error().hint == "name it as Department/Team, e.g. \"Marketing/growth\"");

    r = query::tools_of(s, "eve@x.co");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::not_found);
    CHECK(r.error().message == "no person, team or department \"eve@x.co\" in the snapshot; did you mean \"eve@x.com\"?");

    r = query::tools_of(s, "Finanse");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("did you mean \"Finance\"") != std::string::npos);

    CHECK(query::tools_of(s, "  ").error().code == ErrorCode::invalid_value);
    CHECK(query::tools_of(s, "Marketing/Nobody").error().code == ErrorCode::not_found);
}
