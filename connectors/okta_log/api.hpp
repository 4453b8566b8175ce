// The live-API side of the `okta_log` kind: the System Log endpoint (/api/v1/logs) as an
// ApiSpec, pulled incrementally from the last pull's position. The reader (okta_log.hpp) reads
// the pages a pull saves (logs/page-00001.json, each a JSON array of events) like an export.
#pragma once

#include "stackaudit/connectors/api.hpp"

namespace stackaudit::connectors::okta_log {

// Endpoint "logs": /api/v1/logs?since={since}&limit=1000, Link-header paging that stops at the
// first empty page (Okta's polling queries always return a next link).
[[nodiscard]] ApiSpec api_spec();

}  // namespace stackaudit::connectors::okta_log
