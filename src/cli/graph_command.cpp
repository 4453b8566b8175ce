// `stackaudit graph --format dot`: the ownership and data-flow graph for Graphviz. Reads the
// inputs exactly as `audit` does and builds the same graph; no rules are run.
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "config.hpp"
#include "inputs.hpp"
#include "stackaudit/core/io.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/graph/graph_impl.hpp"

namespace stackaudit::cli {

namespace {

struct GraphOptions {
    std::string config = "stackaudit.yaml";
    std::string format = "dot";
    std::string department;
    std::string tool;
    std::string capability;
    bool no_people = false;
    std::string out;
    std::string as_of;
    std::string on_bad_row;
};

// A filter naming nothing in the data is almost always a typo: say so rather than print an
// empty graph. Returns false (after printing the error) when `wanted` is not among `names`.
bool known_name(std::string_view what, const std::string& wanted, const std::set<std::string>& names) {
    if (wanted.empty()) return true;
    for (const auto& n : names)
        if (iequals(n, trim(wanted))) return true;
    const std::vector<std::string> list(names.begin(), names.end());
    std::cerr << "error: no " << what << " \"" << wanted << "\" in the inputs";
    if (auto guess = did_you_mean(trim(wanted), list); !guess.empty()) std::cerr << "; did you mean \"" << guess << "\"?";
    std::cerr << "\n  hint: names are matched case-insensitively; the " << what << "s come from the catalog"
              << (what == "department" ? " (owning department) and the directory" : "") << "\n";
    return false;
}

int run_graph(const GraphOptions& o) {
    auto config = load_config(o.config);
    if (!config) {
        std::cerr << config.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    const auto as_of = audit_time(*config, o.as_of);
    if (!as_of) {
        std::cerr << as_of.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    BadRowPolicy policy = config->on_bad_row.value_or(BadRowPolicy::fail);
    if (!o.on_bad_row.empty()) policy = parse_bad_row_policy(o.on_bad_row).value();

    auto inputs = read_inputs(*config, *as_of, policy, std::cerr);
    if (!inputs) return k_exit_bad_input;
    const Dataset& data = inputs->data;
    const auto graph = graph::AuditGraph::build(data);

    std::set<std::string> tools, capabilities, departments;
    const auto& g = graph.impl().g;
    for (auto [v, end] = boost::vertices(g); v != end; ++v) {
        if (g[*v].kind == graph::VertexKind::tool) tools.insert(g[*v].name);
        if (g[*v].kind == graph::VertexKind::capability) capabilities.insert(g[*v].name);
    }
    for (const Tool& t : data.tools)
        if (!trim(t.owning_department).empty()) departments.insert(std::string(trim(t.owning_department)));
    for (const Person& p : data.people)
        if (!trim(p.department).empty()) departments.insert(std::string(trim(p.department)));
    if (!known_name("tool", o.tool, tools) || !known_name("capability", o.capability, capabilities) ||
        !known_name("department", o.department, departments))
        return k_exit_bad_input;

    graph::DotFilter filter;
    filter.department = o.department;
    filter.tool = o.tool;
    filter.capability = o.capability;
    filter.include_people = !o.no_people;
    const std::string dot = graph::to_dot(graph, data, filter);

    if (o.out.empty() || o.out == "-") {
        std::cout << dot << std::flush;
    } else {
        if (auto written = write_file_atomic(o.out, dot); !written) {
            std::cerr << written.error().to_string() << "\n";
            return k_exit_bad_input;
        }
        std::cerr << "wrote " << o.out << "\n";
    }
    if (inputs->partial) {
        std::cerr << "note: some inputs could not be read completely (see above): the graph is incomplete\n";
        return k_exit_partial;
    }
    return k_exit_ok;
}

}  // namespace

void setup_graph(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<GraphOptions>();
    auto* sub = app.add_subcommand("graph", "Write the tool ownership and data-flow graph for Graphviz");
    sub->footer(
        "Tools are boxes filled by owning department (dashed: not in the catalog), capabilities are\n"
        "ellipses, owners are plain text with business (solid) and technical (dashed) edges; departed\n"
        "owners are red and marked (left); flows between tools are labelled with the data they carry.\n"
        "A filter keeps the matching tools and everything one edge away; filters combine.\n"
        "\n"
        "Examples:\n"
        "  stackaudit graph --config stackaudit.yaml --format dot | dot -Tsvg -o stack.svg\n"
        "  stackaudit graph --config stackaudit.yaml --department Marketing --no-people --out marketing.dot\n"
        "\n"
        "Exit codes: 0 written; 2 bad config, arguments or input (or a filter naming nothing);\n"
        "3 written, but some input could not be read (the graph is incomplete).");
    sub->add_option("-c,--config", opts->config, "The stackaudit.yaml to use (docs/config.md)")->capture_default_str();
    sub->add_option("--format", opts->format, "Output format")
        ->check(CLI::IsMember({"dot"}, CLI::ignore_case))
        ->capture_default_str();
    sub->add_option("--department", opts->department,
                    "Only tools owned by, or used mostly by, this department (and what is one edge away)");
    sub->add_option("--tool", opts->tool, "Only this tool (and what is one edge away)");
    sub->add_option("--capability", opts->capability, "Only tools providing this capability (and what is one edge away)");
    sub->add_flag("--no-people", opts->no_people, "Leave owners out: only tools, capabilities and data flows");
    sub->add_option("-o,--out", opts->out, "Write to this file (atomically) instead of stdout");
    sub->add_option("--as-of", opts->as_of, "Graph as of this date (YYYY-MM-DD): who has left is judged on it; "
                                            "default: as_of in the config, else now");
    sub->add_option("--on-bad-row", opts->on_bad_row, "What to do with a malformed row: fail, skip or collect "
                                                      "(default: the config's on_bad_row, else fail)")
        ->check(CLI::IsMember({"fail", "skip", "collect"}, CLI::ignore_case));
    sub->callback([opts, &exit_code] { exit_code = run_graph(*opts); });
}

}  // namespace stackaudit::cli
