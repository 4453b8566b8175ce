// RFC 4180 CSV reading: quoted fields with commas, quotes and newlines, a UTF-8 BOM, CRLF or LF
// line ends. Two layers: CsvReader yields raw records; CsvTable maps a header row onto named
// columns (case-insensitive) and checks that every data row has the header's width and that
// the columns it maps are valid UTF-8. The reader streams: memory is bounded by the limits in
// CsvOptions, never by the size of the file (docs/inputs.md, "Limits").
// Writing lives here too, so every CSV the tool emits is quoted the same way.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/error.hpp"

namespace stackaudit {

inline constexpr std::size_t k_csv_max_field_bytes = 1u << 20;
inline constexpr std::size_t k_csv_max_record_bytes = 8u << 20;
inline constexpr std::size_t k_csv_max_columns = 4096;

struct CsvOptions {
    char delimiter = ',';
    std::size_t max_field_bytes = k_csv_max_field_bytes;    // a longer field is a csv_malformed error
    std::size_t max_record_bytes = k_csv_max_record_bytes;  // a longer record (or line) is one too
    std::size_t max_columns = k_csv_max_columns;
};

struct CsvRecord {
    std::size_t line = 0;             // 1-based physical line where the record starts
    std::vector<std::string> fields;  // unquoted values
    std::string raw;                  // the record's text as it stood in the file (without line end)
};

class CsvReader {
public:
    // Errors: io (cannot open; names the path and errno text).
    [[nodiscard]] static Result<CsvReader> open(const std::filesystem::path& path, std::string source,
                                                CsvOptions options = {});
    // Reads from memory; `file_label` is what errors print as the file name.
    [[nodiscard]] static CsvReader from_string(std::string text, std::string file_label, std::string source,
                                               CsvOptions options = {});

    // The next record, or std::nullopt at the end of input. A blank line is skipped.
    // Errors: csv_malformed (unterminated quote, a quote inside an unquoted field, text after a
    // closing quote, field or record too long, too many columns, a UTF-16/UTF-32 file) with
    // file, line and column. After an error the reader has skipped to the end of the bad record,
    // so the caller may go on reading (skip/collect policies). A quote that never closes (or
    // runs past max_record_bytes) rejects only the physical line it opened on: the lines after
    // it are read again as records, so one stray quote cannot swallow the rest of the file.
    // Memory: one read buffer plus at most max_record_bytes of the current record.
    [[nodiscard]] Result<std::optional<CsvRecord>> next();

    [[nodiscard]] const std::string& file() const noexcept { return m_file; }
    [[nodiscard]] const std::string& source() const noexcept { return m_source; }
    [[nodiscard]] char delimiter() const noexcept { return m_options.delimiter; }
    // The raw text of the record last returned or rejected, so a malformed record can be kept
    // in the rejects file as it stood.
    [[nodiscard]] const std::string& last_raw() const noexcept { return m_last_raw; }

    CsvReader(CsvReader&&) noexcept;
    CsvReader& operator=(CsvReader&&) noexcept;
    ~CsvReader();

private:
    CsvReader() = default;
    bool fill();  // refills m_buf from the stream; false at EOF
    // Skips to the end of the physical line (resynchronising after an error), keeping up to
    // max_record_bytes of it in `raw`. False when the input ended first.
    bool skip_line(std::string& raw);
    std::unique_ptr<std::istream> m_in;
    std::string m_buf;
    std::size_t m_pos = 0;
    bool m_eof = false;
    std::size_t m_line = 1;
    bool m_first = true;
    std::string m_encoding_problem;  // set by the first fill() when the file is UTF-16/32
    std::string m_file;
    std::string m_source;
    std::string m_last_raw;
    CsvOptions m_options;
};

// A named column the caller wants. `header` is the column name looked for in the file
// (matched case-insensitively after trimming); configs may override it per source.
struct ColumnSpec {
    std::string key;     // stable name used in code and docs, e.g. "email"
    std::string header;  // header text to find, e.g. "Email Address"
    bool required = true;
};

class CsvTable {
public:
    struct Row {
        std::size_t line = 0;
        std::string raw;
        std::vector<std::string> fields;
        const std::vector<int>* index = nullptr;  // spec position -> field position, -1 if absent
        // Value of the column given at position `spec` in the ColumnSpec list; "" when the
        // column is optional and absent. Values are trimmed of surrounding whitespace.
        [[nodiscard]] std::string_view operator[](std::size_t spec) const;
    };

    // Reads the header. Errors: io; csv_malformed (bad header, duplicate header names);
    // csv_missing_column (names the missing column, lists the headers found, suggests the
    // closest one, and hints at the config key that maps it).
    [[nodiscard]] static Result<CsvTable> open(const std::filesystem::path& path, std::string source,
                                               std::vector<ColumnSpec> columns, CsvOptions options = {});
    [[nodiscard]] static Result<CsvTable> from_reader(CsvReader reader, std::vector<ColumnSpec> columns);

    // The next data row or std::nullopt at the end. Errors: csv_malformed from the reader, or a
    // row whose field count differs from the header's ("line 12 has 9 fields, the header has 12");
    // invalid_value for a mapped column that is not valid UTF-8 ("invalid UTF-8 (byte 0xE9) in
    // column 'name'", at the byte's line and column, with a re-export hint). Columns the caller
    // did not ask for are never read, so they are not checked.
    [[nodiscard]] Result<std::optional<Row>> next();

    [[nodiscard]] bool has(std::size_t spec) const noexcept { return m_index[spec] >= 0; }
    [[nodiscard]] const std::vector<std::string>& headers() const noexcept { return m_headers; }
    [[nodiscard]] const std::string& file() const noexcept { return m_reader.file(); }
    [[nodiscard]] const std::string& source() const noexcept { return m_reader.source(); }
    // The raw text of the last row returned or rejected (see CsvReader::last_raw).
    [[nodiscard]] const std::string& last_raw() const noexcept { return m_reader.last_raw(); }

private:
    explicit CsvTable(CsvReader reader) : m_reader(std::move(reader)) {}
    CsvReader m_reader;
    std::vector<ColumnSpec> m_columns;
    std::vector<std::string> m_headers;
    std::vector<int> m_index;
};

// How to fix text that is not UTF-8, tuned to the byte found: the re-export steps, plus what a
// Latin-1/Windows-1252 or UTF-16 file looks like. Shared by every reader of text files.
[[nodiscard]] std::string utf8_fix_hint(unsigned char byte);

// RFC 4180 quoting for output: quotes a field when it holds the delimiter, a quote, CR or LF,
// or leading/trailing spaces.
[[nodiscard]] std::string csv_escape(std::string_view field, char delimiter = ',');
[[nodiscard]] std::string csv_line(const std::vector<std::string>& fields, char delimiter = ',');  // ends in "\r\n"

}  // namespace stackaudit
