// The Google Workspace connector: its Admin SDK ApiSpec and the reader of the saved pages
// (directory users, licence assignments, login activity) -> Seat.
#include "google_workspace/google_workspace.hpp"

#include <array>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "stackaudit/core/strings.hpp"
#include "vendor_pages.hpp"

namespace stackaudit::connectors::google_workspace {

namespace {

const std::string k_default_tool = "Google Workspace";
const std::string k_users = "users";
const std::string k_licenses = "licenses";
const std::string k_logins = "login_activity";

namespace user_field {
enum : std::size_t { email, archived, suspended, last_login, created };
}
constexpr std::array<std::string_view, 5> k_user_pointers{"/primaryEmail", "/archived", "/suspended", "/lastLoginTime",
                                                          "/creationTime"};

namespace licence_field {
enum : std::size_t { user, sku_name, sku_id };
}
constexpr std::array<std::string_view, 3> k_licence_pointers{"/userId", "/skuName", "/skuId"};

namespace login_field {
enum : std::size_t { time, email };
}
constexpr std::array<std::string_view, 2> k_login_pointers{"/id/time", "/actor/email"};

ApiSpec make_api() {
    ApiSpec api;
    api.default_base_url = "https://admin.googleapis.com";
    api.credentials = {CredentialSpec{
        .name = "token",
        .kind = AuthKind::bearer,
        .header = {},
        .description = "an OAuth 2.0 access token of a Google Workspace admin (or of a service account with "
                       "domain-wide delegation acting as one) granted the scopes "
                       "https://www.googleapis.com/auth/admin.directory.user.readonly, "
                       "https://www.googleapis.com/auth/apps.licensing and "
                       "https://www.googleapis.com/auth/admin.reports.audit.readonly",
    }};
    api.endpoints = {
        Endpoint{.name = k_users,
                 .path = "/admin/directory/v1/users?customer=my_customer&maxResults=500",
                 .paging = Paging{.kind = PagingKind::body_token, .next_pointer = "/nextPageToken", .token_param = "pageToken"},
                 .records_pointer = "/users"},
        // The Licensing API lives on its own host; {licensing_base_url} defaults to it.
        Endpoint{.name = k_licenses,
                 .path = "{licensing_base_url}/apps/licensing/v1/product/{product_id}/users?customerId={customer_id}"
                         "&maxResults=1000",
                 .paging = Paging{.kind = PagingKind::body_token, .next_pointer = "/nextPageToken", .token_param = "pageToken"},
                 .records_pointer = "/items",
                 .optional = true},
        Endpoint{.name = k_logins,
                 .path = "/admin/reports/v1/activity/users/all/applications/login?startTime={since}"
                         "&maxResults=1000",
                 .paging = Paging{.kind = PagingKind::body_token, .next_pointer = "/nextPageToken", .token_param = "pageToken"},
                 .records_pointer = "/items",
                 .optional = true},
    };
    api.permissions = "OAuth scopes admin.directory.user.readonly (users), apps.licensing (licence assignments) and "
                      "admin.reports.audit.readonly (login activity), granted to a Workspace admin or through "
                      "domain-wide delegation";
    api.check_endpoint = k_users;
    api.option_defaults = {{"licensing_base_url", "https://licensing.googleapis.com"}, {"product_id", "Google-Apps"}};
    return api;
}

ConnectorSpec make_spec() {
    return ConnectorSpec{
        .kind = "google_workspace",
        .description = "Google Workspace seats from the Admin SDK: directory users (one seat per user not archived; "
                       "suspended users keep theirs as \"suspended\"), licence SKUs from the Licensing API, and last "
                       "sign-in from lastLoginTime raised by login_success events of the Reports API. Reads a "
                       "`stackaudit pull` snapshot or pages saved in the same layout.",
        .columns = {},
        .options = {"customer_id: the Workspace customer ID (Admin console > Account > Account settings, e.g. "
                    "C03az79cb); needed for the licence assignments",
                    "product_id: Licensing API product whose assignments are read (default Google-Apps)",
                    "licensing_base_url: base URL of the Licensing API (default https://licensing.googleapis.com)"},
        .needs_tool = false,
        .default_tool = k_default_tool,
        .api = make_api(),
        .multiple = false,
        .read = read,
    };
}

// Reads one folder of saved pages into `seats`.
class PagesReader {
public:
    PagesReader(const SourceConfig& source, ReadContext& context, SourceReport& report, std::string tool)
        : m_source(source), m_context(context), m_report(report), m_tool(std::move(tool)) {}

    Result<void> read(const std::filesystem::path& dir, std::vector<Seat>& seats) {
        auto users = pages::required_pages(m_source, dir, k_users);
        if (!users) {
            return std::unexpected(users.error());
        }
        for (const auto& file : *users) {
            if (auto done = read_users(file, seats); !done) {
                return done;
            }
        }
        for (const auto& file : endpoint_pages(dir, k_licenses)) {
            if (auto done = read_licences(file, seats); !done) {
                return done;
            }
        }
        for (const auto& file : endpoint_pages(dir, k_logins)) {
            if (auto done = read_logins(file, seats); !done) {
                return done;
            }
        }
        return {};
    }

private:
    Result<void> reject(const std::filesystem::path& file, const pages::PageRecord& record, std::string_view key,
                        std::string_view pointer, std::string message, std::string hint) {
        return reject_row(m_context, m_report,
                          pages::record_error(m_source.name, file, pages::json_path(key, record, pointer),
                                              std::move(message), std::move(hint)),
                          record.raw);
    }

    Result<void> read_users(const std::filesystem::path& file, std::vector<Seat>& seats) {
        auto page = pages::load_page(file, m_source.name, "users");
        if (!page) {
            return std::unexpected(page.error());
        }
        for (const auto& record : page->records) {
            ++m_index;
            auto fields = pages::record_fields(record.raw, k_user_pointers);
            if (!fields) {
                if (auto verdict = reject(file, record, "users", "", fields.error().message, "save the page again"); !verdict) {
                    return verdict;
                }
                continue;
            }
            const auto& f = *fields;
            auto email = pages::as_email(f[user_field::email]);
            if (!email) {
                if (auto verdict = reject(file, record, "users", k_user_pointers[user_field::email],
                                          cat("user primaryEmail ", email.error().message),
                                          "every directory user has a primaryEmail; save the page again from the API");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            auto archived = pages::as_bool(f[user_field::archived]);
            auto suspended = pages::as_bool(f[user_field::suspended]);
            if (!archived || !suspended) {
                const bool archived_bad = !archived;
                if (auto verdict = reject(file, record, "users",
                                          k_user_pointers[archived_bad ? user_field::archived : user_field::suspended],
                                          cat(archived_bad ? "archived " : "suspended ",
                                              (archived_bad ? archived.error() : suspended.error()).message),
                                          "the Directory API writes true or false here");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            if (archived->value_or(false)) {
                ++m_report.ignored;  // archived users hold an archived-user licence, not a seat
                continue;
            }
            auto last_login = pages::as_timestamp(f[user_field::last_login]);
            if (!last_login) {
                if (auto verdict = reject(file, record, "users", k_user_pointers[user_field::last_login],
                                          cat("lastLoginTime ", last_login.error().message),
                                          "the Directory API writes RFC 3339 times such as 2026-10-30T08:01:12.000Z");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            auto created = pages::as_date(f[user_field::created]);
            if (!created) {
                if (auto verdict = reject(file, record, "users", k_user_pointers[user_field::created],
                                          cat("creationTime ", created.error().message),
                                          "the Directory API writes RFC 3339 times such as 2024-01-08T08:00:00.000Z");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            Seat seat;
            seat.tool = m_tool;
            seat.email = std::move(*email);
            seat.license_type = suspended->value_or(false) ? "suspended" : "";
            seat.assigned_date = *created;
            seat.last_activity = *last_login;
            seat.has_activity_column = true;
            seat.source = m_source.name;
            seat.line = m_index;
            m_by_email.insert_or_assign(seat.email, seats.size());
            seats.push_back(std::move(seat));
            ++m_report.records;
        }
        return {};
    }

    Result<void> read_licences(const std::filesystem::path& file, std::vector<Seat>& seats) {
        auto page = pages::load_page(file, m_source.name, "items");
        if (!page) {
            return std::unexpected(page.error());
        }
        for (const auto& record : page->records) {
            auto fields = pages::record_fields(record.raw, k_licence_pointers);
            if (!fields) {
                if (auto verdict = reject(file, record, "items", "", fields.error().message, "save the page again"); !verdict) {
                    return verdict;
                }
                continue;
            }
            const auto& f = *fields;
            auto user = pages::as_text(f[licence_field::user]);
            auto sku_name = pages::as_text(f[licence_field::sku_name]);
            auto sku_id = pages::as_text(f[licence_field::sku_id]);
            if (!user || !*user || trim(**user).empty()) {
                if (auto verdict = reject(file, record, "items", k_licence_pointers[licence_field::user],
                                          cat("licence assignment userId ", user ? std::string("is missing") : user.error().message),
                                          "a licence assignment names its user's email in userId");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            std::string sku = sku_name && *sku_name ? **sku_name : std::string();
            if (sku.empty() && sku_id && *sku_id) {
                sku = **sku_id;
            }
            const auto it = m_by_email.find(normalize_email(**user));
            if (it == m_by_email.end()) {
                ++m_report.ignored;  // archived users and users outside the directory pages
                continue;
            }
            Seat& seat = seats[it->second];
            if (seat.license_type == "suspended" || sku.empty()) {
                continue;
            }
            // A user may hold several SKUs of the product (e.g. Workspace plus an add-on).
            seat.license_type = seat.license_type.empty() ? sku : cat(seat.license_type, "; ", sku);
        }
        return {};
    }

    Result<void> read_logins(const std::filesystem::path& file, std::vector<Seat>& seats) {
        auto page = pages::load_page(file, m_source.name, "items");
        if (!page) {
            return std::unexpected(page.error());
        }
        for (const auto& record : page->records) {
            auto fields = pages::record_fields(record.raw, k_login_pointers);
            auto events = pages::record_array(record.raw, "/events");
            if (!fields || !events) {
                if (auto verdict = reject(file, record, "items", fields ? "/events" : "",
                                          fields ? cat("events ", events.error().message) : fields.error().message,
                                          "save the page again from the Reports API");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            bool success = false;
            for (const auto& event : *events) {
                constexpr std::array<std::string_view, 1> k_name{"/name"};
                auto name = pages::record_fields(event, k_name);
                if (name && name->front().kind == pages::JsonField::Kind::string && name->front().text == "login_success") {
                    success = true;
                }
            }
            const auto email = pages::as_text((*fields)[login_field::email]);
            if (!success || !email || !*email) {
                ++m_report.ignored;  // failed logins, logouts, and actors without an email (API keys)
                continue;
            }
            auto time = pages::as_timestamp((*fields)[login_field::time]);
            if (!time || !*time) {
                if (auto verdict = reject(file, record, "items", k_login_pointers[login_field::time],
                                          cat("activity id.time ", time ? std::string("is missing") : time.error().message),
                                          "the Reports API writes RFC 3339 times such as 2026-10-30T08:01:12.345Z");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            const auto it = m_by_email.find(normalize_email(**email));
            if (it == m_by_email.end() || **time > m_context.as_of) {
                ++m_report.ignored;  // people without a seat here, or events after the audit's "now"
                continue;
            }
            Seat& seat = seats[it->second];
            if (!seat.last_activity || *seat.last_activity < **time) {
                seat.last_activity = **time;
            }
        }
        return {};
    }

    const SourceConfig& m_source;
    ReadContext& m_context;
    SourceReport& m_report;
    std::string m_tool;
    std::size_t m_index = 0;
    std::unordered_map<std::string, std::size_t> m_by_email;
};

}  // namespace

ConnectorSpec spec() {
    static const ConnectorSpec k_spec = make_spec();
    return k_spec;
}

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    const std::string tool = trim(source.tool).empty() ? k_default_tool : std::string(trim(source.tool));
    report.seat_tools = {tool};
    std::vector<Seat> seats;
    for (const auto& path : source.paths) {
        auto form = pages::input_form(source, path, "");
        if (!form) {
            return std::unexpected(form.error());
        }
        PagesReader reader(source, context, report, tool);
        if (auto done = reader.read(path, seats); !done) {
            return done;
        }
    }
    out.seats.insert(out.seats.end(), std::make_move_iterator(seats.begin()), std::make_move_iterator(seats.end()));
    return {};
}

}  // namespace stackaudit::connectors::google_workspace
