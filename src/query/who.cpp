// `who`: the people behind one tool, grouped by department and team, active against idle; and
// `tools`: what one person, team or department uses or owns. Both read the usage index (per
// tool and per person use rows), so neither scans all uses.
#include <algorithm>
#include <map>
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

std::string_view yes_no(bool value) { return value ? "true" : "false"; }

std::string person_name(const SnapshotPerson& person) {
    if (!person.in_directory) return "(not in directory)";
    std::string name = person.name.empty() ? std::string("-") : person.name;
    if (person.departed) name += " (left)";
    return name;
}

}  // namespace

Result<WhoResult> who(const GraphSnapshot& snapshot, std::string_view tool, const WhoOptions& options) {
    if (options.active_only && options.idle_only)
        return fail(ErrorCode::invalid_value, "asked for only active and only idle users at once",
                    Location{.source = "query"}, "choose --active or --idle, or neither for everyone");
    auto found = find_tool(snapshot, tool);
    if (!found) return std::unexpected(found.error());
    WhoResult result;
    result.tool = *found;
    result.options = options;
    std::string department;
    if (!trim(options.department).empty()) {
        auto d = find_department(snapshot, options.department);
        if (!d) return std::unexpected(d.error());
        department = *d;
    }
    result.options.department = department;

    const detail::UsageIndex index(snapshot, {.bitsets = false});
    // Grouping key: department and team, trimmed and lower-cased. Distinct raw spellings are few,
    // so each is folded once and the uses sort on small integers (people are in email order).
    std::map<std::pair<std::string_view, std::string_view>, std::uint32_t> spelling_ids;
    std::vector<std::pair<std::string, std::string>> folded;
    struct Kept {
        std::uint32_t spelling = 0, group = 0, person = 0, use = 0;
    };
    std::vector<Kept> kept;
    for (const std::uint32_t u : index.uses_of_tool(*found)) {
        const SnapshotUse& use = snapshot.uses[u];
        const SnapshotPerson& person = snapshot.people[use.person];
        if (!department.empty() && !detail::same_department(person.department, department)) continue;
        if (options.active_only && !use.active) continue;
        if (options.idle_only && use.active) continue;
        const auto [it, added] = spelling_ids.try_emplace({person.department, person.team},
                                                          static_cast<std::uint32_t>(folded.size()));
        if (added) folded.emplace_back(to_lower(trim(person.department)), to_lower(trim(person.team)));
        kept.push_back({it->second, 0, use.person, u});
    }
    std::vector<std::uint32_t> by_key(folded.size());
    for (std::size_t i = 0; i < by_key.size(); ++i) by_key[i] = static_cast<std::uint32_t>(i);
    std::sort(by_key.begin(), by_key.end(), [&](std::uint32_t x, std::uint32_t y) { return folded[x] < folded[y]; });
    std::vector<std::uint32_t> group_of(folded.size());
    for (std::size_t i = 0; i < by_key.size(); ++i) {
        const bool same = i > 0 && folded[by_key[i]] == folded[by_key[i - 1]];
        group_of[by_key[i]] = same ? group_of[by_key[i - 1]] : static_cast<std::uint32_t>(i);
    }
    for (Kept& k : kept) k.group = group_of[k.spelling];
    std::sort(kept.begin(), kept.end(), [](const Kept& x, const Kept& y) {
        return std::tie(x.group, x.person, x.use) < std::tie(y.group, y.person, y.use);
    });
    for (std::size_t i = 0; i < kept.size(); ++i) {
        const SnapshotUse& use = snapshot.uses[kept[i].use];
        // A group keeps the spelling of its first member, so "Marketing" and "marketing" are one.
        if (i == 0 || kept[i].group != kept[i - 1].group) {
            const SnapshotPerson& person = snapshot.people[use.person];
            result.groups.push_back({std::string(trim(person.department)), std::string(trim(person.team))});
        }
        WhoGroup& group = result.groups.back();
        (use.active ? group.active : group.idle) += 1;
        (use.active ? result.active : result.idle) += 1;
        if (use.seat) {
            ++group.seats;
            ++result.seats;
        }
        result.uses.push_back(kept[i].use);
    }
    return result;
}

namespace {

std::string who_filters(const WhoResult& result) {
    std::string out;
    if (!result.options.department.empty()) out += " in department '" + result.options.department + "'";
    return out;
}

std::string render_who_table(const WhoResult& result, const GraphSnapshot& snapshot, const Context& context) {
    std::string out = detail::table_header(context, snapshot);
    const std::string& tool = snapshot.tools[result.tool].name;
    const std::string filters = who_filters(result);
    if (result.uses.empty()) {
        std::string text = result.options.active_only ? "No active users of '" + tool + "'"
                           : result.options.idle_only ? "No idle users of '" + tool + "'"
                                                      : "Nobody uses '" + tool + "'";
        return out + terminal_safe(text + filters + ".") + "\n";
    }
    std::string title = "Who uses '" + tool + "'" + filters;
    if (result.options.active_only) title += " (active only)";
    if (result.options.idle_only) title += " (idle only)";
    out += terminal_safe(title + ": " + detail::readable_count(result.uses.size()) +
                         (result.uses.size() == 1 ? " person, " : " people, ") + detail::readable_count(result.active) +
                         " active, " + detail::readable_count(result.idle) + " idle, " +
                         detail::readable_count(result.seats) + (result.seats == 1 ? " seat" : " seats")) +
           "\n\nBy department and team\n";
    using Align = detail::Table::Align;
    detail::Table groups;
    groups.column("department", 24);
    groups.column("team", 24);
    groups.column("active", 8, Align::right);
    groups.column("idle", 8, Align::right);
    groups.column("seats", 8, Align::right);
    for (const WhoGroup& group : result.groups)
        groups.row({detail::or_blank(group.department, "(none)"), detail::or_blank(group.team, "(none)"),
                    detail::readable_count(group.active), detail::readable_count(group.idle),
                    detail::readable_count(group.seats)});
    out += groups.render();

    out += "\nPeople (idle: a seat or use but no activity in the last " + std::to_string(snapshot.window_days) +
           " days)\n";
    detail::Table people;
    people.column("email", 28);
    people.column("name", 18);
    people.column("department", 12);
    people.column("team", 12);
    people.column("seat", 12);
    people.column("status", 6);
    people.column("last seen", 10);
    people.column("events", 6, Align::right);
    for (const std::uint32_t u : result.uses) {
        const SnapshotUse& use = snapshot.uses[u];
        const SnapshotPerson& person = snapshot.people[use.person];
        const std::string seat = use.seat ? detail::or_blank(use.license_type, "yes") : "-";
        people.row({person.email, person_name(person), detail::or_blank(person.department, "(none)"),
                    detail::or_blank(person.team, "(none)"), seat, use.active ? "active" : "idle",
                    detail::or_blank(detail::date_text(use.last_seen), "never"), std::to_string(use.events_in_window)});
    }
    out += people.render();
    return out;
}

std::string render_who_csv(const WhoResult& result, const GraphSnapshot& snapshot) {
    std::string out = csv_line({"email", "name", "department", "team", "seat", "license_type", "active", "last_seen",
                                "events_in_window", "departed", "in_directory"});
    for (const std::uint32_t u : result.uses) {
        const SnapshotUse& use = snapshot.uses[u];
        const SnapshotPerson& person = snapshot.people[use.person];
        out += csv_line({detail::cell(person.email), detail::cell(person.name), detail::cell(trim(person.department)),
                         detail::cell(trim(person.team)), std::string(yes_no(use.seat)), detail::cell(use.license_type),
                         std::string(yes_no(use.active)), detail::date_text(use.last_seen),
                         std::to_string(use.events_in_window), std::string(yes_no(person.departed)),
                         std::string(yes_no(person.in_directory))});
    }
    return out;
}

std::string render_who_json(const WhoResult& result, const GraphSnapshot& snapshot, const Context& context) {
    JsonWriter json;
    detail::json_begin(json, context, snapshot);
    json.key("query");
    json.begin_object();
    json.field("command", "who");
    json.field("tool", snapshot.tools[result.tool].name);
    json.key("department");
    detail::json_optional_string(json, result.options.department);
    json.field_bool("active_only", result.options.active_only);
    json.field_bool("idle_only", result.options.idle_only);
    json.field_count("window_days", static_cast<std::size_t>(std::max(snapshot.window_days, 0)));
    json.end_object();
    json.key("groups");
    json.begin_array();
    for (const WhoGroup& group : result.groups) {
        json.begin_object();
        json.field("department", group.department);
        json.field("team", group.team);
        json.field_count("active", group.active);
        json.field_count("idle", group.idle);
        json.field_count("seats", group.seats);
        json.end_object();
    }
    json.end_array();
    json.key("people");
    json.begin_array();
    for (const std::uint32_t u : result.uses) {
        const SnapshotUse& use = snapshot.uses[u];
        const SnapshotPerson& person = snapshot.people[use.person];
        json.begin_object();
        json.field("email", person.email);
        json.field("name", person.name);
        json.field("department", trim(person.department));
        json.field("team", trim(person.team));
        json.field_bool("seat", use.seat);
        json.key("license_type");
        detail::json_optional_string(json, use.license_type);
        json.field_bool("active", use.active);
        json.key("last_seen");
        detail::json_optional_string(json, detail::date_text(use.last_seen));
        json.key("events_in_window");
        json.count(static_cast<std::size_t>(use.events_in_window));
        json.field_bool("departed", person.departed);
        json.field_bool("in_directory", person.in_directory);
        json.end_object();
    }
    json.end_array();
    json.key("totals");
    json.begin_object();
    json.field_count("people", result.uses.size());
    json.field_count("active", result.active);
    json.field_count("idle", result.idle);
    json.field_count("seats", result.seats);
    json.end_object();
    json.end_object();
    return json.finish();
}

}  // namespace

std::string render(const WhoResult& result, const GraphSnapshot& snapshot, const Context& context, Format format) {
    return detail::render_as(
        format, [&] { return render_who_table(result, snapshot, context); }, [&] { return render_who_csv(result, snapshot); },
        [&] { return render_who_json(result, snapshot, context); });
}

}  // namespace stackaudit::query
