// Tests for the sample-company generator (src/sample).
#include <catch2/catch.hpp>
#include <simdjson.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/io.hpp"
#include "stackaudit/sample/generator.hpp"

namespace fs = std::filesystem;
using stackaudit::sample::generate_sample;
using stackaudit::sample::SampleOptions;
using stackaudit::sample::SampleSummary;

namespace {

// A fresh directory under the system temp dir, removed when the test ends.
struct TempDir {
    explicit TempDir(const std::string& name)
        : path(fs::temp_directory_path() / ("stackaudit-sample-" + std::to_string(::getpid()) + "-" + name)) {
        fs::remove_all(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    fs::path path;
};

SampleSummary generate(const fs::path& dir, int scale = 1) {
    SampleOptions o;
    o.out_dir = dir;
    o.scale = scale;
    auto r = generate_sample(o);
    if (!r) FAIL(r.error().to_string());
    return *r;
}

// Relative path -> contents of every regular file under `dir`.
std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file() || e.path().filename().string().starts_with(".")) continue;  // .gitattributes
        auto content = stackaudit::read_file(e.path());
        REQUIRE(content.has_value());
        out[fs::relative(e.path(), dir).generic_string()] = std::move(*content);
    }
    return out;
}

std::size_t count_rows(const fs::path& file, const std::vector<std::string>& headers) {
    std::vector<stackaudit::ColumnSpec> specs;
    for (const auto& h : headers) specs.push_back({h, h, true});
    auto table = stackaudit::CsvTable::open(file, "test", specs);
    if (!table) FAIL(table.error().to_string());
    std::size_t rows = 0;
    for (;;) {
        auto row = table->next();
        if (!row) FAIL(row.error().to_string());
        if (!row->has_value()) break;
        for (std::size_t i = 0; i < headers.size(); ++i) (void)(**row)[i];
        ++rows;
    }
    return rows;
}

}  // namespace

TEST_CASE("same options give byte-identical files", "[unit][sample]") {
    TempDir a("det-a");
    TempDir b("det-b");
    const SampleSummary sa = generate(a.path);
    const SampleSummary sb = generate(b.path);
    CHECK(sa.bytes_total == sb.bytes_total);
    const auto ta = tree(a.path);
    const auto tb = tree(b.path);
    REQUIRE(ta.size() == tb.size());
    for (const auto& [name, content] : ta) {
        INFO(name);
        REQUIRE(tb.count(name) == 1);
        CHECK(content == tb.at(name));
    }
}

TEST_CASE("a different seed gives a different company", "[unit][sample]") {
    TempDir a("seed-a");
    TempDir b("seed-b");
    SampleOptions o;
    o.out_dir = a.path;
    o.okta_log = false;
    REQUIRE(generate_sample(o).has_value());
    o.out_dir = b.path;
    o.seed = 7;
    REQUIRE(generate_sample(o).has_value());
    CHECK(tree(a.path).at("directory.csv") != tree(b.path).at("directory.csv"));
    CHECK_FALSE(fs::exists(a.path / "okta_system_log.jsonl"));
}

TEST_CASE("scale multiplies people and events", "[unit][sample]") {
    TempDir one("scale-1");
    TempDir two("scale-2");
    const SampleSummary s1 = generate(one.path, 1);
    const SampleSummary s2 = generate(two.path, 2);
    CHECK(s1.people > 300);
    CHECK(s1.tools >= 45);
    CHECK(s2.tools == s1.tools);
    const double people = static_cast<double>(s2.people) / static_cast<double>(s1.people);
    const double events = static_cast<double>(s2.log_events) / static_cast<double>(s1.log_events);
    CHECK(people > 1.9);
    CHECK(people < 2.1);
    CHECK(events > 1.8);
    CHECK(events < 2.2);
    CHECK(s1.planted == s2.planted);
}

TEST_CASE("every CSV parses with the expected headers and the log is valid JSON", "[unit][sample]") {
    TempDir dir("parse");
    const SampleSummary s = generate(dir.path);
    const fs::path d = dir.path;

    CHECK(count_rows(d / "directory.csv",
                     {"user_id", "email", "display_name", "department", "team", "status", "termination_date"}) == s.people);
    CHECK(count_rows(d / "catalog.csv",
                     {"tool", "vendor", "sso_app_label", "capabilities", "owning_department", "intended_departments",
                      "business_owner", "technical_owner", "it_review", "contract_seats", "annual_cost_per_seat",
                      "renewal_date"}) == s.tools + 1);  // + the duplicate Gong row
    CHECK(count_rows(d / "integrations.csv", {"source_tool", "target_tool", "data"}) == s.integrations);
    std::size_t seats = 0;
    seats += count_rows(d / "seats/salesforce_users.csv", {"Username", "Email", "Profile", "User License", "Created Date", "Last Login"});
    seats += count_rows(d / "seats/hubspot_users.csv", {"Email", "First Name", "Last Name", "Seat", "Last active"});
    seats += count_rows(d / "seats/slack_members.csv",
                        {"username", "email", "status", "billing-active", "has-2fa", "userid", "fullname", "displayname"});
    seats += count_rows(d / "seats/adobe_users.csv",
                        {"Identity Type", "Username", "Domain", "Email", "First Name", "Last Name", "Country Code",
                         "Product Configurations", "Admin Roles"});
    seats += count_rows(d / "seats/zoom_users.csv", {"Email", "User Type", "Last Login Time", "Created At"});
    seats += count_rows(d / "seats/zendesk_agents.csv", {"name", "email", "role", "last_login_at", "created_at", "notes"});
    seats += count_rows(d / "seats/m365_active_users.csv",
                        {"User Principal Name", "Exchange Last Activity Date", "Exchange License Assign Date",
                         "Assigned Products"});
    CHECK(seats == s.seats);
    CHECK(s.seat_exports == 7);

    // Vendor value formats the connectors must cope with.
    const auto files = tree(d);
    CHECK(files.at("seats/salesforce_users.csv").find(".000+0000") != std::string::npos);
    CHECK(files.at("seats/zendesk_agents.csv").find("\"Team lead, Tier 2.\nCovers EMEA") != std::string::npos);
    CHECK(files.at("seats/adobe_users.csv").find("\"Creative Cloud Pro - All Apps,Adobe Stock") != std::string::npos);
    CHECK(files.at("directory.csv").find(", Jr.\"") != std::string::npos);
    CHECK(files.at("stackaudit.yaml").find("as_of: 2026-11-01") != std::string::npos);

    std::ifstream log(d / "okta_system_log.jsonl");
    REQUIRE(log.good());
    simdjson::dom::parser parser;
    std::string line;
    std::size_t lines = 0, sso = 0, bad = 0, unordered = 0;
    std::string previous;
    while (std::getline(log, line)) {
        ++lines;
        simdjson::dom::element event;
        if (parser.parse(line).get(event) != simdjson::SUCCESS) {
            ++bad;
            continue;
        }
        std::string_view type, result, published, actor;
        if (event["eventType"].get(type) || event["outcome"]["result"].get(result) || event["published"].get(published) ||
            event["actor"]["alternateId"].get(actor)) {
            ++bad;
            continue;
        }
        if (std::string(published) < previous) ++unordered;
        previous = std::string(published);
        if (type == "user.authentication.sso" && result == "SUCCESS") {
            std::string_view target_type;
            if (event["target"].at(0)["type"].get(target_type) || target_type != "AppInstance") ++bad;
            ++sso;
        }
    }
    CHECK(bad == 0);
    CHECK(unordered == 0);
    CHECK(lines == s.log_events);
    CHECK(sso == s.sso_events);
    CHECK(previous < "2026-11-01");
}

TEST_CASE("extra synthetic tools", "[unit][sample]") {
    TempDir dir("tools");
    SampleOptions o;
    o.out_dir = dir.path;
    o.tools = 60;
    o.days = 20;
    auto s = generate_sample(o);
    REQUIRE(s.has_value());
    CHECK(s->tools == 60);
    const auto catalog = stackaudit::read_file(dir.path / "catalog.csv");
    REQUIRE(catalog.has_value());
    CHECK(catalog->find("\r\nTool 0012,Vendor 0003,Tool 0012,") != std::string::npos);
}

TEST_CASE("bad options are rejected with a hint", "[unit][sample]") {
    SampleOptions o;
    o.out_dir = fs::temp_directory_path() / "stackaudit-sample-never-written";
    o.as_of = "2026-13-01";
    auto r = generate_sample(o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == stackaudit::ErrorCode::invalid_value);
    CHECK_FALSE(r.error().hint.empty());
    o.as_of = "2026-11-01";
    o.scale = 0;
    CHECK_FALSE(generate_sample(o).has_value());
    o.scale = 1;
    o.days = 0;
    CHECK_FALSE(generate_sample(o).has_value());
    CHECK_FALSE(fs::exists(o.out_dir));
}

TEST_CASE("sample_data/northwind is what the generator makes with the default options", "[unit][sample]") {
    const fs::path committed = fs::path(STACKAUDIT_SOURCE_DIR) / "sample_data" / "northwind";
    REQUIRE(fs::is_directory(committed));
    TempDir fresh("committed");
    generate(fresh.path);
    const auto want = tree(fresh.path);
    auto have = tree(committed);
    // Audit output written beside the inputs (output.dir: out) is not part of the sample.
    for (auto it = have.begin(); it != have.end();) it = it->first.rfind("out/", 0) == 0 ? have.erase(it) : std::next(it);
    for (const auto& [name, content] : want) {
        INFO(name << ": regenerate with `stackaudit sample --out sample_data/northwind`");
        REQUIRE(have.count(name) == 1);
        CHECK(have.at(name) == content);
    }
    CHECK(have.size() == want.size());
}
