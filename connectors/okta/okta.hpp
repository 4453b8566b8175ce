// Spec: the `okta` connector reads Okta's users, apps and app assignments from saved API pages
// (snapshot layout: users/page-00001.json, apps/page-00001.json, app_users/<app id>/page-00001.json,
// each page a JSON array as /api/v1/users, /api/v1/apps and /api/v1/apps/{id}/users return it).
// Every user that is not DEPROVISIONED holds a seat of the Okta tool itself (license_type = the
// user's status, last_activity = lastLogin). Every assignment of an ACTIVE app becomes a seat of
// the tool named by the app's label (license_type = the assignment's scope USER|GROUP,
// assigned_date = its created date, no last activity: usage comes from the System Log).
// Deprovisioned users, deprovisioned assignments and the assignments of inactive apps are
// counted as ignored.
#pragma once

#include <string_view>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::okta {

inline constexpr std::string_view k_default_tool = "Okta";

// The `okta` kind, with its ApiSpec.
[[nodiscard]] ConnectorSpec spec();
[[nodiscard]] ApiSpec api_spec();

// The API token both Okta kinds (okta, okta_log) use, and the admin role it needs.
[[nodiscard]] CredentialSpec token_credential();
[[nodiscard]] std::string permissions();

// Reads every folder of saved pages in source.paths into out.seats. Errors: config_invalid for
// a path that is a file, not_found for a folder without users/ pages, json_malformed naming the
// page that is not valid JSON, or the first bad record under --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::okta
