// Spec: the `seats` connector reads one vendor's licence export, one CSV row per assigned seat
// (columns email, license_type, assigned_date, last_activity; email required). The catalog tool
// comes from the source's `tool:`; vendor headers are mapped with `columns:`. last_activity
// accepts every vendor timestamp spelling (ISO 8601 with Z, +0000 or +00:00, epoch seconds or
// milliseconds) and the "never" forms (empty, null, never, epoch 0). Seat::has_activity_column
// is true when the last_activity column is present in the file.
#pragma once

#include <array>
#include <string_view>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::seats {

namespace col {
enum : std::size_t { email, license_type, assigned_date, last_activity, count };
}
inline constexpr std::array<std::string_view, col::count> k_column_keys{"email", "license_type", "assigned_date",
                                                                       "last_activity"};

// Appends one Seat per good row to out.seats. Errors: see read_csv_source().
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::seats
