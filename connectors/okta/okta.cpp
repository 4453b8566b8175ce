// The Okta connector: the ApiSpec for users, apps and app assignments, and the parser that
// turns saved pages of them into seats (Okta itself, plus one seat per app assignment).
#include "okta/okta.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::okta {

namespace {

using json_pages::Record;

const std::string k_users = "users";
const std::string k_apps = "apps";
const std::string k_app_users = "app_users";

const std::string k_timestamp_hint = "Okta writes timestamps as ISO 8601, e.g. 2026-10-30T14:05:09.000Z, or null";

// The text at `pointer`, with a wrong-typed value reported at that field.
Result<std::optional<std::string>> text_at(Record& record, const SourceConfig& source, std::string_view pointer,
                                           std::string_view hint) {
    auto value = record.text(pointer);
    if (!value) {
        return std::unexpected(record.error(source.name, pointer, value.error().message, std::string(hint)));
    }
    return std::move(*value);
}

Result<std::optional<Date>> date_at(Record& record, const SourceConfig& source, std::string_view pointer) {
    auto text = text_at(record, source, pointer, k_timestamp_hint);
    if (!text) {
        return std::unexpected(std::move(text.error()));
    }
    if (!text->has_value()) {
        return std::optional<Date>{};
    }
    auto date = parse_date(**text);
    if (!date) {
        return std::unexpected(record.error(source.name, pointer, date.error().message, k_timestamp_hint));
    }
    return *date;
}

Result<std::optional<Timestamp>> timestamp_at(Record& record, const SourceConfig& source, std::string_view pointer) {
    auto text = text_at(record, source, pointer, k_timestamp_hint);
    if (!text) {
        return std::unexpected(std::move(text.error()));
    }
    if (!text->has_value()) {
        return std::optional<Timestamp>{};
    }
    auto when = parse_timestamp(**text);
    if (!when) {
        return std::unexpected(record.error(source.name, pointer, when.error().message, k_timestamp_hint));
    }
    return *when;
}

struct App {
    std::string id;
    std::string label;
    bool active = true;
    std::filesystem::path dir;  // the folder of saved pages it was listed in
};

// Every page element must be an object; a string or number in the array is a bad record.
Result<void> require_object(const Record& record, const SourceConfig& source, std::string_view what) {
    const std::string_view raw = trim(record.raw());
    if (raw.empty() || raw.front() != '{') {
        return std::unexpected(record.error(source.name, "", cat("the ", what, " is not a JSON object"),
                                            "each element of a saved page must be one Okta object {...}"));
    }
    return {};
}

// One read of an `okta` source: the users seen so far (id -> email, for app assignments,
// which name users by id only) and the seats produced.
class Reader {
public:
    Reader(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report)
        : m_source(source), m_context(context), m_out(out), m_report(report),
          m_tool(json_pages::tool_name(source, k_default_tool)) {}

    Result<void> run() {
        for (const auto& dir : m_source.paths) {
            if (json_pages::input_form(dir) != json_pages::InputForm::pages) {
                return fail(ErrorCode::config_invalid,
                            cat("okta reads saved API pages, but ", dir.string(), " is a file"),
                            Location{.source = m_source.name, .file = m_source.config_file, .line = m_source.config_line},
                            "point path at a folder laid out as `stackaudit pull` writes it (users/page-00001.json, "
                            "apps/page-00001.json, app_users/<app id>/page-00001.json), or configure `api:`");
            }
        }
        m_report.seat_tools = {m_tool};
        for (const auto& dir : m_source.paths) {
            if (auto done = read_users(dir); !done) {
                return done;
            }
        }
        for (const auto& dir : m_source.paths) {
            if (auto done = read_apps(dir); !done) {
                return done;
            }
        }
        for (const auto& app : m_apps) {
            if (auto done = read_assignments(app); !done) {
                return done;
            }
        }
        m_report.records = m_seats;
        return {};
    }

private:
    Result<void> read_users(const std::filesystem::path& dir) {
        auto pages = json_pages::saved_pages(m_source, dir, k_users, true);
        if (!pages) {
            return std::unexpected(std::move(pages.error()));
        }
        std::size_t counter = 0;
        return json_pages::for_each_record(*pages, m_source, m_context, m_report, "", counter,
                                           [&](Record& record) { return user(record); });
    }

    Result<void> user(Record& record) {
        if (auto object = require_object(record, m_source, "user"); !object) {
            return object;
        }
        auto id = text_at(record, m_source, "/id", "Okta user ids are strings such as 00u1a2b3c4D5e6F7g8h9");
        if (!id) {
            return std::unexpected(std::move(id.error()));
        }
        auto status = text_at(record, m_source, "/status", "Okta user status is a string such as ACTIVE");
        if (!status) {
            return std::unexpected(std::move(status.error()));
        }
        if (!status->has_value() || trim(**status).empty()) {
            return std::unexpected(record.error(m_source.name, "/status", "the user has no status",
                                                "Okta users always carry a status (ACTIVE, SUSPENDED, ...); "
                                                "check the page is an /api/v1/users response"));
        }
        std::string_view email_pointer = "/profile/email";
        auto email_text = text_at(record, m_source, email_pointer, "profile.email is the user's email address");
        if (!email_text) {
            return std::unexpected(std::move(email_text.error()));
        }
        if (!email_text->has_value() || trim(**email_text).empty()) {
            email_pointer = "/profile/login";
            email_text = text_at(record, m_source, email_pointer, "profile.login is the user's sign-in name");
            if (!email_text) {
                return std::unexpected(std::move(email_text.error()));
            }
        }
        auto email = parse_email(email_text->value_or(std::string{}));
        if (!email) {
            return std::unexpected(record.error(m_source.name, email_pointer, cat("email ", email.error().message),
                                                "every Okta user needs profile.email (or an email-shaped profile.login)"));
        }
        if (id->has_value() && !(*id)->empty()) {
            m_emails[**id] = *email;  // deprovisioned users too: their assignments still name them
        }
        if (iequals(trim(**status), "DEPROVISIONED")) {
            ++m_report.ignored;
            return {};
        }
        auto created = date_at(record, m_source, "/created");
        if (!created) {
            return std::unexpected(std::move(created.error()));
        }
        auto last_login = timestamp_at(record, m_source, "/lastLogin");
        if (!last_login) {
            return std::unexpected(std::move(last_login.error()));
        }
        Seat seat;
        seat.tool = m_tool;
        seat.email = std::move(*email);
        seat.license_type = std::string(trim(**status));
        seat.assigned_date = *created;
        seat.last_activity = *last_login;
        seat.has_activity_column = true;
        seat.source = m_source.name;
        seat.line = record.number();
        add(std::move(seat));
        return {};
    }

    Result<void> read_apps(const std::filesystem::path& dir) {
        auto pages = json_pages::saved_pages(m_source, dir, k_apps, false);
        if (!pages) {
            return std::unexpected(std::move(pages.error()));
        }
        std::size_t counter = 0;
        return json_pages::for_each_record(*pages, m_source, m_context, m_report, "", counter, [&](Record& record) -> Result<void> {
            if (auto object = require_object(record, m_source, "app"); !object) {
                return object;
            }
            auto id = text_at(record, m_source, "/id", "Okta app ids are strings such as 0oa1sfdc9X8y7W6v5u4");
            if (!id) {
                return std::unexpected(std::move(id.error()));
            }
            if (!id->has_value() || (*id)->empty()) {
                return std::unexpected(record.error(m_source.name, "/id", "the app has no id",
                                                    "check the page is an /api/v1/apps response"));
            }
            auto label = text_at(record, m_source, "/label", "the app's label is the name users see in Okta");
            if (!label) {
                return std::unexpected(std::move(label.error()));
            }
            if (!label->has_value() || trim(**label).empty()) {
                return std::unexpected(record.error(m_source.name, "/label", "the app has no label",
                                                    "check the page is an /api/v1/apps response"));
            }
            auto status = text_at(record, m_source, "/status", "Okta app status is ACTIVE or INACTIVE");
            if (!status) {
                return std::unexpected(std::move(status.error()));
            }
            App app;
            app.id = std::move(**id);
            app.label = std::string(trim(**label));
            app.active = !status->has_value() || !iequals(trim(**status), "INACTIVE");
            app.dir = dir;
            m_apps.push_back(std::move(app));
            return {};
        });
    }

    // One app's assignments. An app whose assignments were not saved says nothing about its
    // seats, so only apps with saved pages claim their tool's complete seat list.
    Result<void> read_assignments(const App& app) {
        auto pages = json_pages::saved_pages(m_source, app.dir, cat(k_app_users, "/", fan_out_folder(app.id)), false);
        if (!pages) {
            return std::unexpected(std::move(pages.error()));
        }
        if (pages->empty()) {
            return {};
        }
        if (app.active && std::find(m_report.seat_tools.begin(), m_report.seat_tools.end(), app.label) ==
                              m_report.seat_tools.end()) {
            m_report.seat_tools.push_back(app.label);
        }
        std::size_t counter = 0;
        return json_pages::for_each_record(*pages, m_source, m_context, m_report, "", counter,
                                           [&](Record& record) { return assignment(app, record); });
    }

    Result<void> assignment(const App& app, Record& record) {
        if (!app.active) {
            ++m_report.ignored;
            return {};
        }
        if (auto object = require_object(record, m_source, "app user"); !object) {
            return object;
        }
        auto status = text_at(record, m_source, "/status", "app user status is a string such as ACTIVE or PROVISIONED");
        if (!status) {
            return std::unexpected(std::move(status.error()));
        }
        if (status->has_value() && iequals(trim(**status), "DEPROVISIONED")) {
            ++m_report.ignored;
            return {};
        }
        auto id = text_at(record, m_source, "/id", "an app user's id is the Okta user id");
        if (!id) {
            return std::unexpected(std::move(id.error()));
        }
        std::string email;
        if (id->has_value()) {
            if (const auto it = m_emails.find(**id); it != m_emails.end()) {
                email = it->second;
            }
        }
        if (email.empty()) {
            // A user missing from the saved users pages: the app username is often the email.
            auto user_name = text_at(record, m_source, "/credentials/userName", "credentials.userName is the app username");
            if (!user_name) {
                return std::unexpected(std::move(user_name.error()));
            }
            auto parsed = parse_email(user_name->value_or(std::string{}));
            if (!parsed) {
                return std::unexpected(record.error(
                    m_source.name, "/id",
                    cat("app user ", id->value_or("(no id)"), " of app '", app.label,
                        "' is not among the saved Okta users, and credentials.userName ", parsed.error().message),
                    "save every users/ page of the same pull, so assignments can be matched to emails"));
            }
            email = std::move(*parsed);
        }
        auto created = date_at(record, m_source, "/created");
        if (!created) {
            return std::unexpected(std::move(created.error()));
        }
        auto scope = text_at(record, m_source, "/scope", "an assignment's scope is USER or GROUP");
        if (!scope) {
            return std::unexpected(std::move(scope.error()));
        }
        Seat seat;
        seat.tool = app.label;
        seat.email = std::move(email);
        seat.license_type = scope->value_or(std::string{});
        seat.assigned_date = *created;
        seat.has_activity_column = false;
        seat.source = m_source.name;
        seat.line = record.number();
        add(std::move(seat));
        return {};
    }

    void add(Seat seat) {
        m_out.seats.push_back(std::move(seat));
        ++m_seats;
    }

    const SourceConfig& m_source;
    ReadContext& m_context;
    Dataset& m_out;
    SourceReport& m_report;
    std::string m_tool;
    std::map<std::string, std::string, std::less<>> m_emails;
    std::vector<App> m_apps;
    std::size_t m_seats = 0;
};

}  // namespace

CredentialSpec token_credential() {
    return CredentialSpec{
        .name = "token",
        .kind = AuthKind::ssws,
        .header = {},
        .description = "an Okta API token (Admin Console > Security > API > Tokens > Create token), created while "
                       "signed in as an admin with the Read-only Administrator role; the token acts with that "
                       "admin's permissions and is sent as `Authorization: SSWS <token>`",
    };
}

std::string permissions() {
    return "an API token of an Okta admin with the Read-only Administrator role (reads users, apps, app "
           "assignments and the System Log)";
}

ApiSpec api_spec() {
    ApiSpec api;
    api.default_base_url = "https://{domain}";
    api.credentials = {token_credential()};
    api.endpoints = {
        Endpoint{.name = k_users,
                 .path = "/api/v1/users?limit=200",
                 .paging = Paging{.kind = PagingKind::link_header}},
        Endpoint{.name = k_apps,
                 .path = "/api/v1/apps?limit=200",
                 .paging = Paging{.kind = PagingKind::link_header}},
        Endpoint{.name = k_app_users,
                 .path = "/api/v1/apps/{id}/users?limit=500",
                 .paging = Paging{.kind = PagingKind::link_header},
                 .fan_out_from = k_apps,
                 .fan_out_pointer = "/id"},
    };
    api.permissions = permissions();
    api.check_endpoint = k_users;
    return api;
}

ConnectorSpec spec() {
    return ConnectorSpec{
        .kind = "okta",
        .description = "Okta users, apps and app assignments, pulled from the Okta API or read from saved pages "
                       "(users/, apps/, app_users/<app id>/). Each user that is not DEPROVISIONED holds an Okta seat "
                       "(licence type = status, last activity = lastLogin); each assignment of an active app is a "
                       "seat of the tool named by the app's label (licence type = scope USER or GROUP). Assignments "
                       "carry no activity: SSO usage comes from the okta_log source.",
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
    Reader reader(source, context, out, report);
    return reader.run();
}

}  // namespace stackaudit::connectors::okta
