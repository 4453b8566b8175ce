// Google Workspace connector tests: saved Admin SDK pages (users, licence assignments, login
// activity) -> seats, bad records with JSON paths, a broken page, and a pull from the replay server.
#include "google_workspace/google_workspace.hpp"

#include "vendor_read.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

namespace {

const connectors::ConnectorSpec& gw() {
    static const connectors::ConnectorSpec k_spec = connectors::google_workspace::spec();
    return k_spec;
}

}  // namespace

TEST_CASE("google_workspace reads saved users, licences and login activity", "[connector][google_workspace]") {
    auto read = read_source(gw(), {api_dir("google_workspace")});
    REQUIRE(read.result);
    CHECK(read.report.seat_tools == std::vector<std::string>{"Google Workspace"});
    CHECK(read.report.records == 5);
    // Tom (archived) as a user, as a licence holder and as a login actor; Maria's failed login;
    // Omar's login after as_of.
    CHECK(read.report.ignored == 5);
    CHECK(read.report.rejected == 0);

    const auto& seats = read.data.seats;
    REQUIRE(seats.size() == 5);
    CHECK(seats[0].tool == "Google Workspace");
    CHECK(seats[0].source == "google_workspace");
    CHECK(seats[0].email == "ana.ruiz@northwind.example");
    CHECK(seats[0].license_type == "Google Workspace Business Plus");
    CHECK(format_date(seats[0].assigned_date.value()) == "2021-03-02");
    // An older login event does not lower lastLoginTime.
    CHECK(seats[0].last_activity == at("2026-10-28T09:14:03Z"));
    CHECK(seats[0].has_activity_column);
    CHECK(seats[0].line == 1);

    CHECK(seats[1].email == "raj.patel@northwind.example");
    CHECK(seats[1].license_type == "Google Workspace Business Standard");
    // lastLoginTime says 2026-09-15; the Reports API has a login_success on 2026-10-30 (.512 dropped).
    CHECK(seats[1].last_activity == at("2026-10-30T07:55:41Z"));

    CHECK(seats[2].email == "li.wei@northwind.example");
    CHECK(seats[2].license_type == "suspended");  // suspended users keep the seat, flagged
    CHECK(seats[2].last_activity == at("2026-05-02T12:00:00Z"));

    CHECK(seats[3].email == "omar.haddad@northwind.example");
    CHECK(seats[3].license_type == "Google Workspace Business Standard");
    CHECK_FALSE(seats[3].last_activity.has_value());  // 1970-01-01T00:00:00.000Z = never; 2026-11-02 login is after as_of
    CHECK(seats[3].has_activity_column);
    CHECK(seats[3].line == 5);  // the archived user was record 4

    CHECK(seats[4].email == "maria.garcia@northwind.example");
    CHECK(seats[4].last_activity == at("2026-10-31T22:10:59Z"));  // the failed login does not count
    CHECK(read.data.licenses.empty());
}

TEST_CASE("google_workspace without licence and login pages", "[connector][google_workspace]") {
    TempDir dir;
    copy_endpoints("google_workspace", {"users"}, dir.path());
    auto read = read_source(gw(), {dir.path()}, BadRowPolicy::collect, {}, "Google Workspace Business");
    REQUIRE(read.result);
    REQUIRE(read.data.seats.size() == 5);
    CHECK(read.data.seats[0].tool == "Google Workspace Business");
    CHECK(read.report.seat_tools == std::vector<std::string>{"Google Workspace Business"});
    CHECK(read.data.seats[0].license_type.empty());
    CHECK(read.data.seats[1].last_activity == at("2026-09-15T16:40:11Z"));
    CHECK(read.data.seats[2].license_type == "suspended");
    CHECK(read.report.ignored == 1);
}

TEST_CASE("google_workspace rejects bad user records with their JSON path", "[connector][google_workspace]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");
    const auto page = dir.write("users/page-00001.json", R"({
  "kind": "admin#directory#users",
  "users": [
    {"id": "1", "primaryEmail": "ana.ruiz@northwind.example", "suspended": false, "archived": false,
     "lastLoginTime": "yesterday", "creationTime": "2021-03-02T10:00:00.000Z"},
    {"id": "2", "suspended": false, "archived": false,
     "lastLoginTime": "2026-10-01T10:00:00.000Z", "creationTime": "2021-03-02T10:00:00.000Z"},
    {"id": "3", "primaryEmail": "raj.patel@northwind.example", "suspended": "no", "archived": false,
     "lastLoginTime": "2026-10-01T10:00:00.000Z", "creationTime": "2021-03-02T10:00:00.000Z"},
    {"id": "4", "primaryEmail": "li.wei@northwind.example", "suspended": false, "archived": false,
     "lastLoginTime": "2026-10-01T10:00:00.000Z", "creationTime": "2021-03-02T10:00:00.000Z"}
  ]
})");
    auto read = read_source(gw(), {dir.path()});
    REQUIRE(read.result);
    CHECK(read.report.records == 1);
    CHECK(read.report.rejected == 3);
    REQUIRE(read.rows.collected().size() == 3);
    const auto& errors = read.report.errors;
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].where.json_path == "$.users[0].lastLoginTime");
    CHECK(errors[0].where.file == page.string());
    CHECK(errors[0].where.source == "google_workspace");
    CHECK(contains(errors[0].message, "yesterday"));
    CHECK(errors[1].where.json_path == "$.users[1].primaryEmail");
    CHECK(contains(errors[1].message, "missing"));
    CHECK(errors[2].where.json_path == "$.users[2].suspended");
    CHECK(contains(read.rows.collected()[0].raw, "\"yesterday\""));
    REQUIRE(read.data.seats.size() == 1);
    CHECK(read.data.seats[0].email == "li.wei@northwind.example");
    CHECK(read.data.seats[0].line == 4);
}

TEST_CASE("google_workspace stops on a bad record under --on-bad-row fail", "[connector][google_workspace]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");
    dir.write("users/page-00001.json",
              R"({"users": [{"primaryEmail": "ana.ruiz@northwind.example", "lastLoginTime": "2026-13-40T00:00:00Z"}]})");
    auto read = read_source(gw(), {dir.path()}, BadRowPolicy::fail);
    REQUIRE_FALSE(read.result);
    CHECK(read.result.error().where.json_path == "$.users[0].lastLoginTime");
}

TEST_CASE("google_workspace fails on a truncated page and names the file", "[connector][google_workspace]") {
    TempDir dir;
    copy_endpoints("google_workspace", {"users"}, dir.path());
    const auto page = dir.path() / "users" / "page-00002.json";
    const std::string text = e2e::slurp(page);
    dir.write("users/page-00002.json", text.substr(0, text.size() / 2));
    auto read = read_source(gw(), {dir.path()});
    REQUIRE_FALSE(read.result);
    CHECK(read.result.error().code == ErrorCode::json_malformed);
    CHECK(read.result.error().where.file == page.string());
    CHECK(contains(read.result.error().message, "page-00002.json"));
}

TEST_CASE("google_workspace needs the users pages and a folder", "[connector][google_workspace]") {
    TempDir dir;
    auto empty = read_source(gw(), {dir.path()});
    REQUIRE_FALSE(empty.result);
    CHECK(empty.result.error().code == ErrorCode::not_found);
    CHECK(contains(empty.result.error().hint, "page-00001.json"));

    const auto csv = dir.write("users.csv", "email\nana.ruiz@northwind.example\n");
    auto file = read_source(gw(), {csv});
    REQUIRE_FALSE(file.result);
    CHECK(file.result.error().code == ErrorCode::config_invalid);
}

TEST_CASE("google_workspace spec", "[connector][google_workspace]") {
    const auto& spec = gw();
    CHECK(spec.kind == "google_workspace");
    CHECK(spec.default_tool == "Google Workspace");
    REQUIRE(spec.api);
    CHECK(spec.api->default_base_url == "https://admin.googleapis.com");
    REQUIRE(spec.api->endpoints.size() == 3);
    CHECK(spec.api->endpoints[1].path.starts_with("{licensing_base_url}/apps/licensing/v1/product/{product_id}/users"));
    CHECK(spec.api->option_defaults.at("licensing_base_url") == "https://licensing.googleapis.com");
    CHECK(contains(spec.api->permissions, "admin.reports.audit.readonly"));
}

TEST_CASE("google_workspace pulls from the replay server and reads the snapshot the same", "[connector][google_workspace][replay]") {
    TempDir root;
    auto pulled = pull_vendor("google_workspace", gw(), root.path(),
                              {{"customer_id", "C03az79cb"},
                               {"product_id", "Google-Apps"},
                               {"licensing_base_url", "{{BASE}}"},
                               {"since", "2026-08-03T00:00:00Z"}},
                              true);
    INFO(pulled.error);
    REQUIRE(pulled.result);
    REQUIRE(pulled.result->endpoints.size() == 3);
    CHECK(pulled.result->endpoints[0].pages == 3);
    CHECK(pulled.result->endpoints[0].records == 6);
    CHECK(pulled.result->endpoints[1].pages == 2);
    CHECK(pulled.result->endpoints[2].pages == 2);
    CHECK(pulled.requests.size() == 7);
    for (const auto& request : pulled.requests) {
        CHECK(request.outcome == "200");
    }

    auto from_snapshot = read_source(gw(), {pulled.result->snapshot_dir});
    auto from_saved = read_source(gw(), {api_dir("google_workspace")});
    REQUIRE(from_snapshot.result);
    CHECK(describe(from_snapshot.data) == describe(from_saved.data));
    CHECK(from_snapshot.report.ignored == from_saved.report.ignored);
}
