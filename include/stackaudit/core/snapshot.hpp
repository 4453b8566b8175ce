// The audit graph as ad-hoc questions need it, projected once per run: people, tools with their
// capabilities and owners, who uses what (active or idle, seat or SSO) and which tool feeds
// which. Integer ids and no raw events: this is what the history keeps of a run's graph, so
// `overlap`, `owners`, `impact`, `who` and `tools` answer without re-reading the inputs.
// graph::snapshot() builds it, store::Store keeps the latest one, query:: answers from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackaudit/core/time.hpp"

namespace stackaudit {

struct SnapshotPerson {
    std::string email;       // normalised; the SSO actor id for an unknown user without a login
    std::string name;        // display name; "" when not in the directory
    std::string user_id;
    std::string department;  // "" when unknown
    std::string team;
    std::string status;      // directory status as written ("ACTIVE", "DEPROVISIONED", ...); "" when unknown
    bool in_directory = true;
    bool departed = false;   // suspended/deprovisioned, or terminated on or before as_of
    std::optional<Date> termination_date;
};

struct SnapshotTool {
    std::string name;               // catalog name (or the SSO app label / integration's spelling)
    std::string vendor;
    std::string owning_department;  // trimmed; "" when not stated
    std::string it_review;          // approved | pending | rejected | none | ""
    bool in_catalog = true;         // false: named only by an integration, or an SSO app not in the catalog
    bool sso_app_only = false;      // an SSO app matched to no catalog tool (shadow IT)
    std::vector<std::uint32_t> capabilities;     // indices into GraphSnapshot::capabilities, ascending
    std::vector<std::uint32_t> business_owners;  // indices into GraphSnapshot::people, catalog order
    std::vector<std::uint32_t> technical_owners;
    std::vector<std::string> intended_departments;
    bool intended_all = false;
    std::vector<std::string> owner_conflicts;    // Tool::owner_conflicts
    std::optional<std::int64_t> contract_seats;
    std::optional<double> cost_per_seat;         // annual cost of one seat
    std::optional<double> annual_cost;           // the tool fact annual_cost (docs/facts.md)
    bool usage_tracked = false;                  // SSO or export activity tells active from idle
    bool has_seat_data = false;                  // a seat source holds its full seat list
};

// One (person, tool) relation: a seat, use through SSO, or both. One row per pair.
struct SnapshotUse {
    std::uint32_t tool = 0;    // index into GraphSnapshot::tools
    std::uint32_t person = 0;  // index into GraphSnapshot::people
    bool seat = false;         // holds a seat (seat export or vendor API)
    bool active = false;       // used it within the usage window (SSO events or export activity)
    std::optional<Timestamp> last_seen;  // newest SSO event or export activity, if any
    std::uint64_t events_in_window = 0;  // successful SSO events within the window
    std::string license_type;            // the seat's licence; "" without a seat
};

// Data flowing from one tool to another (one per integration row, merged per pair).
struct SnapshotFlow {
    std::uint32_t source = 0;        // index into GraphSnapshot::tools
    std::uint32_t target = 0;
    std::vector<std::string> data;  // data categories, lower-cased, sorted, unique
};

// What a run read, so an answer can say what it could not see.
struct SnapshotSource {
    std::string name;   // "okta_log", "seats:Salesforce", ...
    bool ok = true;     // false: the source failed and its data is missing
    bool stale = false; // a later pull failed: the data is older than it should be
    std::string detail; // why it failed or is stale; "" when fine
};

struct GraphSnapshot {
    Timestamp as_of{};
    int window_days = 30;
    std::vector<SnapshotPerson> people;     // sorted by email
    std::vector<SnapshotTool> tools;        // sorted by lower-cased name
    std::vector<std::string> capabilities;  // lower-cased, sorted, unique
    std::vector<SnapshotUse> uses;          // sorted by (tool, person), unique pairs
    std::vector<SnapshotFlow> flows;        // sorted by (source, target), unique pairs
    std::vector<SnapshotSource> sources;
};

}  // namespace stackaudit
