// Running rules: override checks, evaluation over subjects into findings, the rules' own test
// cases, explain(), and the single-expression API.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>
#include <span>
#include <sstream>
#include <unordered_map>

#include "expr.hpp"
#include "stackaudit/core/parallel.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::rules {

namespace {

// At most this many per-subject errors are reported per rule; the rest are counted.
constexpr std::size_t k_max_errors_per_rule = 20;

std::int64_t days_of(Date d) { return d.time_since_epoch().count(); }

std::vector<Value> default_params(const Rule& rule) {
    std::vector<Value> out;
    out.reserve(rule.params.size());
    for (const auto& p : rule.params) out.push_back(p.default_value);
    return out;
}

std::string a_type(ValueType t) {
    const std::string name(to_string(t));
    return (t == ValueType::integer ? "an " : "a ") + name;
}

// Checks an override against the parameter's type (that of its default).
std::optional<Value> convert_param(const Value& v, const Value& def, std::string& why) {
    const ValueType want = def.type();
    switch (want) {
    case ValueType::integer:
        if (v.type() == ValueType::integer) return v;
        break;
    case ValueType::number:
        if (v.type() == ValueType::integer || v.type() == ValueType::number) return Value(v.as_number());
        break;
    case ValueType::date:
        if (v.type() == ValueType::date) return v;
        if (v.type() == ValueType::string)
            if (auto d = parse_date(v.as_string()); d && *d) return Value(**d);
        break;
    case ValueType::list: {
        if (v.type() != ValueType::list) break;
        if (def.as_list().empty()) return v;
        const ValueType elem = def.as_list().front().type();
        Value::List out;
        for (const auto& item : v.as_list()) {
            std::string inner;
            auto x = convert_param(item, def.as_list().front(), inner);
            if (!x) {
                why = "expects a list of " + std::string(to_string(elem)) + "s, got " + a_type(item.type()) +
                      " item " + item.to_json();
                return std::nullopt;
            }
            out.push_back(std::move(*x));
        }
        return Value(std::move(out));
    }
    default:
        if (v.type() == want) return v;
        break;
    }
    why = "expects " + a_type(want) + " (like its default " + def.to_json() + "), got " + a_type(v.type()) + " " +
          v.to_json();
    return std::nullopt;
}

Error config_error(ErrorCode code, std::string message, std::string hint) {
    Location where;
    where.source = "config rules";
    return Error{code, std::move(message), where, std::move(hint)};
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates, std::string_view fallback) {
    const auto guess = did_you_mean(word, candidates);
    return guess.empty() ? std::string(fallback) : "did you mean '" + guess + "'?";
}

std::string render_message(const Rule& rule, EvalContext& ctx) {
    std::string out;
    for (const auto& [literal, expr] : rule.compiled_message) {
        out += literal;
        if (!expr) continue;
        const Val v = expr->eval(ctx);
        if (ctx.failed) return out + "?";
        out += display(v);
    }
    return out;
}

// What one thread found for one rule over its share of the subjects.
struct RulePart {
    std::vector<Finding> findings;
    std::vector<Error> errors;     // the first k_max_errors_per_rule of this part
    std::size_t errors_total = 0;  // all of them
};

// Below this many subjects per thread a rule runs on one: starting threads would cost more.
constexpr std::size_t k_min_subjects_per_part = 4096;

// Evaluates one rule on one subject into `out`; ctx carries the thread's scratch and as_of.
void evaluate_subject(const Rule& rule, Severity severity, const std::vector<Value>& params, const Subject* subject,
                      EvalContext& ctx, RulePart& out) {
    ctx.params = &params;
    auto report = [&](const Subject& s, std::string_view part) {
        if (out.errors_total++ < k_max_errors_per_rule) {
            Location where;
            where.source = "rule " + rule.id;
            where.file = rule.file;
            out.errors.push_back(Error{ErrorCode::evaluation,
                                       "rule " + rule.id + " failed on " + s.key + " (" + std::string(part) +
                                           "): " + ctx.error,
                                       where, "check the facts of this subject; the rule skipped it"});
        }
        ctx.failed = false;
    };
    ctx.scratch->reset();
    ctx.subject = subject;
    const Val fired = rule.compiled_condition->eval(ctx);
    if (ctx.failed) {
        report(*subject, "condition");
        return;
    }
    if (!is_true(fired)) return;

    Finding f;
    f.id = stable_finding_id(rule.id, subject->key);
    f.rule_id = rule.id;
    f.rule_title = rule.title;
    f.category = rule.category;
    f.severity = severity;
    f.subject_kind = subject->kind;
    f.subject_key = subject->key;
    f.tool = subject->tool;
    f.department = subject->department;
    f.remediation = rule.remediation;
    f.message = render_message(rule, ctx);
    if (ctx.failed) report(*subject, "message");
    f.owners = subject->owners;
    if (rule.compiled_owners) {
        const Val o = rule.compiled_owners->eval(ctx);
        if (ctx.failed) report(*subject, "owners");
        else if (o.type == ValueType::list) {
            f.owners.clear();
            for (const auto& item : o.list())
                if (!item.is_null()) f.owners.push_back(item.to_display());
        } else if (o.type == ValueType::string) {
            f.owners = {o.str()};
        }
    }
    if (rule.compiled_money) {
        const Val m = rule.compiled_money->eval(ctx);
        if (ctx.failed) report(*subject, "money");
        else if (m.is_numeric() && std::isfinite(m.num())) f.money_at_stake = m.num();
    }
    f.evidence.reserve(rule.compiled_evidence.size());
    for (std::size_t e = 0; e < rule.compiled_evidence.size(); ++e) {
        const auto& expr = rule.compiled_evidence[e];
        std::string shown;
        if (expr) {
            const Val v = expr->eval(ctx);
            if (ctx.failed) report(*subject, "evidence");
            else shown = v.to_value().to_display();
        }
        f.evidence.emplace_back(e < rule.evidence_names.size() ? rule.evidence_names[e] : expr->text,
                                std::move(shown));
    }
    out.findings.push_back(std::move(f));
}

}  // namespace

EvalResult evaluate(const std::vector<Rule>& rules, const FactCatalog& catalog, const std::vector<Subject>& subjects,
                    const EvalOptions& options) {
    (void)catalog;
    EvalResult result;
    std::vector<std::string> ids;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        ids.push_back(rules[i].id);
        index.emplace(rules[i].id, i);
    }

    std::vector<std::vector<Value>> params;
    params.reserve(rules.size());
    for (const auto& r : rules) params.push_back(default_params(r));

    // Global overrides first, so a per-rule override ("idle-seat.idle_days") always wins.
    std::vector<std::string> all_params;
    for (const auto& r : rules)
        for (const auto& p : r.params)
            if (std::find(all_params.begin(), all_params.end(), p.name) == all_params.end()) all_params.push_back(p.name);
    for (int pass = 0; pass < 2; ++pass) {
        for (const auto& [key, value] : options.params) {
            const auto dot = key.find('.');
            if ((dot == std::string::npos) != (pass == 0)) continue;
            if (dot == std::string::npos) {
                bool declared = false;
                for (std::size_t i = 0; i < rules.size(); ++i) {
                    const auto& rp = rules[i].params;
                    for (std::size_t j = 0; j < rp.size(); ++j) {
                        if (rp[j].name != key) continue;
                        declared = true;
                        std::string why;
                        if (auto v = convert_param(value, rp[j].default_value, why)) params[i][j] = std::move(*v);
                        else
                            result.errors.push_back(config_error(
                                ErrorCode::config_invalid,
                                "parameter '" + key + "' of rule " + rules[i].id + " " + why,
                                "set " + key + " to a value of the same type as its default, or override it for one "
                                "rule with " + rules[i].id + "." + key));
                    }
                }
                if (!declared)
                    result.errors.push_back(config_error(
                        ErrorCode::config_invalid, "no loaded rule declares a parameter '" + key + "'",
                        suggestion(key, all_params, "see `stackaudit rules explain <id>` for each rule's parameters")));
                continue;
            }
            const std::string rule_id = key.substr(0, dot);
            const std::string name = key.substr(dot + 1);
            const auto it = index.find(rule_id);
            if (it == index.end()) {
                result.errors.push_back(config_error(ErrorCode::not_found,
                                                     "parameter override '" + key + "' names unknown rule '" + rule_id + "'",
                                                     suggestion(rule_id, ids, "see `stackaudit rules list`")));
                continue;
            }
            const Rule& rule = rules[it->second];
            std::vector<std::string> names;
            std::size_t found = rule.params.size();
            for (std::size_t j = 0; j < rule.params.size(); ++j) {
                names.push_back(rule.params[j].name);
                if (rule.params[j].name == name) found = j;
            }
            if (found == rule.params.size()) {
                result.errors.push_back(config_error(
                    ErrorCode::config_invalid, "rule " + rule_id + " has no parameter '" + name + "'",
                    suggestion(name, names,
                               names.empty() ? "this rule has no parameters"
                                             : "its parameters: " + join(names, ", "))));
                continue;
            }
            std::string why;
            if (auto v = convert_param(value, rule.params[found].default_value, why))
                params[it->second][found] = std::move(*v);
            else
                result.errors.push_back(config_error(ErrorCode::config_invalid, "parameter '" + key + "' " + why,
                                                     "use a value of the same type as the default"));
        }
    }
    auto check_ids = [&](const auto& set, std::string_view what) {
        for (const auto& entry : set) {
            const std::string& id = [&]() -> const std::string& {
                if constexpr (std::is_same_v<std::decay_t<decltype(entry)>, std::string>) return entry;
                else return entry.first;
            }();
            if (!index.contains(id))
                result.errors.push_back(config_error(ErrorCode::not_found,
                                                     "unknown rule '" + id + "' in " + std::string(what),
                                                     suggestion(id, ids, "see `stackaudit rules list`")));
        }
    };
    check_ids(options.disabled, "rules.disable");
    check_ids(options.enabled, "rules.enable");
    check_ids(options.severity_overrides, "rules.severity");

    // Subjects grouped by kind once, not once per rule.
    std::unordered_map<std::string_view, std::vector<const Subject*>> by_kind;
    for (const auto& s : subjects) by_kind[s.kind].push_back(&s);

    std::vector<std::size_t> order(rules.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rules[a].id < rules[b].id; });

    const unsigned threads = resolve_threads(options.threads);
    // Which rules run and why the others do not, in id order.
    std::vector<RuleRun> runs;
    for (const auto ri : order) {
        const Rule& rule = rules[ri];
        RuleRun run;
        run.rule_id = rule.id;
        run.title = rule.title;
        run.severity = rule.severity;
        if (const auto s = options.severity_overrides.find(rule.id); s != options.severity_overrides.end())
            run.severity = s->second;

        std::vector<std::string> missing;
        for (const auto& input : rule.requires_inputs)
            if (options.unavailable_inputs.contains(input)) missing.push_back(input);
        if (options.disabled.contains(rule.id)) {
            run.evaluated = false;
            run.not_evaluated_because = "disabled in the configuration (rules.disable)";
        } else if (rule.maturity == "experimental" && !options.enabled.contains(rule.id)) {
            run.evaluated = false;
            run.not_evaluated_because = "experimental rule; switch it on with rules.enable";
        } else if (!missing.empty()) {
            run.evaluated = false;
            run.not_evaluated_because = "input " + join(missing, ", ") + (missing.size() == 1 ? " is" : " are") +
                                        " missing or failed in this run";
        } else if (!rule.compiled_condition) {
            run.evaluated = false;
            run.not_evaluated_because = "the rule's condition is not compiled (load it with load_rules)";
        }
        runs.push_back(std::move(run));
    }

    // Each kind's subjects are walked once, every rule of that kind evaluated on a subject while
    // its frames are in cache (walking all subjects once per rule was bound by memory). The
    // subjects are split over threads; parts[k][p] is what rule k found in part p.
    std::vector<std::vector<RulePart>> parts(order.size());
    std::set<std::string_view> kinds;
    for (std::size_t k = 0; k < order.size(); ++k)
        if (runs[k].evaluated) kinds.insert(rules[order[k]].subject);
    for (const std::string_view kind : kinds) {
        const auto group = by_kind.find(kind);
        if (group == by_kind.end()) continue;
        const std::vector<const Subject*>& of_kind = group->second;
        std::vector<std::size_t> of_this_kind;  // positions in `order`
        for (std::size_t k = 0; k < order.size(); ++k) {
            if (!runs[k].evaluated || rules[order[k]].subject != kind) continue;
            of_this_kind.push_back(k);
            runs[k].subjects = of_kind.size();
        }
        const std::size_t count = part_count(of_kind.size(), k_min_subjects_per_part, threads);
        for (const std::size_t k : of_this_kind) parts[k].resize(count);
        run_parts(count, [&](std::size_t p) {
            Scratch scratch;
            EvalContext ctx;
            ctx.as_of_days = days_of(options.as_of);
            ctx.scratch = &scratch;
            const PartRange range = part_range(of_kind.size(), count, p);
            for (std::size_t i = range.begin; i < range.end; ++i)
                for (const std::size_t k : of_this_kind)
                    evaluate_subject(rules[order[k]], runs[k].severity, params[order[k]], of_kind[i], ctx, parts[k][p]);
        });
    }

    // Merged rule by rule, parts in subject order: the same findings, in the same order, and the
    // same first errors for any thread count.
    for (std::size_t k = 0; k < order.size(); ++k) {
        RuleRun& run = runs[k];
        const Rule& rule = rules[order[k]];
        std::size_t reported = 0;
        for (RulePart& part : parts[k]) {
            for (Error& e : part.errors)
                if (reported++ < k_max_errors_per_rule) result.errors.push_back(std::move(e));
            reported += part.errors_total - part.errors.size();
            run.errors += part.errors_total;
            run.fired += part.findings.size();
            std::move(part.findings.begin(), part.findings.end(), std::back_inserter(result.findings));
        }
        if (reported > k_max_errors_per_rule) {
            Location where;
            where.source = "rule " + rule.id;
            where.file = rule.file;
            result.errors.push_back(Error{ErrorCode::evaluation,
                                          "rule " + rule.id + " failed on " +
                                              std::to_string(reported - k_max_errors_per_rule) + " more subjects",
                                          where, "the first errors above show the pattern"});
        }
        result.runs.push_back(std::move(run));
    }
    sort_findings(result.findings);
    return result;
}

Result<std::unique_ptr<OwnedSubject>> make_subject(const FactCatalog& catalog, std::string_view kind,
                                                   const std::map<std::string, Value>& facts) {
    const SubjectKind* k = catalog.kind(kind);
    if (k == nullptr) {
        std::vector<std::string> kinds;
        for (const auto& sk : catalog.subject_kinds) kinds.push_back(sk.name);
        return fail(ErrorCode::not_found, "unknown subject kind '" + std::string(kind) + "'", {},
                    suggestion(kind, kinds, "kinds: " + join(kinds, ", ")));
    }
    auto out = std::make_unique<OwnedSubject>();
    out->frames.resize(k->frames.size());
    std::vector<std::string> names;
    for (std::size_t pos = 0; pos < k->frames.size(); ++pos) {
        const FrameType* f = catalog.frame(k->frames[pos].frame);
        if (f == nullptr)
            return fail(ErrorCode::internal, "subject kind " + k->name + " names unknown frame " + k->frames[pos].frame);
        auto& values = out->frames[pos];
        values.reserve(f->facts.size());
        for (const auto& def : f->facts) {
            values.push_back(def.type == ValueType::list ? Value(Value::List{}) : Value());
            names.push_back(k->frames[pos].alias + "." + def.name);
        }
    }
    for (const auto& [name, value] : facts) {
        const auto dot = name.find('.');
        bool placed = false;
        if (dot != std::string::npos) {
            for (std::size_t pos = 0; pos < k->frames.size() && !placed; ++pos) {
                if (k->frames[pos].alias != name.substr(0, dot)) continue;
                const FrameType* f = catalog.frame(k->frames[pos].frame);
                if (auto slot = f->slot(name.substr(dot + 1))) {
                    out->frames[pos][*slot] = value;
                    placed = true;
                }
            }
        }
        if (!placed)
            return fail(ErrorCode::unknown_fact, "unknown fact '" + name + "' for subject kind " + k->name, {},
                        suggestion(name, names, "facts are alias.fact"));
    }
    out->subject.kind = k->name;
    out->subject.key = k->name + ":test";
    for (const auto& frame : out->frames) out->subject.frames.push_back(&frame);
    return out;
}

std::vector<TestOutcome> run_rule_tests(const std::vector<Rule>& rules, const FactCatalog& catalog, Date as_of) {
    std::vector<TestOutcome> out;
    Scratch scratch;
    for (const auto& rule : rules) {
        for (const auto& tc : rule.tests) {
            TestOutcome outcome;
            outcome.rule_id = rule.id;
            outcome.case_name = tc.name;
            outcome.line = tc.line;
            auto subject = make_subject(catalog, rule.subject, tc.facts);
            if (!subject) {
                outcome.detail = subject.error().message;
                out.push_back(std::move(outcome));
                continue;
            }
            if (!rule.compiled_condition) {
                outcome.detail = "the rule's condition is not compiled";
                out.push_back(std::move(outcome));
                continue;
            }
            auto params = default_params(rule);
            for (const auto& [name, value] : tc.params)
                for (std::size_t j = 0; j < rule.params.size(); ++j)
                    if (rule.params[j].name == name) {
                        std::string why;
                        params[j] = convert_param(value, rule.params[j].default_value, why).value_or(value);
                    }
            scratch.reset();
            EvalContext ctx;
            ctx.subject = &(*subject)->subject;
            ctx.params = &params;
            ctx.as_of_days = days_of(as_of);
            ctx.scratch = &scratch;
            const Val v = rule.compiled_condition->eval(ctx);
            if (ctx.failed) {
                outcome.detail = "evaluating the condition failed: " + ctx.error;
                out.push_back(std::move(outcome));
                continue;
            }
            const bool fired = is_true(v);
            if (fired != tc.expect_fire) {
                outcome.detail = tc.expect_fire ? "expected the rule to fire, but the condition gave " +
                                                      (v.is_null() ? std::string("null") : display(v))
                                                : "expected no finding, but the rule fired";
                out.push_back(std::move(outcome));
                continue;
            }
            if (tc.expect_message) {
                const auto message = render_message(rule, ctx);
                if (ctx.failed) {
                    outcome.detail = "rendering the message failed: " + ctx.error;
                    out.push_back(std::move(outcome));
                    continue;
                }
                if (message != *tc.expect_message) {
                    outcome.detail = "message differs:\n  expected: " + *tc.expect_message + "\n  got:      " + message;
                    out.push_back(std::move(outcome));
                    continue;
                }
            }
            outcome.passed = true;
            out.push_back(std::move(outcome));
        }
    }
    return out;
}

std::string explain(const Rule& rule, const FactCatalog& catalog) {
    (void)catalog;
    std::ostringstream out;
    out << rule.id << ": " << rule.title << "\n";
    out << "  severity " << to_string(rule.severity) << ", category " << rule.category << ", subject " << rule.subject
        << ", " << rule.maturity << "\n";
    if (!rule.requires_inputs.empty()) out << "  requires inputs: " << join(rule.requires_inputs, ", ") << "\n";
    out << "\nWhat it checks:\n  " << rule.description << "\n";
    out << "\nWhy it matters:\n  " << rule.rationale << "\n";
    out << "\nCondition:\n  " << rule.condition << "\n";
    if (!rule.params.empty()) {
        out << "\nParameters (override with rules.params: {name: value} or {" << rule.id << ".name: value}):\n";
        for (const auto& p : rule.params) {
            out << "  " << p.name << " = " << p.default_value.to_json() << " (" << to_string(p.default_value.type())
                << ")";
            if (!p.description.empty()) out << ": " << p.description;
            out << "\n";
        }
    }
    // Every fact the rule reads, from any of its expressions, in order of first use.
    std::vector<FactUse> facts;
    auto collect = [&](const std::shared_ptr<const CompiledExpr>& e) {
        if (!e) return;
        for (const auto& f : e->facts)
            if (std::none_of(facts.begin(), facts.end(), [&](const FactUse& x) { return x.name == f.name; }))
                facts.push_back(f);
    };
    collect(rule.compiled_condition);
    for (const auto& part : rule.compiled_message) collect(part.second);
    collect(rule.compiled_money);
    collect(rule.compiled_owners);
    for (const auto& e : rule.compiled_evidence) collect(e);
    if (!facts.empty()) {
        out << "\nFacts it reads:\n";
        for (const auto& f : facts) {
            out << "  " << f.name << " (" << to_string(f.def->type);
            if (f.def->type == ValueType::list && f.def->element != ValueType::null)
                out << "<" << to_string(f.def->element) << ">";
            out << ")";
            if (!f.def->description.empty()) out << ": " << f.def->description;
            out << "\n";
        }
    }
    out << "\nMessage:\n  " << rule.message << "\n";
    if (!rule.money.empty()) out << "\nMoney at stake (annual):\n  " << rule.money << "\n";
    out << "\nRemediation:\n  " << rule.remediation << "\n";
    if (!rule.file.empty()) out << "\nDefined in " << rule.file << "\n";
    return out.str();
}

std::expected<std::shared_ptr<const CompiledExpr>, std::vector<Error>> compile_expression(
    std::string_view text, const FactCatalog& catalog, std::string_view subject_kind,
    const std::vector<ParamDef>& params) {
    const SubjectKind* kind = catalog.kind(subject_kind);
    if (kind == nullptr) {
        std::vector<std::string> kinds;
        for (const auto& k : catalog.subject_kinds) kinds.push_back(k.name);
        return std::unexpected(std::vector<Error>{Error{ErrorCode::not_found,
                                                        "unknown subject kind '" + std::string(subject_kind) + "'",
                                                        {}, suggestion(subject_kind, kinds, "")}});
    }
    const Scope scope{&catalog, kind, &params};
    SourceMap map;
    map.line = 1;
    map.column = 1;
    auto compiled = compile(text, scope, map);
    if (!compiled.errors.empty()) return std::unexpected(std::move(compiled.errors));
    return std::shared_ptr<const CompiledExpr>(std::move(compiled.expr));
}

Result<Value> evaluate_expression(const CompiledExpr& expr, const Subject& subject, const std::vector<Value>& params,
                                  Date as_of) {
    Scratch scratch;
    EvalContext ctx;
    ctx.subject = &subject;
    ctx.params = &params;
    ctx.as_of_days = days_of(as_of);
    ctx.scratch = &scratch;
    const Val v = expr.eval(ctx);
    if (ctx.failed) return fail(ErrorCode::evaluation, ctx.error, {}, "");
    return v.to_value();
}

}  // namespace stackaudit::rules
