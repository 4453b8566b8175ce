// The generic JSON list: every record becomes a seat of the configured tool, its fields found
// by the JSON pointers given as options (dotted paths such as user.email are accepted too).
// Live, it is a single GET of option url; lists that need paging are pulled by hand as pages.
#include "json/json_connector.hpp"

#include <utility>

#include "csv_source.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::json {

namespace {

const std::string k_records = "records";

struct Mapping {
    std::string records;
    std::string email;
    std::string license_type;
    std::string last_activity;
    std::string assigned_date;
};

std::string option(const SourceConfig& source, const std::string& name) {
    const auto it = source.options.find(name);
    return it == source.options.end() ? std::string() : json_pages::to_pointer(it->second);
}

Result<Mapping> mapping(const SourceConfig& source) {
    Mapping map{
        .records = option(source, "records_pointer"),
        .email = option(source, "email"),
        .license_type = option(source, "license_type"),
        .last_activity = option(source, "last_activity"),
        .assigned_date = option(source, "assigned_date"),
    };
    if (map.email.empty()) {
        return fail(ErrorCode::config_invalid, "a json source needs option email",
                    Location{.source = source.name, .file = source.config_file, .line = source.config_line},
                    "name the JSON pointer of the email inside one record, e.g. `options: {email: /email}` or "
                    "`{email: /user/mail}`");
    }
    return map;
}

// One GET of the URL in option `url`, saved as it comes: the list is mapped when read, so the
// same options serve the live API and saved files.
ApiSpec api_spec() {
    return ApiSpec{
        .default_base_url = "{url}",
        .credentials = {CredentialSpec{
            .name = "token",
            .kind = AuthKind::bearer,
            .header = {},
            .description = "a bearer token of an account allowed to list the tool's users (read-only if the tool "
                           "offers it)",
        }},
        .endpoints = {Endpoint{.name = k_records, .path = "", .paging = Paging{}, .records_pointer = ""}},
        .permissions = "read access to the URL in option url (one page, no paging)",
        .check_endpoint = k_records,
    };
}

}  // namespace

ConnectorSpec spec() {
    return ConnectorSpec{
        .kind = "json",
        .description = "Any JSON list of accounts, one seat per record, mapped through options that name JSON "
                       "pointers inside a record (email required; license_type, last_activity, assigned_date "
                       "optional). The file is a JSON array, or an object holding the array at records_pointer; "
                       "a folder holds saved pages as records/page-00001.json, ... `tool:` names the catalog tool. "
                       "A record without a usable email or with an unreadable date is rejected with its JSON path.",
        .columns = {},
        .options = {
            "records_pointer: JSON pointer of the record array in the file or page, e.g. /data (default: the "
            "file is the array)",
            "email: JSON pointer of the email inside a record, e.g. /email or /user/mail (required)",
            "license_type: JSON pointer of the licence or plan name inside a record",
            "last_activity: JSON pointer of the last sign-in or activity timestamp; when set, seats count as "
            "having activity data",
            "assigned_date: JSON pointer of the date the seat was assigned or the account created",
            "url: for the live API, set under api: options:, the full URL that answers the list in one "
            "response (sent with the bearer token credential)",
        },
        .needs_tool = true,
        .default_tool = {},
        .api = api_spec(),
        .multiple = true,
        .read = read,
    };
}

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    auto map = mapping(source);
    if (!map) {
        return std::unexpected(map.error());
    }
    const std::string tool(trim(source.tool));
    report.seat_tools = {tool};
    std::size_t counter = 0;
    for (const auto& path : source.paths) {
        std::vector<std::filesystem::path> pages{path};
        switch (json_pages::input_form(path)) {
            case json_pages::InputForm::csv:
                return fail(ErrorCode::config_invalid,
                            cat("the json connector reads JSON, not CSV (", path.string(), ")"),
                            Location{.source = source.name, .file = source.config_file, .line = source.config_line},
                            "read CSV exports with the `seats` connector");
            case json_pages::InputForm::json:
                break;
            case json_pages::InputForm::pages: {
                auto found = json_pages::saved_pages(source, path, k_records, true);
                if (!found) {
                    return std::unexpected(found.error());
                }
                pages = std::move(*found);
                break;
            }
        }
        auto handled = json_pages::for_each_record(
            pages, source, context, report, map->records, counter, [&](json_pages::Record& record) -> Result<void> {
                auto email = json_pages::email_field(record, source.name, map->email,
                                                     cat("every record needs an email at ", map->email,
                                                         "; change option email if the address sits elsewhere"));
                if (!email) {
                    return std::unexpected(email.error());
                }
                Seat seat;
                seat.tool = tool;
                seat.email = std::move(*email);
                if (!map->license_type.empty()) {
                    auto license = record.text(map->license_type);
                    if (!license) {
                        return std::unexpected(record.error(source.name, map->license_type,
                                                            cat("license_type ", license.error().message),
                                                            "option license_type must point at a single value"));
                    }
                    seat.license_type = license->value_or("");
                }
                if (!map->last_activity.empty()) {
                    auto last = json_pages::timestamp_field(record, source.name, map->last_activity);
                    if (!last) {
                        return std::unexpected(last.error());
                    }
                    seat.last_activity = *last;
                    seat.has_activity_column = true;
                }
                if (!map->assigned_date.empty()) {
                    auto assigned = json_pages::date_field(record, source.name, map->assigned_date);
                    if (!assigned) {
                        return std::unexpected(assigned.error());
                    }
                    seat.assigned_date = *assigned;
                }
                seat.source = source.name;
                seat.line = record.number();
                out.seats.push_back(std::move(seat));
                ++report.records;
                return {};
            });
        if (!handled) {
            return handled;
        }
    }
    return {};
}

}  // namespace stackaudit::connectors::json
