// evaluate(), run_rule_tests() and explain(): findings, overrides, skipped rules, errors.
#include <chrono>
#include <fstream>
#include <memory>

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace stackaudit;
using namespace stackaudit::rules;

namespace {

// Subjects built from facts; the owned frames stay alive as long as the set.
struct Subjects {
    std::vector<std::unique_ptr<OwnedSubject>> owned;
    std::vector<Subject> list;

    void add(const std::string& kind, const std::string& key, const std::map<std::string, Value>& facts,
             std::vector<std::string> owners = {}, std::string tool = "", std::string department = "") {
        auto s = make_subject(test::catalog(), kind, facts);
        REQUIRE(s.has_value());
        Subject subject = (*s)->subject;
        subject.key = key;
        subject.owners = std::move(owners);
        subject.tool = std::move(tool);
        subject.department = std::move(department);
        list.push_back(std::move(subject));
        owned.push_back(std::move(*s));
    }
};

std::vector<Rule> good_rules() {
    auto r = load_rules({test::data_dir() / "good"}, test::catalog());
    REQUIRE(r.errors.empty());
    return r.rules;
}

std::map<std::string, Value> seat_facts(int days_idle, const std::string& email) {
    return {{"seat.usage_tracked", Value(true)},
            {"person.departed", Value(false)},
            {"seat.days_since_activity", Value(days_idle)},
            {"seat.last_activity", Value(test::as_of() - std::chrono::days{days_idle})},
            {"seat.email", Value(email)},
            {"person.name", Value("Person " + email)},
            {"tool.name", Value("Salesforce")},
            {"tool.cost_per_seat", Value(1500.0)}};
}

Subjects sample() {
    Subjects s;
    s.add("seat", "seat:salesforce:idle@x.example", seat_facts(120, "idle@x.example"), {"owner@x.example"},
          "Salesforce", "Sales");
    s.add("seat", "seat:salesforce:busy@x.example", seat_facts(3, "busy@x.example"), {"owner@x.example"},
          "Salesforce", "Sales");
    s.add("seat", "seat:salesforce:lazy@x.example", seat_facts(90, "lazy@x.example"), {"owner@x.example"},
          "Salesforce", "Marketing");
    s.add("tool", "tool:canva", {{"tool.name", Value("Canva")}, {"tool.in_catalog", Value(true)}}, {}, "Canva",
          "Marketing");
    s.add("tool", "tool:hubspot",
          {{"tool.name", Value("HubSpot")}, {"tool.in_catalog", Value(true)},
           {"tool.business_owners", Value::strings({"b@x.example"})}},
          {"b@x.example"}, "HubSpot", "Marketing");
    s.add("tool_pair", "pair:hubspot|salesforce",
          {{"pair.shared_users", Value(5)},
           {"pair.capabilities", Value::strings({"crm"})},
           {"pair.overlap_cost", Value(2500.0)},
           {"a.name", Value("HubSpot")},
           {"b.name", Value("Salesforce")},
           {"a.business_owners", Value::strings({"m@x.example"})},
           {"b.business_owners", Value::strings({"s@x.example"})}},
          {"fallback@x.example"}, "HubSpot + Salesforce", "Marketing");
    return s;
}

EvalOptions options() {
    EvalOptions o;
    o.as_of = test::as_of();
    return o;
}

const RuleRun& run_of(const EvalResult& r, const std::string& id) {
    for (const auto& run : r.runs)
        if (run.rule_id == id) return run;
    FAIL("no run for " << id);
    throw std::logic_error("unreachable");
}

std::filesystem::path temp_rules_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("stackaudit-rules-test-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

// A seat rule whose condition parses the email as a date: it fires on dates in the past and
// fails (an evaluation error) on real emails. `more_tests` are extra YAML test lines.
std::string parse_email_rule(const std::string& message, const std::string& more_tests = "") {
    return R"(id: parse-email
title: t
description: d
rationale: r
category: use
subject: seat
severity: low
condition: date(seat.email) < as_of
message: )" + message + R"(
remediation: x
tests:
  - {name: a, expect: fire, facts: {seat.email: "2020-01-01"}}
  - {name: b, expect: no-fire, facts: {seat.email: "2030-01-01"}}
)" + more_tests;
}

}  // namespace

TEST_CASE("findings carry everything the spec lists", "[unit][rule]") {
    const auto rules = good_rules();
    const auto subjects = sample();
    const auto r = evaluate(rules, test::catalog(), subjects.list, options());
    for (const auto& e : r.errors) INFO(e.to_string());
    REQUIRE(r.errors.empty());

    REQUIRE(r.runs.size() == 3);
    CHECK(r.runs[0].rule_id == "idle-seat");
    CHECK(run_of(r, "idle-seat").subjects == 3);
    CHECK(run_of(r, "idle-seat").fired == 2);
    CHECK(run_of(r, "no-owner").fired == 1);
    CHECK_FALSE(run_of(r, "pair-overlap").evaluated);  // experimental, not enabled
    CHECK_THAT(run_of(r, "pair-overlap").not_evaluated_because, Catch::Contains("experimental"));

    REQUIRE(r.findings.size() == 3);
    // Sorted: severity descending (no-owner is high), then rule id, then subject key.
    CHECK(r.findings[0].rule_id == "no-owner");
    CHECK(r.findings[1].subject_key == "seat:salesforce:idle@x.example");
    CHECK(r.findings[2].subject_key == "seat:salesforce:lazy@x.example");

    const Finding& f = r.findings[1];
    CHECK(f.id == stable_finding_id("idle-seat", "seat:salesforce:idle@x.example"));
    CHECK(f.rule_title == "Paid seat nobody uses");
    CHECK(f.category == "use");
    CHECK(f.severity == Severity::medium);
    CHECK(f.subject_kind == "seat");
    CHECK(f.tool == "Salesforce");
    CHECK(f.department == "Sales");
    CHECK(f.owners == std::vector<std::string>{"owner@x.example"});
    CHECK(f.message == "Person idle@x.example (idle@x.example) has not used Salesforce for 120 days");
    REQUIRE(f.evidence.size() == 3);
    CHECK(f.evidence[0] == std::pair<std::string, std::string>{"seat.last_activity", "2026-07-04"});
    CHECK(f.evidence[1] == std::pair<std::string, std::string>{"seat.days_since_activity", "120"});
    CHECK(f.evidence[2] == std::pair<std::string, std::string>{"tool.cost_per_seat", "1500"});
    REQUIRE(f.money_at_stake.has_value());
    CHECK(*f.money_at_stake == Approx(1500.0));
    CHECK(f.remediation == "Reclaim the seat or confirm with the holder's manager that it is still needed.");

    // Default evidence: the facts the condition names; money null -> no money at stake.
    const Finding& owner = r.findings[0];
    CHECK(owner.message == "Canva has no owner; it costs 0 a year");
    CHECK_FALSE(owner.money_at_stake.has_value());
    REQUIRE(owner.evidence.size() == 3);
    CHECK(owner.evidence[0] == std::pair<std::string, std::string>{"tool.business_owners", ""});
    CHECK(owner.evidence[2] == std::pair<std::string, std::string>{"tool.in_catalog", "true"});
}

TEST_CASE("finding ids are stable across runs", "[unit][rule]") {
    const auto rules = good_rules();
    const auto subjects = sample();
    const auto a = evaluate(rules, test::catalog(), subjects.list, options());
    const auto b = evaluate(rules, test::catalog(), subjects.list, options());
    REQUIRE(a.findings.size() == b.findings.size());
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
        CHECK(a.findings[i].id == b.findings[i].id);
        CHECK(a.findings[i].id.starts_with("SA-"));
        CHECK(a.findings[i].id.size() == 15);
    }
    CHECK(a.findings[0].id != a.findings[1].id);
}

TEST_CASE("enabled, disabled and severity overrides", "[unit][rule]") {
    const auto rules = good_rules();
    const auto subjects = sample();
    auto o = options();
    o.enabled = {"pair-overlap"};
    o.disabled = {"no-owner"};
    o.severity_overrides = {{"idle-seat", Severity::critical}};
    const auto r = evaluate(rules, test::catalog(), subjects.list, o);
    REQUIRE(r.errors.empty());
    CHECK_FALSE(run_of(r, "no-owner").evaluated);
    CHECK_THAT(run_of(r, "no-owner").not_evaluated_because, Catch::Contains("disabled"));
    CHECK(run_of(r, "idle-seat").severity == Severity::critical);
    REQUIRE(r.findings.size() == 3);
    CHECK(r.findings[0].severity == Severity::critical);
    CHECK(r.findings[2].rule_id == "pair-overlap");
    // An owners expression replaces the subject's default owners.
    CHECK(r.findings[2].owners == std::vector<std::string>{"m@x.example", "s@x.example"});
    CHECK(r.findings[2].message == "HubSpot and Salesforce share 5 users (crm)");
    CHECK(r.findings[2].money_at_stake == 2500.0);
    CHECK(r.findings[2].tool == "HubSpot + Salesforce");
}

TEST_CASE("parameter overrides: global, per rule, and per rule wins", "[unit][rule]") {
    const auto rules = good_rules();
    const auto subjects = sample();
    auto o = options();
    o.params = {{"idle_days", Value(100)}};
    auto r = evaluate(rules, test::catalog(), subjects.list, o);
    REQUIRE(r.errors.empty());
    CHECK(run_of(r, "idle-seat").fired == 1);  // 120 > 100, 90 is not

    o.params = {{"idle_days", Value(200)}, {"idle-seat.idle_days", Value(80)}};
    r = evaluate(rules, test::catalog(), subjects.list, o);
    REQUIRE(r.errors.empty());
    CHECK(run_of(r, "idle-seat").fired == 2);

    o.params = {{"capabilities", Value::strings({"email"})}};
    o.enabled = {"pair-overlap"};
    r = evaluate(rules, test::catalog(), subjects.list, o);
    REQUIRE(r.errors.empty());
    CHECK(run_of(r, "pair-overlap").fired == 0);
}

TEST_CASE("bad overrides are errors with a did-you-mean", "[unit][rule]") {
    const auto rules = good_rules();
    const auto subjects = sample();
    auto o = options();
    o.params = {{"idle_dayz", Value(1)},
                {"idle-seet.idle_days", Value(1)},
                {"idle-seat.grace", Value(1)},
                {"grace_days", Value("two weeks")},
                {"idle-seat.idle_days", Value(2.5)},
                {"capabilities", Value::List{Value(1)}}};
    o.disabled = {"no-ownr"};
    o.enabled = {"pair-overlay"};
    o.severity_overrides = {{"idle-seats", Severity::low}};
    const auto r = evaluate(rules, test::catalog(), subjects.list, o);
    auto has = [&](const std::string& message, const std::string& hint) {
        for (const auto& e : r.errors)
            if (e.message.find(message) != std::string::npos && e.hint.find(hint) != std::string::npos) return true;
        return false;
    };
    CHECK(r.errors.size() == 9);
    CHECK(has("no loaded rule declares a parameter 'idle_dayz'", "did you mean 'idle_days'?"));
    CHECK(has("names unknown rule 'idle-seet'", "did you mean 'idle-seat'?"));
    CHECK(has("rule idle-seat has no parameter 'grace'", "did you mean 'grace_days'?"));  // a unique prefix
    CHECK(has("parameter 'grace_days' of rule idle-seat expects an int (like its default 14), got a string", ""));
    CHECK(has("parameter 'idle-seat.idle_days' expects an int", ""));
    CHECK(has("parameter 'capabilities' of rule pair-overlap expects a list of strings, got an int item 1", ""));
    CHECK(has("unknown rule 'no-ownr' in rules.disable", "did you mean 'no-owner'?"));
    CHECK(has("unknown rule 'pair-overlay' in rules.enable", "did you mean 'pair-overlap'?"));
    CHECK(has("unknown rule 'idle-seats' in rules.severity", "did you mean 'idle-seat'?"));
    // Bad overrides are ignored: the defaults still apply.
    CHECK(run_of(r, "idle-seat").fired == 2);
}

TEST_CASE("number parameters accept ints", "[unit][rule]") {
    const auto dir = temp_rules_dir("number-param");
    write(dir / "low-use.yaml", R"(id: low-use
title: Low use
description: d
rationale: r
category: use
subject: tool
severity: low
params: {floor: 0.5}
condition: tool.utilisation < params.floor
message: "{{tool.name}} at {{percent(tool.utilisation)}}"
remediation: x
tests:
  - {name: low, expect: fire, facts: {tool.utilisation: 0.2}, message: "none at 20%"}
  - {name: high, expect: no-fire, facts: {tool.utilisation: 0.9}}
  - {name: int override, expect: fire, params: {floor: 1}, facts: {tool.utilisation: 0.9}}
)");
    const auto loaded = load_rules({dir}, test::catalog());
    for (const auto& e : loaded.errors) INFO(e.to_string());
    REQUIRE(loaded.errors.empty());
    for (const auto& o : run_rule_tests(loaded.rules, test::catalog(), test::as_of())) {
        INFO(o.case_name << ": " << o.detail);
        CHECK(o.passed);
    }
    Subjects s;
    s.add("tool", "tool:x", {{"tool.utilisation", Value(0.9)}});
    auto o = options();
    o.params = {{"low-use.floor", Value(1)}};
    const auto r = evaluate(loaded.rules, test::catalog(), s.list, o);
    CHECK(r.errors.empty());
    CHECK(r.findings.size() == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("rules needing an unavailable input are not evaluated and say why", "[unit][rule]") {
    const auto rules = good_rules();
    const auto subjects = sample();
    auto o = options();
    o.unavailable_inputs = {"okta_log", "seats"};
    const auto r = evaluate(rules, test::catalog(), subjects.list, o);
    const auto& run = run_of(r, "idle-seat");
    CHECK_FALSE(run.evaluated);
    CHECK(run.fired == 0);
    CHECK(run.not_evaluated_because == "input seats, okta_log are missing or failed in this run");
    CHECK(run_of(r, "no-owner").evaluated);
    for (const auto& f : r.findings) CHECK(f.rule_id != "idle-seat");
}

TEST_CASE("run-time errors are counted per subject and reported, not thrown", "[unit][rule]") {
    const auto dir = temp_rules_dir("runtime");
    write(dir / "parse-email.yaml", parse_email_rule("m", R"(  - {name: c, expect: fire, facts: {seat.email: "garbage"}}
  - {name: d, expect: no-fire, facts: {seat.email: "2020-01-01"}}
)"));
    const auto loaded = load_rules({dir}, test::catalog());
    REQUIRE(loaded.errors.empty());
    Subjects s;
    s.add("seat", "seat:a:1", {{"seat.email", Value("2020-01-01")}});
    s.add("seat", "seat:a:2", {{"seat.email", Value("not-a-date")}});
    const auto r = evaluate(loaded.rules, test::catalog(), s.list, options());
    CHECK(r.findings.size() == 1);
    CHECK(r.runs[0].errors == 1);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == ErrorCode::evaluation);
    CHECK_THAT(r.errors[0].message, Catch::Contains("seat:a:2"));
    CHECK_THAT(r.errors[0].message, Catch::Contains("not-a-date"));

    // run_rule_tests explains the failing cases.
    const auto outcomes = run_rule_tests(loaded.rules, test::catalog(), test::as_of());
    REQUIRE(outcomes.size() == 4);
    CHECK(outcomes[0].passed);
    CHECK(outcomes[1].passed);
    CHECK_FALSE(outcomes[2].passed);
    CHECK_THAT(outcomes[2].detail, Catch::Contains("evaluating the condition failed"));
    CHECK_FALSE(outcomes[3].passed);
    CHECK(outcomes[3].detail == "expected no finding, but the rule fired");
    CHECK(outcomes[3].line == 15);
    std::filesystem::remove_all(dir);
}

TEST_CASE("run_rule_tests reports wrong messages", "[unit][rule]") {
    auto rules = good_rules();
    rules[0].tests[0].expect_message = "something else";
    const auto outcomes = run_rule_tests({rules[0]}, test::catalog(), test::as_of());
    REQUIRE_FALSE(outcomes[0].passed);
    CHECK_THAT(outcomes[0].detail, Catch::Contains("message differs"));
    CHECK_THAT(outcomes[0].detail, Catch::Contains("has not used Salesforce for 120 days"));
}

TEST_CASE("explain() describes the rule, its parameters and facts", "[unit][rule]") {
    const auto rules = good_rules();
    const auto text = explain(rules[0], test::catalog());
    CHECK_THAT(text, Catch::StartsWith("idle-seat: Paid seat nobody uses"));
    CHECK_THAT(text, Catch::Contains("severity medium, category use, subject seat, stable"));
    CHECK_THAT(text, Catch::Contains("requires inputs: seats, okta_log, directory"));
    CHECK_THAT(text, Catch::Contains("idle_days = 60 (int): Days without use after which a seat counts as idle"));
    CHECK_THAT(text, Catch::Contains("grace_days = 14 (int)"));
    CHECK_THAT(text, Catch::Contains("seat.days_since_activity (int): days since the last activity; null if never"));
    CHECK_THAT(text, Catch::Contains("person.departed (bool): left the company"));
    CHECK_THAT(text, Catch::Contains("tool.cost_per_seat (number): annual cost per seat"));
    CHECK_THAT(text, Catch::Contains("Remediation:\n  Reclaim the seat"));
}

TEST_CASE("many subjects sharing frames", "[unit][rule]") {
    const auto rules = good_rules();
    // 100k seats sharing a few frames, as the graph shares tool frames between seats.
    Subjects base;
    for (int i = 0; i < 100; ++i) base.add("seat", "x", seat_facts(i * 2, "p" + std::to_string(i) + "@x.example"));
    std::vector<Subject> subjects;
    constexpr std::size_t k_count = 100'000;
    subjects.reserve(k_count);
    for (std::size_t i = 0; i < k_count; ++i) {
        Subject s = base.list[i % 100];
        s.key = "seat:salesforce:" + std::to_string(i);
        subjects.push_back(std::move(s));
    }
    const auto r = evaluate(rules, test::catalog(), subjects, options());
    // Days 0..198 step 2: idle when > 60, i.e. 69 of every 100.
    CHECK(run_of(r, "idle-seat").fired == k_count / 100 * 69);
    CHECK(r.findings.size() == k_count / 100 * 69);
}

TEST_CASE("any thread count gives the same findings, counts and first errors", "[unit][rule]") {
    // A rule that fails on some subjects and fires on others, over enough subjects to be split.
    const auto dir = temp_rules_dir("threads");
    write(dir / "parse-email.yaml", parse_email_rule("\"{{seat.email}} is in the past\""));
    auto loaded = load_rules({dir}, test::catalog());
    REQUIRE(loaded.errors.empty());
    for (const auto& rule : good_rules()) loaded.rules.push_back(rule);
    Subjects base;
    for (int i = 0; i < 100; ++i) base.add("seat", "x", seat_facts(i * 2, "p" + std::to_string(i) + "@x.example"));
    base.add("seat", "x", seat_facts(200, "2020-01-01"));
    std::vector<Subject> subjects;
    constexpr std::size_t k_count = 30'000;  // several parts of 4,096 subjects
    for (std::size_t i = 0; i < k_count; ++i) {
        // Every 997th seat has a date for an email: parse-email fires there and fails on the rest,
        // so its errors are far more than the 20 reported, spread over every part.
        Subject s = base.list[i % 997 == 0 ? 100 : i % 100];
        s.key = "seat:salesforce:" + std::to_string(100'000 + i);
        subjects.push_back(std::move(s));
    }
    auto o = options();
    o.threads = 1;
    const auto one = evaluate(loaded.rules, test::catalog(), subjects, o);
    REQUIRE(run_of(one, "parse-email").fired == (k_count + 996) / 997);
    REQUIRE(run_of(one, "parse-email").errors == k_count - (k_count + 996) / 997);
    REQUIRE(one.errors.size() == 21);  // 20 reported, then "failed on N more subjects"
    CHECK_THAT(one.errors[0].message, Catch::Contains("seat:salesforce:100001"));
    CHECK_THAT(one.errors[20].message, Catch::Contains(std::to_string(k_count - (k_count + 996) / 997 - 20) + " more"));
    for (const unsigned threads : {2u, 3u, 7u}) {
        CAPTURE(threads);
        o.threads = threads;
        const auto many = evaluate(loaded.rules, test::catalog(), subjects, o);
        REQUIRE(many.findings.size() == one.findings.size());
        for (std::size_t i = 0; i < one.findings.size(); ++i) {
            CHECK(many.findings[i].id == one.findings[i].id);
            CHECK(many.findings[i].message == one.findings[i].message);
        }
        REQUIRE(many.errors.size() == one.errors.size());
        for (std::size_t i = 0; i < one.errors.size(); ++i) CHECK(many.errors[i].message == one.errors[i].message);
        REQUIRE(many.runs.size() == one.runs.size());
        for (std::size_t i = 0; i < one.runs.size(); ++i) {
            CHECK(many.runs[i].fired == one.runs[i].fired);
            CHECK(many.runs[i].errors == one.runs[i].errors);
            CHECK(many.runs[i].subjects == one.runs[i].subjects);
        }
    }
    std::filesystem::remove_all(dir);
}
