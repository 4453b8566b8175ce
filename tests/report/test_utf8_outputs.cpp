// Defence in depth for issue #7: whatever bytes reach the writers, findings.json and the HTML
// report are valid UTF-8 (invalid sequences become U+FFFD), so a JSON parser or a browser never
// chokes on them. The readers reject such text first; these tests feed it to the writers directly.
#include <string>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "sample_report.hpp"
#include "stackaudit/core/text.hpp"
#include "stackaudit/report/html.hpp"
#include "stackaudit/report/report.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

namespace {

const std::string k_fffd = "\xEF\xBF\xBD";

// A complete run where a tool name, an owner, a message, evidence and a source error carry
// bytes that are not UTF-8 (Latin-1 é, a UTF-16 byte-order mark, a cut 3-byte sequence).
report::AuditReport hostile_report() {
    auto rep = complete_report();
    REQUIRE(!rep.findings.empty());
    auto& f = rep.findings.front();
    f.tool = "Sales\xFF\xFE" "force";
    f.owners.push_back("ren\xE9@northwind.example");
    f.message += " caf\xE9";
    f.evidence.emplace_back("note\xE2\x82", "\xC0\xAF");
    rep.sources.push_back(make_source("seats:Caf\xE9", "seats", "seats/caf\xE9.csv", 3, 1));
    return rep;
}

}  // namespace

TEST_CASE("html_escape repairs invalid UTF-8 as well as escaping", "[unit][html][utf8]") {
    CHECK(report::html_escape("Sales\xFF\xFE<b>") == "Sales" + k_fffd + k_fffd + "&lt;b&gt;");
    CHECK(report::html_escape("Zo\xC3\xAB & Ad\xE9le") == "Zo\xC3\xAB &amp; Ad" + k_fffd + "le");
}

TEST_CASE("the HTML report is valid UTF-8 whatever the data", "[unit][html][utf8]") {
    report::HtmlInput in;
    in.report = hostile_report();
    const std::string html = report::html_report(in);
    CHECK(valid_utf8(html));
    CHECK(html.find("Sales" + k_fffd + k_fffd + "force") != std::string::npos);
}

TEST_CASE("findings.json is valid UTF-8 JSON whatever the data", "[unit][json][utf8]") {
    const std::string json = report::findings_json(hostile_report());
    CHECK(valid_utf8(json));
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    const auto error = parser.parse(json).get(doc);  // simdjson validates UTF-8 too
    INFO(simdjson::error_message(error));
    REQUIRE(error == simdjson::SUCCESS);
    std::string_view tool;
    REQUIRE(doc["findings"].at(0)["tool"].get(tool) == simdjson::SUCCESS);
    CHECK(std::string(tool) == "Sales" + k_fffd + k_fffd + "force");
}
