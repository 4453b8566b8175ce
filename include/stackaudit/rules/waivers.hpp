// Waivers: accepted findings, kept in version control by the customer. A waiver names a rule
// and a subject, with a reason, an approver and an expiry date; a waived finding is still
// reported, marked waived; an expired or malformed waiver is itself reported.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "stackaudit/core/error.hpp"
#include "stackaudit/core/finding.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::rules {

struct Waiver {
    std::string rule;     // rule id (exact)
    std::string subject;  // subject key ("seat:salesforce:jane@x.example"), a finding id ("SA-..."),
                          // or a pattern with '*' wildcards ("seat:salesforce:*")
    std::string reason;
    std::string approver;  // email of who accepted the risk
    Date expires{};
    std::string file;
    std::size_t line = 0;
};

struct WaiverLoad {
    std::vector<Waiver> waivers;  // the valid ones
    std::vector<Error> errors;    // malformed entries (file:line, what, fix) — reported, not fatal
};

// YAML:
//   waivers:
//     - rule: capability-overlap
//       subject: "pair:looker|tableau"
//       reason: Tableau is being retired in Q1; both kept until the migration ends
//       approver: cio@northwind.example
//       expires: 2027-03-31
// Unknown keys, missing fields, an unknown rule id (did-you-mean against `known_rules`), a bad
// date are errors with file:line. Errors: io when the file cannot be read (a missing waivers
// file configured explicitly is an error; no file configured means no waivers).
[[nodiscard]] WaiverLoad load_waivers(const std::filesystem::path& file, const std::vector<std::string>& known_rules);

struct WaiverOutcome {
    std::vector<Error> expired;  // "waiver for capability-overlap pair:looker|tableau (waivers.yaml:12) expired on 2026-10-01"
    std::vector<Error> unused;   // waivers that matched no finding (informational)
};

// Marks matching findings waived (Finding::waived/waiver_*). An expired waiver (expires < as_of)
// does not apply and is reported in `expired`.
[[nodiscard]] WaiverOutcome apply_waivers(std::vector<Finding>& findings, const std::vector<Waiver>& waivers, Date as_of);

}  // namespace stackaudit::rules
