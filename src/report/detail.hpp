// Pieces shared by the report writers and private to the report module: coverage gaps with
// their hints, one-line error text, and the terminal-safe text helpers the summary uses.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/error.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::report::detail {

// One thing the run could not see. `text` is what coverage_gaps() returns; the summary also
// prints the hint under it.
struct Gap {
    std::string text;
    std::string hint;
};

[[nodiscard]] std::vector<Gap> gaps(const AuditReport& report);

// "path:12: message" (or just the message when no file is known), on one line.
[[nodiscard]] std::string error_one_line(const Error& error);

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

}  // namespace stackaudit::report::detail
