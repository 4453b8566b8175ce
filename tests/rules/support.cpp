// Test catalog and expression helpers shared by the rules tests.
#include "support.hpp"

#include <catch2/catch.hpp>

namespace stackaudit::rules::test {

namespace {

FactDef fact(const char* name, ValueType type, const char* description = "",
             ValueType element = ValueType::null) {
    return FactDef{name, type, element, description};
}

FactCatalog build() {
    using VT = ValueType;
    FactCatalog c;
    c.frame_types.push_back(FrameType{
        "tool",
        "one catalog tool",
        {
            fact("name", VT::string, "catalog name"),
            fact("vendor", VT::string),
            fact("in_catalog", VT::boolean),
            fact("capabilities", VT::list, "lower-cased capabilities", VT::string),
            fact("owning_department", VT::string),
            fact("business_owners", VT::list, "business owner emails", VT::string),
            fact("technical_owners", VT::list, "technical owner emails", VT::string),
            fact("active_business_owners", VT::integer, "business owners who are known and not departed"),
            fact("active_technical_owners", VT::integer, "technical owners who are known and not departed"),
            fact("owner_departments", VT::list, "departments of active owners", VT::string),
            fact("it_reviewed", VT::boolean),
            fact("contract_seats", VT::integer),
            fact("cost_per_seat", VT::number, "annual cost per seat"),
            fact("annual_cost", VT::number),
            fact("renewal_date", VT::date),
            fact("days_to_renewal", VT::integer),
            fact("usage_tracked", VT::boolean),
            fact("assigned_seats", VT::integer),
            fact("active_seats", VT::integer),
            fact("idle_seats", VT::integer),
            fact("utilisation", VT::number, "active seats / assigned seats"),
            fact("seats_over_contract", VT::integer),
            fact("active_users", VT::integer),
            fact("top_department", VT::string),
            fact("top_department_share", VT::number),
            fact("data_categories", VT::list, "data on its integrations", VT::string),
            fact("idle_seat_cost", VT::number),
        }});
    c.frame_types.push_back(FrameType{
        "seat",
        "one seat row",
        {
            fact("tool", VT::string),
            fact("email", VT::string, "seat holder email"),
            fact("license_type", VT::string),
            fact("assigned_date", VT::date),
            fact("days_since_assigned", VT::integer),
            fact("last_activity", VT::date, "last sign-in or export activity"),
            fact("days_since_activity", VT::integer, "days since the last activity; null if never"),
            fact("usage_tracked", VT::boolean, "whether use of the tool is visible"),
            fact("events_in_window", VT::integer),
        }});
    c.frame_types.push_back(FrameType{
        "person",
        "a person",
        {
            fact("known", VT::boolean, "in the directory"),
            fact("email", VT::string),
            fact("name", VT::string, "display name"),
            fact("department", VT::string),
            fact("status", VT::string),
            fact("departed", VT::boolean, "left the company"),
            fact("termination_date", VT::date),
            fact("days_since_departure", VT::integer),
        }});
    c.frame_types.push_back(FrameType{"owner", "an owner entry", {fact("email", VT::string), fact("role", VT::string)}});
    c.frame_types.push_back(FrameType{
        "pair",
        "two tools sharing a capability",
        {
            fact("capabilities", VT::list, "shared capabilities", VT::string),
            fact("shared_users", VT::integer),
            fact("jaccard", VT::number),
            fact("same_owning_department", VT::boolean),
            fact("overlap_cost", VT::number),
        }});
    c.subject_kinds.push_back(SubjectKind{"tool", "each catalog tool", {{"tool", "tool"}}});
    c.subject_kinds.push_back(
        SubjectKind{"seat", "each seat", {{"seat", "seat"}, {"person", "person"}, {"tool", "tool"}}});
    c.subject_kinds.push_back(
        SubjectKind{"owner", "each owner", {{"owner", "owner"}, {"person", "person"}, {"tool", "tool"}}});
    c.subject_kinds.push_back(
        SubjectKind{"tool_pair", "tools sharing a capability", {{"pair", "pair"}, {"a", "tool"}, {"b", "tool"}}});
    return c;
}

}  // namespace

const FactCatalog& catalog() {
    static const FactCatalog c = build();
    return c;
}

const std::vector<ParamDef>& params() {
    static const std::vector<ParamDef> p{
        {"idle_days", Value(60), "days"},
        {"floor", Value(0.5), "utilisation floor"},
        {"departments", Value::strings({"Marketing", "Sales"}), "departments"},
        {"label", Value("crm"), "a label"},
        {"enabled", Value(true), "a switch"},
    };
    return p;
}

std::vector<Value> param_values() {
    std::vector<Value> out;
    for (const auto& p : params()) out.push_back(p.default_value);
    return out;
}

Date date(const char* text) {
    auto d = parse_date(text);
    REQUIRE(d.has_value());
    REQUIRE(d->has_value());
    return **d;
}

Date as_of() { return date("2026-11-01"); }

Value eval(const std::string& expr, const std::map<std::string, Value>& facts, const std::string& kind) {
    INFO("expression: " << expr);
    auto compiled = compile_expression(expr, catalog(), kind, params());
    if (!compiled) {
        for (const auto& e : compiled.error()) INFO(e.to_string());
        FAIL("does not compile: " << compiled.error().front().to_string());
    }
    auto subject = make_subject(catalog(), kind, facts);
    REQUIRE(subject.has_value());
    auto v = evaluate_expression(**compiled, (*subject)->subject, param_values(), as_of());
    if (!v) FAIL("evaluation failed: " << v.error().to_string());
    return *v;
}

std::vector<Error> compile_errors(const std::string& expr, const std::string& kind) {
    auto compiled = compile_expression(expr, catalog(), kind, params());
    if (compiled) return {};
    return compiled.error();
}

std::filesystem::path data_dir() { return STACKAUDIT_TEST_DATA_DIR; }

}  // namespace stackaudit::rules::test
