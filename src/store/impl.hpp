// What the store's source files share: the connection, the schema version and the helpers that
// turn a stored finding row back into a Finding.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <string>
#include <vector>

#include "sqlite.hpp"
#include "stackaudit/core/finding.hpp"
#include "stackaudit/store/store.hpp"

namespace stackaudit::store {

// Bump when the schema changes; open() migrates older files and refuses newer ones.
// 1: runs, sources, findings, lifecycle, tool figures, scores. 2: + the latest run's graph.
inline constexpr int k_schema_version = 2;

struct Store::Impl {
    detail::Database db;
    std::string path;
};

namespace detail {

// The columns every finding query selects, in the order finding_from_row() reads them.
inline constexpr const char* k_finding_columns =
    "f.finding_id, f.rule_id, f.rule_title, f.severity, f.category, f.tool, f.department, f.subject_kind, "
    "f.subject_key, f.owners_json, f.message, f.money, f.evidence_json, f.remediation, f.waived, f.waiver_reason, "
    "f.waiver_approver, f.waiver_expires, f.state, f.first_seen, f.age_days";
inline constexpr int k_finding_column_count = 21;

// Reads the k_finding_columns of the current row, starting at column 0.
[[nodiscard]] Result<Finding> finding_from_row(const Statement& row, const std::string& db_path);

[[nodiscard]] std::string json_string_array(const std::vector<std::string>& items);
[[nodiscard]] std::string json_pairs(const std::vector<std::pair<std::string, std::string>>& pairs);
// Read back what the two writers above wrote: a JSON array of strings, or of [name, value]
// string pairs. nullopt when the text is not of that form.
[[nodiscard]] std::optional<std::vector<std::string>> parse_string_array(std::string_view json);
[[nodiscard]] std::optional<std::vector<std::pair<std::string, std::string>>> parse_pairs(std::string_view json);

// The graph tables (schema version 2) and the writer record_run() calls in its transaction.
extern const char* const k_schema_graph;
[[nodiscard]] Result<void> write_snapshot(Database& db, std::int64_t run_id, const GraphSnapshot& snapshot);

// Whole days from a to b, both YYYY-MM-DD; 0 when either does not parse.
[[nodiscard]] std::int64_t days_between_dates(const std::string& a, const std::string& b);

}  // namespace detail

}  // namespace stackaudit::store
