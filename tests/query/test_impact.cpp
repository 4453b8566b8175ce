// impact on the fixture's flows: downstream, upstream, depth limits, cycles and self-loops.
#include "fixture.hpp"

using namespace query_test;

namespace {

// "depth:tool via path [data]" per row.
std::vector<std::string> describe(const GraphSnapshot& s, const query::ImpactResult& r) {
    std::vector<std::string> out;
    for (const auto& row : r.rows) {
        std::string text = std::to_string(row.depth) + ":" + s.tools[row.tool].name + " via";
        for (const std::uint32_t t : row.path) text += " " + s.tools[t].name;
        text += " [";
        for (std::size_t i = 0; i < row.data.size(); ++i) text += (i ? "," : "") + row.data[i];
        out.push_back(text + "]");
    }
    return out;
}

}  // namespace

TEST_CASE("impact downstream: breadth-first, each tool once, through a cycle", "[unit][query]") {
    const GraphSnapshot s = fixture();
    const auto r = query::impact(s, "hubspot", {});
    REQUIRE(r);
    CHECK(r->root == hubspot);
    CHECK_FALSE(r->upstream);
    // Looker is reached from Mailchimp and Salesforce at depth 2: the path through the first by
    // name is kept. Looker > HubSpot closes a cycle and is not followed back to the root.
    CHECK(describe(s, *r) == std::vector<std::string>{
                                 "1:Mailchimp via HubSpot Mailchimp [contacts]",
                                 "1:Salesforce via HubSpot Salesforce [contacts,leads]",
                                 "2:Looker via HubSpot Mailchimp Looker [campaigns]",
                                 "2:Zoho CRM via HubSpot Salesforce Zoho CRM [leads]",
                                 "3:Tableau via HubSpot Salesforce Zoho CRM Tableau [leads]",
                             });
}

TEST_CASE("impact upstream and with a maximum depth", "[unit][query]") {
    const GraphSnapshot s = fixture();
    query::ImpactOptions o;
    o.upstream = true;
    auto r = query::impact(s, "Looker", o);
    REQUIRE(r);
    CHECK(r->upstream);
    CHECK(describe(s, *r) == std::vector<std::string>{
                                 "1:Mailchimp via Looker Mailchimp [campaigns]",
                                 "1:Salesforce via Looker Salesforce [revenue]",
                                 "2:HubSpot via Looker Mailchimp HubSpot [contacts]",
                             });
    r = query::impact(s, "HubSpot", o);
    REQUIRE(r);
    CHECK(describe(s, *r) == std::vector<std::string>{
                                 "1:Looker via HubSpot Looker [scores]",
                                 "2:Mailchimp via HubSpot Looker Mailchimp [campaigns]",
                                 "2:Salesforce via HubSpot Looker Salesforce [revenue]",
                             });

    o = {};
    o.max_depth = 1;
    r = query::impact(s, "HubSpot", o);
    REQUIRE(r);
    CHECK(r->rows.size() == 2);
    CHECK(r->max_depth == 1);
    o.max_depth = 2;
    CHECK(query::impact(s, "HubSpot", o)->rows.size() == 4);
}

TEST_CASE("impact: a self-loop is no impact; bad depth and unknown tools are errors", "[unit][query]") {
    const GraphSnapshot s = fixture();
    const auto r = query::impact(s, "Canva", {});
    REQUIRE(r);
    CHECK(r->rows.empty());
    query::ImpactOptions o;
    o.max_depth = 0;
    const auto bad = query::impact(s, "Canva", o);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::invalid_value);
    CHECK(query::impact(s, "Canvas", {}).error().code == ErrorCode::not_found);
}

TEST_CASE("impact orders by name, not by index, and keeps the path through the first name", "[unit][query]") {
    GraphSnapshot s = fixture();
    s.tools[mailchimp].name = "Zeta Mail";  // now after Salesforce by name, still before it by index
    const auto r = query::impact(s, "HubSpot", {});
    REQUIRE(r);
    CHECK(describe(s, *r) == std::vector<std::string>{
                                 "1:Salesforce via HubSpot Salesforce [contacts,leads]",
                                 "1:Zeta Mail via HubSpot Zeta Mail [contacts]",
                                 "2:Looker via HubSpot Salesforce Looker [revenue]",
                                 "2:Zoho CRM via HubSpot Salesforce Zoho CRM [leads]",
                                 "3:Tableau via HubSpot Salesforce Zoho CRM Tableau [leads]",
                             });
}
