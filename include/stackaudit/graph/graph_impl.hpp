// The inside of AuditGraph: the Boost.Graph adjacency list with its bundled vertex and edge
// properties, and the lookup indices. Public so that queries can walk the graph; code that
// only needs subjects and facts includes graph.hpp alone and never sees Boost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/graph/adjacency_list.hpp>

#include "stackaudit/core/time.hpp"
#include "stackaudit/graph/graph.hpp"

namespace stackaudit::graph {

inline constexpr std::size_t k_no_record = std::numeric_limits<std::size_t>::max();

struct VertexProps {
    VertexKind kind = VertexKind::person;
    // person: normalised email (or the usage log's actor id when it has no login); team and
    // department: name as first written; tool: catalog name (or as an integration spells it);
    // capability: lower-cased; app: the SSO app label.
    std::string name;
    // person: index into Dataset::people; tool: into Dataset::tools; app: the first
    // Dataset::usage row that named it. k_no_record when the vertex has no record.
    std::size_t record = k_no_record;
    // person: in the directory; tool: in the catalog; app: matched to a catalog tool.
    bool known = true;
    std::string user_id;  // person: directory user id, or the actor id of an unknown SSO user
};

struct EdgeProps {
    EdgeKind kind = EdgeKind::member_of;
    // holds_seat: index into Dataset::seats; feeds: into Dataset::integrations; uses: into
    // Dataset::usage. k_no_record for the other kinds.
    std::size_t record = k_no_record;
    std::size_t app = k_no_record;  // uses: the app vertex the SSO use went through
    Timestamp first_seen{};         // uses: from the usage row
    Timestamp last_seen{};
    std::uint64_t events = 0;
    std::uint64_t events_in_window = 0;
};

// Edges live in one vector (EdgeListS = vecS) rather than a node each in a list: the graph is
// built once and never loses an edge, and a million allocations were most of building it.
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProps, EdgeProps,
                                    boost::no_property, boost::vecS>;
using Vertex = Graph::vertex_descriptor;
using Edge = Graph::edge_descriptor;

struct AuditGraph::Impl {
    Graph g;
    // Lookup indices; keys are lower-cased (emails are normalised already).
    std::unordered_map<std::string, Vertex> person_by_email;    // directory people and unknown owners, holders, users
    std::unordered_map<std::string, Vertex> person_by_user_id;  // directory user ids only
    std::unordered_map<std::string, Vertex> unknown_by_user_id; // SSO actors not in the directory
    std::unordered_map<std::string, Vertex> tool_by_name;
    std::unordered_map<std::string, Vertex> app_by_label;
    std::unordered_map<std::string, Vertex> department_by_name;
    std::unordered_map<std::string, Vertex> team_by_key;        // "<department>\x1f<team>"
    std::unordered_map<std::string, Vertex> capability_by_name;

    [[nodiscard]] std::optional<Vertex> person(std::string_view email) const;
    [[nodiscard]] std::optional<Vertex> tool(std::string_view name) const;      // case-insensitive
    [[nodiscard]] std::optional<Vertex> app(std::string_view label) const;      // case-insensitive
    [[nodiscard]] std::optional<Vertex> department(std::string_view name) const;  // case-insensitive
    [[nodiscard]] std::optional<Vertex> capability(std::string_view name) const;  // case-insensitive
};

}  // namespace stackaudit::graph
