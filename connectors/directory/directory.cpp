// The directory reader: CSV rows -> Person.
#include "directory/directory.hpp"

#include <unordered_map>

#include "csv_source.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::directory {

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    std::unordered_map<std::string, std::size_t> line_of_email;
    return read_csv_source(
        source, context, report, "directory", k_column_keys,
        [&](const CsvTable& table, const CsvTable::Row& row, std::span<const ColumnSpec> columns) -> Result<void> {
            Person person;
            person.line = row.line;
            auto email = parse_email(row[col::email]);
            if (!email) {
                return std::unexpected(cell_error(table, row, columns[col::email], email.error().message,
                                                  "every person needs their work email, e.g. jane.doe@example.com"));
            }
            person.email = std::move(*email);
            if (const auto [it, added] = line_of_email.emplace(person.email, row.line); !added) {
                return std::unexpected(cell_error(
                    table, row, columns[col::email],
                    cat("repeats ", person.email, ", already listed on line ", it->second),
                    "keep one row per person; remove or correct the duplicate"));
            }
            const std::string_view status = row[col::status];
            if (status.empty()) {
                line_of_email.erase(person.email);
                return std::unexpected(cell_error(
                    table, row, columns[col::status], "is empty",
                    "write the account status, e.g. ACTIVE, SUSPENDED or DEPROVISIONED"));
            }
            person.status = parse_person_status(status);
            person.status_text = std::string(status);
            auto termination = parse_date(row[col::termination_date]);
            if (!termination) {
                line_of_email.erase(person.email);
                return std::unexpected(cell_error(
                    table, row, columns[col::termination_date],
                    cat("has an unreadable date: ", termination.error().message),
                    "write dates as YYYY-MM-DD (2026-03-31), M/D/YYYY, or an ISO 8601 timestamp; leave empty if none"));
            }
            person.termination_date = *termination;
            person.user_id = std::string(row[col::user_id]);
            person.display_name = std::string(row[col::display_name]);
            person.department = std::string(row[col::department]);
            person.team = std::string(row[col::team]);
            out.people.push_back(std::move(person));
            return {};
        });
}

}  // namespace stackaudit::connectors::directory
