// Reading every configured input the way an audit does (see inputs.hpp).
#include "inputs.hpp"

#include <algorithm>
#include <chrono>
#include <ostream>
#include <set>

#include "pull.hpp"
#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::cli {

namespace {

// Kinds whose failure makes the whole audit meaningless: without the catalog every app looks
// like shadow IT, without the directory every person looks unknown.
const std::set<std::string> k_essential_kinds{"directory", "catalog"};

bool is_row_error(const Error& e) {
    return e.code == ErrorCode::csv_malformed || e.code == ErrorCode::invalid_value ||
           e.code == ErrorCode::json_malformed;
}

// Vendor sources that list seats per SSO app (Okta assignments) name the app's label; seats
// belong to the catalog tool whose name or sso_app_label matches, case-insensitively.
void resolve_seat_tools(Dataset& data) {
    for (auto& seat : data.seats) {
        for (const auto& tool : data.tools) {
            if (iequals(tool.name, seat.tool)) break;
            if (!tool.sso_app_label.empty() && iequals(tool.sso_app_label, seat.tool)) {
                seat.tool = tool.name;
                break;
            }
        }
    }
    for (auto& source : data.sources) {
        for (auto& covered : source.seat_tools) {
            for (const auto& tool : data.tools) {
                if (!tool.sso_app_label.empty() && iequals(tool.sso_app_label, covered) && !iequals(tool.name, covered)) {
                    covered = tool.name;
                    break;
                }
            }
        }
    }
}

}  // namespace

Result<Timestamp> audit_time(const AuditConfig& config, const std::string& as_of_option) {
    Timestamp as_of = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (config.as_of) as_of = *config.as_of;
    if (!as_of_option.empty()) {
        auto ts = parse_timestamp(as_of_option);
        if (!ts || !*ts)
            return fail(ErrorCode::invalid_value, "--as-of \"" + as_of_option + "\" is not a date", {}, "use YYYY-MM-DD");
        as_of = **ts;
    }
    return as_of;
}

Result<LoadedInputs> read_inputs(AuditConfig& config, Timestamp as_of, BadRowPolicy policy, std::ostream& err,
                                 unsigned threads) {
    // Live sources are read from their newest snapshot, pulled first with --pull.
    std::vector<SourceReport> freshness;
    auto no_snapshot = use_snapshots(config, freshness);

    LoadedInputs out;
    out.rows = std::make_unique<RowSink>(policy);
    RowSink& rows = *out.rows;
    connectors::ReadContext context{rows, as_of, config.window_days, threads};
    auto& data = out.data;
    data = connectors::read_all(config.sources, context);
    data.as_of = as_of;
    data.window_days = config.window_days;
    for (auto& s : no_snapshot) data.sources.push_back(std::move(s));
    for (auto& s : data.sources) {
        for (const auto& f : freshness) {
            if (f.name != s.name) continue;
            s.fetched_at = f.fetched_at;
            s.stale = f.stale;
            s.stale_reason = f.stale_reason;
        }
    }
    resolve_seat_tools(data);

    bool fatal = false, partial = rows.rejected_total() > 0;
    for (const auto& s : data.sources) {
        if (s.stale) partial = true;
        if (s.ok) continue;
        partial = true;
        const bool bad_row_stop = policy == BadRowPolicy::fail && !s.errors.empty() && is_row_error(s.errors.front());
        if (k_essential_kinds.contains(s.kind) || bad_row_stop) fatal = true;
    }
    if (fatal) {
        for (const auto& s : data.sources)
            if (!s.ok)
                for (const auto& e : s.errors) err << e.to_string() << "\n";
        err << "nothing was audited: the inputs above must be fixed first.\n";
        return fail(ErrorCode::source_failed, "an essential input could not be read", {},
                    "fix the inputs named above");
    }

    // A seat export configured for a tool the catalog does not know is almost always a typo;
    // auditing it would invent an uncatalogued tool with unowned seats.
    std::vector<std::string> tool_names;
    for (const auto& t : data.tools) tool_names.push_back(t.name);
    bool unknown_tool = false;
    for (const auto& s : config.sources) {
        const auto* spec = connectors::find(s.kind);
        const std::string tool = !s.tool.empty() ? s.tool : spec != nullptr ? spec->default_tool : std::string();
        if (tool.empty()) continue;
        const bool known = std::any_of(tool_names.begin(), tool_names.end(),
                                       [&](const std::string& n) { return iequals(n, tool); });
        if (known) continue;
        unknown_tool = true;
        std::string hint = s.tool.empty() ? "this input's seats default to \"" + tool + "\"; add  tool: <name in your catalog>  to it"
                                          : "use the tool's name exactly as in the catalog's tool column";
        if (auto guess = did_you_mean(tool, tool_names); !guess.empty()) hint = "did you mean \"" + guess + "\"? " + hint;
        err << Error{ErrorCode::config_invalid, "input " + s.name + " holds seats of \"" + tool + "\", which is not in the catalog",
                           Location{.source = "config", .file = s.config_file, .line = s.config_line}, hint}
                         .to_string()
                  << "\n";
    }
    if (unknown_tool)
        return fail(ErrorCode::config_invalid, "seats of a tool that is not in the catalog", {},
                    "name each input's tool as the catalog does");
    out.partial = partial;
    return out;

}

}  // namespace stackaudit::cli
