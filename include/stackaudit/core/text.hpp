// Text and number formatting shared by every writer (reports, query tables, CLI listings):
// money, spreadsheet formula neutralisation, terminal-safe, aligned text columns, and the one
// UTF-8 validator and JSON depth check every reader and writer uses.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stackaudit {

// UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing above U+10FFFF).
// The byte offset of the first byte that does not start or continue a well-formed sequence,
// or std::string_view::npos when all of `text` is valid.
[[nodiscard]] std::size_t invalid_utf8_offset(std::string_view text) noexcept;
[[nodiscard]] inline bool valid_utf8(std::string_view text) noexcept {
    return invalid_utf8_offset(text) == std::string_view::npos;
}
// `text` with every ill-formed sequence replaced by U+FFFD, one per maximal subpart (the
// Unicode and WHATWG practice), so writers can promise valid UTF-8 whatever the data.
[[nodiscard]] std::string to_valid_utf8(std::string_view text);

// JSON nesting: the one depth limit of every JSON reader (simdjson's own default), so a
// hostile document is refused with a clear error before any parser walks it.
inline constexpr std::size_t k_max_json_depth = 1024;
// The byte offset of the first '[' or '{' that opens a level deeper than `max_depth` in JSON
// text (string contents skipped), or std::string_view::npos. It only counts brackets; it does
// not validate the JSON.
[[nodiscard]] std::size_t json_too_deep_at(std::string_view json, std::size_t max_depth = k_max_json_depth) noexcept;

// Money for files: plain decimal, at most two decimals, no separators ("1234.5"); "" when not finite.
[[nodiscard]] std::string format_money(double amount);

// A cell a spreadsheet will not run as a formula: text starting with = + - @ tab or CR gets a
// leading apostrophe (OWASP's CSV injection advice).
[[nodiscard]] std::string spreadsheet_safe(std::string_view cell);

// Money for people: thousands separators and always 2 decimals, so a column of amounts lines
// up ("14,400.00", "-12.50"); "" when not finite.
[[nodiscard]] std::string format_money_readable(double amount);

// Text safe to print on a terminal: C0/C1 control characters (escape sequences, newlines,
// tabs) become spaces and runs of whitespace collapse, so a vendor-supplied name cannot move
// the cursor or recolour the screen.
[[nodiscard]] std::string terminal_safe(std::string_view text);

// Width in terminal columns, counted as UTF-8 code points.
[[nodiscard]] std::size_t display_width(std::string_view text);

// Cuts `text` to at most `width` columns, ending in "..." when cut; never splits a code point.
[[nodiscard]] std::string fit(std::string_view text, std::size_t width);

// `text` padded with spaces to `width` columns (left-aligned) or right-aligned.
[[nodiscard]] std::string pad_right(std::string_view text, std::size_t width);
[[nodiscard]] std::string pad_left(std::string_view text, std::size_t width);

// Word-wraps `text` to `width` columns: the first line starts with `first_indent`, the others
// with `rest_indent`; every line ends in "\n". A word longer than a line stays whole.
[[nodiscard]] std::string wrap(std::string_view text, std::size_t width, std::string_view first_indent,
                               std::string_view rest_indent);

}  // namespace stackaudit
