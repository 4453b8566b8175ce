// The findings CSV (the spreadsheet for the CMO, CIO and renewal meetings) and the rejects CSV.
// RFC 4180 via core's csv_line, CRLF line ends, and every text cell guarded against formula
// injection because these files are opened in spreadsheets by people who did not write them.
#include <string>
#include <vector>

#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::report {

namespace {

const std::vector<std::string> k_findings_columns = {
    "finding_id", "severity",       "rule_id",  "rule_title",  "category", "tool",  "department",
    "subject",    "owners",         "message",  "money_at_stake", "evidence", "remediation", "as_of",
    // Lifecycle and waivers (appended in schema 1.1; empty without run history or waivers).
    "state", "first_seen", "age_days", "waived", "waiver_reason", "waiver_approver", "waiver_expires",
};

const std::vector<std::string> k_rejects_columns = {"source", "file", "line", "reason", "raw"};

std::string evidence_cell(const Finding& finding) {
    std::string out;
    for (const auto& [name, value] : finding.evidence) {
        if (!out.empty()) out += "; ";
        out += name;
        out += '=';
        out += value;
    }
    return out;
}

}  // namespace

const std::vector<std::string>& findings_csv_columns() { return k_findings_columns; }

std::vector<std::string> finding_csv_cells(const Finding& f, const std::string& as_of) {
    return {
        spreadsheet_safe(f.id),
        spreadsheet_safe(to_string(f.severity)),
        spreadsheet_safe(f.rule_id),
        spreadsheet_safe(f.rule_title),
        spreadsheet_safe(f.category),
        spreadsheet_safe(f.tool),
        spreadsheet_safe(f.department),
        spreadsheet_safe(f.subject_key),
        spreadsheet_safe(join(f.owners, "; ")),
        spreadsheet_safe(f.message),
        // A number we formatted ourselves: a negative amount must stay a number.
        f.money_at_stake ? format_money(*f.money_at_stake) : std::string(),
        spreadsheet_safe(evidence_cell(f)),
        spreadsheet_safe(f.remediation),
        as_of,
        spreadsheet_safe(f.state),
        f.first_seen,
        f.age_days ? std::to_string(*f.age_days) : std::string(),
        f.waived ? "true" : "false",
        spreadsheet_safe(f.waiver_reason),
        spreadsheet_safe(f.waiver_approver),
        f.waiver_expires,
    };
}

std::string findings_csv(const AuditReport& report) {
    std::string out = csv_line(k_findings_columns);
    const std::string as_of = format_date(to_date(report.as_of));
    for (const Finding& f : report.findings) out += csv_line(finding_csv_cells(f, as_of));
    return out;
}

std::string rejects_csv(const std::vector<RejectedRow>& rows) {
    std::string out = csv_line(k_rejects_columns);
    for (const RejectedRow& row : rows) {
        out += csv_line({
            spreadsheet_safe(row.source),
            spreadsheet_safe(row.file),
            row.line > 0 ? std::to_string(row.line) : std::string(),
            spreadsheet_safe(row.reason),
            spreadsheet_safe(row.raw),
        });
    }
    return out;
}

}  // namespace stackaudit::report
