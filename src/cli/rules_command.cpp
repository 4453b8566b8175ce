// `stackaudit rules list|validate|explain|test|facts`: inspect and check rule packs.
#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "config.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/rules/rules.hpp"

namespace stackaudit::cli {

namespace {

namespace fs = std::filesystem;

struct RulesOptions {
    std::vector<std::string> paths;  // empty: the built-in pack
    std::string rule_id;
    std::string as_of = "2026-11-01";
};

std::vector<fs::path> rule_paths(const RulesOptions& o) {
    std::vector<fs::path> out(o.paths.begin(), o.paths.end());
    if (out.empty()) out.push_back(builtin_rules_dir());
    return out;
}

// Loads the rules; prints every problem. Returns nullopt when any rule failed to load.
std::optional<rules::LoadResult> load(const RulesOptions& o) {
    auto loaded = rules::load_rules(rule_paths(o), graph::fact_catalog());
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    if (!loaded.errors.empty()) {
        std::cerr << loaded.errors.size() << " problem(s) found.\n";
        return std::nullopt;
    }
    return loaded;
}

int run_list(const RulesOptions& o) {
    auto loaded = load(o);
    if (!loaded) return k_exit_bad_input;
    std::cout << std::left << std::setw(34) << "ID" << std::setw(10) << "SEVERITY" << std::setw(13) << "SUBJECT"
              << std::setw(11) << "CATEGORY" << "TITLE\n";
    for (const auto& r : loaded->rules) {
        std::cout << std::left << std::setw(34) << r.id << std::setw(10) << to_string(r.severity) << std::setw(13)
                  << r.subject << std::setw(11) << r.category << r.title
                  << (r.maturity == "stable" ? "" : " [" + r.maturity + "]") << "\n";
    }
    return k_exit_ok;
}

int run_validate(const RulesOptions& o) {
    auto loaded = load(o);
    if (!loaded) return k_exit_bad_input;
    std::size_t cases = 0;
    for (const auto& r : loaded->rules) cases += r.tests.size();
    std::cout << loaded->rules.size() << " rules valid (" << cases << " test cases declared).\n";
    return k_exit_ok;
}

int run_explain(const RulesOptions& o) {
    auto loaded = load(o);
    if (!loaded) return k_exit_bad_input;
    std::vector<std::string> ids;
    for (const auto& r : loaded->rules) {
        if (r.id == o.rule_id) {
            std::cout << rules::explain(r, graph::fact_catalog());
            return k_exit_ok;
        }
        ids.push_back(r.id);
    }
    std::cerr << "error: no rule \"" << o.rule_id << "\"";
    if (auto guess = did_you_mean(o.rule_id, ids); !guess.empty()) std::cerr << "; did you mean \"" << guess << "\"?";
    std::cerr << "\n  hint: `stackaudit rules list` shows every rule\n";
    return k_exit_bad_input;
}

int run_test(const RulesOptions& o) {
    auto loaded = load(o);
    if (!loaded) return k_exit_bad_input;
    auto as_of = parse_date(o.as_of);
    if (!as_of || !*as_of) {
        std::cerr << "error: --as-of \"" << o.as_of << "\" is not a date (YYYY-MM-DD)\n";
        return k_exit_bad_input;
    }
    const auto outcomes = rules::run_rule_tests(loaded->rules, graph::fact_catalog(), **as_of);
    std::size_t passed = 0, failed = 0;
    for (const auto& t : outcomes) {
        if (t.passed) {
            ++passed;
            continue;
        }
        ++failed;
        std::cout << "FAIL " << t.rule_id << " (line " << t.line << "): " << t.case_name << "\n     " << t.detail << "\n";
    }
    std::cout << "rule tests: " << passed << " passed, " << failed << " failed across " << loaded->rules.size()
              << " rules\n";
    return failed == 0 ? k_exit_ok : k_exit_findings;
}

int run_facts() {
    std::cout << graph::facts_markdown(graph::fact_catalog());
    return k_exit_ok;
}

}  // namespace

void setup_rules(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<RulesOptions>();
    auto* rules = app.add_subcommand("rules", "List, validate, explain and test rules");
    rules->require_subcommand(1);
    rules->footer("Examples:\n"
                  "  stackaudit rules list\n"
                  "  stackaudit rules explain idle-seat\n"
                  "  stackaudit rules validate my-rules/            # check your own rule files\n"
                  "  stackaudit rules test rules/ my-rules/         # run the tests: cases inside each rule\n"
                  "  stackaudit rules facts                         # every fact a condition can use");
    auto add_paths = [&](CLI::App* sub) {
        sub->add_option("paths", opts->paths, "Rule directories or files (default: the built-in pack)");
    };
    auto* list = rules->add_subcommand("list", "One line per rule: id, severity, subject, category, title");
    add_paths(list);
    list->callback([opts, &exit_code] { exit_code = run_list(*opts); });
    auto* validate = rules->add_subcommand("validate", "Check rule files: schema, facts, expression types");
    add_paths(validate);
    validate->callback([opts, &exit_code] { exit_code = run_validate(*opts); });
    auto* explain = rules->add_subcommand("explain", "What a rule checks, its parameters and the facts it reads");
    explain->add_option("rule", opts->rule_id, "Rule id")->required();
    explain->add_option("paths", opts->paths, "Rule directories or files (default: the built-in pack)");
    explain->callback([opts, &exit_code] { exit_code = run_explain(*opts); });
    auto* test = rules->add_subcommand("test", "Run the must-fire / must-not-fire cases shipped in each rule");
    add_paths(test);
    test->add_option("--as-of", opts->as_of, "The date test cases are evaluated at")->capture_default_str();
    test->callback([opts, &exit_code] { exit_code = run_test(*opts); });
    auto* facts = rules->add_subcommand("facts", "Print the documented facts conditions can use (Markdown)");
    facts->callback([&exit_code] { exit_code = run_facts(); });
}

}  // namespace stackaudit::cli
