// The Microsoft 365 connector: the Graph ApiSpec and the parser for subscribedSkus, users and
// the active-user-detail report (pulled CSV pages or the admin center's CSV download).
#include "m365/m365.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::m365 {

namespace {

using json_pages::Record;

const std::string k_skus = "subscribed_skus";
const std::string k_users = "users";
const std::string k_report = "active_users";
const std::string k_sku_tools = "sku_tools";
// A sku_tools target that drops the SKU: free and trial SKUs hold no paid seat.
constexpr std::string_view k_ignore_tool = "-";

// Column keys of the report, in ColumnDoc order; "... Last Activity Date" columns follow them.
namespace col {
constexpr std::size_t upn = 0;
constexpr std::size_t is_deleted = 1;
constexpr std::size_t assigned_products = 2;
constexpr std::size_t first_activity = 3;
}  // namespace col

const std::string k_graph_timestamp_hint =
    "Microsoft Graph writes timestamps as ISO 8601, e.g. 2026-10-30T14:05:09Z, or null";

// The `sku_tools` option: "ENTERPRISEPACK=Microsoft 365;POWER_BI_PRO=Power BI;FLOW_FREE=-",
// keys case-insensitive. Errors: config_invalid naming the entry.
Result<std::map<std::string, std::string>> parse_sku_tools(const SourceConfig& source) {
    std::map<std::string, std::string> tools;
    const auto it = source.options.find(k_sku_tools);
    if (it == source.options.end()) {
        return tools;
    }
    for (const auto& entry : split_list(it->second, ';')) {
        const auto equals = entry.find('=');
        const std::string_view sku = trim(std::string_view(entry).substr(0, equals));
        const std::string_view tool =
            equals == std::string::npos ? std::string_view{} : trim(std::string_view(entry).substr(equals + 1));
        if (sku.empty() || tool.empty()) {
            return fail(ErrorCode::config_invalid,
                        cat("option sku_tools has the entry \"", entry, "\", expected SKU=Tool"),
                        Location{.source = source.name, .file = source.config_file, .line = source.config_line},
                        "write e.g. `sku_tools: \"ENTERPRISEPACK=Microsoft 365;POWER_BI_PRO=Power BI;FLOW_FREE=-\"` "
                        "(`-` drops a SKU)");
        }
        tools[to_lower(sku)] = std::string(tool);
    }
    return tools;
}

// The pulled report pages of a snapshot: <dir>/active_users/page-00001.csv, ... in page order.
std::vector<std::filesystem::path> report_pages(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> pages;
    for (auto& page : endpoint_pages(dir, k_report)) {
        if (iequals(page.extension().string(), ".csv")) {
            pages.push_back(std::move(page));
        }
    }
    return pages;
}

// Every element of a page's value array must be an object; anything else is a bad record.
Result<void> require_object(const Record& record, const SourceConfig& source, std::string_view what) {
    const std::string_view raw = trim(record.raw());
    if (raw.empty() || raw.front() != '{') {
        return std::unexpected(record.error(source.name, "", cat("the ", what, " is not a JSON object"),
                                            "each element of a Graph page's value array is one object {...}"));
    }
    return {};
}

// Whether the value at `pointer` exists and is not null (an object reads as present too).
bool present(Record& record, std::string_view pointer) {
    auto value = record.text(pointer);
    return !value || value->has_value();
}

bool ends_with_ci(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

// One licence group of a user: the tool and the SKUs (or products) that go to it.
struct Group {
    std::string tool;
    std::vector<std::string> names;
};

class Reader {
public:
    Reader(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report)
        : m_source(source), m_context(context), m_out(out), m_report(report),
          m_tool(json_pages::tool_name(source, k_default_tool)) {}

    Result<void> run() {
        auto tools = parse_sku_tools(m_source);
        if (!tools) {
            return std::unexpected(std::move(tools.error()));
        }
        m_sku_tools = std::move(*tools);

        std::vector<std::filesystem::path> dirs;
        std::vector<std::filesystem::path> csv_files;
        for (const auto& path : m_source.paths) {
            switch (json_pages::input_form(path)) {
                case json_pages::InputForm::pages: dirs.push_back(path); break;
                case json_pages::InputForm::csv: csv_files.push_back(path); break;
                case json_pages::InputForm::json:
                    return fail(ErrorCode::config_invalid,
                                cat("m365 reads a folder of saved Graph pages or the active-user report as .csv, but ",
                                    path.string(), " is neither"),
                                Location{.source = m_source.name, .file = m_source.config_file, .line = m_source.config_line},
                                "point path at the folder `stackaudit pull` writes (subscribed_skus/, users/, "
                                "active_users/) or at the report downloaded from the Microsoft 365 admin center "
                                "(Reports > Usage > Active users > Export)");
            }
        }

        std::vector<std::filesystem::path> sku_pages, user_pages, csv_pages;
        for (const auto& dir : dirs) {
            auto skus = json_pages::saved_pages(m_source, dir, k_skus, false);
            auto users = json_pages::saved_pages(m_source, dir, k_users, false);
            if (!skus || !users) {
                return std::unexpected(!skus ? std::move(skus.error()) : std::move(users.error()));
            }
            auto reports = report_pages(dir);
            if (skus->empty() && users->empty() && reports.empty()) {
                return fail(ErrorCode::not_found,
                            cat("no saved Microsoft Graph pages in ", dir.string(), " (expected ",
                                (dir / k_users / "page-00001.json").string(), ", ", k_skus, "/ or ", k_report, "/)"),
                            Location{.source = m_source.name, .file = dir.string()},
                            "run `stackaudit pull` for this source, or save the pages of /v1.0/subscribedSkus and "
                            "/v1.0/users by hand as subscribed_skus/page-00001.json and users/page-00001.json, ...");
            }
            sku_pages.insert(sku_pages.end(), skus->begin(), skus->end());
            user_pages.insert(user_pages.end(), users->begin(), users->end());
            csv_pages.insert(csv_pages.end(), reports.begin(), reports.end());
        }
        csv_pages.insert(csv_pages.end(), csv_files.begin(), csv_files.end());

        std::size_t counter = 0;
        if (auto done = json_pages::for_each_record(sku_pages, m_source, m_context, m_report, "/value", counter,
                                                    [&](Record& record) { return sku(record); });
            !done) {
            return done;
        }
        m_from_users = !user_pages.empty();
        counter = 0;
        if (auto done = json_pages::for_each_record(user_pages, m_source, m_context, m_report, "/value", counter,
                                                    [&](Record& record) { return user(record); });
            !done) {
            return done;
        }
        for (const auto& file : csv_pages) {
            if (auto done = read_report(file); !done) {
                return done;
            }
        }
        if (!user_pages.empty() || !csv_pages.empty()) {
            // Users pages and the report list every licensed user: the seat lists are complete.
            m_report.seat_tools = {m_tool};
            for (const auto& [sku, tool] : m_sku_tools) {
                if (tool != k_ignore_tool &&
                    std::find(m_report.seat_tools.begin(), m_report.seat_tools.end(), tool) == m_report.seat_tools.end()) {
                    m_report.seat_tools.push_back(tool);
                }
            }
        }
        m_report.records = m_seats;
        return {};
    }

private:
    // The catalog tool of a SKU or product name; "" when sku_tools drops it.
    std::string tool_for(std::string_view name) const {
        if (const auto it = m_sku_tools.find(to_lower(trim(name))); it != m_sku_tools.end()) {
            return it->second == k_ignore_tool ? std::string{} : it->second;
        }
        return m_tool;
    }

    std::vector<Group> group(const std::vector<std::string>& names) const {
        std::vector<Group> groups;
        for (const auto& name : names) {
            const std::string tool = tool_for(name);
            if (tool.empty()) {
                continue;
            }
            auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.tool == tool; });
            if (it == groups.end()) {
                groups.push_back(Group{tool, {}});
                it = std::prev(groups.end());
            }
            it->names.push_back(name);
        }
        return groups;
    }

    Result<void> sku(Record& record) {
        if (auto object = require_object(record, m_source, "SKU"); !object) {
            return object;
        }
        auto id = record.text("/skuId");
        auto part = record.text("/skuPartNumber");
        if (!id || !part) {
            const bool id_bad = !id;
            return std::unexpected(record.error(m_source.name, id_bad ? "/skuId" : "/skuPartNumber",
                                                (id_bad ? id : part).error().message,
                                                "check the page is a /v1.0/subscribedSkus response"));
        }
        if (!part->has_value() || trim(**part).empty()) {
            return std::unexpected(record.error(m_source.name, "/skuPartNumber", "the SKU has no skuPartNumber",
                                                "check the page is a /v1.0/subscribedSkus response"));
        }
        const std::string name(trim(**part));
        if (id->has_value()) {
            m_sku_names[to_lower(**id)] = name;
        }
        auto purchased = record.integer("/prepaidUnits/enabled");
        if (!purchased) {
            return std::unexpected(record.error(m_source.name, "/prepaidUnits/enabled", purchased.error().message,
                                                "prepaidUnits.enabled is the number of licences bought"));
        }
        auto assigned = record.integer("/consumedUnits");
        if (!assigned) {
            return std::unexpected(record.error(m_source.name, "/consumedUnits", assigned.error().message,
                                                "consumedUnits is the number of licences assigned"));
        }
        const std::string tool = tool_for(name);
        if (tool.empty()) {
            return {};
        }
        m_out.licenses.push_back(
            LicensePool{.tool = tool, .sku = name, .purchased = *purchased, .assigned = *assigned, .source = m_source.name});
        return {};
    }

    Result<void> user(Record& record) {
        if (auto object = require_object(record, m_source, "user"); !object) {
            return object;
        }
        std::vector<std::string> skus;
        for (std::size_t i = 0;; ++i) {
            const std::string pointer = cat("/assignedLicenses/", i, "/skuId");
            auto id = record.text(pointer);
            if (!id) {
                return std::unexpected(record.error(m_source.name, pointer, id.error().message,
                                                    "assignedLicenses holds {skuId, disabledPlans} objects"));
            }
            if (!id->has_value()) {
                break;
            }
            const auto known = m_sku_names.find(to_lower(**id));
            skus.push_back(known != m_sku_names.end() ? known->second : **id);
        }
        if (skus.empty()) {
            ++m_report.ignored;  // no licence, no seat
            return {};
        }
        std::string_view email_pointer = "/mail";
        auto email_text = record.text(email_pointer);
        if (email_text && (!email_text->has_value() || trim(**email_text).empty())) {
            email_pointer = "/userPrincipalName";
            email_text = record.text(email_pointer);
        }
        if (!email_text) {
            return std::unexpected(record.error(m_source.name, email_pointer, email_text.error().message,
                                                "mail and userPrincipalName are strings"));
        }
        auto email = parse_email(email_text->value_or(std::string{}));
        if (!email) {
            return std::unexpected(record.error(m_source.name, email_pointer, cat("email ", email.error().message),
                                                "every licensed user needs mail or an email-shaped userPrincipalName"));
        }
        auto upn = record.text("/userPrincipalName");

        std::optional<Timestamp> last;
        const bool has_activity = present(record, "/signInActivity");
        if (has_activity) {
            for (const std::string_view pointer :
                 {std::string_view("/signInActivity/lastSuccessfulSignInDateTime"), std::string_view("/signInActivity/lastSignInDateTime")}) {
                auto text = record.text(pointer);
                if (!text) {
                    return std::unexpected(record.error(m_source.name, pointer, text.error().message, k_graph_timestamp_hint));
                }
                if (!text->has_value()) {
                    continue;
                }
                auto when = parse_timestamp(**text);
                if (!when) {
                    return std::unexpected(record.error(m_source.name, pointer, when.error().message, k_graph_timestamp_hint));
                }
                if (when->has_value()) {
                    last = *when;
                    break;
                }
            }
        }

        const std::vector<Group> groups = group(skus);
        if (groups.empty()) {
            ++m_report.ignored;  // only SKUs that sku_tools drops
            return {};
        }
        for (const auto& g : groups) {
            Seat seat;
            seat.tool = g.tool;
            seat.email = *email;
            seat.license_type = join(g.names, "+");
            seat.last_activity = last;
            seat.has_activity_column = has_activity;
            seat.source = m_source.name;
            seat.line = record.number();
            remember(seat.email, m_out.seats.size());
            if (upn && upn->has_value()) {
                remember(normalize_email(**upn), m_out.seats.size());
            }
            m_out.seats.push_back(std::move(seat));
            ++m_seats;
        }
        return {};
    }

    void remember(const std::string& key, std::size_t index) {
        auto& indexes = m_by_email[key];
        if (std::find(indexes.begin(), indexes.end(), index) == indexes.end()) {
            indexes.push_back(index);
        }
    }

    Result<void> read_report(const std::filesystem::path& file) {
        auto base = column_specs(spec(), m_source);
        if (!base) {
            return std::unexpected(std::move(base.error()));
        }
        auto probe = CsvTable::open(file, m_source.name, *base);
        if (!probe) {
            return std::unexpected(std::move(probe.error()));
        }
        std::vector<ColumnSpec> columns = *base;
        for (const auto& header : probe->headers()) {
            if (ends_with_ci(trim(header), "Last Activity Date")) {
                columns.push_back(ColumnSpec{.key = std::string(trim(header)), .header = std::string(trim(header)), .required = false});
            }
        }
        auto table = CsvTable::open(file, m_source.name, columns);
        if (!table) {
            return std::unexpected(std::move(table.error()));
        }
        while (true) {
            auto row = table->next();
            if (!row) {
                if (row.error().code == ErrorCode::io) {
                    return std::unexpected(row.error());
                }
                if (auto verdict = reject_row(m_context, m_report, row.error(), table->last_raw()); !verdict) {
                    return verdict;
                }
                continue;
            }
            if (!row->has_value()) {
                return {};
            }
            if (auto handled = report_row(*table, **row, columns); !handled) {
                if (auto verdict = reject_row(m_context, m_report, handled.error(), (*row)->raw); !verdict) {
                    return verdict;
                }
            }
        }
    }

    Result<void> report_row(const CsvTable& table, const CsvTable::Row& row, const std::vector<ColumnSpec>& columns) {
        if (iequals(row[col::is_deleted], "true")) {
            ++m_report.ignored;
            return {};
        }
        auto email = parse_email(row[col::upn]);
        if (!email) {
            return std::unexpected(cell_error(table, row, columns[col::upn], email.error().message,
                                              "every report row names the user by User Principal Name; if it shows "
                                              "hashes, turn off concealed user names in the admin center's Reports "
                                              "settings and export again"));
        }
        std::optional<Timestamp> last;
        for (std::size_t i = col::first_activity; i < columns.size(); ++i) {
            auto day = parse_date(row[i]);
            if (!day) {
                return std::unexpected(cell_error(table, row, columns[i], cat("has an unreadable date: ", day.error().message),
                                                  "the report writes dates as YYYY-MM-DD, empty for never"));
            }
            if (day->has_value()) {
                const Timestamp when{**day};
                if (!last || when > *last) {
                    last = when;
                }
            }
        }
        if (m_from_users) {
            // The users pages already gave the seats; the report adds activity to them.
            const auto it = m_by_email.find(*email);
            if (it == m_by_email.end()) {
                ++m_report.ignored;
                return {};
            }
            for (const std::size_t index : it->second) {
                Seat& seat = m_out.seats[index];
                seat.has_activity_column = true;
                if (last && (!seat.last_activity || *last > *seat.last_activity)) {
                    seat.last_activity = last;
                }
            }
            return {};
        }
        std::vector<std::string> products;
        for (const auto& product : split_list(row[col::assigned_products], '+')) {
            products.push_back(product);
        }
        const std::vector<Group> groups = group(products);
        if (groups.empty()) {
            ++m_report.ignored;  // unlicensed, or only dropped products
            return {};
        }
        for (const auto& g : groups) {
            Seat seat;
            seat.tool = g.tool;
            seat.email = *email;
            seat.license_type = join(g.names, "+");
            seat.last_activity = last;
            seat.has_activity_column = true;
            seat.source = m_source.name;
            seat.line = row.line;
            m_out.seats.push_back(std::move(seat));
            ++m_seats;
        }
        return {};
    }

    const SourceConfig& m_source;
    ReadContext& m_context;
    Dataset& m_out;
    SourceReport& m_report;
    std::string m_tool;
    std::map<std::string, std::string> m_sku_tools;  // lower-case SKU or product -> tool ("-" = drop)
    std::map<std::string, std::string> m_sku_names;  // lower-case skuId -> skuPartNumber
    std::map<std::string, std::vector<std::size_t>> m_by_email;  // email or UPN -> seats in m_out
    bool m_from_users = false;
    std::size_t m_seats = 0;
};

}  // namespace

ApiSpec api_spec() {
    ApiSpec api;
    api.default_base_url = "https://graph.microsoft.com";
    api.credentials = {CredentialSpec{
        .name = "token",
        .kind = AuthKind::bearer,
        .header = {},
        .description = "a Microsoft Graph access token of an app registration (Microsoft Entra admin center > App "
                       "registrations) granted the application permissions User.Read.All, Organization.Read.All, "
                       "Reports.Read.All and AuditLog.Read.All with admin consent",
    }};
    api.endpoints = {
        Endpoint{.name = k_skus,
                 .path = "/v1.0/subscribedSkus",
                 .paging = Paging{.kind = PagingKind::body_url, .next_pointer = "/@odata.nextLink"},
                 .records_pointer = "/value"},
        Endpoint{.name = k_users,
                 .path = "/v1.0/users?$select=id,userPrincipalName,mail,accountEnabled,department,assignedLicenses,"
                         "signInActivity&$top=100",
                 .paging = Paging{.kind = PagingKind::body_url, .next_pointer = "/@odata.nextLink"},
                 .records_pointer = "/value"},
        Endpoint{.name = k_report,
                 .path = "/v1.0/reports/getOffice365ActiveUserDetail(period='D30')",
                 .paging = Paging{.kind = PagingKind::none},
                 .csv = true,
                 .optional = true},
    };
    api.permissions = "Microsoft Graph application permissions User.Read.All (users and their licences), "
                      "Organization.Read.All (subscribedSkus), Reports.Read.All (active-user report) and "
                      "AuditLog.Read.All (signInActivity), with admin consent";
    api.check_endpoint = k_skus;
    return api;
}

ConnectorSpec spec() {
    return ConnectorSpec{
        .kind = "m365",
        .description = "Microsoft 365 licences from Microsoft Graph, pulled live or read from saved pages "
                       "(subscribed_skus/, users/, active_users/) or the active-user report CSV from the admin "
                       "center. subscribedSkus become licence pools (purchased = prepaidUnits.enabled, assigned = "
                       "consumedUnits); each user with an assigned licence holds a seat (licence type = SKU part "
                       "numbers joined by \"+\", last activity = last successful sign-in); the report adds the "
                       "latest \"... Last Activity Date\" per user, or gives the seats on its own.",
        .columns = {
            {"user_principal_name", "User Principal Name", true, "report: the user's sign-in name (email)"},
            {"is_deleted", "Is Deleted", false, "report: True for deleted users, whose rows are skipped"},
            {"assigned_products", "Assigned Products", false, "report: licensed products, \"+\"-separated"},
        },
        .options = {"sku_tools: catalog tool per SKU part number or report product name, "
                    "\"ENTERPRISEPACK=Microsoft 365;POWER_BI_PRO=Power BI\"; `-` as the tool drops a SKU (free "
                    "or trial SKUs); unlisted SKUs go to the source's tool"},
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

}  // namespace stackaudit::connectors::m365
