// The self-contained HTML report: one file, inline CSS and SVG charts, no scripts fetched, no
// network; works offline and from email attachments. Every value is HTML-escaped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stackaudit/report/report.hpp"
#include "stackaudit/report/scorecard.hpp"

namespace stackaudit::report {

struct ToolUtilisation {
    std::string tool;
    std::string department;
    std::optional<std::int64_t> assigned, active, purchased;
    std::optional<double> utilisation;  // 0..1
    std::optional<double> annual_cost;
};

struct OverlapRow {
    std::string capability;
    std::string tool_a, tool_b, department_a, department_b;
    std::int64_t shared_users = 0;
    std::optional<double> jaccard, overlap_cost;
};

struct OwnershipRow {
    std::string tool, department;
    std::vector<std::string> business_owners, technical_owners;
    std::string problem;  // "" when ownership is clear, else e.g. "owner left", "no technical owner"
};

struct RunPoint {  // one earlier run for the trend chart
    std::string as_of;
    std::size_t findings = 0;
    double money_at_stake = 0;
    std::optional<double> company_score;
};

struct HtmlInput {
    AuditReport report;                 // findings carry state/age/waiver fields when history exists
    Scorecard scorecard;
    std::vector<ScoreTrend> score_trends;
    std::vector<ToolUtilisation> utilisation;
    std::vector<OverlapRow> overlaps;
    std::vector<OwnershipRow> ownership;
    std::vector<RunPoint> trend;        // oldest first, this run last
    std::size_t resolved_since_last = 0;
    double utilisation_floor = 0.5;     // drawn as a line on the utilisation chart (scorecard.utilisation_floor)
};

// Headline figures (money at stake, idle seats, tools without clear owners), charts (utilisation
// per tool, findings by department and by rule, trend over the last runs), the overlap and
// ownership tables, and every finding with its evidence, state, age and waiver.
[[nodiscard]] std::string html_report(const HtmlInput& input);

// Escapes &, <, >, ", ' for HTML text and attribute values.
[[nodiscard]] std::string html_escape(std::string_view text);

}  // namespace stackaudit::report
