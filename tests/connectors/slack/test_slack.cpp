// Slack connector tests: saved Web API pages (users.list, team.billableInfo, team.accessLogs) ->
// seats, the member CSV export, "ok": false pages, bad records, a broken page, and a pull from
// the replay server.
#include "slack/slack.hpp"

#include "../google_workspace/vendor_read.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

namespace {

const connectors::ConnectorSpec& sl() {
    static const connectors::ConnectorSpec k_spec = connectors::slack::spec();
    return k_spec;
}

}  // namespace

TEST_CASE("slack reads saved users, billable info and access logs", "[connector][slack]") {
    auto read = read_source(sl(), {api_dir("slack")});
    REQUIRE(read.result);
    CHECK(read.report.seat_tools == std::vector<std::string>{"Slack"});
    CHECK(read.report.records == 4);
    CHECK(read.report.ignored == 5);  // Slackbot, deleted Tom, the HubSpot bot, Li and Sam (not billed)
    CHECK(read.report.rejected == 0);

    const auto& seats = read.data.seats;
    REQUIRE(seats.size() == 4);
    CHECK(seats[0].tool == "Slack");
    CHECK(seats[0].source == "slack");
    CHECK(seats[0].email == "ana.ruiz@northwind.example");
    CHECK(seats[0].license_type == "member");
    // The newest date_last over her two logins (epoch seconds 1793439677).
    CHECK(seats[0].last_activity == at("2026-10-31T09:41:17Z"));
    CHECK(seats[0].has_activity_column);
    CHECK_FALSE(seats[0].assigned_date.has_value());
    CHECK(seats[0].line == 2);
    CHECK(seats[1].email == "raj.patel@northwind.example");
    CHECK(seats[1].last_activity == at("2026-10-30T17:22:05Z"));
    CHECK(seats[2].email == "jo.contractor@agency.example");
    CHECK(seats[2].license_type == "guest");
    CHECK_FALSE(seats[2].last_activity.has_value());
    CHECK(seats[3].email == "maria.garcia@northwind.example");
    // Her 2026-11-03 login is after as_of; the one before it counts.
    CHECK(seats[3].last_activity == at("2026-09-02T14:03:55Z"));
    CHECK(seats[3].line == 8);
}

TEST_CASE("slack without billable info keeps every member who is not deleted or a bot", "[connector][slack]") {
    TempDir dir;
    copy_endpoints("slack", {"users"}, dir.path());
    auto read = read_source(sl(), {dir.path()});
    REQUIRE(read.result);
    CHECK(read.report.records == 6);
    CHECK(read.report.ignored == 3);
    const auto& seats = read.data.seats;
    REQUIRE(seats.size() == 6);
    CHECK(seats[3].email == "li.wei@northwind.example");
    CHECK(seats[5].email == "sam.lee@agency.example");
    CHECK(seats[5].license_type == "guest");  // is_ultra_restricted
    for (const auto& seat : seats) {
        CHECK_FALSE(seat.has_activity_column);  // no access logs saved
        CHECK_FALSE(seat.last_activity.has_value());
    }
}

TEST_CASE("slack reads the admin member export", "[connector][slack]") {
    auto read = read_source(sl(), {api_dir("slack") / "members_export.csv"});
    REQUIRE(read.result);
    CHECK(read.report.records == 4);
    CHECK(read.report.ignored == 4);  // Deactivated, Bot, and the billing-active 0 rows
    const auto& seats = read.data.seats;
    REQUIRE(seats.size() == 4);
    CHECK(seats[0].email == "ana.ruiz@northwind.example");
    CHECK(seats[0].license_type == "member");
    CHECK(seats[0].line == 2);
    CHECK(seats[1].email == "raj.patel@northwind.example");
    CHECK(seats[2].license_type == "guest");  // Multi-Channel Guest
    CHECK(seats[3].email == "maria.garcia@northwind.example");
    CHECK_FALSE(seats[3].has_activity_column);

    // The same members as the API pages give.
    auto pages = read_source(sl(), {api_dir("slack")});
    REQUIRE(pages.data.seats.size() == seats.size());
    for (std::size_t i = 0; i < seats.size(); ++i) {
        CHECK(seats[i].email == pages.data.seats[i].email);
        CHECK(seats[i].license_type == pages.data.seats[i].license_type);
    }
}

TEST_CASE("slack reads the generated sample export and a date_last column", "[connector][slack]") {
    auto sample = read_source(sl(), {std::filesystem::path(STACKAUDIT_SOURCE_DIR) / "sample_data/northwind/seats/slack_members.csv"});
    REQUIRE(sample.result);
    CHECK(sample.report.records > 0);
    CHECK(sample.report.rejected == 0);

    auto with_dates = read_source(sl(), {data_path("seats/slack_members.csv")});
    REQUIRE(with_dates.result);
    REQUIRE(with_dates.data.seats.size() == 2);  // tom.becker is Deactivated
    CHECK(with_dates.data.seats[0].has_activity_column);
    CHECK(with_dates.data.seats[1].last_activity == at("2025-11-01T00:00:00Z"));
}

TEST_CASE("slack fails on an ok:false page with Slack's error", "[connector][slack]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");

    SECTION("invalid_auth") {
        const auto page = dir.write("users/page-00001.json", R"({"ok": false, "error": "invalid_auth"})");
        auto read = read_source(sl(), {dir.path()});
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::source_failed);
        CHECK(read.result.error().where.file == page.string());
        CHECK(contains(read.result.error().message, "invalid_auth"));
        CHECK(contains(read.result.error().hint, "token"));
    }
    SECTION("missing_scope names the scope Slack asks for") {
        dir.write("users/page-00001.json",
                  R"({"ok": false, "error": "missing_scope", "needed": "users:read.email", "provided": "users:read"})");
        auto read = read_source(sl(), {dir.path()});
        REQUIRE_FALSE(read.result);
        CHECK(contains(read.result.error().hint, "users:read.email"));
    }
    SECTION("paid_only access logs are skipped") {
        copy_endpoints("slack", {"users/page-00001.json"}, dir.path());
        std::filesystem::create_directories(dir.path() / "access_logs");
        dir.write("access_logs/page-00001.json", R"({"ok": false, "error": "paid_only"})");
        auto read = read_source(sl(), {dir.path()});
        REQUIRE(read.result);
        CHECK(read.data.seats.size() == 2);
        CHECK_FALSE(read.data.seats[0].has_activity_column);
    }
    SECTION("a page without ok is not a Slack response") {
        dir.write("users/page-00001.json", R"({"members": []})");
        auto read = read_source(sl(), {dir.path()});
        REQUIRE_FALSE(read.result);
        CHECK(read.result.error().code == ErrorCode::json_malformed);
        CHECK(read.result.error().where.json_path == "$.ok");
    }
}

TEST_CASE("slack rejects bad member records with their JSON path", "[connector][slack]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "users");
    std::filesystem::create_directories(dir.path() / "access_logs");
    const auto page = dir.write("users/page-00001.json", R"({"ok": true, "members": [
  {"id": "U1", "deleted": false, "is_bot": false, "profile": {"real_name": "No Email"}},
  {"id": "U2", "deleted": "no", "is_bot": false, "profile": {"email": "ana.ruiz@northwind.example"}},
  {"id": "U3", "deleted": false, "is_bot": false, "is_restricted": false, "profile": {"email": "raj.patel@northwind.example"}},
  {"id": "U4", "deleted": true, "profile": {}}
], "response_metadata": {"next_cursor": ""}})");
    dir.write("access_logs/page-00001.json", R"({"ok": true, "logins": [
  {"user_id": "U3", "username": "raj", "date_first": 1782896400, "date_last": "last tuesday", "count": 2},
  {"user_id": "U3", "username": "raj", "date_first": 1782896400, "date_last": 1793380925, "count": 9}
], "paging": {"count": 100, "total": 2, "page": 1, "pages": 1}})");
    auto read = read_source(sl(), {dir.path()});
    REQUIRE(read.result);
    CHECK(read.report.records == 1);
    CHECK(read.report.ignored == 1);
    CHECK(read.report.rejected == 3);
    const auto& errors = read.report.errors;
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].where.json_path == "$.logins[0].date_last");
    CHECK(errors[1].where.json_path == "$.members[0].profile.email");
    CHECK(errors[1].where.file == page.string());
    CHECK(contains(errors[1].hint, "users:read.email"));
    CHECK(errors[2].where.json_path == "$.members[1].deleted");
    REQUIRE(read.data.seats.size() == 1);
    CHECK(read.data.seats[0].last_activity == at("2026-10-30T17:22:05Z"));
    CHECK(read.data.seats[0].line == 3);
}

TEST_CASE("slack fails on a truncated page and names the file", "[connector][slack]") {
    TempDir dir;
    copy_endpoints("slack", {"users", "billable_info"}, dir.path());
    const auto page = dir.path() / "billable_info" / "page-00002.json";
    const std::string text = e2e::slurp(page);
    dir.write("billable_info/page-00002.json", text.substr(0, text.size() - 40));
    auto read = read_source(sl(), {dir.path()});
    REQUIRE_FALSE(read.result);
    CHECK(read.result.error().code == ErrorCode::json_malformed);
    CHECK(read.result.error().where.file == page.string());
}

TEST_CASE("slack spec", "[connector][slack]") {
    const auto& spec = sl();
    CHECK(spec.kind == "slack");
    CHECK(spec.default_tool == "Slack");
    REQUIRE(spec.api);
    CHECK(spec.api->ok_pointer == "/ok");
    CHECK(spec.api->error_pointer == "/error");
    REQUIRE(spec.api->endpoints.size() == 3);
    CHECK(spec.api->endpoints[0].paging.next_pointer == "/response_metadata/next_cursor");
    CHECK(spec.api->endpoints[2].paging.kind == connectors::PagingKind::page_number);
    CHECK(spec.api->endpoints[2].optional);
}

TEST_CASE("slack pulls from the replay server and reads the snapshot the same", "[connector][slack][replay]") {
    TempDir root;
    auto pulled = pull_vendor("slack", sl(), root.path(), {});
    INFO(pulled.error);
    REQUIRE(pulled.result);
    REQUIRE(pulled.result->endpoints.size() == 3);
    CHECK(pulled.result->endpoints[0].pages == 3);
    CHECK(pulled.result->endpoints[0].records == 9);
    CHECK(pulled.result->endpoints[1].pages == 2);
    CHECK(pulled.result->endpoints[2].pages == 2);
    CHECK(pulled.result->endpoints[2].records == 6);
    CHECK(pulled.requests.size() == 7);

    auto from_snapshot = read_source(sl(), {pulled.result->snapshot_dir});
    auto from_saved = read_source(sl(), {api_dir("slack")});
    REQUIRE(from_snapshot.result);
    CHECK(describe(from_snapshot.data) == describe(from_saved.data));
}
