// Adobe: User Management API pages (/v2/usermanagement/users|groups/{org_id}/{page}, page
// numbers from 0 until lastPage is true) and the Admin Console CSV user export, both mapped
// through one user -> Seat step. Product profiles are told apart from user groups and admin
// groups by the groups endpoint (type PRODUCT_PROFILE) when its pages are there; without them
// every group whose name does not start with '_' (Adobe's admin groups) counts as a profile.
#include "adobe/adobe.hpp"

#include <map>
#include <set>
#include <utility>

#include "csv_source.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::adobe {

namespace {

constexpr std::string_view k_default_tool = "Adobe Creative Cloud";
const std::string k_users = "users";
const std::string k_groups = "groups";

namespace col {
enum : std::size_t { email, product_configurations, username, count };
}

ApiSpec api_spec() {
    const Paging pages{.kind = PagingKind::page_number, .done_pointer = "/lastPage", .done_when = true,
                       .page_placeholder = "{page}", .first_page = 0};
    return ApiSpec{
        .default_base_url = "https://usermanagement.adobe.io",
        .credentials = {
            CredentialSpec{.name = "token", .kind = AuthKind::bearer, .header = {},
                           .description = "an OAuth access token of an Adobe Developer Console project with the User "
                                          "Management API (OAuth Server-to-Server credential); the integration must "
                                          "be allowed to read users in the Admin Console"},
            CredentialSpec{.name = "api_key", .kind = AuthKind::header, .header = "X-Api-Key",
                           .description = "the Client ID (API key) of that Developer Console project"},
        },
        .endpoints = {
            Endpoint{.name = k_users, .path = "/v2/usermanagement/users/{org_id}/{page}", .paging = pages,
                     .records_pointer = "/users"},
            Endpoint{.name = k_groups, .path = "/v2/usermanagement/groups/{org_id}/{page}", .paging = pages,
                     .records_pointer = "/groups"},
        },
        .permissions = "a Developer Console project with the User Management API added and its OAuth "
                       "Server-to-Server credential; option org_id = the organisation id (like 4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg). Adobe "
                       "allows 25 requests a minute per client",
        .check_endpoint = k_users,
    };
}

// What the groups endpoint says: which names are product profiles, and the pools.
struct Groups {
    bool known = false;  // groups pages were read
    std::set<std::string, std::less<>> profiles;
    struct Pool {
        std::int64_t purchased = 0;
        bool purchased_known = true;
        std::int64_t assigned = 0;
        bool assigned_known = false;
    };
    std::map<std::string, Pool, std::less<>> pools;  // by productName

    [[nodiscard]] bool is_profile(std::string_view name) const {
        if (known) {
            return profiles.find(name) != profiles.end();
        }
        return !name.empty() && name.front() != '_';
    }
};

Result<void> read_groups(const std::vector<std::filesystem::path>& pages, const SourceConfig& source,
                         ReadContext& context, SourceReport& report, Groups& groups) {
    groups.known = !pages.empty();
    std::size_t counter = 0;
    return json_pages::for_each_record(
        pages, source, context, report, "/groups", counter, [&](json_pages::Record& record) -> Result<void> {
            auto type = record.text("/type");
            auto name = record.text("/groupName");
            if (!type || !name) {
                const bool bad_type = !type;
                return std::unexpected(record.error(source.name, bad_type ? "/type" : "/groupName",
                                                    bad_type ? cat("type ", type.error().message)
                                                             : cat("groupName ", name.error().message),
                                                    "a group needs a groupName and a type"));
            }
            if (!iequals(type->value_or(""), "PRODUCT_PROFILE")) {
                return {};
            }
            if (!name->has_value() || trim(**name).empty()) {
                return std::unexpected(record.error(source.name, "/groupName", "product profile has no groupName",
                                                    "a product profile needs its name"));
            }
            auto product = record.text("/productName");
            if (!product) {
                return std::unexpected(record.error(source.name, "/productName", cat("productName ", product.error().message),
                                                    "productName must be the product's name"));
            }
            auto quota = record.text("/licenseQuota");
            if (!quota) {
                return std::unexpected(record.error(source.name, "/licenseQuota", cat("licenseQuota ", quota.error().message),
                                                    "licenseQuota is a number or UNLIMITED"));
            }
            std::optional<std::int64_t> purchased;
            if (quota->has_value() && !iequals(trim(**quota), "UNLIMITED")) {
                auto count = parse_count(**quota);
                if (!count) {
                    return std::unexpected(record.error(source.name, "/licenseQuota",
                                                        cat("licenseQuota has \"", **quota, "\", expected a number or UNLIMITED"),
                                                        "licenseQuota is a number or UNLIMITED"));
                }
                purchased = *count;
            }
            auto members = record.integer("/memberCount");
            if (!members) {
                return std::unexpected(record.error(source.name, "/memberCount", cat("memberCount ", members.error().message),
                                                    "memberCount is the number of users in the profile"));
            }
            groups.profiles.insert(std::string(trim(**name)));
            const std::string sku(trim(product->value_or(**name)));
            Groups::Pool& pool = groups.pools[sku];
            // One product's quota is the sum of its profiles' quotas; an unlimited or unstated
            // quota on any profile leaves the product's purchased count unknown.
            if (purchased) {
                pool.purchased += *purchased;
            } else {
                pool.purchased_known = false;
            }
            if (members->has_value()) {
                pool.assigned += **members;
                pool.assigned_known = true;
            }
            return {};
        });
}

// One user, from the API or the CSV export: a seat when they hold a product profile.
void add_user(std::string email, const std::vector<std::string>& profiles, const std::string& tool,
              const SourceConfig& source, std::size_t line, Dataset& out, SourceReport& report) {
    if (profiles.empty()) {
        ++report.ignored;  // an Adobe user without a product profile holds no licence
        return;
    }
    Seat seat;
    seat.tool = tool;
    seat.email = std::move(email);
    seat.license_type = join(profiles, "; ");
    seat.has_activity_column = false;
    seat.source = source.name;
    seat.line = line;
    out.seats.push_back(std::move(seat));
    ++report.records;
}

Result<void> read_users(const std::vector<std::filesystem::path>& pages, const SourceConfig& source,
                        ReadContext& context, SourceReport& report, Dataset& out, const std::string& tool,
                        const Groups& groups) {
    std::size_t counter = 0;
    return json_pages::for_each_record(
        pages, source, context, report, "/users", counter, [&](json_pages::Record& record) -> Result<void> {
            auto text = record.text("/email");
            if (!text) {
                return std::unexpected(record.error(source.name, "/email", cat("email ", text.error().message),
                                                    "every Adobe user needs an email"));
            }
            std::string address = text->value_or("");
            if (trim(address).empty()) {
                // Adobe IDs and Federated IDs may leave email empty and sign in with an email username.
                auto username = record.text("/username");
                if (username && username->has_value() && username->value().find('@') != std::string::npos) {
                    address = **username;
                }
            }
            auto email = parse_email(address);
            if (!email) {
                return std::unexpected(record.error(source.name, "/email", cat("email ", email.error().message),
                                                    "every Adobe user needs an email (or an email username)"));
            }
            auto names = record.strings("/groups");
            if (!names) {
                return std::unexpected(record.error(source.name, "/groups", cat("groups ", names.error().message),
                                                    "groups is the list of the user's group and product profile names"));
            }
            std::vector<std::string> profiles;
            for (auto& name : *names) {
                if (groups.is_profile(name)) {
                    profiles.push_back(std::move(name));
                }
            }
            add_user(std::move(*email), profiles, tool, source, record.number(), out, report);
            return {};
        });
}

Result<void> read_export(const std::filesystem::path& path, const SourceConfig& source, ReadContext& context,
                         SourceReport& report, Dataset& out, const std::string& tool) {
    auto columns = column_specs(spec(), source);
    if (!columns) {
        return std::unexpected(columns.error());
    }
    auto delimiter = csv_delimiter(source);
    if (!delimiter) {
        return std::unexpected(delimiter.error());
    }
    auto table = CsvTable::open(path, source.name, *columns, CsvOptions{.delimiter = *delimiter});
    if (!table) {
        return std::unexpected(table.error());
    }
    while (true) {
        auto row = table->next();
        if (!row) {
            if (row.error().code == ErrorCode::io) {
                return std::unexpected(row.error());
            }
            if (auto verdict = reject_row(context, report, row.error(), table->last_raw()); !verdict) {
                return verdict;
            }
            continue;
        }
        if (!row->has_value()) {
            break;
        }
        const CsvTable::Row& current = **row;
        std::string_view address = current[col::email];
        if (address.empty() && current[col::username].find('@') != std::string_view::npos) {
            address = current[col::username];
        }
        auto email = parse_email(address);
        if (!email) {
            const Error error = cell_error(*table, current, (*columns)[col::email], email.error().message,
                                           "every row of the Adobe user export needs the user's email; map the right "
                                           "header with `columns: {email: \"...\"}` if this is the wrong column");
            if (auto verdict = reject_row(context, report, error, current.raw); !verdict) {
                return verdict;
            }
            continue;
        }
        add_user(std::move(*email), split_profiles(current[col::product_configurations]), tool, source, current.line,
                 out, report);
    }
    return {};
}

}  // namespace

std::vector<std::string> split_profiles(std::string_view cell) {
    std::vector<std::string> out;
    if (cell.find(';') != std::string_view::npos) {
        return split_list(cell, ';');
    }
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cell.size(); ++i) {
        const char c = i < cell.size() ? cell[i] : ',';
        if (c == '(') {
            ++depth;
        } else if (c == ')' && depth > 0) {
            --depth;
        } else if (c == ',' && (depth == 0 || i == cell.size())) {
            const std::string_view piece = trim(cell.substr(start, i - start));
            if (!piece.empty()) {
                out.emplace_back(piece);
            }
            start = i + 1;
        }
    }
    return out;
}

ConnectorSpec spec() {
    return ConnectorSpec{
        .kind = "adobe",
        .description = "Adobe Admin Console users and product profiles, live (User Management API) or from saved "
                       "pages, or the Admin Console CSV user export: one seat per user holding at least one product "
                       "profile (licence type = the profiles, joined \"; \"); users without one are counted as "
                       "ignored. Product-profile groups give one licence pool per product (licenseQuota purchased, "
                       "memberCount assigned; UNLIMITED = no count). Adobe reports no sign-ins: usage comes from "
                       "the identity provider.",
        .columns = {
            {"email", "Email", true, "the user's email (the CSV export's Email column; Username when Email is empty)"},
            {"product_configurations", "Product Configurations", true,
             "the user's product profiles, separated by ',' or ';'"},
            {"username", "Username", false, "sign-in name, used when Email is empty"},
        },
        .options = {
            "org_id: the Adobe organisation id (like 4F2A1C3B5D6E7F8091A2B3C4@AdobeOrg); set it under api: options: for the live API",
            "delimiter: field separator of the CSV export, one character or \"tab\" (default \",\")",
        },
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
        const json_pages::InputForm form = json_pages::input_form(path);
        if (form == json_pages::InputForm::csv) {
            if (auto read_ok = read_export(path, source, context, report, out, tool); !read_ok) {
                return read_ok;
            }
            continue;
        }
        std::vector<std::filesystem::path> users{path};
        std::vector<std::filesystem::path> group_pages;
        if (form == json_pages::InputForm::pages) {
            auto found = json_pages::saved_pages(source, path, k_users, true);
            if (!found) {
                return std::unexpected(found.error());
            }
            users = std::move(*found);
            auto groups_found = json_pages::saved_pages(source, path, k_groups, false);
            if (!groups_found) {
                return std::unexpected(groups_found.error());
            }
            group_pages = std::move(*groups_found);
        }
        Groups groups;
        if (auto read_ok = read_groups(group_pages, source, context, report, groups); !read_ok) {
            return read_ok;
        }
        for (const auto& [sku, pool] : groups.pools) {
            out.licenses.push_back(LicensePool{
                .tool = tool,
                .sku = sku,
                .purchased = pool.purchased_known ? std::optional<std::int64_t>(pool.purchased) : std::nullopt,
                .assigned = pool.assigned_known ? std::optional<std::int64_t>(pool.assigned) : std::nullopt,
                .source = source.name,
            });
        }
        if (auto read_ok = read_users(users, source, context, report, out, tool, groups); !read_ok) {
            return read_ok;
        }
    }
    return {};
}

}  // namespace stackaudit::connectors::adobe
