// Unit tests for the report writers: CSV parse-back, JSON validity and content, formula
// neutralisation, money formatting, and the partial-data warning appearing exactly when the
// inputs were incomplete.
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "sample_report.hpp"
#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/report/report.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

namespace {

std::vector<std::vector<std::string>> read_back(const std::string& csv) {
    CsvReader reader = CsvReader::from_string(csv, "out.csv", "test");
    std::vector<std::vector<std::string>> records;
    for (;;) {
        auto next = reader.next();
        REQUIRE(next.has_value());
        if (!next->has_value()) break;
        records.push_back((*next)->fields);
    }
    return records;
}

constexpr std::string_view k_warning = "WARNING: partial data";

}  // namespace

TEST_CASE("money is a plain number with at most two decimals", "[unit]") {
    auto [amount, text] = GENERATE(table<double, std::string>({
        {0.0, "0"},
        {1200.0, "1200"},
        {1234.5, "1234.5"},
        {1234.567, "1234.57"},
        {42000.5, "42000.5"},
        {0.1 + 0.2, "0.3"},
        {-12.5, "-12.5"},
        {-0.001, "0"},
        {0.004, "0"},
        {0.005, "0.01"},
        {1e9, "1000000000"},
        {1234567.891, "1234567.89"},
    }));
    CAPTURE(amount);
    CHECK(report::format_money(amount) == text);
}

TEST_CASE("money that is not a number is left empty", "[unit]") {
    CHECK(report::format_money(std::numeric_limits<double>::quiet_NaN()).empty());
    CHECK(report::format_money(std::numeric_limits<double>::infinity()).empty());
    CHECK(report::format_money(-std::numeric_limits<double>::infinity()).empty());
}

TEST_CASE("cells that a spreadsheet would run as formulas get a leading apostrophe", "[unit]") {
    auto [cell, expected] = GENERATE(table<std::string, std::string>({
        {"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
        {"+1+1", "'+1+1"},
        {"-2+3", "'-2+3"},
        {"-12.5", "'-12.5"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\tcmd", "'\tcmd"},
        {"\rcmd", "'\rcmd"},
        {"Salesforce", "Salesforce"},
        {"", ""},
        {" =1", " =1"},
        {"a=b", "a=b"},
        {"'quoted", "'quoted"},
    }));
    CAPTURE(cell);
    CHECK(report::spreadsheet_safe(cell) == expected);
}

TEST_CASE("findings CSV reads back field for field", "[unit]") {
    const report::AuditReport r = complete_report();
    const std::string csv = report::findings_csv(r);
    REQUIRE(csv.ends_with("\r\n"));
    REQUIRE(csv.starts_with("finding_id,severity,rule_id,rule_title,category,tool,department,subject,owners,"
                            "message,money_at_stake,evidence,remediation,as_of,state,first_seen,age_days,waived,"
                            "waiver_reason,waiver_approver,waiver_expires\r\n"));

    const auto records = read_back(csv);
    REQUIRE(records.size() == r.findings.size() + 1);
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        const Finding& f = r.findings[i];
        const auto& row = records[i + 1];
        CAPTURE(f.rule_id);
        REQUIRE(row.size() == 21);
        CHECK(row[0] == f.id);
        CHECK(row[1] == to_string(f.severity));
        CHECK(row[2] == f.rule_id);
        CHECK(row[3] == f.rule_title);
        CHECK(row[4] == f.category);
        CHECK(row[5] == report::spreadsheet_safe(f.tool));
        CHECK(row[6] == f.department);
        CHECK(row[7] == f.subject_key);
        CHECK(row[8] == join(f.owners, "; "));
        CHECK(row[9] == report::spreadsheet_safe(f.message));
        CHECK(row[10] == (f.money_at_stake ? report::format_money(*f.money_at_stake) : std::string()));
        CHECK(row[12] == report::spreadsheet_safe(f.remediation));
        CHECK(row[13] == "2026-03-01");
        CHECK(row[14] == f.state);
        CHECK(row[17] == (f.waived ? "true" : "false"));
    }
    // The awkward cases, spelled out.
    CHECK(records[2][9] == "Looker and Tableau both do \"BI, dashboards\"; 14 people use both");
    CHECK(records[2][11] == "capability=bi, dashboards; shared_users=14");
    CHECK(records[3][5] == "'=HYPERLINK(\"http://evil.example\",\"click\")");
    CHECK(records[3][9] == "Receives contacts from HubSpot.\nNo IT or security review is recorded.");
    CHECK(records[4][8].empty());
    CHECK(records[4][10] == "1234.57");
    CHECK(records[5][9] == "'-owner sits in Design, 80% of use is in Marketing");
    CHECK(records[5][10] == "-12.5");  // a plain negative number in the money column stays a number
    CHECK(records[5][12] == "'+ agree an owner in Marketing");
    CHECK(records[6][5] == "'@mention-bot");
    CHECK(records[6][10] == "0");
}

TEST_CASE("findings CSV of a run without findings is the header alone", "[unit]") {
    const auto records = read_back(report::findings_csv(empty_report()));
    REQUIRE(records.size() == 1);
    CHECK(records[0].front() == "finding_id");
    CHECK(records[0][13] == "as_of");
    CHECK(records[0].back() == "waiver_expires");
}

TEST_CASE("unknown money is an empty CSV cell and JSON null", "[unit]") {
    report::AuditReport r = complete_report();
    r.findings.resize(1);
    r.findings[0].money_at_stake = std::nullopt;
    CHECK(read_back(report::findings_csv(r))[1][10].empty());
    r.findings[0].money_at_stake = std::numeric_limits<double>::quiet_NaN();
    CHECK(read_back(report::findings_csv(r))[1][10].empty());

    simdjson::dom::parser parser;
    const simdjson::padded_string json(report::findings_json(r));
    simdjson::dom::element doc = parser.parse(json);
    CHECK(doc["findings"].at(0)["money_at_stake"].is_null());
    CHECK(doc["totals"]["money_at_stake"].get_double().value() == 0.0);
}

TEST_CASE("rejects CSV reads back field for field", "[unit]") {
    const auto rows = sample_rejects();
    const std::string csv = report::rejects_csv(rows);
    REQUIRE(csv.starts_with("source,file,line,reason,raw\r\n"));
    const auto records = read_back(csv);
    REQUIRE(records.size() == rows.size() + 1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CAPTURE(i);
        const auto& rec = records[i + 1];
        REQUIRE(rec.size() == 5);
        CHECK(rec[0] == rows[i].source);
        CHECK(rec[1] == rows[i].file);
        CHECK(rec[2] == (rows[i].line > 0 ? std::to_string(rows[i].line) : std::string()));
        CHECK(rec[3] == rows[i].reason);
        CHECK(rec[4] == report::spreadsheet_safe(rows[i].raw));
    }
    CHECK(records[2][4].starts_with("'=cmd"));
    CHECK(records[3][4] == "\"Jane, \"\"JD\"\" Doe\nstill open");
}

TEST_CASE("findings JSON is valid and carries every finding unchanged", "[unit]") {
    const report::AuditReport r = complete_report();
    const std::string text = report::findings_json(r);
    CHECK(text == report::findings_json(r));  // deterministic

    simdjson::dom::parser parser;
    const simdjson::padded_string json(text);
    simdjson::dom::element doc;
    REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);

    CHECK(doc["schema_version"].get_int64().value() == report::k_json_schema_version);
    CHECK(doc["tool"].get_string().value() == "stackaudit");
    CHECK(doc["version"].get_string().value() == k_test_version);
    CHECK(doc["company"].get_string().value() == r.company);
    CHECK(doc["as_of"].get_string().value() == "2026-03-01T06:30:00Z");
    CHECK(doc["window_days"].get_int64().value() == 30);

    simdjson::dom::element inputs = doc["inputs"];
    CHECK(inputs["sources"].get_array().size() == r.sources.size());
    CHECK(inputs["sources"].at(5)["ignored"].get_uint64().value() == 1390);
    CHECK(inputs["rejected_rows"].get_uint64().value() == 0);
    CHECK(inputs["rejects_file"].is_null());
    CHECK(inputs["complete"].get_bool().value());
    CHECK(inputs["gaps"].get_array().size() == 0);
    CHECK(inputs["dataset"]["usage_pairs"].get_uint64().value() == 517);

    simdjson::dom::element totals = doc["totals"];
    CHECK(totals["findings"].get_uint64().value() == 6);
    for (const char* sev : {"critical", "high", "medium", "low", "info"}) {
        CAPTURE(sev);
        CHECK(totals["by_severity"][sev].get_uint64().value() == (std::string(sev) == "high" ? 2 : 1));
    }
    CHECK(totals["money_at_stake"].get_double().value() == Approx(5400.0 + 42000.5 + 1234.57 - 12.5));

    simdjson::dom::array rules = doc["rules"];
    REQUIRE(rules.size() == r.rule_runs.size());
    CHECK(rules.at(6)["fired"].get_uint64().value() == 0);
    CHECK(rules.at(6)["not_evaluated_because"].is_null());

    simdjson::dom::array findings = doc["findings"];
    REQUIRE(findings.size() == r.findings.size());
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        const Finding& f = r.findings[i];
        simdjson::dom::element jf = findings.at(i);
        CAPTURE(f.rule_id);
        CHECK(jf["id"].get_string().value() == f.id);
        CHECK(jf["severity"].get_string().value() == to_string(f.severity));
        CHECK(jf["subject"].get_string().value() == f.subject_key);
        CHECK(jf["tool"].get_string().value() == f.tool);
        CHECK(jf["message"].get_string().value() == f.message);
        simdjson::dom::array owners = jf["owners"];
        REQUIRE(owners.size() == f.owners.size());
        for (std::size_t o = 0; o < f.owners.size(); ++o) CHECK(owners.at(o).get_string().value() == f.owners[o]);
        simdjson::dom::object evidence = jf["evidence"];
        REQUIRE(evidence.size() == f.evidence.size());
        for (const auto& [name, value] : f.evidence) CHECK(evidence[name].get_string().value() == value);
        if (f.money_at_stake) {
            CHECK(jf["money_at_stake"].get_double().value() == Approx(*f.money_at_stake).margin(0.005));
        } else {
            CHECK(jf["money_at_stake"].is_null());
        }
    }
}

TEST_CASE("findings JSON on partial inputs says what is missing", "[unit]") {
    simdjson::dom::parser parser;
    const simdjson::padded_string json(report::findings_json(partial_report()));
    simdjson::dom::element doc = parser.parse(json);
    CHECK_FALSE(doc["inputs"]["complete"].get_bool().value());
    CHECK(doc["inputs"]["gaps"].get_array().size() == 4);
    CHECK(doc["inputs"]["rejects_file"].get_string().value() == "out/rejects.csv");
    simdjson::dom::element okta = doc["inputs"]["sources"].at(5);
    CHECK_FALSE(okta["ok"].get_bool().value());
    CHECK(okta["errors"].at(0)["code"].get_string().value() == "source_failed");
    CHECK(okta["errors"].at(0)["line"].is_null());
    CHECK(doc["inputs"]["sources"].at(1)["errors"].at(0)["line"].get_uint64().value() == 7);
    CHECK(doc["rules"].at(3)["not_evaluated_because"].get_string().value() == "source okta_log failed");
}

TEST_CASE("the partial-data warning appears exactly when something could not be seen", "[unit]") {
    using Change = std::function<void(report::AuditReport&)>;
    const std::vector<std::tuple<std::string, Change>> cases = {
        {"a source failed", [](report::AuditReport& r) { r.sources[5].ok = false; }},
        {"rows were rejected",
         [](report::AuditReport& r) {
             r.sources[1].rejected = 3;
             r.rejected_rows = 3;
         }},
        {"rows were rejected outside any source", [](report::AuditReport& r) { r.rejected_rows = 1; }},
        {"a rule was not evaluated",
         [](report::AuditReport& r) {
             r.rule_runs[3].evaluated = false;
             r.rule_runs[3].not_evaluated_because = "source okta_log failed";
         }},
        {"a rule failed on some subjects", [](report::AuditReport& r) { r.rule_runs[0].errors = 2; }},
        {"a rule error was reported",
         [](report::AuditReport& r) { r.rule_errors.push_back(Error{ErrorCode::evaluation, "division by zero", {}, {}}); }},
        {"no sources were read", [](report::AuditReport& r) { r.sources.clear(); }},
        {"no rules ran", [](report::AuditReport& r) { r.rule_runs.clear(); }},
        {"a snapshot is stale",
         [](report::AuditReport& r) {
             r.sources[2].fetched_at = "2026-10-30T02:00:00Z";
             r.sources[2].stale = true;
             r.sources[2].stale_reason = "pull at 2026-10-31T02:00:00Z failed: HTTP 401";
         }},
    };

    SECTION("complete inputs: no warning, with or without findings") {
        for (const report::AuditReport& r : {complete_report(), empty_report()}) {
            CHECK(report::coverage_gaps(r).empty());
            const std::string summary = report::summary_text(r);
            CHECK(summary.find(k_warning) == std::string::npos);
            CHECK(summary.find("Partial data") == std::string::npos);
        }
    }
    for (const auto& [name, change] : cases) {
        for (bool with_findings : {true, false}) {
            DYNAMIC_SECTION(name << (with_findings ? ", with findings" : ", without findings")) {
                report::AuditReport r = with_findings ? complete_report() : empty_report();
                change(r);
                CHECK(report::coverage_gaps(r).size() >= 1);
                const std::string summary = report::summary_text(r);
                CHECK(summary.find(k_warning) != std::string::npos);
                CHECK(summary.find("Partial data: see the WARNING") != std::string::npos);
                CHECK(summary.find("No findings: every source was read in full") == std::string::npos);
                if (!with_findings) CHECK(summary.find("not a clean result") != std::string::npos);
            }
        }
    }
}

TEST_CASE("a clean run with no findings says so plainly", "[unit]") {
    const std::string summary = report::summary_text(empty_report());
    CHECK(summary.find("No findings: every source was read in full, every rule was evaluated, and none fired.") !=
          std::string::npos);
}

TEST_CASE("the summary shows coverage before findings and limits the top list", "[unit]") {
    const std::string summary = report::summary_text(complete_report(), 2);
    const auto coverage = summary.find("INPUT COVERAGE");
    const auto severity = summary.find("FINDINGS BY SEVERITY");
    REQUIRE(coverage != std::string::npos);
    REQUIRE(severity != std::string::npos);
    CHECK(coverage < severity);
    CHECK(summary.find("TOP 2 OF 6 FINDINGS") != std::string::npos);
    CHECK(summary.find("... and 4 more") != std::string::npos);
    CHECK(report::summary_text(complete_report(), 0).find("TOP ") == std::string::npos);
}

TEST_CASE("the summary cannot be used to send escape sequences to a terminal", "[unit]") {
    report::AuditReport r = complete_report();
    r.findings[0].tool = "Evil\x1b[2J\x1b]0;pwned\x07Tool";
    r.findings[0].message = "line one\r\nline two\tand \xC2\x9B" "31m C1";
    r.company = "Acme\x1b[31m";
    const std::string summary = report::summary_text(r);
    for (char c : summary) {
        const auto byte = static_cast<unsigned char>(c);
        CHECK((byte >= 0x20 || c == '\n'));
        CHECK(byte != 0x7f);
    }
    CHECK(summary.find("\xC2\x9B") == std::string::npos);
    CHECK(summary.find("line one line two and") != std::string::npos);
}

TEST_CASE("summary lines stay within 100 columns", "[unit]") {
    for (const report::AuditReport& r : {complete_report(), partial_report(), empty_report()}) {
        const std::string summary = report::summary_text(r);
        std::size_t start = 0;
        while (start < summary.size()) {
            const auto end = summary.find('\n', start);
            const std::string_view line(summary.data() + start, end - start);
            std::size_t columns = 0;
            for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
            CAPTURE(line);
            CHECK(columns <= 100);
            start = end + 1;
        }
    }
}

TEST_CASE("a stale snapshot is named with its age and why in the summary and the JSON", "[unit]") {
    report::AuditReport r = complete_report();
    r.sources[2].fetched_at = "2026-10-30T02:00:00Z";
    r.sources[2].stale = true;
    r.sources[2].stale_reason = "pull at 2026-10-31T02:00:00Z failed: HTTP 401";
    const std::string summary = report::summary_text(r);
    CHECK(summary.find("STALE") != std::string::npos);
    CHECK(summary.find("fetched at 2026-10-30T02:00:00Z") != std::string::npos);
    CHECK(summary.find("failed: HTTP 401") != std::string::npos);
    const std::string json = report::findings_json(r);
    CHECK(json.find("\"stale\": true") != std::string::npos);
    CHECK(json.find("\"fetched_at\": \"2026-10-30T02:00:00Z\"") != std::string::npos);
}

TEST_CASE("lifecycle and waiver fields reach the CSV and JSON; waived findings leave the totals", "[unit]") {
    report::AuditReport r = complete_report();
    REQUIRE(r.findings.size() >= 2);
    r.findings[0].state = "new";
    r.findings[0].first_seen = "2026-02-01";
    r.findings[0].age_days = 28;
    r.findings[1].waived = true;
    r.findings[1].waiver_reason = "migration to one BI tool by Q2";
    r.findings[1].waiver_approver = "cio@northwind.example";
    r.findings[1].waiver_expires = "2026-06-30";
    const auto records = read_back(report::findings_csv(r));
    CHECK(records[1][14] == "new");
    CHECK(records[1][15] == "2026-02-01");
    CHECK(records[1][16] == "28");
    CHECK(records[2][17] == "true");
    CHECK(records[2][18] == "migration to one BI tool by Q2");
    CHECK(records[2][20] == "2026-06-30");
    const std::string json = report::findings_json(r);
    CHECK(json.find("\"state\": \"new\"") != std::string::npos);
    CHECK(json.find("\"age_days\": 28") != std::string::npos);
    CHECK(json.find("\"approver\": \"cio@northwind.example\"") != std::string::npos);
    CHECK(json.find("\"waived\": 1") != std::string::npos);
    const std::string summary = report::summary_text(r);
    CHECK(summary.find("waived") != std::string::npos);
}

TEST_CASE("the summary shows changes since the last run, the scorecard and notices", "[unit]") {
    report::AuditReport r = complete_report();
    r.changes = report::AuditReport::Changes{"2026-02-28", 2, 1, 3, {"idle-seat Zoom: a@x.example has not used Zoom"}};
    r.scorecard_text = "ALIGNMENT SCORECARD\n  Company  71.3\n";
    r.notices = {"waiver for shadow-it app:canva (waivers.yaml:4) expired on 2026-02-01"};
    const std::string summary = report::summary_text(r);
    CHECK(summary.find("SINCE THE LAST RUN (2026-02-28)") != std::string::npos);
    CHECK(summary.find("2 new, 1 reopened, 3 resolved") != std::string::npos);
    CHECK(summary.find("resolved: idle-seat Zoom") != std::string::npos);
    CHECK(summary.find("ALIGNMENT SCORECARD") != std::string::npos);
    CHECK(summary.find("expired on 2026-02-01") != std::string::npos);
    r.changes = report::AuditReport::Changes{};
    CHECK(report::summary_text(r).find("first recorded run") != std::string::npos);
}
