// The three renderings of every query: exact text for the fixture's overlap table and CSVs,
// the JSON envelope, empty answers, spreadsheet and terminal safety, width and determinism.
#include "fixture.hpp"

#include "stackaudit/core/text.hpp"
#include "workload_snapshot.hpp"

using namespace query_test;
using query::Format;

namespace {

// CSV lines end in CRLF (RFC 4180); the expectations are written with LF.
std::string crlf(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

void check_width(const std::string& text) {
    for (const std::string& line : lines(text)) {
        INFO(line);
        CHECK(display_width(line) <= 120);
    }
}

}  // namespace

TEST_CASE("overlap table: context, warnings, one section per capability, the total", "[unit][query][render]") {
    const GraphSnapshot s = fixture();
    const std::string text = query::render(*query::overlap(s, {}), s, fixture_context(), Format::table);
    CHECK(text == R"x(As of 2026-11-24, run 12 of out/stackaudit.db
WARNING: incomplete data: okta_log failed: HTTP 401: token expired
WARNING: incomplete data: seats:Salesforce is stale: pull failed on 2026-11-23

Overlapping tools: 6 pairs in 3 capabilities

Capability 'bi': 2 tools, 1 pair
  #  tool     owning dept  active  seats  annual cost  shared  jaccard  savings
  1  Looker   Finance           1      -            -       0     0.0%
     Tableau  Finance           0      -     1,400.00                      0.00

Capability 'crm': 3 tools, 3 pairs
  #  tool        owning dept  active  seats  annual cost  shared  jaccard   savings
  1  HubSpot     Marketing         4      4     8,000.00       2    50.0%
     Salesforce  Sales             2      4     6,000.00                   3,000.00
  2  HubSpot     Marketing         4      4     8,000.00       2    50.0%
     Zoho CRM    Sales             2      -            -                          -
  3  Salesforce  Sales             2      4     6,000.00       1    33.3%
     Zoho CRM    Sales             2      -            -                          -

Capability 'email': 3 tools, 3 pairs
  #  tool        owning dept  active  seats  annual cost  shared  jaccard   savings
  1  HubSpot     Marketing         4      4     8,000.00       2    50.0%
     Salesforce  Sales             2      4     6,000.00                   3,000.00
  2  HubSpot     Marketing         4      4     8,000.00       1    25.0%
     Mailchimp   Marketing         1      2       500.00                     100.00
  3  Mailchimp   Marketing         1      2       500.00       1    50.0%    100.00
     Salesforce  Sales             2      4     6,000.00

Total: 6 pairs; dropping the smaller tool of each pair (the row showing savings) frees 3,200.00 a year (2 pairs without
a known cost per seat). '-' = unknown.
)x");
    check_width(text);
}

TEST_CASE("overlap CSV: one flat row per capability and pair", "[unit][query][render]") {
    const GraphSnapshot s = fixture();
    CHECK(query::render(*query::overlap(s, {}), s, fixture_context(), Format::csv) == crlf(
R"x(capability,tool_a,department_a,active_users_a,seats_a,annual_cost_a,tool_b,department_b,active_users_b,seats_b,annual_cost_b,shared_users,jaccard,consolidation_savings,smaller_tool
bi,Looker,Finance,1,,,Tableau,Finance,0,,1400,0,0.0000,0,Tableau
crm,HubSpot,Marketing,4,4,8000,Salesforce,Sales,2,4,6000,2,0.5000,3000,Salesforce
crm,HubSpot,Marketing,4,4,8000,Zoho CRM,Sales,2,,,2,0.5000,,Zoho CRM
crm,Salesforce,Sales,2,4,6000,Zoho CRM,Sales,2,,,1,0.3333,,Zoho CRM
email,HubSpot,Marketing,4,4,8000,Salesforce,Sales,2,4,6000,2,0.5000,3000,Salesforce
email,HubSpot,Marketing,4,4,8000,Mailchimp,Marketing,1,2,500,1,0.2500,100,Mailchimp
email,Mailchimp,Marketing,1,2,500,Salesforce,Sales,2,4,6000,1,0.5000,100,Mailchimp
)x"));
}

TEST_CASE("overlap JSON: the envelope, the options, nested pairs and totals", "[unit][query][render]") {
    const GraphSnapshot s = fixture();
    query::OverlapOptions o;
    o.capabilities = {"Design"};
    const std::string empty = query::render(*query::overlap(s, o), s, fixture_context(), Format::json);
    CHECK(empty == R"x({
  "schema_version": 1,
  "run": {
    "source": "run 12 of out/stackaudit.db",
    "run_id": 12,
    "as_of": "2026-11-24",
    "complete": false,
    "gaps": [
      "okta_log failed: HTTP 401: token expired",
      "seats:Salesforce is stale: pull failed on 2026-11-23"
    ]
  },
  "query": {
    "command": "overlap",
    "tool": null,
    "capabilities": [
      "design"
    ],
    "department": null,
    "min_shared": 0,
    "min_jaccard": 0
  },
  "groups": [],
  "totals": {
    "groups": 0,
    "pairs": 0,
    "consolidation_savings": 0,
    "pairs_with_unknown_savings": 0
  }
}
)x");
    const std::string full = query::render(*query::overlap(s, {}), s, fixture_context(), Format::json);
    CHECK(full.find(R"x("b": {
            "name": "Zoho CRM",
            "owning_department": "Sales",
            "active_users": 2,
            "seats": null,
            "annual_cost": null,
            "cost_per_seat": null
          },
          "shared_users": 1,
          "jaccard": 0.3333,
          "smaller_tool": "Zoho CRM",
          "consolidation_savings": null)x") != std::string::npos);
    CHECK(full.find(R"x("totals": {
    "groups": 3,
    "pairs": 6,
    "consolidation_savings": 3200,
    "pairs_with_unknown_savings": 2
  })x") != std::string::npos);
}

TEST_CASE("owners renderings", "[unit][query][render]") {
    const GraphSnapshot s = fixture();
    const auto r = *query::owners(s, {});
    const std::string table = query::render(r, s, fixture_context(), Format::table);
    CHECK(has_line(table, "  Looker      Finance      dan@x.com (left)  ghost@x.com (not in directory)"));
    // Several owners: one per line, never cut.
    CHECK(has_line(table, "  Salesforce  Sales        cat@x.com         eve@x.com"));
    CHECK(has_line(table, "                           ann@x.com"));
    CHECK(has_line(table, "      ! business owner dan@x.com left on 2026-09-30"));
    CHECK(has_line(table, "      ! business owners are outside the owning department (Sales)"));
    CHECK(has_line(table, "7 tools, 5 with unclear ownership (lines starting with '!')."));
    check_width(table);

    CHECK(query::render(r, s, fixture_context(), Format::csv) == crlf(
R"x(tool,owning_department,business_owners,business_owner_names,business_owner_states,technical_owners,technical_owner_names,technical_owner_states,problems
Canva,Marketing,bob@x.com,Bob Ng,active,eve@x.com,Eve Park,active,
HubSpot,Marketing,ann@x.com,Ann Lee,active,eve@x.com,Eve Park,active,
Looker,Finance,dan@x.com,Dan Roe,departed,ghost@x.com,,unknown,no active business owner; no active technical owner; business owner dan@x.com left on 2026-09-30; technical owner ghost@x.com is not in the directory
Mailchimp,Marketing,,,,,,,no business owner; no technical owner
Salesforce,Sales,cat@x.com; ann@x.com,Cat Diaz; Ann Lee,active; active,eve@x.com,Eve Park,active,"catalog rows disagree: line 41: business_owner ann@x.com (line 12 says cat@x.com); business owners sit in different departments (Marketing, Sales)"
Tableau,Finance,,,,,,,no business owner; no technical owner
Zoho CRM,Sales,eve@x.com,Eve Park,active,eve@x.com,Eve Park,active,business owners are outside the owning department (Sales)
)x"));

    const std::string json = query::render(r, s, fixture_context(), Format::json);
    CHECK(json.find(R"x("technical_owners": [
        {
          "email": "ghost@x.com",
          "name": "",
          "state": "unknown"
        }
      ],)x") != std::string::npos);
    CHECK(json.find(R"x("totals": {
    "tools": 7,
    "unclear": 5
  })x") != std::string::npos);
}

TEST_CASE("impact renderings", "[unit][query][render]") {
    const GraphSnapshot s = fixture();
    const auto r = *query::impact(s, "HubSpot", {});
    const std::string table = query::render(r, s, fixture_context(), Format::table);
    CHECK(has_line(table, "Downstream of 'HubSpot': 5 tools get its data (what breaks or loses data if it is removed)"));
    CHECK(has_line(table, "      2  Zoho CRM    Sales        eve@x.com             eve@x.com"));
    CHECK(has_line(table, "           data: leads; via HubSpot > Salesforce > Zoho CRM"));
    CHECK(has_line(table, "           data: contacts, leads"));
    CHECK(has_line(table, "Total: 5 tools, 2 directly."));
    check_width(table);
    CHECK(query::render(r, s, fixture_context(), Format::csv) == crlf(
R"x(depth,tool,owning_department,business_owners,technical_owners,data,path
1,Mailchimp,Marketing,,,contacts,HubSpot > Mailchimp
1,Salesforce,Sales,cat@x.com; ann@x.com,eve@x.com,contacts; leads,HubSpot > Salesforce
2,Looker,Finance,dan@x.com (left),ghost@x.com (not in directory),campaigns,HubSpot > Mailchimp > Looker
2,Zoho CRM,Sales,eve@x.com,eve@x.com,leads,HubSpot > Salesforce > Zoho CRM
3,Tableau,Finance,,,leads,HubSpot > Salesforce > Zoho CRM > Tableau
)x"));
    const std::string json = query::render(r, s, fixture_context(), Format::json);
    CHECK(json.find(R"x("direction": "downstream")x") != std::string::npos);
    CHECK(json.find(R"x("path": [
        "HubSpot",
        "Salesforce",
        "Zoho CRM",
        "Tableau"
      ])x") != std::string::npos);

    query::ImpactOptions up;
    up.upstream = true;
    up.max_depth = 1;
    const std::string upstream = query::render(*query::impact(s, "Looker", up), s, fixture_context(), Format::table);
    CHECK(has_line(upstream,
                   "Upstream of 'Looker' within 1 hop: 2 tools feed it data (what it loses if they are removed or break)"));
}

TEST_CASE("who renderings", "[unit][query][render]") {
    const GraphSnapshot s = fixture();
    const auto r = *query::who(s, "HubSpot", {});
    const std::string table = query::render(r, s, fixture_context(), Format::table);
    CHECK(has_line(table, "Who uses 'HubSpot': 5 people, 4 active, 1 idle, 4 seats"));
    CHECK(has_line(table, "  Sales       Field          0     1      1"));
    CHECK(has_line(table, "  dan@x.com  Dan Roe (left)  Sales       Field     Pro         idle    2026-08-01       0"));
    check_width(table);
    CHECK(query::render(r, s, fixture_context(), Format::csv) == crlf(
R"x(email,name,department,team,seat,license_type,active,last_seen,events_in_window,departed,in_directory
eve@x.com,Eve Park,IT,Platform,false,,true,2026-11-20,3,false,true
bob@x.com,Bob Ng,Marketing,Brand,true,Pro,true,2026-11-20,3,false,true
ann@x.com,Ann Lee,Marketing,Growth,true,Enterprise,true,2026-11-20,3,false,true
dan@x.com,Dan Roe,Sales,Field,true,Pro,false,2026-08-01,0,true,true
cat@x.com,Cat Diaz,Sales,Growth,true,Pro,true,2026-11-20,3,false,true
)x"));
    const std::string json = query::render(r, s, fixture_context(), Format::json);
    CHECK(json.find(R"x("totals": {
    "people": 5,
    "active": 4,
    "idle": 1,
    "seats": 4
  })x") != std::string::npos);
}

TEST_CASE("tools renderings", "[unit][query][render]") {
    const GraphSnapshot s = fixture();
    const auto dan = *query::tools_of(s, "dan@x.com");
    const std::string table = query::render(dan, s, fixture_context(), Format::table);
    CHECK(has_line(table, "Tools used or owned by dan@x.com (Dan Roe, Sales / Field, left): 3 tools"));
    CHECK(has_line(table, "  Looker      Finance      -       -     -           yes"));
    check_width(table);
    const auto marketing = *query::tools_of(s, "marketing");
    CHECK(query::render(marketing, s, fixture_context(), Format::csv) == crlf(
R"x(tool,owning_department,people,active,idle,seats,last_seen,owner
HubSpot,Marketing,2,2,0,2,2026-11-20,true
Canva,Marketing,1,1,0,1,2026-11-20,true
Mailchimp,Marketing,2,1,1,2,2026-11-20,false
Salesforce,Sales,1,1,0,1,2026-11-20,true
Shadow App,,1,1,0,0,2026-11-20,false
)x"));
    const std::string json = query::render(marketing, s, fixture_context(), Format::json);
    CHECK(json.find(R"x("query": {
    "command": "tools",
    "kind": "department",
    "subject": "Marketing",
    "members": 2
  })x") != std::string::npos);
}

TEST_CASE("empty answers say so in a sentence, a bare header or empty arrays", "[unit][query][render]") {
    const GraphSnapshot s = fixture();
    const query::Context c = fixture_context();
    query::OverlapOptions o;
    o.capabilities = {"design"};
    const auto none = *query::overlap(s, o);
    CHECK(has_line(query::render(none, s, c, Format::table), "No overlapping tools for capability 'design'."));
    CHECK(lines(query::render(none, s, c, Format::csv)).size() == 1);
    o = {};
    o.tool = "HubSpot";
    o.min_shared = 3;
    CHECK(has_line(query::render(*query::overlap(s, o), s, c, Format::table),
                   "No overlapping tools for tool 'HubSpot' with at least 3 shared users."));

    query::OwnersOptions own;
    own.department = "IT";
    own.missing = true;
    const auto no_owners = *query::owners(s, own);
    CHECK(has_line(query::render(no_owners, s, c, Format::table),
                   "No catalog tools with missing owners owned by department 'IT'."));
    CHECK(query::render(no_owners, s, c, Format::json).find("\"tools\": [],") != std::string::npos);

    const auto no_impact = *query::impact(s, "Canva", {});
    CHECK(has_line(query::render(no_impact, s, c, Format::table), "Nothing is downstream of 'Canva': no data flows out of it."));
    CHECK(lines(query::render(no_impact, s, c, Format::csv)).size() == 1);
    query::ImpactOptions up;
    up.upstream = true;
    CHECK(has_line(query::render(*query::impact(s, "Canva", up), s, c, Format::table),
                   "Nothing is upstream of 'Canva': no data flows into it."));

    CHECK(has_line(query::render(*query::who(s, "Tableau", {}), s, c, Format::table), "Nobody uses 'Tableau'."));
    query::WhoOptions idle;
    idle.idle_only = true;
    idle.department = "it";
    const auto no_idle = *query::who(s, "HubSpot", idle);
    CHECK(has_line(query::render(no_idle, s, c, Format::table), "No idle users of 'HubSpot' in department 'IT'."));
    CHECK(query::render(no_idle, s, c, Format::json).find("\"people\": [],") != std::string::npos);

    GraphSnapshot alone = s;
    alone.people[5].team = "Solo";
    const auto fay = *query::tools_of(alone, "fay@x.com");
    CHECK(has_line(query::render(fay, alone, c, Format::table), "No tools used or owned by fay@x.com (Alex Kim, IT / Solo)."));
    CHECK(lines(query::render(fay, alone, c, Format::csv)).size() == 1);
}

TEST_CASE("a complete run has no warning, and a context without source says only the date", "[unit][query][render]") {
    GraphSnapshot s = fixture();
    s.sources.clear();
    const query::Context c = query::make_context(s, "");
    const std::string text = query::render(*query::who(s, "Canva", {}), s, c, Format::table);
    CHECK(lines(text).at(0) == "As of 2026-11-24");
    CHECK(text.find("WARNING") == std::string::npos);
    const std::string json = query::render(*query::who(s, "Canva", {}), s, c, Format::json);
    CHECK(json.find(R"x("run_id": null,
    "as_of": "2026-11-24",
    "complete": true,
    "gaps": [])x") != std::string::npos);
}

TEST_CASE("names from the data cannot run as spreadsheet formulas or move the terminal cursor", "[unit][query][render]") {
    GraphSnapshot s = fixture();
    s.tools[mailchimp].name = "=HYPERLINK(\"http://x\")";
    s.tools[zoho].name = "Zoho \x1b[31mCRM\x1b[0m";
    s.tools[salesforce].owning_department = "+Sales";
    const query::Context c = fixture_context();
    const auto r = *query::overlap(s, {});
    const std::string csv = query::render(r, s, c, Format::csv);
    CHECK(csv.find(",\"'=HYPERLINK(\"\"http://x\"\")\",") != std::string::npos);
    CHECK(csv.find(",'+Sales,") != std::string::npos);
    CHECK(csv.find(",=") == std::string::npos);
    const std::string table = query::render(r, s, c, Format::table);
    CHECK(table.find('\x1b') == std::string::npos);
    CHECK(table.find("Zoho [31mCRM [0m") != std::string::npos);
    for (const auto& text : {query::render(*query::owners(s, {}), s, c, Format::table),
                             query::render(*query::impact(s, "HubSpot", {}), s, c, Format::table),
                             query::render(*query::who(s, s.tools[zoho].name, {}), s, c, Format::table)})
        CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("renderings are deterministic and tables stay within 120 columns at scale", "[unit][query][render]") {
    const GraphSnapshot s = stackaudit::bench::make_workload_snapshot({3000, 120, 24000, 12, 5});
    const query::Context c = query::make_context(s, "run 99 of a/very/long/path/to/the/history/stackaudit.db", 99);
    const auto overlap = *query::overlap(s, {});
    REQUIRE(overlap.pairs > 0);
    for (const Format f : {Format::table, Format::csv, Format::json})
        CHECK(query::render(overlap, s, c, f) == query::render(*query::overlap(s, {}), s, c, f));
    check_width(query::render(overlap, s, c, Format::table));
    check_width(query::render(*query::owners(s, {}), s, c, Format::table));
    check_width(query::render(*query::impact(s, s.tools[0].name, {}), s, c, Format::table));
    check_width(query::render(*query::who(s, s.tools[1].name, {}), s, c, Format::table));
    check_width(query::render(*query::tools_of(s, "Engineering"), s, c, Format::table));
}
