// Spec: the `google_workspace` connector reads Google Workspace seats from saved Admin SDK pages
// (a `stackaudit pull` snapshot or pages saved by hand in the same layout):
//   users/           Directory API users.list: one Seat per user that is not archived; suspended
//                    users keep their seat with license_type "suspended"; last_activity is
//                    lastLoginTime (1970-01-01T00:00:00.000Z = never), assigned_date creationTime.
//   licenses/        Licensing API licenseAssignments.listForProduct (optional): license_type =
//                    skuName of the user's assignment(s), matched by email (userId).
//   login_activity/  Reports API login activities (optional): last_activity is raised to the
//                    newest login_success of the actor's email at or before as_of.
// Licences live on a second host (licensing.googleapis.com): the endpoint path starts with the
// {licensing_base_url} placeholder, defaulting to that host, so tests can point it elsewhere.
#pragma once

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::google_workspace {

[[nodiscard]] ConnectorSpec spec();

// Errors: io / not_found (no saved users pages), json_malformed (a page that does not parse),
// config_invalid (a path that is not a folder), or the first bad record under --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::google_workspace
