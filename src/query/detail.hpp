// Pieces shared by the queries and private to the query module: name helpers, owner states,
// number formatting, the context header of a table, the JSON envelope, and a small aligned
// text table that cuts long cells and keeps every line terminal-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/snapshot.hpp"
#include "stackaudit/query/query.hpp"

namespace stackaudit::query::detail {

inline constexpr int k_schema_version = 1;
inline constexpr std::size_t k_line_width = 120;

// Each tool's position in case-insensitive name order (ties: exact name, then index): the
// order every answer lists tools in.
[[nodiscard]] std::vector<std::uint32_t> name_ranks(const GraphSnapshot& snapshot);

// Both departments stated and equal after trimming, case-insensitively.
[[nodiscard]] bool same_department(std::string_view a, std::string_view b);

[[nodiscard]] OwnerState owner_state(const SnapshotPerson& person);
[[nodiscard]] std::string_view to_string(OwnerState state);  // "active", "departed", "unknown"
[[nodiscard]] std::vector<OwnerEntry> owner_entries(const GraphSnapshot& snapshot,
                                                    const std::vector<std::uint32_t>& people);
// "a@x.com", "a@x.com (left)" or "a@x.com (not in directory)".
[[nodiscard]] std::string owner_label(const GraphSnapshot& snapshot, const OwnerEntry& owner);
[[nodiscard]] std::string owner_labels(const GraphSnapshot& snapshot, const std::vector<OwnerEntry>& owners,
                                       std::string_view separator);

// Numbers for people: "12,345".
[[nodiscard]] std::string readable_count(std::size_t n);
// 0.38241 -> "38.2%".
[[nodiscard]] std::string percent(double share);
// Fixed decimals, locale-independent: fixed(0.5, 4) -> "0.5000".
[[nodiscard]] std::string fixed(double value, int decimals);
// A JSON number rounded to `decimals` places, shortest form: 0.3333333 -> "0.3333", 0.5 -> "0.5".
[[nodiscard]] std::string rounded(double value, int decimals);
[[nodiscard]] std::string date_text(const std::optional<Timestamp>& when);  // "" when never
[[nodiscard]] std::string as_of_text(const Context& context, const GraphSnapshot& snapshot);
// `text`, or `blank` when it is empty after trimming.
[[nodiscard]] std::string or_blank(std::string_view text, std::string_view blank);

// The lines a table starts with: "As of ..., <source>" and one loud line per gap.
[[nodiscard]] std::string table_header(const Context& context, const GraphSnapshot& snapshot);

// Opens the document object and writes "schema_version" and "run"; the caller writes "query"
// and the results, then end_object().
void json_begin(JsonWriter& json, const Context& context, const GraphSnapshot& snapshot);
void json_money(JsonWriter& json, const std::optional<double>& amount);
void json_optional_string(JsonWriter& json, std::string_view text);  // null when empty
void json_owners(JsonWriter& json, const GraphSnapshot& snapshot, const std::vector<OwnerEntry>& owners);

// A CSV cell that came from data: neutralised against spreadsheet formulas.
[[nodiscard]] std::string cell(std::string_view text);
[[nodiscard]] std::string money_cell(const std::optional<double>& amount);  // "" when unknown

// Aligned columns. Each column is as wide as its widest cell or title, up to its limit; longer
// cells are cut with "...". Cells and notes are made terminal-safe here, so callers pass data
// as it is.
class Table {
public:
    enum class Align { left, right };
    void column(std::string title, std::size_t max_width, Align align = Align::left);
    void row(std::vector<std::string> cells);
    // A free line under the previous row, starting `indent` columns into column `column`,
    // wrapped to the line width.
    void note(std::string text, std::size_t column = 0, std::size_t indent = 4);
    [[nodiscard]] bool empty() const { return m_lines.empty(); }
    [[nodiscard]] std::string render(std::size_t indent = 2) const;

private:
    struct Column {
        std::string title;
        std::size_t max_width = 0;
        Align align = Align::left;
    };
    struct Line {
        bool is_note = false;
        std::vector<std::string> cells;  // a note keeps its text in cells[0]
        std::size_t column = 0, indent = 0;  // notes only
    };
    std::vector<Column> m_columns;
    std::vector<Line> m_lines;
};

// "text" in double quotes, for names in messages (the did-you-mean style of every module).
[[nodiscard]] std::string in_quotes(std::string_view text);

// The one place a result picks its rendering: each question passes its three writers.
template <class Table, class Csv, class Json>
[[nodiscard]] std::string render_as(Format format, Table table, Csv csv, Json json) {
    switch (format) {
    case Format::table: return table();
    case Format::csv: return csv();
    case Format::json: return json();
    }
    return {};
}

}  // namespace stackaudit::query::detail
