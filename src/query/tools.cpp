// `tools`: what a person, a team or a department uses or owns, one row per tool. The subject
// is resolved in a fixed order (person, "Department/Team", department, bare team name) and an
// ambiguous name is an error listing the candidates, never a silent pick.
#include <algorithm>
#include <string>
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

std::string team_label(std::string_view department, std::string_view team) {
    return std::string(trim(department)) + " / " + std::string(trim(team));
}

std::unexpected<Error> ambiguous(std::string what, std::vector<std::string> candidates, std::string hint) {
    std::string list;
    for (std::size_t i = 0; i < candidates.size() && i < 10; ++i) list += (i > 0 ? ", " : "") + candidates[i];
    if (candidates.size() > 10) list += ", ...";
    return fail(ErrorCode::invalid_value, what + ": " + list, Location{.source = "query"}, std::move(hint));
}

struct Subject {
    SubjectKind kind = SubjectKind::person;
    std::string label;
    std::vector<std::uint32_t> members;
};

// The not-found message: did-you-mean over every name a subject can be given by. Only names
// whose length makes them a plausible typo (or that start with the word) are compared, which
// gives did_you_mean's answer without an edit distance against 100,000 people.
std::unexpected<Error> unknown_subject(const GraphSnapshot& snapshot, std::string_view wanted) {
    const std::size_t limit = std::max<std::size_t>(2, wanted.size() / 3);
    std::vector<std::string> candidates;
    auto consider = [&](std::string_view name) {
        if (name.empty()) return;
        const std::size_t gap = name.size() > wanted.size() ? name.size() - wanted.size() : wanted.size() - name.size();
        if (gap <= limit || (name.size() > wanted.size() && iequals(name.substr(0, wanted.size()), wanted)))
            candidates.emplace_back(name);
    };
    for (const SnapshotPerson& person : snapshot.people) {
        consider(person.email);
        consider(person.name);
        consider(trim(person.department));
        consider(trim(person.team));
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::string message = "no person, team or department " + detail::in_quotes(wanted) + " in the snapshot";
    const std::string suggestion = did_you_mean(wanted, candidates);
    if (!suggestion.empty()) message += "; did you mean " + detail::in_quotes(suggestion) + "?";
    return fail(ErrorCode::not_found, std::move(message), Location{.source = "query"},
                "give an email, a user id, a display name, a department, or a team as Department/Team; "
                "`stackaudit who TOOL` lists people with their departments and teams");
}

Result<Subject> resolve(const GraphSnapshot& snapshot, std::string_view text) {
    const std::string_view wanted = trim(text);
    if (wanted.empty())
        return fail(ErrorCode::invalid_value, "no person, team or department given", Location{.source = "query"},
                    "give an email, a user id, a display name, a department, or a team as Department/Team");
    const auto& people = snapshot.people;
    auto person_subject = [&](std::uint32_t p) { return Subject{SubjectKind::person, people[p].email, {p}}; };

    for (std::size_t p = 0; p < people.size(); ++p)
        if (iequals(people[p].email, wanted)) return person_subject(static_cast<std::uint32_t>(p));
    // User ids and display names can repeat (a rehire, two Alex Kims): several matches is an error.
    for (const bool by_name : {false, true}) {
        std::vector<std::uint32_t> matches;
        for (std::size_t p = 0; p < people.size(); ++p) {
            const std::string& key = by_name ? people[p].name : people[p].user_id;
            if (!key.empty() && iequals(key, wanted)) matches.push_back(static_cast<std::uint32_t>(p));
        }
        if (matches.size() == 1) return person_subject(matches[0]);
        if (matches.size() > 1) {
            std::vector<std::string> candidates;
            for (const std::uint32_t p : matches) candidates.push_back(people[p].name + " <" + people[p].email + ">");
            std::string what = std::string(by_name ? "display name " : "user id ") + detail::in_quotes(wanted) + " belongs to " +
                               std::to_string(matches.size()) + " people";
            return ambiguous(std::move(what), std::move(candidates), "name the person by email");
        }
    }

    // "Department/Team" first: it is the one spelling that always names a single team.
    if (const auto slash = wanted.find('/'); slash != std::string_view::npos) {
        const std::string_view department = trim(wanted.substr(0, slash));
        const std::string_view team = trim(wanted.substr(slash + 1));
        Subject subject{SubjectKind::team, {}, {}};
        for (std::size_t p = 0; p < people.size(); ++p) {
            if (!detail::same_department(people[p].department, department) || !iequals(trim(people[p].team), team) ||
                team.empty())
                continue;
            if (subject.members.empty()) subject.label = team_label(people[p].department, people[p].team);
            subject.members.push_back(static_cast<std::uint32_t>(p));
        }
        if (!subject.members.empty()) return subject;
    }

    // A department before a bare team name: a team can always be named as Department/Team, a
    // department only by its name.
    {
        Subject subject{SubjectKind::department, {}, {}};
        for (std::size_t p = 0; p < people.size(); ++p) {
            if (!detail::same_department(people[p].department, wanted)) continue;
            if (subject.members.empty()) subject.label = std::string(trim(people[p].department));
            subject.members.push_back(static_cast<std::uint32_t>(p));
        }
        if (!subject.members.empty()) return subject;
        // A department that owns tools but has nobody in the directory is still a valid answer.
        for (const SnapshotTool& tool : snapshot.tools)
            if (detail::same_department(tool.owning_department, wanted))
                return Subject{SubjectKind::department, std::string(trim(tool.owning_department)), {}};
    }

    {
        std::vector<std::string> teams;  // "Department / Team" of each distinct team with that name
        Subject subject{SubjectKind::team, {}, {}};
        for (std::size_t p = 0; p < people.size(); ++p) {
            if (!iequals(trim(people[p].team), wanted)) continue;
            const std::string label = team_label(people[p].department, people[p].team);
            if (std::none_of(teams.begin(), teams.end(), [&](const std::string& t) { return iequals(t, label); }))
                teams.push_back(label);
            subject.members.push_back(static_cast<std::uint32_t>(p));
        }
        if (teams.size() == 1) {
            subject.label = teams[0];
            return subject;
        }
        if (teams.size() > 1) {
            std::sort(teams.begin(), teams.end());
            const std::string example = teams[0].substr(0, teams[0].find(" / ")) + "/" + std::string(wanted);
            std::string what = "team " + detail::in_quotes(wanted) + " is in " + std::to_string(teams.size()) + " departments";
            return ambiguous(std::move(what), std::move(teams), "name it as Department/Team, e.g. " + detail::in_quotes(example));
        }
    }
    return unknown_subject(snapshot, wanted);
}

}  // namespace

Result<ToolsResult> tools_of(const GraphSnapshot& snapshot, std::string_view subject) {
    auto resolved = resolve(snapshot, subject);
    if (!resolved) return std::unexpected(resolved.error());
    ToolsResult result;
    result.kind = resolved->kind;
    result.subject = resolved->label;
    result.members = std::move(resolved->members);

    const detail::UsageIndex index(snapshot, {.bitsets = false, .people = true});
    const std::size_t tools = snapshot.tools.size();
    std::vector<ToolsRow> rows(tools);
    std::vector<char> touched(tools, 0);
    std::vector<char> member(snapshot.people.size(), 0);
    for (const std::uint32_t p : result.members) {
        member[p] = 1;
        for (const std::uint32_t u : index.uses_of_person(p)) {
            const SnapshotUse& use = snapshot.uses[u];
            ToolsRow& row = rows[use.tool];
            touched[use.tool] = 1;
            ++row.people;
            (use.active ? row.active : row.idle) += 1;
            if (use.seat) ++row.seats;
            if (use.last_seen && (!row.last_seen || *use.last_seen > *row.last_seen)) row.last_seen = use.last_seen;
        }
    }
    for (std::size_t t = 0; t < tools; ++t) {
        for (const auto* owners : {&snapshot.tools[t].business_owners, &snapshot.tools[t].technical_owners})
            for (const std::uint32_t p : *owners)
                if (p < member.size() && member[p]) {
                    rows[t].owner = true;
                    touched[t] = 1;
                }
    }
    for (std::size_t t = 0; t < tools; ++t) {
        if (!touched[t]) continue;
        rows[t].tool = static_cast<std::uint32_t>(t);
        result.rows.push_back(rows[t]);
    }
    std::sort(result.rows.begin(), result.rows.end(), [&](const ToolsRow& x, const ToolsRow& y) {
        if (x.active != y.active) return x.active > y.active;
        return index.rank(x.tool) < index.rank(y.tool);
    });
    return result;
}

namespace {

std::string_view kind_name(SubjectKind kind) {
    switch (kind) {
    case SubjectKind::person: return "person";
    case SubjectKind::team: return "team";
    case SubjectKind::department: return "department";
    }
    return "person";
}

std::string subject_text(const ToolsResult& result, const GraphSnapshot& snapshot) {
    if (result.kind == SubjectKind::person && !result.members.empty()) {
        const SnapshotPerson& person = snapshot.people[result.members[0]];
        std::string details;
        if (!person.name.empty()) details += person.name;
        if (!trim(person.department).empty()) details += (details.empty() ? "" : ", ") + team_label(person.department, person.team);
        if (person.departed) details += std::string(details.empty() ? "" : ", ") + "left";
        if (!person.in_directory) details += std::string(details.empty() ? "" : ", ") + "not in directory";
        return result.subject + (details.empty() ? "" : " (" + details + ")");
    }
    return std::string(kind_name(result.kind)) + " " + result.subject + " (" +
           detail::readable_count(result.members.size()) + (result.members.size() == 1 ? " person)" : " people)");
}

std::string render_table(const ToolsResult& result, const GraphSnapshot& snapshot, const Context& context) {
    std::string out = detail::table_header(context, snapshot);
    const std::string subject = subject_text(result, snapshot);
    if (result.rows.empty()) return out + terminal_safe("No tools used or owned by " + subject + ".") + "\n";
    out += terminal_safe("Tools used or owned by " + subject + ": " + detail::readable_count(result.rows.size()) +
                         (result.rows.size() == 1 ? " tool" : " tools")) +
           "\n\n";
    using Align = detail::Table::Align;
    detail::Table table;
    const bool person = result.kind == SubjectKind::person;
    table.column("tool", 28);
    table.column("owning dept", 16);
    if (person) {
        table.column("status", 6);
        table.column("seat", 4);
    } else {
        table.column("people", 8, Align::right);
        table.column("active", 8, Align::right);
        table.column("idle", 8, Align::right);
        table.column("seats", 8, Align::right);
    }
    table.column("last seen", 10);
    table.column("owner", 5);
    for (const ToolsRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        std::vector<std::string> cells{tool.name, detail::or_blank(tool.owning_department, "(none)")};
        if (person) {
            cells.emplace_back(row.people == 0 ? "-" : row.active > 0 ? "active" : "idle");
            cells.emplace_back(row.seats > 0 ? "yes" : "-");
        } else {
            cells.push_back(detail::readable_count(row.people));
            cells.push_back(detail::readable_count(row.active));
            cells.push_back(detail::readable_count(row.idle));
            // No seat source for the tool: its seats are unknown, not zero.
            cells.push_back(row.seats == 0 && !tool.has_seat_data ? "-" : detail::readable_count(row.seats));
        }
        // An owned tool nobody here uses has no "last seen" to speak of, not a "never".
        cells.push_back(row.people == 0 ? "-" : detail::or_blank(detail::date_text(row.last_seen), "never"));
        cells.emplace_back(row.owner ? "yes" : "");
        table.row(std::move(cells));
    }
    out += table.render();
    const auto owned = std::count_if(result.rows.begin(), result.rows.end(), [](const ToolsRow& r) { return r.owner; });
    out += "\nTotal: " + detail::readable_count(result.rows.size()) + (result.rows.size() == 1 ? " tool, " : " tools, ") +
           detail::readable_count(static_cast<std::size_t>(owned)) + " owned.\n";
    return out;
}

std::string render_csv(const ToolsResult& result, const GraphSnapshot& snapshot) {
    std::string out =
        csv_line({"tool", "owning_department", "people", "active", "idle", "seats", "last_seen", "owner"});
    for (const ToolsRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        out += csv_line({detail::cell(tool.name), detail::cell(trim(tool.owning_department)), std::to_string(row.people),
                         std::to_string(row.active), std::to_string(row.idle), std::to_string(row.seats),
                         detail::date_text(row.last_seen), row.owner ? "true" : "false"});
    }
    return out;
}

std::string render_json(const ToolsResult& result, const GraphSnapshot& snapshot, const Context& context) {
    JsonWriter json;
    detail::json_begin(json, context, snapshot);
    json.key("query");
    json.begin_object();
    json.field("command", "tools");
    json.field("kind", kind_name(result.kind));
    json.field("subject", result.subject);
    json.field_count("members", result.members.size());
    json.end_object();
    json.key("tools");
    json.begin_array();
    for (const ToolsRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        json.begin_object();
        json.field("name", tool.name);
        json.field("owning_department", trim(tool.owning_department));
        json.field_count("people", row.people);
        json.field_count("active", row.active);
        json.field_count("idle", row.idle);
        json.field_count("seats", row.seats);
        json.key("last_seen");
        detail::json_optional_string(json, detail::date_text(row.last_seen));
        json.field_bool("owner", row.owner);
        json.end_object();
    }
    json.end_array();
    json.key("totals");
    json.begin_object();
    json.field_count("tools", result.rows.size());
    json.field_count("owned", static_cast<std::size_t>(std::count_if(result.rows.begin(), result.rows.end(),
                                                                     [](const ToolsRow& r) { return r.owner; })));
    json.end_object();
    json.end_object();
    return json.finish();
}

}  // namespace

std::string render(const ToolsResult& result, const GraphSnapshot& snapshot, const Context& context, Format format) {
    return detail::render_as(
        format, [&] { return render_table(result, snapshot, context); }, [&] { return render_csv(result, snapshot); },
        [&] { return render_json(result, snapshot, context); });
}

}  // namespace stackaudit::query
