// The alignment scorecard: hand-computed arithmetic, unknown utilisation, the unassigned
// department, no tools at all, ordering, the stored breakdown round trip, and golden files for
// the text and JSON renderings.
#include <catch2/catch.hpp>

#include "golden.hpp"
#include "stackaudit/report/scorecard.hpp"

using namespace stackaudit;
using namespace stackaudit::report;

namespace {

ToolStanding tool(std::string name, std::string department, bool clear_owner, bool reviewed,
                  std::optional<bool> above_floor, bool overlap_free, double money = 0) {
    ToolStanding t;
    t.tool = std::move(name);
    t.department = std::move(department);
    t.clear_owner = clear_owner;
    t.reviewed = reviewed;
    t.above_floor = above_floor;
    t.overlap_free = overlap_free;
    t.money_at_stake = money;
    return t;
}

// Marketing: 3 tools, one with unknown utilisation; IT: 1 perfect tool; one unassigned tool.
std::vector<ToolStanding> sample_tools() {
    return {
        tool("HubSpot Marketing Hub", "Marketing", true, true, true, true),
        tool("Looker", "Marketing", false, true, false, false, 1200),
        tool("Hotjar", "Marketing", true, false, std::nullopt, true, 300.5),
        tool("Okta", "IT", true, true, true, true),
        tool("Airtable", "", false, false, std::nullopt, true, 50),
    };
}

const DepartmentScore& department(const Scorecard& card, const std::string& name) {
    for (const auto& d : card.departments)
        if (d.department == name) return d;
    FAIL("no department " << name);
    throw std::logic_error("unreachable");
}

void check_component(const ScoreComponent& c, const char* name, std::size_t good, std::size_t counted) {
    INFO(c.name);
    CHECK(c.name == name);
    CHECK(c.good == good);
    CHECK(c.counted == counted);
    REQUIRE(c.share.has_value());
    CHECK(*c.share == Approx(static_cast<double>(good) / static_cast<double>(counted)));
}

std::vector<ScoreTrend> sample_trends() {
    return {
        {"", {{"2026-10-30", 72.5}, {"2026-10-31", 68.0}, {"2026-11-01", 66.66666}}},
        {"Marketing", {{"2026-10-30", 50.0}, {"2026-10-31", 62.5}, {"2026-11-01", 62.5}}},
        {"IT", {{"2026-11-01", 100.0}}},
        {"Retired department", {{"2026-10-30", 10.0}}},
    };
}

}  // namespace

TEST_CASE("scorecard arithmetic matches the hand-computed example", "[unit][scorecard]") {
    const Scorecard card = compute_scorecard(sample_tools());

    // Company: clear 3/5, reviewed 3/5, above floor 2/3 (two tools unknown), overlap 4/5.
    // (0.6 + 0.6 + 0.6667 + 0.8) / 4 = 0.66667 -> 66.7
    const auto& company = card.company;
    CHECK(company.department == "Company");
    CHECK(company.tools == 5);
    REQUIRE(company.components.size() == 4);
    check_component(company.components[0], "clear ownership", 3, 5);
    check_component(company.components[1], "IT reviewed", 3, 5);
    check_component(company.components[2], "above utilisation floor", 2, 3);
    check_component(company.components[3], "no unresolved overlap", 4, 5);
    CHECK(company.score == Approx(100.0 * (0.6 + 0.6 + 2.0 / 3.0 + 0.8) / 4.0));
    CHECK(company.money_at_stake == Approx(1550.5));

    // Marketing: 2/3, 2/3, 1/2 (Hotjar unknown), 2/3 -> (2 + 0.5) / 4 = 0.625 -> 62.5
    const auto& marketing = department(card, "Marketing");
    CHECK(marketing.tools == 3);
    check_component(marketing.components[2], "above utilisation floor", 1, 2);
    CHECK(marketing.score == Approx(62.5));
    CHECK(marketing.money_at_stake == Approx(1500.5));

    CHECK(department(card, "IT").score == Approx(100.0));
    CHECK(department(card, "IT").money_at_stake == 0.0);
}

TEST_CASE("tools without an owning department are scored under (unassigned)", "[unit][scorecard]") {
    const Scorecard card = compute_scorecard(sample_tools());
    const auto& unassigned = department(card, "(unassigned)");
    CHECK(unassigned.tools == 1);
    // clear 0/1, reviewed 0/1, floor not judged, overlap 1/1 -> (0 + 0 + 1) / 3
    CHECK_FALSE(unassigned.components[2].share.has_value());
    CHECK(unassigned.components[2].counted == 0);
    CHECK(unassigned.score == Approx(100.0 / 3.0));
    CHECK(unassigned.money_at_stake == Approx(50.0));
}

TEST_CASE("departments are listed worst first, ties by name", "[unit][scorecard]") {
    auto tools = sample_tools();
    tools.push_back(tool("Zoom", "Finance", true, true, true, true));
    const Scorecard card = compute_scorecard(tools);
    REQUIRE(card.departments.size() == 4);
    CHECK(card.departments[0].department == "(unassigned)");
    CHECK(card.departments[1].department == "Marketing");
    CHECK(card.departments[2].department == "Finance");  // 100, tied with IT: by name
    CHECK(card.departments[3].department == "IT");
}

TEST_CASE("unknown utilisation is not counted: the score is the mean of the other shares", "[unit][scorecard]") {
    const Scorecard card = compute_scorecard({
        tool("A", "Sales", true, false, std::nullopt, true, 10),
        tool("B", "Sales", true, true, std::nullopt, false, 20),
    });
    const auto& sales = department(card, "Sales");
    CHECK(sales.components[2].counted == 0);
    CHECK_FALSE(sales.components[2].share.has_value());
    // clear 2/2, reviewed 1/2, overlap 1/2 -> (1 + 0.5 + 0.5) / 3
    CHECK(sales.score == Approx(100.0 * 2.0 / 3.0));
    CHECK(sales.money_at_stake == Approx(30.0));
    CHECK(card.company.score == Approx(sales.score));
    const std::string text = scorecard_text(card);
    CHECK(text.find("n/a") != std::string::npos);
}

TEST_CASE("a company without tools has nothing to score", "[unit][scorecard]") {
    const Scorecard card = compute_scorecard({});
    CHECK(card.company.tools == 0);
    CHECK(card.company.score == 0.0);
    CHECK(card.departments.empty());
    REQUIRE(card.company.components.size() == 4);
    for (const auto& c : card.company.components) CHECK_FALSE(c.share.has_value());
    CHECK(department_breakdown_json(card.company) ==
          R"({"department":"Company","tools":0,"score":null,"money_at_stake":0,"components":[)"
          R"({"name":"clear ownership","good":0,"counted":0,"share":null},)"
          R"({"name":"IT reviewed","good":0,"counted":0,"share":null},)"
          R"({"name":"above utilisation floor","good":0,"counted":0,"share":null},)"
          R"({"name":"no unresolved overlap","good":0,"counted":0,"share":null}]})");
    stackaudit::test::check_golden("scorecard_empty", "txt", scorecard_text(card), "");
}

TEST_CASE("the stored breakdown is compact and reads back to the same score", "[unit][scorecard]") {
    const Scorecard card = compute_scorecard(sample_tools());
    const auto& marketing = department(card, "Marketing");
    const std::string json = department_breakdown_json(marketing);
    CHECK(json == R"({"department":"Marketing","tools":3,"score":62.5,"money_at_stake":1500.5,"components":[)"
                  R"({"name":"clear ownership","good":2,"counted":3,"share":0.6667},)"
                  R"({"name":"IT reviewed","good":2,"counted":3,"share":0.6667},)"
                  R"({"name":"above utilisation floor","good":1,"counted":2,"share":0.5},)"
                  R"({"name":"no unresolved overlap","good":2,"counted":3,"share":0.6667}]})");
    const auto back = parse_department_breakdown(json);
    REQUIRE(back.has_value());
    CHECK(back->department == "Marketing");
    CHECK(back->tools == 3);
    CHECK(back->score == marketing.score);
    CHECK(back->money_at_stake == Approx(1500.5));
    REQUIRE(back->components.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(back->components[i].name == marketing.components[i].name);
        CHECK(back->components[i].share == marketing.components[i].share);
    }
    const auto company = parse_department_breakdown(department_breakdown_json(compute_scorecard({}).company));
    REQUIRE(company.has_value());
    CHECK_FALSE(company->components[0].share.has_value());

    for (const char* bad : {"", "[]", "{\"department\":\"X\"}", "{\"department\":\"X\",\"tools\":1,\"money_at_stake\":0,"
                                                                "\"components\":[{\"name\":\"a\",\"good\":2,\"counted\":1}]}"}) {
        INFO(bad);
        const auto r = parse_department_breakdown(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == ErrorCode::json_malformed);
    }
}

TEST_CASE("scorecard text with trends matches the approved file", "[golden][scorecard]") {
    stackaudit::test::check_golden("scorecard", "txt", scorecard_text(compute_scorecard(sample_tools()), sample_trends()),
                                   "");
}

TEST_CASE("scorecard JSON with trends matches the approved file", "[golden][scorecard]") {
    stackaudit::test::check_golden("scorecard", "json",
                                   scorecard_json(compute_scorecard(sample_tools()), sample_trends()), "");
}

TEST_CASE("scorecard text without trends has no trend section", "[unit][scorecard]") {
    const std::string text = scorecard_text(compute_scorecard(sample_tools()));
    CHECK(text.find("Trend") == std::string::npos);
    CHECK(text.find("Company") != std::string::npos);
    CHECK(text.find("66.7") != std::string::npos);
    CHECK(text.find("1,550.50") != std::string::npos);
}
