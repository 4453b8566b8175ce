// Zendesk Support: agents and admins from GET /api/v2/users.json with cursor paging
// (links.next, meta.has_more). Agents and admins hold seats; end users never do. Suspended
// agents still occupy a seat until their role changes, so they are kept, marked in the licence.
#include "zendesk/zendesk.hpp"

#include <utility>

#include "csv_source.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::zendesk {

namespace {

constexpr std::string_view k_default_tool = "Zendesk";
const std::string k_users = "users";
constexpr std::string_view k_records = "/users";

ApiSpec api_spec() {
    return ApiSpec{
        .default_base_url = "https://{subdomain}.zendesk.com",
        .credentials = {CredentialSpec{
            .name = "api_token",
            .kind = AuthKind::basic_token,
            .header = {},
            .description = "a Zendesk API token (Admin Center > Apps and integrations > APIs > Zendesk API > Add API "
                           "token) of an admin; sent as Basic auth of \"{email}/token:<token>\", so set option email "
                           "to that admin's address",
        }},
        .endpoints = {Endpoint{
            .name = k_users,
            .path = "/api/v2/users.json?page[size]=100&role[]=agent&role[]=admin",
            .paging = Paging{.kind = PagingKind::body_url, .next_pointer = "/links/next",
                             .done_pointer = "/meta/has_more", .done_when = false},
            .records_pointer = std::string(k_records),
        }},
        .permissions = "an API token of a Zendesk admin (listing agents and admins needs an admin or an agent "
                       "allowed to manage users); options subdomain (northwind for northwind.zendesk.com) and email",
        .check_endpoint = k_users,
    };
}

Result<void> read_users(const std::vector<std::filesystem::path>& pages, const SourceConfig& source,
                        ReadContext& context, SourceReport& report, Dataset& out, const std::string& tool) {
    std::size_t counter = 0;
    return json_pages::for_each_record(
        pages, source, context, report, k_records, counter, [&](json_pages::Record& record) -> Result<void> {
            auto role = record.text("/role");
            if (!role) {
                return std::unexpected(record.error(source.name, "/role", cat("role ", role.error().message),
                                                    "role is end-user, agent or admin"));
            }
            const std::string kind = to_lower(trim(role->value_or("")));
            if (kind != "agent" && kind != "admin") {
                if (kind.empty()) {
                    return std::unexpected(record.error(source.name, "/role", "user has no role",
                                                        "role is end-user, agent or admin"));
                }
                ++report.ignored;  // end users hold no seat
                return {};
            }
            auto active = record.boolean("/active");
            if (active && active->has_value() && !**active) {
                ++report.ignored;  // deleted users keep their record but no seat
                return {};
            }
            auto email = json_pages::email_field(record, source.name, "/email", "every Zendesk agent needs an email");
            if (!email) {
                return std::unexpected(email.error());
            }
            auto suspended = record.boolean("/suspended");
            if (!suspended) {
                return std::unexpected(record.error(source.name, "/suspended", cat("suspended ", suspended.error().message),
                                                    "suspended must be true or false"));
            }
            auto last = json_pages::timestamp_field(record, source.name, "/last_login_at");
            if (!last) {
                return std::unexpected(last.error());
            }
            auto created = json_pages::date_field(record, source.name, "/created_at");
            if (!created) {
                return std::unexpected(created.error());
            }
            Seat seat;
            seat.tool = tool;
            seat.email = std::move(*email);
            seat.license_type = suspended->value_or(false) ? cat("suspended ", kind) : kind;
            seat.assigned_date = *created;
            seat.last_activity = *last;
            seat.has_activity_column = true;
            seat.source = source.name;
            seat.line = record.number();
            out.seats.push_back(std::move(seat));
            ++report.records;
            return {};
        });
}

}  // namespace

ConnectorSpec spec() {
    return ConnectorSpec{
        .kind = "zendesk",
        .description = "Zendesk Support agents and admins, live (API token) or from saved pages of "
                       "GET /api/v2/users.json: one seat per agent or admin (licence type = the role; suspended "
                       "ones kept as \"suspended agent\"), last activity = last_login_at, assigned date = "
                       "created_at. End users are counted as ignored.",
        .columns = {},
        .options = {
            "subdomain: your Zendesk subdomain (northwind for northwind.zendesk.com); set it under api: options:",
            "email: the email of the admin who owns the API token; set it under api: options:",
        },
        .needs_tool = false,
        .default_tool = std::string(k_default_tool),
        .api = api_spec(),
        .multiple = false,
        .read = read,
    };
}

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    return json_pages::read_single_endpoint(
        source, k_default_tool, k_users, report,
        [&](const std::vector<std::filesystem::path>& pages, const std::string& tool) {
            return read_users(pages, source, context, report, out, tool);
        });
}

}  // namespace stackaudit::connectors::zendesk
