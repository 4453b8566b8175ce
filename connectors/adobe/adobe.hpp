// Spec: the `adobe` connector reads Adobe Admin Console users and product profiles, from the
// User Management API (saved pages or a snapshot) or from the Admin Console's CSV user export:
// one Seat per user holding at least one product profile (licence type = the profiles, joined
// "; "), and one LicensePool per product from the product-profile groups. Adobe reports no
// sign-in activity, so seats carry none (usage comes from the identity provider).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::adobe {

[[nodiscard]] ConnectorSpec spec();

// Reads every path: a folder of saved pages (users/, groups/), one saved users page (.json), or
// the Admin Console CSV export. Errors: missing pages or columns, a malformed page (naming the
// file), or the first bad record under --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

// The product profiles in one "Product Configurations" cell: separated by ';' when there is
// one, else by ',' outside parentheses (profile names such as "Shared Device Access (ETLA,
// ETLA - DD21)" hold commas of their own).
[[nodiscard]] std::vector<std::string> split_profiles(std::string_view cell);

}  // namespace stackaudit::connectors::adobe
