// What a recorded (nightly) run adds to an audit: each tool's figures for the history, the
// scorecard standings, and the tables of the HTML report, all read from the graph's facts.
#pragma once

#include <vector>

#include "stackaudit/core/facts.hpp"
#include "stackaudit/core/finding.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/report/html.hpp"
#include "stackaudit/report/scorecard.hpp"
#include "stackaudit/store/store.hpp"

namespace stackaudit::cli {

struct RunExtras {
    std::vector<store::ToolFigures> figures;        // every catalog tool
    std::vector<report::ToolStanding> standings;    // every catalog tool
    std::vector<report::ToolUtilisation> utilisation;
    std::vector<report::OverlapRow> overlaps;       // tool pairs with shared active users
    std::vector<report::OwnershipRow> ownership;
};

// `findings` must already carry their waivers: waived findings neither break a tool's
// "no unresolved overlap" nor count in its money at stake.
[[nodiscard]] RunExtras run_extras(const FactCatalog& catalog, const graph::SubjectSet& subjects,
                                   const std::vector<Finding>& findings, double utilisation_floor);

}  // namespace stackaudit::cli
