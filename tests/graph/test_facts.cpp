// Subjects and every fact of every frame on the fixture company (fixture.cpp), worked out by
// hand. as_of is 2026-11-01T12:00Z; the 30-day window starts 2026-10-02T12:00Z.
#include "fixture.hpp"

using namespace stackaudit;
using namespace stackaudit::graph;
using namespace graph_test;

namespace {

const SubjectSet& subjects() {
    static const Dataset data = fixture();
    static const AuditGraph graph = AuditGraph::build(data);
    static const SubjectSet set = compute_subjects(graph, data);
    return set;
}

std::vector<std::string> keys_of(const SubjectSet& set) {
    std::vector<std::string> keys;
    for (const Subject& s : set.subjects) keys.push_back(s.key);
    return keys;
}

const Subject& subject(std::string_view key) {
    const Subject* s = find_subject(subjects(), key);
    INFO(key);
    REQUIRE(s != nullptr);
    return *s;
}

void check_defaults(std::string_view key, const std::string& tool, const std::string& department,
                    const std::vector<std::string>& owners) {
    INFO(key);
    const Subject& s = subject(key);
    CHECK(s.tool == tool);
    CHECK(s.department == department);
    CHECK(s.owners == owners);
}

}  // namespace

TEST_CASE("subjects come in catalog kind order, then by key", "[unit][graph]") {
    const std::vector<std::string> expected = {
        "tool:canva",
        "tool:hubspot marketing hub",
        "tool:marketo",
        "tool:salesforce",
        "tool:zapier",
        "seat:canva:dave@x.com",
        "seat:salesforce:alice@x.com",
        "seat:salesforce:bob@x.com",
        "seat:salesforce:carol@x.com",
        "seat:salesforce:frank@x.com",
        "seat:salesforce:zed@x.com",
        "owner:hubspot marketing hub:business:alice@x.com",
        "owner:marketo:business:carol@x.com",
        "owner:salesforce:business:bob@x.com",
        "owner:salesforce:business:frank@x.com",
        "owner:salesforce:technical:erin@x.com",
        "owner:salesforce:technical:frank@x.com",
        "owner:salesforce:technical:ghost@x.com",
        "pair:hubspot marketing hub|marketo",
        "pair:hubspot marketing hub|salesforce",
        "integration:hubspot marketing hub>zapier",
        "integration:salesforce>hubspot marketing hub",
        "integration:salesforce>hubspot marketing hub#2",
        "integration:zapier>salesforce",
        "app:canva-123",
        "app:hubspot_x",
        "app:marketo_sso",
        "app:notion",
        "app:salesforce_prod",
    };
    CHECK(keys_of(subjects()) == expected);
    for (const Subject& s : subjects().subjects) {
        INFO(s.key);
        const SubjectKind* kind = fact_catalog().kind(s.kind);
        REQUIRE(kind != nullptr);
        CHECK(s.key.starts_with(s.kind == "tool_pair" ? std::string("pair:") : s.kind + ":"));
        REQUIRE(s.frames.size() == kind->frames.size());
        for (std::size_t i = 0; i < s.frames.size(); ++i) {
            REQUIRE(s.frames[i] != nullptr);
            CHECK(s.frames[i]->size() == fact_catalog().frame(kind->frames[i].frame)->facts.size());
        }
    }
}

TEST_CASE("computing twice gives the same subjects and facts", "[unit][graph]") {
    Dataset data = fixture();
    AuditGraph graph = AuditGraph::build(data);
    SubjectSet again = compute_subjects(graph, data);
    REQUIRE(keys_of(again) == keys_of(subjects()));
    for (std::size_t i = 0; i < again.subjects.size(); ++i)
        for (std::size_t f = 0; f < again.subjects[i].frames.size(); ++f)
            CHECK(*again.subjects[i].frames[f] == *subjects().subjects[i].frames[f]);
}

TEST_CASE("tool frames are computed once and shared", "[unit][graph]") {
    const auto* salesforce = subject("tool:salesforce").frames[0];
    CHECK(subject("seat:salesforce:alice@x.com").frames[2] == salesforce);
    CHECK(subject("owner:salesforce:business:bob@x.com").frames[2] == salesforce);
    CHECK(subject("pair:hubspot marketing hub|salesforce").frames[2] == salesforce);
    CHECK(subject("integration:zapier>salesforce").frames[2] == salesforce);
    CHECK(subject("integration:salesforce>hubspot marketing hub").frames[1] == salesforce);
    // frank holds a seat and owns Salesforce in two roles: one person frame.
    const auto* frank = subject("seat:salesforce:frank@x.com").frames[1];
    CHECK(subject("owner:salesforce:business:frank@x.com").frames[1] == frank);
    CHECK(subject("owner:salesforce:technical:frank@x.com").frames[1] == frank);
}

TEST_CASE("tool frame: Salesforce (seat data, departed and unknown owners, window boundary)", "[unit][graph]") {
    // Seats: alice active by export at exactly the window start, bob's export one second
    // earlier (idle), carol never, zed never, frank by SSO. Active users: alice, frank.
    check_frame(subjects(), "tool:salesforce", "tool",
                {
                    {"name", "Salesforce"},
                    {"vendor", "Salesforce"},
                    {"sso_app_label", "salesforce_prod"},
                    {"in_catalog", true},
                    {"capabilities", strings({"crm", "reporting"})},
                    {"owning_department", "Sales"},
                    {"intended_departments", strings({"Sales"})},
                    {"intended_for_all", false},
                    {"business_owners", strings({"bob@x.com", "frank@x.com"})},
                    {"technical_owners", strings({"erin@x.com", "frank@x.com", "ghost@x.com"})},
                    {"active_business_owners", 1},
                    {"active_technical_owners", 2},
                    {"departed_owners", strings({"bob@x.com"})},
                    {"unknown_owners", strings({"ghost@x.com"})},
                    {"owner_departments", strings({"IT", "Sales"})},
                    {"business_owner_departments", strings({"Sales"})},
                    {"owner_conflicts", strings({"line 9: business_owner zz@x.com (line 2 says bob@x.com)"})},
                    {"it_review", "approved"},
                    {"it_reviewed", true},
                    {"contract_seats", 4},
                    {"cost_per_seat", 1000.0},
                    {"annual_cost", 4000.0},
                    {"renewal_date", day(2026, 12, 1)},
                    {"days_to_renewal", 30},
                    {"has_seat_data", true},
                    {"usage_tracked", true},
                    {"assigned_seats", 5},
                    {"active_seats", 2},
                    {"idle_seats", 3},
                    {"departed_seats", 2},
                    {"unknown_seats", 1},
                    {"utilisation", 0.4},
                    {"seats_over_contract", 1},
                    {"active_users", 2},
                    {"users_total", 2},
                    {"top_department", "Marketing"},
                    {"top_department_share", 0.5},
                    {"intended_share", 0.5},
                    {"outside_intended_users", 1},
                    {"departments_using", strings({"Marketing", "Sales"})},
                    {"integrations", 3},
                    {"feeds_to", strings({"HubSpot Marketing Hub"})},
                    {"fed_by", strings({"Zapier"})},
                    {"data_categories", strings({"contacts", "leads"})},
                    {"idle_seat_cost", 3000.0},
                });
    check_defaults("tool:salesforce", "Salesforce", "Sales", {"bob@x.com", "frank@x.com", "erin@x.com", "ghost@x.com"});
}

TEST_CASE("tool frame: HubSpot (intended for all, not usage tracked, no costs)", "[unit][graph]") {
    // Matched by tool name through the app's display name; no SSO label, so not usage tracked.
    // Active: alice and gina (Marketing), mallory (not in the directory).
    check_frame(subjects(), "tool:hubspot marketing hub", "tool",
                {
                    {"name", "HubSpot Marketing Hub"},
                    {"vendor", "HubSpot"},
                    {"sso_app_label", ""},
                    {"in_catalog", true},
                    {"capabilities", strings({"crm", "email marketing"})},
                    {"owning_department", "marketing"},
                    {"intended_departments", empty_list()},
                    {"intended_for_all", true},
                    {"business_owners", strings({"alice@x.com"})},
                    {"technical_owners", empty_list()},
                    {"active_business_owners", 1},
                    {"active_technical_owners", 0},
                    {"departed_owners", empty_list()},
                    {"unknown_owners", empty_list()},
                    {"owner_departments", strings({"Marketing"})},
                    {"business_owner_departments", strings({"Marketing"})},
                    {"owner_conflicts", empty_list()},
                    {"it_review", "pending"},
                    {"it_reviewed", false},
                    {"contract_seats", Value{}},
                    {"cost_per_seat", Value{}},
                    {"annual_cost", Value{}},
                    {"renewal_date", Value{}},
                    {"days_to_renewal", Value{}},
                    {"has_seat_data", false},
                    {"usage_tracked", false},
                    {"assigned_seats", 0},
                    {"active_seats", 0},
                    {"idle_seats", 0},
                    {"departed_seats", 0},
                    {"unknown_seats", 0},
                    {"utilisation", Value{}},
                    {"seats_over_contract", Value{}},
                    {"active_users", 3},
                    {"users_total", 3},
                    {"top_department", "Marketing"},
                    {"top_department_share", 2.0 / 3.0},
                    {"intended_share", Value{}},
                    {"outside_intended_users", 0},
                    {"departments_using", strings({"Marketing", "(unknown)"})},
                    {"integrations", 3},
                    {"feeds_to", strings({"Zapier"})},
                    {"fed_by", strings({"Salesforce"})},
                    {"data_categories", strings({"contacts", "leads", "pii"})},
                    {"idle_seat_cost", Value{}},
                });
    check_defaults("tool:hubspot marketing hub", "HubSpot Marketing Hub", "marketing", {"alice@x.com"});
}

TEST_CASE("tool frame: Marketo (utilisation from contract seats, department tie, renewal past)", "[unit][graph]") {
    // Active: alice (Marketing), frank (Sales), dave (Engineering); bob used it before the window.
    check_frame(subjects(), "tool:marketo", "tool",
                {
                    {"name", "Marketo"},
                    {"vendor", "Adobe"},
                    {"sso_app_label", "marketo_sso"},
                    {"in_catalog", true},
                    {"capabilities", strings({"email marketing"})},
                    {"owning_department", "Marketing"},
                    {"intended_departments", strings({"Marketing", "Sales"})},
                    {"intended_for_all", false},
                    {"business_owners", strings({"carol@x.com"})},
                    {"technical_owners", empty_list()},
                    {"active_business_owners", 0},
                    {"active_technical_owners", 0},
                    {"departed_owners", strings({"carol@x.com"})},
                    {"unknown_owners", empty_list()},
                    {"owner_departments", empty_list()},
                    {"business_owner_departments", empty_list()},
                    {"owner_conflicts", empty_list()},
                    {"it_review", "none"},
                    {"it_reviewed", false},
                    {"contract_seats", 10},
                    {"cost_per_seat", 2000.0},
                    {"annual_cost", 20000.0},
                    {"renewal_date", day(2026, 10, 1)},
                    {"days_to_renewal", -31},
                    {"has_seat_data", false},
                    {"usage_tracked", true},
                    {"assigned_seats", 0},
                    {"active_seats", 0},
                    {"idle_seats", 0},
                    {"departed_seats", 0},
                    {"unknown_seats", 0},
                    {"utilisation", 0.3},
                    {"seats_over_contract", Value{}},
                    {"active_users", 3},
                    {"users_total", 4},
                    {"top_department", "Engineering"},
                    {"top_department_share", 1.0 / 3.0},
                    {"intended_share", 2.0 / 3.0},
                    {"outside_intended_users", 1},
                    {"departments_using", strings({"Engineering", "Marketing", "Sales"})},
                    {"integrations", 0},
                    {"feeds_to", empty_list()},
                    {"fed_by", empty_list()},
                    {"data_categories", empty_list()},
                    {"idle_seat_cost", 0.0},
                });
    check_defaults("tool:marketo", "Marketo", "Marketing", {"carol@x.com"});
}

TEST_CASE("tool frame: Canva (failed seat source, no owners, empty intended list)", "[unit][graph]") {
    check_frame(subjects(), "tool:canva", "tool",
                {
                    {"name", "Canva"},
                    {"vendor", "Canva"},
                    {"sso_app_label", "canva"},
                    {"in_catalog", true},
                    {"capabilities", strings({"design"})},
                    {"owning_department", ""},
                    {"intended_departments", empty_list()},
                    {"intended_for_all", false},
                    {"business_owners", empty_list()},
                    {"technical_owners", empty_list()},
                    {"active_business_owners", 0},
                    {"active_technical_owners", 0},
                    {"departed_owners", empty_list()},
                    {"unknown_owners", empty_list()},
                    {"owner_departments", empty_list()},
                    {"business_owner_departments", empty_list()},
                    {"owner_conflicts", empty_list()},
                    {"it_review", ""},
                    {"it_reviewed", false},
                    {"contract_seats", Value{}},
                    {"cost_per_seat", Value{}},
                    {"annual_cost", Value{}},
                    {"renewal_date", Value{}},
                    {"days_to_renewal", Value{}},
                    {"has_seat_data", false},
                    {"usage_tracked", true},
                    {"assigned_seats", 0},
                    {"active_seats", 0},
                    {"idle_seats", 0},
                    {"departed_seats", 0},
                    {"unknown_seats", 0},
                    {"utilisation", Value{}},
                    {"seats_over_contract", Value{}},
                    {"active_users", 1},
                    {"users_total", 1},
                    {"top_department", "IT"},
                    {"top_department_share", 1.0},
                    {"intended_share", Value{}},
                    {"outside_intended_users", 0},
                    {"departments_using", strings({"IT"})},
                    {"integrations", 0},
                    {"feeds_to", empty_list()},
                    {"fed_by", empty_list()},
                    {"data_categories", empty_list()},
                    {"idle_seat_cost", Value{}},
                });
    check_defaults("tool:canva", "Canva", "", {});
}

TEST_CASE("tool frame: Zapier (named only by integrations)", "[unit][graph]") {
    check_frame(subjects(), "tool:zapier", "tool",
                {
                    {"name", "Zapier"},
                    {"vendor", ""},
                    {"sso_app_label", ""},
                    {"in_catalog", false},
                    {"capabilities", empty_list()},
                    {"owning_department", ""},
                    {"intended_departments", empty_list()},
                    {"intended_for_all", false},
                    {"business_owners", empty_list()},
                    {"technical_owners", empty_list()},
                    {"active_business_owners", 0},
                    {"active_technical_owners", 0},
                    {"departed_owners", empty_list()},
                    {"unknown_owners", empty_list()},
                    {"owner_departments", empty_list()},
                    {"business_owner_departments", empty_list()},
                    {"owner_conflicts", empty_list()},
                    {"it_review", ""},
                    {"it_reviewed", false},
                    {"contract_seats", Value{}},
                    {"cost_per_seat", Value{}},
                    {"annual_cost", Value{}},
                    {"renewal_date", Value{}},
                    {"days_to_renewal", Value{}},
                    {"has_seat_data", false},
                    {"usage_tracked", false},
                    {"assigned_seats", 0},
                    {"active_seats", 0},
                    {"idle_seats", 0},
                    {"departed_seats", 0},
                    {"unknown_seats", 0},
                    {"utilisation", Value{}},
                    {"seats_over_contract", Value{}},
                    {"active_users", 0},
                    {"users_total", 0},
                    {"top_department", ""},
                    {"top_department_share", Value{}},
                    {"intended_share", Value{}},
                    {"outside_intended_users", 0},
                    {"departments_using", empty_list()},
                    {"integrations", 2},
                    {"feeds_to", strings({"Salesforce"})},
                    {"fed_by", strings({"HubSpot Marketing Hub"})},
                    {"data_categories", strings({"leads", "pii"})},
                    {"idle_seat_cost", Value{}},
                });
    check_defaults("tool:zapier", "Zapier", "", {});
}

TEST_CASE("seat frames around the window boundary", "[unit][graph]") {
    const std::vector<std::string> owners = {"bob@x.com", "frank@x.com", "erin@x.com", "ghost@x.com"};
    // alice: export activity exactly at the window start; SSO use (by user id) is older.
    check_frame(subjects(), "seat:salesforce:alice@x.com", "seat",
                {{"tool", "Salesforce"},
                 {"email", "alice@x.com"},
                 {"license_type", "Full"},
                 {"assigned_date", day(2026, 1, 1)},
                 {"days_since_assigned", 304},
                 {"last_activity", day(2026, 10, 2)},
                 {"days_since_activity", 30},
                 {"usage_tracked", true},
                 {"events_in_window", 0}});
    check_defaults("seat:salesforce:alice@x.com", "Salesforce", "Marketing", owners);
    // bob: one second before the window start: same day, but not active (see active_seats).
    check_frame(subjects(), "seat:salesforce:bob@x.com", "seat",
                {{"tool", "Salesforce"},
                 {"email", "bob@x.com"},
                 {"license_type", "Platform"},
                 {"assigned_date", Value{}},
                 {"days_since_assigned", Value{}},
                 {"last_activity", day(2026, 10, 2)},
                 {"days_since_activity", 30},
                 {"usage_tracked", true},
                 {"events_in_window", 0}});
    check_defaults("seat:salesforce:bob@x.com", "Salesforce", "Sales", owners);
    check_frame(subjects(), "seat:salesforce:carol@x.com", "seat",
                {{"tool", "Salesforce"},
                 {"email", "carol@x.com"},
                 {"license_type", "Full"},
                 {"assigned_date", day(2026, 9, 1)},
                 {"days_since_assigned", 61},
                 {"last_activity", Value{}},
                 {"days_since_activity", Value{}},
                 {"usage_tracked", true},
                 {"events_in_window", 0}});
    // frank: old export activity, recent SSO use wins.
    check_frame(subjects(), "seat:salesforce:frank@x.com", "seat",
                {{"tool", "Salesforce"},
                 {"email", "frank@x.com"},
                 {"license_type", "Full"},
                 {"assigned_date", Value{}},
                 {"days_since_assigned", Value{}},
                 {"last_activity", day(2026, 10, 30)},
                 {"days_since_activity", 2},
                 {"usage_tracked", true},
                 {"events_in_window", 3}});
    check_frame(subjects(), "seat:salesforce:zed@x.com", "seat",
                {{"tool", "Salesforce"},
                 {"email", "zed@x.com"},
                 {"license_type", "Full"},
                 {"assigned_date", Value{}},
                 {"days_since_assigned", Value{}},
                 {"last_activity", Value{}},
                 {"days_since_activity", Value{}},
                 {"usage_tracked", true},
                 {"events_in_window", 0}});
    check_defaults("seat:salesforce:zed@x.com", "Salesforce", "(unknown)", owners);
    check_frame(subjects(), "seat:canva:dave@x.com", "seat",
                {{"tool", "Canva"},
                 {"email", "dave@x.com"},
                 {"license_type", "Pro"},
                 {"assigned_date", day(2026, 10, 25)},
                 {"days_since_assigned", 7},
                 {"last_activity", Value{}},
                 {"days_since_activity", Value{}},
                 {"usage_tracked", true},
                 {"events_in_window", 0}});
    check_defaults("seat:canva:dave@x.com", "Canva", "Engineering", {});
}

TEST_CASE("person frames: active, suspended, terminated, future leaver, other status, unknown", "[unit][graph]") {
    check_frame(subjects(), "seat:salesforce:alice@x.com", "person",
                {{"known", true},
                 {"email", "alice@x.com"},
                 {"name", "Alice Adams"},
                 {"user_id", "u1"},
                 {"department", "Marketing"},
                 {"team", "Growth"},
                 {"status", "ACTIVE"},
                 {"departed", false},
                 {"termination_date", Value{}},
                 {"days_since_departure", Value{}}});
    check_frame(subjects(), "seat:salesforce:bob@x.com", "person",
                {{"known", true},
                 {"email", "bob@x.com"},
                 {"name", "Bob Brown"},
                 {"user_id", "u2"},
                 {"department", "Sales"},
                 {"team", "East"},
                 {"status", "SUSPENDED"},
                 {"departed", true},
                 {"termination_date", Value{}},
                 {"days_since_departure", Value{}}});
    check_frame(subjects(), "seat:salesforce:carol@x.com", "person",
                {{"known", true},
                 {"email", "carol@x.com"},
                 {"name", "Carol Chen"},
                 {"user_id", "u3"},
                 {"department", "Marketing"},
                 {"team", "Brand"},
                 {"status", "ACTIVE"},
                 {"departed", true},
                 {"termination_date", day(2026, 10, 20)},
                 {"days_since_departure", 12}});
    check_frame(subjects(), "seat:canva:dave@x.com", "person",
                {{"known", true},
                 {"email", "dave@x.com"},
                 {"name", "Dave Diaz"},
                 {"user_id", "u4"},
                 {"department", "Engineering"},
                 {"team", ""},
                 {"status", "ACTIVE"},
                 {"departed", false},
                 {"termination_date", day(2026, 12, 1)},
                 {"days_since_departure", -30}});
    check_frame(subjects(), "owner:salesforce:technical:erin@x.com", "person",
                {{"known", true},
                 {"email", "erin@x.com"},
                 {"name", "Erin Egan"},
                 {"user_id", "u5"},
                 {"department", "IT"},
                 {"team", "Ops"},
                 {"status", "ON_LEAVE"},
                 {"departed", false},
                 {"termination_date", Value{}},
                 {"days_since_departure", Value{}}});
    const std::map<std::string, Value> unknown = {{"known", false},
                                                  {"email", "ghost@x.com"},
                                                  {"name", ""},
                                                  {"user_id", ""},
                                                  {"department", "(unknown)"},
                                                  {"team", ""},
                                                  {"status", ""},
                                                  {"departed", false},
                                                  {"termination_date", Value{}},
                                                  {"days_since_departure", Value{}}};
    check_frame(subjects(), "owner:salesforce:technical:ghost@x.com", "person", unknown);
    auto zed = unknown;
    zed["email"] = "zed@x.com";
    check_frame(subjects(), "seat:salesforce:zed@x.com", "person", zed);
}

TEST_CASE("owner frames and defaults", "[unit][graph]") {
    struct Case {
        std::string key, email, role, department;
        std::vector<std::string> others;
    };
    const std::vector<Case> cases = {
        {"owner:salesforce:business:bob@x.com", "bob@x.com", "business", "Sales", {"frank@x.com", "erin@x.com"}},
        {"owner:salesforce:business:frank@x.com", "frank@x.com", "business", "Sales", {"erin@x.com"}},
        {"owner:salesforce:technical:frank@x.com", "frank@x.com", "technical", "Sales", {"erin@x.com"}},
        {"owner:salesforce:technical:erin@x.com", "erin@x.com", "technical", "Sales", {"frank@x.com"}},
        {"owner:salesforce:technical:ghost@x.com", "ghost@x.com", "technical", "Sales", {"frank@x.com", "erin@x.com"}},
        {"owner:hubspot marketing hub:business:alice@x.com", "alice@x.com", "business", "marketing", {}},
        {"owner:marketo:business:carol@x.com", "carol@x.com", "business", "Marketing", {}},
    };
    for (const Case& c : cases) {
        check_frame(subjects(), c.key, "owner", {{"email", c.email}, {"role", c.role}});
        const std::string tool = fact(subjects(), c.key, "tool", "name").as_string();
        check_defaults(c.key, tool, c.department, c.others);
        CHECK(fact(subjects(), c.key, "person", "email").as_string() == c.email);
    }
    CHECK(fact(subjects(), "owner:salesforce:business:bob@x.com", "person", "departed") == Value(true));
}

TEST_CASE("tool pairs: shared users, jaccard, costs with one unknown", "[unit][graph]") {
    // HubSpot active {alice, gina, mallory}; Salesforce {alice, frank}; Marketo {alice, frank, dave}.
    // HubSpot has no cost: the overlap is priced at the other tool's seat cost.
    check_frame(subjects(), "pair:hubspot marketing hub|salesforce", "pair",
                {{"capabilities", strings({"crm"})},
                 {"shared_users", 1},
                 {"jaccard", 0.25},
                 {"same_owning_department", false},
                 {"overlap_cost", 1000.0},
                 {"combined_annual_cost", 4000.0}});
    check_defaults("pair:hubspot marketing hub|salesforce", "HubSpot Marketing Hub + Salesforce", "marketing / Sales",
                   {"alice@x.com", "bob@x.com", "frank@x.com"});
    CHECK(fact(subjects(), "pair:hubspot marketing hub|salesforce", "a", "name") == Value("HubSpot Marketing Hub"));
    CHECK(fact(subjects(), "pair:hubspot marketing hub|salesforce", "b", "name") == Value("Salesforce"));

    check_frame(subjects(), "pair:hubspot marketing hub|marketo", "pair",
                {{"capabilities", strings({"email marketing"})},
                 {"shared_users", 1},
                 {"jaccard", 0.2},
                 {"same_owning_department", true},
                 {"overlap_cost", 2000.0},
                 {"combined_annual_cost", 20000.0}});
    check_defaults("pair:hubspot marketing hub|marketo", "HubSpot Marketing Hub + Marketo", "marketing",
                   {"alice@x.com", "carol@x.com"});
}

TEST_CASE("integration frames, uncatalogued ends and repeated rows", "[unit][graph]") {
    const std::vector<std::string> salesforce_owners = {"bob@x.com", "frank@x.com", "erin@x.com", "ghost@x.com"};
    check_frame(subjects(), "integration:salesforce>hubspot marketing hub", "integration",
                {{"data", strings({"contacts", "leads"})}, {"source_in_catalog", true}, {"target_in_catalog", true}});
    auto with_alice = salesforce_owners;
    with_alice.push_back("alice@x.com");
    check_defaults("integration:salesforce>hubspot marketing hub", "Salesforce", "Sales", with_alice);
    check_frame(subjects(), "integration:salesforce>hubspot marketing hub#2", "integration",
                {{"data", strings({"contacts"})}, {"source_in_catalog", true}, {"target_in_catalog", true}});
    check_frame(subjects(), "integration:hubspot marketing hub>zapier", "integration",
                {{"data", strings({"leads", "pii"})}, {"source_in_catalog", true}, {"target_in_catalog", false}});
    check_defaults("integration:hubspot marketing hub>zapier", "HubSpot Marketing Hub", "marketing", {"alice@x.com"});
    check_frame(subjects(), "integration:zapier>salesforce", "integration",
                {{"data", empty_list()}, {"source_in_catalog", false}, {"target_in_catalog", true}});
    check_defaults("integration:zapier>salesforce", "Zapier", "", salesforce_owners);
    CHECK(fact(subjects(), "integration:zapier>salesforce", "source", "in_catalog") == Value(false));
    CHECK(fact(subjects(), "integration:zapier>salesforce", "target", "name") == Value("Salesforce"));
}

TEST_CASE("app frames: matched by label, display name and tool name, and shadow apps", "[unit][graph]") {
    check_frame(subjects(), "app:salesforce_prod", "app",
                {{"label", "salesforce_prod"},
                 {"name", "Salesforce"},
                 {"in_catalog", true},
                 {"matched_tool", "Salesforce"},
                 {"users", 2},
                 {"active_users", 1},
                 {"events", 12},
                 {"first_seen", day(2026, 7, 1)},
                 {"last_seen", day(2026, 10, 30)},
                 {"departments", strings({"Marketing", "Sales"})},
                 {"top_department", "Marketing"}});
    check_defaults("app:salesforce_prod", "salesforce_prod", "Marketing", {});
    check_frame(subjects(), "app:hubspot_x", "app",
                {{"label", "hubspot_x"},
                 {"name", "HubSpot Marketing Hub"},
                 {"in_catalog", true},
                 {"matched_tool", "HubSpot Marketing Hub"},
                 {"users", 3},
                 {"active_users", 3},
                 {"events", 8},
                 {"first_seen", day(2026, 9, 1)},
                 {"last_seen", day(2026, 10, 31)},
                 {"departments", strings({"Marketing", "(unknown)"})},
                 {"top_department", "Marketing"}});
    // Label differs in case from the catalog's SSO label.
    check_frame(subjects(), "app:marketo_sso", "app",
                {{"label", "Marketo_SSO"},
                 {"name", "Marketo Engage"},
                 {"in_catalog", true},
                 {"matched_tool", "Marketo"},
                 {"users", 4},
                 {"active_users", 3},
                 {"events", 12},
                 {"first_seen", day(2026, 6, 1)},
                 {"last_seen", day(2026, 10, 25)},
                 {"departments", strings({"Sales", "Engineering", "Marketing"})},
                 {"top_department", "Sales"}});
    check_defaults("app:marketo_sso", "Marketo_SSO", "Sales", {});
    // The catalog's SSO label equals the app's display name.
    check_frame(subjects(), "app:canva-123", "app",
                {{"label", "canva-123"},
                 {"name", "Canva"},
                 {"in_catalog", true},
                 {"matched_tool", "Canva"},
                 {"users", 1},
                 {"active_users", 1},
                 {"events", 6},
                 {"first_seen", day(2026, 10, 1)},
                 {"last_seen", day(2026, 10, 28)},
                 {"departments", strings({"IT"})},
                 {"top_department", "IT"}});
    // Shadow IT; mallory is matched across rows by her actor id although one row has no login.
    check_frame(subjects(), "app:notion", "app",
                {{"label", "Notion"},
                 {"name", "Notion Labs"},
                 {"in_catalog", false},
                 {"matched_tool", ""},
                 {"users", 3},
                 {"active_users", 1},
                 {"events", 5},
                 {"first_seen", day(2026, 7, 20)},
                 {"last_seen", day(2026, 10, 29)},
                 {"departments", strings({"(unknown)", "Marketing", "Sales"})},
                 {"top_department", "(unknown)"}});
    check_defaults("app:notion", "Notion", "(unknown)", {});
}
