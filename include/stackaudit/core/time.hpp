// One timestamp parser for every vendor spelling (see docs/inputs.md, "Timestamps").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stackaudit/core/error.hpp"

namespace stackaudit {

using Timestamp = std::chrono::sys_seconds;  // UTC, second precision (sub-seconds are dropped)
using Date = std::chrono::sys_days;          // UTC calendar day

// Accepts, with surrounding whitespace:
//   2013-06-24T17:39:19.000Z   2019-12-16T18:02:48Z   2013-05-20T20:49:32.000+0000
//   2024-03-01T09:00:00+01:00  2024-03-01 09:00:00 (UTC assumed)  2024-03-01 (midnight UTC)
//   1700000000 (epoch seconds, Slack)  1700000000000 (epoch milliseconds, 13 digits)
// Returns std::nullopt for "never": empty, "null", "never", "-", "N/A", epoch 0 and
// 1970-01-01T00:00:00.000Z (Google's spelling). Anything else is an invalid_value error whose
// message quotes the text; the caller adds file:line.
[[nodiscard]] Result<std::optional<Timestamp>> parse_timestamp(std::string_view text);

// A calendar date: YYYY-MM-DD, or any timestamp form above (its UTC day), or M/D/YYYY
// (US admin-console exports). "never" forms give std::nullopt.
[[nodiscard]] Result<std::optional<Date>> parse_date(std::string_view text);

[[nodiscard]] std::string format_date(Date d);            // 2026-11-01
[[nodiscard]] std::string format_timestamp(Timestamp t);  // 2026-11-01T09:30:00Z

[[nodiscard]] inline Date to_date(Timestamp t) { return std::chrono::floor<std::chrono::days>(t); }

// b - a in whole days (negative if b is before a).
[[nodiscard]] inline std::int64_t days_between(Date a, Date b) { return (b - a).count(); }

}  // namespace stackaudit
