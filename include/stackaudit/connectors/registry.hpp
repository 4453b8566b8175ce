// The connector registry: one declarative spec per input kind, listed in one place
// (connectors/registry.cpp). Adding a source means a folder under connectors/ and one line there.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/csv.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/core/error.hpp"
#include "stackaudit/core/ingest.hpp"
#include "stackaudit/core/model.hpp"

namespace stackaudit::connectors {

// One configured input, as stackaudit.yaml describes it (paths already resolved).
struct SourceConfig {
    std::string name;  // unique in a run: "directory", "catalog", "seats:Salesforce", "okta_log"
    std::string kind;  // registry key
    std::vector<std::filesystem::path> paths;       // resolved, for reading
    std::vector<std::string> display_paths;         // as written in the config, for reports
    std::map<std::string, std::string> columns;  // column key -> header text in this file
    std::string tool;                            // seats: the catalog tool these seats belong to
    std::optional<ApiSourceConfig> api;          // live API settings (`api:` in the config)
    std::map<std::string, std::string> options;  // connector-specific options (documented per spec)
    std::string config_file;                     // where it was configured, for errors
    std::size_t config_line = 0;
};

struct ReadContext {
    RowSink& rows;
    Timestamp as_of;
    int window_days = 30;
    unsigned threads = 0;  // threads a reader may use on one large input (okta_log); 0: every core
};

struct ColumnDoc {
    std::string key;
    std::string default_header;
    bool required = true;
    std::string description;
};

struct ConnectorSpec {
    std::string kind;
    std::string description;  // one paragraph for `connectors list` and docs/inputs.md
    std::vector<ColumnDoc> columns;  // empty for non-tabular sources
    std::vector<std::string> options;  // "name: description"
    bool needs_tool = false;           // seats: `tool:` is required
    std::string default_tool;          // vendor connectors: the catalog tool when `tool:` is absent
    std::optional<ApiSpec> api;        // set for connectors that can pull from a live API
    bool multiple = false;             // may appear several times in a config
    // Reads one source into `out`. Fills `report` (records, rejected, ignored). Returns an
    // error when the source as a whole cannot be used (missing file or column, or a bad row
    // under --on-bad-row fail); the caller marks the source failed and carries on.
    std::function<Result<void>(const SourceConfig&, ReadContext&, Dataset& out, SourceReport& report)> read;
};

[[nodiscard]] const std::vector<ConnectorSpec>& registry();
[[nodiscard]] const ConnectorSpec* find(std::string_view kind);

// Column specs for a source: the spec's defaults with the config's overrides applied.
// Errors: config_invalid for an override naming a column key the connector does not have.
[[nodiscard]] Result<std::vector<ColumnSpec>> column_specs(const ConnectorSpec& spec, const SourceConfig& source);

// Reads every source in order into one Dataset. A source that fails is recorded in
// Dataset::sources with ok == false and its error; the others are still read.
[[nodiscard]] Dataset read_all(const std::vector<SourceConfig>& sources, ReadContext& context);

}  // namespace stackaudit::connectors
