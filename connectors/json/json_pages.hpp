// Reading saved API pages and JSON lists: one page at a time, each record of its record array
// kept as its own small JSON document whose fields are read by JSON pointer (RFC 6901), and
// the JSON paths ("$.users[12].last_login_time") that bad-record errors carry. Shared by the
// vendor connectors (HubSpot, Adobe, Zoom, Zendesk) and the generic `json` connector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/error.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::connectors::json_pages {

// "$" + the pointer as a path: "/users/12/last_login_time" -> "$.users[12].last_login_time".
// Tokens made only of digits print as indexes; "~1" and "~0" are unescaped.
[[nodiscard]] std::string json_path(std::string_view pointer);

// Accepts a JSON pointer ("/profile/email") or the dotted form people also write
// ("profile.email"), and returns the pointer. "" stays "" (the whole value).
[[nodiscard]] std::string to_pointer(std::string_view text);

// One record: its JSON text, where it came from, and typed reads by pointer. A field that is
// absent or null reads as std::nullopt; a field of the wrong type is an error whose message
// says what was found (the caller adds the location through error()).
class Record {
public:
    Record(std::string raw, std::filesystem::path file, std::string path_prefix, std::size_t number);
    ~Record();
    Record(Record&&) noexcept;
    Record& operator=(Record&&) noexcept;
    Record(const Record&) = delete;
    Record& operator=(const Record&) = delete;

    // A string as is; a number or boolean as its JSON text. Objects and arrays are errors.
    [[nodiscard]] Result<std::optional<std::string>> text(std::string_view pointer);
    // true/false, or the strings "true"/"false".
    [[nodiscard]] Result<std::optional<bool>> boolean(std::string_view pointer);
    // A whole number, or a string holding one ("25").
    [[nodiscard]] Result<std::optional<std::int64_t>> integer(std::string_view pointer);
    // An array of strings (numbers are kept as their text). Absent or null -> empty.
    [[nodiscard]] Result<std::vector<std::string>> strings(std::string_view pointer);

    [[nodiscard]] const std::string& raw() const noexcept { return m_raw; }
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return m_file; }
    // Position in the source, 1-based over all pages read so far (Seat::line).
    [[nodiscard]] std::size_t number() const noexcept { return m_number; }
    // "$.users[3]" + the field's path.
    [[nodiscard]] std::string path(std::string_view pointer = {}) const;
    // An error about the field at `pointer` of this record, located at file + JSON path.
    [[nodiscard]] Error error(const std::string& source, std::string_view pointer, std::string message,
                              std::string hint, ErrorCode code = ErrorCode::invalid_value) const;

private:
    struct Parsed;
    std::string m_raw;
    std::filesystem::path m_file;
    std::string m_prefix;
    std::size_t m_number = 0;
    std::unique_ptr<Parsed> m_parsed;
};

// One page: the raw JSON of each element of its record array.
struct Page {
    std::filesystem::path file;
    std::vector<std::string> records;
    std::string records_path;  // "$.users"
};

// A saved page larger than a live pull accepts (http::k_max_response_bytes) is refused unread,
// so memory stays bounded whatever file is configured. Errors: io naming the file and size.
[[nodiscard]] Result<void> check_page_size(const std::filesystem::path& file, const std::string& source);

// Reads and fully parses one page, then takes the array at `records_pointer` ("" = the page is
// the array). Errors: io (unreadable), json_malformed naming the file (invalid or truncated
// JSON, or no array at the pointer).
[[nodiscard]] Result<Page> read_page(const std::filesystem::path& file, const std::string& source,
                                     std::string_view records_pointer);

// A whole page read by pointer, for paging flags and other page-level values: the text of the
// value at `pointer` (as Record::text), nullopt when absent. Errors as read_page().
[[nodiscard]] Result<std::optional<std::string>> page_value(const std::filesystem::path& file, const std::string& source,
                                                            std::string_view pointer);

// Called for each record; an error rejects that record (never stops the read by itself).
using RecordHandler = std::function<Result<void>(Record& record)>;

// Reads every page in order and calls `handle` for each record. Records a handler refuses go
// to reject_row() (so --on-bad-row fail stops here). `counter` numbers records across calls.
// Errors: a page that cannot be read (see read_page), or the first bad record under
// --on-bad-row fail.
[[nodiscard]] Result<void> for_each_record(const std::vector<std::filesystem::path>& pages, const SourceConfig& source,
                                           ReadContext& context, SourceReport& report, std::string_view records_pointer,
                                           std::size_t& counter, const RecordHandler& handle);

// The pages of one endpoint under `dir` (snapshot layout <dir>/<endpoint>/page-00001.json).
// Errors (when `required`): not_found naming the folder looked in and how to fill it.
[[nodiscard]] Result<std::vector<std::filesystem::path>> saved_pages(const SourceConfig& source,
                                                                     const std::filesystem::path& dir,
                                                                     const std::string& endpoint, bool required);

// How a source path is read: a folder of saved pages, a CSV export, or one JSON file.
enum class InputForm { pages, csv, json };
[[nodiscard]] InputForm input_form(const std::filesystem::path& path);

// Typed record fields with record errors (file + JSON path) that name the field and the fix.
// Absent, null and the "never" spellings read as std::nullopt.
[[nodiscard]] Result<std::string> email_field(Record& record, const std::string& source, std::string_view pointer,
                                              std::string_view hint);
[[nodiscard]] Result<std::optional<Timestamp>> timestamp_field(Record& record, const std::string& source,
                                                               std::string_view pointer);
[[nodiscard]] Result<std::optional<Date>> date_field(Record& record, const std::string& source,
                                                     std::string_view pointer);

// The error for a CSV path given to a connector that reads API pages only: points at the
// `seats` connector, which reads any vendor's export with a column mapping.
[[nodiscard]] Error no_export_error(const SourceConfig& source, const std::filesystem::path& path,
                                    std::string_view default_tool);

// The catalog tool of a vendor source: `tool:` when given, else the connector's default.
[[nodiscard]] std::string tool_name(const SourceConfig& source, std::string_view default_tool);

// The whole read() of a connector whose records come from one endpoint and that has no export
// file of its own: every configured path is a folder of saved pages (snapshot layout) or one
// saved page; a CSV gets no_export_error. `read_pages` parses the pages for the seats' tool.
using PagesReader = std::function<Result<void>(const std::vector<std::filesystem::path>& pages, const std::string& tool)>;
[[nodiscard]] Result<void> read_single_endpoint(const SourceConfig& source, std::string_view default_tool,
                                                std::string_view endpoint, SourceReport& report,
                                                const PagesReader& read_pages);

}  // namespace stackaudit::connectors::json_pages
