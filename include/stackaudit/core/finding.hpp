// A finding: one rule firing on one subject, with everything a reader needs to act on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stackaudit/core/error.hpp"

namespace stackaudit {

enum class Severity { info, low, medium, high, critical };
[[nodiscard]] Result<Severity> parse_severity(std::string_view text);  // case-insensitive
[[nodiscard]] std::string_view to_string(Severity s) noexcept;         // "info" .. "critical"

struct Finding {
    std::string id;             // stable: stable_finding_id(rule_id, subject_key)
    std::string rule_id;
    std::string rule_title;
    std::string category;       // "use" | "ownership"
    Severity severity = Severity::medium;
    std::string subject_kind;
    std::string subject_key;
    std::string tool;
    std::string department;
    std::vector<std::string> owners;
    std::string message;
    std::vector<std::pair<std::string, std::string>> evidence;  // fact name -> display value
    std::optional<double> money_at_stake;                       // estimated annual, currency of the catalog
    std::string remediation;

    // Lifecycle across runs, filled from the run history (store module); empty without one.
    std::string state;       // "new" | "open" | "reopened" (resolved findings are not in a run's list)
    std::string first_seen;  // YYYY-MM-DD of the first run that reported it
    std::optional<std::int64_t> age_days;  // as_of - first_seen
    // Waiver (rules/waivers): a waived finding is still reported, marked as waived.
    bool waived = false;
    std::string waiver_reason;
    std::string waiver_approver;
    std::string waiver_expires;  // YYYY-MM-DD
};

// "SA-" + 12 hex digits of a 64-bit FNV-1a hash of "rule_id|subject_key". The same problem
// gets the same id in every run and on every machine.
[[nodiscard]] std::string stable_finding_id(std::string_view rule_id, std::string_view subject_key);

// Orders findings for output: severity descending, then rule id, then subject key.
void sort_findings(std::vector<Finding>& findings);

}  // namespace stackaudit

namespace stackaudit {

// How one rule fared in a run, for the summary's coverage section.
struct RuleRun {
    std::string rule_id;
    std::string title;
    Severity severity = Severity::medium;
    bool evaluated = true;       // false: skipped because an input it requires is missing
    std::string not_evaluated_because;  // e.g. "source okta_log failed"
    std::size_t subjects = 0;    // subjects examined
    std::size_t fired = 0;       // findings produced
    std::size_t errors = 0;      // subjects on which evaluation failed
};

}  // namespace stackaudit
