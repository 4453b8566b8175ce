// Ad-hoc questions over one run's graph (GraphSnapshot): overlapping tools, ownership, the
// blast radius of removing a tool, who uses a tool and what a person or team uses. Each
// question is a pure function (snapshot + options in, result out) and each result renders as
// an aligned text table, CSV or JSON (docs/queries.md). Depends on core only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/error.hpp"
#include "stackaudit/core/snapshot.hpp"

namespace stackaudit::query {

enum class Format { table, csv, json };
// "table" | "csv" | "json" (case-insensitive). Errors: invalid_value naming the choices.
[[nodiscard]] Result<Format> parse_format(std::string_view text);

// Where the answer comes from, printed above a table, as "run" in JSON, never in CSV (the CLI
// prints gaps on stderr for CSV).
struct Context {
    std::string source;                 // "run 12 of out/stackaudit.db" or "inputs of stackaudit.yaml"
    std::optional<std::int64_t> run_id;
    std::string as_of;                  // YYYY-MM-DD
    std::vector<std::string> gaps;      // what the run could not see ("source okta_log failed: ..."); empty = complete
};

// The gaps of a snapshot's sources, one line each ("okta_log failed: HTTP 401 ...", "seats:Slack
// is stale: ..."), in source order.
[[nodiscard]] std::vector<std::string> snapshot_gaps(const GraphSnapshot& snapshot);

// A Context for `snapshot`: its as_of day and snapshot_gaps(), with the caller's source and run.
[[nodiscard]] Context make_context(const GraphSnapshot& snapshot, std::string source,
                                   std::optional<std::int64_t> run_id = std::nullopt);

// Name lookups, case-insensitive, trimmed. Errors: not_found with did-you-mean in the message
// and a hint naming the command that lists the valid names. When two tools differ only in case,
// find_tool prefers the catalog one.
[[nodiscard]] Result<std::uint32_t> find_tool(const GraphSnapshot& snapshot, std::string_view name);
[[nodiscard]] Result<std::uint32_t> find_capability(const GraphSnapshot& snapshot, std::string_view name);
// A department named by a person's department or a tool's owning department; returns its
// spelling as first met (people, then tools).
[[nodiscard]] Result<std::string> find_department(const GraphSnapshot& snapshot, std::string_view name);

// ---------------------------------------------------------------------------------------------
// overlap: tools that provide the same capability and the people they share.

struct OverlapOptions {
    std::string tool;                      // only pairs with this tool ("" = all tools)
    std::vector<std::string> capabilities; // only these capabilities (empty = all)
    std::string department;                // only pairs where either side is owned by this department
    std::size_t min_shared = 0;            // at least this many shared active users
    double min_jaccard = 0;                // at least this Jaccard index (0-1); a null Jaccard passes only 0
};

struct OverlapSide {
    std::uint32_t tool = 0;
    std::size_t active_users = 0;  // distinct people active on it in the window
    std::size_t seats = 0;         // seats held (0 without seat data)
};

struct OverlapPair {
    OverlapSide a, b;              // a's name < b's name, case-insensitively
    std::size_t shared = 0;        // people active on both
    std::optional<double> jaccard; // shared / active on either; null when neither has active users
    // The side whose cost a consolidation frees: the one with fewer active users (ties: fewer
    // seats, then the later name), its tool index.
    std::uint32_t smaller = 0;
    // shared * the smaller side's cost_per_seat; null when that cost is unknown.
    std::optional<double> consolidation_savings;
};

struct CapabilityOverlap {
    std::uint32_t capability = 0;
    std::vector<std::uint32_t> tools;  // the tools of the pairs left after filters, by name
    std::vector<OverlapPair> pairs;    // by shared desc, then a's name, b's name
};

struct OverlapResult {
    OverlapOptions options;                 // as asked, names in the snapshot's spelling (for rendering)
    std::vector<CapabilityOverlap> groups;  // capabilities with at least one pair left, by name
    std::size_t pairs = 0;                  // distinct tool pairs (a pair sharing 2 capabilities counts once)
    double total_savings = 0;               // over distinct pairs, known savings only
    std::size_t unknown_savings = 0;        // distinct pairs whose savings are null (cost per seat unknown)
};

// Shared active users are counted once per distinct pair from a per-tool sorted list of active
// people, never by a scan over all people per pair: the more used side of a pair is a bitset
// (stored for tools used by more than 1/64 of the people, else marked once in a scratch bitset
// for all its pairs) that the shorter list is tested against; two stored bitsets are ANDed word
// by word; a tool in a single pair is merged, or galloped into when 16 times longer.
// Errors: not_found (unknown tool, capability or department, with did-you-mean); invalid_value
// (min_jaccard outside 0-1).
[[nodiscard]] Result<OverlapResult> overlap(const GraphSnapshot& snapshot, const OverlapOptions& options);
[[nodiscard]] std::string render(const OverlapResult& result, const GraphSnapshot& snapshot, const Context& context,
                                 Format format);

// ---------------------------------------------------------------------------------------------
// owners: who owns what, business and technical, and where ownership is unclear.

struct OwnersOptions {
    bool missing = false;      // only tools lacking an active owner in either role
    bool departed = false;     // only tools with an owner who left or is not in the directory
    bool conflicting = false;  // only tools whose catalog rows disagree on owners, or whose active
                               // business owners are all outside the owning department
    std::string department;    // only tools owned by this department
    // Several of missing/departed/conflicting together: tools with any of them.
};

enum class OwnerState { active, departed, unknown };  // unknown: not in the directory

struct OwnerEntry {
    std::uint32_t person = 0;
    OwnerState state = OwnerState::active;
};

struct OwnersRow {
    std::uint32_t tool = 0;
    std::vector<OwnerEntry> business, technical;
    // What is unclear, one short sentence each, in this order: "no business owner" (none
    // listed) or "no active business owner" (all listed ones left or are unknown), the same for
    // technical, then per owner (business first, catalog order) "business owner x@y left on
    // 2026-09-30" (or "left (directory status SUSPENDED)" without a date) and "technical owner
    // x@y is not in the directory", then "catalog rows disagree: <conflicts joined by '; '>",
    // "business owners sit in different departments (Marketing, Sales)" (as the rule
    // conflicting-owners says) and "business owners are outside the owning department (Sales)"
    // (every active business owner has a department and none is the owning one). Empty = clear.
    std::vector<std::string> problems;
};

struct OwnersResult {
    OwnersOptions options;        // as asked; department in the snapshot's spelling
    std::vector<OwnersRow> rows;  // catalog tools only, by name
    std::size_t unclear = 0;      // rows with problems
};

// Errors: not_found (unknown department, with did-you-mean).
[[nodiscard]] Result<OwnersResult> owners(const GraphSnapshot& snapshot, const OwnersOptions& options);
[[nodiscard]] std::string render(const OwnersResult& result, const GraphSnapshot& snapshot, const Context& context,
                                 Format format);

// ---------------------------------------------------------------------------------------------
// impact: what is downstream (or upstream) of a tool through the data flows.

struct ImpactOptions {
    bool upstream = false;           // follow flows backwards: what feeds the tool
    std::optional<int> max_depth;    // stop after this many hops (default: all)
};

struct ImpactRow {
    std::uint32_t tool = 0;
    int depth = 1;                      // hops from the tool asked about (shortest)
    std::vector<std::uint32_t> path;    // tools from the one asked about to this one, inclusive
    std::vector<std::string> data;      // data categories on the last hop
};

struct ImpactResult {
    std::uint32_t root = 0;
    bool upstream = false;
    std::optional<int> max_depth;
    std::vector<ImpactRow> rows;  // breadth-first: by depth, then name; each tool once; cycles safe
};

// A tool reached at the same depth through several tools keeps the path through the first of
// them by name. Errors: not_found (unknown tool); invalid_value (max_depth below 1).
[[nodiscard]] Result<ImpactResult> impact(const GraphSnapshot& snapshot, std::string_view tool,
                                          const ImpactOptions& options);
[[nodiscard]] std::string render(const ImpactResult& result, const GraphSnapshot& snapshot, const Context& context,
                                 Format format);

// ---------------------------------------------------------------------------------------------
// who: who uses a tool, by department and team, active vs idle.

struct WhoOptions {
    std::string department;  // only people of this department
    bool active_only = false;
    bool idle_only = false;  // people with a seat or SSO use but no activity in the window
};

struct WhoGroup {
    std::string department, team;
    std::size_t active = 0, idle = 0, seats = 0;
};

struct WhoResult {
    std::uint32_t tool = 0;
    WhoOptions options;               // as asked; department in the snapshot's spelling
    std::vector<WhoGroup> groups;     // by department, then team
    std::vector<std::uint32_t> uses;  // indices into snapshot.uses, by department, team, email
    std::size_t active = 0, idle = 0, seats = 0;
};

// Errors: not_found (unknown tool or department); invalid_value (active_only with idle_only).
[[nodiscard]] Result<WhoResult> who(const GraphSnapshot& snapshot, std::string_view tool, const WhoOptions& options);
[[nodiscard]] std::string render(const WhoResult& result, const GraphSnapshot& snapshot, const Context& context,
                                 Format format);

// ---------------------------------------------------------------------------------------------
// tools: what a person, a team or a department uses.

enum class SubjectKind { person, team, department };

struct ToolsRow {
    std::uint32_t tool = 0;
    std::size_t people = 0;         // the subject's people with a seat or use (1 for a person)
    std::size_t active = 0, idle = 0, seats = 0;
    std::optional<Timestamp> last_seen;  // newest among the subject's people
    bool owner = false;             // one of the subject's people owns the tool (either role)
};

struct ToolsResult {
    SubjectKind kind = SubjectKind::person;
    std::string subject;                 // the person's email, "Department / Team", or the department
    std::vector<std::uint32_t> members;  // people indices of the subject
    // Tools the subject's people use or own (an owned tool nobody of them uses has people = 0),
    // by active desc, then name.
    std::vector<ToolsRow> rows;
};

// `subject` is matched, case-insensitively, against emails, user ids and display names, then
// "Department/Team", then departments, then bare team names (a department wins over a team of
// the same name because a team can always be named as Department/Team). Errors: not_found with
// did-you-mean; ambiguous (a team name in two departments, a display name or user id shared by
// two people) is an invalid_value error listing the candidates; an empty subject is invalid_value.
[[nodiscard]] Result<ToolsResult> tools_of(const GraphSnapshot& snapshot, std::string_view subject);
[[nodiscard]] std::string render(const ToolsResult& result, const GraphSnapshot& snapshot, const Context& context,
                                 Format format);

}  // namespace stackaudit::query
