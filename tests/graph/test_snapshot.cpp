// The snapshot that ad-hoc queries read must say what the facts say: the same active people
// per tool, the same shared users per pair, the same owners, departures, costs and flows.
#include "fixture.hpp"

#include <algorithm>
#include <set>

#include "stackaudit/core/strings.hpp"

using namespace stackaudit;
using namespace stackaudit::graph;
using namespace graph_test;

namespace {

std::set<std::uint32_t> active_people(const GraphSnapshot& s, std::uint32_t tool) {
    std::set<std::uint32_t> out;
    for (const SnapshotUse& u : s.uses)
        if (u.tool == tool && u.active) out.insert(u.person);
    return out;
}

std::uint32_t tool_index(const GraphSnapshot& s, std::string_view name) {
    for (std::uint32_t i = 0; i < s.tools.size(); ++i)
        if (iequals(s.tools[i].name, name)) return i;
    FAIL("no tool " << name << " in the snapshot");
    return 0;
}

}  // namespace

TEST_CASE("snapshot: sorted, unique and within bounds", "[unit][graph][snapshot]") {
    const Dataset data = fixture();
    const auto graph = AuditGraph::build(data);
    const auto subjects = compute_subjects(graph, data);
    const GraphSnapshot s = snapshot(graph, data, subjects);

    CHECK(s.as_of == data.as_of);
    CHECK(s.window_days == data.window_days);
    REQUIRE_FALSE(s.people.empty());
    REQUIRE_FALSE(s.tools.empty());
    CHECK(std::is_sorted(s.people.begin(), s.people.end(),
                         [](const SnapshotPerson& a, const SnapshotPerson& b) { return a.email < b.email; }));
    CHECK(std::is_sorted(s.tools.begin(), s.tools.end(), [](const SnapshotTool& a, const SnapshotTool& b) {
        return to_lower(a.name) < to_lower(b.name);
    }));
    CHECK(std::is_sorted(s.capabilities.begin(), s.capabilities.end()));
    for (std::size_t i = 1; i < s.uses.size(); ++i) {
        const auto& a = s.uses[i - 1];
        const auto& b = s.uses[i];
        CHECK((std::pair(a.tool, a.person) < std::pair(b.tool, b.person)));  // sorted and unique
    }
    for (const SnapshotUse& u : s.uses) {
        CHECK(u.tool < s.tools.size());
        CHECK(u.person < s.people.size());
        if (!u.seat) CHECK(u.license_type.empty());  // a licence only comes with a seat
    }
    for (const SnapshotTool& t : s.tools) {
        for (auto c : t.capabilities) CHECK(c < s.capabilities.size());
        for (auto p : t.business_owners) CHECK(p < s.people.size());
        for (auto p : t.technical_owners) CHECK(p < s.people.size());
    }
    CHECK(s.sources.size() == data.sources.size());
}

TEST_CASE("snapshot: active people, pairs, owners and costs agree with the facts", "[unit][graph][snapshot]") {
    const Dataset data = fixture();
    const auto graph = AuditGraph::build(data);
    const auto subjects = compute_subjects(graph, data);
    const GraphSnapshot s = snapshot(graph, data, subjects);

    std::size_t tools_checked = 0, pairs_checked = 0;
    for (const Tool& tool : data.tools) {
        const std::string key = "tool:" + to_lower(tool.name);
        if (find_subject(subjects, key) == nullptr) continue;
        INFO("tool " << tool.name);
        const std::uint32_t ti = tool_index(s, tool.name);
        const SnapshotTool& t = s.tools[ti];
        CHECK(t.in_catalog);
        CHECK(static_cast<std::int64_t>(active_people(s, ti).size()) == fact(subjects, key, "tool", "active_users").as_int());
        const Value& cost = fact(subjects, key, "tool", "annual_cost");
        CHECK(t.annual_cost.has_value() == !cost.is_null());
        if (t.annual_cost) CHECK(*t.annual_cost == cost.as_number());
        CHECK(t.usage_tracked == fact(subjects, key, "tool", "usage_tracked").as_bool());
        CHECK(t.has_seat_data == fact(subjects, key, "tool", "has_seat_data").as_bool());
        std::size_t seats = 0;
        for (const SnapshotUse& u : s.uses) seats += u.tool == ti && u.seat ? 1 : 0;
        if (t.has_seat_data) CHECK(static_cast<std::int64_t>(seats) == fact(subjects, key, "tool", "assigned_seats").as_int());
        std::vector<std::string> business;
        for (auto p : t.business_owners) business.push_back(s.people[p].email);
        std::vector<std::string> expected_business;
        for (const auto& e : tool.business_owners)
            if (std::find(expected_business.begin(), expected_business.end(), e) == expected_business.end())
                expected_business.push_back(e);
        CHECK(business == expected_business);
        ++tools_checked;
    }
    CHECK(tools_checked > 3);

    for (const Subject& subject : subjects.subjects) {
        if (subject.kind != "tool_pair") continue;
        const auto bar = subject.tool.find(" + ");
        const std::uint32_t a = tool_index(s, subject.tool.substr(0, bar));
        const std::uint32_t b = tool_index(s, subject.tool.substr(bar + 3));
        const auto pa = active_people(s, a), pb = active_people(s, b);
        std::vector<std::uint32_t> both;
        std::set_intersection(pa.begin(), pa.end(), pb.begin(), pb.end(), std::back_inserter(both));
        INFO("pair " << subject.tool);
        CHECK(static_cast<std::int64_t>(both.size()) == fact(subjects, subject.key, "pair", "shared_users").as_int());
        ++pairs_checked;
    }
    CHECK(pairs_checked > 0);

    for (const SnapshotPerson& p : s.people) {
        if (!p.in_directory) continue;
        INFO("person " << p.email);
        const Person* rec = nullptr;
        for (const Person& candidate : data.people)
            if (candidate.email == p.email) rec = &candidate;
        REQUIRE(rec != nullptr);
        CHECK(iequals(p.department, trim(rec->department)));  // the graph spells a department as first met
        CHECK(p.name == rec->display_name);
        CHECK(p.departed == (rec->status == PersonStatus::suspended || rec->status == PersonStatus::deprovisioned ||
                             (rec->termination_date && *rec->termination_date <= to_date(data.as_of))));
    }

    // Every integration row is a flow with its data categories.
    for (const Integration& row : data.integrations) {
        const std::uint32_t from = tool_index(s, row.source_tool), to = tool_index(s, row.target_tool);
        auto flow = std::find_if(s.flows.begin(), s.flows.end(),
                                 [&](const SnapshotFlow& f) { return f.source == from && f.target == to; });
        INFO("integration " << row.source_tool << " > " << row.target_tool);
        REQUIRE(flow != s.flows.end());
        for (const auto& category : row.data)
            if (!trim(category).empty())
                CHECK(std::find(flow->data.begin(), flow->data.end(), to_lower(trim(category))) != flow->data.end());
    }
}
