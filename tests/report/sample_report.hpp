// AuditReports built in code for the report tests: a complete run with findings of every
// severity and awkward text (commas, quotes, newlines, a formula-looking tool name, non-ASCII
// names), the same run with partial inputs, and a clean run with no findings.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "stackaudit/core/finding.hpp"
#include "stackaudit/core/ingest.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::test {

// Replaced by {{VERSION}} before golden files are compared.
inline constexpr const char* k_test_version = "9.9.9-golden+test";

inline Finding make_finding(std::string rule_id, std::string rule_title, std::string category, Severity severity,
                            std::string subject_kind, std::string subject_key, std::string tool,
                            std::string department, std::vector<std::string> owners, std::string message,
                            std::vector<std::pair<std::string, std::string>> evidence,
                            std::optional<double> money, std::string remediation) {
    Finding f;
    f.id = stable_finding_id(rule_id, subject_key);
    f.rule_id = std::move(rule_id);
    f.rule_title = std::move(rule_title);
    f.category = std::move(category);
    f.severity = severity;
    f.subject_kind = std::move(subject_kind);
    f.subject_key = std::move(subject_key);
    f.tool = std::move(tool);
    f.department = std::move(department);
    f.owners = std::move(owners);
    f.message = std::move(message);
    f.evidence = std::move(evidence);
    f.money_at_stake = money;
    f.remediation = std::move(remediation);
    return f;
}

inline RuleRun make_run(std::string id, std::string title, Severity severity, std::size_t subjects,
                        std::size_t fired) {
    RuleRun run;
    run.rule_id = std::move(id);
    run.title = std::move(title);
    run.severity = severity;
    run.subjects = subjects;
    run.fired = fired;
    return run;
}

inline SourceReport make_source(std::string name, std::string kind, std::string path, std::size_t records,
                                std::size_t ignored = 0) {
    SourceReport s;
    s.name = std::move(name);
    s.kind = std::move(kind);
    s.path = std::move(path);
    s.records = records;
    s.ignored = ignored;
    return s;
}

// Every severity, every awkward character; inputs complete.
inline report::AuditReport complete_report() {
    using namespace std::chrono;
    report::AuditReport r;
    r.company = "Northwind Traders \xE2\x80\x94 EMEA";
    r.as_of = sys_days{2026y / March / 1} + hours{6} + minutes{30};
    r.window_days = 30;
    r.tool_version = k_test_version;
    r.people = 120;
    r.tools = 14;
    r.seats = 342;
    r.usage_pairs = 517;
    r.sources = {
        make_source("directory", "directory", "data/directory.csv", 120),
        make_source("catalog", "catalog", "data/catalog.csv", 14),
        make_source("integrations", "integrations", "data/integrations.csv", 9),
        make_source("seats:Salesforce", "seats", "data/seats/salesforce.csv", 210),
        make_source("seats:HubSpot", "seats", "data/seats/hubspot.csv", 132),
        make_source("okta_log", "okta_log", "data/okta/system-log.json", 4812, 1390),
    };
    r.findings = {
        make_finding("seat-held-by-leaver", "Seats held by people who have left", "use", Severity::critical, "seat",
                     "tool:Salesforce", "Salesforce", "Sales",
                     {"zo\xC3\xAB.m\xC3\xBCller@northwind.example", "it-apps@northwind.example"},
                     "3 Salesforce seats are held by people who left, the earliest on 2025-11-03",
                     {{"leavers", "3"}, {"cost_per_seat", "1800"}, {"earliest_termination", "2025-11-03"}}, 5400.0,
                     "Reclaim the seats and remove the accounts in Salesforce"),
        make_finding("duplicate-capability", "Same capability bought twice", "use", Severity::high, "tool_pair",
                     "tool_pair:Looker|Tableau", "Looker + Tableau", "Marketing",
                     {"cmo-office@northwind.example", "bi-team@northwind.example"},
                     "Looker and Tableau both do \"BI, dashboards\"; 14 people use both",
                     {{"capability", "bi, dashboards"}, {"shared_users", "14"}}, 42000.5,
                     "Agree one BI tool between marketing and IT before the Tableau renewal"),
        make_finding("marketing-customer-data-no-review", "Customer data without IT review", "ownership",
                     Severity::high, "tool", "tool:=HYPERLINK(\"http://evil.example\",\"click\")",
                     "=HYPERLINK(\"http://evil.example\",\"click\")", "Marketing", {"growth@northwind.example"},
                     "Receives contacts from HubSpot.\nNo IT or security review is recorded.",
                     {{"it_review", "none"}, {"data_in", "contacts; leads"}}, std::nullopt,
                     "Ask IT security to review the tool, or stop the HubSpot feed"),
        make_finding("idle-seat", "Paid seats with no use", "use", Severity::medium, "seat",
                     "seat:HubSpot:jos\xC3\xA9.garc\xC3\xAD" "a@northwind.example", "HubSpot", "Marketing", {},
                     "jos\xC3\xA9.garc\xC3\xAD" "a@northwind.example has not used HubSpot in 30 days",
                     {{"last_seen", "2025-12-24"}, {"days_idle", "67"}}, 1234.567,
                     "Reclaim the seat or confirm it is needed"),
        make_finding("owner-outside-department", "Owner outside the using department", "ownership", Severity::low,
                     "tool", "tool:Figma", "Figma", "Design", {"\xE5\xB1\xB1\xE7\x94\xB0@northwind.example"},
                     "-owner sits in Design, 80% of use is in Marketing",
                     {{"owner_department", "Design"}, {"top_user_department", "Marketing"}}, -12.5,
                     "+ agree an owner in Marketing"),
        make_finding("shadow-it", "App in use but not in the catalog", "use", Severity::info, "app",
                     "app:0oa1b2c3d4", "@mention-bot", "", {},
                     "27 sign-ins to an app not in the catalog: \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x83\x84\xE3\x83\xBC\xE3\x83\xAB",
                     {{"events", "27"}, {"users", "4"}}, 0.0, "Add it to the catalog with an owner, or block it"),
    };
    r.rule_runs = {
        make_run("seat-held-by-leaver", "Seats held by people who have left", Severity::critical, 342, 1),
        make_run("duplicate-capability", "Same capability bought twice", Severity::high, 91, 1),
        make_run("marketing-customer-data-no-review", "Customer data without IT review", Severity::high, 14, 1),
        make_run("idle-seat", "Paid seats with no use", Severity::medium, 342, 1),
        make_run("owner-outside-department", "Owner outside the using department", Severity::low, 14, 1),
        make_run("shadow-it", "App in use but not in the catalog", Severity::info, 22, 1),
        make_run("renewal-low-utilisation", "Renewal due on a little-used tool", Severity::medium, 14, 0),
    };
    return r;
}

// The same run with the usage log missing, two catalog rows rejected and the rules that need
// usage skipped: the report must say loudly that it is incomplete.
inline report::AuditReport partial_report() {
    report::AuditReport r = complete_report();
    r.usage_pairs = 0;
    for (SourceReport& s : r.sources) {
        if (s.name == "okta_log") {
            s.ok = false;
            s.records = 0;
            s.ignored = 0;
            s.errors.push_back(Error{ErrorCode::source_failed,
                                     "cannot open the file: No such file or directory",
                                     Location{"okta_log", "data/okta/system-log.json", 0, 0, 0, ""},
                                     "check sources.okta_log.path in stackaudit.yaml"});
        }
        if (s.name == "catalog") {
            s.records = 12;
            s.rejected = 2;
            s.errors.push_back(Error{ErrorCode::csv_malformed, "line 7 has 9 fields, the header has 12",
                                     Location{"catalog", "data/catalog.csv", 7, 0, 0, ""},
                                     "quote fields that contain commas"});
        }
    }
    r.rejected_rows = 2;
    r.rejects_file = "out/rejects.csv";
    std::erase_if(r.findings, [](const Finding& f) { return f.rule_id == "idle-seat" || f.rule_id == "shadow-it"; });
    for (RuleRun& run : r.rule_runs) {
        if (run.rule_id == "idle-seat" || run.rule_id == "shadow-it") {
            run.evaluated = false;
            run.not_evaluated_because = "source okta_log failed";
            run.subjects = 0;
            run.fired = 0;
        }
    }
    return r;
}

// A clean run: all inputs read, every rule evaluated, nothing fired.
inline report::AuditReport empty_report() {
    report::AuditReport r = complete_report();
    r.findings.clear();
    for (RuleRun& run : r.rule_runs) run.fired = 0;
    return r;
}

inline std::vector<RejectedRow> sample_rejects() {
    return {
        {"catalog", "data/catalog.csv", 7, "line 7 has 9 fields, the header has 12",
         "Looker,Google,looker,bi,Marketing,Marketing,a@x.example"},
        {"catalog", "data/catalog.csv", 19, "invalid renewal_date \"31/02/2026\"",
         "=cmd|' /C calc'!A0,Evil Corp,,,,,,,,,,31/02/2026"},
        {"seats:HubSpot", "data/seats/hubspot.csv", 0, "unterminated quote",
         "\"Jane, \"\"JD\"\" Doe\nstill open"},
    };
}

}  // namespace stackaudit::test
