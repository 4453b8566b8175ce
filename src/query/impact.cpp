// `impact`: the blast radius of removing a tool. A breadth-first walk over the data flows
// (forwards for what it feeds, backwards with --upstream), each tool listed once at its shortest
// depth with the path that reaches it and the owners to warn. Cycles are safe: a tool already
// reached is never queued again.
#include <algorithm>
#include <string>
#include <vector>

#include "detail.hpp"
#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/text.hpp"
#include "stackaudit/query/query.hpp"

namespace stackaudit::query {

Result<ImpactResult> impact(const GraphSnapshot& snapshot, std::string_view tool, const ImpactOptions& options) {
    if (options.max_depth && *options.max_depth < 1)
        return fail(ErrorCode::invalid_value, "maximum depth " + std::to_string(*options.max_depth) + " is below 1",
                    Location{.source = "query"}, "give the number of hops to follow, 1 for direct neighbours only");
    auto root = find_tool(snapshot, tool);
    if (!root) return std::unexpected(root.error());

    ImpactResult result;
    result.root = *root;
    result.upstream = options.upstream;
    result.max_depth = options.max_depth;

    const std::size_t tools = snapshot.tools.size();
    const std::vector<std::uint32_t> rank = detail::name_ranks(snapshot);
    // Neighbours in the walk's direction, with the flow that links them (for its data).
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> next_of(tools);
    for (std::size_t f = 0; f < snapshot.flows.size(); ++f) {
        const SnapshotFlow& flow = snapshot.flows[f];
        if (flow.source >= tools || flow.target >= tools || flow.source == flow.target) continue;
        const std::uint32_t from = options.upstream ? flow.target : flow.source;
        const std::uint32_t to = options.upstream ? flow.source : flow.target;
        next_of[from].emplace_back(to, static_cast<std::uint32_t>(f));
    }

    constexpr std::uint32_t k_none = 0xFFFFFFFFu;
    std::vector<std::uint32_t> parent(tools, k_none), via(tools, k_none);
    std::vector<char> seen(tools, 0);
    seen[*root] = 1;
    std::vector<std::uint32_t> frontier{*root};
    for (int depth = 1; !frontier.empty() && (!options.max_depth || depth <= *options.max_depth); ++depth) {
        // The frontier is in name order, so a tool reached from two tools at the same depth keeps
        // the path through the first of them by name.
        std::vector<std::uint32_t> reached;
        for (const std::uint32_t from : frontier) {
            for (const auto& [to, flow] : next_of[from]) {
                if (seen[to]) continue;
                seen[to] = 1;
                parent[to] = from;
                via[to] = flow;
                reached.push_back(to);
            }
        }
        std::sort(reached.begin(), reached.end(), [&](std::uint32_t x, std::uint32_t y) { return rank[x] < rank[y]; });
        for (const std::uint32_t t : reached) {
            ImpactRow row;
            row.tool = t;
            row.depth = depth;
            for (std::uint32_t at = t; at != k_none; at = parent[at]) row.path.push_back(at);
            std::reverse(row.path.begin(), row.path.end());
            row.data = snapshot.flows[via[t]].data;
            result.rows.push_back(std::move(row));
        }
        frontier = std::move(reached);
    }
    return result;
}

namespace {

std::string path_text(const GraphSnapshot& snapshot, const std::vector<std::uint32_t>& path) {
    std::string out;
    for (const std::uint32_t t : path) {
        if (!out.empty()) out += " > ";
        out += snapshot.tools[t].name;
    }
    return out;
}

std::string render_table(const ImpactResult& result, const GraphSnapshot& snapshot, const Context& context) {
    std::string out = detail::table_header(context, snapshot);
    const std::string& root = snapshot.tools[result.root].name;
    const std::string hops =
        result.max_depth ? " within " + std::to_string(*result.max_depth) + (*result.max_depth == 1 ? " hop" : " hops") : "";
    if (result.rows.empty()) {
        const std::string text = result.upstream ? "Nothing is upstream of '" + root + "': no data flows into it."
                                                 : "Nothing is downstream of '" + root + "': no data flows out of it.";
        return out + terminal_safe(text) + "\n";
    }
    const std::string count = detail::readable_count(result.rows.size()) + (result.rows.size() == 1 ? " tool" : " tools");
    out += terminal_safe(result.upstream
                             ? "Upstream of '" + root + "'" + hops + ": " + count +
                                   " feed it data (what it loses if they are removed or break)"
                             : "Downstream of '" + root + "'" + hops + ": " + count +
                                   " get its data (what breaks or loses data if it is removed)") +
           "\n\n";
    detail::Table table;
    table.column("depth", 5, detail::Table::Align::right);
    table.column("tool", 24);
    table.column("owning dept", 14);
    table.column("business owners", 32);
    table.column("technical owners", 32);
    std::size_t direct = 0;
    for (const ImpactRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        if (row.depth == 1) ++direct;
        table.row({std::to_string(row.depth), tool.name, detail::or_blank(tool.owning_department, "(none)"),
                   detail::or_blank(detail::owner_labels(snapshot, detail::owner_entries(snapshot, tool.business_owners), ", "), "-"),
                   detail::or_blank(detail::owner_labels(snapshot, detail::owner_entries(snapshot, tool.technical_owners), ", "), "-")});
        // The data is what is lost: it gets a whole line, never cut.
        table.note((row.data.empty() ? std::string("data: (not stated)") : "data: " + join(row.data, ", ")) +
                       (row.depth > 1 ? "; via " + path_text(snapshot, row.path) : std::string()),
                   1, 2);
    }
    out += table.render();
    out += "\nTotal: " + count + ", " + detail::readable_count(direct) + " directly.\n";
    return out;
}

std::string render_csv(const ImpactResult& result, const GraphSnapshot& snapshot) {
    std::string out =
        csv_line({"depth", "tool", "owning_department", "business_owners", "technical_owners", "data", "path"});
    for (const ImpactRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        out += csv_line({std::to_string(row.depth), detail::cell(tool.name), detail::cell(trim(tool.owning_department)),
                         detail::cell(detail::owner_labels(snapshot, detail::owner_entries(snapshot, tool.business_owners), "; ")),
                         detail::cell(detail::owner_labels(snapshot, detail::owner_entries(snapshot, tool.technical_owners), "; ")),
                         detail::cell(join(row.data, "; ")), detail::cell(path_text(snapshot, row.path))});
    }
    return out;
}

std::string render_json(const ImpactResult& result, const GraphSnapshot& snapshot, const Context& context) {
    JsonWriter json;
    detail::json_begin(json, context, snapshot);
    json.key("query");
    json.begin_object();
    json.field("command", "impact");
    json.field("tool", snapshot.tools[result.root].name);
    json.field("direction", result.upstream ? "upstream" : "downstream");
    json.key("max_depth");
    if (result.max_depth) json.integer(*result.max_depth);
    else json.null();
    json.end_object();
    json.key("tools");
    json.begin_array();
    for (const ImpactRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        json.begin_object();
        json.key("depth");
        json.integer(row.depth);
        json.field("name", tool.name);
        json.field("owning_department", trim(tool.owning_department));
        json.key("business_owners");
        detail::json_owners(json, snapshot, detail::owner_entries(snapshot, tool.business_owners));
        json.key("technical_owners");
        detail::json_owners(json, snapshot, detail::owner_entries(snapshot, tool.technical_owners));
        json.key("data");
        json.begin_array();
        for (const std::string& d : row.data) json.string(d);
        json.end_array();
        json.key("path");
        json.begin_array();
        for (const std::uint32_t t : row.path) json.string(snapshot.tools[t].name);
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.key("totals");
    json.begin_object();
    json.field_count("tools", result.rows.size());
    json.field_count("direct", static_cast<std::size_t>(std::count_if(
                                   result.rows.begin(), result.rows.end(), [](const ImpactRow& r) { return r.depth == 1; })));
    json.end_object();
    json.end_object();
    return json.finish();
}

}  // namespace

std::string render(const ImpactResult& result, const GraphSnapshot& snapshot, const Context& context, Format format) {
    return detail::render_as(
        format, [&] { return render_table(result, snapshot, context); }, [&] { return render_csv(result, snapshot); },
        [&] { return render_json(result, snapshot, context); });
}

}  // namespace stackaudit::query
