// Microsoft 365 connector tests: saved Graph pages (subscribedSkus, users) and the active-user
// report into seats and licence pools, sku_tools, the report CSV export on its own, bad records
// with JSON paths or file:line, malformed pages, and the ApiSpec.
#include "okta/vendor_test_support.hpp"

#include "m365/m365.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

namespace {

std::filesystem::path m365_pages() { return data_path("api/m365"); }

connectors::SourceConfig m365_source(std::vector<std::filesystem::path> paths, std::string sku_tools = {}) {
    auto config = source("m365", std::move(paths));
    if (!sku_tools.empty()) {
        config.options["sku_tools"] = std::move(sku_tools);
    }
    return config;
}

}  // namespace

TEST_CASE("m365 reads saved subscribedSkus, users and the active-user report", "[connector][m365]") {
    const auto outcome = run_read(connectors::m365::spec(), m365_source({m365_pages()}));
    REQUIRE(outcome.ok());
    const auto& report = outcome.report;
    CHECK(report.records == 7);
    CHECK(report.ignored == 2);  // the unlicensed room mailbox, the deleted user's report row
    CHECK(report.rejected == 0);
    CHECK(report.seat_tools == std::vector<std::string>{"Microsoft 365"});

    SECTION("licence pools from subscribedSkus") {
        REQUIRE(outcome.data.licenses.size() == 3);
        const LicensePool* e3 = find_pool(outcome.data, "SPE_E3");
        REQUIRE(e3 != nullptr);
        CHECK(e3->tool == "Microsoft 365");
        CHECK(e3->purchased == 12);
        CHECK(e3->assigned == 6);
        CHECK(e3->source == "m365");
        CHECK(find_pool(outcome.data, "POWER_BI_PRO")->purchased == 5);
        CHECK(find_pool(outcome.data, "FLOW_FREE")->assigned == 2);
    }

    SECTION("seats: SKU part numbers, sign-in activity merged with the report") {
        REQUIRE(seats_of(outcome.data, "Microsoft 365").size() == 7);
        const Seat* ana = find_seat(outcome.data, "Microsoft 365", "ana.ruiz@northwind.example");  // mail normalised
        REQUIRE(ana != nullptr);
        CHECK(ana->license_type == "SPE_E3+POWER_BI_PRO");
        CHECK(ana->last_activity == at("2026-10-31T08:12:03Z"));  // the sign-in is later than the report's day
        CHECK(ana->has_activity_column);
        CHECK_FALSE(ana->assigned_date.has_value());
        CHECK(ana->line == 1);
        CHECK(ana->source == "m365");

        const Seat* raj = find_seat(outcome.data, "Microsoft 365", "raj.patel@northwind.example");
        REQUIRE(raj != nullptr);
        CHECK(raj->last_activity == at("2026-10-30T00:00:00Z"));  // Teams activity beats the 10-25 sign-in

        CHECK(find_seat(outcome.data, "Microsoft 365", "li.wei@northwind.example")->license_type == "SPE_E3+FLOW_FREE");
        CHECK(find_seat(outcome.data, "Microsoft 365", "tom.becker@northwind.example")->last_activity ==
              at("2026-09-12T08:29:00Z"));

        const Seat* omar = find_seat(outcome.data, "Microsoft 365", "omar.haddad@northwind.example");
        REQUIRE(omar != nullptr);
        CHECK_FALSE(omar->last_activity.has_value());  // never signed in, no report activity
        CHECK(omar->has_activity_column);
        CHECK(omar->line == 6);  // the room mailbox is record 5

        const Seat* mia = find_seat(outcome.data, "Microsoft 365", "mia.santos@northwind.example");  // mail null -> UPN
        REQUIRE(mia != nullptr);
        CHECK(mia->last_activity == at("2026-10-21T00:00:00Z"));

        CHECK(find_seat(outcome.data, "Microsoft 365", "jo.kim@northwind.example")->license_type == "FLOW_FREE");
        CHECK(find_seat(outcome.data, "Microsoft 365", "confroom.berlin@northwind.example") == nullptr);
    }
}

TEST_CASE("m365 sku_tools sends SKUs to other tools or drops them", "[connector][m365]") {
    const auto outcome =
        run_read(connectors::m365::spec(), m365_source({m365_pages()}, "POWER_BI_PRO=Power BI; flow_free = -"));
    REQUIRE(outcome.ok());
    REQUIRE(outcome.data.licenses.size() == 2);
    CHECK(find_pool(outcome.data, "POWER_BI_PRO")->tool == "Power BI");
    CHECK(find_pool(outcome.data, "FLOW_FREE") == nullptr);
    CHECK(outcome.report.seat_tools == std::vector<std::string>{"Microsoft 365", "Power BI"});
    CHECK(outcome.report.records == 8);
    CHECK(outcome.report.ignored == 4);  // room mailbox, jo (only a dropped SKU) and jo's report row, deleted row
    CHECK(seats_of(outcome.data, "Power BI").size() == 2);
    CHECK(find_seat(outcome.data, "Microsoft 365", "ana.ruiz@northwind.example")->license_type == "SPE_E3");
    CHECK(find_seat(outcome.data, "Power BI", "ana.ruiz@northwind.example")->license_type == "POWER_BI_PRO");
    CHECK(find_seat(outcome.data, "Microsoft 365", "li.wei@northwind.example")->license_type == "SPE_E3");
    CHECK(find_seat(outcome.data, "Microsoft 365", "jo.kim@northwind.example") == nullptr);

    SECTION("a malformed entry is a config error") {
        const auto bad = run_read(connectors::m365::spec(), m365_source({m365_pages()}, "POWER_BI_PRO"));
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error->code == ErrorCode::config_invalid);
        CHECK(contains(bad.error->message, "POWER_BI_PRO"));
    }
}

TEST_CASE("m365 reads the active-user report CSV export on its own", "[connector][m365]") {
    const auto export_file = m365_pages() / "active_users" / "page-00001.csv";
    const auto outcome = run_read(connectors::m365::spec(), m365_source({export_file}));
    REQUIRE(outcome.ok());
    CHECK(outcome.report.records == 7);
    CHECK(outcome.report.ignored == 1);  // Is Deleted = True
    CHECK(outcome.data.licenses.empty());
    CHECK(outcome.report.seat_tools == std::vector<std::string>{"Microsoft 365"});

    const Seat* ana = find_seat(outcome.data, "Microsoft 365", "ana.ruiz@northwind.example");
    REQUIRE(ana != nullptr);
    CHECK(ana->license_type == "MICROSOFT 365 E3+POWER BI PRO");
    CHECK(ana->last_activity == at("2026-10-31T00:00:00Z"));  // max of the "... Last Activity Date" columns
    CHECK(ana->has_activity_column);
    CHECK(ana->line == 2);
    CHECK(find_seat(outcome.data, "Microsoft 365", "raj.patel@northwind.example")->last_activity ==
          at("2026-10-30T00:00:00Z"));
    const Seat* omar = find_seat(outcome.data, "Microsoft 365", "omar.haddad@northwind.example");
    REQUIRE(omar != nullptr);
    CHECK_FALSE(omar->last_activity.has_value());
    CHECK(omar->has_activity_column);
    CHECK(find_seat(outcome.data, "Microsoft 365", "sara.nilsson@northwind.example") == nullptr);

    SECTION("sku_tools applies to product names") {
        const auto mapped =
            run_read(connectors::m365::spec(), m365_source({export_file}, "Microsoft Power Automate Free=-"));
        REQUIRE(mapped.ok());
        CHECK(mapped.report.records == 6);
        CHECK(mapped.report.ignored == 2);
        CHECK(find_seat(mapped.data, "Microsoft 365", "li.wei@northwind.example")->license_type == "MICROSOFT 365 E3");
    }
}

TEST_CASE("m365 users pages without the report use signInActivity alone", "[connector][m365]") {
    TempDir dir;
    copy_tree(m365_pages() / "users", dir.path() / "users");
    copy_tree(m365_pages() / "subscribed_skus", dir.path() / "subscribed_skus");
    const auto outcome = run_read(connectors::m365::spec(), m365_source({dir.path()}));
    REQUIRE(outcome.ok());
    CHECK(outcome.report.records == 7);
    CHECK(outcome.report.ignored == 1);
    // lastSuccessfulSignInDateTime is null: lastSignInDateTime stands in.
    CHECK(find_seat(outcome.data, "Microsoft 365", "raj.patel@northwind.example")->last_activity ==
          at("2026-10-25T16:40:00Z"));
    CHECK(find_seat(outcome.data, "Microsoft 365", "mia.santos@northwind.example")->last_activity ==
          at("2026-10-20T15:01:30Z"));
}

TEST_CASE("m365 bad records are rejected with their JSON path or line", "[connector][m365]") {
    TempDir dir;
    write_file(dir.path() / "subscribed_skus" / "page-00001.json", R"({"value": [
  {"skuId": "s1", "skuPartNumber": "SPE_E3", "consumedUnits": 3, "prepaidUnits": {"enabled": "lots"}},
  {"skuId": "s2", "skuPartNumber": "", "consumedUnits": 1, "prepaidUnits": {"enabled": 1}},
  {"skuId": "s3", "skuPartNumber": "POWER_BI_PRO", "consumedUnits": "2", "prepaidUnits": {"enabled": 5.0}}
]})");
    write_file(dir.path() / "users" / "page-00001.json", R"({"@odata.context": "x", "value": [
  {"id": "u1", "userPrincipalName": "u1@northwind.example", "mail": null,
   "assignedLicenses": [{"skuId": "s3", "disabledPlans": []}],
   "signInActivity": {"lastSuccessfulSignInDateTime": "31/10/2026", "lastSignInDateTime": null}},
  {"id": "u2", "userPrincipalName": null, "mail": null, "assignedLicenses": [{"skuId": "s1", "disabledPlans": []}]},
  {"id": "u3", "userPrincipalName": "U3@Northwind.example", "mail": "",
   "assignedLicenses": [{"skuId": "S1", "disabledPlans": []}, {"skuId": "0000-unknown", "disabledPlans": []}]},
  42
]})");
    write_file(dir.path() / "active_users" / "page-00001.csv",
               "User Principal Name,Is Deleted,Exchange Last Activity Date,Assigned Products\r\n"
               "u3@northwind.example,False,2026-13-45,MICROSOFT 365 E3\r\n"
               "u1@northwind.example,False,2026-10-01,POWER BI PRO\r\n");

    const auto outcome = run_read(connectors::m365::spec(), m365_source({dir.path()}), BadRowPolicy::collect);
    REQUIRE(outcome.ok());
    CHECK(outcome.report.rejected == 6);
    CHECK(outcome.report.records == 1);
    CHECK(outcome.report.ignored == 1);  // u1's report row: u1 itself was rejected
    CHECK(rejected_paths(outcome) == std::vector<std::string>{"$.value[0].prepaidUnits.enabled", "$.value[1].skuPartNumber",
                                                              "$.value[0].signInActivity.lastSuccessfulSignInDateTime",
                                                              "$.value[1].userPrincipalName", "$.value[3]"});
    const auto& rows = outcome.rows.collected();
    REQUIRE(rows.size() == 6);
    CHECK(contains(rows[0].reason, "lots"));
    CHECK(contains(rows[2].reason, "31/10/2026"));
    CHECK(contains(rows[2].file, "users/page-00001.json"));
    CHECK(contains(rows[5].file, "active_users/page-00001.csv"));
    CHECK(rows[5].line == 2);
    CHECK(contains(rows[5].reason, "Exchange Last Activity Date"));

    const LicensePool* pbi = find_pool(outcome.data, "POWER_BI_PRO");
    REQUIRE(pbi != nullptr);  // "2" and 5.0 are read as whole numbers
    CHECK(pbi->purchased == 5);
    CHECK(pbi->assigned == 2);
    const Seat* u3 = find_seat(outcome.data, "Microsoft 365", "u3@northwind.example");
    REQUIRE(u3 != nullptr);
    CHECK(u3->license_type == "SPE_E3+0000-unknown");  // skuId matched case-insensitively; unknown ids kept
    CHECK_FALSE(u3->has_activity_column);  // no signInActivity, and its report row was rejected
}

TEST_CASE("m365 source failures name the page or path", "[connector][m365]") {
    TempDir dir;
    SECTION("a truncated users page") {
        copy_tree(m365_pages(), dir.path());
        const std::string page = read_text(dir.path() / "users" / "page-00002.json");
        write_file(dir.path() / "users" / "page-00002.json", page.substr(0, page.size() - 40));
        const auto outcome = run_read(connectors::m365::spec(), m365_source({dir.path()}));
        REQUIRE_FALSE(outcome.ok());
        CHECK(outcome.error->code == ErrorCode::json_malformed);
        CHECK(contains(outcome.error->where.file, "users/page-00002.json"));
    }
    SECTION("a folder without Graph pages") {
        const auto outcome = run_read(connectors::m365::spec(), m365_source({dir.path()}));
        REQUIRE_FALSE(outcome.ok());
        CHECK(outcome.error->code == ErrorCode::not_found);
    }
    SECTION("a JSON file") {
        const auto outcome = run_read(connectors::m365::spec(), m365_source({m365_pages() / "users" / "page-00001.json"}));
        REQUIRE_FALSE(outcome.ok());
        CHECK(outcome.error->code == ErrorCode::config_invalid);
    }
    SECTION("a report without User Principal Name") {
        write_file(dir.path() / "report.csv", "Display Name,Assigned Products\r\nAna,MICROSOFT 365 E3\r\n");
        const auto outcome = run_read(connectors::m365::spec(), m365_source({dir.path() / "report.csv"}));
        REQUIRE_FALSE(outcome.ok());
        CHECK(outcome.error->code == ErrorCode::csv_missing_column);
    }
}

TEST_CASE("m365 ApiSpec", "[connector][m365]") {
    const auto spec = connectors::m365::spec();
    CHECK(spec.kind == "m365");
    CHECK(spec.default_tool == "Microsoft 365");
    REQUIRE(spec.api.has_value());
    const auto& api = *spec.api;
    CHECK(api.default_base_url == "https://graph.microsoft.com");
    REQUIRE(api.credentials.size() == 1);
    CHECK(api.credentials[0].kind == connectors::AuthKind::bearer);
    for (const char* permission : {"User.Read.All", "Organization.Read.All", "Reports.Read.All", "AuditLog.Read.All"}) {
        CHECK(contains(api.permissions, permission));
    }
    REQUIRE(api.endpoints.size() == 3);
    CHECK(api.endpoints[0].name == "subscribed_skus");
    CHECK(api.endpoints[0].records_pointer == "/value");
    CHECK(api.endpoints[1].name == "users");
    CHECK(api.endpoints[1].path ==
          "/v1.0/users?$select=id,userPrincipalName,mail,accountEnabled,department,assignedLicenses,signInActivity&$top=100");
    CHECK(api.endpoints[1].paging.kind == connectors::PagingKind::body_url);
    CHECK(api.endpoints[1].paging.next_pointer == "/@odata.nextLink");
    CHECK(api.endpoints[2].path == "/v1.0/reports/getOffice365ActiveUserDetail(period='D30')");
    CHECK(api.endpoints[2].csv);
    CHECK(api.endpoints[2].optional);
    REQUIRE(spec.options.size() == 1);
    CHECK(spec.options[0].starts_with("sku_tools:"));
}
