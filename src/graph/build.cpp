// Building the audit graph from a Dataset: one vertex per person, team, department, tool,
// capability and SSO app, typed edges between them, and the lookup indices.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stackaudit/core/parallel.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/graph/graph_impl.hpp"

namespace stackaudit::graph {

std::string_view to_string(VertexKind kind) noexcept {
    switch (kind) {
    case VertexKind::person: return "person";
    case VertexKind::team: return "team";
    case VertexKind::department: return "department";
    case VertexKind::tool: return "tool";
    case VertexKind::capability: return "capability";
    case VertexKind::app: return "app";
    }
    return "unknown";
}

std::string_view to_string(EdgeKind kind) noexcept {
    switch (kind) {
    case EdgeKind::business_owner: return "business_owner";
    case EdgeKind::technical_owner: return "technical_owner";
    case EdgeKind::member_of: return "member_of";
    case EdgeKind::holds_seat: return "holds_seat";
    case EdgeKind::uses: return "uses";
    case EdgeKind::provides: return "provides";
    case EdgeKind::feeds: return "feeds";
    case EdgeKind::part_of: return "part_of";
    case EdgeKind::signs_in_as: return "signs_in_as";
    }
    return "unknown";
}

namespace {

template <class Map>
std::optional<Vertex> find_in(const Map& map, const std::string& key) {
    auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    return it->second;
}

// Adds vertices and edges while keeping the indices in step.
class Builder {
public:
    Builder(AuditGraph::Impl& impl, const Dataset& data, unsigned threads)
        : m_impl(impl), m_data(data), m_threads(threads) {}

    void run() {
        // Room for every edge up front (an upper bound): the edge vector otherwise doubles its way
        // to a million 80-byte entries, copying each several times. Boost.Graph keeps it public.
        std::size_t edges = 2 * m_data.people.size() + m_data.seats.size() + m_data.usage.size() + m_data.integrations.size();
        for (const Tool& tool : m_data.tools)
            edges += tool.capabilities.size() + tool.business_owners.size() + tool.technical_owners.size() + 1;
        m_impl.g.m_edges.reserve(edges);
        m_impl.g.m_vertices.reserve(m_data.people.size() + 3 * m_data.tools.size());
        add_people();
        add_tools();
        add_owners_and_seats();
        add_integrations();
        add_usage();
    }

private:
    Vertex add_vertex(VertexKind kind, std::string name, std::size_t record, bool known) {
        VertexProps props;
        props.kind = kind;
        props.name = std::move(name);
        props.record = record;
        props.known = known;
        return boost::add_vertex(std::move(props), m_impl.g);
    }

    void add_edge(Vertex from, Vertex to, EdgeKind kind, std::size_t record = k_no_record) {
        EdgeProps props;
        props.kind = kind;
        props.record = record;
        boost::add_edge(from, to, std::move(props), m_impl.g);
    }

    Vertex department(const std::string& name) {
        auto [it, inserted] = m_impl.department_by_name.try_emplace(to_lower(name), 0);
        if (inserted) it->second = add_vertex(VertexKind::department, name, k_no_record, true);
        return it->second;
    }

    void add_people() {
        for (std::size_t i = 0; i < m_data.people.size(); ++i) {
            const Person& person = m_data.people[i];
            if (person.email.empty() || m_impl.person_by_email.contains(person.email)) continue;
            Vertex v = add_vertex(VertexKind::person, person.email, i, true);
            m_impl.g[v].user_id = person.user_id;
            m_impl.person_by_email.emplace(person.email, v);
            if (!person.user_id.empty()) m_impl.person_by_user_id.emplace(person.user_id, v);

            std::string dept_name{trim(person.department)};
            std::string team_name{trim(person.team)};
            if (!team_name.empty()) {
                std::string key = to_lower(dept_name) + '\x1f' + to_lower(team_name);
                auto [it, inserted] = m_impl.team_by_key.try_emplace(std::move(key), 0);
                if (inserted) {
                    it->second = add_vertex(VertexKind::team, team_name, k_no_record, true);
                    if (!dept_name.empty()) add_edge(it->second, department(dept_name), EdgeKind::part_of);
                }
                add_edge(v, it->second, EdgeKind::member_of);
            } else if (!dept_name.empty()) {
                // Nobody to group by team: the person belongs to the department directly.
                add_edge(v, department(dept_name), EdgeKind::member_of);
            }
        }
    }

    Vertex tool_vertex(const std::string& name) {
        auto [it, inserted] = m_impl.tool_by_name.try_emplace(to_lower(name), 0);
        if (inserted) it->second = add_vertex(VertexKind::tool, name, k_no_record, false);
        return it->second;
    }

    void add_tools() {
        for (std::size_t i = 0; i < m_data.tools.size(); ++i) {
            const Tool& tool = m_data.tools[i];
            std::string key = to_lower(tool.name);
            if (key.empty() || m_impl.tool_by_name.contains(key)) continue;
            Vertex v = add_vertex(VertexKind::tool, tool.name, i, true);
            m_impl.tool_by_name.emplace(key, v);
            if (!trim(tool.sso_app_label).empty()) m_sso_label.try_emplace(to_lower(trim(tool.sso_app_label)), v);
            for (const std::string& capability : tool.capabilities) {
                std::string cap = to_lower(trim(capability));
                if (cap.empty()) continue;
                auto [it, inserted] = m_impl.capability_by_name.try_emplace(cap, 0);
                if (inserted) it->second = add_vertex(VertexKind::capability, cap, k_no_record, true);
                if (!boost::edge(v, it->second, m_impl.g).second) add_edge(v, it->second, EdgeKind::provides);
            }
        }
    }

    Vertex person_vertex(const std::string& email) {
        auto [it, inserted] = m_impl.person_by_email.try_emplace(email, 0);
        if (inserted) it->second = add_vertex(VertexKind::person, email, k_no_record, false);
        return it->second;
    }

    void add_owners_and_seats() {
        for (std::size_t i = 0; i < m_data.tools.size(); ++i) {
            auto tool = find_in(m_impl.tool_by_name, to_lower(m_data.tools[i].name));
            if (!tool || m_impl.g[*tool].record != i) continue;  // a repeated catalog name
            auto add_owners = [&](const std::vector<std::string>& owners, EdgeKind kind) {
                std::vector<Vertex> seen;
                for (const std::string& email : owners) {
                    if (email.empty()) continue;
                    Vertex p = person_vertex(email);
                    if (std::find(seen.begin(), seen.end(), p) != seen.end()) continue;
                    seen.push_back(p);
                    add_edge(p, *tool, kind);
                }
            };
            add_owners(m_data.tools[i].business_owners, EdgeKind::business_owner);
            add_owners(m_data.tools[i].technical_owners, EdgeKind::technical_owner);
        }
        // Seat rows come grouped by tool: the tool of the row before is usually this row's too.
        std::string_view previous_tool;
        Vertex tool = 0;
        for (std::size_t i = 0; i < m_data.seats.size(); ++i) {
            const Seat& seat = m_data.seats[i];
            const std::string_view name = trim(seat.tool);
            if (seat.email.empty() || name.empty()) continue;
            if (previous_tool.empty() || name != previous_tool) {
                tool = tool_vertex(std::string(name));
                previous_tool = name;
            }
            add_edge(person_vertex(seat.email), tool, EdgeKind::holds_seat, i);
        }
    }

    void add_integrations() {
        for (std::size_t i = 0; i < m_data.integrations.size(); ++i) {
            const Integration& row = m_data.integrations[i];
            std::string source{trim(row.source_tool)};
            std::string target{trim(row.target_tool)};
            if (source.empty() || target.empty()) continue;
            Vertex s = tool_vertex(source);
            Vertex t = tool_vertex(target);
            add_edge(s, t, EdgeKind::feeds, i);
        }
    }

    // The catalog tool an SSO app stands for: by SSO label first, then by tool name.
    std::optional<Vertex> match_app(const Usage& row) const {
        for (std::string_view text : {std::string_view(row.app_label), std::string_view(row.app_name)}) {
            if (trim(text).empty()) continue;
            if (auto v = find_in(m_sso_label, to_lower(trim(text)))) return v;
        }
        for (std::string_view text : {std::string_view(row.app_name), std::string_view(row.app_label)}) {
            if (trim(text).empty()) continue;
            if (auto v = find_in(m_impl.tool_by_name, to_lower(trim(text))); v && m_impl.g[*v].known) return v;
        }
        return std::nullopt;
    }

    Vertex app_vertex(const Usage& row, std::size_t index) {
        std::string label{trim(row.app_label)};
        if (label.empty()) label = std::string(trim(row.app_name));
        if (label.empty()) label = row.app_id;
        auto [it, inserted] = m_impl.app_by_label.try_emplace(to_lower(label), 0);
        if (inserted) {
            auto tool = match_app(row);
            it->second = add_vertex(VertexKind::app, label, index, tool.has_value());
            if (tool) add_edge(*tool, it->second, EdgeKind::signs_in_as);
        }
        return it->second;
    }

    // Usage rows belong to a person by login (= email), else by directory user id; an SSO
    // user found in neither is kept as an unknown person.
    Vertex user_vertex(const Usage& row) {
        if (!row.user_login.empty()) {
            if (auto v = find_in(m_impl.person_by_email, row.user_login)) return *v;
        }
        if (!row.user_id.empty()) {
            if (auto v = find_in(m_impl.person_by_user_id, row.user_id)) return *v;
            if (auto v = find_in(m_impl.unknown_by_user_id, row.user_id)) return *v;
        }
        Vertex v = row.user_login.empty() ? add_vertex(VertexKind::person, row.user_id, k_no_record, false)
                                          : person_vertex(row.user_login);
        m_impl.g[v].user_id = row.user_id;
        if (!row.user_id.empty()) m_impl.unknown_by_user_id.emplace(row.user_id, v);
        return v;
    }

    // The directory person each usage row belongs to, looked up on all threads (the indices are
    // only read here); k_no_vertex where user_vertex() must decide, in row order.
    static constexpr Vertex k_no_vertex = std::numeric_limits<Vertex>::max();
    std::vector<Vertex> known_users() const {
        std::vector<Vertex> users(m_data.usage.size(), k_no_vertex);
        const std::size_t parts = part_count(users.size(), 65536, m_threads);
        run_parts(parts, [&](std::size_t p) {
            const PartRange range = part_range(users.size(), parts, p);
            for (std::size_t i = range.begin; i < range.end; ++i) {
                const Usage& row = m_data.usage[i];
                if (!row.user_login.empty()) {
                    if (auto v = find_in(m_impl.person_by_email, row.user_login)) users[i] = *v;
                } else if (!row.user_id.empty()) {
                    if (auto v = find_in(m_impl.person_by_user_id, row.user_id)) users[i] = *v;
                }
            }
        });
        return users;
    }

    void add_usage() {
        const std::vector<Vertex> known = known_users();
        // Usage rows come sorted by app, so the app (and the tool it signs in as) of the row
        // before is usually this row's too: reuse it rather than look it up again.
        const Usage* previous = nullptr;
        Vertex app = 0;
        Vertex target = 0;
        for (std::size_t i = 0; i < m_data.usage.size(); ++i) {
            const Usage& row = m_data.usage[i];
            if (row.user_login.empty() && row.user_id.empty()) continue;
            if (previous == nullptr || row.app_label != previous->app_label || row.app_name != previous->app_name ||
                row.app_id != previous->app_id) {
                app = app_vertex(row, i);
                target = app;
                if (m_impl.g[app].known) {
                    for (auto e : boost::make_iterator_range(boost::in_edges(app, m_impl.g)))
                        if (m_impl.g[e].kind == EdgeKind::signs_in_as) target = boost::source(e, m_impl.g);
                }
                previous = &row;
            }
            Vertex user = known[i] != k_no_vertex ? known[i] : user_vertex(row);
            EdgeProps props;
            props.kind = EdgeKind::uses;
            props.record = i;
            props.app = app;
            props.first_seen = row.first_seen;
            props.last_seen = row.last_seen;
            props.events = row.events;
            props.events_in_window = row.events_in_window;
            boost::add_edge(user, target, std::move(props), m_impl.g);
        }
    }

    AuditGraph::Impl& m_impl;
    const Dataset& m_data;
    unsigned m_threads = 1;
    std::unordered_map<std::string, Vertex> m_sso_label;  // lower-cased SSO label -> catalog tool
};

}  // namespace

std::optional<Vertex> AuditGraph::Impl::person(std::string_view email) const {
    return find_in(person_by_email, normalize_email(email));
}
std::optional<Vertex> AuditGraph::Impl::tool(std::string_view name) const {
    return find_in(tool_by_name, to_lower(trim(name)));
}
std::optional<Vertex> AuditGraph::Impl::app(std::string_view label) const {
    return find_in(app_by_label, to_lower(trim(label)));
}
std::optional<Vertex> AuditGraph::Impl::department(std::string_view name) const {
    return find_in(department_by_name, to_lower(trim(name)));
}
std::optional<Vertex> AuditGraph::Impl::capability(std::string_view name) const {
    return find_in(capability_by_name, to_lower(trim(name)));
}

AuditGraph::AuditGraph() : m_impl(std::make_unique<Impl>()) {}
AuditGraph::AuditGraph(AuditGraph&&) noexcept = default;
AuditGraph& AuditGraph::operator=(AuditGraph&&) noexcept = default;
AuditGraph::~AuditGraph() = default;

AuditGraph AuditGraph::build(const Dataset& data, unsigned threads) {
    AuditGraph graph;
    Builder(*graph.m_impl, data, resolve_threads(threads)).run();
    return graph;
}

std::size_t AuditGraph::vertex_count() const { return boost::num_vertices(m_impl->g); }
std::size_t AuditGraph::edge_count() const { return boost::num_edges(m_impl->g); }

std::size_t AuditGraph::count(VertexKind kind) const {
    std::size_t n = 0;
    for (auto v : boost::make_iterator_range(boost::vertices(m_impl->g)))
        if (m_impl->g[v].kind == kind) ++n;
    return n;
}

std::size_t AuditGraph::count(EdgeKind kind) const {
    std::size_t n = 0;
    for (auto e : boost::make_iterator_range(boost::edges(m_impl->g)))
        if (m_impl->g[e].kind == kind) ++n;
    return n;
}

}  // namespace stackaudit::graph
