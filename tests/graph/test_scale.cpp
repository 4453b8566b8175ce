// Scale check (hidden; run with `test_graph "[perf]"`): 2,000 tools and 1,000,000 usage rows
// must build and compute in seconds, which rules out all-pairs scans over people.
#include "fixture.hpp"

#include <chrono>

using namespace stackaudit;
using namespace stackaudit::graph;
using namespace graph_test;

TEST_CASE("2,000 tools and 1,000,000 usage pairs", "[.][perf][graph]") {
    Dataset data;
    data.as_of = at(2026, 11, 1);
    const std::size_t tools = 2000, people = 50000, per_person = 20, capabilities = 100;
    std::uint64_t state = 7;
    auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    };
    for (std::size_t t = 0; t < tools; ++t) {
        Tool x;
        x.name = numbered("Tool ", t);
        x.sso_app_label = numbered("app", t);
        x.capabilities = {numbered("cap", next() % capabilities), numbered("cap", next() % capabilities)};
        x.annual_cost_per_seat = 100.0;
        data.tools.push_back(std::move(x));
    }
    for (std::size_t p = 0; p < people; ++p) {
        Person person;
        person.user_id = numbered("u", p);
        person.email = numbered("p", p) + "@x.com";
        person.department = numbered("Dept ", p % 12);
        person.team = numbered("Team ", p % 40);
        data.people.push_back(std::move(person));
    }
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
