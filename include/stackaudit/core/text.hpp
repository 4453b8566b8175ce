// Text and number formatting shared by every writer (reports, query tables, CLI listings):
// money, spreadsheet formula neutralisation and terminal-safe, aligned text columns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stackaudit {

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
