// The integrations reader: CSV rows -> Integration.
#include "integrations/integrations.hpp"

#include "csv_source.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::integrations {

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    return read_csv_source(
        source, context, report, "integrations", k_column_keys,
        [&](const CsvTable& table, const CsvTable::Row& row, std::span<const ColumnSpec> columns) -> Result<void> {
            Integration integration;
            integration.line = row.line;
            integration.source_tool = std::string(row[col::source_tool]);
            integration.target_tool = std::string(row[col::target_tool]);
            for (const std::size_t key : {std::size_t{col::source_tool}, std::size_t{col::target_tool}}) {
                if (row[key].empty()) {
                    return std::unexpected(cell_error(table, row, columns[key], "is empty",
                                                      "name both ends of the integration as the catalog names them"));
                }
            }
            integration.data = split_list(row[col::data], ';');
            out.integrations.push_back(std::move(integration));
            return {};
        });
}

}  // namespace stackaudit::connectors::integrations
