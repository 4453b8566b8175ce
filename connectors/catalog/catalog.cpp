// The catalog reader: CSV rows -> Tool, merging rows that name the same tool.
#include "catalog/catalog.hpp"

#include <algorithm>
#include <unordered_map>

#include "csv_source.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::catalog {

namespace {

constexpr std::array<std::string_view, 4> k_review_states{"approved", "pending", "rejected", "none"};

// The first row that stated a tool's owners for one role; later rows are compared with it.
struct OwnerClaim {
    std::size_t line = 0;
    std::vector<std::string> owners;
};

struct Entry {
    std::size_t index = 0;  // into out.tools
    OwnerClaim business;
    OwnerClaim technical;
};

Result<std::vector<std::string>> parse_owners(const CsvTable& table, const CsvTable::Row& row, const ColumnSpec& column,
                                              std::string_view text) {
    std::string separated(text);
    std::replace(separated.begin(), separated.end(), ',', ';');
    std::vector<std::string> owners;
    for (const auto& item : split_list(separated, ';')) {
        auto email = parse_email(item);
        if (!email) {
            return std::unexpected(cell_error(
                table, row, column, email.error().message,
                "list owners by email, several separated by `;`, e.g. ana@example.com; raj@example.com"));
        }
        if (std::find(owners.begin(), owners.end(), *email) == owners.end()) {
            owners.push_back(std::move(*email));
        }
    }
    return owners;
}

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& items) {
    for (const auto& item : items) {
        const bool present = std::any_of(to.begin(), to.end(), [&](const std::string& have) { return iequals(have, item); });
        if (!present) {
            to.push_back(item);
        }
    }
}

bool same_owners(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

void merge_owners(Tool& tool, std::vector<std::string>& tool_owners, OwnerClaim& claim,
                  const std::vector<std::string>& owners, std::size_t line, std::string_view role) {
    if (owners.empty()) {
        return;
    }
    if (claim.owners.empty()) {
        claim = OwnerClaim{line, owners};
    } else if (!same_owners(claim.owners, owners)) {
        tool.owner_conflicts.push_back(cat("line ", line, ": ", role, " ", join(owners, "; "), " (line ", claim.line, " says ", join(claim.owners, "; "), ")"));
    }
    add_unique(tool_owners, owners);
}

void fill(std::string& have, const std::string& other) {
    if (have.empty()) {
        have = other;
    }
}

template <class T>
void fill(std::optional<T>& have, const std::optional<T>& other) {
    if (!have) {
        have = other;
    }
}

Result<Tool> parse_tool(const CsvTable& table, const CsvTable::Row& row, std::span<const ColumnSpec> columns) {
    Tool tool;
    tool.line = row.line;
    tool.name = std::string(row[col::tool]);
    if (tool.name.empty()) {
        return std::unexpected(cell_error(table, row, columns[col::tool], "is empty",
                                          "every catalog row needs the tool's name"));
    }
    tool.vendor = std::string(row[col::vendor]);
    tool.sso_app_label = std::string(row[col::sso_app_label]);
    tool.capabilities = split_list(row[col::capabilities], ';');
    tool.owning_department = std::string(row[col::owning_department]);
    for (auto& department : split_list(row[col::intended_departments], ';')) {
        if (department == "*") {
            tool.intended_all = true;
        } else {
            tool.intended_departments.push_back(std::move(department));
        }
    }
    if (tool.intended_all) {
        tool.intended_departments.clear();
    }
    auto business = parse_owners(table, row, columns[col::business_owner], row[col::business_owner]);
    if (!business) {
        return std::unexpected(business.error());
    }
    tool.business_owners = std::move(*business);
    auto technical = parse_owners(table, row, columns[col::technical_owner], row[col::technical_owner]);
    if (!technical) {
        return std::unexpected(technical.error());
    }
    tool.technical_owners = std::move(*technical);

    tool.it_review = to_lower(row[col::it_review]);
    if (!tool.it_review.empty() &&
        std::find(k_review_states.begin(), k_review_states.end(), tool.it_review) == k_review_states.end()) {
        return std::unexpected(cell_error(table, row, columns[col::it_review],
                                          cat("has \"", row[col::it_review], "\", which is not a review state"),
                                          "write approved, pending, rejected or none, or leave it empty"));
    }
    auto seats = parse_count(row[col::contract_seats]);
    if (!seats) {
        return std::unexpected(cell_error(table, row, columns[col::contract_seats], seats.error().message,
                                          "write the number of seats bought, e.g. 250 or 1,200, or leave it empty"));
    }
    tool.contract_seats = *seats;
    auto cost = parse_money(row[col::annual_cost_per_seat]);
    if (!cost) {
        return std::unexpected(cell_error(table, row, columns[col::annual_cost_per_seat], cost.error().message,
                                          "write the yearly cost of one seat, e.g. 85, 85.00 or $1,020.50, or leave it empty"));
    }
    tool.annual_cost_per_seat = *cost;
    auto renewal = parse_date(row[col::renewal_date]);
    if (!renewal) {
        return std::unexpected(cell_error(table, row, columns[col::renewal_date],
                                          cat("has an unreadable date: ", renewal.error().message),
                                          "write dates as YYYY-MM-DD (2027-01-31), M/D/YYYY, or leave it empty"));
    }
    tool.renewal_date = *renewal;
    return tool;
}

}  // namespace

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    std::unordered_map<std::string, Entry> by_name;
    return read_csv_source(
        source, context, report, "catalog", k_column_keys,
        [&](const CsvTable& table, const CsvTable::Row& row, std::span<const ColumnSpec> columns) -> Result<void> {
            auto parsed = parse_tool(table, row, columns);
            if (!parsed) {
                return std::unexpected(parsed.error());
            }
            Tool& incoming = *parsed;
            const auto [it, added] = by_name.try_emplace(to_lower(incoming.name));
            Entry& entry = it->second;
            if (added) {
                entry.index = out.tools.size();
                if (!incoming.business_owners.empty()) {
                    entry.business = OwnerClaim{row.line, incoming.business_owners};
                }
                if (!incoming.technical_owners.empty()) {
                    entry.technical = OwnerClaim{row.line, incoming.technical_owners};
                }
                out.tools.push_back(std::move(incoming));
                return {};
            }
            Tool& tool = out.tools[entry.index];
            merge_owners(tool, tool.business_owners, entry.business, incoming.business_owners, row.line,
                         "business_owner");
            merge_owners(tool, tool.technical_owners, entry.technical, incoming.technical_owners, row.line,
                         "technical_owner");
            fill(tool.vendor, incoming.vendor);
            fill(tool.sso_app_label, incoming.sso_app_label);
            fill(tool.owning_department, incoming.owning_department);
            fill(tool.it_review, incoming.it_review);
            add_unique(tool.capabilities, incoming.capabilities);
            if (!tool.intended_all) {
                tool.intended_all = incoming.intended_all;
                add_unique(tool.intended_departments, incoming.intended_departments);
                if (tool.intended_all) {
                    tool.intended_departments.clear();
                }
            }
            fill(tool.contract_seats, incoming.contract_seats);
            fill(tool.annual_cost_per_seat, incoming.annual_cost_per_seat);
            fill(tool.renewal_date, incoming.renewal_date);
            return {};
        });
}

}  // namespace stackaudit::connectors::catalog
