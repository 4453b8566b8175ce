// The ad-hoc questions: `overlap`, `owners`, `impact`, `who` and `tools` (docs/queries.md).
// Each answers from the graph the latest audit recorded in the history (no input is re-read),
// or with --from-inputs from the configured inputs, read exactly as `audit` reads them. The
// query module computes and renders; this file only finds the snapshot and wires the flags.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "config.hpp"
#include "history_access.hpp"
#include "inputs.hpp"
#include "stackaudit/core/io.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/query/query.hpp"

namespace stackaudit::cli {

namespace {

// The flags every question shares.
struct SourceOptions {
    std::filesystem::path config = "stackaudit.yaml";
    std::filesystem::path db;  // --db
    bool from_inputs = false;
    std::string as_of;       // with --from-inputs
    std::string on_bad_row;  // with --from-inputs
    std::string format = "table";
    std::string out;
};

struct Answerable {
    GraphSnapshot snapshot;
    query::Context context;
};

// The snapshot to answer from, or nullopt after printing why (exit_code set).
std::optional<Answerable> load(const SourceOptions& o, int& exit_code) {
    Answerable a;
    if (o.from_inputs) {
        auto config = load_config(o.config);
        if (!config) {
            std::cerr << config.error().to_string() << "\n";
            exit_code = k_exit_bad_input;
            return std::nullopt;
        }
        const auto as_of = audit_time(*config, o.as_of);
        if (!as_of) {
            std::cerr << as_of.error().to_string() << "\n";
            exit_code = k_exit_bad_input;
            return std::nullopt;
        }
        BadRowPolicy policy = config->on_bad_row.value_or(BadRowPolicy::fail);
        if (!o.on_bad_row.empty()) policy = parse_bad_row_policy(o.on_bad_row).value();
        auto inputs = read_inputs(*config, *as_of, policy, std::cerr);
        if (!inputs) {
            exit_code = k_exit_bad_input;
            return std::nullopt;
        }
        const auto graph = graph::AuditGraph::build(inputs->data);
        const auto subjects = graph::compute_subjects(graph, inputs->data);
        a.snapshot = graph::snapshot(graph, inputs->data, subjects);
        a.context.source = "inputs of " + o.config.string();
        if (inputs->rows && inputs->rows->rejected_total() > 0)
            a.context.gaps.push_back(std::to_string(inputs->rows->rejected_total()) + " input rows were rejected");
    } else {
        auto history = open_history(o.config, o.db, exit_code);
        if (!history) return std::nullopt;
        auto stored = history->latest_snapshot();
        if (!stored) {
            std::cerr << stored.error().to_string() << "\n";
            exit_code = k_exit_bad_input;
            return std::nullopt;
        }
        if (!*stored) {
            std::cerr << "error: no run in the history has recorded its graph yet\n"
                      << "  hint: run `stackaudit audit --config " << o.config.string()
                      << "` once (runs recorded by stackaudit before 0.2 kept no graph), or answer from the inputs with "
                         "--from-inputs\n";
            exit_code = k_exit_bad_input;
            return std::nullopt;
        }
        a.snapshot = std::move((*stored)->snapshot);
        a.context.run_id = (*stored)->run.id;
        std::filesystem::path db = o.db;
        if (db.empty())
            if (auto config = load_config(o.config)) db = history_path(*config);
        a.context.source = "run " + std::to_string((*stored)->run.id) + " of " + db.string();
    }
    a.context.as_of = format_date(to_date(a.snapshot.as_of));
    for (auto& gap : query::snapshot_gaps(a.snapshot)) a.context.gaps.push_back(std::move(gap));
    return a;
}

// Writes the answer to stdout or --out, says loudly what the data could not see, and returns
// the exit code: 3 when the answer rests on incomplete data, so a script cannot mistake it.
int deliver(const SourceOptions& o, const Answerable& a, const std::string& text, query::Format format) {
    if (o.out.empty() || o.out == "-") {
        std::cout << text << std::flush;
    } else {
        if (auto written = write_file_atomic(o.out, text); !written) {
            std::cerr << written.error().to_string() << "\n";
            return k_exit_bad_input;
        }
        std::cerr << "wrote " << o.out << "\n";
    }
    if (a.context.gaps.empty()) return k_exit_ok;
    // A table shows the gaps itself; CSV has nowhere to put them, and a file may not be looked at.
    if (format != query::Format::table || !(o.out.empty() || o.out == "-"))
        for (const auto& gap : a.context.gaps) std::cerr << "warning: incomplete data: " << gap << "\n";
    return k_exit_partial;
}

// Runs `ask` on the loaded snapshot and delivers the rendering; errors from the question (an
// unknown tool) are bad input.
template <class Ask>
int answer(const SourceOptions& o, Ask ask) {
    const auto format = query::parse_format(o.format);
    if (!format) {
        std::cerr << format.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    int exit_code = k_exit_ok;
    const auto loaded = load(o, exit_code);
    if (!loaded) return exit_code;
    auto text = ask(*loaded, *format);
    if (!text) {
        Error e = text.error();
        e.where.source = loaded->context.source;  // "run 3 of out/stackaudit.db": where the name was looked for
        std::cerr << e.to_string() << "\n";
        return k_exit_bad_input;
    }
    return deliver(o, *loaded, *text, *format);
}

// Renders a question's result, passing its error through.
template <class Result_>
Result<std::string> rendered(const Result_& result, const Answerable& a, query::Format format) {
    if (!result) return std::unexpected(result.error());
    return query::render(*result, a.snapshot, a.context, format);
}

constexpr const char* k_source_footer =
    "Answers come from the graph the latest `stackaudit audit` recorded in the history (no input is\n"
    "re-read); --from-inputs reads the configured inputs instead, exactly as an audit does.\n"
    "Exit codes: 0 answered; 2 bad arguments, unknown name or no recorded run; 3 answered, but the\n"
    "data behind it is incomplete (a source failed or is stale: the answer may miss people or tools).";

CLI::App* add_question(CLI::App& app, const char* name, const char* description, const std::shared_ptr<SourceOptions>& o,
                       const std::string& footer) {
    auto* sub = app.add_subcommand(name, description);
    sub->footer(footer + "\n\n" + k_source_footer);
    sub->add_option("-c,--config", o->config, "The stackaudit.yaml to use (docs/config.md)")->capture_default_str();
    sub->add_option("--db", o->db, "The history database, when not the config's (history: db:, default <output dir>/stackaudit.db)");
    sub->add_flag("--from-inputs", o->from_inputs, "Read the configured inputs instead of the latest recorded run");
    sub->add_option("--as-of", o->as_of, "With --from-inputs: judge activity as of this date (YYYY-MM-DD)");
    sub->add_option("--on-bad-row", o->on_bad_row, "With --from-inputs: fail, skip or collect malformed rows")
        ->check(CLI::IsMember({"fail", "skip", "collect"}, CLI::ignore_case));
    sub->add_option("--format", o->format, "table (for people), csv or json (for scripts)")
        ->check(CLI::IsMember({"table", "csv", "json"}, CLI::ignore_case))
        ->capture_default_str();
    sub->add_option("-o,--out", o->out, "Write to this file (atomically) instead of stdout");
    return sub;
}

}  // namespace

void setup_queries(CLI::App& app, int& exit_code) {
    {
        auto o = std::make_shared<SourceOptions>();
        auto q = std::make_shared<query::OverlapOptions>();
        auto* sub = add_question(
            app, "overlap", "Tools bought twice: tools with the same capability and the people they share", o,
            "For each capability two or more catalog tools provide, every pair of those tools with the\n"
            "people active on both in the usage window (count and Jaccard index), each side's owning\n"
            "department, seats and annual cost, and what consolidating could free: the smaller side's\n"
            "cost per seat for the shared users.\n"
            "\n"
            "Examples:\n"
            "  stackaudit overlap -c stackaudit.yaml\n"
            "  stackaudit overlap Asana -c stackaudit.yaml               # Asana's overlaps only\n"
            "  stackaudit overlap --capability video-conferencing --min-shared 10 --format csv\n"
            "  stackaudit overlap --department Marketing --format json -o overlap.json");
        sub->add_option("tool", q->tool, "Only this tool's overlaps (case-insensitive)");
        sub->add_option("--capability", q->capabilities, "Only this capability (repeatable)");
        sub->add_option("--department", q->department, "Only pairs where either tool is owned by this department");
        sub->add_option("--min-shared", q->min_shared, "Only pairs sharing at least N active users")
            ->check(CLI::NonNegativeNumber);
        sub->add_option("--min-jaccard", q->min_jaccard, "Only pairs with a Jaccard index of at least X (0-1)")
            ->check(CLI::Range(0.0, 1.0));
        sub->callback([o, q, &exit_code] {
            exit_code = answer(*o, [&](const Answerable& a, query::Format f) {
                return rendered(query::overlap(a.snapshot, *q), a, f);
            });
        });
    }
    {
        auto o = std::make_shared<SourceOptions>();
        auto q = std::make_shared<query::OwnersOptions>();
        auto* sub = add_question(
            app, "owners", "Who owns each tool, business and technical, and where ownership is unclear", o,
            "One row per catalog tool with its business and technical owners (marked when they have left\n"
            "or are not in the directory) and what is unclear about its ownership. The filters keep the\n"
            "tools with that problem; several together keep tools with any of them.\n"
            "\n"
            "Examples:\n"
            "  stackaudit owners -c stackaudit.yaml\n"
            "  stackaudit owners --missing --departed             # tools nobody (still here) owns\n"
            "  stackaudit owners --department Marketing --format csv -o marketing-owners.csv");
        sub->add_flag("--missing", q->missing, "Only tools lacking an active business or technical owner");
        sub->add_flag("--departed", q->departed, "Only tools with an owner who left or is not in the directory");
        sub->add_flag("--conflicting", q->conflicting,
                      "Only tools whose catalog rows disagree on owners, or whose business owners sit outside the "
                      "owning department");
        sub->add_option("--department", q->department, "Only tools owned by this department");
        sub->callback([o, q, &exit_code] {
            exit_code = answer(*o, [&](const Answerable& a, query::Format f) {
                return rendered(query::owners(a.snapshot, *q), a, f);
            });
        });
    }
    {
        auto o = std::make_shared<SourceOptions>();
        auto q = std::make_shared<query::ImpactOptions>();
        auto tool = std::make_shared<std::string>();
        auto depth = std::make_shared<int>(0);
        auto* sub = add_question(
            app, "impact", "What loses data if a tool is removed: everything downstream through the data flows", o,
            "Follows the integrations from the tool to every tool it feeds, directly or through others,\n"
            "with each one's owners, the data on the last hop and the path; --upstream follows them\n"
            "backwards, to everything that feeds it. Each tool is listed once, at its shortest distance.\n"
            "\n"
            "Examples:\n"
            "  stackaudit impact Salesforce -c stackaudit.yaml\n"
            "  stackaudit impact Salesforce --upstream --depth 1   # what feeds Salesforce directly\n"
            "  stackaudit impact 'HubSpot Marketing Hub' --format json");
        sub->add_option("tool", *tool, "The tool to start from (case-insensitive)")->required();
        sub->add_flag("--upstream", q->upstream, "Follow the flows backwards: what feeds the tool");
        sub->add_option("--depth", *depth, "Stop after N hops (default: all)")->check(CLI::PositiveNumber);
        sub->callback([o, q, tool, depth, &exit_code] {
            if (*depth > 0) q->max_depth = *depth;
            exit_code = answer(*o, [&](const Answerable& a, query::Format f) {
                return rendered(query::impact(a.snapshot, *tool, *q), a, f);
            });
        });
    }
    {
        auto o = std::make_shared<SourceOptions>();
        auto q = std::make_shared<query::WhoOptions>();
        auto tool = std::make_shared<std::string>();
        auto* sub = add_question(
            app, "who", "Who uses a tool: by department and team, active vs idle, then person by person", o,
            "Everyone with a seat on the tool or any SSO use of it: active means used in the usage window,\n"
            "idle means a seat or past use but nothing in the window.\n"
            "\n"
            "Examples:\n"
            "  stackaudit who Zoom -c stackaudit.yaml\n"
            "  stackaudit who Salesforce --idle --format csv -o idle-salesforce.csv\n"
            "  stackaudit who Slack --department Marketing");
        sub->add_option("tool", *tool, "The tool (case-insensitive)")->required();
        sub->add_option("--department", q->department, "Only people of this department");
        auto* active = sub->add_flag("--active", q->active_only, "Only people active in the window");
        sub->add_flag("--idle", q->idle_only, "Only people with a seat or past use but no activity in the window")
            ->excludes(active);
        sub->callback([o, q, tool, &exit_code] {
            exit_code = answer(*o, [&](const Answerable& a, query::Format f) {
                return rendered(query::who(a.snapshot, *tool, *q), a, f);
            });
        });
    }
    {
        auto o = std::make_shared<SourceOptions>();
        auto subject = std::make_shared<std::string>();
        auto* sub = add_question(
            app, "tools", "What a person, a team or a department uses", o,
            "SUBJECT is matched, case-insensitively, against emails, user ids and names, then team names\n"
            "(\"Team\" or \"Department/Team\"), then departments. For a person: each tool with seat, licence,\n"
            "activity and ownership; for a team or department: how many of its people use each tool.\n"
            "\n"
            "Examples:\n"
            "  stackaudit tools ana.lopez@northwind.example -c stackaudit.yaml\n"
            "  stackaudit tools 'Marketing/Demand Generation'\n"
            "  stackaudit tools Sales --format csv");
        sub->add_option("subject", *subject, "A person (email, user id or name), a team or a department")->required();
        sub->callback([o, subject, &exit_code] {
            exit_code = answer(*o, [&](const Answerable& a, query::Format f) {
                return rendered(query::tools_of(a.snapshot, *subject), a, f);
            });
        });
    }
}

}  // namespace stackaudit::cli
