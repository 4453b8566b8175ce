// Writers for what an audit produces: findings CSV and JSON, the rejects CSV and the readable
// summary. Pure functions from data to text; the CLI writes them with write_file_atomic.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/finding.hpp"
#include "stackaudit/core/text.hpp"
#include "stackaudit/core/ingest.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::report {

inline constexpr int k_json_schema_version = 1;

struct AuditReport {
    std::string company;
    Timestamp as_of{};
    int window_days = 30;
    std::string tool_version;
    std::size_t people = 0;
    std::size_t tools = 0;
    std::size_t seats = 0;
    std::size_t usage_pairs = 0;
    std::vector<Finding> findings;  // sorted
    std::vector<SourceReport> sources;
    std::vector<RuleRun> rule_runs;
    std::vector<Error> rule_errors;
    std::size_t rejected_rows = 0;
    std::string rejects_file;  // where rejected rows were written, if collected

    // With run history: what changed since the previous recorded run.
    struct Changes {
        std::string previous_as_of;  // YYYY-MM-DD; "" when this is the first recorded run
        std::size_t new_findings = 0, reopened = 0, resolved = 0;
        std::vector<std::string> resolved_lines;  // "rule-id tool: message" of resolved findings
    };
    std::optional<Changes> changes;
    std::string scorecard_text;        // the alignment scorecard as rendered for the terminal
    std::vector<std::string> notices;  // e.g. expired or malformed waivers: worth reading, not partial data
};

// Columns (docs/outputs.md): finding_id, severity, rule_id, rule_title, category, tool,
// department, subject, owners, message, money_at_stake, evidence, remediation, as_of.
[[nodiscard]] std::string findings_csv(const AuditReport& report);
// The findings CSV's header and one finding's row (already spreadsheet-safe), for other
// commands that list findings in the same columns (e.g. `stackaudit findings`).
[[nodiscard]] const std::vector<std::string>& findings_csv_columns();
[[nodiscard]] std::vector<std::string> finding_csv_cells(const Finding& finding, const std::string& as_of);
[[nodiscard]] std::string findings_json(const AuditReport& report);
[[nodiscard]] std::string rejects_csv(const std::vector<RejectedRow>& rows);
// The readable summary: counts by severity and rule, money at stake, the top findings, and
// the coverage of the inputs (sources read, rows rejected, rules not evaluated) — loudly when
// anything is missing, so partial data never reads as "no findings".
[[nodiscard]] std::string summary_text(const AuditReport& report, std::size_t top_n = 10);

// What the run could not see, one line each ("source okta_log failed: ...", "rule idle-seat
// not evaluated: ...", "3 rows rejected in catalog"); empty when the inputs were complete.
// The summary's warning block and the JSON's inputs.gaps are built from it, and the CLI can
// use it to decide an exit code.
[[nodiscard]] std::vector<std::string> coverage_gaps(const AuditReport& report);

// Money as written to the CSV and JSON, and the spreadsheet formula guard (core/text.hpp).
using stackaudit::format_money;
using stackaudit::spreadsheet_safe;

}  // namespace stackaudit::report
