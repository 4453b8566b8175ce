// Spec: the `zendesk` connector reads Zendesk Support users (GET /api/v2/users.json, agents and
// admins) from saved pages or a snapshot: one Seat per agent or admin (suspended ones kept as
// "suspended <role>"), last activity = last_login_at, assigned date = created_at. End users
// hold no seat and are counted as ignored.
#pragma once

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::zendesk {

[[nodiscard]] ConnectorSpec spec();

// Reads every path (a folder of saved pages, or one saved users page as .json). Errors:
// missing pages, a malformed page (naming the file), a CSV path, or the first bad record under
// --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::zendesk
