// Rule loader: the strict schema, typed params and test facts, and positions in errors.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace stackaudit;
using namespace stackaudit::rules;

namespace {

LoadResult load(const std::string& relative) { return load_rules({test::data_dir() / relative}, test::catalog()); }

// The first error whose message contains `fragment`; fails the test if there is none.
const Error& find_error(const LoadResult& r, const std::string& fragment) {
    for (const auto& e : r.errors)
        if (e.message.find(fragment) != std::string::npos) return e;
    std::string all;
    for (const auto& e : r.errors) all += e.to_string() + "\n";
    FAIL("no error containing '" << fragment << "' in:\n" << all);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("good rules load with every field", "[unit][rule]") {
    const auto r = load("good");
    for (const auto& e : r.errors) INFO(e.to_string());
    REQUIRE(r.errors.empty());
    REQUIRE(r.rules.size() == 3);
    CHECK(r.rules[0].id == "idle-seat");  // sorted by id
    CHECK(r.rules[1].id == "no-owner");
    CHECK(r.rules[2].id == "pair-overlap");

    const Rule& idle = r.rules[0];
    CHECK(idle.title == "Paid seat nobody uses");
    CHECK(idle.category == "use");
    CHECK(idle.subject == "seat");
    CHECK(idle.severity == Severity::medium);
    CHECK(idle.maturity == "stable");
    CHECK(idle.requires_inputs == std::vector<std::string>{"seats", "okta_log", "directory"});
    REQUIRE(idle.params.size() == 2);
    CHECK(idle.params[0].name == "idle_days");
    CHECK(idle.params[0].default_value == Value(60));
    CHECK(idle.params[0].default_value.type() == ValueType::integer);
    CHECK(idle.params[0].description == "Days without use after which a seat counts as idle");
    CHECK(idle.params[1].name == "grace_days");
    CHECK(idle.params[1].default_value == Value(14));
    CHECK(idle.evidence_names ==
          std::vector<std::string>{"seat.last_activity", "seat.days_since_activity", "tool.cost_per_seat"});
    CHECK(idle.compiled_condition != nullptr);
    CHECK(idle.compiled_money != nullptr);
    CHECK(idle.compiled_message.size() == 5);  // four {{ }} parts and the trailing text
    REQUIRE(idle.tests.size() == 4);
    CHECK(idle.tests[0].expect_fire);
    CHECK(idle.tests[0].line == 24);
    CHECK(idle.tests[0].facts.at("seat.days_since_activity") == Value(120));
    CHECK(idle.tests[0].facts.at("person.name") == Value("Jane Doe"));
    CHECK(idle.tests[0].expect_message == "Jane Doe (jane@northwind.example) has not used Salesforce for 120 days");
    CHECK_FALSE(idle.tests[1].expect_fire);
    CHECK(idle.tests[2].params.at("idle_days") == Value(200));
    CHECK(idle.tests[3].facts.at("seat.assigned_date") == Value(test::date("2026-10-17")));
    CHECK(idle.tests[3].facts.at("seat.last_activity").is_null());
    CHECK(idle.file.ends_with("idle-seat.yaml"));

    const Rule& no_owner = r.rules[1];
    CHECK(no_owner.severity == Severity::high);
    CHECK(no_owner.requires_inputs == std::vector<std::string>{"catalog"});  // a single scalar is accepted
    CHECK(no_owner.tests[1].facts.at("tool.business_owners") == Value::strings({"a@x.example"}));
    // Default evidence: every name the condition reads, in order of first appearance.
    CHECK(no_owner.evidence.empty());
    CHECK(no_owner.evidence_names ==
          std::vector<std::string>{"tool.business_owners", "tool.technical_owners", "tool.in_catalog"});

    const Rule& pair = r.rules[2];
    CHECK(pair.maturity == "experimental");
    CHECK(pair.params[1].default_value == Value::strings({"crm", "email"}));
    CHECK(pair.evidence_names == std::vector<std::string>{"pair.shared_users", "params.min_shared",
                                                          "pair.capabilities", "params.capabilities"});
}

TEST_CASE("the good rules' own tests pass", "[unit][rule]") {
    const auto r = load("good");
    REQUIRE(r.errors.empty());
    const auto outcomes = run_rule_tests(r.rules, test::catalog(), test::as_of());
    REQUIRE(outcomes.size() == 8);
    for (const auto& o : outcomes) {
        INFO(o.rule_id << " / " << o.case_name << ": " << o.detail);
        CHECK(o.passed);
    }
}

TEST_CASE("unknown keys are errors with file:line and a did-you-mean", "[unit][rule]") {
    const auto r = load("bad/unknown-key.yaml");
    CHECK(r.rules.empty());
    const auto& e = find_error(r, "unknown key 'serverity'");
    CHECK(e.code == ErrorCode::rule_invalid);
    CHECK(e.where.file.ends_with("unknown-key.yaml"));
    CHECK(e.where.line == 7);
    CHECK(e.where.column == 1);
    CHECK(e.hint == "did you mean 'severity'?");
    CHECK_THAT(e.to_string(), Catch::Contains("unknown-key.yaml:7:1"));
    // The missing key and the typo inside a test case are reported too, not just the first.
    CHECK(find_error(r, "missing required key 'severity'").where.line == 1);
    const auto& nested = find_error(r, "unknown key 'mesage' in a test case");
    CHECK(nested.where.line == 13);
    CHECK(nested.where.column == 63);
    CHECK(nested.hint == "did you mean 'message'?");
}

TEST_CASE("missing required keys", "[unit][rule]") {
    const auto r = load("bad/missing-key.yaml");
    CHECK(r.rules.empty());
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == "missing required key 'remediation'");
    CHECK(r.errors[0].where.line == 1);
}

TEST_CASE("the id must equal the file name", "[unit][rule]") {
    const auto r = load("bad/id-mismatch.yaml");
    CHECK(r.rules.empty());
    const auto& e = find_error(r, "does not match the file name");
    CHECK(e.where.line == 1);
    CHECK(e.where.column == 5);
    CHECK_THAT(e.hint, Catch::Contains("rename the file to another-rule.yaml"));
}

TEST_CASE("bad enumerations: category, subject, severity, maturity, requires", "[unit][rule]") {
    const auto r = load("bad/bad-values.yaml");
    CHECK(r.rules.empty());
    CHECK(find_error(r, "'category' must be one of use, ownership").hint == "did you mean 'use'?");
    CHECK(find_error(r, "'category' must be one of").where.line == 5);
    CHECK(find_error(r, "unknown subject 'tools'").hint == "did you mean 'tool'?");
    const auto& sev = find_error(r, "unknown severity 'urgent'");
    CHECK(sev.where.line == 7);
    CHECK_THAT(sev.hint, Catch::Contains("info, low, medium, high, critical"));
    CHECK(find_error(r, "'maturity' must be one of stable, experimental").where.line == 8);
    const auto& req = find_error(r, "unknown input kind 'okta'");
    CHECK(req.where.line == 9);
    CHECK(req.where.column == 19);
    CHECK_THAT(req.hint, Catch::Contains("okta_log"));
}

TEST_CASE("expression errors carry the line inside the YAML file and the column", "[unit][rule]") {
    const auto r = load("bad/bad-expr.yaml");
    CHECK(r.rules.empty());
    // A typo on the second line of a folded block scalar.
    const auto& fact = find_error(r, "unknown fact 'seat.days_since_activty'");
    CHECK(fact.code == ErrorCode::unknown_fact);
    CHECK(fact.where.line == 12);
    CHECK(fact.where.column == 14);
    CHECK(fact.hint == "did you mean seat.days_since_activity?");
    // Inside a {{ }} part of a double-quoted message.
    const auto& param = find_error(r, "unknown parameter 'params.grace'");
    CHECK(param.where.line == 13);
    CHECK(param.where.column == 80);
    // Strict keys inside a parameter's long form.
    const auto& key = find_error(r, "unknown key 'descripton' in parameter 'idle_days'");
    CHECK(key.where.line == 9);
    CHECK(key.where.column == 28);
    CHECK(key.hint == "did you mean 'description'?");
    // money must be a number.
    CHECK(find_error(r, "money must be a number expression, got string").where.line == 14);
}

TEST_CASE("test cases: facts typed by the catalog, params by their defaults", "[unit][rule]") {
    const auto r = load("bad/bad-tests.yaml");
    CHECK(r.rules.empty());
    const auto& fact = find_error(r, "unknown fact 'seat.days_since_activty' for a seat rule");
    CHECK(fact.where.line == 16);
    CHECK(fact.where.column == 13);
    CHECK(fact.hint == "did you mean 'seat.days_since_activity'?");
    CHECK(find_error(r, "fact 'seat.days_since_activity': expected an int, got 'ninety'").where.column == 39);
    CHECK_THAT(find_error(r, "fact 'seat.last_activity'").message, Catch::Contains("expected a date"));
    CHECK(find_error(r, "fact 'seat.usage_tracked': expected true or false").where.column == 103);
    const auto& unknown_param = find_error(r, "the rule declares no parameter 'idle_day'");
    CHECK(unknown_param.where.line == 20);
    CHECK(unknown_param.hint == "did you mean 'idle_days'?");
    CHECK(find_error(r, "parameter 'idle_days': expected an int").where.column == 38);
    CHECK(find_error(r, "'expect' must be one of fire, no-fire, got 'fires'").hint == "did you mean 'fire'?");
    CHECK(find_error(r, "at least one case that does not fire").where.line == 13);
}

TEST_CASE("YAML syntax errors and non-mapping files", "[unit][rule]") {
    const auto bad = load("bad/bad-yaml.yaml");
    REQUIRE(bad.errors.size() == 1);
    CHECK_THAT(bad.errors[0].message, Catch::StartsWith("not valid YAML"));
    CHECK(bad.errors[0].where.line >= 2);
    const auto list = load("bad/not-a-map.yaml");
    REQUIRE(list.errors.size() == 1);
    CHECK(list.errors[0].message == "a rule file must be a mapping of keys");
}

TEST_CASE("a whole directory: every error of every file, good rules still load", "[unit][rule]") {
    const auto r = load_rules({test::data_dir() / "bad", test::data_dir() / "good"}, test::catalog());
    CHECK(r.rules.size() == 3);
    std::set<std::string> files;
    for (const auto& e : r.errors) files.insert(std::filesystem::path(e.where.file).filename().string());
    CHECK(files == std::set<std::string>{"bad-expr.yaml", "bad-tests.yaml", "bad-values.yaml", "bad-yaml.yaml",
                                         "id-mismatch.yaml", "missing-key.yaml", "not-a-map.yaml",
                                         "unknown-key.yaml"});
}

TEST_CASE("missing paths and duplicate files", "[unit][rule]") {
    const auto missing = load_rules({test::data_dir() / "nope"}, test::catalog());
    REQUIRE(missing.errors.size() == 1);
    CHECK(missing.errors[0].code == ErrorCode::not_found);
    // The same file named twice (directly and through its directory) loads once.
    const auto twice =
        load_rules({test::data_dir() / "good", test::data_dir() / "good" / "idle-seat.yaml"}, test::catalog());
    CHECK(twice.errors.empty());
    CHECK(twice.rules.size() == 3);
}
