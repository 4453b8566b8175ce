// The adobe connector: User Management API pages (users + product-profile groups) and the
// Admin Console CSV user export, which must give the same seats.
#include <catch2/catch.hpp>

#include "../json/vendor_support.hpp"
#include "adobe/adobe.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

namespace {
const std::string k_cc = "Default Creative Cloud Pro - All Apps configuration";
const std::string k_stock = "Adobe Stock - 10 assets per month";
}  // namespace

TEST_CASE("adobe spec states page-number paging, both credentials and the rate limit", "[connector][adobe]") {
    const auto spec = connectors::adobe::spec();
    CHECK(spec.kind == "adobe");
    CHECK(spec.default_tool == "Adobe Creative Cloud");
    REQUIRE(spec.api);
    REQUIRE(spec.api->endpoints.size() == 2);
    for (const auto& endpoint : spec.api->endpoints) {
        CHECK(endpoint.paging.kind == connectors::PagingKind::page_number);
        CHECK(endpoint.paging.first_page == 0);
        CHECK(endpoint.paging.done_pointer == "/lastPage");
        CHECK(endpoint.paging.done_when);
        CHECK(contains(endpoint.path, "{org_id}/{page}"));
    }
    CHECK(spec.api->endpoints[0].records_pointer == "/users");
    CHECK(spec.api->endpoints[1].records_pointer == "/groups");
    REQUIRE(spec.api->credentials.size() == 2);
    CHECK(spec.api->credentials[1].kind == connectors::AuthKind::header);
    CHECK(spec.api->credentials[1].header == "X-Api-Key");
    CHECK(contains(spec.api->permissions, "25 requests a minute"));
}

TEST_CASE("adobe saved pages: seats for product-profile holders and pools per product", "[connector][adobe]") {
    const auto read = read_with(connectors::adobe::spec(), vendor_source("adobe", {api_fixture("adobe")}));
    REQUIRE(read.result);
    CHECK(read.report.records == 4);
    CHECK(read.report.ignored == 2);  // an admin-only user and a user-group-only user
    CHECK(read.report.seat_tools == std::vector<std::string>{"Adobe Creative Cloud"});
    CHECK(emails(read.data) == std::vector<std::string>{"brenda.dubois@northwind.example", "carol.sato@northwind.example",
                                                         "arjun.davis@northwind.example", "studio@brightpixel-agency.example"});
    const Seat* brenda = seat_of(read.data, "brenda.dubois@northwind.example");
    REQUIRE(brenda);
    CHECK(brenda->license_type == k_cc + "; " + k_stock);  // the user group "Brand Design" is no profile
    CHECK_FALSE(brenda->has_activity_column);
    CHECK_FALSE(brenda->last_activity);
    CHECK(brenda->line == 1);
    CHECK(seat_of(read.data, "arjun.davis@northwind.example")->license_type == k_cc);
    CHECK(seat_of(read.data, "studio@brightpixel-agency.example")->line == 5);

    REQUIRE(read.data.licenses.size() == 2);
    const LicensePool& stock = read.data.licenses[0];
    CHECK(stock.tool == "Adobe Creative Cloud");
    CHECK(stock.sku == "Adobe Stock");
    CHECK_FALSE(stock.purchased);  // UNLIMITED
    CHECK(stock.assigned == 2);
    CHECK(stock.source == "adobe");
    const LicensePool& cc = read.data.licenses[1];
    CHECK(cc.sku == "Creative Cloud Pro - All Apps");
    CHECK(cc.purchased == 30);
    CHECK(cc.assigned == 4);
}

TEST_CASE("adobe CSV user export gives the same seats as the API pages", "[connector][adobe]") {
    const auto api = read_with(connectors::adobe::spec(), vendor_source("adobe", {api_fixture("adobe")}));
    const auto csv = read_with(connectors::adobe::spec(),
                               vendor_source("adobe", {api_fixture("adobe/export/adobe_users.csv")}));
    REQUIRE(api.result);
    REQUIRE(csv.result);
    require_same_seats(api.data, csv.data);
    CHECK(csv.report.records == 4);
    CHECK(csv.report.ignored == 2);
    CHECK(csv.data.licenses.empty());  // the export has no quotas
    CHECK(seat_of(csv.data, "brenda.dubois@northwind.example")->line == 2);  // file line of the row
    // Email empty in the export: the username (an email) stands in.
    CHECK(seat_of(csv.data, "studio@brightpixel-agency.example"));
}

TEST_CASE("adobe reads the northwind sample export", "[connector][adobe]") {
    const auto read = read_with(connectors::adobe::spec(),
                                vendor_source("adobe", {std::filesystem::path(STACKAUDIT_SOURCE_DIR) /
                                                        "sample_data/northwind/seats/adobe_users.csv"},
                                              {}, "Adobe Creative Cloud"));
    REQUIRE(read.result);
    CHECK(read.report.rejected == 0);
    REQUIRE(read.report.records > 20);
    const Seat* brenda = seat_of(read.data, "brenda.dubois@northwind.example");
    REQUIRE(brenda);
    CHECK(brenda->license_type == "Creative Cloud Pro - All Apps; Adobe Stock - 10 assets per month");
}

TEST_CASE("adobe product configurations split on ';' or on ',' outside parentheses", "[connector][adobe]") {
    using connectors::adobe::split_profiles;
    CHECK(split_profiles("") == std::vector<std::string>{});
    CHECK(split_profiles("A") == std::vector<std::string>{"A"});
    CHECK(split_profiles("A, B") == std::vector<std::string>{"A", "B"});
    CHECK(split_profiles("A; B, with comma") == std::vector<std::string>{"A", "B, with comma"});
    CHECK(split_profiles("Shared Device Access (ETLA,ETLA - DD21),Acrobat Pro") ==
          std::vector<std::string>{"Shared Device Access (ETLA,ETLA - DD21)", "Acrobat Pro"});
}

TEST_CASE("adobe without groups pages treats every group not starting with '_' as a profile", "[connector][adobe]") {
    TempDir dir;
    copy_fixture(api_fixture("adobe/users"), dir.path() / "users");
    const auto read = read_with(connectors::adobe::spec(), vendor_source("adobe", {dir.path()}));
    REQUIRE(read.result);
    CHECK(read.data.licenses.empty());
    CHECK(read.report.ignored == 1);  // only the admin-only user
    CHECK(seat_of(read.data, "brenda.dubois@northwind.example")->license_type == k_cc + "; " + k_stock + "; Brand Design");
    CHECK(seat_of(read.data, "nathan.cox@northwind.example")->license_type == "Product Design");
}

TEST_CASE("adobe rejects bad groups and users with their JSON path", "[connector][adobe]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");
    std::filesystem::create_directories(dir.path() / "groups");
    dir.write("groups/page-00001.json", R"({"lastPage": true, "result": "success", "groups": [
        {"groupName": "P1", "type": "PRODUCT_PROFILE", "productName": "Acrobat Pro", "licenseQuota": "lots", "memberCount": 1},
        {"groupName": "P2", "type": "PRODUCT_PROFILE", "productName": "Acrobat Pro", "licenseQuota": 5, "memberCount": 2}]})");
    dir.write("users/page-00001.json", R"({"lastPage": true, "result": "success", "users": [
        {"email": "a@northwind.example", "groups": ["P2"]},
        {"email": "b@northwind.example", "groups": "P2"},
        {"email": "", "username": "not-an-email", "groups": ["P2"]}]})");
    const auto read = read_with(connectors::adobe::spec(), vendor_source("adobe", {dir.path()}), BadRowPolicy::collect);
    REQUIRE(read.result);
    CHECK(emails(read.data) == std::vector<std::string>{"a@northwind.example"});
    REQUIRE(read.report.errors.size() == 3);
    CHECK(read.report.errors[0].where.json_path == "$.groups[0].licenseQuota");
    CHECK(read.report.errors[1].where.json_path == "$.users[1].groups");
    CHECK(read.report.errors[2].where.json_path == "$.users[2].email");
    REQUIRE(read.data.licenses.size() == 1);
    CHECK(read.data.licenses[0].purchased == 5);  // the rejected profile does not count
}

TEST_CASE("adobe CSV export: missing column, header mapping and bad rows", "[connector][adobe]") {
    TempDir dir;
    SECTION("missing Product Configurations") {
        const auto file = dir.write("users.csv", "Identity Type,Username,Email\nFederated ID,a@northwind.example,a@northwind.example\n");
        const auto read = read_with(connectors::adobe::spec(), vendor_source("adobe", {file}));
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::csv_missing_column);
        CHECK(contains(read.result.error().message, "Product Configurations"));
    }
    SECTION("headers mapped with columns:") {
        const auto file = dir.write("users.csv", "Mail,Profiles\na@northwind.example,Acrobat Pro\n");
        auto source = vendor_source("adobe", {file});
        source.columns = {{"email", "Mail"}, {"product_configurations", "Profiles"}};
        const auto read = read_with(connectors::adobe::spec(), source);
        REQUIRE(read.result);
        REQUIRE(read.data.seats.size() == 1);
        CHECK(read.data.seats[0].license_type == "Acrobat Pro");
    }
    SECTION("a row without an email") {
        const auto file = dir.write("users.csv", "Email,Product Configurations\n,Acrobat Pro\nb@northwind.example,Acrobat Pro\n");
        const auto read = read_with(connectors::adobe::spec(), vendor_source("adobe", {file}), BadRowPolicy::skip);
        REQUIRE(read.result);
        CHECK(read.report.rejected == 1);
        CHECK(read.report.errors[0].where.line == 2);
        CHECK(emails(read.data) == std::vector<std::string>{"b@northwind.example"});
    }
}
