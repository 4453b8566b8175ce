// The graph projected for ad-hoc queries (core/snapshot.hpp). Everything a query shows is read
// from the graph's edges, and every tool figure (annual cost, usage tracked, seat data) from the
// tool facts, so `stackaudit overlap` and the overlap rules count the same people.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "people.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/graph/graph_impl.hpp"

namespace stackaudit::graph {

namespace {

constexpr std::uint32_t k_unset = 0xffffffffU;

// Department and team of a directory person, through member_of (and part_of for teams).
std::pair<std::string, std::string> placement(const Graph& g, Vertex person) {
    std::string department, team;
    for (auto e : boost::make_iterator_range(boost::out_edges(person, g))) {
        if (g[e].kind != EdgeKind::member_of) continue;
        const Vertex group = boost::target(e, g);
        if (g[group].kind == VertexKind::department) {
            department = g[group].name;
            continue;
        }
        // Teams are keyed "<department>\x1f<team>" in the index but named plainly in the vertex.
        team = g[group].name;
        for (auto up : boost::make_iterator_range(boost::out_edges(group, g)))
            if (g[up].kind == EdgeKind::part_of) department = g[boost::target(up, g)].name;
    }
    return {department, team};
}

struct PairUse {
    bool seat = false;
    bool active = false;
    std::optional<Timestamp> last_seen;
    std::uint64_t events_in_window = 0;
    std::string license_type;

    void seen(Timestamp t) {
        if (!last_seen || t > *last_seen) last_seen = t;
    }
};

}  // namespace

GraphSnapshot snapshot(const AuditGraph& graph, const Dataset& data, const SubjectSet& subjects) {
    const Graph& g = graph.impl().g;
    const Date as_of_date = to_date(data.as_of);
    const Timestamp window_start = data.as_of - std::chrono::days(data.window_days);
    GraphSnapshot out;
    out.as_of = data.as_of;
    out.window_days = data.window_days;

    // People, sorted by email.
    std::vector<Vertex> people;
    for (auto v : boost::make_iterator_range(boost::vertices(g)))
        if (g[v].kind == VertexKind::person) people.push_back(v);
    std::sort(people.begin(), people.end(), [&](Vertex a, Vertex b) { return g[a].name < g[b].name; });
    std::vector<std::uint32_t> person_index(boost::num_vertices(g), k_unset);
    out.people.reserve(people.size());
    for (Vertex v : people) {
        person_index[v] = static_cast<std::uint32_t>(out.people.size());
        SnapshotPerson p;
        p.email = g[v].name;
        p.user_id = g[v].user_id;
        p.in_directory = g[v].known && g[v].record != k_no_record;
        if (p.in_directory) {
            const Person& rec = data.people[g[v].record];
            p.name = rec.display_name;
            p.status = rec.status == PersonStatus::other ? rec.status_text : std::string(to_string(rec.status));
            p.departed = person_departed(rec, as_of_date);
            p.termination_date = rec.termination_date;
            std::tie(p.department, p.team) = placement(g, v);
        }
        out.people.push_back(std::move(p));
    }

    // Tools: catalog tools, integration ends not in the catalog, and SSO apps matched to no tool.
    std::vector<Vertex> tools;
    for (auto v : boost::make_iterator_range(boost::vertices(g))) {
        const VertexKind kind = g[v].kind;
        if (kind == VertexKind::tool || (kind == VertexKind::app && !g[v].known)) tools.push_back(v);
    }
    std::sort(tools.begin(), tools.end(), [&](Vertex a, Vertex b) {
        const std::string la = to_lower(g[a].name), lb = to_lower(g[b].name);
        return la != lb ? la < lb : g[a].kind < g[b].kind;
    });
    std::vector<std::uint32_t> tool_index(boost::num_vertices(g), k_unset);
    for (std::size_t i = 0; i < tools.size(); ++i) tool_index[tools[i]] = static_cast<std::uint32_t>(i);

    // Capabilities, sorted (vertex names are lower-cased already).
    std::vector<Vertex> capabilities;
    for (auto v : boost::make_iterator_range(boost::vertices(g)))
        if (g[v].kind == VertexKind::capability) capabilities.push_back(v);
    std::sort(capabilities.begin(), capabilities.end(), [&](Vertex a, Vertex b) { return g[a].name < g[b].name; });
    std::vector<std::uint32_t> capability_index(boost::num_vertices(g), k_unset);
    for (std::size_t i = 0; i < capabilities.size(); ++i) {
        capability_index[capabilities[i]] = static_cast<std::uint32_t>(i);
        out.capabilities.push_back(g[capabilities[i]].name);
    }

    // Tool figures from the tool facts, by subject key.
    const FrameReader facts(fact_catalog(), "tool");
    std::unordered_map<std::string, const std::vector<Value>*> tool_frames;
    for (const Subject& subject : subjects.subjects)
        if (subject.kind == "tool" && !subject.frames.empty()) tool_frames.emplace(subject.key, subject.frames.front());

    out.tools.reserve(tools.size());
    // Per tool, one entry per seat or use edge; merged per person below.
    std::vector<std::vector<std::pair<std::uint32_t, PairUse>>> uses(tools.size());
    for (Vertex v : tools) {
        SnapshotTool t;
        t.name = g[v].name;
        const bool is_app = g[v].kind == VertexKind::app;
        t.sso_app_only = is_app;
        t.in_catalog = !is_app && g[v].known;
        if (t.in_catalog) {
            const Tool& rec = data.tools[g[v].record];
            t.vendor = rec.vendor;
            t.owning_department = std::string(trim(rec.owning_department));
            t.it_review = rec.it_review;
            t.intended_departments = rec.intended_departments;
            t.intended_all = rec.intended_all;
            t.owner_conflicts = rec.owner_conflicts;
            t.contract_seats = rec.contract_seats;
            t.cost_per_seat = rec.annual_cost_per_seat;
            if (auto it = tool_frames.find("tool:" + to_lower(t.name)); it != tool_frames.end()) {
                t.annual_cost = facts.number(*it->second, "annual_cost");
                t.usage_tracked = facts.flag(*it->second, "usage_tracked");
                t.has_seat_data = facts.flag(*it->second, "has_seat_data");
            }
        }
        const std::uint32_t ti = tool_index[v];
        for (auto e : boost::make_iterator_range(boost::in_edges(v, g))) {
            const EdgeProps& edge = g[e];
            const std::uint32_t pi = person_index[boost::source(e, g)];
            switch (edge.kind) {
            case EdgeKind::business_owner: t.business_owners.push_back(pi); break;
            case EdgeKind::technical_owner: t.technical_owners.push_back(pi); break;
            case EdgeKind::holds_seat: {
                const Seat& seat = data.seats[edge.record];
                PairUse& use = uses[ti].emplace_back(pi, PairUse{}).second;
                use.seat = true;
                if (use.license_type.empty()) use.license_type = seat.license_type;
                if (seat.last_activity) {
                    use.seen(*seat.last_activity);
                    if (*seat.last_activity >= window_start) use.active = true;
                }
                break;
            }
            case EdgeKind::uses: {
                PairUse& use = uses[ti].emplace_back(pi, PairUse{}).second;
                use.seen(edge.last_seen);
                use.events_in_window += edge.events_in_window;
                if (edge.events_in_window > 0) use.active = true;
                break;
            }
            default: break;
            }
        }
        for (auto e : boost::make_iterator_range(boost::out_edges(v, g)))
            if (g[e].kind == EdgeKind::provides) t.capabilities.push_back(capability_index[boost::target(e, g)]);
        std::sort(t.capabilities.begin(), t.capabilities.end());
        t.capabilities.erase(std::unique(t.capabilities.begin(), t.capabilities.end()), t.capabilities.end());
        out.tools.push_back(std::move(t));
    }
    std::size_t total_uses = 0;
    for (const auto& per_tool : uses) total_uses += per_tool.size();
    out.uses.reserve(total_uses);
    for (std::uint32_t ti = 0; ti < uses.size(); ++ti) {
        auto& entries = uses[ti];
        std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t i = 0; i < entries.size();) {
            SnapshotUse row;
            row.tool = ti;
            row.person = entries[i].first;
            for (; i < entries.size() && entries[i].first == row.person; ++i) {
                PairUse& use = entries[i].second;
                row.seat = row.seat || use.seat;
                row.active = row.active || use.active;
                if (use.last_seen && (!row.last_seen || *use.last_seen > *row.last_seen)) row.last_seen = use.last_seen;
                row.events_in_window += use.events_in_window;
                if (row.license_type.empty()) row.license_type = std::move(use.license_type);
            }
            out.uses.push_back(std::move(row));
        }
    }

    // Flows, one per (source, target) with the data categories of all its rows.
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::string>> flows;
    for (auto e : boost::make_iterator_range(boost::edges(g))) {
        if (g[e].kind != EdgeKind::feeds) continue;
        const std::uint32_t s = tool_index[boost::source(e, g)];
        const std::uint32_t t = tool_index[boost::target(e, g)];
        if (s == k_unset || t == k_unset) continue;
        auto& categories = flows[{s, t}];
        if (g[e].record != k_no_record)
            for (const std::string& category : data.integrations[g[e].record].data)
                if (!trim(category).empty()) categories.push_back(to_lower(trim(category)));
    }
    for (auto& [ends, categories] : flows) {
        std::sort(categories.begin(), categories.end());
        categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
        out.flows.push_back(SnapshotFlow{ends.first, ends.second, std::move(categories)});
    }

    for (const SourceReport& source : data.sources) {
        SnapshotSource s{source.name, source.ok, source.stale, {}};
        if (!source.ok && !source.errors.empty()) s.detail = source.errors.front().message;
        else if (source.stale) s.detail = source.stale_reason;
        out.sources.push_back(std::move(s));
    }
    return out;
}

}  // namespace stackaudit::graph
