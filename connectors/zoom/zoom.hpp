// Spec: the `zoom` connector reads Zoom's active users (GET /v2/users) from saved pages or a
// snapshot: one Seat per Licensed user (type 2) with last activity = last_login_time and
// assigned date = created_at; Basic and other user types are counted as ignored.
#pragma once

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::zoom {

[[nodiscard]] ConnectorSpec spec();

// Reads every path (a folder of saved pages, or one saved users page as .json). Errors:
// missing pages, a malformed page (naming the file), a CSV path, or the first bad record under
// --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::zoom
