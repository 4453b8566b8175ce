// Pieces shared by the report writers and private to the report module: coverage gaps with
// their hints, one-line error text, and the terminal-safe text helpers the summary uses.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/error.hpp"
#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/text.hpp"
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

// The text helpers live in core (core/text.hpp) so that every writer shares them.
using stackaudit::display_width;
using stackaudit::fit;
using stackaudit::format_money_readable;
using stackaudit::pad_left;
using stackaudit::pad_right;
using stackaudit::terminal_safe;
using stackaudit::wrap;
using JsonWriter = stackaudit::JsonWriter;

}  // namespace stackaudit::report::detail
