// The audit graph: people, teams, departments, tools, capabilities and SSO apps as vertices;
// ownership, membership, seats, use, capability and data-flow as typed edges (Boost.Graph).
// Rules and queries read facts computed from it; nothing else rebuilds these joins by hand.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/facts.hpp"
#include "stackaudit/core/model.hpp"
#include "stackaudit/core/snapshot.hpp"

namespace stackaudit::graph {

enum class VertexKind { person, team, department, tool, capability, app };
enum class EdgeKind { business_owner, technical_owner, member_of, holds_seat, uses, provides, feeds, part_of, signs_in_as };

[[nodiscard]] std::string_view to_string(VertexKind kind) noexcept;  // "person", "team", ...
[[nodiscard]] std::string_view to_string(EdgeKind kind) noexcept;    // "business_owner", ...

// person -member_of-> team -part_of-> department; person -business_owner/technical_owner-> tool;
// person -holds_seat-> tool; person -uses-> tool (SSO use matched to a catalog tool);
// person -uses-> app (SSO app not in the catalog); tool -provides-> capability;
// tool -feeds-> tool (integration); tool -signs_in_as-> app (the SSO app matched to the tool).

class AuditGraph {
public:
    // Builds the graph. Owners and seat holders not in the directory become person vertices
    // flagged unknown; integration ends not in the catalog become tool vertices flagged
    // uncatalogued. Never fails on data: what cannot be joined is kept and flagged.
    // `threads` (0: every core) look up the people of usage rows; the graph is the same for any count.
    [[nodiscard]] static AuditGraph build(const Dataset& data, unsigned threads = 1);

    [[nodiscard]] std::size_t vertex_count() const;
    [[nodiscard]] std::size_t edge_count() const;
    [[nodiscard]] std::size_t count(VertexKind kind) const;
    [[nodiscard]] std::size_t count(EdgeKind kind) const;

    struct Impl;  // the Boost.Graph and its indices: stackaudit/graph/graph_impl.hpp
    [[nodiscard]] const Impl& impl() const { return *m_impl; }

    AuditGraph(AuditGraph&&) noexcept;
    AuditGraph& operator=(AuditGraph&&) noexcept;
    ~AuditGraph();

private:
    AuditGraph();
    std::unique_ptr<Impl> m_impl;
};

// The documented facts (docs/facts.md is generated from this and checked by a test).
[[nodiscard]] const FactCatalog& fact_catalog();

// docs/facts.md: an introduction to subjects and frames, then every subject kind and every
// frame's facts with type and meaning, as Markdown.
[[nodiscard]] std::string facts_markdown(const FactCatalog& catalog);

// Graphviz DOT of the ownership and data-flow graph: tools (filled by owning department),
// owners (business and technical edges), capabilities, and feeds edges labelled with their data.
// Filters keep the matching tools and everything one edge away from them; empty = everything.
// Several filters together keep the tools that match all of them.
struct DotFilter {
    std::string department;  // tools owned by, or used mostly by, this department (case-insensitive)
    std::string tool;        // this tool (case-insensitive)
    std::string capability;  // tools providing this capability
    bool include_people = true;   // owners as nodes (false: only tools, capabilities and flows)
};
// `data` is the Dataset the graph was built from: owning departments, owner names and status,
// and the data categories of each flow live there, not in the graph.
[[nodiscard]] std::string to_dot(const AuditGraph& graph, const Dataset& data, const DotFilter& filter = {});

// All subjects of every kind, with their fact values. Owns the value storage the subjects
// point into; keep it alive while the subjects are used.
struct SubjectSet {
    std::vector<std::deque<std::vector<Value>>> storage;  // the frames subjects point at, by the thread that made them
    std::vector<Subject> subjects;  // grouped by kind in catalog order, then by key
};

// `threads` (0: every core) share the people's and the tools' frames; the result is the same
// for any count.
[[nodiscard]] SubjectSet compute_subjects(const AuditGraph& graph, const Dataset& data, unsigned threads = 1);

// The graph as ad-hoc queries need it (core/snapshot.hpp): people with department and team,
// tools with capabilities and owners, one row per (person, tool) with seat and activity, the
// data flows, and the sources read. `subjects` must be this graph's (compute_subjects): tool
// figures such as annual_cost and usage_tracked are taken from the tool facts, so a query and a
// rule never count differently.
[[nodiscard]] GraphSnapshot snapshot(const AuditGraph& graph, const Dataset& data, const SubjectSet& subjects);

}  // namespace stackaudit::graph
