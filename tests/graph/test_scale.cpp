// Scale check (hidden; run with `test_graph "[perf]"`): 2,000 tools and 1,000,000 usage rows
// must build and compute in seconds, which rules out all-pairs scans over people.
#include "fixture.hpp"

#include <algorithm>
#include <chrono>

using namespace stackaudit;
using namespace stackaudit::graph;
using namespace graph_test;

namespace {

// A small deterministic generator (64-bit LCG): the same data on every run and machine.
struct Lcg {
    std::uint64_t state;
    std::uint64_t operator()() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    }
};

// Person p ("p12@x.com", user id "u12") in one of `departments` and `teams`.
Person numbered_person(std::size_t p, std::size_t departments, std::size_t teams) {
    Person person;
    person.user_id = numbered("u", p);
    person.email = numbered("p", p) + "@x.com";
    person.department = numbered("Dept ", p % departments);
    person.team = numbered("Team ", p % teams);
    return person;
}

// Tool t ("Tool 12", SSO label "app12") with two capabilities drawn from `capabilities`.
Tool numbered_tool(std::size_t t, Lcg& next, std::size_t capabilities) {
    Tool x;
    x.name = numbered("Tool ", t);
    x.sso_app_label = numbered("app", t);
    x.capabilities = {numbered("cap", next() % capabilities), numbered("cap", next() % capabilities)};
    return x;
}

}  // namespace

TEST_CASE("2,000 tools and 1,000,000 usage pairs", "[.][perf][graph]") {
    Dataset data;
    data.as_of = at(2026, 11, 1);
    const std::size_t tools = 2000, people = 50000, per_person = 20, capabilities = 100;
    Lcg next{7};
    for (std::size_t t = 0; t < tools; ++t) {
        Tool x = numbered_tool(t, next, capabilities);
        x.annual_cost_per_seat = 100.0;
        data.tools.push_back(std::move(x));
    }
    for (std::size_t p = 0; p < people; ++p) data.people.push_back(numbered_person(p, 12, 40));
    data.usage.reserve(people * per_person);
    for (std::size_t p = 0; p < people; ++p)
        for (std::size_t k = 0; k < per_person; ++k) {
            Usage u;
            std::size_t t = next() % tools;
            u.app_label = numbered("app", t);
            u.app_name = numbered("Tool ", t);
            u.user_login = numbered("p", p) + "@x.com";
            u.last_seen = data.as_of - std::chrono::days(next() % 60);
            u.events = 1 + next() % 20;
            u.events_in_window = next() % 2;
            data.usage.push_back(std::move(u));
        }
    data.sources = {SourceReport{.name = "okta_log", .kind = "okta_log", .ok = true, .sso_usage = true}};

    const auto start = std::chrono::steady_clock::now();
    const AuditGraph graph = AuditGraph::build(data);
    const auto built = std::chrono::steady_clock::now();
    const SubjectSet set = compute_subjects(graph, data);
    const auto done = std::chrono::steady_clock::now();
    using ms = std::chrono::milliseconds;
    WARN("build " << std::chrono::duration_cast<ms>(built - start).count() << " ms, subjects "
                  << std::chrono::duration_cast<ms>(done - built).count() << " ms, " << set.subjects.size()
                  << " subjects");
    CHECK(graph.count(EdgeKind::uses) == people * per_person);
    CHECK(set.subjects.size() > tools);
}

TEST_CASE("subjects are the same for any thread count", "[unit][graph]") {
    // Big enough that people and tools are split over threads (8,192 people and 65,536 edges a
    // part at least), with tool names that are prefixes of others ("Tool 1", "Tool 10"), repeated
    // seat rows, owners and shared capabilities.
    Dataset data;
    data.as_of = at(2026, 11, 1);
    data.window_days = 30;
    const std::size_t tools = 300, people = 20000;
    Lcg next{11};
    for (std::size_t p = 0; p < people; ++p) {
        Person person = numbered_person(p, 9, 31);
        if (p % 50 == 0) {
            person.status = PersonStatus::deprovisioned;
            person.termination_date = day(2026, 9, 1);
        }
        data.people.push_back(std::move(person));
    }
    for (std::size_t t = 0; t < tools; ++t) {
        Tool x = numbered_tool(t, next, 40);
        x.annual_cost_per_seat = 10.0 * static_cast<double>(t % 7 + 1);
        x.business_owners = {numbered("p", next() % people) + "@x.com"};
        if (t % 3 == 0) x.technical_owners = {numbered("p", next() % people) + "@x.com", "gone@x.com"};
        x.owning_department = numbered("Dept ", t % 9);
        data.tools.push_back(std::move(x));
    }
    for (std::size_t i = 0; i < 40000; ++i) {
        Seat seat;
        const std::size_t t = i % tools;
        seat.tool = numbered("Tool ", t);
        seat.email = numbered("p", next() % people) + "@x.com";
        if (i % 4 == 0) seat.last_activity = data.as_of - std::chrono::days(next() % 90);
        seat.has_activity_column = true;
        data.seats.push_back(seat);
        if (i % 1000 == 0) data.seats.push_back(seat);  // the same holder twice: "#2"
    }
    for (std::size_t i = 0; i < 100000; ++i) {
        Usage u;
        const std::size_t t = next() % tools;
        u.app_label = numbered("app", t);
        u.app_name = numbered("Tool ", t);
        u.user_login = numbered("p", next() % (people + 500)) + "@x.com";  // some not in the directory
        u.last_seen = data.as_of - std::chrono::days(next() % 60);
        u.first_seen = u.last_seen - std::chrono::days(5);
        u.events = 1 + next() % 20;
        u.events_in_window = next() % 3;
        data.usage.push_back(std::move(u));
    }
    std::sort(data.usage.begin(), data.usage.end(), [](const Usage& a, const Usage& b) { return a.app_label < b.app_label; });
    data.sources = {SourceReport{.name = "okta_log", .kind = "okta_log", .ok = true, .sso_usage = true},
                    SourceReport{.name = "seats", .kind = "seats", .ok = true, .seat_tools = {"Tool 1", "Tool 10", "Tool 200"}}};

    const AuditGraph graph = AuditGraph::build(data);
    const SubjectSet one = compute_subjects(graph, data, 1);
    REQUIRE(one.subjects.size() > 40000);
    // Within each kind, keys are sorted and unique (the repeated seat rows got "#2").
    std::size_t renamed = 0;
    for (std::size_t i = 0; i < one.subjects.size(); ++i) {
        renamed += one.subjects[i].key.ends_with("#2") ? 1 : 0;
        if (i > 0 && one.subjects[i].kind == one.subjects[i - 1].kind)
            REQUIRE(one.subjects[i - 1].key < one.subjects[i].key);
    }
    CHECK(renamed >= 40);
    for (const unsigned threads : {2u, 4u}) {
        CAPTURE(threads);
        // The graph too is built on `threads` (the people of 100,000 usage rows are looked up in parts).
        const AuditGraph graph_n = AuditGraph::build(data, threads);
        REQUIRE(graph_n.vertex_count() == graph.vertex_count());
        REQUIRE(graph_n.edge_count() == graph.edge_count());
        const SubjectSet many = compute_subjects(graph_n, data, threads);
        REQUIRE(many.subjects.size() == one.subjects.size());
        for (std::size_t i = 0; i < one.subjects.size(); ++i) {
            const Subject& a = one.subjects[i];
            const Subject& b = many.subjects[i];
            REQUIRE(a.kind == b.kind);
            REQUIRE(a.key == b.key);
            CHECK(a.tool == b.tool);
            CHECK(a.department == b.department);
            CHECK(a.owners == b.owners);
            REQUIRE(a.frames.size() == b.frames.size());
            for (std::size_t f = 0; f < a.frames.size(); ++f) REQUIRE(*a.frames[f] == *b.frames[f]);
        }
    }
}
