// Fuzz target `expr`: the rule expression language end to end: lexer, parser, type-checker
// (against the real fact catalog) and evaluator. Byte 0 picks the subject kind. Then, split by
// '\x1e':
//   part 0  the expression
//   part 1  facts, one "alias.fact=<expression>" per line: each right-hand side is itself
//           compiled and evaluated, and its value is given to the subject when it has the
//           fact's declared type (graph only ever computes facts of their declared type)
//   part 2  parameters, one "name=<expression>" per line, usable as params.name
// An expression that compiles is evaluated on the subject with those facts and on one whose
// facts are all null; a runtime failure must be an Error, never a crash.
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "stackaudit/core/facts.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/rules/rules.hpp"

namespace {

using namespace stackaudit;

constexpr auto k_as_of = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1};

bool fits(const Value& value, const FactDef& def) {
    if (value.is_null()) return true;
    if (value.type() == ValueType::integer && def.type == ValueType::number) return true;
    if (value.type() != def.type) return false;
    if (def.type != ValueType::list || def.element == ValueType::null) return true;
    for (const auto& item : value.as_list()) {
        if (item.type() != def.element &&
            !(item.type() == ValueType::integer && def.element == ValueType::number))
            return false;
    }
    return true;
}

const FactDef* find_fact(const FactCatalog& catalog, const SubjectKind& kind, std::string_view name) {
    const auto dot = name.find('.');
    if (dot == std::string_view::npos) return nullptr;
    for (const auto& binding : kind.frames) {
        if (binding.alias != name.substr(0, dot)) continue;
        const FrameType* frame = catalog.frame(binding.frame);
        if (frame == nullptr) continue;
        if (const auto slot = frame->slot(name.substr(dot + 1))) return &frame->facts[*slot];
    }
    return nullptr;
}

// Compiles and evaluates a constant-ish expression on `subject`; nullopt when it does not work.
std::optional<Value> value_of(std::string_view text, const FactCatalog& catalog, const SubjectKind& kind,
                              const Subject& subject) {
    auto compiled = rules::compile_expression(text, catalog, kind.name);
    if (!compiled) return std::nullopt;
    auto value = rules::evaluate_expression(**compiled, subject, {}, k_as_of);
    if (!value) return std::nullopt;
    return *value;
}

void evaluate(const rules::CompiledExpr& expr, const Subject& subject, const std::vector<Value>& params) {
    const auto result = rules::evaluate_expression(expr, subject, params, k_as_of);
    if (!result) {
        fuzz::touch(result.error());
        return;
    }
    (void)result->to_display();
    (void)result->to_json();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const FactCatalog& catalog = graph::fact_catalog();
    const auto [choice, rest] = fuzz::select(fuzz::as_text(data, size), catalog.subject_kinds.size());
    const SubjectKind& kind = catalog.subject_kinds[choice];
    const auto parts = fuzz::split_parts(rest);

    auto empty = rules::make_subject(catalog, kind.name, {});
    if (!empty) std::abort();

    std::map<std::string, Value> facts;
    if (parts.size() > 1) {
        for (const auto& [name, text] : fuzz::parse_options(parts[1])) {
            const FactDef* def = find_fact(catalog, kind, name);
            if (def == nullptr) continue;
            auto value = value_of(text, catalog, kind, (*empty)->subject);
            if (value && fits(*value, *def)) facts[name] = std::move(*value);
        }
    }
    std::vector<rules::ParamDef> params;
    std::vector<Value> param_values;
    if (parts.size() > 2) {
        for (const auto& [name, text] : fuzz::parse_options(parts[2])) {
            auto value = value_of(text, catalog, kind, (*empty)->subject);
            if (!value) continue;
            params.push_back(rules::ParamDef{name, *value, "fuzz"});
            param_values.push_back(std::move(*value));
        }
    }

    const auto compiled = rules::compile_expression(parts[0], catalog, kind.name, params);
    if (!compiled) {
        if (compiled.error().empty()) std::abort();  // a rejected expression says why
        for (const auto& error : compiled.error()) fuzz::touch(error);
        return 0;
    }
    auto subject = rules::make_subject(catalog, kind.name, facts);
    if (!subject) std::abort();  // only known facts were given
    evaluate(**compiled, (*subject)->subject, param_values);
    evaluate(**compiled, (*empty)->subject, param_values);
    return 0;
}
