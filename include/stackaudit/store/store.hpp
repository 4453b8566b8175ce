// Run history in one embedded SQLite file: every run, its sources, its findings and each tool's
// figures, so findings have a lifecycle (new, open, resolved, reopened) across nightly runs and
// a tool's seats and cost can be shown over time. No server; one file; safe to kill at any point.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stackaudit/core/error.hpp"
#include "stackaudit/core/finding.hpp"
#include "stackaudit/core/ingest.hpp"
#include "stackaudit/core/snapshot.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::store {

// A tool's key figures in one run (from the graph's tool facts).
struct ToolFigures {
    std::string tool;
    std::string owning_department;
    std::optional<std::int64_t> assigned_seats;
    std::optional<std::int64_t> active_seats;
    std::optional<std::int64_t> purchased_seats;  // contract_seats
    std::optional<double> utilisation;
    std::optional<double> annual_cost;
};

// One department's (or the company's, department == "") alignment score in a run.
struct ScoreRecord {
    std::string department;
    double score = 0;  // 0-100
    std::string breakdown_json;  // the scorecard's components, as the report module renders them
};

struct RunInput {
    Timestamp started_at{};
    Timestamp as_of{};
    std::string config_file;
    bool partial = false;
    int exit_code = 0;
    std::vector<SourceReport> sources;
    std::vector<Finding> findings;  // this run's findings (waived ones included, marked)
    std::vector<ToolFigures> tools;
    std::vector<ScoreRecord> scores;
    // The run's graph for ad-hoc queries; replaces the stored one (only the latest is kept).
    // nullptr: keep the stored graph as it is.
    const GraphSnapshot* graph = nullptr;
};

struct ResolvedFinding {
    Finding finding;          // as last reported
    std::string resolved_on;  // YYYY-MM-DD (as_of of the first run without it)
    std::string first_seen;
};

struct RunDiff {
    std::int64_t run_id = 0;
    std::optional<std::int64_t> previous_run_id;
    std::vector<Finding> findings;            // the input findings with state/first_seen/age_days filled
    std::vector<ResolvedFinding> resolved;    // open in the previous run, absent now
    std::size_t new_count = 0, open_count = 0, reopened_count = 0;
};

struct RunSummary {
    std::int64_t id = 0;
    std::string started_at;  // ISO 8601
    std::string as_of;       // YYYY-MM-DD
    bool partial = false;
    int exit_code = 0;
    std::size_t findings = 0;
};

// The graph of the latest run that recorded one, with that run.
struct StoredSnapshot {
    RunSummary run;  // findings count not filled
    GraphSnapshot snapshot;
};

// Filters for `stackaudit findings` (all optional, AND-ed).
struct FindingFilter {
    std::vector<std::string> rules;
    std::optional<Severity> min_severity;
    std::string tool, owner, department;  // case-insensitive; owner matches any of a finding's owners
    std::vector<std::string> states;      // new, open, reopened, resolved, waived
    std::optional<std::int64_t> min_age_days;
    bool include_resolved = false;        // resolved findings (of any earlier run) as well
};

struct FindingRow {
    Finding finding;          // state/first_seen/age_days filled; state "resolved" for resolved ones
    std::string resolved_on;  // for resolved ones
};

// How long findings stay open, per owner and per department (the CER's decision latency).
struct LatencyRow {
    std::string who;  // owner email or department name
    std::size_t open = 0;
    double median_open_age_days = 0;
    std::int64_t oldest_open_age_days = 0;
    std::size_t resolved = 0;
    std::optional<double> median_days_to_resolve;
};

struct ToolHistoryRow {
    std::int64_t run_id = 0;
    std::string as_of;
    ToolFigures figures;
    std::size_t open_findings = 0;
};

class Store;

// Held for the whole run; released by the destructor (also on crash: an OS file lock).
class RunLock {
public:
    RunLock(RunLock&&) noexcept;
    RunLock& operator=(RunLock&&) noexcept;
    ~RunLock();

private:
    friend class Store;
    explicit RunLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

class Store {
public:
    // Opens (creating if needed) the database and its schema. Errors: io, or internal with the
    // SQLite message and the path, and a hint (e.g. "the file is not a stackaudit database").
    [[nodiscard]] static Result<Store> open(const std::filesystem::path& path);

    // An exclusive, non-blocking lock on "<db>.lock" (flock). Errors: source_failed "another
    // stackaudit run is using <db> (pid N, started T)"; the lock file records pid and start time.
    [[nodiscard]] Result<RunLock> lock();

    // Records a run in one transaction and computes the lifecycle against the previous
    // recorded run: a finding id absent from every earlier run is "new"; present in the previous
    // run: "open"; present earlier but not in the previous run: "reopened". first_seen is the
    // as_of date of its first run (kept across resolve/reopen); age_days = as_of - first_seen.
    [[nodiscard]] Result<RunDiff> record_run(const RunInput& run);

    // The graph recorded with the latest run that had one; nullopt when no run recorded a graph
    // (a history written before stackaudit 0.2, or no audit yet). Errors: io when the stored
    // graph is damaged (with a hint to re-run the audit).
    [[nodiscard]] Result<std::optional<StoredSnapshot>> latest_snapshot();

    // The last `limit` runs, newest first.
    [[nodiscard]] Result<std::vector<RunSummary>> runs(std::size_t limit = 30);
    // Findings of the latest run (and resolved ones when asked) matching the filter.
    [[nodiscard]] Result<std::vector<FindingRow>> findings(const FindingFilter& filter);
    [[nodiscard]] Result<std::vector<ToolHistoryRow>> tool_history(const std::string& tool);
    [[nodiscard]] Result<std::vector<LatencyRow>> latency_by_owner();
    [[nodiscard]] Result<std::vector<LatencyRow>> latency_by_department();
    // Scores of the last `runs` runs, oldest first, per department ("" = company).
    [[nodiscard]] Result<std::vector<std::pair<RunSummary, std::vector<ScoreRecord>>>> score_history(std::size_t runs = 10);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    struct Impl;

private:
    Store();
    std::unique_ptr<Impl> m_impl;
};

}  // namespace stackaudit::store
