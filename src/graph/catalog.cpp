// The fact catalog (every frame type, its typed facts, and the subject kinds that bind them)
// and the Markdown it generates for docs/facts.md. The order of facts here is the order of
// values in every computed frame (see subjects.cpp).
#include <string>
#include <utility>
#include <vector>

#include "stackaudit/graph/graph.hpp"

namespace stackaudit::graph {

namespace {

using T = ValueType;

FactDef fact(std::string name, ValueType type, std::string description) {
    return FactDef{std::move(name), type, ValueType::null, std::move(description)};
}

FactDef list_of(std::string name, ValueType element, std::string description) {
    return FactDef{std::move(name), ValueType::list, element, std::move(description)};
}

FrameType tool_frame() {
    return FrameType{
        "tool",
        "One per catalog tool, plus one per tool named only by an integration or a seat source "
        "(in_catalog = false; its catalog facts are empty or null).",
        {
            fact("name", T::string, "Catalog name."),
            fact("vendor", T::string, "Vendor from the catalog."),
            fact("sso_app_label", T::string, "The tool's SSO (Okta) app label from the catalog; \"\" when not stated."),
            fact("in_catalog", T::boolean, "False for a tool named only by an integration or a seat source."),
            list_of("capabilities", T::string, "Capabilities from the catalog, lower-cased."),
            fact("owning_department", T::string, "Owning department from the catalog; \"\" when blank."),
            list_of("intended_departments", T::string, "Departments the tool is meant for, as written in the catalog."),
            fact("intended_for_all", T::boolean, "The catalog says `*`: meant for every department."),
            list_of("business_owners", T::string, "Business owner emails."),
            list_of("technical_owners", T::string, "Technical owner emails."),
            fact("active_business_owners", T::integer, "Business owners who are in the directory and have not departed."),
            fact("active_technical_owners", T::integer, "Technical owners who are in the directory and have not departed."),
            list_of("departed_owners", T::string, "Owners (either role) who have departed."),
            list_of("unknown_owners", T::string, "Owners (either role) whose email is not in the directory."),
            list_of("owner_departments", T::string, "Departments of active owners, both roles (blank departments left out)."),
            list_of("business_owner_departments", T::string, "Departments of active business owners (blank departments left out)."),
            list_of("owner_conflicts", T::string,
                    "Catalog rows that name the tool again with different owners, e.g. \"line 41: business_owner b@x.com (line 12 says a@x.com)\"."),
            fact("it_review", T::string, "IT review status from the catalog, lower-cased: approved, pending, rejected, none or \"\"."),
            fact("it_reviewed", T::boolean, "it_review is \"approved\"."),
            fact("contract_seats", T::integer, "Seats under contract; null when not stated."),
            fact("cost_per_seat", T::number, "Annual cost per seat; null when not stated."),
            fact("annual_cost", T::number,
                 "cost_per_seat * contract_seats, else cost_per_seat * assigned_seats when the tool has seat data; null otherwise."),
            fact("renewal_date", T::date, "Contract renewal date; null when not stated."),
            fact("days_to_renewal", T::integer, "renewal_date - as_of in days (negative once past); null without a renewal date."),
            fact("has_seat_data", T::boolean, "A seats source (`seats:<Tool>`) is configured for the tool and was read."),
            fact("usage_tracked", T::boolean,
                 "Use can be seen: the tool has an SSO app label and the Okta log was read, or its seat export has a last-activity column."),
            fact("assigned_seats", T::integer, "Seat rows for the tool (0 without seat data)."),
            fact("active_seats", T::integer, "Seats whose holder is active on the tool in the window (0 without seat data)."),
            fact("idle_seats", T::integer, "assigned_seats - active_seats when usage_tracked, else 0."),
            fact("departed_seats", T::integer, "Seats held by departed people (0 without seat data)."),
            fact("unknown_seats", T::integer, "Seats held by emails not in the directory (0 without seat data)."),
            fact("utilisation", T::number,
                 "active_seats / assigned_seats when the tool has seat data, is usage_tracked and has seats; else active_users / "
                 "contract_seats when usage_tracked and contract_seats > 0; else null."),
            fact("seats_over_contract", T::integer,
                 "assigned_seats - contract_seats when the tool has seat data and contract_seats is known (may be 0 or negative); else null."),
            fact("active_users", T::integer, "Distinct people active on the tool in the window (SSO events or seat export activity)."),
            fact("users_total", T::integer, "Distinct people with any SSO use of the tool up to as_of."),
            fact("top_department", T::string, "Department with the most active users (ties: alphabetical); \"\" when nobody is active."),
            fact("top_department_share", T::number, "top_department's share of active_users (0 to 1); null when nobody is active."),
            fact("intended_share", T::number,
                 "Share of active users whose department is intended (case-insensitive); null when intended_for_all, no intended "
                 "departments are stated, or nobody is active."),
            fact("outside_intended_users", T::integer, "Active users outside the intended departments; 0 when intended_share is null."),
            list_of("departments_using", T::string, "Departments of active users, most users first, then by name (blank departments left out)."),
            fact("integrations", T::integer, "Integration rows touching the tool, in or out."),
            list_of("feeds_to", T::string, "Tools this tool sends data to."),
            list_of("fed_by", T::string, "Tools that send data to this tool."),
            list_of("data_categories", T::string, "Data categories carried by its integrations, in or out, lower-cased."),
            fact("idle_seat_cost", T::number, "idle_seats * cost_per_seat; null when cost_per_seat is unknown."),
        }};
}

FrameType seat_frame() {
    return FrameType{
        "seat",
        "One per seat row of a seat export.",
        {
            fact("tool", T::string, "The tool the seat is for (catalog spelling)."),
            fact("email", T::string, "The seat holder's email."),
            fact("license_type", T::string, "License type from the export; \"\" when not given."),
            fact("assigned_date", T::date, "When the seat was assigned; null when the export does not say."),
            fact("days_since_assigned", T::integer, "as_of - assigned_date in days; null without an assigned date."),
            fact("last_activity", T::date,
                 "The later of the export's last activity and the holder's last SSO use of the tool; null if never seen."),
            fact("days_since_activity", T::integer, "as_of - last_activity in days; null if never seen."),
            fact("usage_tracked", T::boolean, "The tool's usage_tracked."),
            fact("events_in_window", T::integer, "SSO events of the holder on the tool's app in the window."),
        }};
}

FrameType person_frame() {
    return FrameType{
        "person",
        "A seat holder or an owner, as the directory knows them (or does not).",
        {
            fact("known", T::boolean, "The email is in the directory."),
            fact("email", T::string, "Email, lower-cased."),
            fact("name", T::string, "Display name; \"\" if unknown."),
            fact("user_id", T::string, "Directory user id; \"\" if unknown."),
            fact("department", T::string, "Department; \"(unknown)\" if not in the directory."),
            fact("team", T::string, "Team; \"\" if unknown."),
            fact("status", T::string, "Directory status: ACTIVE, SUSPENDED, DEPROVISIONED, ... (\"\" if unknown)."),
            fact("departed", T::boolean, "Status SUSPENDED or DEPROVISIONED, or termination_date on or before as_of."),
            fact("termination_date", T::date, "Termination date from the directory; null when none."),
            fact("days_since_departure", T::integer,
                 "as_of - termination_date in days (negative for a future leaver); null without a termination date."),
        }};
}

FrameType owner_frame() {
    return FrameType{"owner",
                     "One ownership entry of the catalog: a person named as business or technical owner of a tool.",
                     {
                         fact("email", T::string, "The owner's email."),
                         fact("role", T::string, "\"business\" or \"technical\"."),
                     }};
}

FrameType pair_frame() {
    return FrameType{
        "pair",
        "Two catalog tools sharing at least one capability (a.name < b.name, case-insensitively).",
        {
            list_of("capabilities", T::string, "Capabilities both tools provide."),
            fact("shared_users", T::integer, "People active on both tools in the window."),
            fact("jaccard", T::number,
                 "shared_users / people active on either tool; null when neither has active users."),
            fact("same_owning_department", T::boolean, "Both have an owning department and they are equal (case-insensitive)."),
            fact("overlap_cost", T::number,
                 "shared_users * the lower cost_per_seat of the two (of those known); null when neither cost is known."),
            fact("combined_annual_cost", T::number, "a.annual_cost + b.annual_cost (known parts); null when neither is known."),
        }};
}

FrameType integration_frame() {
    return FrameType{"integration",
                     "One per row of the integrations file: data flowing from a source tool to a target tool.",
                     {
                         list_of("data", T::string, "Data categories carried, lower-cased."),
                         fact("source_in_catalog", T::boolean, "The source tool is in the catalog."),
                         fact("target_in_catalog", T::boolean, "The target tool is in the catalog."),
                     }};
}

FrameType app_frame() {
    return FrameType{
        "app",
        "One per distinct SSO app seen in the usage log, matched to a catalog tool or not.",
        {
            fact("label", T::string, "The app's label in Okta."),
            fact("name", T::string, "The app's display name in Okta."),
            fact("in_catalog", T::boolean, "Matched to a catalog tool (by SSO label, else by tool name; case-insensitive)."),
            fact("matched_tool", T::string, "Name of the matched catalog tool; \"\" if none."),
            fact("users", T::integer, "Distinct users ever (up to as_of)."),
            fact("active_users", T::integer, "Distinct users with SSO events in the window."),
            fact("events", T::integer, "Successful SSO events up to as_of."),
            fact("first_seen", T::date, "Day of the first SSO event; null if none."),
            fact("last_seen", T::date, "Day of the last SSO event; null if none."),
            list_of("departments", T::string, "Departments of its users, most users first, then by name (blank departments left out)."),
            fact("top_department", T::string, "Department with the most users (ties: alphabetical); \"\" if none."),
        }};
}

FactCatalog make_catalog() {
    FactCatalog catalog;
    catalog.frame_types = {tool_frame(), seat_frame(), person_frame(), owner_frame(), pair_frame(), integration_frame(), app_frame()};
    catalog.subject_kinds = {
        SubjectKind{"tool",
                    "Every tool, including those named only by an integration or a seat source (check `tool.in_catalog`). Key `tool:<lower name>`. Defaults: tool = name, department = owning_department, owners = "
                    "business then technical owners (catalog order, without repeats).",
                    {{"tool", "tool"}}},
        SubjectKind{"seat",
                    "Every seat row. Key `seat:<lower tool>:<email>`. Defaults: tool = the seat's tool, department = the "
                    "holder's department (\"(unknown)\" if not in the directory), owners = the tool's owners.",
                    {{"seat", "seat"}, {"person", "person"}, {"tool", "tool"}}},
        SubjectKind{"owner",
                    "Every owner of every tool, per role. Key `owner:<lower tool>:<role>:<email>`. Defaults: tool = the tool, "
                    "department = the tool's owning department, owners = the tool's other active owners.",
                    {{"owner", "owner"}, {"person", "person"}, {"tool", "tool"}}},
        SubjectKind{"tool_pair",
                    "Every pair of catalog tools sharing a capability. Key `pair:<lower a>|<lower b>`. Defaults: tool = \"A + B\", "
                    "department = the shared owning department, else \"A's / B's\", owners = a's business owners then b's.",
                    {{"pair", "pair"}, {"a", "tool"}, {"b", "tool"}}},
        SubjectKind{"integration",
                    "Every integration row. Key `integration:<lower source>><lower target>`. Defaults: tool = source, "
                    "department = the source's owning department, owners = the source's owners then the target's.",
                    {{"integration", "integration"}, {"source", "tool"}, {"target", "tool"}}},
        SubjectKind{"app",
                    "Every SSO app seen in the usage log. Key `app:<lower label>`. Defaults: tool = label, department = "
                    "top_department, no owners.",
                    {{"app", "app"}}},
    };
    return catalog;
}

std::string type_name(const FactDef& def) {
    std::string out{to_string(def.type)};
    if (def.type == ValueType::list) {
        out += '<';
        out += to_string(def.element);
        out += '>';
    }
    return out;
}

// Table cells must not break the Markdown table.
std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

constexpr std::string_view k_intro = R"md(# Facts: what rules can read

This file is generated from the fact catalog compiled into stackaudit (`src/graph/catalog.cpp`);
a unit test fails when the two disagree, so what you read here is what rules get.

## Subjects and frames

A rule is evaluated once per **subject**: one thing to look at, such as a tool, a seat, an
owner, a pair of tools that overlap, an integration or an SSO app. The rule names the kind of
subject it iterates over (`subject: seat`).

The facts about a subject come in **frames**. A frame type (`tool`, `seat`, `person`, ...) is a
documented, ordered list of typed facts computed from the audit graph. A subject kind binds
aliases to frame types: a seat binds `seat`, `person` (the holder) and `tool` (the tool the seat
is for), so a rule on seats can say `seat.days_since_activity > 60`, `person.departed` or
`tool.cost_per_seat`. A tool pair binds `a` and `b` to two tool frames.

Besides frames, every expression can read `as_of` (the audit date) and `params.<name>` (the
rule's parameters).

Any fact may be null when the data it needs is missing; the descriptions below say when.
Lists are sorted ascending without repeats unless the description says otherwise.

## Definitions

- **as_of** is the audit's "now"; **the window** is the usage window before it (30 days unless
  configured). Activity at or after the start of the window counts as in the window.
- A person has **departed** when their directory status is SUSPENDED or DEPROVISIONED, or their
  termination date is on or before as_of. A person whose email is not in the directory is
  **unknown** (`known = false`), and their department is "(unknown)".
- SSO use is matched to people by login (= email), else by directory user id. An SSO app is
  matched to a catalog tool when the tool's SSO app label equals the app's label or name,
  else when the tool's name equals the app's name or label (case-insensitive).
- A person is **active** on a tool when they used its SSO app in the window, or a seat export
  of the tool shows their activity in the window.
)md";

}  // namespace

const FactCatalog& fact_catalog() {
    static const FactCatalog catalog = make_catalog();
    return catalog;
}

std::string facts_markdown(const FactCatalog& catalog) {
    std::string out{k_intro};
    out += "\n## Subject kinds\n\n| kind | frames (alias: frame) | what, key and defaults |\n|---|---|---|\n";
    for (const SubjectKind& kind : catalog.subject_kinds) {
        std::string frames;
        for (const FrameBinding& binding : kind.frames) {
            if (!frames.empty()) frames += ", ";
            frames += "`" + binding.alias + "`: " + binding.frame;
        }
        out += "| `" + kind.name + "` | " + frames + " | " + cell(kind.description) + " |\n";
    }
    for (const FrameType& frame : catalog.frame_types) {
        out += "\n## Frame `" + frame.name + "`\n\n" + frame.description + "\n\n";
        out += "| fact | type | meaning |\n|---|---|---|\n";
        for (const FactDef& def : frame.facts)
            out += "| `" + def.name + "` | " + "`" + type_name(def) + "`" + " | " + cell(def.description) + " |\n";
    }
    return out;
}

}  // namespace stackaudit::graph
