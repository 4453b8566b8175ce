// Spec: the `okta_log` connector reads an Okta System Log export, either a JSON array of events
// or JSON lines (one event per line), told apart by the first non-space byte; a folder holds
// saved /api/v1/logs pages (logs/page-00001.json, ..., each a JSON array, see api.hpp). It counts
// successful SSO sign-ins to apps: eventType "user.authentication.sso", outcome.result
// "SUCCESS", and a target of type "AppInstance" (id, alternateId = app label, displayName =
// app name); actor.id / actor.alternateId name the user. Everything else, and events published
// after as_of, is counted in SourceReport::ignored. Events are aggregated per (user, app) into
// Dataset::usage, sorted by (app_label, user_login). Files are streamed in fixed-size chunks,
// so memory grows with the number of distinct (user, app) pairs, not with the log's size.
// A line (or array element) that is not valid JSON, has no eventType, or is an SSO success
// without a readable published time or actor is a bad row, reported with file:line.
#pragma once

#include <cstddef>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::okta_log {

struct ReaderOptions {
    // Bytes read from the file at a time; lines or events longer than this grow the buffer.
    std::size_t chunk_bytes = std::size_t{32} << 20;
};

// Aggregates every file of the source into out.usage. Errors: io (cannot open or read),
// json_malformed (the file is neither a JSON array nor JSON lines), or the first bad event under
// --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

// read() with explicit buffer sizes, so tests can force events across chunk boundaries.
[[nodiscard]] Result<void> read_with(const SourceConfig& source, ReadContext& context, Dataset& out,
                                     SourceReport& report, const ReaderOptions& options);

}  // namespace stackaudit::connectors::okta_log
