// Opening the run history for the query subcommands (`findings`, `history`): the config names
// the database; a missing file means no audit has recorded a run yet, which is said plainly
// instead of creating an empty database.
#pragma once

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "commands.hpp"
#include "config.hpp"
#include "stackaudit/store/store.hpp"

namespace stackaudit::cli {

// The store, or nullopt after printing the error; `exit_code` then holds the code to return.
// `db_override` (--db) replaces the configured or default path (history_path()).
inline std::optional<store::Store> open_history(const std::filesystem::path& config_file,
                                                const std::filesystem::path& db_override, int& exit_code) {
    auto config = load_config(config_file);
    if (!config) {
        std::cerr << config.error().to_string() << "\n";
        exit_code = k_exit_bad_input;
        return std::nullopt;
    }
    const std::filesystem::path db = !db_override.empty() ? db_override : history_path(*config);
    std::error_code ec;
    if (!std::filesystem::exists(db, ec)) {
        const Error e{ErrorCode::not_found, "no runs recorded yet: run stackaudit audit first",
                      Location{.source = "history", .file = db.string()},
                      "`stackaudit audit --config " + config_file.string() +
                          "` records each run in this database (history: db: in the config, or --db, sets where)"};
        std::cerr << e.to_string() << "\n";
        exit_code = k_exit_bad_input;
        return std::nullopt;
    }
    auto opened = store::Store::open(db);
    if (!opened) {
        std::cerr << opened.error().to_string() << "\n";
        exit_code = k_exit_bad_input;
        return std::nullopt;
    }
    return std::move(*opened);
}

}  // namespace stackaudit::cli
