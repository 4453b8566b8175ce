// stackaudit's entry point: wires the subcommands and turns a fatal error into an exit code.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "stackaudit/core/error.hpp"

int main(int argc, char** argv) {
    using namespace stackaudit::cli;
    CLI::App app{"stackaudit " STACKAUDIT_VERSION
                 ": audits how a company's marketing and IT software is used and owned.\n"
                 "Reads seat, licence and usage exports, maps who owns and uses each tool, and flags idle\n"
                 "paid seats, overlapping tools, shadow IT and unclear ownership.",
                 "stackaudit"};
    app.require_subcommand(1);
    app.set_version_flag("--version", STACKAUDIT_VERSION);
    app.footer("Start here:\n"
               "  stackaudit sample --out demo             # write a sample company with planted problems\n"
               "  stackaudit audit --config demo/stackaudit.yaml\n"
               "Docs: README.md, docs/config.md, docs/inputs.md, docs/rules.md, docs/cli.md");
    int exit_code = k_exit_ok;
    setup_audit(app, exit_code);
    setup_rules(app, exit_code);
    setup_sample(app, exit_code);
    setup_connectors(app, exit_code);
    setup_pull(app, exit_code);
    setup_findings(app, exit_code);
    setup_history(app, exit_code);
    setup_scorecard(app, exit_code);
    setup_graph(app, exit_code);
    setup_queries(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? k_exit_ok : k_exit_bad_input;
    } catch (const stackaudit::FatalError& e) {
        std::cerr << e.error.to_string() << "\n";
        return e.exit_code;
    } catch (const std::exception& e) {
        std::cerr << "stackaudit: internal error: " << e.what()
                  << "\n  hint: this is a bug; please report it with the command you ran\n";
        return k_exit_internal;
    }
    return exit_code;
}
