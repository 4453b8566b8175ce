// `stackaudit connectors list|describe`: what each input kind reads and how to map its columns.
#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::cli {

namespace {

int run_list() {
    for (const auto& spec : connectors::registry()) {
        const auto end = spec.description.find(". ");
        const std::string first_sentence = end == std::string::npos ? spec.description : spec.description.substr(0, end + 1);
        std::cout << std::left << std::setw(14) << spec.kind << first_sentence << "\n";
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
    return k_exit_ok;
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
}

}  // namespace stackaudit::cli
