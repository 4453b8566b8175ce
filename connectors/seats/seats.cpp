// The seats reader: vendor licence export rows -> Seat.
#include "seats/seats.hpp"


#include "csv_source.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::seats {

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    const std::string tool(trim(source.tool));
    report.seat_tools = {tool};  // an export lists every seat of its tool
    return read_csv_source(
        source, context, report, "seats", k_column_keys,
        [&](const CsvTable& table, const CsvTable::Row& row, std::span<const ColumnSpec> columns) -> Result<void> {
            Seat seat;
            seat.tool = tool;
            seat.source = source.name;
            seat.line = row.line;
            auto email = parse_email(row[col::email]);
            if (!email) {
                return std::unexpected(cell_error(table, row, columns[col::email], email.error().message,
                                                  "every seat row needs the holder's email; map the right header "
                                                  "with `columns: {email: \"...\"}` if this is the wrong column"));
            }
            seat.email = std::move(*email);
            seat.license_type = std::string(row[col::license_type]);
            auto assigned = parse_date(row[col::assigned_date]);
            if (!assigned) {
                return std::unexpected(cell_error(table, row, columns[col::assigned_date],
                                                  cat("has an unreadable date: ", assigned.error().message),
                                                  "write dates as YYYY-MM-DD, M/D/YYYY or an ISO 8601 timestamp"));
            }
            seat.assigned_date = *assigned;
            seat.has_activity_column = table.has(col::last_activity);
            if (seat.has_activity_column) {
                auto last = parse_timestamp(row[col::last_activity]);
                if (!last) {
                    return std::unexpected(cell_error(
                        table, row, columns[col::last_activity],
                        cat("has an unreadable timestamp: ", last.error().message),
                        "write ISO 8601 (2026-10-30T14:05:00Z, 2026-10-30T14:05:00.000+0000), epoch seconds, "
                        "or leave it empty for never"));
                }
                seat.last_activity = *last;
            }
            out.seats.push_back(std::move(seat));
            return {};
        });
}

}  // namespace stackaudit::connectors::seats
