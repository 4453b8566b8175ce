// Spec: the `integrations` connector reads data flows between tools, one CSV row per
// integration (columns source_tool, target_tool, data; both tools required; data is a
// `;`-separated list of categories). Tool names are kept as written; the graph matches them to
// the catalog case-insensitively.
#pragma once

#include <array>
#include <string_view>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::integrations {

namespace col {
enum : std::size_t { source_tool, target_tool, data, count };
}
inline constexpr std::array<std::string_view, col::count> k_column_keys{"source_tool", "target_tool", "data"};

// Appends one Integration per good row to out.integrations. Errors: see read_csv_source().
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::integrations
