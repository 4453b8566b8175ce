// Declarative rules: YAML files (one rule each) with conditions in a small, safe expression
// language (docs/rule-language.md), checked against the fact catalog at load time and
// evaluated over subjects to produce findings.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/error.hpp"
#include "stackaudit/core/facts.hpp"
#include "stackaudit/core/finding.hpp"
#include "stackaudit/core/value.hpp"

namespace stackaudit::rules {

struct ParamDef {
    std::string name;
    Value default_value;  // its type is the parameter's type
    std::string description;
};

struct RuleTestCase {
    std::string name;
    bool expect_fire = true;
    std::map<std::string, Value> facts;   // "alias.fact" -> value; absent facts are null
    std::map<std::string, Value> params;  // overrides for this case
    std::optional<std::string> expect_message;  // if set, the rendered message must equal it
    std::size_t line = 0;
};

class CompiledExpr;  // opaque; defined in src/rules

struct Rule {
    std::string id;  // kebab-case, equals the file name without .yaml
    std::string title;
    std::string description;
    std::string rationale;
    std::string category;  // "use" | "ownership"
    std::string subject;   // subject kind name
    Severity severity = Severity::medium;
    std::string maturity = "stable";  // stable rules run by default; experimental ones only when enabled
    std::vector<std::string> requires_inputs;  // connector kinds the rule needs: directory, catalog, seats, okta_log, integrations
    std::vector<ParamDef> params;
    std::string condition;
    std::string message;
    std::string money;        // expression, may be empty
    std::string owners;       // expression giving a list of emails, may be empty
    std::vector<std::string> evidence;  // expressions; empty = every fact the condition names
    std::string remediation;
    std::vector<RuleTestCase> tests;
    std::string file;
    std::size_t line = 0;

    std::shared_ptr<const CompiledExpr> compiled_condition;
    std::shared_ptr<const CompiledExpr> compiled_money;
    std::shared_ptr<const CompiledExpr> compiled_owners;
    std::vector<std::shared_ptr<const CompiledExpr>> compiled_evidence;
    std::vector<std::string> evidence_names;
    // The message template split into literal text and compiled {{ expr }} parts.
    std::vector<std::pair<std::string, std::shared_ptr<const CompiledExpr>>> compiled_message;
};

struct LoadResult {
    std::vector<Rule> rules;    // sorted by id; only rules that loaded cleanly
    std::vector<Error> errors;  // every problem in every file, each with file:line and a hint
};

// Loads every *.yaml file in the given directories (and any files named directly), validating
// each against the rule schema (unknown keys are errors with a did-you-mean), the fact catalog
// (unknown facts are errors with a did-you-mean) and the expression type rules.
[[nodiscard]] LoadResult load_rules(const std::vector<std::filesystem::path>& paths, const FactCatalog& catalog);

struct EvalOptions {
    Date as_of{};
    // Parameter overrides: "idle_days" applies to every rule that declares it,
    // "idle-seat.idle_days" to one rule. Values must match the parameter's type.
    std::map<std::string, Value> params;
    std::set<std::string> disabled;  // rule ids switched off
    std::set<std::string> enabled;   // experimental rule ids switched on
    std::map<std::string, Severity> severity_overrides;
    // Input kinds that are missing or failed in this run; rules that require one are not
    // evaluated and say so in their RuleRun.
    std::set<std::string> unavailable_inputs;
    // Threads a rule's subjects are split over (0: every core). Findings, errors and their order
    // are the same for any count.
    unsigned threads = 1;
};

struct EvalResult {
    std::vector<Finding> findings;  // sorted with sort_findings
    std::vector<RuleRun> runs;      // one per loaded rule, in id order
    std::vector<Error> errors;      // evaluation errors (bad override types, runtime errors)
};

// Checks overrides (unknown parameter or rule id -> error with did-you-mean) and evaluates.
[[nodiscard]] EvalResult evaluate(const std::vector<Rule>& rules, const FactCatalog& catalog,
                                  const std::vector<Subject>& subjects, const EvalOptions& options);

struct TestOutcome {
    std::string rule_id;
    std::string case_name;
    std::size_t line = 0;
    bool passed = false;
    std::string detail;  // why it failed
};

// Runs every rule's `tests:` cases (facts given in the case, others null).
[[nodiscard]] std::vector<TestOutcome> run_rule_tests(const std::vector<Rule>& rules, const FactCatalog& catalog,
                                                      Date as_of);

// A human explanation of a rule: what it checks, its parameters with defaults, the facts it
// reads with their descriptions, and its remediation.
[[nodiscard]] std::string explain(const Rule& rule, const FactCatalog& catalog);

// ---- single expressions: `stackaudit rules check`, rule tests and the docs' examples ----

// Parses and type-checks one expression for a subject kind and the given parameters. Every
// problem is returned (unknown names with a did-you-mean, arity, impossible operand types),
// each with the 1-based column inside `text` (line 1).
[[nodiscard]] std::expected<std::shared_ptr<const CompiledExpr>, std::vector<Error>> compile_expression(
    std::string_view text, const FactCatalog& catalog, std::string_view subject_kind,
    const std::vector<ParamDef>& params = {});

// Evaluates a compiled expression; `params` is aligned with the ParamDefs it was compiled with.
// Errors: evaluation (e.g. a runtime type clash on values of unknown type, a regex too complex).
[[nodiscard]] Result<Value> evaluate_expression(const CompiledExpr& expr, const Subject& subject,
                                                const std::vector<Value>& params, Date as_of);

// A subject that owns its frames, built from "alias.fact" -> value (facts not given are null,
// list facts []). Used for rule tests; errors: unknown_fact with a did-you-mean, not_found.
struct OwnedSubject {
    std::vector<std::vector<Value>> frames;
    Subject subject;
};
[[nodiscard]] Result<std::unique_ptr<OwnedSubject>> make_subject(const FactCatalog& catalog, std::string_view kind,
                                                                 const std::map<std::string, Value>& facts);

}  // namespace stackaudit::rules
