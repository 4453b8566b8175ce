// `overlap`: catalog tools that provide the same capability, the people active on both, and what
// consolidating each pair could free. The counts are the rules' tool_pair facts (shared_users,
// jaccard), computed at enterprise scale: candidate pairs come from the capabilities, each
// distinct pair is intersected once (a pair sharing two capabilities is not counted twice), and
// the intersection strategy is picked per pair by the usage index.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "detail.hpp"
#include "index.hpp"
#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/text.hpp"
#include "stackaudit/query/query.hpp"

namespace stackaudit::query {

namespace {

using detail::Table;

struct Candidate {
    std::uint32_t rank_a = 0, rank_b = 0;  // name order, so sorting groups each pair's capabilities
    std::uint32_t a = 0, b = 0;
    std::uint32_t capability = 0;
};

OverlapPair measure(const GraphSnapshot& snapshot, const detail::UsageIndex& index, std::uint32_t a, std::uint32_t b,
                    std::size_t shared) {
    OverlapPair pair;
    pair.a = {a, index.active_users(a), index.seats(a)};
    pair.b = {b, index.active_users(b), index.seats(b)};
    pair.shared = shared;
    const std::size_t either = pair.a.active_users + pair.b.active_users - pair.shared;
    if (either > 0) pair.jaccard = static_cast<double>(pair.shared) / static_cast<double>(either);
    // The side a consolidation drops is the one fewer people rely on; b is the later name, so
    // it wins full ties.
    bool a_smaller = false;
    if (pair.a.active_users != pair.b.active_users) a_smaller = pair.a.active_users < pair.b.active_users;
    else if (pair.a.seats != pair.b.seats) a_smaller = pair.a.seats < pair.b.seats;
    pair.smaller = a_smaller ? a : b;
    if (const auto& cost = snapshot.tools[pair.smaller].cost_per_seat)
        pair.consolidation_savings = static_cast<double>(pair.shared) * *cost;
    return pair;
}

}  // namespace

Result<OverlapResult> overlap(const GraphSnapshot& snapshot, const OverlapOptions& options) {
    if (!(options.min_jaccard >= 0.0 && options.min_jaccard <= 1.0))
        return fail(ErrorCode::invalid_value, "minimum Jaccard index " + detail::rounded(options.min_jaccard, 4) +
                                                  " is outside 0-1",
                    Location{.source = "query"}, "give a share between 0 and 1, e.g. 0.25 for a quarter of the users");

    OverlapResult result;
    result.options = options;
    std::optional<std::uint32_t> only_tool;
    if (!trim(options.tool).empty()) {
        auto tool = find_tool(snapshot, options.tool);
        if (!tool) return std::unexpected(tool.error());
        only_tool = *tool;
        result.options.tool = snapshot.tools[*tool].name;
    } else {
        result.options.tool.clear();
    }
    std::vector<char> wanted(snapshot.capabilities.size(), options.capabilities.empty() ? 1 : 0);
    result.options.capabilities.clear();
    for (const std::string& name : options.capabilities) {
        auto capability = find_capability(snapshot, name);
        if (!capability) return std::unexpected(capability.error());
        if (!wanted[*capability]) result.options.capabilities.push_back(snapshot.capabilities[*capability]);
        wanted[*capability] = 1;
    }
    std::string department;
    if (!trim(options.department).empty()) {
        auto found = find_department(snapshot, options.department);
        if (!found) return std::unexpected(found.error());
        department = *found;
    }
    result.options.department = department;

    const detail::UsageIndex index(snapshot);
    const std::size_t capabilities = snapshot.capabilities.size();

    // Providers per capability, in name order because tools are visited in name order.
    std::vector<std::vector<std::uint32_t>> providers(capabilities);
    for (const std::uint32_t t : index.tools_by_name()) {
        const SnapshotTool& tool = snapshot.tools[t];
        if (!tool.in_catalog) continue;
        for (const std::uint32_t c : tool.capabilities) {
            if (c >= capabilities || !wanted[c]) continue;
            if (providers[c].empty() || providers[c].back() != t) providers[c].push_back(t);
        }
    }

    std::vector<char> department_ok(snapshot.tools.size(), 1);
    if (!department.empty())
        for (std::size_t t = 0; t < snapshot.tools.size(); ++t)
            department_ok[t] = detail::same_department(snapshot.tools[t].owning_department, department) ? 1 : 0;
    std::vector<Candidate> candidates;
    for (std::size_t c = 0; c < capabilities; ++c) {
        const auto& list = providers[c];
        for (std::size_t i = 0; i < list.size(); ++i)
            for (std::size_t j = i + 1; j < list.size(); ++j) {
                const std::uint32_t a = list[i], b = list[j];
                if (only_tool && a != *only_tool && b != *only_tool) continue;
                if (!department_ok[a] && !department_ok[b]) continue;
                candidates.push_back({index.rank(a), index.rank(b), a, b, static_cast<std::uint32_t>(c)});
            }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
        return std::tie(x.rank_a, x.rank_b, x.capability) < std::tie(y.rank_a, y.rank_b, y.capability);
    });

    // Each distinct pair once, however many capabilities it shares.
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end) in candidates
    std::vector<std::pair<std::uint32_t, std::uint32_t>> distinct;
    for (std::size_t i = 0; i < candidates.size();) {
        std::size_t end = i;
        while (end < candidates.size() && candidates[end].a == candidates[i].a && candidates[end].b == candidates[i].b)
            ++end;
        runs.emplace_back(i, end);
        distinct.emplace_back(candidates[i].a, candidates[i].b);
        i = end;
    }
    const std::vector<std::size_t> shared = index.shared_active(distinct);

    std::vector<std::vector<OverlapPair>> by_capability(capabilities);
    for (std::size_t d = 0; d < runs.size(); ++d) {
        const auto [i, end] = runs[d];
        const OverlapPair pair = measure(snapshot, index, distinct[d].first, distinct[d].second, shared[d]);
        const bool kept = pair.shared >= options.min_shared &&
                          (options.min_jaccard <= 0.0 || (pair.jaccard && *pair.jaccard >= options.min_jaccard));
        if (kept) {
            ++result.pairs;
            if (pair.consolidation_savings) result.total_savings += *pair.consolidation_savings;
            else ++result.unknown_savings;
            for (std::size_t k = i; k < end; ++k) by_capability[candidates[k].capability].push_back(pair);
        }
    }

    std::vector<std::uint32_t> order(capabilities);
    for (std::size_t c = 0; c < capabilities; ++c) order[c] = static_cast<std::uint32_t>(c);
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        return std::tie(snapshot.capabilities[x], x) < std::tie(snapshot.capabilities[y], y);
    });
    for (const std::uint32_t c : order) {
        auto& pairs = by_capability[c];
        if (pairs.empty()) continue;
        std::sort(pairs.begin(), pairs.end(), [&](const OverlapPair& x, const OverlapPair& y) {
            if (x.shared != y.shared) return x.shared > y.shared;
            return std::pair(index.rank(x.a.tool), index.rank(x.b.tool)) <
                   std::pair(index.rank(y.a.tool), index.rank(y.b.tool));
        });
        CapabilityOverlap group;
        group.capability = c;
        for (const OverlapPair& pair : pairs) {
            group.tools.push_back(pair.a.tool);
            group.tools.push_back(pair.b.tool);
        }
        std::sort(group.tools.begin(), group.tools.end(),
                  [&](std::uint32_t x, std::uint32_t y) { return index.rank(x) < index.rank(y); });
        group.tools.erase(std::unique(group.tools.begin(), group.tools.end()), group.tools.end());
        group.pairs = std::move(pairs);
        result.groups.push_back(std::move(group));
    }
    return result;
}

namespace {

std::string seats_text(const GraphSnapshot& snapshot, const OverlapSide& side, std::string_view unknown) {
    if (side.seats == 0 && !snapshot.tools[side.tool].has_seat_data) return std::string(unknown);
    return std::to_string(side.seats);
}

std::string filters_text(const OverlapOptions& options) {
    std::vector<std::string> parts;
    if (!options.tool.empty()) parts.push_back("for tool '" + options.tool + "'");
    if (options.capabilities.size() == 1) parts.push_back("for capability '" + options.capabilities[0] + "'");
    if (options.capabilities.size() > 1) {
        std::string list;
        for (const std::string& c : options.capabilities) list += (list.empty() ? "'" : ", '") + c + "'";
        parts.push_back("for capabilities " + list);
    }
    if (!options.department.empty()) parts.push_back("owned by department '" + options.department + "'");
    if (options.min_shared > 0) parts.push_back("with at least " + std::to_string(options.min_shared) + " shared users");
    if (options.min_jaccard > 0) parts.push_back("with a Jaccard index of at least " + detail::percent(options.min_jaccard));
    std::string out;
    for (const std::string& part : parts) out += " " + part;
    return out;
}

std::string render_table(const OverlapResult& result, const GraphSnapshot& snapshot, const Context& context) {
    std::string out = detail::table_header(context, snapshot);
    const std::string filters = filters_text(result.options);
    if (result.groups.empty()) return out + terminal_safe("No overlapping tools" + filters + ".") + "\n";

    out += terminal_safe("Overlapping tools" + filters + ": " + detail::readable_count(result.pairs) +
                         (result.pairs == 1 ? " pair" : " pairs") + " in " + detail::readable_count(result.groups.size()) +
                         (result.groups.size() == 1 ? " capability" : " capabilities")) +
           "\n";
    for (const CapabilityOverlap& group : result.groups) {
        out += '\n';
        out += terminal_safe("Capability '" + snapshot.capabilities[group.capability] + "': " +
                                    std::to_string(group.tools.size()) + " tools, " +
                                    std::to_string(group.pairs.size()) + (group.pairs.size() == 1 ? " pair" : " pairs")) +
               "\n";
        Table table;
        using Align = Table::Align;
        table.column("#", 6, Align::right);
        table.column("tool", 24);
        table.column("owning dept", 14);
        table.column("active", 8, Align::right);
        table.column("seats", 8, Align::right);
        table.column("annual cost", 14, Align::right);
        table.column("shared", 8, Align::right);
        table.column("jaccard", 7, Align::right);
        table.column("savings", 14, Align::right);
        std::size_t number = 0;
        for (const OverlapPair& pair : group.pairs) {
            ++number;
            // The savings sit on the row of the tool a consolidation would drop.
            auto side_row = [&](const OverlapSide& side, bool first) {
                const SnapshotTool& tool = snapshot.tools[side.tool];
                std::string savings;
                if (side.tool == pair.smaller)
                    savings = pair.consolidation_savings ? format_money_readable(*pair.consolidation_savings) : "-";
                table.row({first ? std::to_string(number) : "", tool.name, detail::or_blank(tool.owning_department, "(none)"),
                           detail::readable_count(side.active_users), seats_text(snapshot, side, "-"),
                           tool.annual_cost ? format_money_readable(*tool.annual_cost) : "-",
                           first ? detail::readable_count(pair.shared) : "",
                           first ? (pair.jaccard ? detail::percent(*pair.jaccard) : "-") : "", savings});
            };
            side_row(pair.a, true);
            side_row(pair.b, false);
        }
        out += table.render();
    }
    std::string total = "Total: " + detail::readable_count(result.pairs) + (result.pairs == 1 ? " pair" : " pairs") +
                        "; dropping the smaller tool of each pair (the row showing savings) frees " +
                        format_money_readable(result.total_savings) + " a year";
    if (result.unknown_savings > 0)
        total += " (" + detail::readable_count(result.unknown_savings) +
                 (result.unknown_savings == 1 ? " pair" : " pairs") + " without a known cost per seat)";
    total += ". '-' = unknown.";
    out += '\n';
    out += wrap(total, detail::k_line_width, "", "");
    return out;
}

std::string render_csv(const OverlapResult& result, const GraphSnapshot& snapshot) {
    std::string out = csv_line({"capability", "tool_a", "department_a", "active_users_a", "seats_a", "annual_cost_a",
                                "tool_b", "department_b", "active_users_b", "seats_b", "annual_cost_b", "shared_users",
                                "jaccard", "consolidation_savings", "smaller_tool"});
    for (const CapabilityOverlap& group : result.groups) {
        for (const OverlapPair& pair : group.pairs) {
            std::vector<std::string> row{detail::cell(snapshot.capabilities[group.capability])};
            for (const OverlapSide* side : {&pair.a, &pair.b}) {
                const SnapshotTool& tool = snapshot.tools[side->tool];
                row.push_back(detail::cell(tool.name));
                row.push_back(detail::cell(std::string(trim(tool.owning_department))));
                row.push_back(std::to_string(side->active_users));
                row.push_back(seats_text(snapshot, *side, ""));
                row.push_back(detail::money_cell(tool.annual_cost));
            }
            row.push_back(std::to_string(pair.shared));
            row.push_back(pair.jaccard ? detail::fixed(*pair.jaccard, 4) : "");
            row.push_back(detail::money_cell(pair.consolidation_savings));
            row.push_back(detail::cell(snapshot.tools[pair.smaller].name));
            out += csv_line(row);
        }
    }
    return out;
}

void json_side(JsonWriter& json, const GraphSnapshot& snapshot, const OverlapSide& side) {
    const SnapshotTool& tool = snapshot.tools[side.tool];
    json.begin_object();
    json.field("name", tool.name);
    json.field("owning_department", trim(tool.owning_department));
    json.field_count("active_users", side.active_users);
    json.key("seats");
    if (side.seats == 0 && !tool.has_seat_data) json.null();
    else json.count(side.seats);
    json.key("annual_cost");
    detail::json_money(json, tool.annual_cost);
    json.key("cost_per_seat");
    detail::json_money(json, tool.cost_per_seat);
    json.end_object();
}

std::string render_json(const OverlapResult& result, const GraphSnapshot& snapshot, const Context& context) {
    JsonWriter json;
    detail::json_begin(json, context, snapshot);
    const OverlapOptions& options = result.options;
    json.key("query");
    json.begin_object();
    json.field("command", "overlap");
    json.key("tool");
    detail::json_optional_string(json, options.tool);
    json.key("capabilities");
    json.begin_array();
    for (const std::string& c : options.capabilities) json.string(c);
    json.end_array();
    json.key("department");
    detail::json_optional_string(json, options.department);
    json.field_count("min_shared", options.min_shared);
    json.key("min_jaccard");
    json.number_text(detail::rounded(options.min_jaccard, 4));
    json.end_object();

    json.key("groups");
    json.begin_array();
    for (const CapabilityOverlap& group : result.groups) {
        json.begin_object();
        json.field("capability", snapshot.capabilities[group.capability]);
        json.key("tools");
        json.begin_array();
        for (const std::uint32_t t : group.tools) json.string(snapshot.tools[t].name);
        json.end_array();
        json.key("pairs");
        json.begin_array();
        for (const OverlapPair& pair : group.pairs) {
            json.begin_object();
            json.key("a");
            json_side(json, snapshot, pair.a);
            json.key("b");
            json_side(json, snapshot, pair.b);
            json.field_count("shared_users", pair.shared);
            json.key("jaccard");
            if (pair.jaccard) json.number_text(detail::rounded(*pair.jaccard, 4));
            else json.null();
            json.field("smaller_tool", snapshot.tools[pair.smaller].name);
            json.key("consolidation_savings");
            detail::json_money(json, pair.consolidation_savings);
            json.end_object();
        }
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.key("totals");
    json.begin_object();
    json.field_count("groups", result.groups.size());
    json.field_count("pairs", result.pairs);
    json.key("consolidation_savings");
    detail::json_money(json, result.total_savings);
    json.field_count("pairs_with_unknown_savings", result.unknown_savings);
    json.end_object();
    json.end_object();
    return json.finish();
}

}  // namespace

std::string render(const OverlapResult& result, const GraphSnapshot& snapshot, const Context& context, Format format) {
    return detail::render_as(
        format, [&] { return render_table(result, snapshot, context); }, [&] { return render_csv(result, snapshot); },
        [&] { return render_json(result, snapshot, context); });
}

}  // namespace stackaudit::query
