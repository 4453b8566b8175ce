// Spec: the `salesforce` connector reads Salesforce seats and licence counts, from saved REST
// API query pages (a `stackaudit pull` snapshot or pages saved by hand in the same layout) or
// from a Data Loader / report CSV export of User:
//   user_licenses/  SOQL on UserLicense: one LicensePool per licence with Status Active
//                   (sku = Name, purchased = TotalLicenses, assigned = UsedLicenses).
//   users/          SOQL on User: one Seat per IsActive user (license_type =
//                   Profile.UserLicense.Name, last_activity = LastLoginDate such as
//                   2013-05-20T20:49:32.000+0000, assigned_date = CreatedDate).
// The CSV export uses the same field names as headers (Email, IsActive, LastLoginDate,
// CreatedDate, Profile.UserLicense.Name, any case); `columns:` maps a report's own headers.
#pragma once

#include <array>
#include <string_view>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::salesforce {

namespace col {
enum : std::size_t { email, is_active, license_type, assigned_date, last_activity, count };
}
inline constexpr std::array<std::string_view, col::count> k_column_keys{"email", "is_active", "license_type",
                                                                       "assigned_date", "last_activity"};

[[nodiscard]] ConnectorSpec spec();

// Errors: io / not_found (no saved users pages), json_malformed (a page that does not parse),
// source_failed (saved pages that stop before the query's last page), config_invalid (a path
// that is neither a folder nor a .csv), CSV header errors, or the first bad record under
// --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::salesforce
