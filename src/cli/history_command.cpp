// `stackaudit history`: the recorded runs, one tool's figures over time (`history TOOL`), and
// decision latency per owner or department (`history --latency owner|department`).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "history_access.hpp"
#include "report/detail.hpp"
#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/csv.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::cli {

namespace {

struct HistoryOptions {
    std::filesystem::path config;
    std::filesystem::path db;  // --db: overrides the configured history database
    std::string tool;
    std::string latency;  // "", owner, department
    std::size_t runs = 30;
    std::string format = "table";
};

std::string opt_int(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); }

// Plain numbers with at most 2 decimals ("0.5", "12.25"), as money is written.
std::string number(double v) { return report::format_money(v); }
std::string opt_number(const std::optional<double>& v) { return v ? number(*v) : std::string(); }

void json_opt_int(JsonWriter& json, std::string_view key, const std::optional<std::int64_t>& v) {
    json.key(key);
    if (v) {
        json.integer(*v);
    } else {
        json.null();
    }
}

void json_opt_number(JsonWriter& json, std::string_view key, const std::optional<double>& v) {
    json.key(key);
    const std::string text = v ? number(*v) : std::string();
    if (text.empty()) {
        json.null();
    } else {
        json.number_text(text);
    }
}

// A left-aligned column `width` wide, its text cut to leave at least one space before the next.
std::string cell(std::string_view text, std::size_t width) {
    std::string out = report::detail::fit(report::detail::terminal_safe(text), width - 1);
    const std::size_t shown = report::detail::display_width(out);
    if (shown < width) out.append(width - shown, ' ');
    return out;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string percent(const std::optional<double>& v) {
    if (!v) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", *v * 100.0);
    return buf;
}

int show_tool(store::Store& history, const HistoryOptions& o) {
    auto rows = history.tool_history(o.tool);
    if (!rows) {
        std::cerr << rows.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    if (o.format == "csv") {
        std::cout << csv_line({"run_id", "as_of", "tool", "owning_department", "assigned_seats", "active_seats",
                               "purchased_seats", "utilisation", "annual_cost", "open_findings"});
        for (const auto& r : *rows) {
            std::cout << csv_line({std::to_string(r.run_id), r.as_of, report::spreadsheet_safe(r.figures.tool),
                                   report::spreadsheet_safe(r.figures.owning_department),
                                   opt_int(r.figures.assigned_seats), opt_int(r.figures.active_seats),
                                   opt_int(r.figures.purchased_seats), opt_number(r.figures.utilisation),
                                   opt_number(r.figures.annual_cost), std::to_string(r.open_findings)});
        }
        return k_exit_ok;
    }
    if (o.format == "json") {
        JsonWriter json;
        json.begin_object();
        json.field("tool", rows->back().figures.tool);
        json.key("runs");
        json.begin_array();
        for (const auto& r : *rows) {
            json.begin_object();
            json.key("run_id");
            json.integer(r.run_id);
            json.field("as_of", r.as_of);
            json.field("owning_department", r.figures.owning_department);
            json_opt_int(json, "assigned_seats", r.figures.assigned_seats);
            json_opt_int(json, "active_seats", r.figures.active_seats);
            json_opt_int(json, "purchased_seats", r.figures.purchased_seats);
            json_opt_number(json, "utilisation", r.figures.utilisation);
            json_opt_number(json, "annual_cost", r.figures.annual_cost);
            json.field_count("open_findings", r.open_findings);
            json.end_object();
        }
        json.end_array();
        json.end_object();
        std::cout << json.finish();
        return k_exit_ok;
    }
    const auto& last = rows->back().figures;
    std::cout << report::detail::terminal_safe(last.tool) << " (owned by "
              << report::detail::terminal_safe(or_dash(last.owning_department)) << "), " << rows->size()
              << " recorded run(s):\n";
    std::cout << cell("RUN", 6) << cell("AS OF", 12) << cell("ASSIGNED", 10) << cell("ACTIVE", 8) << cell("PURCHASED", 11)
              << cell("UTILISATION", 13) << cell("ANNUAL COST", 16) << "OPEN FINDINGS\n";
    for (const auto& r : *rows) {
        const auto& f = r.figures;
        auto i = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("-"); };
        std::cout << cell(std::to_string(r.run_id), 6) << cell(r.as_of, 12) << cell(i(f.assigned_seats), 10)
                  << cell(i(f.active_seats), 8) << cell(i(f.purchased_seats), 11) << cell(percent(f.utilisation), 13)
                  << cell(f.annual_cost ? report::detail::format_money_readable(*f.annual_cost) : "-", 16)
                  << r.open_findings << "\n";
    }
    return k_exit_ok;
}

int show_latency(store::Store& history, const HistoryOptions& o) {
    const bool by_owner = o.latency == "owner";
    auto rows = by_owner ? history.latency_by_owner() : history.latency_by_department();
    if (!rows) {
        std::cerr << rows.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    const std::string who = by_owner ? "owner" : "department";
    if (o.format == "csv") {
        std::cout << csv_line({who, "open", "median_open_age_days", "oldest_open_age_days", "resolved",
                               "median_days_to_resolve"});
        for (const auto& r : *rows) {
            std::cout << csv_line({report::spreadsheet_safe(r.who), std::to_string(r.open),
                                   number(r.median_open_age_days), std::to_string(r.oldest_open_age_days),
                                   std::to_string(r.resolved), opt_number(r.median_days_to_resolve)});
        }
        return k_exit_ok;
    }
    if (o.format == "json") {
        JsonWriter json;
        json.begin_object();
        json.field("by", who);
        json.key("rows");
        json.begin_array();
        for (const auto& r : *rows) {
            json.begin_object();
            json.field(who, r.who);
            json.field_count("open", r.open);
            json_opt_number(json, "median_open_age_days", r.median_open_age_days);
            json.key("oldest_open_age_days");
            json.integer(r.oldest_open_age_days);
            json.field_count("resolved", r.resolved);
            json_opt_number(json, "median_days_to_resolve", r.median_days_to_resolve);
            json.end_object();
        }
        json.end_array();
        json.end_object();
        std::cout << json.finish();
        return k_exit_ok;
    }
    std::cout << "Decision latency by " << who << " (open findings not waived; resolved across all runs):\n";
    std::cout << cell(by_owner ? "OWNER" : "DEPARTMENT", 34) << cell("OPEN", 6) << cell("MEDIAN AGE", 12)
              << cell("OLDEST", 8) << cell("RESOLVED", 10) << "MEDIAN DAYS TO RESOLVE\n";
    for (const auto& r : *rows) {
        std::cout << cell(r.who, 34) << cell(std::to_string(r.open), 6)
                  << cell(r.open ? number(r.median_open_age_days) + "d" : "-", 12)
                  << cell(r.open ? std::to_string(r.oldest_open_age_days) + "d" : "-", 8)
                  << cell(std::to_string(r.resolved), 10)
                  << (r.median_days_to_resolve ? number(*r.median_days_to_resolve) + "d" : "-") << "\n";
    }
    return k_exit_ok;
}

int show_runs(store::Store& history, const HistoryOptions& o) {
    auto runs = history.runs(o.runs);
    if (!runs) {
        std::cerr << runs.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    if (o.format == "csv") {
        std::cout << csv_line({"run_id", "started_at", "as_of", "partial", "exit_code", "findings"});
        for (const auto& r : *runs) {
            std::cout << csv_line({std::to_string(r.id), r.started_at, r.as_of, r.partial ? "true" : "false",
                                   std::to_string(r.exit_code), std::to_string(r.findings)});
        }
        return k_exit_ok;
    }
    if (o.format == "json") {
        JsonWriter json;
        json.begin_object();
        json.key("runs");
        json.begin_array();
        for (const auto& r : *runs) {
            json.begin_object();
            json.key("id");
            json.integer(r.id);
            json.field("started_at", r.started_at);
            json.field("as_of", r.as_of);
            json.field_bool("partial", r.partial);
            json.key("exit_code");
            json.integer(r.exit_code);
            json.field_count("findings", r.findings);
            json.end_object();
        }
        json.end_array();
        json.end_object();
        std::cout << json.finish();
        return k_exit_ok;
    }
    if (runs->empty()) {
        std::cout << "No runs recorded yet: run stackaudit audit first.\n";
        return k_exit_ok;
    }
    std::cout << cell("RUN", 6) << cell("STARTED", 22) << cell("AS OF", 12) << cell("DATA", 9) << cell("EXIT", 6)
              << "FINDINGS\n";
    for (const auto& r : *runs) {
        std::cout << cell(std::to_string(r.id), 6) << cell(r.started_at, 22) << cell(r.as_of, 12)
                  << cell(r.partial ? "partial" : "complete", 9) << cell(std::to_string(r.exit_code), 6) << r.findings
                  << "\n";
    }
    return k_exit_ok;
}

int run_history(const HistoryOptions& o) {
    if (!o.tool.empty() && !o.latency.empty()) {
        std::cerr << "error: give either a TOOL or --latency, not both\n"
                  << "  hint: `stackaudit history Salesforce --config C` or `stackaudit history --latency owner --config C`\n";
        return k_exit_bad_input;
    }
    int exit_code = k_exit_ok;
    auto history = open_history(o.config, o.db, exit_code);
    if (!history) return exit_code;
    if (!o.tool.empty()) return show_tool(*history, o);
    if (!o.latency.empty()) return show_latency(*history, o);
    return show_runs(*history, o);
}

}  // namespace

void setup_history(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<HistoryOptions>();
    auto* sub = app.add_subcommand("history", "Show recorded runs, a tool's figures over time, or decision latency");
    sub->footer("Reads the run history that `stackaudit audit` records (history: db: in the config, default\n"
                "<output dir>/stackaudit.db; --db overrides it).\n"
                "Examples:\n"
                "  stackaudit history --config stackaudit.yaml                      # the recorded runs, newest first\n"
                "  stackaudit history Salesforce --config stackaudit.yaml           # seats and cost per run\n"
                "  stackaudit history --latency owner --config stackaudit.yaml      # who leaves findings open\n"
                "  stackaudit history --latency department --config stackaudit.yaml --format csv\n"
                "Docs: docs/history.md");
    sub->add_option("tool", opts->tool, "Tool name (case-insensitive): its figures in every recorded run");
    sub->add_option("-c,--config", opts->config, "The stackaudit.yaml whose history to read")->required();
    sub->add_option("--db", opts->db, "The history database, when not the config's (history: db:, default <output dir>/stackaudit.db)");
    sub->add_option("--latency", opts->latency, "Decision latency per owner or per department")
        ->check(CLI::IsMember({"owner", "department"}));
    sub->add_option("--runs", opts->runs, "How many recent runs to list")->check(CLI::Range(1, 100000))->capture_default_str();
    sub->add_option("--format", opts->format, "Output format")
        ->check(CLI::IsMember({"table", "csv", "json"}))
        ->capture_default_str();
    sub->callback([opts, &exit_code] { exit_code = run_history(*opts); });
}

}  // namespace stackaudit::cli
