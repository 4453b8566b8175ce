// Tool figures, scorecard standings and report tables from the graph's tool and pair facts.
#include "nightly.hpp"

#include <algorithm>
#include <map>

#include "stackaudit/core/strings.hpp"

namespace stackaudit::cli {

RunExtras run_extras(const FactCatalog& catalog, const graph::SubjectSet& subjects, const std::vector<Finding>& findings,
                     double utilisation_floor) {
    const FrameReader tool(catalog, "tool");
    const FrameReader pair(catalog, "pair");

    // What the open (unwaived) findings say about each tool.
    std::map<std::string, double> money;           // lower tool name -> money at stake
    std::map<std::string, bool> in_overlap;        // lower tool name -> in an unresolved overlap
    std::map<std::string, std::vector<std::string>> ownership_problems;
    for (const auto& f : findings) {
        if (f.waived) continue;
        if (f.money_at_stake) money[to_lower(f.tool)] += *f.money_at_stake;
        if (f.rule_id == "capability-overlap" && f.subject_key.rfind("pair:", 0) == 0) {
            const auto body = f.subject_key.substr(5);
            const auto bar = body.find('|');
            if (bar != std::string::npos) {
                in_overlap[body.substr(0, bar)] = true;
                in_overlap[body.substr(bar + 1)] = true;
            }
        }
        if (f.category == "ownership" && f.subject_kind != "integration") {
            auto& list = ownership_problems[to_lower(f.tool)];
            if (std::find(list.begin(), list.end(), f.rule_title) == list.end()) list.push_back(f.rule_title);
        }
    }

    RunExtras out;
    for (const auto& subject : subjects.subjects) {
        if (subject.kind == "tool") {
            const auto& v = *subject.frames[0];
            if (!tool.flag(v, "in_catalog")) continue;
            const std::string name = tool.text(v, "name");
            const std::string lower = to_lower(name);
            const std::string department = tool.text(v, "owning_department");
            const bool seats = tool.flag(v, "has_seat_data");
            store::ToolFigures fig;
            fig.tool = name;
            fig.owning_department = department;
            if (seats) {
                fig.assigned_seats = tool.integer(v, "assigned_seats");
                fig.active_seats = tool.integer(v, "active_seats");
            }
            fig.purchased_seats = tool.integer(v, "contract_seats");
            fig.utilisation = tool.number(v, "utilisation");
            fig.annual_cost = tool.number(v, "annual_cost");
            out.figures.push_back(fig);

            report::ToolStanding standing;
            standing.tool = name;
            standing.department = department;
            standing.clear_owner = tool.integer(v, "active_business_owners").value_or(0) > 0 &&
                                   tool.integer(v, "active_technical_owners").value_or(0) > 0;
            standing.reviewed = tool.flag(v, "it_reviewed");
            if (fig.utilisation) standing.above_floor = *fig.utilisation >= utilisation_floor;
            standing.overlap_free = !in_overlap.contains(lower);
            if (const auto it = money.find(lower); it != money.end()) standing.money_at_stake = it->second;
            out.standings.push_back(standing);

            report::ToolUtilisation util;
            util.tool = name;
            util.department = department;
            util.assigned = fig.assigned_seats;
            util.active = seats ? fig.active_seats : tool.integer(v, "active_users");
            util.purchased = fig.purchased_seats;
            util.utilisation = fig.utilisation;
            util.annual_cost = fig.annual_cost;
            out.utilisation.push_back(util);

            report::OwnershipRow owner;
            owner.tool = name;
            owner.department = department;
            owner.business_owners = tool.strings(v, "business_owners");
            owner.technical_owners = tool.strings(v, "technical_owners");
            if (const auto it = ownership_problems.find(lower); it != ownership_problems.end())
                owner.problem = join(it->second, "; ");
            out.ownership.push_back(std::move(owner));
        } else if (subject.kind == "tool_pair") {
            const auto& p = *subject.frames[0];
            const auto shared = pair.integer(p, "shared_users").value_or(0);
            if (shared <= 0) continue;
            report::OverlapRow row;
            row.capability = join(pair.strings(p, "capabilities"), ", ");
            row.tool_a = tool.text(*subject.frames[1], "name");
            row.tool_b = tool.text(*subject.frames[2], "name");
            row.department_a = tool.text(*subject.frames[1], "owning_department");
            row.department_b = tool.text(*subject.frames[2], "owning_department");
            row.shared_users = shared;
            row.jaccard = pair.number(p, "jaccard");
            row.overlap_cost = pair.number(p, "overlap_cost");
            out.overlaps.push_back(std::move(row));
        }
    }
    std::stable_sort(out.overlaps.begin(), out.overlaps.end(),
                     [](const report::OverlapRow& a, const report::OverlapRow& b) { return a.shared_users > b.shared_users; });
    return out;
}

}  // namespace stackaudit::cli
