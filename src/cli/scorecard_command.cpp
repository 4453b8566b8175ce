// `stackaudit scorecard`: the alignment scorecard of the latest recorded run, read from the run
// history, with each department's score over the recorded runs (docs/scorecard.md).
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "commands.hpp"
#include "config.hpp"
#include "stackaudit/report/scorecard.hpp"
#include "stackaudit/store/store.hpp"

namespace stackaudit::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_trend_runs = 10;

struct ScorecardOptions {
    std::string config = "stackaudit.yaml";
    std::string format = "table";
    std::string db;  // --db: overrides the configured history database
};

int run_scorecard(const ScorecardOptions& o) {
    auto config = load_config(o.config);
    if (!config) {
        std::cerr << config.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    const fs::path db = !o.db.empty() ? fs::path(o.db) : history_path(*config);
    // A query must not create an empty database where the user expected one.
    if (std::error_code ec; !fs::exists(db, ec)) {
        std::cerr << Error{ErrorCode::not_found, "no run history at " + db.string(), Location{"history", db.string()},
                           "run `stackaudit audit --config " + o.config +
                               "` first (it records each run and its scorecard), or point --db at the history database"}
                         .to_string()
                  << "\n";
        return k_exit_bad_input;
    }
    auto store = store::Store::open(db);
    if (!store) {
        std::cerr << store.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    auto history = store->score_history(k_trend_runs);
    if (!history) {
        std::cerr << history.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    const auto latest = std::find_if(history->rbegin(), history->rend(), [](const auto& run) { return !run.second.empty(); });
    if (latest == history->rend()) {
        std::cerr << Error{ErrorCode::not_found, "no recorded run in " + db.string() + " has a scorecard",
                           Location{"history", db.string()},
                           "run `stackaudit audit --config " + o.config + "` to record one"}
                         .to_string()
                  << "\n";
        return k_exit_bad_input;
    }

    report::Scorecard card;
    bool have_company = false;
    for (const auto& record : latest->second) {
        auto score = report::parse_department_breakdown(record.breakdown_json);
        if (!score) {
            Error e = score.error();
            e.where.source = "history";
            e.where.file = db.string();
            e.message += " (run " + std::to_string(latest->first.id) + ", department \"" + record.department + "\")";
            std::cerr << e.to_string() << "\n";
            return k_exit_bad_input;
        }
        if (record.department.empty()) {
            card.company = std::move(*score);
            card.company.department = "Company";
            have_company = true;
        } else {
            score->department = record.department;
            card.departments.push_back(std::move(*score));
        }
    }
    if (!have_company) card.company = report::compute_scorecard({}).company;
    std::stable_sort(card.departments.begin(), card.departments.end(), [](const auto& a, const auto& b) {
        if (a.score != b.score) return a.score < b.score;
        return a.department < b.department;
    });

    // One trend per department, over the runs up to and including the one shown.
    std::map<std::string, report::ScoreTrend> trends;
    const auto shown_end = latest.base();
    for (auto run = history->begin(); run != shown_end; ++run) {
        for (const auto& record : run->second) {
            auto& trend = trends[record.department];
            trend.department = record.department;
            trend.points.emplace_back(run->first.as_of, record.score);
        }
    }
    std::vector<report::ScoreTrend> trend_list;
    for (auto& [name, trend] : trends) trend_list.push_back(std::move(trend));

    if (o.format == "json") {
        std::cout << report::scorecard_json(card, trend_list);
    } else {
        std::cout << "Run " << latest->first.id << ", as of " << latest->first.as_of
                  << (latest->first.partial ? " (partial data: some sources failed or were stale)" : "") << "\n\n";
        std::cout << report::scorecard_text(card, trend_list);
    }
    return k_exit_ok;
}

}  // namespace

void setup_scorecard(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<ScorecardOptions>();
    auto* sub = app.add_subcommand("scorecard",
                                   "Alignment scorecard (0-100 per department) of the latest recorded run, with trends");
    sub->add_option("-c,--config", opts->config, "The stackaudit.yaml to use (docs/config.md)")->capture_default_str();
    sub->add_option("--format", opts->format, "Output format: table or json")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    sub->add_option("--db", opts->db, "The history database, when not the config's (history: db:, default <output dir>/stackaudit.db)");
    sub->footer("Examples:\n"
                "  stackaudit scorecard --config stackaudit.yaml\n"
                "  stackaudit scorecard --config stackaudit.yaml --db /var/lib/stackaudit/out/stackaudit.db --format json\n"
                "How the score is computed: docs/scorecard.md");
    sub->callback([opts, &exit_code] { exit_code = run_scorecard(*opts); });
}

}  // namespace stackaudit::cli
