// The audit's input model: what every connector produces and the graph consumes.
// Plain data; emails are stored normalised (trimmed, lower-case), other text as given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stackaudit/core/ingest.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit {

// Okta's user statuses; anything else read from a directory is kept as `other` with its text.
enum class PersonStatus { active, staged, provisioned, recovery, locked_out, password_expired, suspended,
                          deprovisioned, other };
[[nodiscard]] PersonStatus parse_person_status(std::string_view text) noexcept;  // case-insensitive
[[nodiscard]] std::string_view to_string(PersonStatus status) noexcept;          // "ACTIVE", ...

struct Person {
    std::string user_id;
    std::string email;  // normalised
    std::string display_name;
    std::string department;
    std::string team;
    PersonStatus status = PersonStatus::active;
    std::string status_text;  // as written in the file
    std::optional<Date> termination_date;
    std::size_t line = 0;  // where it was read, for evidence
};

struct Tool {
    std::string name;
    std::string vendor;
    std::string sso_app_label;
    std::vector<std::string> capabilities;
    std::string owning_department;
    std::vector<std::string> intended_departments;  // empty with intended_all == false: not stated
    bool intended_all = false;                      // "*" in the catalog
    std::vector<std::string> business_owners;       // normalised emails
    std::vector<std::string> technical_owners;      // normalised emails
    std::string it_review;                          // lower-cased: approved | pending | rejected | none | ""
    std::optional<std::int64_t> contract_seats;
    std::optional<double> annual_cost_per_seat;
    std::optional<Date> renewal_date;
    // Catalog rows that name this tool again with different owners: "line 41: business_owner
    // b@x.com (line 12 says a@x.com)". Duplicate rows are merged into one Tool; owners are unioned.
    std::vector<std::string> owner_conflicts;
    std::size_t line = 0;
};

struct Integration {
    std::string source_tool;
    std::string target_tool;
    std::vector<std::string> data;  // data categories carried, e.g. {"contacts", "leads"}
    std::size_t line = 0;
};

struct Seat {
    std::string tool;  // catalog tool name as configured for the seat source
    std::string email;  // normalised
    std::string license_type;
    std::optional<Date> assigned_date;
    std::optional<Timestamp> last_activity;  // from the export, if it has such a column
    bool has_activity_column = false;        // the export carries last activity at all
    std::string source;                      // "seats:Salesforce"
    std::size_t line = 0;
};

// Successful use of one SSO app by one user, aggregated from the usage log.
struct Usage {
    std::string app_id;     // Okta AppInstance id
    std::string app_label;  // target alternateId (the app's label in Okta)
    std::string app_name;   // target displayName
    std::string user_id;    // actor.id
    std::string user_login; // actor.alternateId, normalised like an email
    Timestamp first_seen{};
    Timestamp last_seen{};
    std::uint64_t events = 0;            // successful SSO events in the log up to as_of
    std::uint64_t events_in_window = 0;  // ... of which within the usage window before as_of
};

// Seats bought under one licence or SKU, as a vendor's admin API reports them (Microsoft
// subscribedSkus, Salesforce UserLicense, Adobe product profiles). When the catalog states no
// contract size for a tool, the purchased seats of its pools stand in for it.
struct LicensePool {
    std::string tool;  // catalog tool name (or the vendor's product name when unmapped)
    std::string sku;   // vendor's licence or SKU name, e.g. "ENTERPRISEPACK", "Salesforce"
    std::optional<std::int64_t> purchased;
    std::optional<std::int64_t> assigned;
    std::string source;
};

// Everything one run read. Built by connectors, consumed by the graph.
struct Dataset {
    Timestamp as_of{};    // the audit's "now"; events after it are ignored
    int window_days = 30; // usage window used for events_in_window
    std::vector<Person> people;
    std::vector<Tool> tools;
    std::vector<Integration> integrations;
    std::vector<Seat> seats;
    std::vector<Usage> usage;
    std::vector<LicensePool> licenses;
    std::vector<SourceReport> sources;
};

}  // namespace stackaudit
