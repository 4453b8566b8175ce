// The fixture company of the query tests (see fixture.hpp for who is who).
#include "fixture.hpp"

#include <algorithm>

namespace query_test {

namespace {

SnapshotPerson person(std::string email, std::string name, std::string department, std::string team) {
    SnapshotPerson p;
    p.email = std::move(email);
    p.name = std::move(name);
    p.user_id = "u-" + p.email.substr(0, p.email.find('@'));
    p.department = std::move(department);
    p.team = std::move(team);
    p.status = "ACTIVE";
    return p;
}

SnapshotUse use(std::uint32_t tool, std::uint32_t who, bool active, bool seat, std::string licence = {}) {
    SnapshotUse u;
    u.tool = tool;
    u.person = who;
    u.active = active;
    u.seat = seat;
    u.license_type = seat ? std::move(licence) : std::string();
    if (active) {
        u.last_seen = at(2026, 11, 20, 9);
        u.events_in_window = 3;
    }
    return u;
}

}  // namespace

GraphSnapshot fixture() {
    GraphSnapshot s;
    s.as_of = at(2026, 11, 24);
    s.window_days = 30;

    s.people = {
        person("ann@x.com", "Ann Lee", "Marketing", "Growth"),
        person("bob@x.com", "Bob Ng", "Marketing", "Brand"),
        person("cat@x.com", "Cat Diaz", "Sales", "Growth"),
        person("dan@x.com", "Dan Roe", "Sales", "Field"),
        person("eve@x.com", "Eve Park", "IT", "Platform"),
        person("fay@x.com", "Alex Kim", "IT", "Platform"),
        person("ghost@x.com", "", "", ""),
        person("gus@x.com", "Alex Kim", "Finance", "Core"),
    };
    s.people[3].departed = true;
    s.people[3].status = "DEPROVISIONED";
    s.people[3].termination_date = day(2026, 9, 30);
    s.people[6].in_directory = false;
    s.people[6].status.clear();
    s.people[6].user_id.clear();

    s.capabilities = {"bi", "crm", "design", "email"};

    auto tool = [](std::string name, std::string department, std::vector<std::uint32_t> capabilities) {
        SnapshotTool t;
        t.name = std::move(name);
        t.vendor = t.name + " Inc.";
        t.owning_department = std::move(department);
        t.capabilities = std::move(capabilities);
        t.usage_tracked = true;
        return t;
    };
    s.tools.resize(8);
    s.tools[canva] = tool("Canva", "Marketing", {2});
    s.tools[canva].business_owners = {1};
    s.tools[canva].technical_owners = {4};
    s.tools[canva].cost_per_seat = 120;
    s.tools[canva].contract_seats = 10;
    s.tools[canva].annual_cost = 1200;
    s.tools[canva].has_seat_data = true;

    s.tools[hubspot] = tool("HubSpot", "Marketing", {1, 3});
    s.tools[hubspot].business_owners = {0};
    s.tools[hubspot].technical_owners = {4};
    s.tools[hubspot].cost_per_seat = 800;
    s.tools[hubspot].contract_seats = 10;
    s.tools[hubspot].annual_cost = 8000;
    s.tools[hubspot].has_seat_data = true;

    s.tools[looker] = tool("Looker", "Finance", {0});
    s.tools[looker].business_owners = {3};
    s.tools[looker].technical_owners = {6};
    s.tools[looker].cost_per_seat = 300;

    s.tools[mailchimp] = tool("Mailchimp", "Marketing", {3});
    s.tools[mailchimp].cost_per_seat = 100;
    s.tools[mailchimp].contract_seats = 5;
    s.tools[mailchimp].annual_cost = 500;
    s.tools[mailchimp].has_seat_data = true;

    s.tools[salesforce] = tool("Salesforce", "Sales", {1, 3});
    s.tools[salesforce].business_owners = {2, 0};
    s.tools[salesforce].technical_owners = {4};
    s.tools[salesforce].owner_conflicts = {"line 41: business_owner ann@x.com (line 12 says cat@x.com)"};
    s.tools[salesforce].cost_per_seat = 1500;
    s.tools[salesforce].contract_seats = 4;
    s.tools[salesforce].annual_cost = 6000;
    s.tools[salesforce].has_seat_data = true;

    s.tools[shadow_app] = tool("Shadow App", "", {});
    s.tools[shadow_app].in_catalog = false;
    s.tools[shadow_app].sso_app_only = true;

    s.tools[tableau] = tool("Tableau", "Finance", {0});
    s.tools[tableau].cost_per_seat = 700;
    s.tools[tableau].contract_seats = 2;
    s.tools[tableau].annual_cost = 1400;

    s.tools[zoho] = tool("Zoho CRM", "Sales", {1});
    s.tools[zoho].business_owners = {4};
    s.tools[zoho].technical_owners = {4};

    s.uses = {
        use(canva, 1, true, true, "Pro"),
        use(hubspot, 0, true, true, "Enterprise"),
        use(hubspot, 1, true, true, "Pro"),
        use(hubspot, 2, true, true, "Pro"),
        use(hubspot, 3, false, true, "Pro"),
        use(hubspot, 4, true, false),
        use(looker, 7, true, false),
        use(mailchimp, 0, true, true, "Standard"),
        use(mailchimp, 1, false, true, "Standard"),
        use(salesforce, 0, true, true, "Sales Cloud"),
        use(salesforce, 2, true, true, "Sales Cloud"),
        use(salesforce, 3, false, true, "Sales Cloud"),
        use(salesforce, 7, false, true, "Platform"),
        use(shadow_app, 0, true, false),
        use(shadow_app, 6, true, false),
        use(zoho, 2, true, false),
        use(zoho, 4, true, false),
    };
    s.uses[4].last_seen = at(2026, 8, 1, 12);  // dan's HubSpot use, before the window

    s.flows = {
        {canva, canva, {"assets"}},
        {hubspot, mailchimp, {"contacts"}},
        {hubspot, salesforce, {"contacts", "leads"}},
        {looker, hubspot, {"scores"}},
        {mailchimp, looker, {"campaigns"}},
        {salesforce, looker, {"revenue"}},
        {salesforce, zoho, {"leads"}},
        {zoho, tableau, {"leads"}},
    };

    s.sources = {
        {"directory", true, false, ""},
        {"catalog", true, false, ""},
        {"okta_log", false, false, "HTTP 401: token expired"},
        {"seats:Salesforce", true, true, "pull failed on 2026-11-23"},
    };
    return s;
}

query::Context fixture_context() {
    return query::make_context(fixture(), "run 12 of out/stackaudit.db", 12);
}

std::vector<std::string> names(const GraphSnapshot& snapshot, const std::vector<std::uint32_t>& tools) {
    std::vector<std::string> out;
    for (const std::uint32_t t : tools) out.push_back(snapshot.tools[t].name);
    return out;
}

std::vector<std::string> lines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string line(text.substr(start, end - start));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(std::move(line));
        start = end + 1;
    }
    return out;
}

bool has_line(std::string_view text, std::string_view line) {
    const auto all = lines(text);
    return std::find(all.begin(), all.end(), line) != all.end();
}

}  // namespace query_test
