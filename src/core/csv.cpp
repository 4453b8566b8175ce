// RFC 4180 reader and writer. The reader is a small state machine over a buffered stream so
// files of any size stream in constant memory: a 1 MiB read buffer, and a record's text and
// fields capped by the CsvOptions limits (the rest of an over-long line is skipped with memchr,
// never kept). It keeps each record's raw text for the rejects file and resynchronises after a
// malformed record so skip/collect can go on; an unclosed quote gives back the lines after it.
#include "stackaudit/core/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/text.hpp"

namespace stackaudit {

namespace {
constexpr std::size_t k_chunk_bytes = 1u << 20;
constexpr int k_eof = -1;
constexpr std::string_view k_quote_hint =
    "fields holding commas, quotes or line breaks must be enclosed in double quotes, with inner quotes doubled "
    "(\"\"), as RFC 4180 specifies";
constexpr std::string_view k_limit_hint =
    "a row this big is almost always a file that is not CSV, the wrong delimiter (set options: {delimiter: ...}) "
    "or a quote that never closes; look at this row in the file (the limits are fixed: docs/inputs.md, Limits)";

// The encoding a file's first bytes give away when it is not UTF-8 (a UTF-16 or UTF-32
// byte-order mark, or UTF-16 text without one), or "" when nothing says so.
std::string foreign_encoding(std::string_view head) {
    using namespace std::string_view_literals;
    if (head.starts_with("\x00\x00\xFE\xFF"sv)) return "UTF-32 (it starts with the byte-order mark 00 00 FE FF)";
    if (head.starts_with("\xFF\xFE\x00\x00"sv)) return "UTF-32 (it starts with the byte-order mark FF FE 00 00)";
    if (head.starts_with("\xFF\xFE"sv)) return "UTF-16 (it starts with the byte-order mark FF FE)";
    if (head.starts_with("\xFE\xFF"sv)) return "UTF-16 (it starts with the byte-order mark FE FF)";
    if (head.size() >= 4 && head[0] != '\0' && head[1] == '\0' && head[2] != '\0' && head[3] == '\0')
        return "UTF-16 (every other byte is zero)";
    if (head.size() >= 4 && head[0] == '\0' && head[1] != '\0' && head[2] == '\0' && head[3] != '\0')
        return "UTF-16 (every other byte is zero)";
    return {};
}

std::string hex_byte(unsigned char byte) {
    constexpr char k_digits[] = "0123456789ABCDEF";
    return std::string("0x") + k_digits[byte >> 4] + k_digits[byte & 0x0F];
}

// Line and column (1-based, in bytes, as the reader counts them) of byte `offset` of the value
// of field `field` in a well-formed record's raw text that starts on line `line`.
std::pair<std::size_t, std::size_t> locate(std::string_view raw, char delimiter, std::size_t line, std::size_t field,
                                           std::size_t offset) {
    std::size_t current = 0, taken = 0, column = 1;
    bool in_quotes = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        const bool here = current == field && taken == offset;
        if (in_quotes) {
            if (c == '"' && i + 1 < raw.size() && raw[i + 1] == '"') {
                if (here) return {line, column};
                ++taken;
                ++i;
                column += 2;
            } else if (c == '"') {
                in_quotes = false;
                ++column;
            } else {
                if (here) return {line, column};
                ++taken;
                if (c == '\n') {
                    ++line;
                    column = 1;
                } else {
                    ++column;
                }
            }
            continue;
        }
        if (c == delimiter) {
            ++current;
            taken = 0;
        } else if (c == '"' && taken == 0) {
            in_quotes = true;
        } else {
            if (here) return {line, column};
            ++taken;
        }
        ++column;
    }
    return {line, 0};
}

}  // namespace

std::string utf8_fix_hint(unsigned char byte) {
    std::string hint =
        "the file is not UTF-8: re-export it as UTF-8 (Excel: File > Save As > \"CSV UTF-8 (Comma delimited)\"; "
        "LibreOffice: Save As > Edit filter settings > Character set \"Unicode (UTF-8)\"; Google Sheets always "
        "exports UTF-8)";
    if (byte == 0xFE || byte == 0xFF) {
        hint += ". Bytes 0xFE and 0xFF never occur in UTF-8; they start a UTF-16 byte-order mark, so this text was "
                "probably pasted from a UTF-16 (\"Unicode Text\") file";
    } else if (byte >= 0xA0) {
        // In Latin-1 the byte is the code point itself; show the character it stands for there.
        const std::string shown{static_cast<char>(0xC0 | (byte >> 6)), static_cast<char>(0x80 | (byte & 0x3F))};
        hint += ". The file looks like Latin-1/Windows-1252, what a plain \"CSV (Comma delimited)\" save writes, "
                "where byte " + hex_byte(byte) + " is \"" + shown + "\"";
    } else if (byte >= 0x80 && byte <= 0x9F) {
        hint += ". Bytes 0x80-0x9F are Windows-1252 punctuation (curly quotes, dashes, the euro sign), so the file "
                "was saved in that code page";
    }
    hint += ". A UTF-8 byte-order mark at the start of the file is fine";
    return hint;
}

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
        if (m_buf.compare(0, 3, "\xEF\xBB\xBF") == 0) {
            m_pos = 3;
        } else {
            m_encoding_problem = foreign_encoding(m_buf);
        }
    }
    return true;
}

bool CsvReader::skip_line(std::string& raw) {
    for (;;) {
        if (m_pos >= m_buf.size() && !fill()) return false;
        const char* start = m_buf.data() + m_pos;
        const std::size_t available = m_buf.size() - m_pos;
        const void* newline = std::memchr(start, '\n', available);
        const std::size_t length =
            newline != nullptr ? static_cast<std::size_t>(static_cast<const char*>(newline) - start) : available;
        if (raw.size() < m_options.max_record_bytes)
            raw.append(start, std::min(length, m_options.max_record_bytes - raw.size()));
        m_pos += length;
        if (newline != nullptr) {
            ++m_pos;
            ++m_line;
            if (!raw.empty() && raw.back() == '\r') raw.pop_back();
            return true;
        }
    }
}

Result<std::optional<CsvRecord>> CsvReader::next() {
    if (m_first) (void)fill();  // the first chunk tells the encoding
    if (!m_encoding_problem.empty()) {
        // Nothing in the file can be read as text: report it once, then the file is over.
        const std::string what = std::move(m_encoding_problem);
        m_encoding_problem.clear();
        m_eof = true;
        m_buf.clear();
        m_pos = 0;
        m_last_raw.clear();
        return fail(ErrorCode::csv_malformed, "the file is " + what + ", not UTF-8",
                    Location{.source = m_source, .file = m_file, .line = 1, .column = 1},
                    "re-export it as UTF-8 (Excel: File > Save As > \"CSV UTF-8 (Comma delimited)\", not \"Unicode "
                    "Text\"; LibreOffice: Character set \"Unicode (UTF-8)\")");
    }
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
    const std::size_t max_record = m_options.max_record_bytes;

    for (;;) {
        CsvRecord rec;
        rec.line = m_line;
        std::string field;
        bool in_quotes = false, quoted = false, after_quote = false;
        std::size_t column = 1, quote_line = 0, quote_column = 0, quote_at = 0;
        std::size_t record_bytes = 0;  // bytes consumed so far; rec.raw never holds more
        std::string problem;
        std::string_view hint = k_quote_hint;
        std::size_t problem_line = 0, problem_column = 0;

        auto note = [&](std::string what, std::string_view why = k_quote_hint) {
            if (problem.empty()) {
                problem = std::move(what);
                hint = why;
                problem_line = m_line;
                problem_column = column;
            }
        };
        auto keep = [&](char c) {
            if (rec.raw.size() < max_record) rec.raw += c;
        };
        auto grow = [&](char c) {
            if (!problem.empty()) return;  // a bad record's fields are never used
            field += c;
            if (field.size() > m_options.max_field_bytes)
                note("a field is longer than " + std::to_string(m_options.max_field_bytes) + " bytes", k_limit_hint);
        };
        auto end_field = [&]() {
            if (field.size() > m_options.max_field_bytes)
                note("a field is longer than " + std::to_string(m_options.max_field_bytes) + " bytes", k_limit_hint);
            rec.fields.push_back(std::move(field));
            field.clear();
            quoted = after_quote = false;
            if (rec.fields.size() > m_options.max_columns)
                note("the record has more than " + std::to_string(m_options.max_columns) + " columns", k_limit_hint);
        };
        // A quote that never closed: the record ends with the physical line the quote opened on,
        // and what was read after that line goes back to be read again (plus `consumed`, the byte
        // in hand). False when nothing was read after that line.
        auto reread_after_quote = [&](std::string_view consumed) {
            const std::size_t newline = rec.raw.find('\n', quote_at);
            if (newline == std::string::npos) return false;
            std::string again = rec.raw.substr(newline + 1);
            again += consumed;
            again.append(m_buf, m_pos, std::string::npos);
            m_buf = std::move(again);
            m_pos = 0;
            rec.raw.resize(newline);
            if (!rec.raw.empty() && rec.raw.back() == '\r') rec.raw.pop_back();
            m_line = quote_line + 1;
            return true;
        };

        bool at_end = false;
        for (;;) {
            if (!problem.empty() && !in_quotes) {
                at_end = !skip_line(rec.raw);  // resynchronising: the rest of the line belongs to the bad record
                break;
            }
            const int ci = get();
            if (ci == k_eof) {
                at_end = true;
                if (in_quotes) {
                    problem = "a quoted field opened on line " + std::to_string(quote_line) +
                              " is never closed (unterminated quote)";
                    hint = k_quote_hint;
                    problem_line = quote_line;
                    problem_column = quote_column;
                    if (reread_after_quote({})) at_end = false;
                }
                break;
            }
            const char c = static_cast<char>(ci);
            if (++record_bytes > max_record) {
                if (in_quotes) {
                    problem = "a quoted field opened on line " + std::to_string(quote_line) + " runs for more than " +
                              std::to_string(max_record) + " bytes without closing (an unterminated quote?)";
                    hint = k_quote_hint;
                    problem_line = quote_line;
                    problem_column = quote_column;
                    if (reread_after_quote(std::string_view(&c, 1))) break;
                    in_quotes = false;  // the quote's own line is that long: drop the rest of it below
                } else {
                    note("the record is longer than " + std::to_string(max_record) + " bytes", k_limit_hint);
                }
            }
            if (in_quotes) {
                if (c == '"') {
                    if (peek() == '"') {
                        get();
                        ++record_bytes;
                        grow('"');
                        keep('"');
                        keep('"');
                        column += 2;
                        continue;
                    }
                    in_quotes = false;
                    after_quote = true;
                    keep(c);
                    ++column;
                    continue;
                }
                if (c == '\n') {
                    ++m_line;
                    column = 0;
                }
                grow(c);
                keep(c);
                ++column;
                continue;
            }
            if (c == '\r' && peek() == '\n') continue;  // CRLF: the LF ends the record
            if (c == '\n') {
                ++m_line;
                break;
            }
            keep(c);
            if (!problem.empty()) continue;  // the next round skips the rest of the line
            if (c == delim) {
                end_field();
            } else if (c == '"') {
                if (field.empty() && !quoted && !after_quote) {
                    in_quotes = quoted = true;
                    quote_line = m_line;
                    quote_column = column;
                    quote_at = rec.raw.size() - 1;
                } else {
                    note("a quote appears inside an unquoted field");
                }
            } else if (after_quote) {
                note("text follows a closing quote");
            } else {
                grow(c);
            }
            ++column;
        }
        const bool blank = rec.raw.empty() && rec.fields.empty() && problem.empty();
        if (at_end && blank) return std::optional<CsvRecord>{};
        if (blank) continue;  // blank line between records
        if (problem.empty()) end_field();
        if (!problem.empty()) {
            m_last_raw = std::move(rec.raw);
            // A quote that pairs with one lines further down makes one bad record of every line
            // between: say so, so those lines are never silently missing.
            const std::size_t last_line = at_end ? m_line : m_line - 1;
            if (last_line > rec.line)
                problem += " (the bad record spans lines " + std::to_string(rec.line) + "-" +
                           std::to_string(last_line) + ", all rejected with it)";
            return fail(ErrorCode::csv_malformed, problem,
                        Location{.source = m_source, .file = m_file, .line = problem_line, .column = problem_column},
                        std::string(hint));
        }
        m_last_raw = rec.raw;
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
    // Headers are matched and shown in messages; one that is not UTF-8 is shown repaired, and a
    // column that then goes missing says why.
    std::string encoding_note;
    for (const auto& h : (*header)->fields) {
        if (const auto bad = invalid_utf8_offset(h); bad != std::string::npos) {
            if (encoding_note.empty()) encoding_note = " (" + utf8_fix_hint(static_cast<unsigned char>(h[bad])) + ")";
            t.m_headers.emplace_back(trim(to_valid_utf8(h)));
        } else {
            t.m_headers.emplace_back(trim(h));
        }
    }
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
        hint += encoding_note;
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
    // A mapped value that is not UTF-8 would flow into every report (and make the JSON invalid).
    for (std::size_t s = 0; s < m_columns.size(); ++s) {
        if (m_index[s] < 0) continue;
        const auto f = static_cast<std::size_t>(m_index[s]);
        const auto bad = invalid_utf8_offset(r.fields[f]);
        if (bad == std::string::npos) continue;
        const auto byte = static_cast<unsigned char>(r.fields[f][bad]);
        const auto [line, column] = locate(r.raw, m_reader.delimiter(), r.line, f, bad);
        return fail(ErrorCode::invalid_value,
                    "invalid UTF-8 (byte " + hex_byte(byte) + ") in column '" + m_columns[s].key + "' (header \"" +
                        m_headers[f] + "\")",
                    Location{.source = m_reader.source(), .file = m_reader.file(), .line = line, .column = column},
                    utf8_fix_hint(byte));
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
