// Shared plumbing of the CSV connectors: the row loop, row errors and tolerant value parsing.
#include "csv_source.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors {

Result<void> reject_row(ReadContext& context, SourceReport& report, const Error& error, std::string_view raw) {
    ++report.rejected;
    if (context.rows.policy() != BadRowPolicy::fail && report.errors.size() < k_report_error_samples) {
        report.errors.push_back(error);
    }
    return context.rows.reject(error, raw);
}

Error cell_error(const CsvTable& table, const CsvTable::Row& row, const ColumnSpec& column, std::string what,
                 std::string hint, ErrorCode code) {
    Error error;
    error.code = code;
    error.message = cat("column '", column.key, "' (header \"", column.header, "\") ", what);
    error.where.source = table.source();
    error.where.file = table.file();
    error.where.line = row.line;
    error.hint = std::move(hint);
    return error;
}

Result<char> csv_delimiter(const SourceConfig& source) {
    const auto it = source.options.find("delimiter");
    if (it == source.options.end()) {
        return ',';
    }
    const std::string_view text = it->second;
    if (iequals(text, "tab") || text == "\\t" || text == "\t") {
        return '\t';
    }
    if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') {
        return text[0];
    }
    return fail(ErrorCode::config_invalid,
                cat("option delimiter is \"", text, "\", expected one character or \"tab\""),
                Location{.source = source.name, .file = source.config_file, .line = source.config_line},
                "write for example `delimiter: \";\"` or `delimiter: tab`");
}

Result<void> read_csv_source(const SourceConfig& source, ReadContext& context, SourceReport& report,
                             std::string_view kind, std::span<const std::string_view> expected_keys,
                             const RowHandler& handle) {
    const ConnectorSpec* spec = find(kind);
    if (spec == nullptr || spec->columns.size() != expected_keys.size()) {
        return fail(ErrorCode::internal, cat("connector '", kind, "' is registered without its columns"));
    }
    for (std::size_t i = 0; i < expected_keys.size(); ++i) {
        if (spec->columns[i].key != expected_keys[i]) {
            return fail(ErrorCode::internal,
                        cat("connector '", kind, "' lists column '", spec->columns[i].key, "' where its reader expects '", expected_keys[i], "'"));
        }
    }
    auto columns = column_specs(*spec, source);
    if (!columns) {
        return std::unexpected(columns.error());
    }
    auto delimiter = csv_delimiter(source);
    if (!delimiter) {
        return std::unexpected(delimiter.error());
    }

    for (const auto& path : source.paths) {
        auto table = CsvTable::open(path, source.name, *columns, CsvOptions{.delimiter = *delimiter});
        if (!table) {
            Error error = table.error();
            if (error.code == ErrorCode::csv_missing_column && !source.config_file.empty()) {
                error.hint += cat(error.hint.empty() ? "" : " ", "(this input is configured at ", source.config_file, ":", source.config_line, ")");
            }
            return std::unexpected(std::move(error));
        }
        while (true) {
            auto row = table->next();
            if (!row) {
                // io errors mean the file itself went away; anything else is one bad record
                // the reader has already stepped over.
                if (row.error().code == ErrorCode::io) {
                    return std::unexpected(row.error());
                }
                if (auto verdict = reject_row(context, report, row.error(), table->last_raw()); !verdict) {
                    return verdict;
                }
                continue;
            }
            if (!row->has_value()) {
                break;
            }
            const CsvTable::Row& current = **row;
            if (auto handled = handle(*table, current, *columns); !handled) {
                if (auto verdict = reject_row(context, report, handled.error(), current.raw); !verdict) {
                    return verdict;
                }
                continue;
            }
            ++report.records;
        }
    }
    return {};
}

Result<std::string> parse_email(std::string_view text) {
    std::string email = normalize_email(text);
    if (email.empty()) {
        return fail(ErrorCode::invalid_value, "is empty");
    }
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == email.size() || email.find('@', at + 1) != std::string::npos) {
        return fail(ErrorCode::invalid_value, cat("has \"", text, "\", which is not an email address"));
    }
    if (email.find_first_of(" \t\r\n,;<>\"") != std::string::npos) {
        return fail(ErrorCode::invalid_value,
                    cat("has \"", text, "\", which is not a single email address"));
    }
    return email;
}

namespace {

// Strips thousands separators (',' or ' ' between groups of three digits) and checks what is
// left is digits with an optional fractional part. Returns "" when the text is not a number.
std::string plain_number(std::string_view text) {
    std::string digits;
    std::size_t i = 0;
    std::size_t group = 0;
    bool grouped = false;
    for (; i < text.size() && text[i] != '.'; ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
            ++group;
        } else if (c == ',' || c == ' ') {
            // A separator must follow 1-3 digits (first group) or exactly 3 (later groups).
            if (group == 0 || group > 3 || (grouped && group != 3)) {
                return {};
            }
            grouped = true;
            group = 0;
        } else {
            return {};
        }
    }
    if (digits.empty() || (grouped && group != 3)) {
        return {};
    }
    if (i < text.size()) {
        digits.push_back('.');
        ++i;
        const std::size_t fraction_start = i;
        for (; i < text.size(); ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return {};
            }
            digits.push_back(text[i]);
        }
        if (i == fraction_start) {
            return {};
        }
    }
    return digits;
}

bool starts_with_currency_word(std::string_view s, std::string_view& rest) {
    if (s.size() >= 3 && std::isalpha(static_cast<unsigned char>(s[0])) != 0 &&
        std::isalpha(static_cast<unsigned char>(s[1])) != 0 && std::isalpha(static_cast<unsigned char>(s[2])) != 0 &&
        (s.size() == 3 || !std::isalpha(static_cast<unsigned char>(s[3])))) {
        rest = trim(s.substr(3));
        return true;
    }
    return false;
}

// Removes one currency marker at either end: $ € £ ¥ or a three-letter code (USD, EUR).
std::string_view strip_currency(std::string_view s) {
    static constexpr std::array<std::string_view, 4> k_symbols{"$", "\u20ac", "\u00a3", "\u00a5"};
    for (const auto symbol : k_symbols) {
        if (s.starts_with(symbol)) {
            return trim(s.substr(symbol.size()));
        }
        if (s.ends_with(symbol)) {
            return trim(s.substr(0, s.size() - symbol.size()));
        }
    }
    std::string_view rest;
    if (starts_with_currency_word(s, rest)) {
        return rest;
    }
    if (s.size() > 3) {
        const std::string_view tail = s.substr(s.size() - 3);
        std::string_view ignored;
        if (starts_with_currency_word(tail, ignored) && !std::isalpha(static_cast<unsigned char>(s[s.size() - 4]))) {
            return trim(s.substr(0, s.size() - 3));
        }
    }
    return s;
}

}  // namespace

Result<std::optional<std::int64_t>> parse_count(std::string_view text) {
    const std::string_view s = trim(text);
    if (s.empty()) {
        return std::optional<std::int64_t>{};
    }
    if (s.starts_with('-')) {
        return fail(ErrorCode::invalid_value, cat("has \"", s, "\", a negative number"));
    }
    const std::string plain = plain_number(s);
    if (plain.empty()) {
        return fail(ErrorCode::invalid_value, cat("has \"", s, "\", which is not a whole number"));
    }
    const auto dot = plain.find('.');
    if (dot != std::string::npos && plain.find_first_not_of('0', dot + 1) != std::string::npos) {
        return fail(ErrorCode::invalid_value, cat("has \"", s, "\", which is not a whole number"));
    }
    std::int64_t value = 0;
    const char* end = plain.data() + (dot == std::string::npos ? plain.size() : dot);
    const auto [ptr, ec] = std::from_chars(plain.data(), end, value);
    if (ec != std::errc{} || ptr != end) {
        return fail(ErrorCode::invalid_value, cat("has \"", s, "\", which is too large"));
    }
    return std::optional<std::int64_t>{value};
}

Result<std::optional<double>> parse_money(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) {
        return std::optional<double>{};
    }
    const bool negative = s.starts_with('-');
    if (negative) {
        return fail(ErrorCode::invalid_value, cat("has \"", s, "\", a negative amount"));
    }
    s = strip_currency(s);
    const std::string plain = plain_number(s);
    if (plain.empty()) {
        return fail(ErrorCode::invalid_value, cat("has \"", trim(text), "\", which is not an amount of money"));
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(plain.data(), plain.data() + plain.size(), value);
    if (ec != std::errc{} || ptr != plain.data() + plain.size() || !std::isfinite(value)) {
        return fail(ErrorCode::invalid_value, cat("has \"", trim(text), "\", which is not an amount of money"));
    }
    return std::optional<double>{value};
}

}  // namespace stackaudit::connectors
