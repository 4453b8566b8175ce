// Graphviz export of the ownership and data-flow graph (`stackaudit graph --format dot`).
// Every id and label goes through dot_quote: a tool name can hold any text, and the file must
// stay valid DOT whatever the catalog says. Output order is sorted, never hash order, so the
// same data always gives the same bytes.
#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/graph/graph_impl.hpp"

namespace stackaudit::graph {

namespace {

// ColorBrewer Set3: light enough for black text, distinct enough to tell departments apart.
constexpr std::array<std::string_view, 12> k_palette = {"#8dd3c7", "#ffffb3", "#bebada", "#fb8072",
                                                        "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
                                                        "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f"};
constexpr std::string_view k_no_department_fill = "#ffffff";
constexpr std::string_view k_departed_color = "#d7191c";
constexpr std::string_view k_unknown_color = "#636363";
constexpr std::string_view k_flow_color = "#1f78b4";
constexpr std::string_view k_provides_color = "#969696";

// Length of the valid UTF-8 sequence starting at s[i], or 0 when the bytes there are not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) n = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) n = 3;
    else if (lead >= 0xF0 && lead <= 0xF4) n = 4;
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if (c < 0x80 || c > 0xBF) return 0;
    }
    return n;
}

// A DOT double-quoted string. Inside one, only \" is an escape for the parser, but Graphviz
// reads \n, \l, \N and friends in labels, so a lone backslash is doubled to stay literal and
// a quote is escaped so the string cannot end early. Newlines become \n (a line break in a
// label); other control characters and bytes that are not UTF-8 (Graphviz rejects them) become
// a space and U+FFFD.
std::string dot_quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        const std::size_t n = utf8_length(text, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (n > 1) {
            out.append(text.substr(i, n));
            i += n;
            continue;
        }
        ++i;
        if (c == '"') out += "\\\"";
        else if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') {
            if (i >= text.size() || text[i] != '\n') out += "\\n";
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += ' ';
        else out += c;
    }
    out += '"';
    return out;
}

std::string key_of(std::string_view text) { return to_lower(trim(text)); }

struct DotEdge {
    int order = 0;  // owners, then capabilities, then flows
    std::string from;
    std::string to;
    std::string attributes;
    bool operator<(const DotEdge& o) const {
        return std::tie(order, from, to, attributes) < std::tie(o.order, o.from, o.to, o.attributes);
    }
};

class DotWriter {
public:
    DotWriter(const AuditGraph::Impl& impl, const Dataset& data, const DotFilter& filter)
        : m_g(impl.g), m_data(data), m_filter(filter) {}

    std::string run() {
        collect_departments();
        select();
        std::string out;
        out += "digraph \"stackaudit\" {\n";
        out += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, labelloc=t, nodesep=0.25, ranksep=0.9, label=" +
               dot_quote(title()) + "];\n";
        out += "  node [fontname=\"Helvetica\", fontsize=10];\n";
        out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
        write_legend(out);
        write_tools(out);
        write_capabilities(out);
        if (m_filter.include_people) write_people(out);
        write_edges(out);
        out += "}\n";
        return out;
    }

private:
    struct Department {
        std::string display;  // as first written in the catalog
        std::string color;
    };

    const Tool* tool_record(Vertex v) const {
        const auto& p = m_g[v];
        return p.kind == VertexKind::tool && p.record < m_data.tools.size() ? &m_data.tools[p.record] : nullptr;
    }
    const Person* person_record(Vertex v) const {
        const auto& p = m_g[v];
        return p.kind == VertexKind::person && p.record < m_data.people.size() ? &m_data.people[p.record] : nullptr;
    }

    bool departed(Vertex v) const {
        const Person* person = person_record(v);
        if (person == nullptr) return false;
        return person->status == PersonStatus::suspended || person->status == PersonStatus::deprovisioned ||
               (person->termination_date && *person->termination_date <= to_date(m_data.as_of));
    }

    static std::string id_of(const VertexProps& p) {
        switch (p.kind) {
        case VertexKind::tool: return "tool:" + p.name;
        case VertexKind::capability: return "capability:" + p.name;
        case VertexKind::person: return "person:" + p.name;
        default: return std::string(to_string(p.kind)) + ":" + p.name;
        }
    }

    // Departments owning a tool anywhere in the data, sorted, so a department keeps its
    // colour whatever the filter shows.
    void collect_departments() {
        for (const Tool& tool : m_data.tools) {
            const std::string key = key_of(tool.owning_department);
            if (key.empty()) continue;
            // The smallest spelling ("Marketing" before "marketing"), whatever the row order.
            const std::string display(trim(tool.owning_department));
            auto [it, inserted] = m_departments.try_emplace(key, Department{display, {}});
            if (!inserted && display < it->second.display) it->second.display = display;
        }
        std::size_t i = 0;
        for (auto& [key, department] : m_departments) department.color = std::string(k_palette[i++ % k_palette.size()]);
    }

    // The department whose people hold seats in or use a tool most (distinct people); ties all count.
    std::set<std::string> top_user_departments(Vertex tool) const {
        std::map<std::string, std::set<Vertex>> people;
        for (auto [e, end] = boost::in_edges(tool, m_g); e != end; ++e) {
            const auto kind = m_g[*e].kind;
            if (kind != EdgeKind::holds_seat && kind != EdgeKind::uses) continue;
            const Vertex p = boost::source(*e, m_g);
            const Person* person = person_record(p);
            if (person == nullptr || key_of(person->department).empty()) continue;
            people[key_of(person->department)].insert(p);
        }
        std::size_t most = 0;
        for (const auto& [key, set] : people) most = std::max(most, set.size());
        std::set<std::string> top;
        for (const auto& [key, set] : people)
            if (set.size() == most) top.insert(key);
        return top;
    }

    bool matches(Vertex tool) const {
        const auto& p = m_g[tool];
        if (!m_filter.tool.empty() && !iequals(trim(p.name), trim(m_filter.tool))) return false;
        if (!m_filter.capability.empty()) {
            const std::string wanted = key_of(m_filter.capability);
            bool found = false;
            for (auto [e, end] = boost::out_edges(tool, m_g); e != end && !found; ++e)
                found = m_g[*e].kind == EdgeKind::provides && key_of(m_g[boost::target(*e, m_g)].name) == wanted;
            if (!found) return false;
        }
        if (!m_filter.department.empty()) {
            const std::string wanted = key_of(m_filter.department);
            const Tool* record = tool_record(tool);
            const bool owns = record != nullptr && key_of(record->owning_department) == wanted;
            if (!owns && !top_user_departments(tool).contains(wanted)) return false;
        }
        return true;
    }

    static bool shown_edge(EdgeKind kind) {
        return kind == EdgeKind::business_owner || kind == EdgeKind::technical_owner || kind == EdgeKind::provides ||
               kind == EdgeKind::feeds;
    }

    bool shown_kind(const VertexProps& p) const {
        return p.kind == VertexKind::tool || p.kind == VertexKind::capability ||
               (p.kind == VertexKind::person && m_filter.include_people);
    }

    bool shown_edge_kind(EdgeKind kind) const {
        if (!shown_edge(kind)) return false;
        return m_filter.include_people || (kind != EdgeKind::business_owner && kind != EdgeKind::technical_owner);
    }

    // The matching tools, and everything one shown edge away from them.
    void select() {
        const bool filtered = !m_filter.tool.empty() || !m_filter.capability.empty() || !m_filter.department.empty();
        const std::size_t n = boost::num_vertices(m_g);
        m_matched.assign(n, 0);
        m_kept.assign(n, 0);
        for (Vertex v = 0; v < n; ++v) {
            if (m_g[v].kind != VertexKind::tool) continue;
            if (filtered && !matches(v)) continue;
            m_matched[v] = 1;
            m_kept[v] = 1;
        }
        for (auto [e, end] = boost::edges(m_g); e != end; ++e) {
            if (!shown_edge_kind(m_g[*e].kind)) continue;
            const Vertex s = boost::source(*e, m_g), t = boost::target(*e, m_g);
            if (!m_matched[s] && !m_matched[t]) continue;
            if (!shown_kind(m_g[s]) || !shown_kind(m_g[t])) continue;
            m_kept[s] = 1;
            m_kept[t] = 1;
        }
    }

    std::string title() const {
        std::string t = "stackaudit: tool ownership and data flow";
        if (!m_data.tools.empty() || !m_data.people.empty()) t += " as of " + format_date(to_date(m_data.as_of));
        std::vector<std::string> parts;
        if (!m_filter.department.empty()) parts.push_back("department " + std::string(trim(m_filter.department)));
        if (!m_filter.tool.empty()) parts.push_back("tool " + std::string(trim(m_filter.tool)));
        if (!m_filter.capability.empty()) parts.push_back("capability " + std::string(trim(m_filter.capability)));
        if (!parts.empty()) t += " (" + join(parts, ", ") + ")";
        return t;
    }

    // Kept vertices of one kind, sorted by (lower-cased name, name).
    std::vector<Vertex> kept_of(VertexKind kind) const {
        std::vector<Vertex> out;
        for (Vertex v = 0; v < boost::num_vertices(m_g); ++v)
            if (m_kept[v] && m_g[v].kind == kind) out.push_back(v);
        std::sort(out.begin(), out.end(), [this](Vertex a, Vertex b) {
            const auto ka = to_lower(m_g[a].name), kb = to_lower(m_g[b].name);
            return std::tie(ka, m_g[a].name, a) < std::tie(kb, m_g[b].name, b);
        });
        return out;
    }

    void write_legend(std::string& out) const {
        out += "  subgraph \"cluster_legend\" {\n";
        out += "    label=\"Legend\"; style=\"rounded\"; color=\"#bdbdbd\"; fontsize=10;\n";
        out += "    \"legend:tool\" [shape=box, style=\"filled\", fillcolor=\"" + std::string(k_palette[0]) +
               "\", label=\"tool\\n(fill: owning department)\"];\n";
        out += "    \"legend:uncatalogued\" [shape=box, style=\"dashed\", label=\"tool not in the catalog\"];\n";
        out += "    \"legend:capability\" [shape=ellipse, style=\"filled\", fillcolor=\"#f0f0f0\", label=\"capability\"];\n";
        if (m_filter.include_people) {
            out += "    \"legend:owner\" [shape=plaintext, label=\"owner\"];\n";
            out += "    \"legend:departed\" [shape=plaintext, fontcolor=\"" + std::string(k_departed_color) +
                   "\", label=\"owner (left)\"];\n";
            out += "    \"legend:owner\" -> \"legend:tool\" [label=\"business owner\"];\n";
            out += "    \"legend:departed\" -> \"legend:tool\" [style=dashed, color=\"" + std::string(k_departed_color) +
                   "\", label=\"technical owner\"];\n";
        }
        out += "    \"legend:tool\" -> \"legend:uncatalogued\" [color=\"" + std::string(k_flow_color) +
               "\", label=\"feeds: data\"];\n";
        out += "    \"legend:tool\" -> \"legend:capability\" [arrowhead=none, color=\"" + std::string(k_provides_color) +
               "\", label=\"provides\"];\n";
        out += "  }\n";
    }

    void write_tool(std::string& out, Vertex v, std::string_view indent, std::string_view fill) const {
        const auto& p = m_g[v];
        out += std::string(indent) + dot_quote(id_of(p));
        if (!p.known) {
            out += " [shape=box, style=\"dashed\", label=" + dot_quote(p.name + "\n(not in catalog)") + "];\n";
            return;
        }
        out += " [shape=box, style=\"filled\", fillcolor=\"" + std::string(fill) + "\", label=" + dot_quote(p.name) + "];\n";
    }

    void write_tools(std::string& out) const {
        std::map<std::string, std::vector<Vertex>> by_department;  // "" = no owning department
        std::vector<Vertex> uncatalogued;
        for (Vertex v : kept_of(VertexKind::tool)) {
            const Tool* record = tool_record(v);
            if (!m_g[v].known || record == nullptr) uncatalogued.push_back(v);
            else by_department[key_of(record->owning_department)].push_back(v);
        }
        std::size_t cluster = 0;
        for (const auto& [key, tools] : by_department) {
            if (key.empty()) continue;
            const Department& d = m_departments.at(key);
            out += "  subgraph " + dot_quote("cluster_department_" + std::to_string(cluster++)) + " {\n";
            out += "    label=" + dot_quote(d.display) + "; style=\"rounded\"; color=\"" + d.color + "\"; penwidth=2;\n";
            for (Vertex v : tools) write_tool(out, v, "    ", d.color);
            out += "  }\n";
        }
        if (auto it = by_department.find(""); it != by_department.end()) {
            out += "  subgraph \"cluster_no_department\" {\n";
            out += "    label=\"no owning department\"; style=\"rounded,dashed\"; color=\"#bdbdbd\";\n";
            for (Vertex v : it->second) write_tool(out, v, "    ", k_no_department_fill);
            out += "  }\n";
        }
        for (Vertex v : uncatalogued) write_tool(out, v, "  ", k_no_department_fill);
    }

    void write_capabilities(std::string& out) const {
        for (Vertex v : kept_of(VertexKind::capability))
            out += "  " + dot_quote(id_of(m_g[v])) + " [shape=ellipse, style=\"filled\", fillcolor=\"#f0f0f0\", label=" +
                   dot_quote(m_g[v].name) + "];\n";
    }

    void write_people(std::string& out) const {
        for (Vertex v : kept_of(VertexKind::person)) {
            const auto& p = m_g[v];
            const Person* person = person_record(v);
            std::string label;
            std::string extra;
            if (person == nullptr || !p.known) {
                label = p.name + "\n(not in directory)";
                extra = ", fontcolor=\"" + std::string(k_unknown_color) + "\"";
            } else {
                const std::string name(trim(person->display_name));
                label = name.empty() ? p.name : name + "\n" + p.name;
                if (departed(v)) {
                    label += " (left)";
                    extra = ", fontcolor=\"" + std::string(k_departed_color) + "\"";
                }
            }
            out += "  " + dot_quote(id_of(p)) + " [shape=plaintext, label=" + dot_quote(label) + extra + "];\n";
        }
    }

    void write_edges(std::string& out) const {
        std::vector<DotEdge> edges;
        for (auto [e, end] = boost::edges(m_g); e != end; ++e) {
            const auto& ep = m_g[*e];
            if (!shown_edge_kind(ep.kind)) continue;
            const Vertex s = boost::source(*e, m_g), t = boost::target(*e, m_g);
            if (!m_kept[s] || !m_kept[t] || (!m_matched[s] && !m_matched[t])) continue;
            DotEdge d;
            d.from = dot_quote(id_of(m_g[s]));
            d.to = dot_quote(id_of(m_g[t]));
            switch (ep.kind) {
            case EdgeKind::business_owner:
            case EdgeKind::technical_owner: {
                d.order = 0;
                d.attributes = ep.kind == EdgeKind::business_owner ? "style=solid" : "style=dashed";
                d.attributes += ", tooltip=";
                d.attributes += ep.kind == EdgeKind::business_owner ? "\"business owner\"" : "\"technical owner\"";
                if (departed(s)) d.attributes += ", color=\"" + std::string(k_departed_color) + "\"";
                else if (!m_g[s].known) d.attributes += ", color=\"" + std::string(k_unknown_color) + "\"";
                break;
            }
            case EdgeKind::provides:
                d.order = 1;
                d.attributes = "arrowhead=none, color=\"" + std::string(k_provides_color) + "\"";
                break;
            default: {
                d.order = 2;
                d.attributes = "color=\"" + std::string(k_flow_color) + "\", penwidth=1.5";
                if (ep.record < m_data.integrations.size() && !m_data.integrations[ep.record].data.empty())
                    d.attributes += ", label=" + dot_quote(join(m_data.integrations[ep.record].data, ", "));
                break;
            }
            }
            edges.push_back(std::move(d));
        }
        std::sort(edges.begin(), edges.end());
        for (const auto& d : edges) out += "  " + d.from + " -> " + d.to + " [" + d.attributes + "];\n";
    }

    const Graph& m_g;
    const Dataset& m_data;
    const DotFilter& m_filter;
    std::map<std::string, Department> m_departments;  // by lower-cased name
    std::vector<char> m_matched;
    std::vector<char> m_kept;
};

}  // namespace

std::string to_dot(const AuditGraph& graph, const Dataset& data, const DotFilter& filter) {
    return DotWriter(graph.impl(), data, filter).run();
}

}  // namespace stackaudit::graph
