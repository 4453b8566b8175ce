// Spec: the `m365` connector reads Microsoft 365 licences from Microsoft Graph, pulled live or
// saved: subscribedSkus pages (subscribed_skus/) become LicensePools (purchased =
// prepaidUnits.enabled, assigned = consumedUnits); users pages (users/) give one seat per user
// with at least one assigned licence (license_type = the SKU part numbers joined by "+",
// last_activity = signInActivity.lastSuccessfulSignInDateTime, else lastSignInDateTime); the
// Microsoft 365 active-user-detail report (active_users/page-00001.csv when pulled, or the CSV
// downloaded from the admin center given as a path) adds each user's latest "... Last Activity
// Date". Without users pages the report alone gives the seats (license_type = Assigned
// Products). The `sku_tools` option sends SKUs (or report product names) to other catalog tools.
#pragma once

#include <string_view>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::m365 {

inline constexpr std::string_view k_default_tool = "Microsoft 365";

// The `m365` kind, with its ApiSpec.
[[nodiscard]] ConnectorSpec spec();
[[nodiscard]] ApiSpec api_spec();

// Reads folders of saved pages and report CSV files into out.seats and out.licenses.
// Errors: config_invalid (bad sku_tools, a path that is neither a folder nor a .csv file),
// not_found (a folder without any of the endpoints' pages), json_malformed naming the page,
// csv errors naming the report file, or the first bad record under --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::m365
