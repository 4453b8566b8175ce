// Zoom: active users from GET /v2/users, paged by next_page_token ("" on the last page). Only
// Licensed users (type 2) hold a paid seat; Basic (1) and the other types are counted as ignored.
#include "zoom/zoom.hpp"

#include <utility>

#include "csv_source.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::zoom {

namespace {

constexpr std::string_view k_default_tool = "Zoom";
const std::string k_users = "users";
constexpr std::string_view k_records = "/users";
constexpr std::int64_t k_licensed = 2;

ApiSpec api_spec() {
    return ApiSpec{
        .default_base_url = "https://api.zoom.us",
        .credentials = {CredentialSpec{
            .name = "token",
            .kind = AuthKind::bearer,
            .header = {},
            .description = "an access token of a Zoom Server-to-Server OAuth app (Zoom App Marketplace > Develop > "
                           "Build App > Server-to-Server OAuth) with the scope user:read:admin; these tokens last "
                           "one hour, so refresh the token file before each pull",
        }},
        .endpoints = {Endpoint{
            .name = k_users,
            .path = "/v2/users?status=active&page_size=300",
            .paging = Paging{.kind = PagingKind::body_token, .next_pointer = "/next_page_token",
                             .token_param = "next_page_token"},
            .records_pointer = std::string(k_records),
        }},
        .permissions = "Server-to-Server OAuth app scope user:read:admin (apps on Zoom's granular scopes: "
                       "user:read:list_users:admin, unverified)",
        .check_endpoint = k_users,
    };
}

Result<void> read_users(const std::vector<std::filesystem::path>& pages, const SourceConfig& source,
                        ReadContext& context, SourceReport& report, Dataset& out, const std::string& tool) {
    std::size_t counter = 0;
    return json_pages::for_each_record(
        pages, source, context, report, k_records, counter, [&](json_pages::Record& record) -> Result<void> {
            auto type = record.integer("/type");
            if (!type) {
                return std::unexpected(record.error(source.name, "/type", cat("type ", type.error().message),
                                                    "type is Zoom's user type: 1 Basic, 2 Licensed"));
            }
            if (!type->has_value()) {
                return std::unexpected(record.error(source.name, "/type", "user has no type",
                                                    "type is Zoom's user type: 1 Basic, 2 Licensed"));
            }
            if (**type != k_licensed) {
                ++report.ignored;  // Basic and unassigned users hold no paid licence
                return {};
            }
            auto email = json_pages::email_field(record, source.name, "/email", "every Zoom user needs an email");
            if (!email) {
                return std::unexpected(email.error());
            }
            auto last = json_pages::timestamp_field(record, source.name, "/last_login_time");
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
            seat.license_type = "Licensed";
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
        .kind = "zoom",
        .description = "Zoom users, live (Server-to-Server OAuth token) or from saved pages of GET /v2/users: one seat "
                       "per Licensed user (type 2) with last activity = last_login_time and assigned date = "
                       "created_at; Basic users (type 1) and other types are counted as ignored.",
        .columns = {},
        .options = {},
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

}  // namespace stackaudit::connectors::zoom
