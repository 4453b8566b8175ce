// Reading the history back: the runs, the latest findings with their lifecycle (and resolved
// ones), a tool's figures over time, decision latency per owner and department, score trends.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "impl.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::store {

namespace {

using detail::Database;
using detail::Statement;

Result<std::optional<std::int64_t>> latest_run_id(Database& db) {
    auto stmt = db.prepare("SELECT max(id) FROM runs");
    if (!stmt) return std::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<std::int64_t>{};
    return stmt->opt_integer(0);
}

Result<std::vector<Finding>> findings_of_run(Database& db, const std::string& path, std::int64_t run_id) {
    auto stmt = db.prepare(std::string("SELECT ") + detail::k_finding_columns + " FROM findings f WHERE f.run_id = ?1");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(1, run_id);
    std::vector<Finding> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto f = detail::finding_from_row(*stmt, path);
        if (!f) return std::unexpected(f.error());
        out.push_back(std::move(*f));
    }
    sort_findings(out);
    return out;
}

// Findings not reported by the latest run, as last reported, with the date they went away.
Result<std::vector<FindingRow>> resolved_findings(Database& db, const std::string& path, std::int64_t latest) {
    auto stmt = db.prepare(std::string("SELECT ") + detail::k_finding_columns +
                           ", res.resolved_on FROM finding_index i "
                           "JOIN findings f ON f.run_id = i.last_seen_run AND f.finding_id = i.finding_id "
                           "JOIN resolutions res ON res.finding_id = i.finding_id AND res.last_run_id = i.last_seen_run "
                           "WHERE i.last_seen_run < ?1");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(1, latest);
    std::vector<FindingRow> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto f = detail::finding_from_row(*stmt, path);
        if (!f) return std::unexpected(f.error());
        FindingRow r;
        r.resolved_on = stmt->text(detail::k_finding_column_count);
        r.finding = std::move(*f);
        r.finding.state = "resolved";
        // For a resolved finding the age is how long it stayed open.
        r.finding.age_days = detail::days_between_dates(r.finding.first_seen, r.resolved_on);
        out.push_back(std::move(r));
    }
    std::stable_sort(out.begin(), out.end(), [](const FindingRow& a, const FindingRow& b) {
        if (a.resolved_on != b.resolved_on) return a.resolved_on > b.resolved_on;  // most recent first
        if (a.finding.severity != b.finding.severity) return a.finding.severity > b.finding.severity;
        if (a.finding.rule_id != b.finding.rule_id) return a.finding.rule_id < b.finding.rule_id;
        return a.finding.subject_key < b.finding.subject_key;
    });
    return out;
}

bool contains_ci(const std::vector<std::string>& list, std::string_view value) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return iequals(s, value); });
}

bool matches(const FindingRow& row, const FindingFilter& filter) {
    const Finding& f = row.finding;
    if (!filter.rules.empty() && !contains_ci(filter.rules, f.rule_id)) return false;
    if (filter.min_severity && f.severity < *filter.min_severity) return false;
    if (!filter.tool.empty() && !iequals(f.tool, filter.tool)) return false;
    if (!filter.department.empty() && !iequals(f.department, filter.department)) return false;
    if (!filter.owner.empty() && !contains_ci(f.owners, trim(filter.owner))) return false;
    if (!filter.states.empty()) {
        const bool any = std::any_of(filter.states.begin(), filter.states.end(), [&](const std::string& s) {
            return iequals(s, "waived") ? f.waived : iequals(s, f.state);
        });
        if (!any) return false;
    }
    if (filter.min_age_days && f.age_days.value_or(0) < *filter.min_age_days) return false;
    return true;
}

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

struct LatencyAcc {
    std::vector<double> open_ages;
    std::int64_t oldest = 0;
    std::vector<double> resolve_days;
};

enum class LatencyBy { owner, department };

std::vector<std::string> latency_keys(const Finding& f, LatencyBy by) {
    if (by == LatencyBy::department) return {f.department.empty() ? std::string("(no department)") : f.department};
    if (f.owners.empty()) return {"(no owner)"};
    std::set<std::string> keys;
    for (const auto& o : f.owners) keys.insert(to_lower(trim(o)));
    return {keys.begin(), keys.end()};
}

Result<std::vector<LatencyRow>> latency(Database& db, const std::string& path, LatencyBy by) {
    std::map<std::string, LatencyAcc> acc;
    auto latest = latest_run_id(db);
    if (!latest) return std::unexpected(latest.error());
    if (*latest) {
        auto open = findings_of_run(db, path, **latest);
        if (!open) return std::unexpected(open.error());
        for (const Finding& f : *open) {
            // A waived finding has been decided: it no longer waits on anyone.
            if (f.waived) continue;
            const std::int64_t age = f.age_days.value_or(0);
            for (const auto& key : latency_keys(f, by)) {
                auto& a = acc[key];
                a.open_ages.push_back(static_cast<double>(age));
                a.oldest = std::max(a.oldest, age);
            }
        }
    }
    auto stmt = db.prepare(std::string("SELECT ") + detail::k_finding_columns +
                           ", res.first_seen, res.resolved_on FROM resolutions res "
                           "JOIN findings f ON f.run_id = res.last_run_id AND f.finding_id = res.finding_id");
    if (!stmt) return std::unexpected(stmt.error());
    for (;;) {
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto f = detail::finding_from_row(*stmt, path);
        if (!f) return std::unexpected(f.error());
        const auto days = detail::days_between_dates(stmt->text(detail::k_finding_column_count),
                                                     stmt->text(detail::k_finding_column_count + 1));
        for (const auto& key : latency_keys(*f, by)) acc[key].resolve_days.push_back(static_cast<double>(days));
    }
    std::vector<LatencyRow> out;
    for (auto& [who, a] : acc) {
        LatencyRow r;
        r.who = who;
        r.open = a.open_ages.size();
        r.median_open_age_days = median(a.open_ages);
        r.oldest_open_age_days = a.oldest;
        r.resolved = a.resolve_days.size();
        if (!a.resolve_days.empty()) r.median_days_to_resolve = median(a.resolve_days);
        out.push_back(std::move(r));
    }
    // The slowest decisions first: oldest open finding, then most open, then name.
    std::stable_sort(out.begin(), out.end(), [](const LatencyRow& a, const LatencyRow& b) {
        if (a.oldest_open_age_days != b.oldest_open_age_days) return a.oldest_open_age_days > b.oldest_open_age_days;
        if (a.open != b.open) return a.open > b.open;
        return a.who < b.who;
    });
    return out;
}

Result<std::vector<RunSummary>> last_runs(Database& db, std::size_t limit) {
    auto stmt = db.prepare(
        "SELECT r.id, r.started_at, r.as_of, r.partial, r.exit_code, "
        "(SELECT count(*) FROM findings f WHERE f.run_id = r.id) FROM runs r ORDER BY r.id DESC LIMIT ?1");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(1, static_cast<std::int64_t>(limit));
    std::vector<RunSummary> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        RunSummary s;
        s.id = stmt->integer(0);
        s.started_at = stmt->text(1);
        s.as_of = stmt->text(2);
        s.partial = stmt->integer(3) != 0;
        s.exit_code = static_cast<int>(stmt->integer(4));
        s.findings = static_cast<std::size_t>(stmt->integer(5));
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

Result<std::vector<RunSummary>> Store::runs(std::size_t limit) { return last_runs(m_impl->db, limit); }

Result<std::vector<FindingRow>> Store::findings(const FindingFilter& filter) {
    Database& db = m_impl->db;
    auto latest = latest_run_id(db);
    if (!latest) return std::unexpected(latest.error());
    std::vector<FindingRow> out;
    if (!*latest) return out;
    auto current = findings_of_run(db, m_impl->path, **latest);
    if (!current) return std::unexpected(current.error());
    for (Finding& f : *current) {
        FindingRow row;
        row.finding = std::move(f);
        if (matches(row, filter)) out.push_back(std::move(row));
    }
    const bool want_resolved = filter.include_resolved || contains_ci(filter.states, "resolved");
    if (want_resolved) {
        auto resolved = resolved_findings(db, m_impl->path, **latest);
        if (!resolved) return std::unexpected(resolved.error());
        for (FindingRow& row : *resolved) {
            if (matches(row, filter)) out.push_back(std::move(row));
        }
    }
    return out;
}

Result<std::vector<ToolHistoryRow>> Store::tool_history(const std::string& tool) {
    Database& db = m_impl->db;
    auto stmt = db.prepare(
        "SELECT r.id, r.as_of, t.tool, t.owning_department, t.assigned, t.active, t.purchased, t.utilisation, "
        "t.annual_cost, (SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.tool = t.tool COLLATE NOCASE "
        "AND f.waived = 0) FROM tool_figures t JOIN runs r ON r.id = t.run_id "
        "WHERE t.tool = ?1 COLLATE NOCASE ORDER BY r.id");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(1, std::string(trim(tool)));
    std::vector<ToolHistoryRow> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        ToolHistoryRow r;
        r.run_id = stmt->integer(0);
        r.as_of = stmt->text(1);
        r.figures.tool = stmt->text(2);
        r.figures.owning_department = stmt->text(3);
        r.figures.assigned_seats = stmt->opt_integer(4);
        r.figures.active_seats = stmt->opt_integer(5);
        r.figures.purchased_seats = stmt->opt_integer(6);
        r.figures.utilisation = stmt->opt_real(7);
        r.figures.annual_cost = stmt->opt_real(8);
        r.open_findings = static_cast<std::size_t>(stmt->integer(9));
        out.push_back(std::move(r));
    }
    if (!out.empty()) return out;

    auto names = db.prepare("SELECT DISTINCT tool FROM tool_figures ORDER BY tool");
    if (!names) return std::unexpected(names.error());
    std::vector<std::string> known;
    for (;;) {
        auto row = names->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        known.push_back(names->text(0));
    }
    std::string hint = known.empty() ? "no tool figures are recorded yet: run stackaudit audit first"
                                     : "tools in the history: " + join(known, ", ");
    if (auto guess = did_you_mean(tool, known); !guess.empty()) hint = "did you mean \"" + guess + "\"? " + hint;
    return fail(ErrorCode::not_found, "no recorded run has figures for tool \"" + tool + "\"",
                Location{.source = "history", .file = m_impl->path}, std::move(hint));
}

Result<std::vector<LatencyRow>> Store::latency_by_owner() {
    return latency(m_impl->db, m_impl->path, LatencyBy::owner);
}

Result<std::vector<LatencyRow>> Store::latency_by_department() {
    return latency(m_impl->db, m_impl->path, LatencyBy::department);
}

Result<std::vector<std::pair<RunSummary, std::vector<ScoreRecord>>>> Store::score_history(std::size_t runs) {
    Database& db = m_impl->db;
    auto summaries = last_runs(db, runs);
    if (!summaries) return std::unexpected(summaries.error());
    std::reverse(summaries->begin(), summaries->end());  // oldest first, for a trend
    auto stmt = db.prepare("SELECT department, score, breakdown_json FROM scores WHERE run_id = ?1 ORDER BY department");
    if (!stmt) return std::unexpected(stmt.error());
    std::vector<std::pair<RunSummary, std::vector<ScoreRecord>>> out;
    for (RunSummary& s : *summaries) {
        std::vector<ScoreRecord> scores;
        stmt->bind(1, s.id);
        for (;;) {
            auto row = stmt->step();
            if (!row) {
                stmt->reset();
                return std::unexpected(row.error());
            }
            if (!*row) break;
            scores.push_back(ScoreRecord{stmt->text(0), stmt->real(1), stmt->text(2)});
        }
        stmt->reset();
        out.emplace_back(std::move(s), std::move(scores));
    }
    return out;
}

}  // namespace stackaudit::store
