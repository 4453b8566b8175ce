// Names in, indices out: the output format, the snapshot's gaps, and the case-insensitive
// lookups of tools, capabilities and departments with a did-you-mean when nothing matches.
#include <algorithm>
#include <string>
#include <vector>

#include "detail.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/query/query.hpp"

namespace stackaudit::query {

namespace {

// Up to `limit` names, comma-separated, "..." when there are more: enough for a hint to show
// what valid names look like without flooding the terminal.
std::string some_names(const std::vector<std::string>& names, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
        if (i > 0) out += ", ";
        out += names[i];
    }
    if (names.size() > limit) out += ", ...";
    return out;
}

std::unexpected<Error> unknown(std::string_view what, std::string_view name, const std::vector<std::string>& candidates,
                               std::string hint) {
    std::string message = "no " + std::string(what) + " " + detail::in_quotes(name) + " in the snapshot";
    const std::string suggestion = did_you_mean(name, candidates);
    if (!suggestion.empty()) message += "; did you mean " + detail::in_quotes(suggestion) + "?";
    return fail(ErrorCode::not_found, std::move(message), Location{.source = "query"}, std::move(hint));
}

}  // namespace

Result<Format> parse_format(std::string_view text) {
    const std::string_view name = trim(text);
    if (iequals(name, "table")) return Format::table;
    if (iequals(name, "csv")) return Format::csv;
    if (iequals(name, "json")) return Format::json;
    return fail(ErrorCode::invalid_value, "unknown output format " + detail::in_quotes(name) + "; choose table, csv or json",
                Location{.source = "--format"}, "table is for reading, csv for spreadsheets, json for scripts");
}

std::vector<std::string> snapshot_gaps(const GraphSnapshot& snapshot) {
    std::vector<std::string> gaps;
    for (const SnapshotSource& source : snapshot.sources) {
        std::string line;
        if (!source.ok) line = source.name + " failed";
        else if (source.stale) line = source.name + " is stale";
        else continue;
        if (!source.detail.empty()) line += ": " + source.detail;
        gaps.push_back(std::move(line));
    }
    return gaps;
}

Context make_context(const GraphSnapshot& snapshot, std::string source, std::optional<std::int64_t> run_id) {
    Context context;
    context.source = std::move(source);
    context.run_id = run_id;
    context.as_of = format_date(to_date(snapshot.as_of));
    context.gaps = snapshot_gaps(snapshot);
    return context;
}

Result<std::uint32_t> find_tool(const GraphSnapshot& snapshot, std::string_view name) {
    const std::string_view wanted = trim(name);
    std::optional<std::uint32_t> found;
    for (std::size_t t = 0; t < snapshot.tools.size(); ++t) {
        if (!iequals(snapshot.tools[t].name, wanted)) continue;
        if (!found || (snapshot.tools[t].in_catalog && !snapshot.tools[*found].in_catalog))
            found = static_cast<std::uint32_t>(t);
    }
    if (found) return *found;
    std::vector<std::string> names;
    names.reserve(snapshot.tools.size());
    for (const SnapshotTool& tool : snapshot.tools) names.push_back(tool.name);
    return unknown("tool", wanted, names, "`stackaudit owners` lists every catalog tool");
}

Result<std::uint32_t> find_capability(const GraphSnapshot& snapshot, std::string_view name) {
    const std::string_view wanted = trim(name);
    for (std::size_t c = 0; c < snapshot.capabilities.size(); ++c)
        if (iequals(snapshot.capabilities[c], wanted)) return static_cast<std::uint32_t>(c);
    std::string hint = "capabilities come from the catalog's capabilities column";
    if (!snapshot.capabilities.empty()) hint += "; this run has " + some_names(snapshot.capabilities, 12);
    return unknown("capability", wanted, snapshot.capabilities, std::move(hint));
}

Result<std::string> find_department(const GraphSnapshot& snapshot, std::string_view name) {
    const std::string_view wanted = trim(name);
    std::vector<std::string> seen;  // distinct spellings, first met first
    auto consider = [&](std::string_view department) -> bool {
        const std::string_view d = trim(department);
        if (d.empty()) return false;
        if (iequals(d, wanted)) return true;
        if (std::none_of(seen.begin(), seen.end(), [&](const std::string& s) { return iequals(s, d); }))
            seen.emplace_back(d);
        return false;
    };
    for (const SnapshotPerson& person : snapshot.people)
        if (consider(person.department)) return std::string(trim(person.department));
    for (const SnapshotTool& tool : snapshot.tools)
        if (consider(tool.owning_department)) return std::string(trim(tool.owning_department));
    std::vector<std::string> sorted = seen;
    std::sort(sorted.begin(), sorted.end());
    std::string hint = "departments come from the directory and the catalog's owning_department column";
    if (!sorted.empty()) hint += "; this run has " + some_names(sorted, 12);
    return unknown("department", wanted, seen, std::move(hint));
}

}  // namespace stackaudit::query
