// Building the audit graph: vertices, typed edges, flags, lookup indices and SSO matching.
#include "fixture.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include "stackaudit/core/strings.hpp"
#include "stackaudit/graph/graph_impl.hpp"

using namespace stackaudit;
using namespace stackaudit::graph;
using namespace graph_test;

namespace {

std::size_t out_degree_of(const AuditGraph::Impl& impl, Vertex v, EdgeKind kind) {
    std::size_t n = 0;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, impl.g)))
        if (impl.g[e].kind == kind) ++n;
    return n;
}

// The vertex at the other end of v's only out-edge of `kind`.
Vertex only_target(const AuditGraph::Impl& impl, Vertex v, EdgeKind kind) {
    std::optional<Vertex> found;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, impl.g)))
        if (impl.g[e].kind == kind) {
            REQUIRE_FALSE(found.has_value());
            found = boost::target(e, impl.g);
        }
    REQUIRE(found.has_value());
    return *found;
}

Tool tool(std::string name, std::string label = "") {
    Tool t;
    t.name = std::move(name);
    t.sso_app_label = std::move(label);
    return t;
}

Usage usage(std::string label, std::string name, std::string login, std::string user_id = "") {
    Usage u;
    u.app_label = std::move(label);
    u.app_name = std::move(name);
    u.user_login = std::move(login);
    u.user_id = std::move(user_id);
    u.events = 1;
    u.events_in_window = 1;
    return u;
}

}  // namespace

TEST_CASE("an empty dataset gives an empty graph", "[unit][graph]") {
    AuditGraph g = AuditGraph::build(Dataset{});
    CHECK(g.vertex_count() == 0);
    CHECK(g.edge_count() == 0);
    Dataset data;
    CHECK(compute_subjects(g, data).subjects.empty());
}

TEST_CASE("vertex and edge counts of the fixture", "[unit][graph]") {
    const Dataset data = fixture();
    const AuditGraph g = AuditGraph::build(data);
    // People: 7 in the directory + ghost (owner) + zed (seat) + mallory (SSO only).
    CHECK(g.count(VertexKind::person) == 10);
    // Growth (alice, gina: spelled "growth" in "marketing"), East, Brand, Ops, West; dave has no team.
    CHECK(g.count(VertexKind::team) == 5);
    CHECK(g.count(VertexKind::department) == 4);
    CHECK(g.count(VertexKind::tool) == 5);        // 4 in the catalog + Zapier
    CHECK(g.count(VertexKind::capability) == 4);  // crm, reporting, email marketing, design
    CHECK(g.count(VertexKind::app) == 5);
    CHECK(g.vertex_count() == 33);

    CHECK(g.count(EdgeKind::member_of) == 7);
    CHECK(g.count(EdgeKind::part_of) == 5);
    CHECK(g.count(EdgeKind::business_owner) == 4);
    CHECK(g.count(EdgeKind::technical_owner) == 3);
    CHECK(g.count(EdgeKind::holds_seat) == 6);
    CHECK(g.count(EdgeKind::provides) == 6);
    CHECK(g.count(EdgeKind::feeds) == 4);
    CHECK(g.count(EdgeKind::signs_in_as) == 4);
    CHECK(g.count(EdgeKind::uses) == 13);
    CHECK(g.edge_count() == 52);
}

TEST_CASE("lookup indices, flags and edge properties", "[unit][graph]") {
    const Dataset data = fixture();
    const AuditGraph graph = AuditGraph::build(data);
    const AuditGraph::Impl& impl = graph.impl();
    const Graph& g = impl.g;

    SECTION("people") {
        auto alice = impl.person(" Alice@X.com ");
        REQUIRE(alice);
        CHECK(g[*alice].known);
        CHECK(g[*alice].record == 0);
        CHECK(g[*alice].user_id == "u1");
        for (const char* email : {"ghost@x.com", "zed@x.com", "mallory@y.com"}) {
            INFO(email);
            auto v = impl.person(email);
            REQUIRE(v);
            CHECK_FALSE(g[*v].known);
            CHECK(g[*v].record == k_no_record);
            CHECK(out_degree_of(impl, *v, EdgeKind::member_of) == 0);
        }
        CHECK(g[*impl.person("mallory@y.com")].user_id == "uX");
        CHECK_FALSE(impl.person("alice.old@x.com"));  // matched to alice by user id instead
        // alice -> Growth -> Marketing; dave belongs to Engineering directly.
        Vertex team = only_target(impl, *alice, EdgeKind::member_of);
        CHECK(g[team].kind == VertexKind::team);
        CHECK(g[team].name == "Growth");
        CHECK(g[only_target(impl, team, EdgeKind::part_of)].name == "Marketing");
        Vertex dept = only_target(impl, *impl.person("dave@x.com"), EdgeKind::member_of);
        CHECK(g[dept].kind == VertexKind::department);
        CHECK(g[dept].name == "Engineering");
        CHECK(only_target(impl, *impl.person("gina@x.com"), EdgeKind::member_of) == team);
        CHECK(impl.department("MARKETING") == impl.department("marketing"));
    }

    SECTION("tools and capabilities") {
        auto salesforce = impl.tool("SALESFORCE");
        REQUIRE(salesforce);
        CHECK(g[*salesforce].known);
        CHECK(g[*salesforce].record == 0);
        auto zapier = impl.tool("zapier");
        REQUIRE(zapier);
        CHECK_FALSE(g[*zapier].known);
        CHECK(g[*zapier].name == "Zapier");  // as first spelled
        CHECK(out_degree_of(impl, *salesforce, EdgeKind::provides) == 2);
        CHECK(impl.capability("CRM"));
        CHECK(g[*impl.capability("Email Marketing")].name == "email marketing");
        CHECK(out_degree_of(impl, *zapier, EdgeKind::feeds) == 1);
        CHECK(out_degree_of(impl, *salesforce, EdgeKind::feeds) == 2);
    }

    SECTION("seat edges carry the seat index") {
        std::vector<std::size_t> records;
        for (auto e : boost::make_iterator_range(boost::edges(g)))
            if (g[e].kind == EdgeKind::holds_seat) {
                const Seat& seat = data.seats.at(g[e].record);
                CHECK(g[boost::source(e, g)].name == seat.email);
                CHECK(iequals(g[boost::target(e, g)].name, seat.tool));
                records.push_back(g[e].record);
            }
        std::sort(records.begin(), records.end());
        CHECK(records == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
    }

    SECTION("usage edges carry dates and counts; unmatched apps are used directly") {
        auto frank = impl.person("frank@x.com");
        auto salesforce = impl.tool("Salesforce");
        auto notion = impl.app("NOTION");
        REQUIRE(frank);
        REQUIRE(notion);
        CHECK_FALSE(g[*notion].known);
        bool saw_salesforce = false, saw_notion = false;
        for (auto e : boost::make_iterator_range(boost::out_edges(*frank, g))) {
            const EdgeProps& p = g[e];
            if (p.kind != EdgeKind::uses) continue;
            if (boost::target(e, g) == *salesforce) {
                saw_salesforce = true;
                CHECK(p.last_seen == at(2026, 10, 30, 8));
                CHECK(p.first_seen == at(2026, 8, 1));
                CHECK(p.events == 10);
                CHECK(p.events_in_window == 3);
                CHECK(p.record == 0);
                CHECK(p.app == *impl.app("salesforce_prod"));
            }
            if (boost::target(e, g) == *notion) {
                saw_notion = true;
                CHECK(p.app == *notion);
            }
        }
        CHECK(saw_salesforce);
        CHECK(saw_notion);
        auto app = impl.app("salesforce_prod");
        REQUIRE(app);
        CHECK(g[*app].known);
        CHECK(only_target(impl, *salesforce, EdgeKind::signs_in_as) == *app);
    }
}

TEST_CASE("SSO apps match catalog tools by label, then by name, case-insensitively", "[unit][graph]") {
    Dataset data;
    data.tools = {tool("Alpha", "alpha_sso"), tool("Beta"), tool("Gamma", "gamma"), tool("Pi", "shared"), tool("shared")};
    data.usage = {
        usage("ALPHA_SSO", "Something Else", "a@x.com"),  // SSO label = app label
        usage("x1", "GAMMA", "a@x.com"),                  // SSO label = app display name
        usage("x2", "beta", "a@x.com"),                   // tool name = app display name
        usage("Beta ", "zzz", "a@x.com"),                 // tool name = app label
        usage("shared", "other", "a@x.com"),              // SSO label beats a tool name
        usage("nothing", "Nothing", "a@x.com"),           // no match
    };
    data.sources = {SourceReport{.name = "okta_log", .kind = "okta_log", .ok = true, .sso_usage = true}};
    const AuditGraph graph = AuditGraph::build(data);
    const SubjectSet set = compute_subjects(graph, data);
    CHECK(fact(set, "app:alpha_sso", "app", "matched_tool") == Value("Alpha"));
    CHECK(fact(set, "app:x1", "app", "matched_tool") == Value("Gamma"));
    CHECK(fact(set, "app:x2", "app", "matched_tool") == Value("Beta"));
    CHECK(fact(set, "app:beta", "app", "matched_tool") == Value("Beta"));
    CHECK(fact(set, "app:shared", "app", "matched_tool") == Value("Pi"));
    CHECK(fact(set, "app:nothing", "app", "matched_tool") == Value(""));
    CHECK(fact(set, "app:nothing", "app", "in_catalog") == Value(false));
    CHECK(fact(set, "tool:beta", "tool", "users_total") == Value(1));
    CHECK(fact(set, "tool:shared", "tool", "users_total") == Value(0));
    CHECK(graph.count(EdgeKind::signs_in_as) == 5);
    CHECK(graph.count(VertexKind::person) == 1);  // the same unknown user every time
}

TEST_CASE("usage matches people by login first, then by directory user id", "[unit][graph]") {
    Dataset data;
    Person ann;
    ann.user_id = "id-ann";
    ann.email = "ann@x.com";
    ann.department = "Sales";
    Person ben;
    ben.user_id = "id-ben";
    ben.email = "ben@x.com";
    ben.department = "IT";
    data.people = {ann, ben};
    data.tools = {tool("App", "app")};
    data.usage = {
        usage("app", "App", "ann@x.com", "id-ben"),    // login wins over user id
        usage("app", "App", "ben.old@x.com", "id-ben"),  // login unknown: user id
        usage("app", "App", "", "id-ghost"),           // neither: unknown person by actor id
        usage("app", "App", "", "id-ghost"),
    };
    const AuditGraph graph = AuditGraph::build(data);
    const Graph& g = graph.impl().g;
    std::map<std::string, int> uses_by_person;
    for (auto e : boost::make_iterator_range(boost::edges(g)))
        if (g[e].kind == EdgeKind::uses) ++uses_by_person[g[boost::source(e, g)].name];
    CHECK(uses_by_person == std::map<std::string, int>{{"ann@x.com", 1}, {"ben@x.com", 1}, {"id-ghost", 2}});
    CHECK(graph.count(VertexKind::person) == 3);
    const SubjectSet set = compute_subjects(graph, data);
    CHECK(fact(set, "app:app", "app", "departments") == strings({"(unknown)", "IT", "Sales"}));
}

TEST_CASE("usage_tracked and utilisation from a seat export's activity column alone", "[unit][graph]") {
    Dataset data;
    data.as_of = at(2026, 11, 1);
    Tool t = tool("Zoom", "zoom");
    t.contract_seats = 2;
    t.annual_cost_per_seat = 100.0;
    data.tools = {t};
    Seat a;
    a.tool = "Zoom";
    a.email = "a@x.com";
    a.has_activity_column = true;
    a.last_activity = at(2026, 10, 20);
    Seat b = a;
    b.email = "b@x.com";
    b.last_activity = std::nullopt;
    data.seats = {a, b};
    SECTION("seat source read, no Okta log: tracked through the export") {
        data.sources = {SourceReport{.name = "seats:zoom", .kind = "seats", .ok = true, .seat_tools = {"zoom"}}};
        const AuditGraph graph = AuditGraph::build(data);
        const SubjectSet set = compute_subjects(graph, data);
        CHECK(fact(set, "tool:zoom", "tool", "has_seat_data") == Value(true));
        CHECK(fact(set, "tool:zoom", "tool", "usage_tracked") == Value(true));
        CHECK(fact(set, "tool:zoom", "tool", "utilisation") == Value(0.5));
        CHECK(fact(set, "tool:zoom", "tool", "seats_over_contract") == Value(0));
        CHECK(fact(set, "tool:zoom", "tool", "idle_seat_cost") == Value(100.0));
        CHECK(fact(set, "tool:zoom", "tool", "unknown_seats") == Value(2));
    }
    SECTION("no activity column and no Okta log: not tracked, no utilisation") {
        data.seats[0].has_activity_column = false;
        data.seats[1].has_activity_column = false;
        data.sources = {SourceReport{.name = "seats:Zoom", .kind = "seats", .ok = true, .seat_tools = {"Zoom"}}, SourceReport{.name = "okta_log", .kind = "okta_log", .ok = false, .sso_usage = true}};
        const AuditGraph graph = AuditGraph::build(data);
        const SubjectSet set = compute_subjects(graph, data);
        CHECK(fact(set, "tool:zoom", "tool", "usage_tracked") == Value(false));
        CHECK(fact(set, "tool:zoom", "tool", "utilisation") == Value{});
        CHECK(fact(set, "tool:zoom", "tool", "idle_seats") == Value(0));
        CHECK(fact(set, "tool:zoom", "tool", "annual_cost") == Value(200.0));
        CHECK(fact(set, "seat:zoom:a@x.com", "seat", "usage_tracked") == Value(false));
    }
    SECTION("no contract: annual cost from assigned seats") {
        data.tools[0].contract_seats = std::nullopt;
        data.sources = {SourceReport{.name = "seats:Zoom", .kind = "seats", .ok = true, .seat_tools = {"Zoom"}}};
        const AuditGraph graph = AuditGraph::build(data);
        const SubjectSet set = compute_subjects(graph, data);
        CHECK(fact(set, "tool:zoom", "tool", "annual_cost") == Value(200.0));
        CHECK(fact(set, "tool:zoom", "tool", "seats_over_contract") == Value{});
    }
}

TEST_CASE("pairs with nobody active and no costs, intended share with nobody active", "[unit][graph]") {
    Dataset data;
    Tool a = tool("Asana");
    a.capabilities = {"Projects"};
    a.owning_department = "Product";
    a.intended_departments = {"Product"};
    Tool b = tool("monday.com");
    b.capabilities = {"projects", "CRM"};
    data.tools = {b, a};
    const AuditGraph graph = AuditGraph::build(data);
    const SubjectSet set = compute_subjects(graph, data);
    check_frame(set, "pair:asana|monday.com", "pair",
                {{"capabilities", strings({"projects"})},
                 {"shared_users", 0},
                 {"jaccard", Value{}},
                 {"same_owning_department", false},
                 {"overlap_cost", Value{}},
                 {"combined_annual_cost", Value{}}});
    const Subject* pair = find_subject(set, "pair:asana|monday.com");
    REQUIRE(pair);
    CHECK(pair->tool == "Asana + monday.com");
    CHECK(pair->department == "Product");
    CHECK(fact(set, "tool:asana", "tool", "intended_share") == Value{});
    CHECK(fact(set, "tool:asana", "tool", "outside_intended_users") == Value(0));
}

TEST_CASE("shared_users agrees with a brute-force count on a larger company", "[unit][graph]") {
    Dataset data;
    data.as_of = at(2026, 11, 1);
    const int tools = 60, people = 400;
    for (int t = 0; t < tools; ++t) {
        Tool x = tool(numbered("Tool ", t), numbered("app", t));
        x.capabilities = {numbered("five-", t % 5), numbered("seven-", t % 7)};
        data.tools.push_back(x);
    }
    std::uint64_t state = 42;
    auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    };
    std::map<int, std::set<int>> active;
    for (int p = 0; p < people; ++p) {
        for (int k = 0; k < 12; ++k) {
            int t = static_cast<int>(next() % tools);
            bool in_window = next() % 3 != 0;
            Usage u = usage(numbered("app", t), "", numbered("p", p) + "@x.com");
            u.events_in_window = in_window ? 1 : 0;
            data.usage.push_back(u);
            if (in_window) active[t].insert(p);
        }
    }
    const AuditGraph graph = AuditGraph::build(data);
    const SubjectSet set = compute_subjects(graph, data);
    std::size_t pairs = 0;
    for (const Subject& s : set.subjects) {
        if (s.kind != "tool_pair") continue;
        ++pairs;
        const std::string a = frame_of(s, "a").at(0).as_string();
        const std::string b = frame_of(s, "b").at(0).as_string();
        const int ta = std::stoi(a.substr(5)), tb = std::stoi(b.substr(5));
        std::vector<int> both;
        std::set_intersection(active[ta].begin(), active[ta].end(), active[tb].begin(), active[tb].end(),
                              std::back_inserter(both));
        INFO(s.key);
        CHECK(fact(set, s.key, "pair", "shared_users") == Value(both.size()));
        CHECK(to_lower(a) < to_lower(b));
    }
    // Tools t and u share a capability when t = u mod 5 or t = u mod 7.
    std::size_t expected = 0;
    for (int t = 0; t < tools; ++t)
        for (int u = t + 1; u < tools; ++u)
            if (t % 5 == u % 5 || t % 7 == u % 7) ++expected;
    CHECK(pairs == expected);
}
