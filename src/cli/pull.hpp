// Pulling live sources into snapshots, and pointing the audit at the newest snapshot of each.
// Shared by `stackaudit pull`, `stackaudit audit --pull` and `stackaudit connectors check`.
#pragma once

#include <iosfwd>
#include <vector>

#include "config.hpp"
#include "stackaudit/core/ingest.hpp"

namespace stackaudit::cli {

struct PullSummary {
    std::size_t pulled = 0;
    std::size_t failed = 0;
};

// Pulls every source that has an `api:` section into config.snapshots_dir. A failing source is
// reported (on `err`) and leaves its previous snapshot; the others still pull. Progress goes to
// `err` (one line per page on a terminal, key=value log lines otherwise).
[[nodiscard]] PullSummary pull_all(const AuditConfig& config, std::ostream& out, std::ostream& err);

// For every `api:` source, reads from its newest snapshot: the source's paths become the
// snapshot folder. Sources with no snapshot yet are removed from `config` and returned as
// failed SourceReports; `freshness` receives fetched_at/stale for the others (by source name).
[[nodiscard]] std::vector<SourceReport> use_snapshots(AuditConfig& config, std::vector<SourceReport>& freshness);

// A live check of one source's credentials: the first page of its check endpoint.
[[nodiscard]] Result<std::string> check_source(const connectors::SourceConfig& source);

}  // namespace stackaudit::cli
