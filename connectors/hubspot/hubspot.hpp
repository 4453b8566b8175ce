// Spec: the `hubspot` connector reads HubSpot's users (Settings API v3) and login history
// (Account Activity API) from saved pages or a snapshot: one Seat per user, licence type
// "super admin" or the user's role id, last activity = the newest successful login per user.
#pragma once

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::hubspot {

[[nodiscard]] ConnectorSpec spec();

// Reads every path of the source (a folder of saved pages, or one saved users page as .json).
// Errors: missing pages, a malformed page (naming the file), a CSV path, or the first bad
// record under --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::hubspot
