// Run history: schema creation and versioning, the finding lifecycle over three runs, the
// queries behind `stackaudit findings` and `stackaudit history`, the run lock and crash safety.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "stackaudit/core/time.hpp"
#include "stackaudit/store/store.hpp"

namespace fs = std::filesystem;
using namespace stackaudit;
using namespace stackaudit::store;

namespace {

// A fresh directory per test case, removed at the end.
struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("stackaudit_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

Timestamp ts(const char* text) { return **parse_timestamp(text); }

Finding make_finding(const std::string& rule, const std::string& subject, const std::string& tool,
                     const std::string& department, std::vector<std::string> owners,
                     Severity severity = Severity::medium) {
    Finding f;
    f.rule_id = rule;
    f.rule_title = "Title of " + rule;
    f.category = "use";
    f.severity = severity;
    f.subject_kind = "tool";
    f.subject_key = subject;
    f.id = stable_finding_id(rule, subject);
    f.tool = tool;
    f.department = department;
    f.owners = std::move(owners);
    f.message = rule + " on " + subject;
    f.evidence = {{"assigned_seats", "40"}, {"note", "quote \" backslash \\ newline\n tab\t é ✓"}};
    f.money_at_stake = 1200.5;
    f.remediation = "fix it";
    return f;
}

// A: idle seats on Salesforce (alice), B: no owner on HubSpot (alice), C: overlap on Asana (bob),
// D: shadow IT on Notion (bob, IT).
Finding finding_a() { return make_finding("idle-seats", "Salesforce", "Salesforce", "Marketing", {"alice@example.com"}, Severity::high); }
Finding finding_b() { return make_finding("no-owner", "HubSpot", "HubSpot", "Marketing", {"Alice@Example.com"}, Severity::medium); }
Finding finding_c() { return make_finding("overlap", "Asana", "Asana", "Marketing", {"bob@example.com"}, Severity::low); }
Finding finding_d() { return make_finding("shadow-it", "Notion", "Notion", "IT", {"bob@example.com", "carol@example.com"}, Severity::critical); }

RunInput make_run(const char* as_of, std::vector<Finding> findings, std::int64_t salesforce_assigned) {
    RunInput run;
    run.started_at = ts((std::string(as_of) + "T02:00:00Z").c_str());
    run.as_of = ts(as_of);
    run.config_file = "/etc/stackaudit/stackaudit.yaml";
    run.findings = std::move(findings);
    SourceReport s;
    s.name = "catalog";
    s.kind = "catalog";
    s.path = "catalog.csv";
    s.records = 12;
    run.sources.push_back(s);
    run.tools.push_back(ToolFigures{"Salesforce", "Marketing", salesforce_assigned, 20, 50, 0.5, 60000.0});
    run.tools.push_back(ToolFigures{"Notion", "IT", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    run.scores.push_back(ScoreRecord{"", 70.0 + static_cast<double>(salesforce_assigned % 10), "{\"owned\":0.5}"});
    run.scores.push_back(ScoreRecord{"Marketing", 60.0, "{\"owned\":0.4}"});
    return run;
}

Store open_store(const fs::path& db) {
    auto store = Store::open(db);
    if (!store) FAIL(store.error().to_string());
    return std::move(*store);
}

// The three-run scenario: B fixed in run 2 and back in run 3, C fixed in run 3, D new in run 2.
void record_three_runs(Store& store) {
    REQUIRE(store.record_run(make_run("2026-10-01", {finding_a(), finding_b(), finding_c()}, 40)));
    REQUIRE(store.record_run(make_run("2026-10-08", {finding_a(), finding_c(), finding_d()}, 42)));
    REQUIRE(store.record_run(make_run("2026-10-15", {finding_a(), finding_b(), finding_d()}, 45)));
}

const FindingRow* find_row(const std::vector<FindingRow>& rows, const std::string& id) {
    for (const auto& r : rows)
        if (r.finding.id == id) return &r;
    return nullptr;
}

int raw_user_version(const fs::path& db) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const int v = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return v;
}

void raw_exec(const fs::path& db, const char* sql) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
}

}  // namespace

TEST_CASE("store: a new database gets the schema, and reopens with its runs", "[unit][store]") {
    TempDir dir;
    const fs::path db = dir.path / "history.db";
    {
        Store store = open_store(db);
        auto runs = store.runs();
        REQUIRE(runs);
        CHECK(runs->empty());
        auto rows = store.findings({});
        REQUIRE(rows);
        CHECK(rows->empty());
        REQUIRE(store.record_run(make_run("2026-10-01", {finding_a()}, 40)));
    }
    CHECK(raw_user_version(db) == 2);
    Store again = open_store(db);
    auto runs = again.runs();
    REQUIRE(runs);
    REQUIRE(runs->size() == 1);
    CHECK(runs->front().as_of == "2026-10-01");
    CHECK(runs->front().started_at == "2026-10-01T02:00:00Z");
    CHECK(runs->front().findings == 1);
}

TEST_CASE("store: a newer schema, a foreign SQLite file and a non-database are refused", "[unit][store]") {
    TempDir dir;
    SECTION("newer schema version") {
        const fs::path db = dir.path / "newer.db";
        { Store s = open_store(db); }
        raw_exec(db, "PRAGMA user_version = 7");
        auto store = Store::open(db);
        REQUIRE_FALSE(store);
        CHECK(store.error().message.find("newer stackaudit") != std::string::npos);
        CHECK(store.error().message.find("version 7") != std::string::npos);
        CHECK_FALSE(store.error().hint.empty());
        CHECK(raw_user_version(db) == 7);  // untouched
    }
    SECTION("another application's database") {
        const fs::path db = dir.path / "other.db";
        raw_exec(db, "CREATE TABLE crm (id INTEGER)");
        auto store = Store::open(db);
        REQUIRE_FALSE(store);
        CHECK(store.error().message.find("not a stackaudit history") != std::string::npos);
    }
    SECTION("not a database at all") {
        const fs::path db = dir.path / "notes.txt";
        std::ofstream(db) << "these are not the pages you are looking for, padded to more than one header "
                             "of an SQLite file so that the library reads it and says so.......................";
        auto store = Store::open(db);
        REQUIRE_FALSE(store);
        CHECK(store.error().hint.find("not a stackaudit database") != std::string::npos);
    }
}

TEST_CASE("store: lifecycle over three runs: fixed, new, reopened", "[unit][store]") {
    TempDir dir;
    Store store = open_store(dir.path / "h.db");

    auto first = store.record_run(make_run("2026-10-01", {finding_a(), finding_b(), finding_c()}, 40));
    REQUIRE(first);
    CHECK_FALSE(first->previous_run_id);
    CHECK(first->new_count == 3);
    CHECK(first->open_count == 0);
    CHECK(first->resolved.empty());
    for (const auto& f : first->findings) {
        CHECK(f.state == "new");
        CHECK(f.first_seen == "2026-10-01");
        CHECK(f.age_days == 0);
    }

    auto second = store.record_run(make_run("2026-10-08", {finding_a(), finding_c(), finding_d()}, 42));
    REQUIRE(second);
    CHECK(second->previous_run_id == first->run_id);
    CHECK(second->new_count == 1);
    CHECK(second->open_count == 2);
    CHECK(second->reopened_count == 0);
    for (const auto& f : second->findings) {
        if (f.id == finding_d().id) {
            CHECK(f.state == "new");
            CHECK(f.first_seen == "2026-10-08");
            CHECK(f.age_days == 0);
        } else {
            CHECK(f.state == "open");
            CHECK(f.first_seen == "2026-10-01");
            CHECK(f.age_days == 7);
        }
    }
    REQUIRE(second->resolved.size() == 1);
    CHECK(second->resolved[0].finding.id == finding_b().id);
    CHECK(second->resolved[0].resolved_on == "2026-10-08");
    CHECK(second->resolved[0].first_seen == "2026-10-01");
    CHECK(second->resolved[0].finding.message == "no-owner on HubSpot");

    auto third = store.record_run(make_run("2026-10-15", {finding_a(), finding_b(), finding_d()}, 45));
    REQUIRE(third);
    CHECK(third->new_count == 0);
    CHECK(third->open_count == 2);
    CHECK(third->reopened_count == 1);
    for (const auto& f : third->findings) {
        if (f.id == finding_b().id) {
            CHECK(f.state == "reopened");
            CHECK(f.first_seen == "2026-10-01");  // kept across resolve and reopen
            CHECK(f.age_days == 14);
        } else if (f.id == finding_d().id) {
            CHECK(f.state == "open");
            CHECK(f.first_seen == "2026-10-08");
            CHECK(f.age_days == 7);
        } else {
            CHECK(f.state == "open");
            CHECK(f.age_days == 14);
        }
    }
    REQUIRE(third->resolved.size() == 1);
    CHECK(third->resolved[0].finding.id == finding_c().id);
    CHECK(third->resolved[0].resolved_on == "2026-10-15");

    SECTION("findings() lists the latest run, and resolved ones on request") {
        auto rows = store.findings({});
        REQUIRE(rows);
        REQUIRE(rows->size() == 3);
        CHECK((*rows)[0].finding.id == finding_d().id);  // critical first
        const auto* b = find_row(*rows, finding_b().id);
        REQUIRE(b);
        CHECK(b->finding.state == "reopened");
        CHECK(b->finding.evidence == finding_b().evidence);  // stored and read back exactly
        CHECK(b->finding.owners == finding_b().owners);
        CHECK(b->finding.money_at_stake == Approx(1200.5));

        FindingFilter with_resolved;
        with_resolved.include_resolved = true;
        auto all = store.findings(with_resolved);
        REQUIRE(all);
        REQUIRE(all->size() == 4);  // B's earlier resolution is not listed: it is back
        const auto& c = all->back();
        CHECK(c.finding.id == finding_c().id);
        CHECK(c.finding.state == "resolved");
        CHECK(c.resolved_on == "2026-10-15");
        CHECK(c.finding.first_seen == "2026-10-01");
        CHECK(c.finding.age_days == 14);
    }
    SECTION("runs() is newest first with finding counts") {
        auto runs = store.runs();
        REQUIRE(runs);
        REQUIRE(runs->size() == 3);
        CHECK((*runs)[0].as_of == "2026-10-15");
        CHECK((*runs)[0].findings == 3);
        CHECK((*runs)[2].as_of == "2026-10-01");
        auto last_two = store.runs(2);
        REQUIRE(last_two);
        REQUIRE(last_two->size() == 2);
        CHECK(last_two->back().as_of == "2026-10-08");
    }
}

TEST_CASE("store: a finding id reported twice in one run counts once per run", "[unit][store]") {
    // Same-day reruns: a finding seen again on the same as_of is "open" with age 0.
    TempDir dir;
    Store store = open_store(dir.path / "h.db");
    REQUIRE(store.record_run(make_run("2026-10-01", {finding_a()}, 40)));
    auto again = store.record_run(make_run("2026-10-01", {finding_a()}, 40));
    REQUIRE(again);
    REQUIRE(again->findings.size() == 1);
    CHECK(again->findings[0].state == "open");
    CHECK(again->findings[0].age_days == 0);
}

TEST_CASE("store: findings filters", "[unit][store]") {
    TempDir dir;
    Store store = open_store(dir.path / "h.db");
    record_three_runs(store);

    auto ids = [&](const FindingFilter& filter) {
        auto rows = store.findings(filter);
        REQUIRE(rows);
        std::vector<std::string> out;
        for (const auto& r : *rows) out.push_back(r.finding.rule_id);
        return out;
    };
    using V = std::vector<std::string>;

    FindingFilter f;
    f.rules = {"IDLE-SEATS", "overlap"};
    CHECK(ids(f) == V{"idle-seats"});
    f.include_resolved = true;
    CHECK(ids(f) == V{"idle-seats", "overlap"});

    f = {};
    f.min_severity = Severity::high;
    CHECK(ids(f) == V{"shadow-it", "idle-seats"});

    f = {};
    f.tool = "hubspot";
    CHECK(ids(f) == V{"no-owner"});

    f = {};
    f.owner = "ALICE@example.com";
    CHECK(ids(f) == V{"idle-seats", "no-owner"});
    f.owner = "carol@example.com";
    CHECK(ids(f) == V{"shadow-it"});

    f = {};
    f.department = "marketing";
    CHECK(ids(f) == V{"idle-seats", "no-owner"});

    f = {};
    f.states = {"reopened"};
    CHECK(ids(f) == V{"no-owner"});
    f.states = {"open", "reopened"};
    CHECK(ids(f) == V{"shadow-it", "idle-seats", "no-owner"});
    f.states = {"resolved"};  // asking for the state is enough to include resolved findings
    CHECK(ids(f) == V{"overlap"});

    f = {};
    f.min_age_days = 10;
    CHECK(ids(f) == V{"idle-seats", "no-owner"});
    f.min_age_days = 15;
    CHECK(ids(f).empty());
}

TEST_CASE("store: waived findings are kept, marked and filterable", "[unit][store]") {
    TempDir dir;
    Store store = open_store(dir.path / "h.db");
    Finding waived = finding_c();
    waived.waived = true;
    waived.waiver_reason = "contract ends in March";
    waived.waiver_approver = "cfo@example.com";
    waived.waiver_expires = "2027-03-31";
    REQUIRE(store.record_run(make_run("2026-10-01", {finding_a(), waived}, 40)));
    FindingFilter f;
    f.states = {"waived"};
    auto rows = store.findings(f);
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().finding.waived);
    CHECK(rows->front().finding.state == "new");
    CHECK(rows->front().finding.waiver_reason == "contract ends in March");
    CHECK(rows->front().finding.waiver_approver == "cfo@example.com");
    CHECK(rows->front().finding.waiver_expires == "2027-03-31");

    // A waived finding is decided: it does not count as waiting in decision latency.
    auto latency = store.latency_by_owner();
    REQUIRE(latency);
    for (const auto& row : *latency) CHECK(row.who != "bob@example.com");
}

TEST_CASE("store: a tool's figures over time", "[unit][store]") {
    TempDir dir;
    Store store = open_store(dir.path / "h.db");
    record_three_runs(store);

    auto history = store.tool_history("salesforce");
    REQUIRE(history);
    REQUIRE(history->size() == 3);
    CHECK((*history)[0].as_of == "2026-10-01");
    CHECK((*history)[0].figures.tool == "Salesforce");
    CHECK((*history)[0].figures.assigned_seats == 40);
    CHECK((*history)[2].figures.assigned_seats == 45);
    CHECK((*history)[2].figures.purchased_seats == 50);
    CHECK((*history)[2].figures.annual_cost == Approx(60000.0));
    CHECK((*history)[2].open_findings == 1);

    auto notion = store.tool_history("Notion");
    REQUIRE(notion);
    REQUIRE(notion->size() == 3);
    CHECK_FALSE((*notion)[0].figures.assigned_seats);  // unknown stays unknown
    CHECK((*notion)[0].open_findings == 0);
    CHECK((*notion)[1].open_findings == 1);

    auto typo = store.tool_history("Salesfroce");
    REQUIRE_FALSE(typo);
    CHECK(typo.error().code == ErrorCode::not_found);
    CHECK(typo.error().hint.find("Salesforce") != std::string::npos);
}

TEST_CASE("store: decision latency per owner and department", "[unit][store]") {
    TempDir dir;
    Store store = open_store(dir.path / "h.db");
    record_three_runs(store);

    auto owners = store.latency_by_owner();
    REQUIRE(owners);
    auto row_for = [](const std::vector<LatencyRow>& rows, const std::string& who) -> const LatencyRow* {
        for (const auto& r : rows)
            if (r.who == who) return &r;
        return nullptr;
    };
    // alice: A and B open at 14 days; B was resolved once after 7 days.
    const auto* alice = row_for(*owners, "alice@example.com");
    REQUIRE(alice);
    CHECK(alice->open == 2);
    CHECK(alice->median_open_age_days == Approx(14));
    CHECK(alice->oldest_open_age_days == 14);
    CHECK(alice->resolved == 1);
    REQUIRE(alice->median_days_to_resolve);
    CHECK(*alice->median_days_to_resolve == Approx(7));
    // bob: D open at 7 days; C resolved after 14.
    const auto* bob = row_for(*owners, "bob@example.com");
    REQUIRE(bob);
    CHECK(bob->open == 1);
    CHECK(bob->oldest_open_age_days == 7);
    CHECK(bob->resolved == 1);
    CHECK(*bob->median_days_to_resolve == Approx(14));
    const auto* carol = row_for(*owners, "carol@example.com");
    REQUIRE(carol);
    CHECK(carol->resolved == 0);
    CHECK_FALSE(carol->median_days_to_resolve);
    CHECK(owners->front().who == "alice@example.com");  // slowest first

    auto departments = store.latency_by_department();
    REQUIRE(departments);
    const auto* marketing = row_for(*departments, "Marketing");
    REQUIRE(marketing);
    CHECK(marketing->open == 2);
    CHECK(marketing->resolved == 2);
    CHECK(*marketing->median_days_to_resolve == Approx(10.5));
    const auto* it = row_for(*departments, "IT");
    REQUIRE(it);
    CHECK(it->open == 1);
    CHECK(it->median_open_age_days == Approx(7));
}

TEST_CASE("store: score history, oldest first", "[unit][store]") {
    TempDir dir;
    Store store = open_store(dir.path / "h.db");
    record_three_runs(store);
    auto history = store.score_history(2);
    REQUIRE(history);
    REQUIRE(history->size() == 2);
    CHECK(history->front().first.as_of == "2026-10-08");
    REQUIRE(history->front().second.size() == 2);
    CHECK(history->front().second[0].department.empty());  // the company first
    CHECK(history->front().second[0].score == Approx(72));
    CHECK(history->front().second[1].department == "Marketing");
    CHECK(history->back().second[0].score == Approx(75));
    CHECK(history->back().second[0].breakdown_json == "{\"owned\":0.5}");
}

TEST_CASE("store: the run lock refuses a second run and is released with its holder", "[unit][store]") {
    TempDir dir;
    const fs::path db = dir.path / "h.db";
    Store first = open_store(db);
    Store second = open_store(db);
    {
        auto held = first.lock();
        REQUIRE(held);

        std::ifstream in(db.string() + ".lock");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(text.find("pid=" + std::to_string(::getpid()) + " started=") == 0);

        // flock locks belong to the open file description, so a second open in the same
        // process conflicts just like another process would.
        auto refused = second.lock();
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::source_failed);
        CHECK(refused.error().message.find("another stackaudit run is using " + db.string()) != std::string::npos);
        CHECK(refused.error().message.find("pid " + std::to_string(::getpid())) != std::string::npos);
        CHECK_FALSE(refused.error().hint.empty());

        // And from another process.
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            auto other = Store::open(db);
            if (!other) ::_exit(3);
            auto lock = other->lock();
            ::_exit(lock ? 0 : (lock.error().code == ErrorCode::source_failed ? 1 : 2));
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 1);
    }
    auto after = second.lock();  // released by the first holder's destructor
    CHECK(after);
}

TEST_CASE("store: a lock held by a process that did not record itself is still refused, without a stale name",
          "[unit][store]") {
    TempDir dir;
    const fs::path db = dir.path / "h.db";
    Store store = open_store(db);
    { auto held = store.lock(); REQUIRE(held); }
    {
        std::ifstream in(db.string() + ".lock");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(text.empty());  // a clean release clears the holder's text
    }
    // Text left by a killed run (a pid that no longer exists) while something else holds the lock.
    std::ofstream(db.string() + ".lock") << "pid=999999999 started=2026-01-01T00:00:00Z\n";
    const int fd = ::open((db.string() + ".lock").c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    auto refused = store.lock();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("another stackaudit run is using") != std::string::npos);
    CHECK(refused.error().message.find("999999999") == std::string::npos);
    CHECK(refused.error().message.find("did not record itself") != std::string::npos);
    ::close(fd);
    CHECK(store.lock());
}

TEST_CASE("store: a lock holder killed with SIGKILL leaves no stale lock", "[unit][store]") {
    TempDir dir;
    const fs::path db = dir.path / "h.db";
    { Store s = open_store(db); }
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto store = Store::open(db);
        if (!store) ::_exit(3);
        auto lock = store->lock();
        if (!lock) ::_exit(4);
        (void)!::write(ready[1], "x", 1);
        ::pause();
        ::_exit(0);
    }
    ::close(ready[1]);
    char byte = 0;
    REQUIRE(::read(ready[0], &byte, 1) == 1);
    ::close(ready[0]);
    Store store = open_store(db);
    CHECK_FALSE(store.lock());  // held by the child
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(store.lock());
}

TEST_CASE("store: a run that fails midway leaves the earlier runs intact", "[unit][store]") {
    TempDir dir;
    const fs::path db = dir.path / "h.db";
    Store store = open_store(db);
    REQUIRE(store.record_run(make_run("2026-10-01", {finding_a(), finding_b()}, 40)));

    // The same finding twice breaks the (run, finding) key after the run row, its sources and
    // the first finding were written: the whole run must roll back.
    auto broken = store.record_run(make_run("2026-10-08", {finding_c(), finding_a(), finding_a()}, 41));
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message.find(finding_a().id) != std::string::npos);

    auto runs = store.runs();
    REQUIRE(runs);
    REQUIRE(runs->size() == 1);
    auto rows = store.findings({});
    REQUIRE(rows);
    CHECK(rows->size() == 2);
    auto tool = store.tool_history("Salesforce");
    REQUIRE(tool);
    CHECK(tool->size() == 1);

    // The next run works and compares against the last committed run; C is new, not reopened.
    auto next = store.record_run(make_run("2026-10-09", {finding_a(), finding_c()}, 41));
    REQUIRE(next);
    CHECK(next->new_count == 1);
    CHECK(next->open_count == 1);
    REQUIRE(next->resolved.size() == 1);
    CHECK(next->resolved[0].finding.id == finding_b().id);
    Store reopened = open_store(db);
    auto again = reopened.runs();
    REQUIRE(again);
    CHECK(again->size() == 2);
}

TEST_CASE("store: kill -9 in the middle of writing a run loses only that run", "[unit][store]") {
    TempDir dir;
    const fs::path db = dir.path / "h.db";
    {
        Store store = open_store(db);
        REQUIRE(store.record_run(make_run("2026-10-01", {finding_a()}, 40)));
    }
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // A writer that dies with its transaction open, after writing a run and a finding.
        sqlite3* raw = nullptr;
        if (sqlite3_open(db.c_str(), &raw) != SQLITE_OK) ::_exit(3);
        sqlite3_exec(raw, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
        if (sqlite3_exec(raw,
                         "BEGIN IMMEDIATE;"
                         "INSERT INTO runs (started_at, as_of, config_file, partial, exit_code) "
                         "VALUES ('2026-10-02T02:00:00Z', '2026-10-02', 'x', 0, 0);"
                         "INSERT INTO finding_index (finding_id, first_seen, first_run, last_seen_run) "
                         "VALUES ('SA-000000000000', '2026-10-02', 2, 2);",
                         nullptr, nullptr, nullptr) != SQLITE_OK)
            ::_exit(4);
        ::raise(SIGKILL);
        ::_exit(5);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);

    Store store = open_store(db);
    REQUIRE(store.lock());
    auto runs = store.runs();
    REQUIRE(runs);
    REQUIRE(runs->size() == 1);
    auto next = store.record_run(make_run("2026-10-02", {finding_a()}, 40));
    REQUIRE(next);
    CHECK(next->run_id == 2);
    CHECK(next->findings[0].state == "open");
    CHECK(next->findings[0].age_days == 1);
}
