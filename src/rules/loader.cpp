// Rule file loader: strict YAML schema (unknown keys are errors with a did-you-mean), typed
// parameters and test-case facts, and every expression compiled against the fact catalog.
// Every problem in every file is collected; only rules without problems are returned.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <regex>
#include <set>

#include <yaml-cpp/yaml.h>

#include "expr.hpp"
#include "stackaudit/core/io.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::rules {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> k_rule_keys{"id",        "title",   "description", "rationale", "category",
                                           "subject",   "severity", "maturity",   "requires",  "params",
                                           "condition", "message", "money",       "owners",    "evidence",
                                           "remediation", "tests"};
const std::vector<std::string> k_required_keys{"id",        "title",   "description", "rationale",   "category",
                                               "subject",   "severity", "condition",  "message", "remediation",
                                               "tests"};
const std::vector<std::string> k_param_keys{"default", "description"};
const std::vector<std::string> k_case_keys{"name", "expect", "facts", "params", "message"};
const std::vector<std::string> k_inputs{"directory", "catalog", "integrations", "seats", "okta_log"};
const std::vector<std::string> k_categories{"use", "ownership"};
const std::vector<std::string> k_maturities{"stable", "experimental"};

bool plain(const YAML::Node& n) { return n.Tag() == "?"; }

std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<double> parse_double(std::string_view s) {
    if (s.empty()) return std::nullopt;
    static const std::regex k_float(R"([-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)");
    if (!std::regex_match(s.begin(), s.end(), k_float)) return std::nullopt;
    return std::strtod(std::string(s).c_str(), nullptr);
}

std::optional<bool> parse_bool(std::string_view s) {
    const auto l = to_lower(s);
    if (l == "true") return true;
    if (l == "false") return false;
    return std::nullopt;
}

bool looks_like_date(std::string_view s) {
    static const std::regex k_date(R"(\d{4}-\d{2}-\d{2})");
    return std::regex_match(s.begin(), s.end(), k_date);
}

// A YAML scalar read without a declared type: plain true/false, integers, numbers and
// YYYY-MM-DD dates keep their type; quoted scalars are always strings.
Value infer_scalar(const YAML::Node& n) {
    if (n.IsNull()) return {};
    const std::string& s = n.Scalar();
    if (!plain(n)) return Value(s);
    if (auto b = parse_bool(s)) return Value(*b);
    if (auto i = parse_int(s)) return Value(*i);
    if (auto d = parse_double(s)) return Value(*d);
    if (looks_like_date(s))
        if (auto parsed = parse_date(s); parsed && *parsed) return Value(**parsed);
    return Value(s);
}

std::string describe_node(const YAML::Node& n) {
    if (n.IsNull()) return "nothing (null)";
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a mapping";
    return "'" + n.Scalar() + "'";
}

struct Entry {
    YAML::Node key;
    YAML::Node value;
};

class FileLoader {
public:
    FileLoader(fs::path path, const FactCatalog& catalog, std::vector<Error>& errors)
        : m_path(std::move(path)), m_file(m_path.string()), m_catalog(catalog), m_errors(errors) {}

    std::optional<Rule> load() {
        auto text = read_file(m_path);
        if (!text) {
            m_errors.push_back(text.error());
            return std::nullopt;
        }
        m_raw = std::move(*text);
        YAML::Node root;
        try {
            root = YAML::Load(m_raw);
        } catch (const YAML::Exception& e) {
            Location loc{{}, m_file, e.mark.is_null() ? 0 : static_cast<std::size_t>(e.mark.line + 1),
                         e.mark.is_null() ? 0 : static_cast<std::size_t>(e.mark.column + 1), 0, {}};
            m_errors.push_back(Error{ErrorCode::rule_invalid, "not valid YAML: " + e.msg, loc,
                                     "check indentation and quoting; expressions containing ': ' or '#' must be quoted "
                                     "or written as a block (condition: >-)"});
            return std::nullopt;
        }
        const std::size_t before = m_errors.size();
        Rule rule = parse(root);
        if (m_errors.size() != before) return std::nullopt;
        return rule;
    }

private:
    fs::path m_path;
    std::string m_file;
    std::string m_raw;
    const FactCatalog& m_catalog;
    std::vector<Error>& m_errors;
    const SubjectKind* m_kind = nullptr;

    Location at(const YAML::Node& n) const {
        Location loc;
        loc.file = m_file;
        const auto mark = n.Mark();
        if (!mark.is_null()) {
            loc.line = static_cast<std::size_t>(mark.line + 1);
            loc.column = static_cast<std::size_t>(mark.column + 1);
        }
        return loc;
    }

    void error(const YAML::Node& n, std::string message, std::string hint, ErrorCode code = ErrorCode::rule_invalid) {
        m_errors.push_back(Error{code, std::move(message), at(n), std::move(hint)});
    }

    // Reads a mapping strictly: unknown keys are errors with a did-you-mean.
    std::map<std::string, Entry> entries(const YAML::Node& map, const std::vector<std::string>& known,
                                         std::string_view where) {
        std::map<std::string, Entry> out;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const YAML::Node key = it->first;
            if (!key.IsScalar()) {
                error(key, "keys " + std::string(where) + " must be plain names", "");
                continue;
            }
            const std::string name = key.Scalar();
            if (std::find(known.begin(), known.end(), name) == known.end()) {
                const auto guess = did_you_mean(name, known);
                error(key, "unknown key '" + name + "' " + std::string(where),
                      guess.empty() ? "allowed keys: " + join(known, ", ") : "did you mean '" + guess + "'?");
                continue;
            }
            if (out.contains(name)) {
                error(key, "key '" + name + "' appears twice " + std::string(where), "keep one of them");
                continue;
            }
            out.emplace(name, Entry{key, it->second});
        }
        return out;
    }

    std::optional<std::string> text(const std::map<std::string, Entry>& e, const std::string& key, bool required,
                                    const YAML::Node& parent) {
        const auto it = e.find(key);
        if (it == e.end()) {
            if (required) error(parent, "missing required key '" + key + "'", "add " + key + ": to the rule");
            return std::nullopt;
        }
        const YAML::Node& v = it->second.value;
        if (!v.IsScalar() || trim(v.Scalar()).empty()) {
            error(v.IsNull() ? it->second.key : v, "'" + key + "' must be a non-empty text, got " + describe_node(v),
                  "write it as a string, e.g. " + key + ": \"...\"");
            return std::nullopt;
        }
        return v.Scalar();
    }

    std::optional<std::string> choice(const std::map<std::string, Entry>& e, const std::string& key, bool required,
                                      const YAML::Node& parent, const std::vector<std::string>& allowed) {
        auto v = text(e, key, required, parent);
        if (!v) return std::nullopt;
        if (std::find(allowed.begin(), allowed.end(), *v) != allowed.end()) return v;
        const auto guess = did_you_mean(*v, allowed);
        error(e.at(key).value, "'" + key + "' must be one of " + join(allowed, ", ") + ", got '" + *v + "'",
              guess.empty() ? "" : "did you mean '" + guess + "'?");
        return std::nullopt;
    }

    // Where each character of a scalar's value sits in the file (folding and quoting move it).
    SourceMap source_map(const YAML::Node& n, const std::string& value) const {
        SourceMap map;
        map.file = m_file;
        const auto mark = n.Mark();
        if (mark.is_null() || mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= m_raw.size()) {
            map.line = mark.is_null() ? 0 : static_cast<std::size_t>(mark.line + 1);
            map.column = mark.is_null() ? 0 : static_cast<std::size_t>(mark.column + 1);
            return map;
        }
        std::size_t p = static_cast<std::size_t>(mark.pos);
        std::uint32_t line = static_cast<std::uint32_t>(mark.line + 1);
        std::uint32_t col = static_cast<std::uint32_t>(mark.column + 1);
        auto step = [&] {
            if (m_raw[p] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
            ++p;
        };
        const char first = m_raw[p];
        if (first == '|' || first == '>') {
            while (p < m_raw.size() && m_raw[p] != '\n') step();
            if (p < m_raw.size()) step();
        } else if (first == '"' || first == '\'') {
            step();
        }
        auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
        map.positions.reserve(value.size());
        for (const char c : value) {
            // Look a little ahead for the character: indentation, folded newlines and escapes
            // sit between consecutive characters of the value.
            std::size_t q = p;
            std::size_t limit = std::min(m_raw.size(), p + 256);
            bool found = false;
            for (; q < limit; ++q) {
                const char s = m_raw[q];
                if (s == c || (is_space(c) && is_space(s))) {
                    found = true;
                    break;
                }
                if (!is_space(s) && s != '\\' && s != '"' && s != '\'' && !is_space(c)) break;
            }
            if (found)
                while (p < q) step();
            map.positions.emplace_back(line, col);
            if (found && p < m_raw.size()) step();
        }
        return map;
    }

    std::shared_ptr<const CompiledExpr> expression(const YAML::Node& n, const std::string& value, const Scope& scope) {
        const auto map = source_map(n, value);
        auto compiled = compile(value, scope, map);
        for (auto& e : compiled.errors) m_errors.push_back(std::move(e));
        return compiled.expr;
    }

    Rule parse(const YAML::Node& root) {
        Rule rule;
        rule.file = m_file;
        rule.line = 1;
        if (!root.IsMap()) {
            m_errors.push_back(Error{ErrorCode::rule_invalid, "a rule file must be a mapping of keys",
                                     Location{{}, m_file, 1, 1, 0, {}},
                                     "start with id:, title:, ... (see docs/rule-language.md)"});
            return rule;
        }
        const auto e = entries(root, k_rule_keys, "in a rule");
        // Missing required keys are reported at the top of the file.
        const YAML::Node& top = root;

        if (auto id = text(e, "id", true, top)) {
            rule.id = *id;
            static const std::regex k_kebab("[a-z0-9]+(-[a-z0-9]+)*");
            const auto stem = m_path.stem().string();
            if (!std::regex_match(rule.id, k_kebab))
                error(e.at("id").value, "id '" + rule.id + "' is not kebab-case",
                      "use lower-case words joined by '-', e.g. idle-seat");
            else if (rule.id != stem)
                error(e.at("id").value, "id '" + rule.id + "' does not match the file name '" + m_path.filename().string() + "'",
                      "rename the file to " + rule.id + ".yaml or set id: " + stem);
        }
        if (auto v = text(e, "title", true, top)) rule.title = *v;
        if (auto v = text(e, "description", true, top)) rule.description = std::string(trim(*v));
        if (auto v = text(e, "rationale", true, top)) rule.rationale = std::string(trim(*v));
        if (auto v = text(e, "remediation", true, top)) rule.remediation = std::string(trim(*v));
        if (auto v = choice(e, "category", true, top, k_categories)) rule.category = *v;
        if (auto v = choice(e, "maturity", false, top, k_maturities)) rule.maturity = *v;
        if (auto v = text(e, "severity", true, top)) {
            if (auto s = parse_severity(*v)) rule.severity = *s;
            else error(e.at("severity").value, "unknown severity '" + *v + "'",
                       "use one of info, low, medium, high, critical");
        }
        if (auto v = text(e, "subject", true, top)) {
            rule.subject = *v;
            m_kind = m_catalog.kind(*v);
            if (m_kind == nullptr) {
                std::vector<std::string> kinds;
                for (const auto& k : m_catalog.subject_kinds) kinds.push_back(k.name);
                const auto guess = did_you_mean(*v, kinds);
                error(e.at("subject").value, "unknown subject '" + *v + "'",
                      guess.empty() ? "subjects: " + join(kinds, ", ") : "did you mean '" + guess + "'?");
            }
        }
        if (const auto it = e.find("requires"); it != e.end()) parse_requires(it->second, rule);
        if (const auto it = e.find("params"); it != e.end()) parse_params(it->second, rule);

        const auto cond = text(e, "condition", true, top);
        const auto message = text(e, "message", true, top);
        const auto money = text(e, "money", false, top);
        const auto owners = text(e, "owners", false, top);
        if (m_kind != nullptr) {
            const Scope scope{&m_catalog, m_kind, &rule.params};
            if (cond) {
                rule.condition = std::string(trim(*cond));
                rule.compiled_condition = expression(e.at("condition").value, *cond, scope);
                if (rule.compiled_condition) {
                    const SType t = rule.compiled_condition->type();
                    if (t.t != Ty::boolean && t.t != Ty::any && t.t != Ty::null)
                        error(e.at("condition").value, "the condition must be a bool expression, got " + type_name(t),
                              "compare the value, e.g. " + rule.compiled_condition->text + " > 0",
                              ErrorCode::expression_invalid);
                }
            }
            if (message) {
                rule.message = *message;
                parse_message(e.at("message").value, *message, scope, rule);
            }
            if (money) {
                rule.money = std::string(trim(*money));
                rule.compiled_money = expression(e.at("money").value, *money, scope);
                if (rule.compiled_money) {
                    const Ty t = rule.compiled_money->type().t;
                    if (t != Ty::integer && t != Ty::number && t != Ty::any && t != Ty::null)
                        error(e.at("money").value,
                              "money must be a number expression, got " + type_name(rule.compiled_money->type()),
                              "e.g. money: tool.cost_per_seat", ErrorCode::expression_invalid);
                }
            }
            if (owners) {
                rule.owners = std::string(trim(*owners));
                rule.compiled_owners = expression(e.at("owners").value, *owners, scope);
                if (rule.compiled_owners) {
                    const SType t = rule.compiled_owners->type();
                    const bool ok = t.t == Ty::any || t.t == Ty::null || t.t == Ty::string ||
                                    (t.t == Ty::list && (t.elem == Ty::string || t.elem == Ty::any));
                    if (!ok)
                        error(e.at("owners").value, "owners must give a list of emails, got " + type_name(t),
                              "e.g. owners: tool.business_owners", ErrorCode::expression_invalid);
                }
            }
            if (const auto it = e.find("evidence"); it != e.end()) parse_evidence(it->second, scope, rule);
            else if (rule.compiled_condition) default_evidence(scope, rule);
            if (const auto it = e.find("tests"); it != e.end()) parse_tests(it->second, rule);
        }
        if (!e.contains("tests")) {
            // reported by text() only for scalars; tests is a list
            error(top, "missing required key 'tests'",
                  "add at least one case that fires and one that does not (expect: fire / expect: no-fire)");
        }
        return rule;
    }

    void parse_requires(const Entry& entry, Rule& rule) {
        const YAML::Node& v = entry.value;
        std::vector<YAML::Node> items;
        if (v.IsScalar()) items.push_back(v);
        else if (v.IsSequence())
            for (const auto& item : v) items.push_back(item);
        else {
            error(entry.key, "'requires' must be a list of input kinds", "e.g. requires: [seats, okta_log]");
            return;
        }
        for (const auto& item : items) {
            if (!item.IsScalar()) {
                error(item, "'requires' items must be input kinds", "inputs: " + join(k_inputs, ", "));
                continue;
            }
            const auto& name = item.Scalar();
            if (std::find(k_inputs.begin(), k_inputs.end(), name) == k_inputs.end()) {
                const auto guess = did_you_mean(name, k_inputs);
                error(item, "unknown input kind '" + name + "' in requires",
                      guess.empty() ? "inputs: " + join(k_inputs, ", ") : "did you mean '" + guess + "'?");
                continue;
            }
            if (std::find(rule.requires_inputs.begin(), rule.requires_inputs.end(), name) == rule.requires_inputs.end())
                rule.requires_inputs.push_back(name);
        }
    }

    std::optional<Value> param_default(const YAML::Node& v, const std::string& name) {
        if (v.IsNull()) {
            error(v, "parameter '" + name + "' needs a default value",
                  "its type comes from the default, e.g. " + name + ": 30");
            return std::nullopt;
        }
        if (v.IsScalar()) return infer_scalar(v);
        if (v.IsSequence()) {
            Value::List items;
            for (const auto& item : v) {
                if (!item.IsScalar()) {
                    error(item, "list parameter '" + name + "' may only hold plain values", "");
                    return std::nullopt;
                }
                items.push_back(infer_scalar(item));
            }
            return Value(std::move(items));
        }
        error(v, "parameter '" + name + "' has an unusable default", "give a value, a list, or {default: X, description: ...}");
        return std::nullopt;
    }

    void parse_params(const Entry& entry, Rule& rule) {
        const YAML::Node& v = entry.value;
        if (!v.IsMap()) {
            error(entry.key, "'params' must map names to defaults", "e.g. params: {idle_days: 60}");
            return;
        }
        static const std::regex k_name("[a-z_][a-z0-9_]*");
        for (auto it = v.begin(); it != v.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node val = it->second;
            if (!key.IsScalar() || !std::regex_match(key.Scalar(), k_name)) {
                error(key, "parameter name " + describe_node(key) + " is not a snake_case name", "e.g. idle_days");
                continue;
            }
            ParamDef def;
            def.name = key.Scalar();
            if (std::any_of(rule.params.begin(), rule.params.end(), [&](const ParamDef& p) { return p.name == def.name; })) {
                error(key, "parameter '" + def.name + "' is declared twice", "keep one");
                continue;
            }
            std::optional<Value> value;
            if (val.IsMap()) {
                const auto fields = entries(val, k_param_keys, "in parameter '" + def.name + "'");
                const auto d = fields.find("default");
                if (d == fields.end()) {
                    error(val, "parameter '" + def.name + "' has no default", "add default: X");
                    continue;
                }
                value = param_default(d->second.value, def.name);
                if (const auto desc = fields.find("description"); desc != fields.end()) {
                    if (desc->second.value.IsScalar()) def.description = desc->second.value.Scalar();
                    else error(desc->second.value, "a parameter description must be text", "");
                }
            } else {
                value = param_default(val, def.name);
            }
            if (!value) continue;
            def.default_value = std::move(*value);
            rule.params.push_back(std::move(def));
        }
    }

    void parse_message(const YAML::Node& node, const std::string& tmpl, const Scope& scope, Rule& rule) {
        const auto map = source_map(node, tmpl);
        std::size_t pos = 0;
        std::string literal;
        while (pos < tmpl.size()) {
            const auto open = tmpl.find("{{", pos);
            if (open == std::string::npos) {
                literal += tmpl.substr(pos);
                break;
            }
            literal += tmpl.substr(pos, open - pos);
            const auto close = tmpl.find("}}", open + 2);
            if (close == std::string::npos) {
                m_errors.push_back(Error{ErrorCode::expression_invalid, "'{{' without a closing '}}' in the message",
                                         map.at(open), "close the expression with }}"});
                return;
            }
            auto compiled = compile(std::string_view(tmpl).substr(open + 2, close - open - 2), scope, map, open + 2);
            for (auto& err : compiled.errors) m_errors.push_back(std::move(err));
            rule.compiled_message.emplace_back(std::move(literal), compiled.expr);
            literal.clear();
            pos = close + 2;
        }
        if (!literal.empty()) rule.compiled_message.emplace_back(std::move(literal), nullptr);
    }

    void parse_evidence(const Entry& entry, const Scope& scope, Rule& rule) {
        const YAML::Node& v = entry.value;
        if (!v.IsSequence()) {
            error(entry.key, "'evidence' must be a list of expressions", "e.g. evidence: [seat.last_activity, tool.cost_per_seat]");
            return;
        }
        for (const auto& item : v) {
            if (!item.IsScalar() || trim(item.Scalar()).empty()) {
                error(item, "evidence items must be expressions", "e.g. seat.last_activity");
                continue;
            }
            rule.evidence.emplace_back(trim(item.Scalar()));
            rule.evidence_names.emplace_back(trim(item.Scalar()));
            rule.compiled_evidence.push_back(expression(item, item.Scalar(), scope));
        }
    }

    void default_evidence(const Scope& scope, Rule& rule) {
        for (const auto& name : rule.compiled_condition->names) {
            auto compiled = compile(name, scope, SourceMap{m_file, {}, rule.line, 1, {}});
            if (!compiled.expr) continue;
            rule.evidence_names.push_back(name);
            rule.compiled_evidence.push_back(std::move(compiled.expr));
        }
    }

    std::vector<std::string> fact_names() const {
        std::vector<std::string> out;
        for (const auto& b : m_kind->frames)
            if (const FrameType* f = m_catalog.frame(b.frame))
                for (const auto& fact : f->facts) out.push_back(b.alias + "." + fact.name);
        return out;
    }

    const FactDef* find_fact(const std::string& name) const {
        const auto dot = name.find('.');
        if (dot == std::string::npos) return nullptr;
        const auto alias = name.substr(0, dot);
        for (const auto& b : m_kind->frames) {
            if (b.alias != alias) continue;
            const FrameType* f = m_catalog.frame(b.frame);
            if (f == nullptr) return nullptr;
            const auto slot = f->slot(name.substr(dot + 1));
            return slot ? &f->facts[*slot] : nullptr;
        }
        return nullptr;
    }

    // Converts a YAML value to a declared type; `why` says what was wrong.
    std::optional<Value> typed(const YAML::Node& v, ValueType type, ValueType element, std::string& why) const {
        if (v.IsNull()) return Value();
        if (type == ValueType::list) {
            if (!v.IsSequence()) {
                why = "expected a list, e.g. [a, b]";
                return std::nullopt;
            }
            Value::List items;
            for (const auto& item : v) {
                if (!item.IsScalar()) {
                    why = "list items must be plain values";
                    return std::nullopt;
                }
                if (element == ValueType::null || element == ValueType::list) {
                    items.push_back(infer_scalar(item));
                    continue;
                }
                auto x = typed(item, element, ValueType::null, why);
                if (!x) return std::nullopt;
                items.push_back(std::move(*x));
            }
            return Value(std::move(items));
        }
        if (!v.IsScalar()) {
            why = "expected a single " + std::string(to_string(type)) + ", got " + describe_node(v);
            return std::nullopt;
        }
        const std::string& s = v.Scalar();
        switch (type) {
        case ValueType::boolean:
            if (plain(v))
                if (auto b = parse_bool(s)) return Value(*b);
            why = "expected true or false, got " + describe_node(v);
            return std::nullopt;
        case ValueType::integer:
            if (plain(v))
                if (auto i = parse_int(s)) return Value(*i);
            why = "expected an int, got " + describe_node(v);
            return std::nullopt;
        case ValueType::number:
            if (plain(v))
                if (auto d = parse_double(s)) return Value(*d);
            why = "expected a number, got " + describe_node(v);
            return std::nullopt;
        case ValueType::date: {
            auto d = parse_date(s);
            if (!d) {
                why = "expected a date (YYYY-MM-DD), got " + describe_node(v);
                return std::nullopt;
            }
            return *d ? Value(**d) : Value();
        }
        case ValueType::string: return Value(s);
        default: return infer_scalar(v);
        }
    }

    void parse_tests(const Entry& entry, Rule& rule) {
        const YAML::Node& v = entry.value;
        if (!v.IsSequence()) {
            error(entry.key, "'tests' must be a list of cases", "- name: ...\n    expect: fire\n    facts: {...}");
            return;
        }
        const auto names = fact_names();
        bool fires = false;
        bool quiet = false;
        for (const auto& item : v) {
            if (!item.IsMap()) {
                error(item, "a test case must be a mapping with name, expect and facts", "");
                continue;
            }
            const auto c = entries(item, k_case_keys, "in a test case");
            RuleTestCase tc;
            tc.line = at(item).line;
            if (auto n = text(c, "name", true, item)) tc.name = *n;
            if (auto x = choice(c, "expect", true, item, {"fire", "no-fire"})) {
                tc.expect_fire = *x == "fire";
                (tc.expect_fire ? fires : quiet) = true;
            }
            if (auto m = c.find("message"); m != c.end()) {
                if (m->second.value.IsScalar()) tc.expect_message = m->second.value.Scalar();
                else error(m->second.value, "a test's message must be text", "");
            }
            const auto f = c.find("facts");
            if (f == c.end()) {
                error(item, "test case '" + tc.name + "' has no facts", "add facts: {alias.fact: value, ...}");
            } else if (!f->second.value.IsMap() && !f->second.value.IsNull()) {
                error(f->second.value, "'facts' must map alias.fact to values", "e.g. facts: {tool.active_users: 3}");
            } else if (f->second.value.IsMap()) {
                for (auto it = f->second.value.begin(); it != f->second.value.end(); ++it) {
                    const YAML::Node key = it->first;
                    const std::string name = key.IsScalar() ? key.Scalar() : "";
                    const FactDef* def = find_fact(name);
                    if (def == nullptr) {
                        const auto guess = did_you_mean(name, names);
                        error(key, "unknown fact '" + name + "' for a " + rule.subject + " rule",
                              guess.empty() ? "facts are alias.fact, see `stackaudit rules facts`"
                                            : "did you mean '" + guess + "'?",
                              ErrorCode::unknown_fact);
                        continue;
                    }
                    std::string why;
                    auto value = typed(it->second, def->type, def->element, why);
                    if (!value) {
                        error(it->second, "fact '" + name + "': " + why,
                              "the fact is declared as " + std::string(to_string(def->type)));
                        continue;
                    }
                    tc.facts[name] = std::move(*value);
                }
            }
            if (const auto p = c.find("params"); p != c.end()) {
                if (!p->second.value.IsMap()) {
                    error(p->second.value, "a test's params must map names to values", "e.g. params: {idle_days: 90}");
                } else {
                    for (auto it = p->second.value.begin(); it != p->second.value.end(); ++it) {
                        const std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
                        const auto def = std::find_if(rule.params.begin(), rule.params.end(),
                                                      [&](const ParamDef& d) { return d.name == name; });
                        if (def == rule.params.end()) {
                            std::vector<std::string> declared;
                            for (const auto& d : rule.params) declared.push_back(d.name);
                            const auto guess = did_you_mean(name, declared);
                            error(it->first, "the rule declares no parameter '" + name + "'",
                                  guess.empty() ? "declare it under params:" : "did you mean '" + guess + "'?");
                            continue;
                        }
                        const ValueType type = def->default_value.type();
                        ValueType element = ValueType::null;
                        if (type == ValueType::list && !def->default_value.as_list().empty())
                            element = def->default_value.as_list().front().type();
                        std::string why;
                        auto value = typed(it->second, type, element, why);
                        if (!value || value->is_null()) {
                            error(it->second, "parameter '" + name + "': " + (why.empty() ? "needs a value" : why),
                                  "its type is " + std::string(to_string(type)) + " (from its default)");
                            continue;
                        }
                        tc.params[name] = std::move(*value);
                    }
                }
            }
            rule.tests.push_back(std::move(tc));
        }
        if (!fires || !quiet)
            error(entry.key, std::string("the tests need at least one case that ") +
                                 (!fires ? "fires (expect: fire)" : "does not fire (expect: no-fire)"),
                  "cover both sides of the condition, ideally at its boundaries");
    }
};

}  // namespace

LoadResult load_rules(const std::vector<std::filesystem::path>& paths, const FactCatalog& catalog) {
    LoadResult result;
    std::vector<fs::path> files;
    std::set<fs::path> seen;
    auto add_file = [&](const fs::path& p) {
        std::error_code ec;
        auto canonical = fs::weakly_canonical(p, ec);
        if (ec) canonical = p;
        if (seen.insert(canonical).second) files.push_back(p);
    };
    for (const auto& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> in_dir;
            for (const auto& entry : fs::directory_iterator(path, ec)) {
                const auto ext = entry.path().extension();
                if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) in_dir.push_back(entry.path());
            }
            if (ec) {
                result.errors.push_back(Error{ErrorCode::io, "cannot list rule directory: " + ec.message(),
                                              Location{{}, path.string(), 0, 0, 0, {}}, ""});
                continue;
            }
            std::sort(in_dir.begin(), in_dir.end());
            for (const auto& f : in_dir) add_file(f);
        } else if (fs::is_regular_file(path, ec)) {
            add_file(path);
        } else {
            result.errors.push_back(Error{ErrorCode::not_found, "rule path does not exist",
                                          Location{{}, path.string(), 0, 0, 0, {}},
                                          "give a directory of *.yaml rule files or a rule file"});
        }
    }
    std::map<std::string, std::string> ids;  // id -> file
    for (const auto& file : files) {
        FileLoader loader(file, catalog, result.errors);
        auto rule = loader.load();
        if (!rule) continue;
        if (const auto it = ids.find(rule->id); it != ids.end()) {
            result.errors.push_back(Error{ErrorCode::rule_invalid, "rule id '" + rule->id + "' is defined twice",
                                          Location{{}, rule->file, rule->line, 1, 0, {}},
                                          "it is also defined in " + it->second + "; rename or remove one"});
            continue;
        }
        ids.emplace(rule->id, rule->file);
        result.rules.push_back(std::move(*rule));
    }
    std::sort(result.rules.begin(), result.rules.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
    return result;
}

}  // namespace stackaudit::rules
