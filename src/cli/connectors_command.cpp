// `stackaudit connectors list|describe`: what each input kind reads and how to map its columns.
#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "config.hpp"
#include "pull.hpp"
#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::cli {

namespace {

int run_list() {
    for (const auto& spec : connectors::registry()) {
        const auto end = spec.description.find(". ");
        const std::string first_sentence = end == std::string::npos ? spec.description : spec.description.substr(0, end + 1);
        std::cout << std::left << std::setw(18) << spec.kind << first_sentence << "\n";
    }
    return k_exit_ok;
}

int run_describe(const std::string& kind) {
    const auto* spec = connectors::find(kind);
    if (spec == nullptr) {
        std::vector<std::string> kinds;
        for (const auto& s : connectors::registry()) kinds.push_back(s.kind);
        std::cerr << "error: no connector \"" << kind << "\"";
        if (auto guess = did_you_mean(kind, kinds); !guess.empty()) std::cerr << "; did you mean \"" << guess << "\"?";
        std::cerr << "\n  hint: known connectors: " << join(kinds, ", ") << "\n";
        return k_exit_bad_input;
    }
    std::cout << spec->kind << "\n\n" << spec->description << "\n";
    if (!spec->columns.empty()) {
        std::cout << "\nColumns (map your file's headers with  columns: {key: \"Header\"}):\n";
        for (const auto& c : spec->columns) {
            std::cout << "  " << std::left << std::setw(22) << c.key << std::setw(24) << ("\"" + c.default_header + "\"")
                      << (c.required ? "required  " : "optional  ") << c.description << "\n";
        }
    }
    if (!spec->options.empty()) {
        std::cout << "\nOptions:\n";
        for (const auto& opt : spec->options) std::cout << "  " << opt << "\n";
    }
    if (spec->needs_tool) std::cout << "\nEach source of this kind names its catalog tool with  tool: <name>.\n";
    if (!spec->default_tool.empty())
        std::cout << "\nSeats belong to the catalog tool \"" << spec->default_tool << "\" unless the input says  tool: <name>.\n";
    if (spec->api) {
        const auto& api = *spec->api;
        std::cout << "\nLive API (api: section; `stackaudit pull` fetches it):\n  base URL: " << api.default_base_url << "\n";
        for (const auto& c : api.credentials) std::cout << "  credential " << c.name << ": " << c.description << "\n";
        if (!api.permissions.empty()) std::cout << "  permissions: " << api.permissions << "\n";
        for (const auto& e : api.endpoints)
            std::cout << "  endpoint " << e.name << ": GET " << e.path << (e.optional ? " (optional)" : "") << "\n";
    }
    return k_exit_ok;
}

int run_check(const std::string& config_path, const std::vector<std::string>& only) {
    auto config = load_config(config_path);
    if (!config) {
        std::cerr << config.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    std::size_t checked = 0, failed = 0;
    for (const auto& source : config->sources) {
        if (!source.api) continue;
        if (!only.empty() && std::find(only.begin(), only.end(), source.name) == only.end()) continue;
        ++checked;
        auto result = check_source(source);
        if (result) {
            std::cout << "ok    " << source.name << ": " << *result << "\n";
        } else {
            ++failed;
            std::cout << "FAIL  " << source.name << ": " << result.error().to_string() << "\n";
        }
    }
    if (checked == 0) {
        std::cerr << "error: no input with an api: section to check in " << config_path << "\n";
        return k_exit_bad_input;
    }
    return failed == 0 ? k_exit_ok : k_exit_partial;
}

}  // namespace

void setup_connectors(CLI::App& app, int& exit_code) {
    auto* con = app.add_subcommand("connectors", "What each input kind reads and which columns it expects");
    con->require_subcommand(1);
    auto* list = con->add_subcommand("list", "List the input kinds");
    list->callback([&exit_code] { exit_code = run_list(); });
    auto kind = std::make_shared<std::string>();
    auto* describe = con->add_subcommand("describe", "Columns, defaults and options of one input kind");
    describe->add_option("kind", *kind, "Input kind, e.g. seats")->required();
    describe->callback([kind, &exit_code] { exit_code = run_describe(*kind); });
    auto config = std::make_shared<std::string>("stackaudit.yaml");
    auto only = std::make_shared<std::vector<std::string>>();
    auto* check = con->add_subcommand("check", "Try each live source's credentials: fetch one page, store nothing");
    check->add_option("-c,--config", *config, "The stackaudit.yaml to use")->capture_default_str();
    check->add_option("--source", *only, "Check only this source (repeatable)");
    check->callback([config, only, &exit_code] { exit_code = run_check(*config, *only); });
}

}  // namespace stackaudit::cli
