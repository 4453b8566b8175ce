// The latest run's graph in the history: a round trip keeps every field, only the newest graph
// is kept, a run without a graph keeps the stored one, a version-1 history gains the graph
// tables on open, and a damaged graph is reported, not misread.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "stackaudit/core/time.hpp"
#include "stackaudit/store/store.hpp"

namespace fs = std::filesystem;
using namespace stackaudit;
using namespace stackaudit::store;

namespace {

struct TempDb {
    fs::path dir;
    fs::path db;
    TempDb() {
        static int counter = 0;
        dir = fs::temp_directory_path() / ("stackaudit_snapshot_test_" + std::to_string(::getpid()) + "_" +
                                           std::to_string(counter++));
        fs::remove_all(dir);
        fs::create_directories(dir);
        db = dir / "history.db";
    }
    ~TempDb() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    TempDb(const TempDb&) = delete;
    TempDb& operator=(const TempDb&) = delete;
};

Timestamp ts(const char* text) { return **parse_timestamp(text); }

GraphSnapshot sample_snapshot(const char* as_of) {
    GraphSnapshot s;
    s.as_of = ts(as_of);
    s.window_days = 45;
    s.capabilities = {"crm", "video conferencing"};
    SnapshotPerson ana{"ana@northwind.example", "Ana López", "00u1", "Marketing", "Demand Generation", "ACTIVE", true, false, std::nullopt};
    SnapshotPerson bo{"bo@northwind.example", "Bo Chen", "00u2", "Sales", "", "DEPROVISIONED", true, true,
                      std::optional<Date>{to_date(ts("2026-09-30T00:00:00Z"))}};
    SnapshotPerson ghost{"ghost@contractor.example", "", "", "", "", "", false, false, std::nullopt};
    s.people = {ana, bo, ghost};
    SnapshotTool hub;
    hub.name = "HubSpot Marketing Hub";
    hub.vendor = "HubSpot";
    hub.owning_department = "Marketing";
    hub.it_review = "approved";
    hub.capabilities = {0};
    hub.business_owners = {0};
    hub.technical_owners = {1, 2};
    hub.intended_departments = {"Marketing", "Sales, \"EMEA\""};
    hub.owner_conflicts = {"line 41: business_owner b@x.com (line 12 says a@x.com)"};
    hub.contract_seats = 40;
    hub.cost_per_seat = 1200.5;
    hub.annual_cost = 48020;
    hub.usage_tracked = true;
    hub.has_seat_data = true;
    SnapshotTool shadow;
    shadow.name = "notion-personal";
    shadow.in_catalog = false;
    shadow.sso_app_only = true;
    s.tools = {hub, shadow};
    s.uses = {SnapshotUse{0, 0, true, true, ts("2026-10-30T09:15:00Z"), 17, "Marketing Hub Professional"},
              SnapshotUse{0, 1, true, false, std::nullopt, 0, "Sales Hub"},
              SnapshotUse{1, 0, false, true, ts("2026-10-29T08:00:00Z"), 3, ""}};
    s.flows = {SnapshotFlow{0, 1, {"contacts", "leads"}}};
    s.sources = {SnapshotSource{"directory", true, false, ""},
                 SnapshotSource{"seats:Salesforce", false, false, "HTTP 401 from login.salesforce.com"},
                 SnapshotSource{"okta_log", true, true, "pull at 2026-11-02T02:00:00Z failed: HTTP 429"}};
    return s;
}

RunInput run_with(const char* as_of, const GraphSnapshot* graph) {
    RunInput run;
    run.started_at = ts(as_of);
    run.as_of = ts(as_of);
    run.config_file = "stackaudit.yaml";
    run.graph = graph;
    return run;
}

void raw_exec(const fs::path& db, const char* sql) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
}

long long raw_count(const fs::path& db, const char* sql) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const long long v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return v;
}

}  // namespace

TEST_CASE("store: the run's graph round-trips field by field", "[unit][store][snapshot]") {
    TempDb tmp;
    auto store = Store::open(tmp.db);
    REQUIRE(store);
    auto none = store->latest_snapshot();
    REQUIRE(none);
    CHECK_FALSE(none->has_value());

    const GraphSnapshot s = sample_snapshot("2026-11-01T00:00:00Z");
    auto diff = store->record_run(run_with("2026-11-01T00:00:00Z", &s));
    REQUIRE(diff);
    auto loaded = store->latest_snapshot();
    REQUIRE(loaded);
    REQUIRE(loaded->has_value());
    const StoredSnapshot& got = **loaded;
    CHECK(got.run.id == diff->run_id);
    CHECK(got.run.as_of == "2026-11-01");
    const GraphSnapshot& g = got.snapshot;
    CHECK(g.as_of == s.as_of);
    CHECK(g.window_days == 45);
    CHECK(g.capabilities == s.capabilities);
    REQUIRE(g.people.size() == 3);
    CHECK(g.people[0].name == "Ana López");
    CHECK(g.people[0].team == "Demand Generation");
    CHECK(g.people[1].departed);
    CHECK(g.people[1].status == "DEPROVISIONED");
    CHECK(g.people[1].termination_date == s.people[1].termination_date);
    CHECK_FALSE(g.people[2].in_directory);
    CHECK_FALSE(g.people[0].termination_date.has_value());
    REQUIRE(g.tools.size() == 2);
    const SnapshotTool& hub = g.tools[0];
    CHECK(hub.name == "HubSpot Marketing Hub");
    CHECK(hub.vendor == "HubSpot");
    CHECK(hub.capabilities == std::vector<std::uint32_t>{0});
    CHECK(hub.business_owners == std::vector<std::uint32_t>{0});
    CHECK(hub.technical_owners == std::vector<std::uint32_t>{1, 2});
    CHECK(hub.intended_departments == s.tools[0].intended_departments);
    CHECK(hub.owner_conflicts == s.tools[0].owner_conflicts);
    CHECK(hub.contract_seats == 40);
    CHECK(hub.cost_per_seat == 1200.5);
    CHECK(hub.annual_cost == 48020);
    CHECK(hub.usage_tracked);
    CHECK(hub.has_seat_data);
    CHECK(hub.in_catalog);
    CHECK(g.tools[1].sso_app_only);
    CHECK_FALSE(g.tools[1].in_catalog);
    CHECK_FALSE(g.tools[1].cost_per_seat.has_value());
    REQUIRE(g.uses.size() == 3);
    CHECK(g.uses[0].last_seen == s.uses[0].last_seen);
    CHECK(g.uses[0].events_in_window == 17);
    CHECK(g.uses[0].license_type == "Marketing Hub Professional");
    CHECK(g.uses[1].seat);
    CHECK_FALSE(g.uses[1].active);
    CHECK_FALSE(g.uses[1].last_seen.has_value());
    CHECK(g.uses[2].tool == 1);
    REQUIRE(g.flows.size() == 1);
    CHECK(g.flows[0].data == std::vector<std::string>{"contacts", "leads"});
    REQUIRE(g.sources.size() == 3);
    CHECK_FALSE(g.sources[1].ok);
    CHECK(g.sources[1].detail == "HTTP 401 from login.salesforce.com");
    CHECK(g.sources[2].stale);
}

TEST_CASE("store: only the newest graph is kept; a run without one keeps it", "[unit][store][snapshot]") {
    TempDb tmp;
    auto store = Store::open(tmp.db);
    REQUIRE(store);
    GraphSnapshot first = sample_snapshot("2026-11-01T00:00:00Z");
    GraphSnapshot second = sample_snapshot("2026-11-02T00:00:00Z");
    second.people.pop_back();
    second.tools[0].technical_owners = {1};
    second.uses.pop_back();
    second.uses.pop_back();
    REQUIRE(store->record_run(run_with("2026-11-01T00:00:00Z", &first)));
    auto r2 = store->record_run(run_with("2026-11-02T00:00:00Z", &second));
    REQUIRE(r2);
    CHECK(raw_count(tmp.db, "SELECT count(*) FROM graph_runs") == 1);
    CHECK(raw_count(tmp.db, "SELECT count(*) FROM graph_uses") == 1);
    CHECK(raw_count(tmp.db, "SELECT count(*) FROM graph_people") == 2);

    // A run that records no graph (nullptr) leaves the previous one as the latest.
    REQUIRE(store->record_run(run_with("2026-11-03T00:00:00Z", nullptr)));
    auto loaded = store->latest_snapshot();
    REQUIRE(loaded);
    REQUIRE(loaded->has_value());
    CHECK((*loaded)->run.id == r2->run_id);
    CHECK((*loaded)->snapshot.people.size() == 2);
    CHECK((*loaded)->snapshot.as_of == second.as_of);
}

TEST_CASE("store: a version-1 history gains the graph tables and keeps its runs", "[unit][store][snapshot]") {
    TempDb tmp;
    {
        auto store = Store::open(tmp.db);
        REQUIRE(store);
        REQUIRE(store->record_run(run_with("2026-10-01T00:00:00Z", nullptr)));
    }
    // Make it look like a file written before the graph existed.
    raw_exec(tmp.db, "DROP TABLE graph_sources; DROP TABLE graph_flows; DROP TABLE graph_uses; DROP TABLE graph_tools; "
                     "DROP TABLE graph_people; DROP TABLE graph_capabilities; DROP TABLE graph_runs; "
                     "PRAGMA user_version = 1;");
    auto store = Store::open(tmp.db);
    REQUIRE(store);
    CHECK(raw_count(tmp.db, "PRAGMA user_version") == 2);
    auto runs = store->runs();
    REQUIRE(runs);
    CHECK(runs->size() == 1);
    auto none = store->latest_snapshot();
    REQUIRE(none);
    CHECK_FALSE(none->has_value());
    const GraphSnapshot s = sample_snapshot("2026-11-01T00:00:00Z");
    REQUIRE(store->record_run(run_with("2026-11-01T00:00:00Z", &s)));
    auto loaded = store->latest_snapshot();
    REQUIRE(loaded);
    CHECK(loaded->has_value());
}

TEST_CASE("store: a damaged stored graph is an error that says how to recover", "[unit][store][snapshot]") {
    TempDb tmp;
    {
        auto store = Store::open(tmp.db);
        REQUIRE(store);
        const GraphSnapshot s = sample_snapshot("2026-11-01T00:00:00Z");
        REQUIRE(store->record_run(run_with("2026-11-01T00:00:00Z", &s)));
    }
    SECTION("an owner index past the people") {
        raw_exec(tmp.db, "UPDATE graph_tools SET business_owners = '0,99' WHERE idx = 0");
    }
    SECTION("a use row pointing at no tool") {
        raw_exec(tmp.db, "UPDATE graph_uses SET tool = 7 WHERE person = 1");
    }
    SECTION("a list that is not JSON") {
        raw_exec(tmp.db, "UPDATE graph_flows SET data = 'contacts'");
    }
    auto store = Store::open(tmp.db);
    REQUIRE(store);
    auto loaded = store->latest_snapshot();
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().message.find("damaged") != std::string::npos);
    CHECK(loaded.error().hint.find("stackaudit audit") != std::string::npos);
}
