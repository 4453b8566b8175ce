// Salesforce connector tests: saved SOQL query pages (UserLicense, User) -> seats and licence
// pools, the Data Loader and report CSV exports, bad records, broken and incomplete pages, and
// a pull from the replay server.
#include "salesforce/salesforce.hpp"

#include "../google_workspace/vendor_read.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

namespace {

const connectors::ConnectorSpec& sf() {
    static const connectors::ConnectorSpec k_spec = connectors::salesforce::spec();
    return k_spec;
}

}  // namespace

TEST_CASE("salesforce reads saved User and UserLicense query pages", "[connector][salesforce]") {
    auto read = read_source(sf(), {api_dir("salesforce")});
    REQUIRE(read.result);
    CHECK(read.report.seat_tools == std::vector<std::string>{"Salesforce"});
    CHECK(read.report.records == 5);
    CHECK(read.report.ignored == 2);  // Tom (IsActive false) and the Disabled community licence
    CHECK(read.report.rejected == 0);

    const auto& seats = read.data.seats;
    REQUIRE(seats.size() == 5);
    CHECK(seats[0].tool == "Salesforce");
    CHECK(seats[0].source == "salesforce");
    CHECK(seats[0].email == "omar.haddad@northwind.example");
    CHECK(seats[0].license_type == "Salesforce");
    CHECK(seats[0].last_activity == at("2026-10-30T08:01:12Z"));  // 2026-10-30T08:01:12.000+0000
    CHECK(format_date(seats[0].assigned_date.value()) == "2023-02-14");
    CHECK(seats[0].has_activity_column);
    CHECK(seats[0].line == 1);
    CHECK(seats[1].email == "li.wei@northwind.example");
    CHECK(seats[1].line == 3);
    CHECK(seats[2].email == "ana.ruiz@northwind.example");
    CHECK(seats[2].license_type == "Salesforce Platform");
    CHECK_FALSE(seats[2].last_activity.has_value());  // LastLoginDate null = never
    CHECK(seats[2].has_activity_column);
    CHECK(seats[3].license_type == "Salesforce Integration");
    CHECK(seats[4].email == "sara.kim@northwind.example");
    CHECK(seats[4].license_type == "Chatter Free");
    CHECK(seats[4].last_activity == at("2026-08-01T10:00:00Z"));

    const auto& pools = read.data.licenses;
    REQUIRE(pools.size() == 4);
    CHECK(pools[0].tool == "Salesforce");
    CHECK(pools[0].sku == "Salesforce");
    CHECK(pools[0].purchased == 50);
    CHECK(pools[0].assigned == 42);
    CHECK(pools[0].source == "salesforce");
    CHECK(pools[1].sku == "Salesforce Platform");
    CHECK(pools[2].sku == "Chatter Free");
    CHECK(pools[2].purchased == 5000);
    CHECK(pools[3].sku == "Salesforce Integration");
    CHECK(pools[3].assigned == 1);
}

TEST_CASE("salesforce reads a Data Loader export of User like the API pages", "[connector][salesforce]") {
    auto read = read_source(sf(), {api_dir("salesforce") / "users_export.csv"});
    REQUIRE(read.result);
    CHECK(read.report.records == 5);
    CHECK(read.report.ignored == 1);
    auto pages = read_source(sf(), {api_dir("salesforce")});
    REQUIRE(pages.result);
    REQUIRE(read.data.seats.size() == pages.data.seats.size());
    for (std::size_t i = 0; i < read.data.seats.size(); ++i) {
        const Seat& a = read.data.seats[i];
        const Seat& b = pages.data.seats[i];
        CHECK(a.email == b.email);
        CHECK(a.license_type == b.license_type);
        CHECK(a.assigned_date == b.assigned_date);
        CHECK(a.last_activity == b.last_activity);  // ...000Z here, ...000+0000 in the API
        CHECK(a.has_activity_column);
    }
    CHECK(read.data.seats[0].line == 2);  // CSV line numbers
    CHECK(read.data.licenses.empty());
}

TEST_CASE("salesforce reads a report export with mapped columns", "[connector][salesforce]") {
    auto read = read_source(sf(), {data_path("seats/salesforce_users.csv")}, BadRowPolicy::collect,
                            {{"is_active", "Active"},
                             {"license_type", "User License"},
                             {"assigned_date", "Created Date"},
                             {"last_activity", "Last Login"}},
                            "Sales Cloud");
    REQUIRE(read.result);
    CHECK(read.report.seat_tools == std::vector<std::string>{"Sales Cloud"});
    REQUIRE(read.data.seats.size() == 4);  // Tom Becker is not active
    CHECK(read.data.seats[0].tool == "Sales Cloud");
    CHECK(read.data.seats[0].last_activity == at("2026-10-30T08:01:12Z"));
    CHECK(read.data.seats[2].email == "ana.ruiz@northwind.example");
    CHECK_FALSE(read.data.seats[3].last_activity.has_value());  // 1970-01-01T00:00:00.000Z
    CHECK(read.report.ignored == 1);
}

TEST_CASE("salesforce rejects bad records with their JSON path", "[connector][salesforce]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");
    std::filesystem::create_directories(dir.path() / "user_licenses");
    const auto users = dir.write("users/page-00001.json", R"({"totalSize": 4, "done": true, "records": [
  {"attributes": {"type": "User"}, "Id": "005A", "Email": "ana.ruiz@northwind.example", "IsActive": true,
   "LastLoginDate": "2026-10-30 lunchtime", "CreatedDate": "2024-01-08T08:00:00.000+0000", "Profile": null},
  {"attributes": {"type": "User"}, "Id": "005B", "Email": null, "IsActive": true,
   "LastLoginDate": null, "CreatedDate": "2024-01-08T08:00:00.000+0000", "Profile": null},
  {"attributes": {"type": "User"}, "Id": "005C", "Email": "li.wei@northwind.example", "IsActive": "maybe",
   "LastLoginDate": null, "CreatedDate": "2024-01-08T08:00:00.000+0000", "Profile": null},
  {"attributes": {"type": "User"}, "Id": "005D", "Email": "raj.patel@northwind.example", "IsActive": true,
   "LastLoginDate": null, "CreatedDate": "2024-01-08T08:00:00.000+0000", "Profile": null}
]})");
    dir.write("user_licenses/page-00001.json", R"({"totalSize": 1, "done": true, "records": [
  {"attributes": {"type": "UserLicense"}, "Name": "Salesforce", "MasterLabel": "Salesforce", "Status": "Active",
   "TotalLicenses": "fifty", "UsedLicenses": 3}]})");
    auto read = read_source(sf(), {dir.path()});
    REQUIRE(read.result);
    CHECK(read.report.records == 1);
    CHECK(read.report.rejected == 4);
    const auto& errors = read.report.errors;
    REQUIRE(errors.size() == 4);
    CHECK(errors[0].where.json_path == "$.records[0].TotalLicenses");
    CHECK(errors[1].where.json_path == "$.records[0].LastLoginDate");
    CHECK(errors[1].where.file == users.string());
    CHECK(contains(errors[1].message, "lunchtime"));
    CHECK(errors[2].where.json_path == "$.records[1].Email");
    CHECK(errors[3].where.json_path == "$.records[2].IsActive");
    REQUIRE(read.data.seats.size() == 1);
    CHECK(read.data.seats[0].email == "raj.patel@northwind.example");
    CHECK(read.data.seats[0].license_type.empty());  // Profile null
    CHECK(read.data.licenses.empty());
}

TEST_CASE("salesforce fails on a malformed page and on pages that stop early", "[connector][salesforce]") {
    TempDir dir;
    copy_endpoints("salesforce", {"users"}, dir.path());
    const auto page = dir.path() / "users" / "page-00003.json";

    SECTION("invalid JSON") {
        dir.write("users/page-00003.json", "{\"totalSize\": 6, \"done\": true, \"records\": [{\"Id\": }]}");
        auto read = read_source(sf(), {dir.path()});
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::json_malformed);
        CHECK(read.result.error().where.file == page.string());
    }
    SECTION("the last saved page says done: false") {
        std::filesystem::remove(page);
        auto read = read_source(sf(), {dir.path()});
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::source_failed);
        CHECK(contains(read.result.error().message, "page-00002.json"));
        CHECK(contains(read.result.error().hint, "nextRecordsUrl"));
    }
}

TEST_CASE("salesforce export errors name the column", "[connector][salesforce]") {
    TempDir dir;
    const auto csv = dir.write("users.csv",
                               "Email,IsActive,LastLoginDate\n"
                               "ana.ruiz@northwind.example,true,2026-10-30T08:01:12.000+0000\n"
                               "li.wei@northwind.example,sometimes,\n");
    auto read = read_source(sf(), {csv});
    REQUIRE(read.result);
    CHECK(read.report.records == 1);
    REQUIRE(read.report.errors.size() == 1);
    CHECK(read.report.errors[0].where.line == 3);
    CHECK(contains(read.report.errors[0].message, "is_active"));

    const auto no_email = dir.write("no_email.csv", "Username,IsActive\nana,true\n");
    auto missing = read_source(sf(), {no_email});
    REQUIRE_FALSE(missing.result);
    CHECK(missing.result.error().code == ErrorCode::csv_missing_column);
}

TEST_CASE("salesforce spec", "[connector][salesforce]") {
    const auto& spec = sf();
    CHECK(spec.kind == "salesforce");
    CHECK(spec.default_tool == "Salesforce");
    REQUIRE(spec.api);
    CHECK(spec.api->option_defaults.at("api_version") == "v60.0");
    REQUIRE(spec.api->endpoints.size() == 2);
    CHECK(spec.api->endpoints[1].paging.kind == connectors::PagingKind::body_url);
    CHECK(spec.api->endpoints[1].paging.next_pointer == "/nextRecordsUrl");
    CHECK(spec.api->endpoints[1].paging.done_pointer == "/done");
    CHECK(contains(spec.api->permissions, "Sforce-Limit-Info"));
}

TEST_CASE("salesforce pulls from the replay server and reads the snapshot the same", "[connector][salesforce][replay]") {
    TempDir root;
    auto pulled = pull_vendor("salesforce", sf(), root.path(), {{"api_version", "v60.0"}});
    INFO(pulled.error);
    REQUIRE(pulled.result);
    REQUIRE(pulled.result->endpoints.size() == 2);
    CHECK(pulled.result->endpoints[0].pages == 2);
    CHECK(pulled.result->endpoints[0].records == 5);
    CHECK(pulled.result->endpoints[1].pages == 3);
    CHECK(pulled.result->endpoints[1].records == 6);
    CHECK(pulled.requests.size() == 5);

    auto from_snapshot = read_source(sf(), {pulled.result->snapshot_dir});
    auto from_saved = read_source(sf(), {api_dir("salesforce")});
    REQUIRE(from_snapshot.result);
    CHECK(describe(from_snapshot.data) == describe(from_saved.data));
}
