// `stackaudit audit`: read the inputs, build the graph, evaluate the rules, write the findings.
#include <chrono>
#include <future>
#include <iostream>
#include <sstream>
#include <system_error>
#include <map>
#include <set>

#include "commands.hpp"
#include "config.hpp"
#include "inputs.hpp"
#include "nightly.hpp"
#include "pull.hpp"
#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/io.hpp"
#include "stackaudit/core/parallel.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/report/html.hpp"
#include "stackaudit/report/report.hpp"
#include "stackaudit/report/scorecard.hpp"
#include "stackaudit/rules/rules.hpp"
#include "stackaudit/rules/waivers.hpp"
#include "stackaudit/store/store.hpp"

namespace stackaudit::cli {

namespace {

namespace fs = std::filesystem;

struct AuditOptions {
    std::string config = "stackaudit.yaml";
    std::string out_dir;
    std::string as_of;
    std::string on_bad_row;
    std::string fail_on = "none";
    std::size_t top = 10;
    bool quiet = false;
    bool pull = false;
    bool fail_on_new = false;
    bool no_history = false;
    unsigned threads = 0;  // 0: every core
    bool timings = false;
};

void print_errors(const std::vector<Error>& errors) {
    for (const auto& e : errors) std::cerr << e.to_string() << "\n";
}

// --timings: the seconds each phase took, one "timing: <phase> <seconds> s" line each on stderr.
struct PhaseClock {
    bool on = false;
    std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
    void lap(const char* phase) {
        const auto now = std::chrono::steady_clock::now();
        if (on) std::cerr << "timing: " << phase << " " << std::chrono::duration<double>(now - last).count() << " s\n";
        last = now;
    }
};

int run_audit(const AuditOptions& o) {
    auto config = load_config(o.config);
    if (!config) {
        std::cerr << config.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    for (const auto& warning : permission_warnings(*config)) std::cerr << "warning: " << warning << "\n";

    const auto as_of_result = audit_time(*config, o.as_of);
    if (!as_of_result) {
        std::cerr << as_of_result.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    const Timestamp as_of = *as_of_result;
    BadRowPolicy policy = config->on_bad_row.value_or(BadRowPolicy::fail);
    if (!o.on_bad_row.empty()) policy = parse_bad_row_policy(o.on_bad_row).value();
    std::optional<Severity> fail_on;
    if (o.fail_on != "none") fail_on = parse_severity(o.fail_on).value();

    const fs::path out_dir = !o.out_dir.empty() ? fs::path(o.out_dir)
                             : !config->output_dir.empty() ? config->output_dir
                                                           : fs::path("out");
    // One run at a time per history: the lock is held until this function returns (or the
    // process dies, when the OS releases it).
    std::optional<store::Store> history;
    std::optional<store::RunLock> run_lock;
    const auto started_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (!o.no_history) {
        const auto db = history_path(*config, out_dir);
        auto opened = store::Store::open(db);
        if (!opened) {
            std::cerr << opened.error().to_string() << "\n";
            return k_exit_bad_input;
        }
        history.emplace(std::move(*opened));
        auto locked = history->lock();
        if (!locked) {
            std::cerr << locked.error().to_string() << "\n";
            return k_exit_locked;
        }
        run_lock.emplace(std::move(*locked));
    }

    // A broken rule stops the run before anything is audited. With more than one thread the
    // rules load while the inputs are read (the inputs' messages are held back until the rules
    // are known good); with one, or with --pull, they load first.
    const auto& catalog = graph::fact_catalog();
    auto rule_paths = config->rule_paths;
    if (rule_paths.empty()) rule_paths.push_back(builtin_rules_dir());
    const auto load_rules = [&] { return rules::load_rules(rule_paths, catalog); };
    const auto rules_broken = [](const auto& loaded) {
        if (loaded.errors.empty()) return false;
        print_errors(loaded.errors);
        std::cerr << loaded.errors.size() << " problem(s) in the rules; nothing was audited.\n"
                  << "  hint: `stackaudit rules validate` checks rule files on their own\n";
        return true;
    };
    const bool overlap = !o.pull && resolve_threads(o.threads) > 1;
    std::optional<decltype(load_rules())> loaded;
    std::future<decltype(load_rules())> loading;
    if (overlap) {
        try {
            loading = std::async(std::launch::async, load_rules);
        } catch (const std::system_error&) {
            loading = std::async(std::launch::deferred, load_rules);  // no thread to spare
        }
    } else {
        loaded = load_rules();
        if (rules_broken(*loaded)) return k_exit_bad_input;
    }

    // Live sources are read from their newest snapshot, pulled first with --pull.
    if (o.pull) (void)pull_all(*config, std::cerr, std::cerr);
    PhaseClock clock{o.timings};
    std::ostringstream held;
    auto inputs = read_inputs(*config, as_of, policy, overlap ? static_cast<std::ostream&>(held) : std::cerr, o.threads);
    clock.lap("read");
    if (overlap) {
        loaded = loading.get();
        if (rules_broken(*loaded)) return k_exit_bad_input;
    }
    std::cerr << held.str();
    if (!inputs) return k_exit_bad_input;
    auto& data = inputs->data;
    auto& rows = *inputs->rows;
    bool partial = inputs->partial;

    // A rule that needs an input which is missing or failed is not run: its silence would
    // read as "no problem" when the truth is "not looked at".
    rules::EvalOptions eval;
    eval.as_of = to_date(as_of);
    eval.params = config->params;
    eval.disabled = config->disabled;
    eval.enabled = config->enabled;
    eval.severity_overrides = config->severity;
    eval.threads = o.threads;
    // Rules name what they need by the file input kinds (seats, okta_log, ...);
    // a vendor connector that lists seats or SSO sign-ins satisfies them just as well.
    for (const auto& spec : connectors::registry()) {
        const bool any_ok = std::any_of(data.sources.begin(), data.sources.end(), [&](const SourceReport& s) {
            if (!s.ok) return false;
            if (s.kind == spec.kind) return true;
            if (spec.kind == "seats") return !s.seat_tools.empty();
            if (spec.kind == "okta_log") return s.sso_usage;
            return false;
        });
        if (!any_ok) eval.unavailable_inputs.insert(spec.kind);
    }

    const auto audit_graph = graph::AuditGraph::build(data, o.threads);
    clock.lap("graph");
    const auto subjects = graph::compute_subjects(audit_graph, data, o.threads);
    clock.lap("subjects");
    auto result = rules::evaluate(loaded->rules, catalog, subjects.subjects, eval);
    clock.lap("rules");
    for (const auto& e : result.errors) {
        if (e.code == ErrorCode::config_invalid) {
            print_errors(result.errors);
            return k_exit_bad_input;
        }
    }

    report::AuditReport rep;
    rep.company = config->company;
    rep.as_of = as_of;
    rep.window_days = config->window_days;
    rep.tool_version = STACKAUDIT_VERSION;
    rep.people = data.people.size();
    rep.tools = data.tools.size();
    rep.seats = data.seats.size();
    rep.usage_pairs = data.usage.size();
    rep.findings = std::move(result.findings);
    rep.sources = data.sources;
    rep.rule_runs = std::move(result.runs);
    rep.rule_errors = std::move(result.errors);
    rep.rejected_rows = rows.rejected_total();
    if (!rep.rule_errors.empty()) partial = true;

    // Waivers: accepted findings stay in every output, marked waived; broken or expired
    // waivers are listed as notices.
    if (!config->waivers_file.empty()) {
        std::vector<std::string> ids;
        for (const auto& r : loaded->rules) ids.push_back(r.id);
        auto waivers = rules::load_waivers(config->waivers_file, ids);
        for (const auto& e : waivers.errors) rep.notices.push_back("waiver not applied: " + e.to_string());
        const auto outcome = rules::apply_waivers(rep.findings, waivers.waivers, to_date(as_of));
        for (const auto& e : outcome.expired) rep.notices.push_back(e.to_string());
    }

    const auto extras = run_extras(catalog, subjects, rep.findings, config->utilisation_floor);
    const auto card = report::compute_scorecard(extras.standings);
    clock.lap("extras");

    int code = k_exit_ok;
    if (partial) code = k_exit_partial;
    else if (fail_on && std::any_of(rep.findings.begin(), rep.findings.end(),
                                    [&](const Finding& f) { return !f.waived && f.severity >= *fail_on; }))
        code = k_exit_findings;

    std::vector<report::ScoreTrend> trends;
    std::vector<report::RunPoint> trend_points;
    std::size_t resolved_since_last = 0;
    if (history) {
        store::RunInput run;
        run.started_at = started_at;
        run.as_of = as_of;
        run.config_file = config->file.string();
        run.partial = partial;
        run.exit_code = code;
        run.sources = rep.sources;
        run.findings = rep.findings;
        run.tools = extras.figures;
        run.scores.push_back({"", card.company.score, report::department_breakdown_json(card.company)});
        for (const auto& d : card.departments)
            run.scores.push_back({d.department, d.score, report::department_breakdown_json(d)});
        // The graph itself, so overlap/owners/impact/who/tools answer from this run.
        const GraphSnapshot graph_snapshot = graph::snapshot(audit_graph, data, subjects);
        run.graph = &graph_snapshot;
        auto diff = history->record_run(run);
        if (!diff) {
            std::cerr << diff.error().to_string() << "\n";
            return k_exit_internal;
        }
        rep.findings = std::move(diff->findings);
        report::AuditReport::Changes changes;
        changes.new_findings = diff->new_count;
        changes.reopened = diff->reopened_count;
        changes.resolved = diff->resolved.size();
        resolved_since_last = diff->resolved.size();
        for (const auto& r : diff->resolved)
            changes.resolved_lines.push_back(r.finding.rule_id + " " + r.finding.tool + ": " + r.finding.message);
        if (diff->previous_run_id) {
            if (auto runs = history->runs(2); runs && runs->size() >= 2) {
                // runs() lists newest first: [0] is this run, [1] the previous one.
                changes.previous_as_of = (*runs)[1].as_of;
            }
            if (changes.previous_as_of.empty()) changes.previous_as_of = "previous run";
        }
        rep.changes = std::move(changes);
        if (code == k_exit_ok && o.fail_on_new &&
            std::any_of(rep.findings.begin(), rep.findings.end(), [](const Finding& f) {
                return !f.waived && (f.state == "new" || f.state == "reopened");
            }))
            code = k_exit_new_findings;
        if (auto scores = history->score_history(10)) {
            std::map<std::string, report::ScoreTrend> by_department;
            for (const auto& [run_summary, records] : *scores) {
                std::optional<double> company;
                for (const auto& record : records) {
                    const std::string name = record.department.empty() ? "Company" : record.department;
                    auto& t = by_department[name];
                    t.department = name;
                    t.points.emplace_back(run_summary.as_of, record.score);
                    if (record.department.empty()) company = record.score;
                }
                trend_points.push_back({run_summary.as_of, run_summary.findings, 0.0, company});
            }
            for (auto& [name, t] : by_department) trends.push_back(std::move(t));
        }
    }
    // A trend needs two runs; one point would only repeat the table.
    const bool has_trend = std::any_of(trends.begin(), trends.end(), [](const report::ScoreTrend& t) { return t.points.size() > 1; });
    rep.scorecard_text = report::scorecard_text(card, has_trend ? trends : std::vector<report::ScoreTrend>{});
    sort_findings(rep.findings);

    // A run killed while writing leaves a temporary file behind; the outputs themselves are whole.
    (void)remove_stale_temp_files(out_dir);
    if (policy == BadRowPolicy::collect) {
        rep.rejects_file = (out_dir / "rejects.csv").string();
        if (auto w = write_file_atomic(out_dir / "rejects.csv", report::rejects_csv(rows.collected())); !w) {
            std::cerr << w.error().to_string() << "\n";
            return k_exit_bad_input;
        }
    }
    report::HtmlInput html;
    html.report = rep;
    html.scorecard = card;
    html.score_trends = trends;
    html.utilisation = extras.utilisation;
    html.overlaps = extras.overlaps;
    html.ownership = extras.ownership;
    html.trend = trend_points;
    html.resolved_since_last = resolved_since_last;
    html.utilisation_floor = config->utilisation_floor;
    for (const auto& [name, text] : {std::pair{"findings.csv", report::findings_csv(rep)},
                                     std::pair{"findings.json", report::findings_json(rep)},
                                     std::pair{"report.html", report::html_report(html)}}) {
        if (auto w = write_file_atomic(out_dir / name, text); !w) {
            std::cerr << w.error().to_string() << "\n";
            return k_exit_bad_input;
        }
    }
    if (!o.quiet) std::cout << report::summary_text(rep, o.top);
    std::cout << "\nWrote " << (out_dir / "findings.csv").string() << ", " << (out_dir / "findings.json").string()
              << " and " << (out_dir / "report.html").string() << " (" << rep.findings.size() << " findings)";
    if (!rep.rejects_file.empty()) std::cout << " and " << rep.rejects_file << " (" << rows.collected().size() << " rejected rows)";
    std::cout << ".\n";

    if (code == k_exit_partial)
        std::cerr << "stackaudit: the audit ran on partial data (see the warning above); exit code "
                  << k_exit_partial << ".\n";
    clock.lap("write");
    return code;
}

}  // namespace

void setup_audit(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<AuditOptions>();
    auto* sub = app.add_subcommand("audit", "Read the configured inputs, run the rules and write the findings");
    sub->footer(
        "Examples:\n"
        "  stackaudit audit --config sample_data/northwind/stackaudit.yaml\n"
        "  stackaudit audit --config stackaudit.yaml --out /var/lib/stackaudit/latest --fail-on high\n"
        "  stackaudit audit --config stackaudit.yaml --on-bad-row collect   # bad rows go to rejects.csv\n"
        "\n"
        "Exit codes: 0 complete data and nothing at or above --fail-on; 1 findings at or above --fail-on;\n"
        "2 bad config, rules, arguments or input (nothing audited); 3 partial data (a source failed or is\n"
        "stale, rows were rejected or rules could not run: the findings are incomplete); 4 new or reopened\n"
        "findings since the last run (with --fail-on-new); 5 another run holds the history lock;\n"
        "70 internal error. Waived findings never raise the exit code.");
    sub->add_option("-c,--config", opts->config, "The stackaudit.yaml to use (docs/config.md)")->capture_default_str();
    sub->add_option("-o,--out", opts->out_dir, "Directory for findings.csv, findings.json and rejects.csv "
                                                "(default: output.dir from the config, else ./out)");
    sub->add_option("--as-of", opts->as_of, "Audit as of this date (YYYY-MM-DD); default: as_of in the config, else now");
    sub->add_option("--on-bad-row", opts->on_bad_row, "What to do with a malformed row: fail (stop), skip (count and go on), "
                                                      "collect (go on, write them to rejects.csv); default: the config's on_bad_row, else fail")
        ->check(CLI::IsMember({"fail", "skip", "collect"}, CLI::ignore_case));
    sub->add_option("--fail-on", opts->fail_on, "Exit 1 when a finding of this severity or higher exists")
        ->check(CLI::IsMember({"none", "info", "low", "medium", "high", "critical"}, CLI::ignore_case))
        ->capture_default_str();
    sub->add_option("--top", opts->top, "How many findings the summary lists")->capture_default_str();
    sub->add_flag("-q,--quiet", opts->quiet, "Print only where the outputs were written");
    sub->add_flag("--fail-on-new", opts->fail_on_new, "Exit 4 when a finding is new or reopened since the last recorded run");
    sub->add_flag("--no-history", opts->no_history, "Do not read or record the run history (no lifecycle, no lock)");
    sub->add_flag("--pull", opts->pull, "Pull every live (api:) source into a new snapshot first, like `stackaudit pull`");
    sub->add_option("--threads", opts->threads,
                    "Threads for reading a large Okta System Log, building subjects and evaluating rules (default: every core)")
        ->check(CLI::Range(1u, 1024u));
    sub->add_flag("--timings", opts->timings, "Print the seconds each phase took (read, graph, subjects, rules, extras, write) on stderr");
    sub->callback([opts, &exit_code] { exit_code = run_audit(*opts); });
}

}  // namespace stackaudit::cli
