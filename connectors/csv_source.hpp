// What the CSV-based connectors share: walking every row of a source's files with bad rows sent
// to the RowSink, building row errors that name source, file:line and the fix, and the tolerant
// value parsers (emails, counts, money) the spreadsheets people keep need.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/csv.hpp"

namespace stackaudit::connectors {

namespace detail {
inline void append_part(std::string& out, std::string_view text) { out += text; }
inline void append_part(std::string& out, char c) { out += c; }
template <class T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, char> && !std::is_same_v<T, bool>)
void append_part(std::string& out, T number) {
    out += std::to_string(number);
}
}  // namespace detail

// Message building (g++ 12 has no std::format): cat("line ", 12, ": ", name).
template <class... Parts>
[[nodiscard]] std::string cat(const Parts&... parts) {
    std::string out;
    (detail::append_part(out, parts), ...);
    return out;
}

// How many rejected rows a SourceReport keeps as examples (RowSink keeps the full list).
inline constexpr std::size_t k_report_error_samples = 5;

// Records a bad row: counts it in `report`, keeps the first few as examples, and passes it to
// the sink. Returns the sink's verdict: an error under --on-bad-row fail (stop reading).
[[nodiscard]] Result<void> reject_row(ReadContext& context, SourceReport& report, const Error& error,
                                      std::string_view raw);

// A bad value in one cell: "<source>: column 'email' (header "Email") is empty".
[[nodiscard]] Error cell_error(const CsvTable& table, const CsvTable::Row& row, const ColumnSpec& column,
                               std::string what, std::string hint, ErrorCode code = ErrorCode::invalid_value);

// Called for each well-formed row; an error means "reject this row" (never "stop").
using RowHandler = std::function<Result<void>(const CsvTable& table, const CsvTable::Row& row,
                                              std::span<const ColumnSpec> columns)>;

// Reads every file of a CSV source in order. Checks that the spec's column keys are the ones
// the reader indexes by (`expected_keys`), resolves the columns (config overrides applied),
// applies the `delimiter` option, and feeds rows to `handle`. Rows that break the CSV format or
// that `handle` refuses go to reject_row(); report.records counts the accepted ones.
// Errors: config_invalid (bad override or option), io, csv_malformed / csv_missing_column for
// the header, or the first bad row under --on-bad-row fail.
[[nodiscard]] Result<void> read_csv_source(const SourceConfig& source, ReadContext& context, SourceReport& report,
                                           std::string_view kind, std::span<const std::string_view> expected_keys,
                                           const RowHandler& handle);

// The `delimiter` option: one character, or "tab". Default ','.
[[nodiscard]] Result<char> csv_delimiter(const SourceConfig& source);

// A single email address, normalised. Errors (message only, no location): empty, no '@',
// spaces inside.
[[nodiscard]] Result<std::string> parse_email(std::string_view text);

// A non-negative whole number written the way spreadsheets export it: "1200", "1,200",
// "1 200", "1200.0". Empty -> nullopt.
[[nodiscard]] Result<std::optional<std::int64_t>> parse_count(std::string_view text);

// A non-negative amount of money: "85", "85.00", "$85.00", "1,020.50", "USD 85", "85 EUR",
// "€85". Thousands separators are commas; the decimal mark is a point. Empty -> nullopt.
[[nodiscard]] Result<std::optional<double>> parse_money(std::string_view text);

}  // namespace stackaudit::connectors
