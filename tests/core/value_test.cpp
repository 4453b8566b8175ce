// Value display/JSON forms and finding ids: both end up in files people diff.
#include <catch2/catch.hpp>

#include "stackaudit/core/finding.hpp"
#include "stackaudit/core/value.hpp"

using namespace stackaudit;

TEST_CASE("values display without noise", "[unit][value]") {
    CHECK(Value().to_display().empty());
    CHECK(Value(true).to_display() == "true");
    CHECK(Value(42).to_display() == "42");
    CHECK(Value(0.5).to_display() == "0.5");
    CHECK(Value(1234.567).to_display() == "1234.57");
    CHECK(Value(2.0).to_display() == "2");
    CHECK(Value(-0.001).to_display() == "0");
    CHECK(Value(*parse_date("2026-11-01").value()).to_display() == "2026-11-01");
    CHECK(Value::strings({"a", "b"}).to_display() == "a; b");
}

TEST_CASE("values serialise to JSON", "[unit][value]") {
    CHECK(Value().to_json() == "null");
    CHECK(Value("say \"hi\"\n\x01").to_json() == "\"say \\\"hi\\\"\\n\\u0001\"");
    CHECK(Value(Value::List{Value(1), Value("x"), Value()}).to_json() == "[1,\"x\",null]");
    CHECK(Value(*parse_date("2026-01-02").value()).to_json() == "\"2026-01-02\"");
}

TEST_CASE("numeric equality crosses int and number", "[unit][value]") {
    CHECK(Value(2) == Value(2.0));
    CHECK_FALSE(Value(2) == Value("2"));
    CHECK(Value() == Value(nullptr));
    CHECK(Value::strings({"a"}) == Value::strings({"a"}));
}

TEST_CASE("finding ids are stable and distinct", "[unit][finding]") {
    const auto id = stable_finding_id("idle-seat", "seat:salesforce:jane@x.example");
    CHECK(id == stable_finding_id("idle-seat", "seat:salesforce:jane@x.example"));
    CHECK(id.size() == 15);
    CHECK(id.rfind("SA-", 0) == 0);
    CHECK(id != stable_finding_id("departed-seat", "seat:salesforce:jane@x.example"));
    CHECK(id != stable_finding_id("idle-seat", "seat:salesforce:john@x.example"));
    // Pinned: changing the hash would change every customer's finding ids.
    CHECK(stable_finding_id("a", "b") == "SA-b11905478f76");
}

TEST_CASE("findings sort by severity, rule, subject", "[unit][finding]") {
    std::vector<Finding> f(3);
    f[0].severity = Severity::low, f[0].rule_id = "a", f[0].subject_key = "x";
    f[1].severity = Severity::high, f[1].rule_id = "b", f[1].subject_key = "y";
    f[2].severity = Severity::high, f[2].rule_id = "a", f[2].subject_key = "z";
    sort_findings(f);
    CHECK(f[0].subject_key == "z");
    CHECK(f[1].subject_key == "y");
    CHECK(f[2].subject_key == "x");
    CHECK(parse_severity("HIGH").value() == Severity::high);
    CHECK_FALSE(parse_severity("urgent").has_value());
}
