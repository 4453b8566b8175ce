// What a run could not see: failed sources, rejected rows, rules skipped or failing. One list
// feeds the summary's warning block, the JSON's inputs.gaps and coverage_gaps(), so the three
// can never disagree about whether the data was complete.
#include <cstddef>
#include <string>
#include <vector>

#include "detail.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::report::detail {

namespace {

constexpr std::size_t k_max_rule_errors_listed = 5;

std::string rows(std::size_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

}  // namespace

std::string error_one_line(const Error& error) {
    std::string out;
    if (!error.where.file.empty()) {
        out += error.where.file;
        if (error.where.line > 0) out += ":" + std::to_string(error.where.line);
        out += ": ";
    }
    out += error.message;
    return out;
}

std::vector<Gap> gaps(const AuditReport& report) {
    std::vector<Gap> out;
    if (report.sources.empty()) {
        out.push_back({"no input sources were read", "check the sources configured in stackaudit.yaml"});
    }
    // Failed sources first: a whole missing input hides more than a few rejected rows.
    for (const SourceReport& source : report.sources) {
        if (source.ok) continue;
        Gap gap{"source " + source.name + " (" + source.kind + ") failed; none of its data was used", {}};
        if (!source.errors.empty()) {
            gap.text += ": " + error_one_line(source.errors.front());
            gap.hint = source.errors.front().hint;
        }
        out.push_back(std::move(gap));
    }
    // Stale snapshots: the data is there, but older than the schedule promised.
    for (const SourceReport& source : report.sources) {
        if (!source.ok || !source.stale) continue;
        std::string text = "source " + source.name + " is stale: its data was fetched at " + source.fetched_at;
        if (!source.stale_reason.empty()) text += "; " + source.stale_reason;
        out.push_back({std::move(text), "fix the failure and run `stackaudit pull` (or `audit --pull`) again"});
    }
    std::size_t rejected_by_sources = 0;
    for (const SourceReport& source : report.sources) {
        rejected_by_sources += source.rejected;
        if (source.rejected == 0) continue;
        Gap gap{"source " + source.name + ": " + rows(source.rejected) + " rejected; their data is missing", {}};
        if (!report.rejects_file.empty()) {
            gap.hint = "the rejected rows are listed in " + report.rejects_file;
        } else {
            gap.hint = "run with --on-bad-row collect to write them to a rejects file";
        }
        out.push_back(std::move(gap));
    }
    if (report.rejected_rows > rejected_by_sources) {
        out.push_back({rows(report.rejected_rows - rejected_by_sources) + " rejected outside the listed sources", {}});
    }
    if (report.rule_runs.empty()) {
        out.push_back({"no rules were evaluated", "check the rules directory the run was given"});
    }
    for (const RuleRun& run : report.rule_runs) {
        if (!run.evaluated) {
            std::string text = "rule " + run.rule_id + " (" + run.title + ") was not evaluated";
            if (!run.not_evaluated_because.empty()) text += ": " + run.not_evaluated_because;
            out.push_back({std::move(text), {}});
        } else if (run.errors > 0) {
            out.push_back({"rule " + run.rule_id + ": evaluation failed on " + std::to_string(run.errors) + " of " +
                               std::to_string(run.subjects) + " subjects",
                           {}});
        }
    }
    for (std::size_t i = 0; i < report.rule_errors.size() && i < k_max_rule_errors_listed; ++i) {
        const Error& error = report.rule_errors[i];
        std::string text = "rule error";
        if (!error.where.source.empty()) text += " (" + error.where.source + ")";
        out.push_back({text + ": " + error_one_line(error), error.hint});
    }
    if (report.rule_errors.size() > k_max_rule_errors_listed) {
        out.push_back({"... and " + std::to_string(report.rule_errors.size() - k_max_rule_errors_listed) +
                           " more rule errors",
                       {}});
    }
    return out;
}

}  // namespace stackaudit::report::detail

namespace stackaudit::report {

std::vector<std::string> coverage_gaps(const AuditReport& report) {
    std::vector<std::string> out;
    for (detail::Gap& gap : detail::gaps(report)) out.push_back(std::move(gap.text));
    return out;
}

}  // namespace stackaudit::report
