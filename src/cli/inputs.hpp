// Reading every configured input the way an audit does: live sources from their newest
// snapshot, a failed directory or catalog (or a bad row under --on-bad-row fail) stops the run,
// other failures mark it partial. Shared by `audit` and the commands that only need the graph.
#pragma once

#include <iosfwd>
#include <memory>

#include "config.hpp"
#include "stackaudit/core/ingest.hpp"
#include "stackaudit/core/model.hpp"

namespace stackaudit::cli {

struct LoadedInputs {
    Dataset data;
    std::unique_ptr<RowSink> rows;  // the bad rows seen (for the summary and rejects.csv)
    bool partial = false;           // a source failed or is stale, or rows were rejected
};

// The audit's "now": --as-of text if given, else the config's as_of, else the current time.
// Errors: invalid_value for an unreadable --as-of.
[[nodiscard]] Result<Timestamp> audit_time(const AuditConfig& config, const std::string& as_of_option);

// Reads every source of `config` (its api: sources switch to their snapshots). Problems that
// leave nothing worth auditing are printed on `err` and returned as the error (its message
// says what to fix): an essential source failed, a bad row under `fail`, seats of a tool that
// is not in the catalog. `threads` bounds the threads a reader may use on one large input
// (the Okta System Log); 0 means every core.
[[nodiscard]] Result<LoadedInputs> read_inputs(AuditConfig& config, Timestamp as_of, BadRowPolicy policy,
                                               std::ostream& err, unsigned threads = 0);

}  // namespace stackaudit::cli
