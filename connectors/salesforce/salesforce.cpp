// The Salesforce connector: its REST API spec (SOQL queries with nextRecordsUrl paging) and one
// User -> Seat mapping fed by saved query pages or by a Data Loader / report CSV export.
#include "salesforce/salesforce.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "stackaudit/core/strings.hpp"
#include "vendor_pages.hpp"

namespace stackaudit::connectors::salesforce {

namespace {

const std::string k_default_tool = "Salesforce";
const std::string k_licences = "user_licenses";
const std::string k_users = "users";

namespace licence_field {
enum : std::size_t { name, label, status, total, used };
}
constexpr std::array<std::string_view, 5> k_licence_pointers{"/Name", "/MasterLabel", "/Status", "/TotalLicenses",
                                                             "/UsedLicenses"};

// Same order as col:: so one table names the field for JSON and CSV errors alike.
constexpr std::array<std::string_view, col::count> k_user_pointers{"/Email", "/IsActive", "/Profile/UserLicense/Name",
                                                                   "/CreatedDate", "/LastLoginDate"};
constexpr std::array<std::string_view, col::count> k_user_fields{"Email", "IsActive", "Profile.UserLicense.Name",
                                                                 "CreatedDate", "LastLoginDate"};

Paging query_paging() {
    return Paging{.kind = PagingKind::body_url,
                  .next_pointer = "/nextRecordsUrl",
                  .token_param = {},
                  .done_pointer = "/done",
                  .done_when = true};
}

ApiSpec make_api() {
    ApiSpec api;
    api.default_base_url = "https://{my_domain}.my.salesforce.com";
    api.credentials = {CredentialSpec{
        .name = "token",
        .kind = AuthKind::bearer,
        .header = {},
        .description = "an OAuth access token (Connected App / External Client App, scope `api`) of an integration "
                       "user whose profile or permission set has API Enabled and View Setup and Configuration",
    }};
    api.endpoints = {
        Endpoint{.name = k_licences,
                 .path = "/services/data/{api_version}/query?q=SELECT%20Name,MasterLabel,Status,TotalLicenses,"
                         "UsedLicenses%20FROM%20UserLicense",
                 .paging = query_paging(),
                 .records_pointer = "/records",
                 .optional = true},
        Endpoint{.name = k_users,
                 .path = "/services/data/{api_version}/query?q=SELECT%20Id,Username,Email,IsActive,LastLoginDate,"
                         "CreatedDate,Profile.UserLicense.Name%20FROM%20User",
                 .paging = query_paging(),
                 .records_pointer = "/records"},
    };
    api.permissions = "user permissions API Enabled and View Setup and Configuration (UserLicense); every response "
                      "carries Sforce-Limit-Info: api-usage=used/limit against the org's daily API request limit";
    api.check_endpoint = k_users;
    api.option_defaults = {{"api_version", "v60.0"}};
    return api;
}

ConnectorSpec make_spec() {
    return ConnectorSpec{
        .kind = "salesforce",
        .description = "Salesforce seats and licence counts: User records via SOQL (one seat per IsActive user, licence "
                       "= Profile.UserLicense.Name, last activity = LastLoginDate) and UserLicense totals (purchased "
                       "and used per active licence). Reads a `stackaudit pull` snapshot, pages saved in the same "
                       "layout, or a Data Loader / report CSV export of User.",
        .columns = {
            {"email", "Email", true, "user's email"},
            {"is_active", "IsActive", false, "true/false (also 1/0, yes/no); rows that are not active are skipped; absent = all active"},
            {"license_type", "Profile.UserLicense.Name", false, "user licence, e.g. Salesforce, Salesforce Platform"},
            {"assigned_date", "CreatedDate", false, "when the user was created; a date or timestamp"},
            {"last_activity", "LastLoginDate", false, "last login, e.g. 2013-05-20T20:49:32.000+0000; empty = never"},
        },
        .options = {"my_domain: your My Domain name (northwind for https://northwind.my.salesforce.com), used when "
                    "api.base_url is not set",
                    "api_version: REST API version in the query path (default v60.0)",
                    "delimiter: field separator of a CSV export, one character or \"tab\" (default \",\")"},
        .needs_tool = false,
        .default_tool = k_default_tool,
        .api = make_api(),
        .multiple = false,
        .read = read,
    };
}

// One User as text, whichever way it was saved.
struct UserValues {
    std::string email;
    std::optional<std::string> active;  // nullopt: not given (a CSV without the column) = active
    std::string license;
    std::string created;
    std::string last_login;
};

struct FieldError {
    std::size_t field = 0;  // col::
    std::string message;
    std::string hint;
};

bool truthy(std::string_view text, bool& value) {
    const std::string lower = to_lower(trim(text));
    if (lower == "true" || lower == "1" || lower == "yes") {
        value = true;
        return true;
    }
    if (lower == "false" || lower == "0" || lower == "no") {
        value = false;
        return true;
    }
    return false;
}

// The User -> Seat mapping. nullopt: an inactive user (skipped on purpose).
std::expected<std::optional<Seat>, FieldError> to_seat(const UserValues& user) {
    bool active = true;
    if (user.active && !truthy(*user.active, active)) {
        return std::unexpected(FieldError{col::is_active, cat("has \"", *user.active, "\", expected true or false"),
                                          "IsActive is true for users holding a licence"});
    }
    if (!active) {
        return std::optional<Seat>{};
    }
    Seat seat;
    auto email = parse_email(user.email);
    if (!email) {
        return std::unexpected(FieldError{col::email, email.error().message,
                                          "every active user needs an email; check the export's Email column"});
    }
    seat.email = std::move(*email);
    seat.license_type = std::string(trim(user.license));
    auto created = parse_date(user.created);
    if (!created) {
        return std::unexpected(FieldError{col::assigned_date, created.error().message,
                                          "Salesforce writes CreatedDate as 2024-01-08T08:00:00.000+0000"});
    }
    seat.assigned_date = *created;
    auto last = parse_timestamp(user.last_login);
    if (!last) {
        return std::unexpected(FieldError{col::last_activity, last.error().message,
                                          "Salesforce writes LastLoginDate as 2013-05-20T20:49:32.000+0000; empty = never"});
    }
    seat.last_activity = *last;
    return std::optional<Seat>{std::move(seat)};
}

std::string field_text(const pages::JsonField& field) { return field.present() ? field.text : std::string(); }

class Reader {
public:
    Reader(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report, std::string tool)
        : m_source(source), m_context(context), m_out(out), m_report(report), m_tool(std::move(tool)) {}

    Result<void> read_pages(const std::filesystem::path& dir) {
        auto users = pages::required_pages(m_source, dir, k_users);
        if (!users) {
            return std::unexpected(users.error());
        }
        const auto licences = endpoint_pages(dir, k_licences);
        if (auto done = read_endpoint(licences, k_licences); !done) {
            return done;
        }
        return read_endpoint(*users, k_users);
    }

    Result<void> read_export(const std::filesystem::path& file) {
        std::size_t index = 0;
        return pages::read_export(
            spec(), m_source, file, m_context, m_report,
            [&](const CsvTable& table, const CsvTable::Row& row, std::span<const ColumnSpec> columns) -> Result<bool> {
                ++index;
                UserValues user{.email = std::string(row[col::email]),
                                .active = table.has(col::is_active) ? std::optional<std::string>(row[col::is_active])
                                                                    : std::nullopt,
                                .license = std::string(row[col::license_type]),
                                .created = std::string(row[col::assigned_date]),
                                .last_login = std::string(row[col::last_activity])};
                auto seat = to_seat(user);
                if (!seat) {
                    return std::unexpected(cell_error(table, row, columns[seat.error().field], seat.error().message,
                                                      seat.error().hint));
                }
                if (!*seat) {
                    return false;
                }
                add_seat(std::move(**seat), table.has(col::last_activity), row.line);
                return true;
            });
    }

private:
    void add_seat(Seat seat, bool has_activity, std::size_t line) {
        seat.tool = m_tool;
        seat.source = m_source.name;
        seat.has_activity_column = has_activity;
        seat.line = line;
        m_out.seats.push_back(std::move(seat));
    }

    Result<void> reject(const std::filesystem::path& file, const pages::PageRecord& record, std::string_view pointer,
                        std::string message, std::string hint) {
        return reject_row(m_context, m_report,
                          pages::record_error(m_source.name, file, pages::json_path("records", record, pointer),
                                              std::move(message), std::move(hint)),
                          record.raw);
    }

    Result<void> read_endpoint(const std::vector<std::filesystem::path>& files, const std::string& endpoint) {
        for (const auto& file : files) {
            auto page = pages::load_page(file, m_source.name, "records");
            if (!page) {
                return std::unexpected(page.error());
            }
            for (const auto& record : page->records) {
                auto done = endpoint == k_users ? read_user(file, record) : read_licence(file, record);
                if (!done) {
                    return done;
                }
            }
            const auto done_flag = page->top.find("done");
            if (&file == &files.back() && done_flag != page->top.end() &&
                done_flag->second.kind == pages::JsonField::Kind::boolean && !done_flag->second.flag) {
                return fail(ErrorCode::source_failed,
                            cat("the saved pages of '", endpoint, "' stop at ", file.string(),
                                ", which says \"done\": false: the query has more records"),
                            Location{.source = m_source.name, .file = file.string(), .json_path = "$.done"},
                            "save the remaining pages too (GET each page's nextRecordsUrl) or run `stackaudit pull` again");
            }
        }
        return {};
    }

    Result<void> read_user(const std::filesystem::path& file, const pages::PageRecord& record) {
        ++m_user_index;
        auto fields = pages::record_fields(record.raw, k_user_pointers);
        if (!fields) {
            return reject(file, record, "", fields.error().message, "save the page again");
        }
        const auto& f = *fields;
        const pages::JsonField& active = f[col::is_active];
        UserValues user{.email = field_text(f[col::email]),
                        .active = active.kind == pages::JsonField::Kind::boolean ? std::optional<std::string>(active.text)
                                                                                  : std::optional<std::string>(field_text(active)),
                        .license = f[col::license_type].kind == pages::JsonField::Kind::string ? f[col::license_type].text
                                                                                                : std::string(),
                        .created = field_text(f[col::assigned_date]),
                        .last_login = field_text(f[col::last_activity])};
        auto seat = to_seat(user);
        if (!seat) {
            const auto& error = seat.error();
            return reject(file, record, k_user_pointers[error.field], cat(k_user_fields[error.field], " ", error.message),
                          error.hint);
        }
        if (!*seat) {
            ++m_report.ignored;  // deactivated users keep their record but free the licence
            return {};
        }
        add_seat(std::move(**seat), true, m_user_index);
        ++m_report.records;
        return {};
    }

    Result<void> read_licence(const std::filesystem::path& file, const pages::PageRecord& record) {
        auto fields = pages::record_fields(record.raw, k_licence_pointers);
        if (!fields) {
            return reject(file, record, "", fields.error().message, "save the page again");
        }
        const auto& f = *fields;
        auto name = pages::as_text(f[licence_field::name]);
        if (!name || !*name || trim(**name).empty()) {
            return reject(file, record, k_licence_pointers[licence_field::name],
                          cat("UserLicense Name ", name ? std::string("is missing") : name.error().message),
                          "the UserLicense query selects Name, MasterLabel, Status, TotalLicenses, UsedLicenses");
        }
        const auto status = pages::as_text(f[licence_field::status]);
        if (!status || !*status || !iequals(**status, "Active")) {
            ++m_report.ignored;  // disabled licences are not bought seats
            return {};
        }
        auto total = pages::as_count(f[licence_field::total]);
        auto used = pages::as_count(f[licence_field::used]);
        if (!total || !used) {
            const bool total_bad = !total;
            return reject(file, record, k_licence_pointers[total_bad ? licence_field::total : licence_field::used],
                          cat(total_bad ? "TotalLicenses " : "UsedLicenses ",
                              (total_bad ? total.error() : used.error()).message),
                          "licence counts are whole numbers");
        }
        m_out.licenses.push_back(LicensePool{.tool = m_tool,
                                             .sku = std::string(trim(**name)),
                                             .purchased = *total,
                                             .assigned = *used,
                                             .source = m_source.name});
        return {};
    }

    const SourceConfig& m_source;
    ReadContext& m_context;
    Dataset& m_out;
    SourceReport& m_report;
    std::string m_tool;
    std::size_t m_user_index = 0;
};

}  // namespace

ConnectorSpec spec() {
    static const ConnectorSpec k_spec = make_spec();
    return k_spec;
}

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    return pages::read_pages_or_export<Reader>(source, context, out, report, k_default_tool, "a Data Loader or report export of User (.csv)");
}

}  // namespace stackaudit::connectors::salesforce
