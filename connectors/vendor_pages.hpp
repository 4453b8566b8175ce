// What the vendor connectors (Google Workspace, Salesforce, Slack, ...) share when they read saved
// API pages or an admin-console export: telling a folder of pages from an export file, walking one
// page's records with simdjson On-Demand, pulling typed fields out of a record by JSON pointer,
// record errors that name the page and the JSON path, and the export CSV row loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::connectors::pages {

// One JSON value taken out of a record or page.
struct JsonField {
    enum class Kind { missing, null, string, boolean, number, object, array };
    Kind kind = Kind::missing;
    std::string text;  // a string's value, a number as written, or the raw JSON of an object/array
    bool flag = false; // a boolean's value
    [[nodiscard]] bool present() const noexcept { return kind != Kind::missing && kind != Kind::null; }
};

[[nodiscard]] std::string_view kind_name(JsonField::Kind kind) noexcept;  // "a string", "a number", ...

struct PageRecord {
    std::size_t index = 0;  // position in the page's record array (0-based), as in $.users[12]
    std::string key;        // member name when the records are an object keyed by id (Slack billable_info)
    std::string raw;        // the record's JSON text, for field extraction and the rejects file
};

struct Page {
    std::filesystem::path file;
    std::map<std::string, JsonField, std::less<>> top;  // the page's top-level scalars (ok, error, done, ...)
    bool has_records = false;                          // the records member was present
    std::vector<PageRecord> records;
};

// Reads one saved page whose records sit in the top-level member `records_key` (an array, or an
// object keyed by id). The whole page is walked once, so a page cut short anywhere is caught.
// Errors: io (unreadable), json_malformed (not valid JSON, truncated, trailing text, not an
// object, or `records_key` holding a scalar), each naming the page file.
[[nodiscard]] Result<Page> load_page(const std::filesystem::path& file, const std::string& source,
                                     std::string_view records_key);

// The fields of one record at the given JSON pointers ("/profile/email"). A pointer that names
// an absent member, or runs through null or a scalar, gives Kind::missing.
// Errors: json_malformed when the record text itself does not parse.
[[nodiscard]] Result<std::vector<JsonField>> record_fields(std::string_view raw,
                                                           std::span<const std::string_view> pointers);

// The elements (raw JSON each) of an array inside a record; empty when absent or null.
// Errors: json_malformed when the record does not parse; invalid_value when the member is not an array.
[[nodiscard]] Result<std::vector<std::string>> record_array(std::string_view raw, std::string_view pointer);

// "$.users[12].lastLoginTime" from ("users", 12, "/lastLoginTime"); keyed records use the key:
// "$.billable_info.U024BE7LH.billing_active".
[[nodiscard]] std::string json_path(std::string_view records_key, const PageRecord& record, std::string_view pointer);

// An invalid_value error about one record of a saved page.
[[nodiscard]] Error record_error(const std::string& source, const std::filesystem::path& file, std::string json_path,
                                 std::string message, std::string hint);

// Typed readers: missing and null read as "not given"; a value of the wrong JSON type is an
// error whose message (no location) says what was found. Timestamps and dates accept every
// vendor spelling core parse_timestamp() knows, as text or as epoch-second numbers.
[[nodiscard]] Result<std::optional<std::string>> as_text(const JsonField& field);
[[nodiscard]] Result<std::string> as_email(const JsonField& field);  // required: missing is an error
[[nodiscard]] Result<std::optional<bool>> as_bool(const JsonField& field);
[[nodiscard]] Result<std::optional<std::int64_t>> as_count(const JsonField& field);
[[nodiscard]] Result<std::optional<Timestamp>> as_timestamp(const JsonField& field);
[[nodiscard]] Result<std::optional<Date>> as_date(const JsonField& field);

// What one configured path holds.
enum class InputForm { pages, export_csv };

// A folder is saved pages; a .csv file is the vendor's export when `export_name` is not empty
// (e.g. "the member export (.csv)"). Errors: io (missing path), config_invalid (any other file).
[[nodiscard]] Result<InputForm> input_form(const SourceConfig& source, const std::filesystem::path& path,
                                           std::string_view export_name);

// The saved pages of an endpoint the connector cannot do without. Errors: not_found naming the
// folder and the layout expected.
[[nodiscard]] Result<std::vector<std::filesystem::path>> required_pages(const SourceConfig& source,
                                                                        const std::filesystem::path& dir,
                                                                        const std::string& endpoint);

// Reads a vendor export CSV with the spec's columns (config overrides applied). `handle` returns
// true for a row that became a record, false for a row skipped on purpose (counted in
// report.ignored), or an error that rejects the row. Errors: config_invalid (bad `columns:` or
// delimiter), io, csv_missing_column for the header, the first bad row under --on-bad-row fail.
using ExportRowHandler = std::function<Result<bool>(const CsvTable& table, const CsvTable::Row& row,
                                                    std::span<const ColumnSpec> columns)>;
[[nodiscard]] Result<void> read_export(const ConnectorSpec& spec, const SourceConfig& source,
                                       const std::filesystem::path& file, ReadContext& context,
                                       SourceReport& report, const ExportRowHandler& handle);

// The whole read() of a connector that takes saved pages or its vendor's export: every
// configured path is one or the other, read by a fresh `Reader` built as
// Reader(source, context, out, report, tool) with read_pages(dir) and read_export(file).
template <class Reader>
[[nodiscard]] Result<void> read_pages_or_export(const SourceConfig& source, ReadContext& context, Dataset& out,
                                                SourceReport& report, std::string_view default_tool,
                                                std::string_view export_name) {
    const std::string tool = trim(source.tool).empty() ? std::string(default_tool) : std::string(trim(source.tool));
    report.seat_tools = {tool};
    for (const auto& path : source.paths) {
        auto form = input_form(source, path, export_name);
        if (!form) return std::unexpected(form.error());
        Reader reader(source, context, out, report, tool);
        auto done = *form == InputForm::pages ? reader.read_pages(path) : reader.read_export(path);
        if (!done) return done;
    }
    return {};
}

}  // namespace stackaudit::connectors::pages
