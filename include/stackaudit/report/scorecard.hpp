// The alignment scorecard: a 0-100 score per department and for the company, from four equally
// weighted shares of tools (docs/scorecard.md explains every step).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stackaudit/core/error.hpp"

namespace stackaudit::report {

// One catalog tool's standing, computed by the CLI from the graph's tool facts and the findings.
struct ToolStanding {
    std::string tool;
    std::string department;        // owning department ("" = unassigned, counted under "(unassigned)")
    bool clear_owner = false;      // an active business AND an active technical owner
    bool reviewed = false;         // IT review approved
    std::optional<bool> above_floor;  // utilisation >= floor; nullopt when utilisation is unknown
    bool overlap_free = true;      // no open (unwaived) capability-overlap finding involves it
    double money_at_stake = 0;     // sum of its open, unwaived findings' money
};

struct ScoreComponent {
    std::string name;      // "clear ownership", "IT reviewed", "above utilisation floor", "no unresolved overlap"
    std::size_t good = 0;  // tools meeting it
    std::size_t counted = 0;  // tools it could be judged on (utilisation unknown -> not counted)
    std::optional<double> share;  // good / counted; nullopt when counted == 0
};

struct DepartmentScore {
    std::string department;  // "Company" for the whole company
    std::size_t tools = 0;
    double score = 0;        // 100 * mean of the components' shares that exist
    std::vector<ScoreComponent> components;
    double money_at_stake = 0;
};

struct Scorecard {
    DepartmentScore company;
    std::vector<DepartmentScore> departments;  // sorted by score ascending (worst first), then name
};

[[nodiscard]] Scorecard compute_scorecard(const std::vector<ToolStanding>& tools);

// Text table for `stackaudit scorecard` and the summary; trend lines optional.
struct ScoreTrend {
    std::string department;
    std::vector<std::pair<std::string, double>> points;  // (as_of date, score), oldest first
};
[[nodiscard]] std::string scorecard_text(const Scorecard& card, const std::vector<ScoreTrend>& trends = {});
[[nodiscard]] std::string scorecard_json(const Scorecard& card, const std::vector<ScoreTrend>& trends = {});
// The breakdown of one department as compact JSON, stored per run by the history.
[[nodiscard]] std::string department_breakdown_json(const DepartmentScore& score);
// Reads department_breakdown_json back (for `stackaudit scorecard` and the HTML report's
// history). Errors: json_malformed when the text is not such a breakdown.
[[nodiscard]] Result<DepartmentScore> parse_department_breakdown(std::string_view json);

}  // namespace stackaudit::report
