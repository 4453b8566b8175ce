// The simulated Northwind Labs: people, tools, who uses what and when, seat holders and the
// planted problems. build_world() decides everything; the writers only format it. Days are
// offsets from as_of (t = -1 is the day before as_of), so nothing depends on the calendar
// except the final formatting.
#pragma once

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/time.hpp"
#include "stackaudit/sample/generator.hpp"

namespace stackaudit::sample {

inline constexpr int k_no_day = INT_MIN;  // "no such day" (never used, no termination)
inline constexpr int k_window_days = 30;  // usage_window_days written to stackaudit.yaml
inline constexpr int k_idle_days = 60;    // idle-seat rule defaults (rules/idle-seat.yaml)
inline constexpr int k_grace_days = 30;

enum class SeatExport { none, salesforce, hubspot, slack, adobe, zoom, zendesk, m365 };

// Who uses a tool: everyone in `department` (or "*" for all) and `team` ("" for the whole
// department) uses it with probability `share`.
struct Audience {
    std::string_view department;
    std::string_view team;
    double share = 0.0;
};

struct PersonRec {
    std::string user_id;
    std::string first;
    std::string last;
    std::string email;
    std::string display_name;
    std::string department;
    std::string team;
    std::string status;            // ACTIVE | SUSPENDED | DEPROVISIONED | PROVISIONED
    int termination_t = k_no_day;  // termination_date as a day offset
    int start_t = 0;               // hire day
    int end_t = 0;                 // first day without any use (0: still here)
    bool departed = false;
    bool extra = false;            // a departure or hire added beside the team sizes
    int office = 0;
    int agent = 0;
    int isp = 0;
    std::string ip;
    std::string slack_id;
};

struct ToolRec {
    std::string name;
    std::string vendor;
    std::string label;      // Okta app label (target alternateId); "" = not behind Okta
    std::string app_name;   // Okta app display name (target displayName)
    std::string app_id;     // 0oa...
    std::string app_slug;   // for requestUri
    std::string sign_on;    // SAML_2_0 | OPENID_CONNECT
    std::string capabilities;
    std::string owning_department;
    std::string intended;
    std::string it_review;
    std::vector<std::string> business;   // owner emails
    std::vector<std::string> technical;
    std::string duplicate_business;      // a second catalog row naming another business owner
    double price = -1.0;                 // annual per seat; < 0 = blank
    long contract = -1;                  // < 0 = blank
    int renewal_t = k_no_day;
    SeatExport seats = SeatExport::none;
    int interval = 14;                   // days between sign-ins of a regular user
    double target_util = 0.8;            // contract sized so active/contract is about this
    bool contract_from_headcount = false;
    bool catalogued = true;              // false: shadow IT seen only in the Okta log
    double idle_rate = 0.02;             // seat holders who stopped using it (seat tools)
    std::vector<Audience> audience;
    // Computed from the simulation.
    int active_users = 0;
    int users_total = 0;
    int assigned = 0;
    int active_seats = 0;
};

enum class Pattern { regular, cooling, lapsed, never };

struct PairRec {
    int person = 0;
    int tool = 0;
    Pattern pattern = Pattern::regular;
    bool seat = false;             // holds a seat in the tool's export
    int assigned_t = k_no_day;     // seat assigned day
    int export_last_t = k_no_day;  // last activity written to the seat export
    int export_last_sec = 0;       // its time of day
    int forced_stop_t = k_no_day;  // planted: last use on exactly this day
    std::vector<std::int16_t> days;  // SSO sign-in days, ascending (repeats = several a day)
};

struct SeatRow {  // seats held by people outside the directory (agency accounts)
    int tool = 0;
    std::string email;
    std::string first;
    std::string last;
    int assigned_t = k_no_day;
};

struct PlantedItem {
    std::string rule;
    std::string severity;
    std::string subject;
    std::string why;
};

struct IntegrationRec {
    std::string source;
    std::string target;
    std::string data;
};

struct World {
    SampleOptions options;
    Date as_of_date{};
    std::vector<PersonRec> people;
    std::vector<ToolRec> tools;  // catalogued tools first, then shadow apps
    std::vector<PairRec> pairs;
    std::vector<SeatRow> outside_seats;
    std::vector<IntegrationRec> integrations;
    std::vector<PlantedItem> planted;
    std::vector<PlantedItem> expected;  // findings of medium or lower that arise naturally
    std::size_t sso_events = 0;

    [[nodiscard]] int tool_index(std::string_view name) const;
    [[nodiscard]] std::string date(int t) const { return format_date(as_of_date + std::chrono::days{t}); }
};

// Decides the whole company. Options must already be validated.
[[nodiscard]] World build_world(const SampleOptions& options);

// Built-in tables (company_data.cpp).
struct TeamSpec {
    std::string_view department;
    std::string_view team;
    int size;
};
struct Office {
    std::string_view city;
    std::string_view state;
    std::string_view country;
    std::string_view country_code;
    std::string_view postal;
    double lat;
    double lon;
    int utc_offset;  // hours, late October
};
struct Agent {
    std::string_view raw;
    std::string_view os;
    std::string_view browser;
};
struct Isp {
    std::string_view org;
    std::string_view isp;
    std::string_view domain;
    int as_number;
    int ip_a;  // first octet of the addresses handed out
    int ip_b;
};
struct ToolSpec {
    std::string_view name;
    std::string_view vendor;
    std::string_view label;
    std::string_view app_name;
    std::string_view capabilities;
    std::string_view owning;
    std::string_view intended;
    std::string_view review;
    double price;
    SeatExport seats;
    int interval;
    double target_util;  // 0 = no contract seats (site licence, usage-based or free)
    std::string_view business;   // "Department/Team/index" or ""
    std::string_view technical;
    std::vector<Audience> audience;
};

[[nodiscard]] const std::vector<TeamSpec>& team_specs();
[[nodiscard]] const std::vector<Office>& offices();
[[nodiscard]] const std::vector<Agent>& agents();
[[nodiscard]] const std::vector<Isp>& isps();
[[nodiscard]] const std::vector<std::string_view>& first_names();
[[nodiscard]] const std::vector<std::string_view>& last_names();
[[nodiscard]] const std::vector<ToolSpec>& tool_specs();
[[nodiscard]] const std::vector<IntegrationRec>& builtin_integrations();

// Writers (write_files.cpp, okta_log.cpp). Each appends what it wrote to `summary`.
[[nodiscard]] Result<void> write_inputs(const World& world, SampleSummary& summary);
[[nodiscard]] Result<void> write_okta_log(const World& world, SampleSummary& summary);
[[nodiscard]] Result<void> write_planted(const World& world, SampleSummary& summary);

}  // namespace stackaudit::sample
