// The fixture company. Worked numbers are in test_facts.cpp; change both together.
#include "fixture.hpp"

namespace graph_test {

namespace {

Person person(std::string id, std::string email, std::string name, std::string department, std::string team,
              PersonStatus status = PersonStatus::active, std::string status_text = "ACTIVE",
              std::optional<Date> terminated = std::nullopt) {
    Person p;
    p.user_id = std::move(id);
    p.email = std::move(email);
    p.display_name = std::move(name);
    p.department = std::move(department);
    p.team = std::move(team);
    p.status = status;
    p.status_text = std::move(status_text);
    p.termination_date = terminated;
    return p;
}

Seat seat(std::string tool, std::string email, std::string license, std::optional<Date> assigned,
          std::optional<Timestamp> last, bool activity_column) {
    Seat s;
    s.tool = std::move(tool);
    s.email = std::move(email);
    s.license_type = std::move(license);
    s.assigned_date = assigned;
    s.last_activity = last;
    s.has_activity_column = activity_column;
    s.source = "seats:" + s.tool;
    return s;
}

Usage use(std::string label, std::string name, std::string user_id, std::string login, Timestamp first,
          Timestamp last, std::uint64_t events, std::uint64_t in_window) {
    Usage u;
    u.app_id = "0oa" + label;
    u.app_label = std::move(label);
    u.app_name = std::move(name);
    u.user_id = std::move(user_id);
    u.user_login = std::move(login);
    u.first_seen = first;
    u.last_seen = last;
    u.events = events;
    u.events_in_window = in_window;
    return u;
}

SourceReport source(std::string name, std::string kind, bool ok) {
    SourceReport r;
    r.name = std::move(name);
    r.kind = std::move(kind);
    r.ok = ok;
    if (r.kind == "okta_log") r.sso_usage = true;
    if (r.kind == "seats" && r.name.rfind("seats:", 0) == 0) r.seat_tools = {r.name.substr(6)};
    return r;
}

}  // namespace

Dataset fixture() {
    Dataset data;
    data.as_of = at(2026, 11, 1, 12);  // window starts 2026-10-02T12:00:00Z
    data.window_days = 30;

    data.people = {
        person("u1", "alice@x.com", "Alice Adams", "Marketing", "Growth"),
        person("u2", "bob@x.com", "Bob Brown", "Sales", "East", PersonStatus::suspended, "SUSPENDED"),
        person("u3", "carol@x.com", "Carol Chen", "Marketing", "Brand", PersonStatus::active, "ACTIVE", day(2026, 10, 20)),
        person("u4", "dave@x.com", "Dave Diaz", "Engineering", "", PersonStatus::active, "ACTIVE", day(2026, 12, 1)),
        person("u5", "erin@x.com", "Erin Egan", "IT", "Ops", PersonStatus::other, "ON_LEAVE"),
        person("u6", "frank@x.com", "Frank Fox", "Sales", "West"),
        person("u7", "gina@x.com", "Gina Gray", "marketing", "growth", PersonStatus::deprovisioned, "DEPROVISIONED"),
    };

    Tool salesforce;
    salesforce.name = "Salesforce";
    salesforce.vendor = "Salesforce";
    salesforce.sso_app_label = "salesforce_prod";
    salesforce.capabilities = {"CRM", "Reporting"};
    salesforce.owning_department = "Sales";
    salesforce.intended_departments = {"Sales"};
    salesforce.business_owners = {"bob@x.com", "frank@x.com"};
    salesforce.technical_owners = {"erin@x.com", "frank@x.com", "ghost@x.com"};
    salesforce.it_review = "Approved";
    salesforce.contract_seats = 4;
    salesforce.annual_cost_per_seat = 1000.0;
    salesforce.renewal_date = day(2026, 12, 1);
    salesforce.owner_conflicts = {"line 9: business_owner zz@x.com (line 2 says bob@x.com)"};

    Tool hubspot;
    hubspot.name = "HubSpot Marketing Hub";
    hubspot.vendor = "HubSpot";
    hubspot.capabilities = {"crm", "Email Marketing"};
    hubspot.owning_department = "marketing";
    hubspot.intended_all = true;
    hubspot.business_owners = {"alice@x.com"};
    hubspot.it_review = "pending";

    Tool marketo;
    marketo.name = "Marketo";
    marketo.vendor = "Adobe";
    marketo.sso_app_label = "marketo_sso";
    marketo.capabilities = {"email marketing"};
    marketo.owning_department = "Marketing";
    marketo.intended_departments = {"Sales", "Marketing"};
    marketo.business_owners = {"carol@x.com"};
    marketo.it_review = "none";
    marketo.contract_seats = 10;
    marketo.annual_cost_per_seat = 2000.0;
    marketo.renewal_date = day(2026, 10, 1);

    Tool canva;
    canva.name = "Canva";
    canva.vendor = "Canva";
    canva.sso_app_label = "canva";
    canva.capabilities = {"Design"};

    data.tools = {salesforce, hubspot, marketo, canva};

    data.integrations = {
        Integration{"Salesforce", "HubSpot Marketing Hub", {"Contacts", "Leads"}, 2},
        Integration{"HubSpot Marketing Hub", "Zapier", {"leads", "PII"}, 3},
        Integration{"zapier", "salesforce", {}, 4},
        Integration{"Salesforce", "HubSpot Marketing Hub", {"contacts"}, 5},
    };

    data.seats = {
        seat("Salesforce", "alice@x.com", "Full", day(2026, 1, 1), at(2026, 10, 2, 12), true),
        seat("Salesforce", "bob@x.com", "Platform", std::nullopt, at(2026, 10, 2, 11, 59, 59), true),
        seat("Salesforce", "carol@x.com", "Full", day(2026, 9, 1), std::nullopt, true),
        seat("Salesforce", "zed@x.com", "Full", std::nullopt, std::nullopt, true),
        seat("Salesforce", "frank@x.com", "Full", std::nullopt, at(2026, 6, 1), true),
        seat("Canva", "dave@x.com", "Pro", day(2026, 10, 25), std::nullopt, false),
    };

    data.usage = {
        use("salesforce_prod", "Salesforce", "u6", "frank@x.com", at(2026, 8, 1), at(2026, 10, 30, 8), 10, 3),
        use("salesforce_prod", "Salesforce", "u1", "alice.old@x.com", at(2026, 7, 1), at(2026, 9, 15, 10), 2, 0),
        use("hubspot_x", "HubSpot Marketing Hub", "u1", "alice@x.com", at(2026, 9, 1), at(2026, 10, 31, 9), 5, 5),
        use("hubspot_x", "HubSpot Marketing Hub", "u7", "gina@x.com", at(2026, 10, 10), at(2026, 10, 10), 1, 1),
        use("hubspot_x", "HubSpot Marketing Hub", "uX", "mallory@y.com", at(2026, 10, 5), at(2026, 10, 6), 2, 2),
        use("Marketo_SSO", "Marketo Engage", "u1", "alice@x.com", at(2026, 8, 15), at(2026, 10, 20), 3, 1),
        use("Marketo_SSO", "Marketo Engage", "u6", "frank@x.com", at(2026, 9, 1), at(2026, 10, 25), 4, 2),
        use("Marketo_SSO", "Marketo Engage", "u2", "bob@x.com", at(2026, 6, 1), at(2026, 8, 1), 4, 0),
        use("Marketo_SSO", "Marketo Engage", "u4", "dave@x.com", at(2026, 10, 15), at(2026, 10, 15), 1, 1),
        use("canva-123", "Canva", "u5", "erin@x.com", at(2026, 10, 1), at(2026, 10, 28), 6, 2),
        use("Notion", "Notion Labs", "u1", "alice@x.com", at(2026, 8, 10), at(2026, 10, 29), 3, 2),
        use("Notion", "Notion Labs", "u6", "frank@x.com", at(2026, 7, 20), at(2026, 7, 20), 1, 0),
        use("Notion", "Notion Labs", "uX", "", at(2026, 9, 1), at(2026, 9, 2), 1, 0),
    };

    data.sources = {
        source("directory", "directory", true),
        source("catalog", "catalog", true),
        source("integrations", "integrations", true),
        source("seats:Salesforce", "seats", true),
        source("seats:Canva", "seats", false),
        source("okta_log", "okta_log", true),
    };
    return data;
}

}  // namespace graph_test
