// Fuzz target `yaml`: the three strict YAML loaders, on a fuzzed file in the scratch folder.
// Byte 0 picks:
//   0 a rule file (load_rules against the real fact catalog, then what `rules test` and
//     `rules explain` do with the rules that loaded); named after its `id:` so that check passes
//   1 a waivers file (load_waivers, then apply_waivers to findings of the built-in rule ids)
//   2 stackaudit.yaml (load_config; the sample company's input files exist, empty, beside it)
// Every problem must come back as an Error; a crash or an exception escaping is a bug.
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/config.hpp"
#include "fuzz_support.hpp"
#include "stackaudit/core/finding.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/rules/rules.hpp"
#include "stackaudit/rules/waivers.hpp"

namespace {

using namespace stackaudit;

constexpr auto k_as_of = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1};

const std::vector<std::string> k_rule_ids{"capability-overlap", "departed-seat", "idle-seat", "no-owner",
                                          "over-contract", "shadow-it"};

// The value of the first top-level `id:` line, reduced to characters a file name may hold.
std::string rule_file_name(std::string_view text) {
    std::size_t at = text.starts_with("id:") ? 0 : text.find("\nid:");
    if (at == std::string_view::npos) return "rule.yaml";
    at = text.find(':', at) + 1;
    std::string name;
    for (; at < text.size() && text[at] != '\n' && name.size() < 64; ++at) {
        const char c = text[at];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') name += c;
    }
    return (name.empty() ? std::string("rule") : name) + ".yaml";
}

void rule_file(std::string_view text) {
    const auto& scratch = fuzz::Scratch::get();
    scratch.clear();
    const auto file = scratch.write(rule_file_name(text), text);
    const FactCatalog& catalog = graph::fact_catalog();
    const auto loaded = rules::load_rules({file}, catalog);
    for (const auto& error : loaded.errors) fuzz::touch(error);
    for (const auto& outcome : rules::run_rule_tests(loaded.rules, catalog, k_as_of)) (void)outcome.detail.size();
    for (const auto& rule : loaded.rules) (void)rules::explain(rule, catalog);
}

void waivers_file(std::string_view text) {
    const auto& scratch = fuzz::Scratch::get();
    scratch.clear();
    const auto file = scratch.write("waivers.yaml", text);
    const auto loaded = rules::load_waivers(file, k_rule_ids);
    for (const auto& error : loaded.errors) fuzz::touch(error);
    std::vector<Finding> findings;
    for (const auto& id : k_rule_ids) {
        for (const char* key : {"seat:salesforce:jane@northwind.example", "pair:looker|tableau", "tool:zoom"}) {
            Finding f;
            f.rule_id = id;
            f.subject_key = key;
            f.id = stable_finding_id(id, key);
            findings.push_back(std::move(f));
        }
    }
    const auto outcome = rules::apply_waivers(findings, loaded.waivers, k_as_of);
    for (const auto& error : outcome.expired) fuzz::touch(error);
    for (const auto& error : outcome.unused) fuzz::touch(error);
}

void config_file(std::string_view text) {
    const auto& scratch = fuzz::Scratch::get();
    scratch.clear();
    for (const char* input : {"directory.csv", "catalog.csv", "integrations.csv", "okta_system_log.jsonl",
                              "seats/salesforce_users.csv", "seats/slack_members.csv", "waivers.yaml"}) {
        scratch.write(input, "");
    }
    const auto file = scratch.write("stackaudit.yaml", text);
    const auto loaded = cli::load_config(file);
    if (!loaded) fuzz::touch(loaded.error());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [choice, rest] = fuzz::select(fuzz::as_text(data, size), 3);
    switch (choice) {
        case 0: rule_file(rest); break;
        case 1: waivers_file(rest); break;
        default: config_file(rest); break;
    }
    return 0;
}
