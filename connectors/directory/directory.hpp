// Spec: the `directory` connector reads the HR / identity-provider directory, one CSV row per
// person (columns user_id, email, display_name, department, team, status, termination_date;
// email and status required). Emails are normalised; a repeated email is a bad row, since
// two people cannot share the key everything else is matched by.
#pragma once

#include <array>
#include <string_view>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::directory {

namespace col {
enum : std::size_t { user_id, email, display_name, department, team, status, termination_date, count };
}
inline constexpr std::array<std::string_view, col::count> k_column_keys{
    "user_id", "email", "display_name", "department", "team", "status", "termination_date"};

// Appends one Person per good row to out.people. Errors: see read_csv_source().
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::directory
