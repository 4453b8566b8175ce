// Spec: the `catalog` connector reads the software catalog, one CSV row per tool (columns tool,
// vendor, sso_app_label, capabilities, owning_department, intended_departments, business_owner,
// technical_owner, it_review, contract_seats, annual_cost_per_seat, renewal_date; only tool is
// required). Lists use `;`; owner cells may hold several emails (`;` or `,`); `*` in
// intended_departments means everyone; money and seat counts tolerate "1,200" and "$85.00".
// Rows naming a tool again (case-insensitive) are merged into the first: owners and lists are
// unioned, blanks filled, and a differing owner list is recorded in Tool::owner_conflicts.
#pragma once

#include <array>
#include <string_view>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::catalog {

namespace col {
enum : std::size_t { tool, vendor, sso_app_label, capabilities, owning_department, intended_departments,
                     business_owner, technical_owner, it_review, contract_seats, annual_cost_per_seat,
                     renewal_date, count };
}
inline constexpr std::array<std::string_view, col::count> k_column_keys{
    "tool", "vendor", "sso_app_label", "capabilities", "owning_department", "intended_departments",
    "business_owner", "technical_owner", "it_review", "contract_seats", "annual_cost_per_seat", "renewal_date"};

// Appends one Tool per distinct tool name to out.tools. Errors: see read_csv_source().
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::catalog
