// The subcommands. Each has an options struct, a setup_x(CLI::App&) that declares its flags
// and a run_x(options) that does the work and returns the process exit code (docs/cli.md).
#pragma once

#include <CLI/CLI.hpp>

namespace stackaudit::cli {

// Exit codes, documented in docs/cli.md. A scheduler alerts on anything but 0.
inline constexpr int k_exit_ok = 0;           // ran on complete data; nothing at or above --fail-on
inline constexpr int k_exit_findings = 1;     // findings at or above --fail-on
inline constexpr int k_exit_bad_input = 2;    // bad config, rules, arguments or input data; nothing audited
inline constexpr int k_exit_partial = 3;      // ran, but some data could not be read: findings are incomplete
inline constexpr int k_exit_new_findings = 4; // with --fail-on-new: new or reopened findings since the last run
inline constexpr int k_exit_locked = 5;       // another run holds the history lock; nothing was done
inline constexpr int k_exit_internal = 70;    // a bug in stackaudit

// Each setup function adds a subcommand whose callback stores its exit code in `exit_code`.
void setup_audit(CLI::App& app, int& exit_code);
void setup_rules(CLI::App& app, int& exit_code);
void setup_sample(CLI::App& app, int& exit_code);
void setup_connectors(CLI::App& app, int& exit_code);
void setup_pull(CLI::App& app, int& exit_code);
void setup_findings(CLI::App& app, int& exit_code);
void setup_history(CLI::App& app, int& exit_code);
void setup_scorecard(CLI::App& app, int& exit_code);
void setup_graph(CLI::App& app, int& exit_code);
// overlap, owners, impact, who, tools (query_commands.cpp)
void setup_queries(CLI::App& app, int& exit_code);

}  // namespace stackaudit::cli
