// HubSpot: users from /settings/v3/users and logins from /account-info/v3/activity/login, both
// paged by the opaque paging.next.after token. The login history is read first so each user's
// seat carries the newest successful login (HubSpot keeps 90 days of it).
#include "hubspot/hubspot.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "csv_source.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::hubspot {

namespace {

constexpr std::string_view k_default_tool = "HubSpot Marketing Hub";
const std::string k_users = "users";
const std::string k_logins = "logins";
constexpr std::string_view k_records = "/results";

ApiSpec api_spec() {
    const Paging after{.kind = PagingKind::body_token, .next_pointer = "/paging/next/after", .token_param = "after"};
    return ApiSpec{
        .default_base_url = "https://api.hubapi.com",
        .credentials = {CredentialSpec{
            .name = "token",
            .kind = AuthKind::bearer,
            .header = {},
            .description = "a HubSpot private app access token (Settings > Integrations > Private Apps > Create a "
                           "private app) with the scopes settings.users.read and account-info.security.read",
        }},
        .endpoints = {
            Endpoint{.name = k_users, .path = "/settings/v3/users/?limit=100", .paging = after,
                     .records_pointer = std::string(k_records)},
            // Login history needs its own scope; without it the seats are still read, with no activity.
            Endpoint{.name = k_logins, .path = "/account-info/v3/activity/login?limit=100", .paging = after,
                     .records_pointer = std::string(k_records), .optional = true},
        },
        .permissions = "private app scopes settings.users.read (users) and account-info.security.read (login "
                       "history; without it seats carry no last activity)",
        .check_endpoint = k_users,
    };
}

// Newest successful login, by normalised email and by HubSpot user id.
struct Logins {
    std::map<std::string, Timestamp, std::less<>> by_email;
    std::map<std::string, Timestamp, std::less<>> by_user_id;

    static void keep_newest(std::map<std::string, Timestamp, std::less<>>& map, const std::string& key, Timestamp at) {
        auto [it, inserted] = map.emplace(key, at);
        if (!inserted && it->second < at) {
            it->second = at;
        }
    }

    [[nodiscard]] std::optional<Timestamp> newest(const std::string& email, const std::string& user_id) const {
        std::optional<Timestamp> best;
        if (const auto it = by_email.find(email); it != by_email.end()) {
            best = it->second;
        }
        if (const auto it = by_user_id.find(user_id); !user_id.empty() && it != by_user_id.end()) {
            if (!best || *best < it->second) {
                best = it->second;
            }
        }
        return best;
    }
};

Result<void> read_logins(const std::vector<std::filesystem::path>& pages, const SourceConfig& source,
                         ReadContext& context, SourceReport& report, Logins& logins) {
    std::size_t counter = 0;
    return json_pages::for_each_record(
        pages, source, context, report, k_records, counter, [&](json_pages::Record& record) -> Result<void> {
            auto succeeded = record.boolean("/loginSucceeded");
            if (!succeeded) {
                return std::unexpected(record.error(source.name, "/loginSucceeded", cat("loginSucceeded ", succeeded.error().message),
                                                    "loginSucceeded must be true or false"));
            }
            if (!succeeded->value_or(false)) {
                return {};  // failed attempts are not use
            }
            auto at = json_pages::timestamp_field(record, source.name, "/loginAt");
            if (!at) {
                return std::unexpected(at.error());
            }
            if (!at->has_value()) {
                return {};
            }
            auto email = record.text("/email");
            auto user_id = record.text("/userId");
            if (email && email->has_value() && !trim(**email).empty()) {
                Logins::keep_newest(logins.by_email, normalize_email(**email), **at);
            }
            if (user_id && user_id->has_value() && !user_id->value().empty()) {
                Logins::keep_newest(logins.by_user_id, **user_id, **at);
            }
            return {};
        });
}

Result<void> read_users(const std::vector<std::filesystem::path>& pages, const SourceConfig& source,
                        ReadContext& context, SourceReport& report, Dataset& out, const std::string& tool,
                        const Logins& logins, bool has_activity) {
    std::size_t counter = 0;
    return json_pages::for_each_record(
        pages, source, context, report, k_records, counter, [&](json_pages::Record& record) -> Result<void> {
            auto email = json_pages::email_field(record, source.name, "/email", "every HubSpot user needs an email");
            if (!email) {
                return std::unexpected(email.error());
            }
            auto super_admin = record.boolean("/superAdmin");
            if (!super_admin) {
                return std::unexpected(record.error(source.name, "/superAdmin", cat("superAdmin ", super_admin.error().message),
                                                    "superAdmin must be true or false"));
            }
            auto role = record.text("/roleId");
            if (!role) {
                return std::unexpected(record.error(source.name, "/roleId", cat("roleId ", role.error().message),
                                                    "roleId must be a role id"));
            }
            std::string license = super_admin->value_or(false) ? "super admin" : role->value_or("");
            if (license.empty()) {
                auto roles = record.strings("/roleIds");
                if (roles && !roles->empty()) {
                    license = join(*roles, "; ");
                }
            }
            auto id = record.text("/id");
            Seat seat;
            seat.tool = tool;
            seat.email = std::move(*email);
            seat.license_type = std::move(license);
            seat.has_activity_column = has_activity;
            if (has_activity) {
                seat.last_activity = logins.newest(seat.email, id ? id->value_or("") : std::string());
            }
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
        .kind = "hubspot",
        .description = "HubSpot users and login history, live (private app token) or from saved pages: one seat per "
                       "user; licence type \"super admin\" or the user's role id; last activity = the newest "
                       "successful login in HubSpot's 90-day login history. Without the login history (its scope "
                       "missing) seats are read with no activity data.",
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
    const std::string tool = json_pages::tool_name(source, k_default_tool);
    report.seat_tools = {tool};
    for (const auto& path : source.paths) {
        std::vector<std::filesystem::path> users;
        std::vector<std::filesystem::path> login_pages;
        switch (json_pages::input_form(path)) {
            case json_pages::InputForm::csv:
                return std::unexpected(json_pages::no_export_error(source, path, k_default_tool));
            case json_pages::InputForm::json:
                users.push_back(path);
                break;
            case json_pages::InputForm::pages: {
                auto found = json_pages::saved_pages(source, path, k_users, true);
                if (!found) {
                    return std::unexpected(found.error());
                }
                users = std::move(*found);
                auto logins = json_pages::saved_pages(source, path, k_logins, false);
                if (!logins) {
                    return std::unexpected(logins.error());
                }
                login_pages = std::move(*logins);
                break;
            }
        }
        Logins logins;
        if (auto read_ok = read_logins(login_pages, source, context, report, logins); !read_ok) {
            return read_ok;
        }
        if (auto read_ok = read_users(users, source, context, report, out, tool, logins, !login_pages.empty()); !read_ok) {
            return read_ok;
        }
    }
    return {};
}

}  // namespace stackaudit::connectors::hubspot
