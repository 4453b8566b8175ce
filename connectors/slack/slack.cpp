// The Slack connector: its Web API spec (users.list cursor paging, team.billableInfo,
// team.accessLogs page numbers) and one member -> Seat rule fed by saved pages or by the admin
// console's member CSV export.
#include "slack/slack.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "stackaudit/core/strings.hpp"
#include "vendor_pages.hpp"

namespace stackaudit::connectors::slack {

namespace {

const std::string k_default_tool = "Slack";
const std::string k_users = "users";
const std::string k_billable = "billable_info";
const std::string k_access = "access_logs";
constexpr std::string_view k_slackbot = "USLACKBOT";  // is_bot is false for Slackbot, but it is no person

namespace member_field {
enum : std::size_t { id, deleted, bot, restricted, ultra_restricted, email };
}
constexpr std::array<std::string_view, 6> k_member_pointers{"/id",           "/deleted",             "/is_bot",
                                                            "/is_restricted", "/is_ultra_restricted", "/profile/email"};

namespace login_field {
enum : std::size_t { user, date_last };
}
constexpr std::array<std::string_view, 2> k_login_pointers{"/user_id", "/date_last"};

Paging cursor_paging() {
    return Paging{.kind = PagingKind::body_token,
                  .next_pointer = "/response_metadata/next_cursor",
                  .token_param = "cursor"};
}

ApiSpec make_api() {
    ApiSpec api;
    api.default_base_url = "https://slack.com/api";
    api.credentials = {CredentialSpec{
        .name = "token",
        .kind = AuthKind::bearer,
        .header = {},
        .description = "a user token (xoxp-...) of a Workspace Admin or Owner, from a Slack app installed with the "
                       "user scopes users:read, users:read.email and admin (team.billableInfo and team.accessLogs "
                       "answer only an admin's token)",
    }};
    api.endpoints = {
        Endpoint{.name = k_users, .path = "/users.list?limit=200", .paging = cursor_paging(), .records_pointer = "/members"},
        Endpoint{.name = k_billable,
                 .path = "/team.billableInfo?limit=200",
                 .paging = cursor_paging(),
                 .records_pointer = "/billable_info",
                 .optional = true},
        Endpoint{.name = k_access,
                 .path = "/team.accessLogs?count=1000&page={page}",
                 .paging = Paging{.kind = PagingKind::page_number, .first_page = 1, .pages_pointer = "/paging/pages",
                                  .max_pages = 100},  // Slack serves at most 100 pages of access logs
                 .records_pointer = "/logins",
                 .optional = true},
    };
    api.permissions = "user token scopes users:read and users:read.email; admin for team.billableInfo and "
                      "team.accessLogs (a Workspace Admin or Owner's token; access logs need a paid plan)";
    api.check_endpoint = k_users;
    api.ok_pointer = "/ok";
    api.error_pointer = "/error";
    return api;
}

ConnectorSpec make_spec() {
    return ConnectorSpec{
        .kind = "slack",
        .description = "Slack seats from the Web API: members from users.list (not deleted, not bots), kept only when "
                       "billing_active in team.billableInfo if that was saved, guests as \"guest\", last activity "
                       "from team.accessLogs (paid plans). Reads a `stackaudit pull` snapshot, pages saved in the "
                       "same layout, or the admin console's member export (.csv).",
        .columns = {
            {"email", "email", true, "member's email"},
            {"status", "status", false, "Member, Admin, Owner, Primary Owner, Multi-Channel Guest, Single-Channel Guest, Deactivated, Bot"},
            {"billing_active", "billing-active", false, "1 when the member is billed (Fair Billing Policy); 0 rows are skipped"},
            {"user_id", "userid", false, "Slack user id, e.g. U024BE7LH"},
            {"last_activity", "date_last", false, "last access, epoch seconds or a timestamp (not in Slack's own export; "
                                                  "add it from team.accessLogs if you have it)"},
        },
        .options = {"delimiter: field separator of a CSV export, one character or \"tab\" (default \",\")"},
        .needs_tool = false,
        .default_tool = k_default_tool,
        .api = make_api(),
        .multiple = false,
        .read = read,
    };
}

// One member, whichever way it was saved.
struct Member {
    bool deleted = false;
    bool bot = false;
    bool guest = false;
    std::optional<bool> billing_active;  // nullopt: billing state not saved
};

// Whether the member holds a paid seat: not deleted, not a bot, billed when billing is known.
bool holds_seat(const Member& member) {
    return !member.deleted && !member.bot && member.billing_active.value_or(true);
}

std::string license_type(const Member& member) { return member.guest ? "guest" : "member"; }

std::string slack_error_hint(std::string_view error, std::string_view needed) {
    if (error == "invalid_auth" || error == "not_authed" || error == "token_revoked" || error == "token_expired" ||
        error == "account_inactive") {
        return "the token was rejected: create a new user token (xoxp-) for an admin and update the credential";
    }
    if (error == "missing_scope" || error == "not_allowed_token_type" || error == "not_authorized" ||
        error == "no_permission") {
        return cat("the token lacks a scope", needed.empty() ? std::string() : cat(" (Slack asks for ", needed, ")"),
                   ": reinstall the app with users:read, users:read.email and admin, authorised by a Workspace Admin");
    }
    if (error == "ratelimited") {
        return "Slack rate-limited the request: pull again later";
    }
    return "see the error in Slack's API documentation, then pull again";
}

class Reader {
public:
    Reader(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report, std::string tool)
        : m_source(source), m_context(context), m_out(out), m_report(report), m_tool(std::move(tool)) {}

    Result<void> read_pages(const std::filesystem::path& dir) {
        auto users = pages::required_pages(m_source, dir, k_users);
        if (!users) {
            return std::unexpected(users.error());
        }
        if (auto done = read_billable(endpoint_pages(dir, k_billable)); !done) {
            return done;
        }
        if (auto done = read_access(endpoint_pages(dir, k_access)); !done) {
            return done;
        }
        for (const auto& file : *users) {
            if (auto done = read_members(file); !done) {
                return done;
            }
        }
        return {};
    }

    Result<void> read_export(const std::filesystem::path& file) {
        return pages::read_export(
            spec(), m_source, file, m_context, m_report,
            [&](const CsvTable& table, const CsvTable::Row& row, std::span<const ColumnSpec> columns) -> Result<bool> {
                const std::string status = to_lower(row[col::status]);
                Member member;
                member.deleted = status.find("deactivated") != std::string::npos;
                member.bot = status.find("bot") != std::string::npos;
                member.guest = status.find("guest") != std::string::npos;
                if (table.has(col::billing_active)) {
                    const std::string billed = to_lower(row[col::billing_active]);
                    if (billed == "1" || billed == "true" || billed == "yes") {
                        member.billing_active = true;
                    } else if (billed == "0" || billed == "false" || billed == "no") {
                        member.billing_active = false;
                    } else {
                        return std::unexpected(cell_error(table, row, columns[col::billing_active],
                                                          cat("has \"", row[col::billing_active], "\", expected 1 or 0"),
                                                          "the member export writes 1 for billed members, 0 otherwise"));
                    }
                }
                if (!holds_seat(member)) {
                    return false;
                }
                auto email = parse_email(row[col::email]);
                if (!email) {
                    return std::unexpected(cell_error(table, row, columns[col::email], email.error().message,
                                                      "every member in the export has an email"));
                }
                Seat seat;
                seat.email = std::move(*email);
                seat.license_type = license_type(member);
                seat.has_activity_column = table.has(col::last_activity);
                if (seat.has_activity_column) {
                    auto last = parse_timestamp(row[col::last_activity]);
                    if (!last) {
                        return std::unexpected(cell_error(table, row, columns[col::last_activity],
                                                          cat("has an unreadable timestamp: ", last.error().message),
                                                          "write epoch seconds (date_last) or ISO 8601; empty = never"));
                    }
                    seat.last_activity = *last;
                }
                add_seat(std::move(seat), row.line);
                return true;
            });
    }

private:
    void add_seat(Seat seat, std::size_t line) {
        seat.tool = m_tool;
        seat.source = m_source.name;
        seat.line = line;
        m_out.seats.push_back(std::move(seat));
    }

    Result<void> reject(const std::filesystem::path& file, std::string_view key, const pages::PageRecord& record,
                        std::string_view pointer, std::string message, std::string hint) {
        return reject_row(m_context, m_report,
                          pages::record_error(m_source.name, file, pages::json_path(key, record, pointer),
                                              std::move(message), std::move(hint)),
                          record.raw);
    }

    // Loads a page and checks Slack's "ok". nullopt: an optional endpoint the plan does not offer.
    Result<std::optional<pages::Page>> load(const std::filesystem::path& file, std::string_view records_key,
                                            const std::string& endpoint) {
        auto page = pages::load_page(file, m_source.name, records_key);
        if (!page) {
            return std::unexpected(page.error());
        }
        const auto ok = page->top.find("ok");
        if (ok == page->top.end() || ok->second.kind != pages::JsonField::Kind::boolean) {
            return fail(ErrorCode::json_malformed,
                        cat("saved page ", file.string(), " is not a Slack Web API response: it has no \"ok\": true or false"),
                        Location{.source = m_source.name, .file = file.string(), .json_path = "$.ok"},
                        "save the method's whole JSON response, as Slack sent it");
        }
        if (ok->second.flag) {
            return std::optional<pages::Page>{std::move(*page)};
        }
        const auto error_it = page->top.find("error");
        const std::string error = error_it == page->top.end() ? std::string("(no error given)") : error_it->second.text;
        if (endpoint == k_access && error == "paid_only") {
            return std::optional<pages::Page>{};
        }
        const auto needed = page->top.find("needed");
        return fail(ErrorCode::source_failed,
                    cat("Slack answered \"ok\": false with error \"", error, "\" in saved page ", file.string()),
                    Location{.source = m_source.name, .file = file.string(), .json_path = "$.error"},
                    slack_error_hint(error, needed == page->top.end() ? std::string_view() : needed->second.text));
    }

    Result<void> read_billable(const std::vector<std::filesystem::path>& files) {
        for (const auto& file : files) {
            auto page = load(file, "billable_info", k_billable);
            if (!page) {
                return std::unexpected(page.error());
            }
            m_billing_known = true;
            for (const auto& record : (*page)->records) {
                constexpr std::array<std::string_view, 1> k_active{"/billing_active"};
                auto fields = pages::record_fields(record.raw, k_active);
                auto active = fields ? pages::as_bool(fields->front()) : Result<std::optional<bool>>(std::unexpected(fields.error()));
                if (!active || !*active) {
                    if (auto verdict = reject(file, "billable_info", record, "/billing_active",
                                              cat("billing_active ", active ? std::string("is missing") : active.error().message),
                                              "team.billableInfo gives {\"billing_active\": true|false} per user id");
                        !verdict) {
                        return verdict;
                    }
                    continue;
                }
                m_billing.insert_or_assign(record.key, **active);
            }
        }
        return {};
    }

    Result<void> read_access(const std::vector<std::filesystem::path>& files) {
        for (const auto& file : files) {
            auto page = load(file, "logins", k_access);
            if (!page) {
                return std::unexpected(page.error());
            }
            if (!*page) {
                continue;
            }
            m_access_known = true;
            for (const auto& record : (*page)->records) {
                auto fields = pages::record_fields(record.raw, k_login_pointers);
                if (!fields) {
                    if (auto verdict = reject(file, "logins", record, "", fields.error().message, "save the page again"); !verdict) {
                        return verdict;
                    }
                    continue;
                }
                auto user = pages::as_text((*fields)[login_field::user]);
                auto last = pages::as_timestamp((*fields)[login_field::date_last]);
                if (!user || !*user || !last) {
                    const bool user_bad = !user || !*user;
                    if (auto verdict = reject(file, "logins", record,
                                              k_login_pointers[user_bad ? login_field::user : login_field::date_last],
                                              user_bad ? cat("user_id ", user ? std::string("is missing") : user.error().message)
                                                       : cat("date_last ", last.error().message),
                                              "team.accessLogs gives user_id and date_last (epoch seconds) per login");
                        !verdict) {
                        return verdict;
                    }
                    continue;
                }
                if (!*last || **last > m_context.as_of) {
                    continue;  // never, or after the audit's "now"
                }
                auto [it, inserted] = m_last_access.try_emplace(**user, **last);
                if (!inserted && it->second < **last) {
                    it->second = **last;
                }
            }
        }
        return {};
    }

    Result<void> read_members(const std::filesystem::path& file) {
        auto page = load(file, "members", k_users);
        if (!page) {
            return std::unexpected(page.error());
        }
        for (const auto& record : (*page)->records) {
            ++m_member_index;
            auto fields = pages::record_fields(record.raw, k_member_pointers);
            if (!fields) {
                if (auto verdict = reject(file, "members", record, "", fields.error().message, "save the page again"); !verdict) {
                    return verdict;
                }
                continue;
            }
            const auto& f = *fields;
            auto id = pages::as_text(f[member_field::id]);
            if (!id || !*id) {
                if (auto verdict = reject(file, "members", record, "/id", cat("member id ", id ? std::string("is missing") : id.error().message),
                                          "users.list gives every member an id");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            Member member;
            bool shape_ok = true;
            for (const std::size_t field : {member_field::deleted, member_field::bot, member_field::restricted,
                                            member_field::ultra_restricted}) {
                auto flag = pages::as_bool(f[field]);
                if (!flag) {
                    shape_ok = false;
                    if (auto verdict = reject(file, "members", record, k_member_pointers[field],
                                              cat(k_member_pointers[field].substr(1), " ", flag.error().message),
                                              "users.list writes true or false here");
                        !verdict) {
                        return verdict;
                    }
                    break;
                }
                const bool value = flag->value_or(false);
                switch (field) {
                case member_field::deleted: member.deleted = value; break;
                case member_field::bot: member.bot = value; break;
                default: member.guest = member.guest || value; break;
                }
            }
            if (!shape_ok) {
                continue;
            }
            member.bot = member.bot || **id == k_slackbot;
            if (m_billing_known) {
                const auto billed = m_billing.find(**id);
                member.billing_active = billed != m_billing.end() && billed->second;
            }
            if (!holds_seat(member)) {
                ++m_report.ignored;  // deactivated, bots, and members Slack does not bill
                continue;
            }
            auto email = pages::as_email(f[member_field::email]);
            if (!email) {
                if (auto verdict = reject(file, "members", record, "/profile/email", cat("profile.email ", email.error().message),
                                          "users.list shows emails only to a token with the users:read.email scope");
                    !verdict) {
                    return verdict;
                }
                continue;
            }
            Seat seat;
            seat.email = std::move(*email);
            seat.license_type = license_type(member);
            seat.has_activity_column = m_access_known;
            if (const auto last = m_last_access.find(**id); last != m_last_access.end()) {
                seat.last_activity = last->second;
            }
            add_seat(std::move(seat), m_member_index);
            ++m_report.records;
        }
        return {};
    }

    const SourceConfig& m_source;
    ReadContext& m_context;
    Dataset& m_out;
    SourceReport& m_report;
    std::string m_tool;
    std::size_t m_member_index = 0;
    bool m_billing_known = false;
    bool m_access_known = false;
    std::unordered_map<std::string, bool> m_billing;
    std::unordered_map<std::string, Timestamp> m_last_access;
};

}  // namespace

ConnectorSpec spec() {
    static const ConnectorSpec k_spec = make_spec();
    return k_spec;
}

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    return pages::read_pages_or_export<Reader>(source, context, out, report, k_default_tool, "the admin console's member export (.csv)");
}

}  // namespace stackaudit::connectors::slack
