// `owners`: business and technical owners of every catalog tool and what is unclear about them.
// The problems say the same things the ownership rules do (no-owner, no-business-owner,
// owner-departed, owner-unknown, conflicting-owners), so `owners --conflicting` lists the tools
// an audit flags, one sentence per problem.
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

namespace {

struct Kinds {
    bool missing = false, departed = false, conflicting = false;
};

std::string departure(const SnapshotPerson& person, Date as_of) {
    // A suspended account with a termination date still ahead has left already; the date would mislead.
    if (person.termination_date && *person.termination_date <= as_of)
        return "left on " + format_date(*person.termination_date);
    if (!person.status.empty()) return "left (directory status " + person.status + ")";
    return "left";
}

// Departments of the active business owners, distinct case-insensitively, sorted; and whether
// any active business owner has no department (then "outside" cannot be judged).
struct OwnerDepartments {
    std::vector<std::string> departments;
    bool some_blank = false;
    std::size_t active = 0;
};

OwnerDepartments business_departments(const GraphSnapshot& snapshot, const std::vector<OwnerEntry>& owners) {
    OwnerDepartments out;
    for (const OwnerEntry& owner : owners) {
        if (owner.state != OwnerState::active) continue;
        ++out.active;
        const std::string_view d = trim(snapshot.people[owner.person].department);
        if (d.empty()) {
            out.some_blank = true;
            continue;
        }
        if (std::none_of(out.departments.begin(), out.departments.end(), [&](const std::string& s) { return iequals(s, d); }))
            out.departments.emplace_back(d);
    }
    std::sort(out.departments.begin(), out.departments.end());
    return out;
}

OwnersRow assess(const GraphSnapshot& snapshot, std::uint32_t t, Kinds& kinds) {
    const SnapshotTool& tool = snapshot.tools[t];
    OwnersRow row;
    row.tool = t;
    row.business = detail::owner_entries(snapshot, tool.business_owners);
    row.technical = detail::owner_entries(snapshot, tool.technical_owners);
    auto has_active = [](const std::vector<OwnerEntry>& owners) {
        return std::any_of(owners.begin(), owners.end(), [](const OwnerEntry& o) { return o.state == OwnerState::active; });
    };
    for (const auto& [owners, role] : {std::pair{&row.business, "business"}, std::pair{&row.technical, "technical"}}) {
        if (has_active(*owners)) continue;
        row.problems.push_back(std::string(owners->empty() ? "no " : "no active ") + role + " owner");
        kinds.missing = true;
    }
    for (const auto& [owners, role] : {std::pair{&row.business, "business"}, std::pair{&row.technical, "technical"}}) {
        for (const OwnerEntry& owner : *owners) {
            const SnapshotPerson& person = snapshot.people[owner.person];
            if (owner.state == OwnerState::departed)
                row.problems.push_back(std::string(role) + " owner " + person.email + " " + departure(person, to_date(snapshot.as_of)));
            else if (owner.state == OwnerState::unknown)
                row.problems.push_back(std::string(role) + " owner " + person.email + " is not in the directory");
            else
                continue;
            kinds.departed = true;
        }
    }
    if (!tool.owner_conflicts.empty()) {
        row.problems.push_back("catalog rows disagree: " + join(tool.owner_conflicts, "; "));
        kinds.conflicting = true;
    }
    const OwnerDepartments departments = business_departments(snapshot, row.business);
    if (departments.departments.size() > 1) {
        row.problems.push_back("business owners sit in different departments (" + join(departments.departments, ", ") + ")");
        kinds.conflicting = true;
    }
    const std::string_view owning = trim(tool.owning_department);
    if (!owning.empty() && departments.active > 0 && !departments.some_blank &&
        std::none_of(departments.departments.begin(), departments.departments.end(),
                     [&](const std::string& d) { return iequals(d, owning); })) {
        row.problems.push_back("business owners are outside the owning department (" + std::string(owning) + ")");
        kinds.conflicting = true;
    }
    return row;
}

}  // namespace

Result<OwnersResult> owners(const GraphSnapshot& snapshot, const OwnersOptions& options) {
    OwnersResult result;
    result.options = options;
    std::string department;
    if (!trim(options.department).empty()) {
        auto found = find_department(snapshot, options.department);
        if (!found) return std::unexpected(found.error());
        department = *found;
    }
    result.options.department = department;
    const bool any_kind = options.missing || options.departed || options.conflicting;

    const std::vector<std::uint32_t> rank = detail::name_ranks(snapshot);
    std::vector<std::uint32_t> order;
    for (std::size_t t = 0; t < snapshot.tools.size(); ++t)
        if (snapshot.tools[t].in_catalog) order.push_back(static_cast<std::uint32_t>(t));
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) { return rank[x] < rank[y]; });

    for (const std::uint32_t t : order) {
        if (!department.empty() && !detail::same_department(snapshot.tools[t].owning_department, department)) continue;
        Kinds kinds;
        OwnersRow row = assess(snapshot, t, kinds);
        if (any_kind && !((options.missing && kinds.missing) || (options.departed && kinds.departed) ||
                          (options.conflicting && kinds.conflicting)))
            continue;
        if (!row.problems.empty()) ++result.unclear;
        result.rows.push_back(std::move(row));
    }
    return result;
}

namespace {

std::string filters_text(const OwnersOptions& options) {
    std::vector<std::string> kinds;
    if (options.missing) kinds.emplace_back("missing");
    if (options.departed) kinds.emplace_back("departed or unknown");
    if (options.conflicting) kinds.emplace_back("conflicting");
    std::string out;
    if (!kinds.empty()) out += " with " + join(kinds, " or ") + " owners";
    if (!options.department.empty()) out += " owned by department '" + options.department + "'";
    return out;
}

std::string render_table(const OwnersResult& result, const GraphSnapshot& snapshot, const Context& context) {
    std::string out = detail::table_header(context, snapshot);
    const std::string filters = filters_text(result.options);
    if (result.rows.empty()) return out + terminal_safe("No catalog tools" + filters + ".") + "\n";
    out += terminal_safe("Owners of catalog tools" + filters) + "\n\n";
    detail::Table table;
    table.column("tool", 24);
    table.column("owning dept", 14);
    table.column("business owners", 38);
    table.column("technical owners", 38);
    for (const OwnersRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        // One owner per line, so no email is ever cut short.
        const std::size_t lines = std::max<std::size_t>({1, row.business.size(), row.technical.size()});
        for (std::size_t i = 0; i < lines; ++i) {
            auto owner = [&](const std::vector<OwnerEntry>& owners) {
                if (i < owners.size()) return detail::owner_label(snapshot, owners[i]);
                return std::string(i == 0 ? "-" : "");
            };
            table.row({i == 0 ? tool.name : std::string(), i == 0 ? detail::or_blank(tool.owning_department, "(none)") : std::string(),
                       owner(row.business), owner(row.technical)});
        }
        for (const std::string& problem : row.problems) table.note("! " + problem);
    }
    out += table.render();
    out += '\n';
    out += detail::readable_count(result.rows.size()) + (result.rows.size() == 1 ? " tool, " : " tools, ") +
           detail::readable_count(result.unclear) + " with unclear ownership (lines starting with '!').\n";
    return out;
}

// One CSV cell listing one attribute of every owner, "; "-separated, in the owners' order, so
// the email, name and state columns line up position by position.
template <class Project>
std::string joined(const GraphSnapshot& snapshot, const std::vector<OwnerEntry>& owners, Project project) {
    std::vector<std::string> parts;
    for (const OwnerEntry& owner : owners) parts.emplace_back(project(snapshot.people[owner.person], owner));
    return join(parts, "; ");
}

std::string email_of(const SnapshotPerson& person, const OwnerEntry&) { return person.email; }
std::string name_of(const SnapshotPerson& person, const OwnerEntry&) { return person.name; }
std::string state_of(const SnapshotPerson&, const OwnerEntry& owner) { return std::string(detail::to_string(owner.state)); }

std::string render_csv(const OwnersResult& result, const GraphSnapshot& snapshot) {
    std::string out = csv_line({"tool", "owning_department", "business_owners", "business_owner_names",
                                "business_owner_states", "technical_owners", "technical_owner_names",
                                "technical_owner_states", "problems"});
    for (const OwnersRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        out += csv_line({detail::cell(tool.name), detail::cell(trim(tool.owning_department)),
                         detail::cell(joined(snapshot, row.business, email_of)),
                         detail::cell(joined(snapshot, row.business, name_of)), joined(snapshot, row.business, state_of),
                         detail::cell(joined(snapshot, row.technical, email_of)),
                         detail::cell(joined(snapshot, row.technical, name_of)), joined(snapshot, row.technical, state_of),
                         detail::cell(join(row.problems, "; "))});
    }
    return out;
}

std::string render_json(const OwnersResult& result, const GraphSnapshot& snapshot, const Context& context) {
    JsonWriter json;
    detail::json_begin(json, context, snapshot);
    json.key("query");
    json.begin_object();
    json.field("command", "owners");
    json.field_bool("missing", result.options.missing);
    json.field_bool("departed", result.options.departed);
    json.field_bool("conflicting", result.options.conflicting);
    json.key("department");
    detail::json_optional_string(json, result.options.department);
    json.end_object();
    json.key("tools");
    json.begin_array();
    for (const OwnersRow& row : result.rows) {
        const SnapshotTool& tool = snapshot.tools[row.tool];
        json.begin_object();
        json.field("name", tool.name);
        json.field("owning_department", trim(tool.owning_department));
        json.key("business_owners");
        detail::json_owners(json, snapshot, row.business);
        json.key("technical_owners");
        detail::json_owners(json, snapshot, row.technical);
        json.key("problems");
        json.begin_array();
        for (const std::string& problem : row.problems) json.string(problem);
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.key("totals");
    json.begin_object();
    json.field_count("tools", result.rows.size());
    json.field_count("unclear", result.unclear);
    json.end_object();
    json.end_object();
    return json.finish();
}

}  // namespace

std::string render(const OwnersResult& result, const GraphSnapshot& snapshot, const Context& context, Format format) {
    return detail::render_as(
        format, [&] { return render_table(result, snapshot, context); }, [&] { return render_csv(result, snapshot); },
        [&] { return render_json(result, snapshot, context); });
}

}  // namespace stackaudit::query
