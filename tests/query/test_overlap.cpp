// overlap on the fixture: which pairs, their numbers, the filters, and the empty answers.
#include "fixture.hpp"

using namespace query_test;

namespace {

struct Row {
    std::string capability, a, b;
    std::size_t shared;
};

std::vector<Row> rows(const GraphSnapshot& s, const query::OverlapResult& r) {
    std::vector<Row> out;
    for (const auto& g : r.groups)
        for (const auto& p : g.pairs)
            out.push_back({s.capabilities[g.capability], s.tools[p.a.tool].name, s.tools[p.b.tool].name, p.shared});
    return out;
}

std::vector<std::string> labels(const GraphSnapshot& s, const query::OverlapResult& r) {
    std::vector<std::string> out;
    for (const Row& row : rows(s, r)) out.push_back(row.capability + ":" + row.a + "+" + row.b + "=" + std::to_string(row.shared));
    return out;
}

const query::OverlapPair& pair_of(const GraphSnapshot& s, const query::OverlapResult& r, std::string_view capability,
                                  std::uint32_t a, std::uint32_t b) {
    for (const auto& g : r.groups)
        if (s.capabilities[g.capability] == capability)
            for (const auto& p : g.pairs)
                if (p.a.tool == a && p.b.tool == b) return p;
    FAIL("no pair " << a << "+" << b << " in " << capability);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("overlap of every tool: groups by capability, pairs by shared users", "[unit][query]") {
    const GraphSnapshot s = fixture();
    const auto r = query::overlap(s, {});
    REQUIRE(r);
    CHECK(labels(s, *r) == std::vector<std::string>{
                               "bi:Looker+Tableau=0",
                               "crm:HubSpot+Salesforce=2", "crm:HubSpot+Zoho CRM=2", "crm:Salesforce+Zoho CRM=1",
                               "email:HubSpot+Salesforce=2", "email:HubSpot+Mailchimp=1", "email:Mailchimp+Salesforce=1",
                           });
    // HubSpot + Salesforce share crm and email: one distinct pair, its savings counted once.
    CHECK(r->pairs == 6);
    CHECK(r->total_savings == Approx(3200.0));
    CHECK(r->unknown_savings == 2);
    CHECK(names(s, r->groups[1].tools) == std::vector<std::string>{"HubSpot", "Salesforce", "Zoho CRM"});
    // Shadow App is not in the catalog and Canva has nobody to share design with.
    for (const auto& g : r->groups)
        for (const std::uint32_t t : g.tools) CHECK((t != shadow_app && t != canva));
}

TEST_CASE("overlap pair numbers: active users, seats, Jaccard, the smaller side and its savings", "[unit][query]") {
    const GraphSnapshot s = fixture();
    const auto r = query::overlap(s, {});
    REQUIRE(r);
    const auto& hs = pair_of(s, *r, "crm", hubspot, salesforce);
    CHECK(hs.a.active_users == 4);
    CHECK(hs.a.seats == 4);
    CHECK(hs.b.active_users == 2);
    CHECK(hs.b.seats == 4);
    CHECK(hs.shared == 2);
    REQUIRE(hs.jaccard);
    CHECK(*hs.jaccard == Approx(0.5));  // 2 / (4 + 2 - 2)
    CHECK(hs.smaller == salesforce);    // fewer active users
    CHECK(hs.consolidation_savings == Approx(3000.0));  // 2 shared * 1,500

    const auto& sz = pair_of(s, *r, "crm", salesforce, zoho);
    CHECK(*sz.jaccard == Approx(1.0 / 3.0));
    CHECK(sz.smaller == zoho);  // 2 active each; Zoho has no seats
    CHECK_FALSE(sz.consolidation_savings);  // Zoho's cost per seat is unknown

    const auto& hm = pair_of(s, *r, "email", hubspot, mailchimp);
    CHECK(*hm.jaccard == Approx(0.25));
    CHECK(hm.smaller == mailchimp);
    CHECK(hm.consolidation_savings == Approx(100.0));

    const auto& lt = pair_of(s, *r, "bi", looker, tableau);
    CHECK(lt.shared == 0);
    CHECK(*lt.jaccard == Approx(0.0));  // Looker has an active user, so not null
    CHECK(lt.smaller == tableau);
    CHECK(lt.consolidation_savings == Approx(0.0));
}

TEST_CASE("overlap: a Jaccard with nobody active is null and a full tie drops the later name", "[unit][query]") {
    GraphSnapshot s;
    s.people = {{"a@x.com"}, {"b@x.com"}};
    s.capabilities = {"chat"};
    s.tools.resize(3);
    s.tools[0].name = "Alpha";
    s.tools[1].name = "beta";
    s.tools[2].name = "Gamma";
    for (auto& t : s.tools) {
        t.capabilities = {0};
        t.cost_per_seat = 10;
    }
    // Alpha and beta: 1 active each, 1 seat each, one shared person; Gamma: nobody.
    s.uses = {{0, 0, true, true}, {1, 0, true, true}};
    const auto r = query::overlap(s, {});
    REQUIRE(r);
    REQUIRE(r->groups.size() == 1);
    const auto& pairs = r->groups[0].pairs;
    REQUIRE(pairs.size() == 3);
    CHECK(pairs[0].a.tool == 0);
    CHECK(pairs[0].b.tool == 1);
    CHECK(pairs[0].smaller == 1);  // tie on users and seats: the later name, "beta"
    CHECK(pairs[0].consolidation_savings == Approx(10.0));
    // Alpha+Gamma, then beta+Gamma (case-insensitive name order).
    CHECK(pairs[1].a.tool == 0);
    CHECK(pairs[2].a.tool == 1);
    CHECK(*pairs[1].jaccard == Approx(0.0));

    s.uses.clear();
    const auto none = query::overlap(s, {});
    REQUIRE(none);
    for (const auto& p : none->groups[0].pairs) CHECK_FALSE(p.jaccard);
    // A null Jaccard passes only a zero minimum.
    query::OverlapOptions o;
    o.min_jaccard = 0.01;
    CHECK(query::overlap(s, o)->groups.empty());
}

TEST_CASE("overlap filters: tool, capability, department, minimum shared users and Jaccard", "[unit][query]") {
    const GraphSnapshot s = fixture();
    query::OverlapOptions o;

    o.tool = "hubspot";
    auto r = query::overlap(s, o);
    REQUIRE(r);
    CHECK(labels(s, *r) == std::vector<std::string>{"crm:HubSpot+Salesforce=2", "crm:HubSpot+Zoho CRM=2",
                                                    "email:HubSpot+Salesforce=2", "email:HubSpot+Mailchimp=1"});
    CHECK(r->pairs == 3);
    CHECK(r->options.tool == "HubSpot");
    CHECK(names(s, r->groups[1].tools) == std::vector<std::string>{"HubSpot", "Mailchimp", "Salesforce"});

    o = {};
    o.capabilities = {"EMAIL", "email"};
    r = query::overlap(s, o);
    REQUIRE(r);
    REQUIRE(r->groups.size() == 1);
    CHECK(s.capabilities[r->groups[0].capability] == "email");
    CHECK(r->options.capabilities == std::vector<std::string>{"email"});
    CHECK(r->pairs == 3);

    o = {};
    o.department = "sales";  // either side owned by Sales
    r = query::overlap(s, o);
    REQUIRE(r);
    CHECK(labels(s, *r) == std::vector<std::string>{"crm:HubSpot+Salesforce=2", "crm:HubSpot+Zoho CRM=2",
                                                    "crm:Salesforce+Zoho CRM=1", "email:HubSpot+Salesforce=2",
                                                    "email:Mailchimp+Salesforce=1"});
    CHECK(r->options.department == "Sales");

    o = {};
    o.min_shared = 2;
    r = query::overlap(s, o);
    REQUIRE(r);
    CHECK(labels(s, *r) == std::vector<std::string>{"crm:HubSpot+Salesforce=2", "crm:HubSpot+Zoho CRM=2",
                                                    "email:HubSpot+Salesforce=2"});
    CHECK(r->pairs == 2);
    CHECK(r->total_savings == Approx(3000.0));

    o = {};
    o.min_jaccard = 0.5;
    r = query::overlap(s, o);
    REQUIRE(r);
    CHECK(labels(s, *r) == std::vector<std::string>{"crm:HubSpot+Salesforce=2", "crm:HubSpot+Zoho CRM=2",
                                                    "email:HubSpot+Salesforce=2", "email:Mailchimp+Salesforce=1"});

    o = {};
    o.tool = "Salesforce";
    o.capabilities = {"crm"};
    o.min_shared = 2;
    r = query::overlap(s, o);
    REQUIRE(r);
    CHECK(labels(s, *r) == std::vector<std::string>{"crm:HubSpot+Salesforce=2"});
}

TEST_CASE("overlap: a tool with no overlaps, a tool outside the catalog, and bad options", "[unit][query]") {
    const GraphSnapshot s = fixture();
    query::OverlapOptions o;
    for (const char* tool : {"Canva", "Shadow App"}) {
        o.tool = tool;
        const auto r = query::overlap(s, o);
        REQUIRE(r);
        CHECK(r->groups.empty());
        CHECK(r->pairs == 0);
        CHECK(r->total_savings == 0);
    }
    o = {};
    o.tool = "Hubspt";
    auto bad = query::overlap(s, o);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::not_found);
    CHECK(bad.error().message.find("did you mean \"HubSpot\"") != std::string::npos);

    o = {};
    o.capabilities = {"crm", "chat"};
    bad = query::overlap(s, o);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("no capability \"chat\"") != std::string::npos);

    o = {};
    o.department = "Legal";
    CHECK(query::overlap(s, o).error().code == ErrorCode::not_found);

    o = {};
    o.min_jaccard = 1.5;
    bad = query::overlap(s, o);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::invalid_value);
}
