// The readable summary printed at the end of a run. Input coverage comes first and a missing
// source, a rejected row or a skipped rule raises a loud warning block, because an auditor
// that quietly reads half its data would report "no findings" exactly when it should not.
// Everything that came from input files passes through terminal_safe() before printing.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "detail.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::report {

namespace {

using detail::fit;
using detail::pad_left;
using detail::pad_right;
using detail::terminal_safe;

constexpr std::size_t k_width = 100;
constexpr std::array k_severities_descending = {Severity::critical, Severity::high, Severity::medium, Severity::low,
                                                 Severity::info};

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

void header(std::string& out, const AuditReport& report) {
    out += "stackaudit summary: " + terminal_safe(report.company.empty() ? "(company not set)" : report.company) + "\n";
    out += "As of " + format_date(to_date(report.as_of)) + " (UTC), usage window " +
           plural(static_cast<std::size_t>(std::max(report.window_days, 0)), "day", "days") + ", stackaudit " +
           terminal_safe(report.tool_version) + "\n";
    out += std::string(k_width, '=') + "\n";
}

void coverage(std::string& out, const AuditReport& report) {
    out += "\nINPUT COVERAGE\n";
    out += "  " + pad_right("source", 28) + " " + pad_right("kind", 12) + " " + pad_left("records", 9) + " " +
           pad_left("rejected", 9) + " " + pad_left("ignored", 9) + "  status\n";
    for (const SourceReport& source : report.sources) {
        std::string status = "ok";
        if (!source.ok) {
            status = "FAILED";
        } else if (source.stale) {
            status = "STALE";
        } else if (source.rejected > 0) {
            status = "PARTIAL";
        }
        out += "  " + pad_right(fit(terminal_safe(source.name), 28), 28) + " " +
               pad_right(fit(terminal_safe(source.kind), 12), 12) + " " + pad_left(std::to_string(source.records), 9) +
               " " + pad_left(std::to_string(source.rejected), 9) + " " + pad_left(std::to_string(source.ignored), 9) +
               "  " + status + "\n";
    }
    if (report.sources.empty()) out += "  (no sources)\n";
    out += "  Read " + plural(report.people, "person", "people") + ", " + plural(report.tools, "tool", "tools") + ", " +
           plural(report.seats, "seat", "seats") + ", " +
           plural(report.usage_pairs, "person-app usage pair", "person-app usage pairs") + ".\n";
    const auto not_evaluated = static_cast<std::size_t>(
        std::count_if(report.rule_runs.begin(), report.rule_runs.end(), [](const RuleRun& r) { return !r.evaluated; }));
    out += "  Rules: " + std::to_string(report.rule_runs.size() - not_evaluated) + " evaluated, " +
           std::to_string(not_evaluated) + " not evaluated.\n";
    if (report.rejected_rows > 0) {
        out += "  Rejected rows: " + std::to_string(report.rejected_rows);
        if (!report.rejects_file.empty()) out += " (listed in " + terminal_safe(report.rejects_file) + ")";
        out += ".\n";
    }
}

void warning_block(std::string& out, const std::vector<detail::Gap>& gaps) {
    const std::string bar(k_width, '!');
    out += "\n" + bar + "\n";
    out += "WARNING: partial data \xE2\x80\x94 these findings are incomplete: stackaudit could not see everything.\n";
    for (const detail::Gap& gap : gaps) {
        out += detail::wrap(terminal_safe(gap.text), k_width, "  - ", "    ");
        if (!gap.hint.empty()) out += detail::wrap("hint: " + terminal_safe(gap.hint), k_width, "      ", "        ");
    }
    out += detail::wrap("A finding that depends on what is missing cannot appear below: no finding there does not "
                        "mean no problem.",
                        k_width, "", "");
    out += bar + "\n";
}

void by_severity(std::string& out, const AuditReport& report) {
    std::array<std::size_t, 5> counts{};
    std::size_t waived = 0;
    for (const Finding& f : report.findings) {
        if (f.waived) ++waived;
        else ++counts[static_cast<std::size_t>(f.severity)];
    }
    out += "\nFINDINGS BY SEVERITY\n";
    for (Severity s : k_severities_descending) {
        out += "  " + pad_right(to_string(s), 10) + pad_left(std::to_string(counts[static_cast<std::size_t>(s)]), 6) +
               "\n";
    }
    if (waived > 0) out += "  " + pad_right("waived", 10) + pad_left(std::to_string(waived), 6) + "  (accepted; not counted above)\n";
    out += "  " + pad_right("total", 10) + pad_left(std::to_string(report.findings.size()), 6) + "\n";

    double money = 0.0;
    std::size_t without = 0;
    for (const Finding& f : report.findings) {
        if (f.waived) continue;
        if (f.money_at_stake && std::isfinite(*f.money_at_stake)) {
            money += *f.money_at_stake;
        } else {
            ++without;
        }
    }
    std::string line = "Money at stake: " + detail::format_money_readable(money) +
                       " a year (catalog currency";
    if (without > 0) line += "; " + plural(without, "finding has", "findings have") + " no estimate";
    line += ").";
    out += "\n" + detail::wrap(line, k_width, "", "  ");
}

struct RuleLine {
    std::string rule_id;
    std::string title;
    Severity severity = Severity::info;
    std::size_t findings = 0;
    double money = 0.0;
    bool has_money = false;
};

void by_rule(std::string& out, const AuditReport& report) {
    std::map<std::string, RuleLine> lines;
    for (const Finding& f : report.findings) {
        RuleLine& line = lines[f.rule_id];
        if (line.findings == 0) {
            line.rule_id = f.rule_id;
            line.title = f.rule_title;
            line.severity = f.severity;
        }
        line.severity = std::max(line.severity, f.severity);
        ++line.findings;
        if (f.money_at_stake && std::isfinite(*f.money_at_stake)) {
            line.money += *f.money_at_stake;
            line.has_money = true;
        }
    }
    std::vector<RuleLine> sorted;
    for (auto& [id, line] : lines) sorted.push_back(std::move(line));
    std::stable_sort(sorted.begin(), sorted.end(), [](const RuleLine& a, const RuleLine& b) {
        if (a.severity != b.severity) return a.severity > b.severity;
        return a.findings > b.findings;
    });
    out += "\nFINDINGS BY RULE\n";
    out += "  " + pad_right("rule", 56) + pad_right("severity", 10) + pad_left("findings", 9) +
           pad_left("money/year", 15) + "\n";
    for (const RuleLine& line : sorted) {
        std::string label = terminal_safe(line.rule_id);
        if (!line.title.empty()) label += "  " + terminal_safe(line.title);
        out += "  " + pad_right(fit(label, 54), 56) + pad_right(to_string(line.severity), 10) +
               pad_left(std::to_string(line.findings), 9) +
               pad_left(line.has_money ? detail::format_money_readable(line.money) : "-", 15) + "\n";
    }
    std::size_t quiet = 0;
    for (const RuleRun& run : report.rule_runs) {
        if (run.evaluated && !lines.contains(run.rule_id)) ++quiet;
    }
    if (quiet > 0) {
        out += "  " + plural(quiet, "other rule was", "other rules were") + " evaluated and found nothing.\n";
    }
}

void top_findings(std::string& out, const AuditReport& report, std::size_t top_n) {
    const std::size_t shown = std::min(top_n, report.findings.size());
    if (shown == 0) return;
    out += "\nTOP " + std::to_string(shown) + " OF " + plural(report.findings.size(), "FINDING", "FINDINGS") + "\n";
    for (std::size_t i = 0; i < shown; ++i) {
        const Finding& f = report.findings[i];
        const std::string rank = pad_left(std::to_string(i + 1), 3) + ". ";
        const std::string what = terminal_safe(f.tool.empty() ? f.subject_key : f.tool);
        std::string money;
        if (f.money_at_stake && std::isfinite(*f.money_at_stake)) {
            money = detail::format_money_readable(*f.money_at_stake) + " a year";
        }
        // rank (5) + severity (10) + subject + money, within the line width
        const std::size_t money_width = money.empty() ? 0 : money.size() + 2;
        const std::size_t subject_width = k_width - 2 - 5 - 10 - money_width;
        std::string line = "  " + rank + pad_right(upper(to_string(f.severity)), 10);
        if (money.empty()) {
            line += fit(what, subject_width);
        } else {
            line += pad_right(fit(what, subject_width), subject_width) + "  " + money;
        }
        out += line + "\n";
        out += detail::wrap(terminal_safe(f.message), k_width, "       ", "       ");
        std::string owners = f.owners.empty() ? std::string("none recorded") : terminal_safe(join(f.owners, ", "));
        out += detail::wrap("owners: " + owners, k_width, "       ", "         ");
        out += "       id " + f.id + ", rule " + terminal_safe(f.rule_id) + "\n";
    }
    if (report.findings.size() > shown) {
        out += "  ... and " + std::to_string(report.findings.size() - shown) +
               " more in the findings CSV and JSON.\n";
    }
}

void changes_since_last_run(std::string& out, const AuditReport& report) {
    if (!report.changes) return;
    const auto& c = *report.changes;
    out += "\nSINCE THE LAST RUN";
    if (c.previous_as_of.empty()) {
        out += "\n  This is the first recorded run: every finding is new.\n";
        return;
    }
    out += " (" + c.previous_as_of + ")\n";
    out += "  " + std::to_string(c.new_findings) + " new, " + std::to_string(c.reopened) + " reopened, " +
           std::to_string(c.resolved) + " resolved\n";
    for (const auto& line : c.resolved_lines) out += detail::wrap("resolved: " + terminal_safe(line), k_width, "  ", "    ");
}

void scorecard(std::string& out, const AuditReport& report) {
    if (report.scorecard_text.empty()) return;
    out += "\n" + report.scorecard_text;  // it carries its own heading
}

void notices(std::string& out, const AuditReport& report) {
    if (report.notices.empty()) return;
    out += "\nNOTICES\n";
    for (const auto& n : report.notices) out += detail::wrap(terminal_safe(n), k_width, "  - ", "    ");
}

}  // namespace

std::string summary_text(const AuditReport& report, std::size_t top_n) {
    std::string out;
    header(out, report);
    coverage(out, report);
    const std::vector<detail::Gap> gaps = detail::gaps(report);
    if (!gaps.empty()) warning_block(out, gaps);

    if (report.findings.empty()) {
        out += "\nFINDINGS\n";
        if (gaps.empty()) {
            out += detail::wrap("No findings: every source was read in full, every rule was evaluated, and none fired.",
                                k_width, "  ", "  ");
        } else {
            out += detail::wrap("No findings in the data that could be read. The inputs were incomplete (see the "
                                "WARNING above), so this is not a clean result.",
                                k_width, "  ", "  ");
        }
    } else {
        by_severity(out, report);
        changes_since_last_run(out, report);
        by_rule(out, report);
        top_findings(out, report, top_n);
    }
    scorecard(out, report);
    notices(out, report);
    if (!gaps.empty()) {
        out += "\nPartial data: see the WARNING under INPUT COVERAGE before acting on these results.\n";
    }
    return out;
}

}  // namespace stackaudit::report
