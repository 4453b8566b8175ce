// Spec: the `json` connector reads any JSON list of accounts into seats through a field
// mapping: a JSON file (an array, or an object holding the array at option records_pointer)
// or a folder of saved pages (<dir>/records/page-00001.json, ...). Options name JSON pointers
// inside one record: email (required), license_type, last_activity, assigned_date. `tool:` is
// required. Bad records are rejected with their JSON path ("$.data[4].user.email").
#pragma once

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::json {

[[nodiscard]] ConnectorSpec spec();

// Errors: config_invalid (option email missing), io / json_malformed for an unreadable or
// malformed file (naming it), or the first bad record under --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::json
