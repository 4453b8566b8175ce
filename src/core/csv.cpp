// RFC 4180 reader and writer. The reader is a small state machine over a buffered stream so
// files of any size stream in constant memory; it keeps each record's raw text for the
// rejects file and resynchronises after a malformed record so skip/collect can go on.
#include "stackaudit/core/csv.hpp"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <unordered_map>

#include "stackaudit/core/strings.hpp"

namespace stackaudit {

namespace {
constexpr std::size_t k_chunk_bytes = 1u << 20;
constexpr int k_eof = -1;
}  // namespace

CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

Result<CsvReader> CsvReader::open(const std::filesystem::path& path, std::string source, CsvOptions options) {
    auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*in) {
        const int err = errno;
        return fail(ErrorCode::io, "cannot open " + path.string() + ": " + std::strerror(err),
                    Location{.source = source, .file = path.string()},
                    "check the path in stackaudit.yaml (relative paths are relative to the config file)");
    }
    CsvReader r;
    r.m_in = std::move(in);
    r.m_file = path.string();
    r.m_source = std::move(source);
    r.m_options = options;
    return r;
}

CsvReader CsvReader::from_string(std::string text, std::string file_label, std::string source, CsvOptions options) {
    CsvReader r;
    r.m_in = std::make_unique<std::istringstream>(std::move(text));
    r.m_file = std::move(file_label);
    r.m_source = std::move(source);
    r.m_options = options;
    return r;
}

bool CsvReader::fill() {
    if (m_eof) return false;
    m_buf.resize(k_chunk_bytes);
    m_in->read(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
    m_buf.resize(static_cast<std::size_t>(m_in->gcount()));
    m_pos = 0;
    if (m_buf.empty()) {
        m_eof = true;
        return false;
    }
    if (m_first) {
        m_first = false;
        if (m_buf.size() >= 3 && m_buf.compare(0, 3, "\xEF\xBB\xBF") == 0) m_pos = 3;
    }
    return true;
}

Result<std::optional<CsvRecord>> CsvReader::next() {
    auto get = [this]() -> int {
        if (m_pos >= m_buf.size() && !fill()) return k_eof;
        if (m_pos >= m_buf.size()) return k_eof;
        return static_cast<unsigned char>(m_buf[m_pos++]);
    };
    auto peek = [this]() -> int {
        if (m_pos >= m_buf.size() && !fill()) return k_eof;
        if (m_pos >= m_buf.size()) return k_eof;
        return static_cast<unsigned char>(m_buf[m_pos]);
    };
    const char delim = m_options.delimiter;

    for (;;) {
        CsvRecord rec;
        rec.line = m_line;
        std::string field;
        bool in_quotes = false, quoted = false, after_quote = false;
        std::size_t column = 1, quote_line = 0;
        std::string problem;
        std::size_t problem_line = 0, problem_column = 0;

        auto note = [&](std::string what) {
            if (problem.empty()) {
                problem = std::move(what);
                problem_line = m_line;
                problem_column = column;
            }
        };
        auto end_field = [&]() {
            if (field.size() > m_options.max_field_bytes)
                note("a field is longer than " + std::to_string(m_options.max_field_bytes) + " bytes");
            rec.fields.push_back(std::move(field));
            field.clear();
            quoted = after_quote = false;
            if (rec.fields.size() > m_options.max_columns)
                note("the record has more than " + std::to_string(m_options.max_columns) + " columns");
        };

        bool at_end = false;
        for (;;) {
            const int ci = get();
            if (ci == k_eof) {
                at_end = true;
                if (in_quotes) {
                    problem_line = quote_line;
                    problem = "a quoted field opened on line " + std::to_string(quote_line) +
                              " is never closed (unterminated quote)";
                    problem_column = 0;
                }
                break;
            }
            const char c = static_cast<char>(ci);
            if (rec.raw.size() > m_options.max_record_bytes) {
                note("the record is longer than " + std::to_string(m_options.max_record_bytes) +
                     " bytes (an unterminated quote?)");
                // Drop the rest of the physical line and report.
                in_quotes = false;
            }
            if (in_quotes) {
                if (c == '"') {
                    if (peek() == '"') {
                        get();
                        field += '"';
                        rec.raw += "\"\"";
                        column += 2;
                        continue;
                    }
                    in_quotes = false;
                    after_quote = true;
                    rec.raw += c;
                    ++column;
                    continue;
                }
                if (c == '\n') {
                    ++m_line;
                    column = 0;
                }
                field += c;
                rec.raw += c;
                ++column;
                continue;
            }
            if (c == '\r' && peek() == '\n') continue;  // CRLF: the LF ends the record
            if (c == '\n') {
                ++m_line;
                break;
            }
            rec.raw += c;
            if (!problem.empty()) {
                ++column;
                continue;  // resynchronising: swallow the rest of the line
            }
            if (c == delim) {
                end_field();
            } else if (c == '"') {
                if (field.empty() && !quoted && !after_quote) {
                    in_quotes = quoted = true;
                    quote_line = m_line;
                } else {
                    note("a quote appears inside an unquoted field");
                }
            } else if (after_quote) {
                note("text follows a closing quote");
            } else {
                field += c;
            }
            ++column;
        }
        const bool blank = rec.raw.empty() && rec.fields.empty();
        if (at_end && blank) return std::optional<CsvRecord>{};
        if (blank) continue;  // blank line between records
        end_field();
        m_last_raw = rec.raw;
        if (!problem.empty()) {
            return fail(ErrorCode::csv_malformed, problem,
                        Location{.source = m_source, .file = m_file, .line = problem_line, .column = problem_column},
                        "fields holding commas, quotes or line breaks must be enclosed in double quotes, "
                        "with inner quotes doubled (\"\"), as RFC 4180 specifies");
        }
        return std::optional<CsvRecord>{std::move(rec)};
    }
}

std::string_view CsvTable::Row::operator[](std::size_t spec) const {
    const int i = (*index)[spec];
    if (i < 0 || static_cast<std::size_t>(i) >= fields.size()) return {};
    return trim(fields[static_cast<std::size_t>(i)]);
}

Result<CsvTable> CsvTable::open(const std::filesystem::path& path, std::string source,
                                std::vector<ColumnSpec> columns, CsvOptions options) {
    auto reader = CsvReader::open(path, std::move(source), options);
    if (!reader) return std::unexpected(reader.error());
    return from_reader(std::move(*reader), std::move(columns));
}

Result<CsvTable> CsvTable::from_reader(CsvReader reader, std::vector<ColumnSpec> columns) {
    CsvTable t(std::move(reader));
    t.m_columns = std::move(columns);
    auto header = t.m_reader.next();
    if (!header) return std::unexpected(header.error());
    const Location where{.source = t.m_reader.source(), .file = t.m_reader.file(), .line = 1};
    if (!*header) {
        return fail(ErrorCode::csv_malformed, "the file is empty: no header row", where,
                    "export the file again; the first row must name the columns");
    }
    for (const auto& h : (*header)->fields) t.m_headers.emplace_back(trim(h));
    std::unordered_map<std::string, int> by_name;
    for (std::size_t i = 0; i < t.m_headers.size(); ++i) {
        const auto key = to_lower(t.m_headers[i]);
        if (key.empty()) continue;
        if (!by_name.emplace(key, static_cast<int>(i)).second) {
            return fail(ErrorCode::csv_malformed,
                        "the header names column \"" + t.m_headers[i] + "\" twice (columns " +
                            std::to_string(by_name[key] + 1) + " and " + std::to_string(i + 1) + ")",
                        Location{.source = where.source, .file = where.file, .line = (*header)->line},
                        "rename one of the columns so each header is unique");
        }
    }
    t.m_index.assign(t.m_columns.size(), -1);
    for (std::size_t s = 0; s < t.m_columns.size(); ++s) {
        const auto& spec = t.m_columns[s];
        if (auto it = by_name.find(to_lower(trim(spec.header))); it != by_name.end()) {
            t.m_index[s] = it->second;
            continue;
        }
        if (!spec.required) continue;
        std::string found = join(t.m_headers, ", ");
        if (found.size() > 400) found = found.substr(0, 400) + " ...";
        std::string hint = "the file's columns are: " + found + ".";
        if (auto guess = did_you_mean(spec.header, t.m_headers); !guess.empty())
            hint += " Did you mean \"" + guess + "\"?";
        hint += " Map it in stackaudit.yaml under this input: columns: {" + spec.key + ": \"<header in your file>\"}";
        return fail(ErrorCode::csv_missing_column,
                    "required column \"" + spec.header + "\" (" + spec.key + ") is missing", where, hint);
    }
    return t;
}

Result<std::optional<CsvTable::Row>> CsvTable::next() {
    auto rec = m_reader.next();
    if (!rec) return std::unexpected(rec.error());
    if (!*rec) return std::optional<Row>{};
    auto& r = **rec;
    if (r.fields.size() != m_headers.size()) {
        return fail(ErrorCode::csv_malformed,
                    "row has " + std::to_string(r.fields.size()) + " fields, the header has " +
                        std::to_string(m_headers.size()),
                    Location{.source = m_reader.source(), .file = m_reader.file(), .line = r.line},
                    "a field containing a comma must be quoted; check for a missing or extra delimiter. Raw row: " +
                        r.raw.substr(0, 200));
    }
    Row row;
    row.line = r.line;
    row.raw = std::move(r.raw);
    row.fields = std::move(r.fields);
    row.index = &m_index;
    return std::optional<Row>{std::move(row)};
}

std::string csv_escape(std::string_view field, char delimiter) {
    const bool needs = field.find_first_of(std::string{delimiter, '"', '\r', '\n'}) != std::string_view::npos ||
                       (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!needs) return std::string(field);
    std::string out;
    out.reserve(field.size() + 2);
    out += '"';
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csv_line(const std::vector<std::string>& fields, char delimiter) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += delimiter;
        out += csv_escape(fields[i], delimiter);
    }
    out += "\r\n";
    return out;
}

}  // namespace stackaudit
