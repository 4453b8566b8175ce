// Spec: the `okta_log` connector reads an Okta System Log export, either a JSON array of events
// or JSON lines (one event per line), told apart by the first non-space byte; a folder holds
// saved /api/v1/logs pages (logs/page-00001.json, ..., each a JSON array, see api.hpp). It counts
// successful SSO sign-ins to apps: eventType "user.authentication.sso", outcome.result
// "SUCCESS", and a target of type "AppInstance" (id, alternateId = app label, displayName =
// app name); actor.id / actor.alternateId name the user. Everything else, and events published
// after as_of, is counted in SourceReport::ignored. Events are aggregated per (user, app) into
// Dataset::usage, sorted by (app_label, user_login).
//
// A JSON lines file is read by ReadContext::threads threads (default: every core), each over
// its own range of lines with its own fixed-size buffer, so memory grows with the number of
// threads and of distinct (user, app) pairs, not with the log's size; the result, the bad rows
// and their line numbers are the same for any number of threads. Arrays and saved pages are read
// by one thread, in fixed-size chunks too.
//
// A line (or array element) that is not valid JSON, has no eventType, or is an SSO success
// without a readable published time or actor is a bad row, reported with file:line. Lines
// without the SSO event type are counted, not validated: a JSON line shaped like an event
// object ('{' ... '}') whose "eventType" is a plain string other than
// "user.authentication.sso" is counted as ignored without being parsed, so a non-SSO line that is
// broken elsewhere is not reported (line_screen.hpp; docs/inputs.md).
#pragma once

#include <cstddef>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::okta_log {

struct ReaderOptions {
    // Bytes each thread reads at a time; lines or events longer than this grow its buffer.
    std::size_t chunk_bytes = std::size_t{4} << 20;
    // Threads for a JSON lines file; 0 takes ReadContext::threads (whose 0 means every core).
    unsigned threads = 0;
    // A file is cut into at most one range per this many bytes, so small files use one thread.
    std::size_t min_range_bytes = std::size_t{8} << 20;
};

// Aggregates every file of the source into out.usage. Errors: io (cannot open or read),
// json_malformed (the file is neither a JSON array nor JSON lines), internal (a reading thread
// failed, e.g. out of memory), or the first bad event under --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

// read() with explicit buffer sizes and threads, so tests can force events across chunk
// boundaries and small files across ranges.
[[nodiscard]] Result<void> read_with(const SourceConfig& source, ReadContext& context, Dataset& out,
                                     SourceReport& report, const ReaderOptions& options);

}  // namespace stackaudit::connectors::okta_log
