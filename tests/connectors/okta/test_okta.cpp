// Okta connector tests: saved users/apps/app-user pages into seats, bad records with JSON paths,
// malformed pages, the ApiSpecs of `okta` and `okta_log`, and the System Log read from saved pages.
#include "vendor_test_support.hpp"

#include "okta/okta.hpp"
#include "okta_log/api.hpp"
#include "okta_log/okta_log.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

namespace {

std::filesystem::path okta_pages() { return data_path("api/okta"); }

connectors::SourceConfig okta_source(std::vector<std::filesystem::path> paths, std::string tool = {}) {
    auto config = source("okta", std::move(paths));
    config.tool = std::move(tool);
    return config;
}

const std::string k_user_page = R"([
  {"id": "00uA1", "status": "ACTIVE", "created": "2025-01-02T03:04:05.000Z", "lastLogin": "2026-10-01T10:00:00.000Z",
   "profile": {"login": "a.one@northwind.example", "email": "A.One@northwind.example"}},
  {"id": "00uA2", "status": "ACTIVE", "created": "2025-01-02T03:04:05.000Z", "lastLogin": null,
   "profile": {"login": "svc-build", "email": null}},
  {"id": "00uA3", "status": "ACTIVE", "created": "2025-01-02T03:04:05.000Z", "lastLogin": "yesterday",
   "profile": {"login": "a.three@northwind.example", "email": "a.three@northwind.example"}},
  {"id": "00uA4", "status": "DEPROVISIONED", "created": "2024-01-02T03:04:05.000Z", "lastLogin": "2026-01-01T00:00:00.000Z",
   "profile": {"login": "gone@northwind.example", "email": "gone@northwind.example"}},
  {"id": "00uA5", "status": "STAGED", "created": "2026-10-30", "lastLogin": "2026-10-31T09:00:00+01:00",
   "profile": {"login": "a.five@northwind.example", "email": ""}},
  "not a user"
])";

const std::string k_app_page = R"([
  {"id": "0oaZ1", "name": "zoomus", "label": "Zoom", "status": "ACTIVE"},
  {"id": "0oaZ2", "name": "bookmark", "label": "", "status": "ACTIVE"}
])";

const std::string k_app_user_page = R"([
  {"id": "00uA1", "scope": "USER", "status": "PROVISIONED", "created": "2025-02-01T00:00:00.000Z", "credentials": {"userName": "a.one"}},
  {"id": "00uA4", "scope": "GROUP", "status": "ACTIVE", "created": "2025-02-01T00:00:00.000Z", "credentials": {"userName": "gone@northwind.example"}},
  {"id": "00uX9", "scope": "USER", "status": "ACTIVE", "created": "2025-02-01T00:00:00.000Z", "credentials": {"userName": "zoomuser17"}},
  {"id": "00uX8", "scope": "USER", "status": "ACTIVE", "created": "2025-02-01T00:00:00.000Z", "credentials": {"userName": "Guest.Eight@Partner.example"}},
  {"id": "00uA1", "scope": "USER", "status": "DEPROVISIONED", "created": "2025-02-01T00:00:00.000Z", "credentials": {"userName": "a.one"}}
])";

}  // namespace

TEST_CASE("okta reads saved users, apps and app assignments", "[connector][okta]") {
    const auto outcome = run_read(connectors::okta::spec(), okta_source({okta_pages()}));
    REQUIRE(outcome.ok());
    const auto& report = outcome.report;
    CHECK(report.records == 18);
    CHECK(report.ignored == 2);  // sara's deprovisioned Salesforce assignment, the inactive app's assignment
    CHECK(report.rejected == 0);
    CHECK(report.seat_tools == std::vector<std::string>{"Okta", "Salesforce.com", "HubSpot", "Zoom"});
    CHECK(outcome.data.seats.size() == 18);
    CHECK(seats_of(outcome.data, "Okta").size() == 9);
    CHECK(seats_of(outcome.data, "Salesforce.com").size() == 3);
    CHECK(seats_of(outcome.data, "HubSpot").size() == 3);
    CHECK(seats_of(outcome.data, "Zoom").size() == 3);
    CHECK(seats_of(outcome.data, "Legacy Wiki").empty());
    CHECK(find_seat(outcome.data, "Salesforce.com", "sara.nilsson@northwind.example") == nullptr);

    SECTION("Okta seats: status, created, lastLogin") {
        const Seat* ana = find_seat(outcome.data, "Okta", "ana.ruiz@northwind.example");
        REQUIRE(ana != nullptr);
        CHECK(ana->license_type == "ACTIVE");
        CHECK(ana->assigned_date == day("2024-03-04"));
        CHECK(ana->last_activity == at("2026-10-30T14:04:51Z"));
        CHECK(ana->has_activity_column);
        CHECK(ana->source == "okta");
        CHECK(ana->line == 1);

        const Seat* raj = find_seat(outcome.data, "Okta", "raj.patel@northwind.example");
        REQUIRE(raj != nullptr);
        CHECK(raj->last_activity == at("2026-10-31T23:58:40Z"));  // .517 dropped

        const Seat* tom = find_seat(outcome.data, "Okta", "tom.becker@northwind.example");
        REQUIRE(tom != nullptr);
        CHECK(tom->license_type == "SUSPENDED");
        CHECK(tom->line == 4);  // numbered across pages

        const Seat* mia = find_seat(outcome.data, "Okta", "mia.santos@northwind.example");
        REQUIRE(mia != nullptr);
        CHECK(mia->license_type == "PROVISIONED");
        CHECK_FALSE(mia->last_activity.has_value());  // lastLogin null = never
        CHECK(mia->has_activity_column);

        // profile.email "Pat.ONeil@Northwind.example" is normalised.
        CHECK(find_seat(outcome.data, "Okta", "pat.oneil@northwind.example") != nullptr);
        CHECK(find_seat(outcome.data, "Okta", "lena.fischer@northwind.example")->license_type == "STAGED");
    }

    SECTION("assignment seats: app label, scope, created, no activity") {
        const Seat* omar = find_seat(outcome.data, "Salesforce.com", "omar.haddad@northwind.example");
        REQUIRE(omar != nullptr);
        CHECK(omar->license_type == "GROUP");
        CHECK(omar->assigned_date == day("2023-02-14"));
        CHECK_FALSE(omar->last_activity.has_value());
        CHECK_FALSE(omar->has_activity_column);
        CHECK(omar->line == 2);

        const Seat* tom = find_seat(outcome.data, "Salesforce.com", "tom.becker@northwind.example");
        REQUIRE(tom != nullptr);  // second page; a suspended user's assignment is still a seat
        CHECK(tom->license_type == "USER");

        CHECK(find_seat(outcome.data, "HubSpot", "pat.oneil@northwind.example") != nullptr);
        CHECK(find_seat(outcome.data, "Zoom", "jo.kim@northwind.example") != nullptr);
    }
}

TEST_CASE("okta `tool:` renames the Okta seats, not the app seats", "[connector][okta]") {
    const auto outcome = run_read(connectors::okta::spec(), okta_source({okta_pages()}, "Okta Workforce Identity"));
    REQUIRE(outcome.ok());
    CHECK(seats_of(outcome.data, "Okta Workforce Identity").size() == 9);
    CHECK(seats_of(outcome.data, "Okta").empty());
    CHECK(seats_of(outcome.data, "Zoom").size() == 3);
    CHECK(outcome.report.seat_tools.front() == "Okta Workforce Identity");
}

TEST_CASE("okta bad records are rejected with their JSON path", "[connector][okta]") {
    TempDir dir;
    write_file(dir.path() / "users" / "page-00001.json", k_user_page);
    write_file(dir.path() / "apps" / "page-00001.json", k_app_page);
    write_file(dir.path() / "app_users" / "0oaZ1" / "page-00001.json", k_app_user_page);

    const auto outcome = run_read(connectors::okta::spec(), okta_source({dir.path()}), BadRowPolicy::collect);
    REQUIRE(outcome.ok());
    const auto& report = outcome.report;
    // Seats: a.one, a.five (Okta); a.one (id match), gone (deprovisioned user's live assignment),
    // guest.eight (userName fallback) on Zoom.
    CHECK(report.records == 5);
    CHECK(report.ignored == 2);  // DEPROVISIONED user, DEPROVISIONED assignment
    CHECK(report.rejected == 5);

    const auto paths = rejected_paths(outcome);
    CHECK(paths == std::vector<std::string>{"$[1].profile.login", "$[2].lastLogin", "$[5]", "$[1].label", "$[2].id"});
    const auto& rows = outcome.rows.collected();
    REQUIRE(rows.size() == 5);
    CHECK(contains(rows[0].file, "users/page-00001.json"));
    CHECK(contains(rows[0].reason, "svc-build"));
    CHECK(contains(rows[1].reason, "yesterday"));
    CHECK(contains(rows[4].reason, "zoomuser17"));
    CHECK(contains(rows[4].raw, "00uX9"));
    CHECK(contains(rows[4].file, "app_users/0oaZ1/page-00001.json"));

    const Seat* five = find_seat(outcome.data, "Okta", "a.five@northwind.example");  // email "" -> login
    REQUIRE(five != nullptr);
    CHECK(five->assigned_date == day("2026-10-30"));
    CHECK(five->last_activity == at("2026-10-31T08:00:00Z"));  // +01:00 offset
    CHECK(find_seat(outcome.data, "Zoom", "a.one@northwind.example") != nullptr);
    CHECK(find_seat(outcome.data, "Zoom", "gone@northwind.example") != nullptr);
    CHECK(find_seat(outcome.data, "Zoom", "guest.eight@partner.example") != nullptr);

    SECTION("--on-bad-row fail stops at the first bad record") {
        const auto failed = run_read(connectors::okta::spec(), okta_source({dir.path()}), BadRowPolicy::fail);
        REQUIRE_FALSE(failed.ok());
        CHECK(failed.error->where.json_path == "$[1].profile.login");
        CHECK(contains(failed.error->where.file, "page-00001.json"));
    }
}

TEST_CASE("okta source failures name the page or folder", "[connector][okta]") {
    TempDir dir;
    SECTION("a truncated page") {
        copy_tree(okta_pages(), dir.path());
        const std::string page = read_text(dir.path() / "users" / "page-00002.json");
        write_file(dir.path() / "users" / "page-00002.json", page.substr(0, page.size() / 2));
        const auto outcome = run_read(connectors::okta::spec(), okta_source({dir.path()}));
        REQUIRE_FALSE(outcome.ok());
        CHECK(outcome.error->code == ErrorCode::json_malformed);
        CHECK(contains(outcome.error->where.file, "users/page-00002.json"));
    }
    SECTION("a folder without users pages") {
        const auto outcome = run_read(connectors::okta::spec(), okta_source({dir.path()}));
        REQUIRE_FALSE(outcome.ok());
        CHECK(outcome.error->code == ErrorCode::not_found);
        CHECK(contains(outcome.error->message, "users"));
    }
    SECTION("a file instead of a folder") {
        const auto outcome =
            run_read(connectors::okta::spec(), okta_source({okta_pages() / "users" / "page-00001.json"}));
        REQUIRE_FALSE(outcome.ok());
        CHECK(outcome.error->code == ErrorCode::config_invalid);
    }
}

TEST_CASE("okta and okta_log ApiSpecs", "[connector][okta]") {
    const auto spec = connectors::okta::spec();
    CHECK(spec.kind == "okta");
    CHECK(spec.default_tool == "Okta");
    REQUIRE(spec.api.has_value());
    const auto& api = *spec.api;
    CHECK(api.default_base_url == "https://{domain}");
    REQUIRE(api.credentials.size() == 1);
    CHECK(api.credentials[0].name == "token");
    CHECK(api.credentials[0].kind == connectors::AuthKind::ssws);
    REQUIRE(api.endpoints.size() == 3);
    CHECK(api.endpoints[0].path == "/api/v1/users?limit=200");
    CHECK(api.endpoints[0].paging.kind == connectors::PagingKind::link_header);
    CHECK(api.endpoints[1].path == "/api/v1/apps?limit=200");
    CHECK(api.endpoints[2].name == "app_users");
    CHECK(api.endpoints[2].path == "/api/v1/apps/{id}/users?limit=500");
    CHECK(api.endpoints[2].fan_out_from == "apps");
    CHECK(api.endpoints[2].fan_out_pointer == "/id");
    CHECK(api.check_endpoint == "users");
    CHECK(contains(api.permissions, "Read-only Administrator"));

    const auto log_api = connectors::okta_log::api_spec();
    REQUIRE(log_api.endpoints.size() == 1);
    const auto& logs = log_api.endpoints[0];
    CHECK(logs.name == "logs");
    CHECK(logs.path == "/api/v1/logs?since={since}&limit=1000");
    CHECK(logs.paging.kind == connectors::PagingKind::link_header);
    CHECK(logs.paging.stop_on_empty_page);
    CHECK(log_api.incremental == "logs");
    CHECK(log_api.credentials[0].kind == connectors::AuthKind::ssws);
}

TEST_CASE("okta_log reads saved System Log pages from a folder", "[connector][okta]") {
    auto config = source("okta_log", {okta_pages()});
    const auto outcome = run_read(connectors::okta_log::read, config);
    REQUIRE(outcome.ok());
    CHECK(outcome.report.records == 3);
    CHECK(outcome.report.ignored == 2);  // session start, SSO failure
    CHECK(outcome.report.sso_usage);
    REQUIRE(outcome.data.usage.size() == 2);
    CHECK(outcome.data.usage[0].app_label == "HubSpot");
    CHECK(outcome.data.usage[0].events == 1);
    CHECK(outcome.data.usage[1].app_label == "Salesforce.com");
    CHECK(outcome.data.usage[1].user_login == "ana.ruiz@northwind.example");
    CHECK(outcome.data.usage[1].events == 2);
    CHECK(outcome.data.usage[1].first_seen == at("2026-09-15T08:00:00Z"));
    CHECK(outcome.data.usage[1].last_seen == at("2026-10-30T14:05:09Z"));

    SECTION("a folder without logs pages") {
        TempDir dir;
        const auto empty = run_read(connectors::okta_log::read, source("okta_log", {dir.path()}));
        REQUIRE_FALSE(empty.ok());
        CHECK(contains(empty.error->message, "logs"));
    }
}
