// The findings JSON (schema in docs/outputs.md). Deterministic: keys in a fixed order, findings
// in the report's order, numbers through one formatter, so the same report gives the same
// bytes and runs can be diffed. Additive changes keep schema_version; removals or renames bump it.
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "detail.hpp"
#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/error.hpp"
#include "stackaudit/core/time.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::report {

namespace {

constexpr std::array k_severities_descending = {Severity::critical, Severity::high, Severity::medium, Severity::low,
                                                 Severity::info};

void write_money(detail::JsonWriter& json, std::optional<double> amount) {
    const std::string text = amount ? format_money(*amount) : std::string();
    if (text.empty()) {
        json.null();
    } else {
        json.number_text(text);
    }
}

void write_error(detail::JsonWriter& json, const Error& error, bool with_source) {
    json.begin_object();
    json.field("code", to_string(error.code));
    json.field("message", error.message);
    if (with_source) json.field("source", error.where.source);
    json.field("file", error.where.file);
    json.key("line");
    if (error.where.line > 0) {
        json.count(error.where.line);
    } else {
        json.null();
    }
    json.field("hint", error.hint);
    json.end_object();
}

void write_inputs(detail::JsonWriter& json, const AuditReport& report) {
    json.key("inputs");
    json.begin_object();
    json.key("sources");
    json.begin_array();
    for (const SourceReport& source : report.sources) {
        json.begin_object();
        json.field("name", source.name);
        json.field("kind", source.kind);
        json.field("path", source.path);
        json.field_bool("ok", source.ok);
        json.field_count("records", source.records);
        json.field_count("rejected", source.rejected);
        json.field_count("ignored", source.ignored);
        json.key("fetched_at");
        if (source.fetched_at.empty()) json.null();
        else json.string(source.fetched_at);
        json.field_bool("stale", source.stale);
        json.key("stale_reason");
        if (source.stale_reason.empty()) json.null();
        else json.string(source.stale_reason);
        json.key("errors");
        json.begin_array();
        for (const Error& error : source.errors) write_error(json, error, false);
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.field_count("rejected_rows", report.rejected_rows);
    json.key("rejects_file");
    if (report.rejects_file.empty()) {
        json.null();
    } else {
        json.string(report.rejects_file);
    }
    json.key("dataset");
    json.begin_object();
    json.field_count("people", report.people);
    json.field_count("tools", report.tools);
    json.field_count("seats", report.seats);
    json.field_count("usage_pairs", report.usage_pairs);
    json.end_object();
    const std::vector<std::string> gaps = coverage_gaps(report);
    json.field_bool("complete", gaps.empty());
    json.key("gaps");
    json.begin_array();
    for (const std::string& gap : gaps) json.string(gap);
    json.end_array();
    json.end_object();
}

void write_totals(detail::JsonWriter& json, const AuditReport& report) {
    std::array<std::size_t, 5> by_severity{};
    double money = 0.0;
    std::size_t waived = 0;
    for (const Finding& f : report.findings) {
        // A waived finding is reported but accepted: it counts neither by severity nor in money.
        if (f.waived) {
            ++waived;
            continue;
        }
        ++by_severity[static_cast<std::size_t>(f.severity)];
        if (f.money_at_stake && std::isfinite(*f.money_at_stake)) money += *f.money_at_stake;
    }
    json.key("totals");
    json.begin_object();
    json.field_count("findings", report.findings.size());
    json.field_count("waived", waived);
    json.key("by_severity");
    json.begin_object();
    for (Severity s : k_severities_descending) json.field_count(to_string(s), by_severity[static_cast<std::size_t>(s)]);
    json.end_object();
    json.key("money_at_stake");
    write_money(json, money);
    json.end_object();
}

void write_rules(detail::JsonWriter& json, const AuditReport& report) {
    json.key("rules");
    json.begin_array();
    for (const RuleRun& run : report.rule_runs) {
        json.begin_object();
        json.field("id", run.rule_id);
        json.field("title", run.title);
        json.field("severity", to_string(run.severity));
        json.field_bool("evaluated", run.evaluated);
        json.key("not_evaluated_because");
        if (run.evaluated) {
            json.null();
        } else {
            json.string(run.not_evaluated_because);
        }
        json.field_count("subjects", run.subjects);
        json.field_count("fired", run.fired);
        json.field_count("errors", run.errors);
        json.end_object();
    }
    json.end_array();
    json.key("rule_errors");
    json.begin_array();
    for (const Error& error : report.rule_errors) write_error(json, error, true);
    json.end_array();
}

void write_finding(detail::JsonWriter& json, const Finding& f) {
    json.begin_object();
    json.field("id", f.id);
    json.field("rule_id", f.rule_id);
    json.field("rule_title", f.rule_title);
    json.field("category", f.category);
    json.field("severity", to_string(f.severity));
    json.field("subject_kind", f.subject_kind);
    json.field("subject", f.subject_key);
    json.field("tool", f.tool);
    json.field("department", f.department);
    json.key("owners");
    json.begin_array();
    for (const std::string& owner : f.owners) json.string(owner);
    json.end_array();
    json.field("message", f.message);
    json.key("evidence");
    json.begin_object();
    for (const auto& [name, value] : f.evidence) json.field(name, value);
    json.end_object();
    json.key("money_at_stake");
    write_money(json, f.money_at_stake);
    json.field("remediation", f.remediation);
    json.key("state");
    if (f.state.empty()) json.null();
    else json.string(f.state);
    json.key("first_seen");
    if (f.first_seen.empty()) json.null();
    else json.string(f.first_seen);
    json.key("age_days");
    if (f.age_days) json.integer(*f.age_days);
    else json.null();
    json.key("waiver");
    if (!f.waived) {
        json.null();
    } else {
        json.begin_object();
        json.field("reason", f.waiver_reason);
        json.field("approver", f.waiver_approver);
        json.field("expires", f.waiver_expires);
        json.end_object();
    }
    json.end_object();
}

}  // namespace

std::string findings_json(const AuditReport& report) {
    detail::JsonWriter json;
    json.begin_object();
    json.key("schema_version");
    json.integer(k_json_schema_version);
    json.field("tool", "stackaudit");
    json.field("version", report.tool_version);
    json.field("company", report.company);
    json.field("as_of", format_timestamp(report.as_of));
    json.key("window_days");
    json.integer(report.window_days);
    write_inputs(json, report);
    write_totals(json, report);
    write_rules(json, report);
    json.key("findings");
    json.begin_array();
    for (const Finding& f : report.findings) write_finding(json, f);
    json.end_array();
    json.end_object();
    return json.finish();
}

}  // namespace stackaudit::report
