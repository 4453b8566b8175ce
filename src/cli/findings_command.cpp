// `stackaudit findings`: the latest run's findings with their lifecycle (new, open, reopened,
// waived) and, on request, the resolved ones, filtered and written as a table, CSV or JSON.
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "history_access.hpp"
#include "report/detail.hpp"
#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::cli {

namespace {

struct FindingsOptions {
    std::filesystem::path config;
    std::filesystem::path db;  // --db: overrides the configured history database
    std::vector<std::string> rules;
    std::string severity;
    std::string tool, owner, department;
    std::vector<std::string> states;
    std::optional<std::int64_t> min_age;
    bool resolved = false;
    std::string format = "table";
};

// The audit's findings.csv columns (docs/outputs.md), then resolved_on, so one spreadsheet
// layout serves both.
std::string write_csv(const std::vector<store::FindingRow>& rows, const std::string& as_of) {
    // The audit's findings CSV columns, plus when a resolved finding was resolved.
    auto columns = report::findings_csv_columns();
    columns.push_back("resolved_on");
    std::string out = csv_line(columns);
    for (const auto& row : rows) {
        auto cells = report::finding_csv_cells(row.finding, as_of);
        cells.push_back(row.resolved_on);
        out += csv_line(cells);
    }
    return out;
}

std::string write_json(const std::vector<store::FindingRow>& rows, const store::RunSummary* latest) {
    JsonWriter json;
    json.begin_object();
    json.key("schema_version");
    json.integer(1);
    json.key("run");
    if (latest != nullptr) {
        json.begin_object();
        json.key("id");
        json.integer(latest->id);
        json.field("started_at", latest->started_at);
        json.field("as_of", latest->as_of);
        json.field_bool("partial", latest->partial);
        json.end_object();
    } else {
        json.null();
    }
    json.field_count("count", rows.size());
    json.key("findings");
    json.begin_array();
    for (const auto& row : rows) {
        const Finding& f = row.finding;
        json.begin_object();
        json.field("id", f.id);
        json.field("state", f.state);
        json.field_bool("waived", f.waived);
        json.field("severity", to_string(f.severity));
        json.field("rule_id", f.rule_id);
        json.field("rule_title", f.rule_title);
        json.field("category", f.category);
        json.field("tool", f.tool);
        json.field("department", f.department);
        json.field("subject_kind", f.subject_kind);
        json.field("subject", f.subject_key);
        json.key("owners");
        json.begin_array();
        for (const auto& o : f.owners) json.string(o);
        json.end_array();
        json.field("first_seen", f.first_seen);
        json.key("age_days");
        if (f.age_days) {
            json.integer(*f.age_days);
        } else {
            json.null();
        }
        json.key("resolved_on");
        if (row.resolved_on.empty()) {
            json.null();
        } else {
            json.string(row.resolved_on);
        }
        json.key("money_at_stake");
        const std::string money = f.money_at_stake ? report::format_money(*f.money_at_stake) : std::string();
        if (money.empty()) {
            json.null();
        } else {
            json.number_text(money);
        }
        json.field("message", f.message);
        json.key("evidence");
        json.begin_array();
        for (const auto& [name, value] : f.evidence) {
            json.begin_object();
            json.field("name", name);
            json.field("value", value);
            json.end_object();
        }
        json.end_array();
        json.field("remediation", f.remediation);
        json.key("waiver");
        if (f.waived) {
            json.begin_object();
            json.field("reason", f.waiver_reason);
            json.field("approver", f.waiver_approver);
            json.field("expires", f.waiver_expires);
            json.end_object();
        } else {
            json.null();
        }
        json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.finish();
}

// A left-aligned column `width` wide, its text cut to leave at least one space before the next.
std::string cell(std::string_view text, std::size_t width) {
    std::string out = report::detail::fit(report::detail::terminal_safe(text), width - 1);
    const std::size_t shown = report::detail::display_width(out);
    if (shown < width) out.append(width - shown, ' ');
    return out;
}

std::string state_label(const store::FindingRow& row) {
    const Finding& f = row.finding;
    std::string label = f.state == "resolved" ? "resolved " + row.resolved_on : f.state;
    if (f.waived) label += " (waived)";
    return label;
}

void write_table(const std::vector<store::FindingRow>& rows, const store::RunSummary* latest) {
    if (latest != nullptr) {
        std::cout << "Run " << latest->id << " (as of " << latest->as_of << (latest->partial ? ", partial data" : "")
                  << "): " << rows.size() << " finding(s) match.\n";
    }
    if (rows.empty()) return;
    std::cout << cell("ID", 16) << cell("STATE", 22) << cell("SEVERITY", 9) << cell("AGE", 5) << cell("FIRST SEEN", 11)
              << cell("RULE", 26) << cell("TOOL", 18) << cell("OWNERS", 26) << "MESSAGE\n";
    for (const auto& row : rows) {
        const Finding& f = row.finding;
        std::string owners = f.owners.empty() ? "-" : f.owners.front();
        if (f.owners.size() > 1) owners += " +" + std::to_string(f.owners.size() - 1);
        std::cout << cell(f.id, 16) << cell(state_label(row), 22) << cell(to_string(f.severity), 9)
                  << cell(f.age_days ? std::to_string(*f.age_days) + "d" : "-", 5) << cell(f.first_seen, 11)
                  << cell(f.rule_id, 26) << cell(f.tool.empty() ? "-" : f.tool, 18) << cell(owners, 26)
                  << report::detail::fit(report::detail::terminal_safe(f.message), 100) << "\n";
    }
}

int run_findings(const FindingsOptions& o) {
    store::FindingFilter filter;
    filter.rules = o.rules;
    if (!o.severity.empty()) {
        auto s = parse_severity(o.severity);
        if (!s) {
            std::cerr << s.error().to_string() << "\n";
            return k_exit_bad_input;
        }
        filter.min_severity = *s;
    }
    filter.tool = o.tool;
    filter.owner = o.owner;
    filter.department = o.department;
    filter.states = o.states;
    filter.min_age_days = o.min_age;
    filter.include_resolved = o.resolved;

    int exit_code = k_exit_ok;
    auto history = open_history(o.config, o.db, exit_code);
    if (!history) return exit_code;
    auto rows = history->findings(filter);
    if (!rows) {
        std::cerr << rows.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    auto runs = history->runs(1);
    if (!runs) {
        std::cerr << runs.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    if (runs->empty()) {
        std::cerr << "error: no runs recorded yet: run stackaudit audit first\n";
        return k_exit_bad_input;
    }
    const store::RunSummary* latest = &runs->front();
    if (o.format == "csv") {
        std::cout << write_csv(*rows, latest->as_of);
    } else if (o.format == "json") {
        std::cout << write_json(*rows, latest);
    } else {
        write_table(*rows, latest);
    }
    return k_exit_ok;
}

}  // namespace

void setup_findings(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<FindingsOptions>();
    auto* sub = app.add_subcommand("findings", "List the latest run's findings with their lifecycle, from the run history");
    sub->footer("Reads the run history that `stackaudit audit` records (history: db: in the config, default\n"
                "<output dir>/stackaudit.db; --db overrides it).\n"
                "States: new (first seen in the latest run), open (also in the run before), reopened (seen\n"
                "earlier, gone, back again), resolved (gone; with --resolved or --state resolved), waived.\n"
                "Examples:\n"
                "  stackaudit findings --config stackaudit.yaml\n"
                "  stackaudit findings --config stackaudit.yaml --state new --state reopened\n"
                "  stackaudit findings --config stackaudit.yaml --severity high --min-age 30\n"
                "  stackaudit findings --config stackaudit.yaml --owner ana@example.com --format csv > mine.csv\n"
                "  stackaudit findings --config stackaudit.yaml --tool Salesforce --resolved --format json\n"
                "Docs: docs/history.md");
    sub->add_option("-c,--config", opts->config, "The stackaudit.yaml whose history to read")->required();
    sub->add_option("--db", opts->db, "The history database, when not the config's (history: db:, default <output dir>/stackaudit.db)");
    sub->add_option("--rule", opts->rules, "Only this rule id (repeatable)");
    sub->add_option("--severity", opts->severity, "Only this severity and above: info|low|medium|high|critical");
    sub->add_option("--tool", opts->tool, "Only findings about this tool (case-insensitive)");
    sub->add_option("--owner", opts->owner, "Only findings with this owner email among their owners");
    sub->add_option("--department", opts->department, "Only findings of this department (case-insensitive)");
    sub->add_option("--state", opts->states, "Only this state (repeatable): new|open|reopened|resolved|waived")
        ->check(CLI::IsMember({"new", "open", "reopened", "resolved", "waived"}, CLI::ignore_case));
    sub->add_option("--min-age", opts->min_age, "Only findings open for at least N days")->check(CLI::NonNegativeNumber);
    sub->add_flag("--resolved", opts->resolved, "Also list findings resolved in earlier runs");
    sub->add_option("--format", opts->format, "Output format")
        ->check(CLI::IsMember({"table", "csv", "json"}))
        ->capture_default_str();
    sub->callback([opts, &exit_code] { exit_code = run_findings(*opts); });
}

}  // namespace stackaudit::cli
