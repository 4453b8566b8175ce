// Tests for the self-contained HTML report: the golden page of a representative run (built from
// sample_report.hpp's reports plus a scorecard, utilisation, overlaps, ownership and a trend),
// escaping of hostile names, no external URL, the headline figures in the markup, one bar per
// tool, and an empty run. "[.render]" writes the golden input's page for render_html.sh.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "golden.hpp"
#include "sample_report.hpp"
#include "stackaudit/report/html.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using report::HtmlInput;

namespace {

constexpr const char* k_xss = "<script>alert(1)</script>";

std::size_t count(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string_view::npos; pos = text.find(what, pos + what.size())) ++n;
    return n;
}

// The markup between `start` and the next `end` after it ("" when absent).
std::string_view between(std::string_view text, std::string_view start, std::string_view end) {
    const auto a = text.find(start);
    if (a == std::string_view::npos) return {};
    const auto b = text.find(end, a);
    return text.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a);
}

report::ScoreComponent component(std::string name, std::size_t good, std::size_t counted) {
    report::ScoreComponent c;
    c.name = std::move(name);
    c.good = good;
    c.counted = counted;
    if (counted > 0) c.share = static_cast<double>(good) / static_cast<double>(counted);
    return c;
}

report::DepartmentScore department(std::string name, std::size_t tools, double score, double money,
                                   std::vector<report::ScoreComponent> components) {
    report::DepartmentScore d;
    d.department = std::move(name);
    d.tools = tools;
    d.score = score;
    d.money_at_stake = money;
    d.components = std::move(components);
    return d;
}

report::ToolUtilisation util(std::string tool, std::string dept, std::optional<std::int64_t> assigned,
                             std::optional<std::int64_t> active, std::optional<std::int64_t> purchased,
                             std::optional<double> cost) {
    report::ToolUtilisation u;
    u.tool = std::move(tool);
    u.department = std::move(dept);
    u.assigned = assigned;
    u.active = active;
    u.purchased = purchased;
    if (assigned && active && *assigned > 0) u.utilisation = static_cast<double>(*active) / static_cast<double>(*assigned);
    u.annual_cost = cost;
    return u;
}

// A run with history: lifecycle states, a waiver, a hostile tool name, and three earlier runs.
HtmlInput sample_input() {
    HtmlInput in;
    in.report = complete_report();
    auto& findings = in.report.findings;
    findings[0].state = "open";
    findings[0].first_seen = "2026-01-12";
    findings[0].age_days = 48;
    findings[1].state = "new";
    findings[1].first_seen = "2026-03-01";
    findings[1].age_days = 0;
    findings[2].state = "reopened";
    findings[2].first_seen = "2025-12-01";
    findings[2].age_days = 90;
    findings[3].state = "open";
    findings[3].first_seen = "2026-02-01";
    findings[3].age_days = 28;
    findings[4].state = "open";
    findings[4].first_seen = "2026-02-15";
    findings[4].age_days = 14;
    findings[4].waived = true;
    findings[4].waiver_reason = "Design owns Figma by agreement <until the reorg>";
    findings[4].waiver_approver = "cio@northwind.example";
    findings[4].waiver_expires = "2026-06-30";
    findings[5].state = "new";
    findings[5].first_seen = "2026-03-01";
    findings[5].age_days = 0;
    findings.push_back(make_finding("idle-seat", "Paid seats with no use", "use", Severity::medium, "seat",
                                    std::string("seat:") + k_xss + ":eve@northwind.example", k_xss, "IT",
                                    {"\"><img src=x onerror=alert(2)>@northwind.example"},
                                    std::string("eve@northwind.example has not used ") + k_xss + " in 30 days",
                                    {{"tool", k_xss}, {"days_idle", "45"}}, 300.0, "Reclaim the seat"));
    findings.back().state = "new";
    findings.back().first_seen = "2026-03-01";
    findings.back().age_days = 0;
    sort_findings(findings);

    using report::ScoreComponent;
    in.scorecard.company = department("Company", 14, 61.5, 48922.567,
                                      {component("clear ownership", 10, 14), component("IT reviewed", 9, 14),
                                       component("above utilisation floor", 6, 11),
                                       component("no unresolved overlap", 12, 14)});
    in.scorecard.departments = {
        department("Marketing", 6, 45.8, 43234.6,
                   {component("clear ownership", 3, 6), component("IT reviewed", 2, 6),
                    component("above utilisation floor", 2, 5), component("no unresolved overlap", 5, 6)}),
        department("IT", 5, 72.5, 300,
                   {component("clear ownership", 4, 5), component("IT reviewed", 5, 5),
                    component("above utilisation floor", 2, 4), component("no unresolved overlap", 4, 5)}),
        department("", 1, 75, 0,
                   {component("clear ownership", 1, 1), component("IT reviewed", 0, 1),
                    component("above utilisation floor", 0, 0), component("no unresolved overlap", 1, 1)}),
        department("Sales", 2, 87.5, 5400,
                   {component("clear ownership", 2, 2), component("IT reviewed", 2, 2),
                    component("above utilisation floor", 2, 2), component("no unresolved overlap", 1, 2)}),
    };
    in.score_trends = {{"Marketing", {{"2026-02-01", 40}, {"2026-02-15", 44}, {"2026-03-01", 45.8}}},
                       {"Sales", {{"2026-02-01", 90}, {"2026-03-01", 87.5}}}};
    in.utilisation = {
        util("Salesforce", "Sales", 210, 180, 220, 396000), util("HubSpot", "Marketing", 132, 51, 150, 99000),
        util("Looker", "Marketing", 40, 14, 40, 60000),      util("Tableau", "IT", 25, 19, 30, 42000),
        util(k_xss, "IT", 12, 3, 12, 3600),                  util("Figma", "Design", 30, 27, 30, 13500),
        util("Zoom", "IT", std::nullopt, std::nullopt, 200, 30000),
    };
    in.utilisation_floor = 0.5;
    report::OverlapRow overlap;
    overlap.capability = "bi, dashboards";
    overlap.tool_a = "Looker";
    overlap.department_a = "Marketing";
    overlap.tool_b = "Tableau";
    overlap.department_b = "IT";
    overlap.shared_users = 14;
    overlap.jaccard = 0.2745;
    overlap.overlap_cost = 42000.5;
    in.overlaps = {overlap};
    in.ownership = {
        {"Salesforce", "Sales", {"vp-sales@northwind.example"}, {"it-apps@northwind.example"}, ""},
        {"HubSpot", "Marketing", {"growth@northwind.example"}, {}, "no technical owner"},
        {"Figma", "Design", {"\xE5\xB1\xB1\xE7\x94\xB0@northwind.example"}, {"it-apps@northwind.example"}, ""},
        {k_xss, "IT", {}, {}, "no owner"},
        {"Looker", "Marketing", {"cmo-office@northwind.example"}, {"left@northwind.example"}, "owner left"},
    };
    in.trend = {{"2026-02-01", 9, 61200, 52.0}, {"2026-02-08", 8, 58050.25, 55.5}, {"2026-02-15", 8, 51000, 58.0},
                {"2026-03-01", 7, 48922.567, 61.5}};
    in.resolved_since_last = 3;
    return in;
}

HtmlInput empty_input() {
    HtmlInput in;
    in.report = empty_report();
    return in;
}

}  // namespace

TEST_CASE("HTML report matches the approved file", "[golden][html]") {
    check_golden("report", "html", report::html_report(sample_input()), k_test_version);
}

TEST_CASE("html_escape escapes the five HTML characters", "[unit][html]") {
    CHECK(report::html_escape("") == "");
    CHECK(report::html_escape("plain text \xC3\xA9") == "plain text \xC3\xA9");
    CHECK(report::html_escape("<a href=\"x\">Tom & Jerry's</a>") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    CHECK(report::html_escape("&amp;") == "&amp;amp;");
}

TEST_CASE("a hostile tool name renders as text, never as markup", "[unit][html]") {
    const std::string html = report::html_report(sample_input());
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("onerror=alert(2)>") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
    // The waiver reason is escaped too.
    CHECK(html.find("agreement &lt;until the reorg&gt;") != std::string::npos);
    // Formula-looking and quoted names stay intact text inside attributes and content.
    CHECK(html.find("=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)") != std::string::npos);
}

TEST_CASE("the HTML report loads nothing from outside the file", "[unit][html]") {
    const std::string html = report::html_report(sample_input());
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find(" src=\"") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    // Every http(s):// in the page is inside the escaped text of the finding that contains one.
    for (std::string_view scheme : {"http://", "https://"}) {
        for (auto pos = html.find(scheme); pos != std::string::npos; pos = html.find(scheme, pos + 1)) {
            INFO("URL at offset " << pos << ": " << html.substr(pos > 20 ? pos - 20 : 0, 60));
            CHECK(html.compare(pos - 6, 6, "&quot;") == 0);
        }
    }
    // A run whose inputs hold no URL has none at all, not even an SVG namespace.
    const std::string clean = report::html_report(empty_input());
    CHECK(clean.find("http") == std::string::npos);
    CHECK(clean.find("//") == std::string::npos);
}

TEST_CASE("the HTML report shows the headline figures", "[unit][html]") {
    const std::string html = report::html_report(sample_input());
    CHECK(html.find("<h1>SaaS usage and ownership audit</h1>") != std::string::npos);
    CHECK(html.find("Northwind Traders \xE2\x80\x94 EMEA") != std::string::npos);
    CHECK(html.find("As of 2026-03-01 (UTC)") != std::string::npos);
    // Money at stake excludes the waived finding: 5400 + 42000.5 + 1234.567 + 0 + 300 = 48935.067.
    CHECK(between(html, "id=\"fig-money\"", "</div></div>").find(">48,935<") != std::string_view::npos);
    CHECK(html.find("excludes -13 on waived findings") != std::string::npos);
    // Idle seats: (210-180)+(132-51)+(40-14)+(25-19)+(12-3)+(30-27) = 155.
    CHECK(between(html, "id=\"fig-idle\"", "</div></div>").find(">155<") != std::string_view::npos);
    // The scorecard's clear-ownership component: 14 tools judged, 10 with both owners active.
    CHECK(between(html, "id=\"fig-owners\"", "</div></div>").find(">4<") != std::string_view::npos);
    CHECK(between(html, "id=\"fig-findings\"", "</ul>").find(">6<") != std::string_view::npos);
    CHECK(html.find("3 new findings, 3 resolved, 1 reopened since the last run") != std::string::npos);
    CHECK(between(html, "id=\"company-score\"", "</div></div>").find(">62<span> / 100") != std::string_view::npos);
    CHECK(html.find("<span class=\"badge waived\">waived</span>") != std::string::npos);
    CHECK(html.find("approved by cio@northwind.example, expires 2026-06-30") != std::string::npos);
    CHECK(html.find("first seen 2025-12-01, open 90 days") != std::string::npos);
}

TEST_CASE("the utilisation chart has one bar per tool with figures, and the floor", "[unit][html]") {
    const HtmlInput in = sample_input();
    const std::string html = report::html_report(in);
    const std::string_view chart = between(html, "<svg id=\"chart-utilisation\"", "</svg>");
    REQUIRE(!chart.empty());
    const auto with_figures = std::count_if(in.utilisation.begin(), in.utilisation.end(),
                                            [](const report::ToolUtilisation& u) { return u.utilisation.has_value(); });
    CHECK(count(chart, "<rect class=\"bar util") == static_cast<std::size_t>(with_figures));
    CHECK(count(chart, "class=\"floor\"") == 1);
    CHECK(chart.find("no usage data") != std::string_view::npos);  // Zoom
    CHECK(chart.find("<title id=\"chart-utilisation-title\">") != std::string_view::npos);
    CHECK(chart.find("<desc id=\"chart-utilisation-desc\">") != std::string_view::npos);
    // Lowest first: the hostile tool at 25% comes before Salesforce at 86%.
    CHECK(chart.find("&lt;script&gt;alert(1)") < chart.find("Salesforce"));
    CHECK(count(chart, "below floor") == 3);  // HubSpot 39%, Looker 35%, the hostile tool 25%

    const std::string_view departments = between(html, "<svg id=\"chart-departments\"", "</svg>");
    CHECK(count(departments, "<rect class=\"bar\"") == 5);  // Sales, Marketing, Design, IT, (no department)
    const std::string_view rules = between(html, "<svg id=\"chart-rules\"", "</svg>");
    CHECK(count(rules, "<rect class=\"bar\"") == 6);
    CHECK(html.find("<svg id=\"chart-trend-findings\"") != std::string::npos);
    CHECK(html.find("<svg id=\"chart-trend-money\"") != std::string::npos);
    CHECK(html.find("<svg id=\"chart-trend-score\"") != std::string::npos);
}

TEST_CASE("the tables use header cells with scope", "[unit][html]") {
    const std::string html = report::html_report(sample_input());
    CHECK(html.find("<th scope=\"col\">Capability</th>") != std::string::npos);
    CHECK(html.find("<th scope=\"row\">bi, dashboards</th>") != std::string::npos);
    CHECK(html.find("<th scope=\"col\">Business owners</th>") != std::string::npos);
    CHECK(html.find("\xE2\x9A\xA0 owner left") != std::string::npos);
    CHECK(count(html, "<article class=\"finding") == 7);
    CHECK(html.find("@media print") != std::string::npos);
}

TEST_CASE("an empty run renders sensibly", "[unit][html]") {
    const std::string html = report::html_report(empty_input());
    CHECK(html.starts_with("<!DOCTYPE html>"));
    CHECK(html.ends_with("</html>\n"));
    CHECK(html.find("No findings: every source was read in full") != std::string::npos);
    CHECK(html.find("no earlier run recorded") != std::string::npos);
    CHECK(html.find("The trend appears once two runs are recorded") != std::string::npos);
    CHECK(html.find("No seat figures in this run.") != std::string::npos);
    CHECK(html.find("No scorecard for this run") != std::string::npos);
    CHECK(html.find("<rect") == std::string::npos);
    CHECK(html.find("Warning: partial data") == std::string::npos);

    HtmlInput partial;
    partial.report = partial_report();
    partial.report.findings.clear();
    const std::string p = report::html_report(partial);
    CHECK(p.find("Warning: partial data") != std::string::npos);
    CHECK(p.find("this is not a clean result") != std::string::npos);
    // The idle-seat rule was not evaluated and there are no seat figures: no number, not a 0.
    CHECK(p.find("no seat usage figures in this run") != std::string::npos);
}

TEST_CASE("the HTML report is deterministic", "[unit][html]") {
    CHECK(report::html_report(sample_input()) == report::html_report(sample_input()));
}

// Hidden: render_html.sh runs it with STACKAUDIT_HTML_OUT set to write the golden input's page.
TEST_CASE("write the sample HTML report for the render test", "[.render]") {
    const char* path = std::getenv("STACKAUDIT_HTML_OUT");
    REQUIRE(path != nullptr);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << report::html_report(sample_input());
    out.close();
    REQUIRE(out.good());
    // Optionally the empty run too, to look at by hand.
    if (const char* empty_path = std::getenv("STACKAUDIT_HTML_EMPTY_OUT")) {
        std::ofstream empty(empty_path, std::ios::binary | std::ios::trunc);
        empty << report::html_report(empty_input());
    }
}
