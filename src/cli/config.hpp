// stackaudit.yaml: which files to read, how their columns map, rule parameters and outputs.
// The loader is strict: an unknown key is an error with file:line and a did-you-mean.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/error.hpp"
#include "stackaudit/core/finding.hpp"
#include "stackaudit/core/ingest.hpp"
#include "stackaudit/core/time.hpp"
#include "stackaudit/core/value.hpp"

namespace stackaudit::cli {

struct AuditConfig {
    std::filesystem::path file;  // the config file itself
    std::filesystem::path dir;   // its directory: relative paths start here
    std::string company;
    std::optional<Timestamp> as_of;
    int window_days = 30;
    std::optional<BadRowPolicy> on_bad_row;
    std::vector<connectors::SourceConfig> sources;
    std::vector<std::filesystem::path> rule_paths;  // empty: the built-in pack
    std::map<std::string, Value> params;
    std::set<std::string> disabled;
    std::set<std::string> enabled;
    std::map<std::string, Severity> severity;
    std::filesystem::path output_dir;  // empty: ./out beside the current directory
    std::filesystem::path snapshots_dir;  // where `stackaudit pull` writes; default <config dir>/snapshots
    std::filesystem::path history_db;     // run history (SQLite) when configured; see history_path()
    std::filesystem::path waivers_file;   // empty: no waivers
    double utilisation_floor = 0.5;       // scorecard: a tool at or above it counts as used
};

// Errors: io (cannot read), config_invalid (YAML syntax, unknown key, wrong type, unknown
// connector kind, missing path), each with file:line and a hint.
[[nodiscard]] Result<AuditConfig> load_config(const std::filesystem::path& file);

// Permission problems worth a warning before a run: a config or waivers file that others can
// write (they could point stackaudit at other servers or credential files, or waive findings),
// and a config with live sources that everyone can read (it maps where the credentials are).
// One sentence each with the chmod that fixes it; empty when all is well.
[[nodiscard]] std::vector<std::string> permission_warnings(const AuditConfig& config);

// The run-history database: history.db from the config, else stackaudit.db in the output
// directory (`out_dir` when given, else output.dir, else ./out), so the history lives with the
// outputs it explains.
[[nodiscard]] std::filesystem::path history_path(const AuditConfig& config, const std::filesystem::path& out_dir = {});

// Where the built-in rule pack is: $STACKAUDIT_RULES_DIR, else the source tree's rules/ (when
// running from a build tree), else the installed share/stackaudit/rules.
[[nodiscard]] std::filesystem::path builtin_rules_dir();

}  // namespace stackaudit::cli
