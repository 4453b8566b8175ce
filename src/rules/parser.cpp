// Parser and static type-checker for rule expressions. One recursive-descent pass builds the
// flat AST, resolves every name against the fact catalog (to frame position and slot) and
// checks operand types, so a rule that loads can only fail at run time on data, never on shape.
#include <algorithm>
#include <array>
#include <limits>
#include <span>

#include "expr.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::rules {

namespace {

constexpr std::size_t k_variadic = std::numeric_limits<std::size_t>::max();

// matches() patterns: ECMAScript, matched in polynomial time where the library can (see Fn::matches).
#if defined(__GLIBCXX__)
constexpr auto k_regex_syntax = std::regex::ECMAScript | std::regex_constants::__polynomial;
#else
constexpr auto k_regex_syntax = std::regex::ECMAScript;
#endif

// What std::regex would choke on before it can say so: libstdc++ 12 reads the number of a
// back-reference (\12) or of a repetition ({2,5}) into a long without checking for overflow
// (found by fuzz_expr). Back-references are refused anyway (polynomial matching), and no useful
// repetition count has more than 6 digits. A run of more than 18 digits anywhere is refused as
// well, so an escape this scan reads differently from libstdc++ (inside [:class:], say) can never
// reach the overflow. Returns what is wrong, or "" when the pattern may go on.
bool digit_at(std::string_view text, std::size_t at) { return at < text.size() && text[at] >= '0' && text[at] <= '9'; }

std::string regex_problem(std::string_view pattern) {
    std::size_t run = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        run = digit_at(pattern, i) ? run + 1 : 0;
        if (run > 18) return "a number of more than 18 digits (write one of them as a class, e.g. [7])";
    }
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\') {
            // A digit after a backslash is a back-reference, except \0 alone (the NUL character).
            if (digit_at(pattern, i + 1) && (pattern[i + 1] != '0' || digit_at(pattern, i + 2)))
                return "back-references (\\1, \\2, ...) are not supported";
            ++i;                                                         // the escaped character
            if (i < pattern.size() && pattern[i] == 'c') ++i;  // \cX: libstdc++ takes X as well, even a backslash
        } else if (in_class) {
            in_class = c != ']';
        } else if (c == '[') {
            in_class = true;
        } else if (c == '{') {
            std::size_t digits = 0;
            for (std::size_t j = i + 1; j < pattern.size() && pattern[j] != '}'; ++j) {
                digits = digit_at(pattern, j) ? digits + 1 : 0;
                if (digits > 6) return "a repetition count {n} over 6 digits";
            }
        }
    }
    return {};
}

struct FnInfo {
    std::string_view name;
    Fn fn;
    std::size_t min_args;
    std::size_t max_args;
    std::string_view signature;
};

constexpr std::array k_functions{
    FnInfo{"size", Fn::size, 1, 1, "size(list|string) -> int"},
    FnInfo{"lower", Fn::lower, 1, 1, "lower(string) -> string"},
    FnInfo{"upper", Fn::upper, 1, 1, "upper(string) -> string"},
    FnInfo{"contains", Fn::contains, 2, 2, "contains(string, substring) or contains(list, item) -> bool"},
    FnInfo{"starts_with", Fn::starts_with, 2, 2, "starts_with(string, prefix) -> bool"},
    FnInfo{"ends_with", Fn::ends_with, 2, 2, "ends_with(string, suffix) -> bool"},
    FnInfo{"matches", Fn::matches, 2, 2, "matches(string, \"regex\") -> bool"},
    FnInfo{"date", Fn::date, 1, 1, "date(\"2026-01-31\") -> date"},
    FnInfo{"days_between", Fn::days_between, 2, 2, "days_between(date, date) -> int"},
    FnInfo{"days_since", Fn::days_since, 1, 1, "days_since(date) -> int"},
    FnInfo{"has", Fn::has, 1, 1, "has(x) -> bool"},
    FnInfo{"coalesce", Fn::coalesce, 1, k_variadic, "coalesce(x, y, ...) -> first non-null"},
    FnInfo{"intersects", Fn::intersects, 2, 2, "intersects(list, list) -> bool"},
    FnInfo{"intersection", Fn::intersection, 2, 2, "intersection(list, list) -> list"},
    FnInfo{"join", Fn::join, 1, 2, "join(list, separator) -> string"},
    FnInfo{"min", Fn::min, 2, k_variadic, "min(a, b, ...)"},
    FnInfo{"max", Fn::max, 2, k_variadic, "max(a, b, ...)"},
    FnInfo{"round", Fn::round, 1, 2, "round(number, digits) -> number"},
    FnInfo{"percent", Fn::percent, 1, 1, "percent(fraction) -> string"},
    FnInfo{"money", Fn::money, 1, 1, "money(amount) -> string"},
};

bool num(Ty t) { return t == Ty::integer || t == Ty::number; }
bool dyn(Ty t) { return t == Ty::any || t == Ty::null; }
bool boolish(Ty t) { return t == Ty::boolean || dyn(t); }

// Whether values of these types can ever be equal.
bool eq_compatible(Ty a, Ty b) {
    if (dyn(a) || dyn(b)) return true;
    if (num(a) && num(b)) return true;
    return a == b;
}

bool orderable(Ty t) { return num(t) || t == Ty::string || t == Ty::date; }

bool ordered_compatible(Ty a, Ty b) {
    if (dyn(a)) return dyn(b) || orderable(b);
    if (dyn(b)) return orderable(a);
    if (num(a) && num(b)) return true;
    return a == b && (a == Ty::string || a == Ty::date);
}

SType join_types(SType a, SType b) {
    if (a.t == Ty::null) return b;
    if (b.t == Ty::null) return a;
    if (a.t == Ty::any || b.t == Ty::any) return {};
    if (num(a.t) && num(b.t)) return {a.t == b.t ? a.t : Ty::number};
    if (a.t != b.t) return {};
    if (a.t == Ty::list) return {Ty::list, a.elem == b.elem ? a.elem : Ty::any};
    return a;
}

std::string display_op(Op op) {
    switch (op) {
    case Op::add: return "+";
    case Op::sub: return "-";
    case Op::mul: return "*";
    case Op::div: return "/";
    case Op::mod: return "%";
    case Op::eq: return "==";
    case Op::ne: return "!=";
    case Op::lt: return "<";
    case Op::le: return "<=";
    case Op::gt: return ">";
    case Op::ge: return ">=";
    case Op::in: return "in";
    case Op::not_in: return "not in";
    case Op::land: return "and";
    case Op::lor: return "or";
    default: return "?";
    }
}

std::string a_type(SType t) {
    const std::string name = type_name(t);
    return (t.t == Ty::integer ? "an " : "a ") + name;
}

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "'" + std::string temporaries.
std::string quoted(Op op) {
    std::string out(1, '\'');
    out += display_op(op);
    out += '\'';
    return out;
}

class Parser {
public:
    Parser(std::vector<Token> tokens, const Scope& scope, const SourceMap& map, std::size_t base, CompiledExpr& out,
           std::vector<Error>& errors)
        : m_tokens(std::move(tokens)), m_scope(scope), m_map(map), m_base(base), m_out(out), m_errors(errors) {}

    void run() {
        if (peek().kind == Tok::end) {
            syntax(peek().offset, "empty expression", "write a boolean expression such as tool.active_users > 0");
            return;
        }
        const auto root = ternary();
        if (m_failed) return;
        if (peek().kind != Tok::end) {
            syntax(peek().offset, "unexpected " + std::string(describe(peek().kind)) + " after the end of the expression",
                   "join conditions with 'and' / 'or', or check for a missing operator or parenthesis");
            return;
        }
        m_out.root = root;
    }

    [[nodiscard]] bool failed() const { return m_failed; }

private:
    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    const Scope& m_scope;
    const SourceMap& m_map;
    std::size_t m_base;
    CompiledExpr& m_out;
    std::vector<Error>& m_errors;
    bool m_failed = false;

    const Token& peek(std::size_t ahead = 0) const {
        return m_tokens[std::min(m_pos + ahead, m_tokens.size() - 1)];
    }
    const Token& advance() {
        const Token& t = m_tokens[m_pos];
        if (m_pos + 1 < m_tokens.size()) ++m_pos;
        return t;
    }

    void error(ErrorCode code, std::size_t offset, std::string message, std::string hint) {
        m_errors.push_back(Error{code, std::move(message), m_map.at(m_base + offset), std::move(hint)});
    }
    void syntax(std::size_t offset, std::string message, std::string hint) {
        if (m_failed) return;
        m_failed = true;
        error(ErrorCode::expression_invalid, offset, std::move(message), std::move(hint));
    }
    SType type_error(std::size_t offset, std::string message, std::string hint = {}) {
        error(ErrorCode::expression_invalid, offset, std::move(message), std::move(hint));
        return {};
    }

    std::uint32_t add(Node node) {
        m_out.nodes.push_back(std::move(node));
        return static_cast<std::uint32_t>(m_out.nodes.size() - 1);
    }
    SType type_of(std::uint32_t n) const { return m_out.nodes[n].type; }
    const Node& node(std::uint32_t n) const { return m_out.nodes[n]; }

    std::uint32_t constant(Value v, std::size_t offset) {
        Node n;
        n.op = Op::literal;
        n.offset = offset;
        n.type = stype_of(v);
        n.index = static_cast<std::uint32_t>(m_out.constants.size());
        m_out.constants.push_back(std::move(v));
        return add(std::move(n));
    }

    bool expect(Tok kind, std::string_view what) {
        if (peek().kind == kind) {
            advance();
            return true;
        }
        syntax(peek().offset,
               "expected " + std::string(describe(kind)) + " " + std::string(what) + ", found " +
                   std::string(describe(peek().kind)),
               kind == Tok::rparen ? "check that every '(' has a matching ')'" : "");
        return false;
    }

    // ---- grammar ----

    std::uint32_t ternary() {
        const auto c = logical_or();
        if (m_failed || peek().kind != Tok::question) return c;
        const auto offset = advance().offset;
        const auto x = ternary();
        if (m_failed) return 0;
        if (!expect(Tok::colon, "between the branches of '? :'")) return 0;
        const auto y = ternary();
        if (m_failed) return 0;
        Node n;
        n.op = Op::cond;
        n.a = c;
        n.b = x;
        n.c = y;
        n.offset = offset;
        if (!boolish(type_of(c).t))
            type_error(node(c).offset, "the condition of '? :' must be a bool, got " + type_name(type_of(c)),
                       "compare it, e.g. x > 0 ? ... : ...");
        n.type = join_types(type_of(x), type_of(y));
        return add(std::move(n));
    }

    std::uint32_t logical_or() {
        auto l = logical_and();
        while (!m_failed && (peek().kind == Tok::kw_or || peek().kind == Tok::oror)) {
            const auto offset = advance().offset;
            const auto r = logical_and();
            if (m_failed) return 0;
            l = binary(Op::lor, l, r, offset);
        }
        return l;
    }

    std::uint32_t logical_and() {
        auto l = logical_not();
        while (!m_failed && (peek().kind == Tok::kw_and || peek().kind == Tok::andand)) {
            const auto offset = advance().offset;
            const auto r = logical_not();
            if (m_failed) return 0;
            l = binary(Op::land, l, r, offset);
        }
        return l;
    }

    std::uint32_t logical_not() {
        if (peek().kind == Tok::kw_not || peek().kind == Tok::bang) {
            const auto offset = advance().offset;
            const auto x = logical_not();
            if (m_failed) return 0;
            Node n;
            n.op = Op::lnot;
            n.a = x;
            n.offset = offset;
            n.type = {Ty::boolean};
            if (!boolish(type_of(x).t))
                type_error(offset, "'not' needs a bool, got " + type_name(type_of(x)),
                           "compare the value first, e.g. not (x > 0)");
            return add(std::move(n));
        }
        return comparison();
    }

    std::uint32_t comparison() {
        auto l = additive();
        while (!m_failed) {
            Op op{};
            const Tok k = peek().kind;
            if (k == Tok::eq) op = Op::eq;
            else if (k == Tok::ne) op = Op::ne;
            else if (k == Tok::lt) op = Op::lt;
            else if (k == Tok::le) op = Op::le;
            else if (k == Tok::gt) op = Op::gt;
            else if (k == Tok::ge) op = Op::ge;
            else if (k == Tok::kw_in) op = Op::in;
            else if (k == Tok::kw_not && peek(1).kind == Tok::kw_in) op = Op::not_in;
            else break;
            const auto offset = advance().offset;
            if (op == Op::not_in) advance();
            const auto r = additive();
            if (m_failed) return 0;
            l = binary(op, l, r, offset);
        }
        return l;
    }

    std::uint32_t additive() {
        auto l = multiplicative();
        while (!m_failed && (peek().kind == Tok::plus || peek().kind == Tok::minus)) {
            const Op op = peek().kind == Tok::plus ? Op::add : Op::sub;
            const auto offset = advance().offset;
            const auto r = multiplicative();
            if (m_failed) return 0;
            l = binary(op, l, r, offset);
        }
        return l;
    }

    std::uint32_t multiplicative() {
        auto l = unary();
        while (!m_failed && (peek().kind == Tok::star || peek().kind == Tok::slash || peek().kind == Tok::percent)) {
            const Op op = peek().kind == Tok::star ? Op::mul : peek().kind == Tok::slash ? Op::div : Op::mod;
            const auto offset = advance().offset;
            const auto r = unary();
            if (m_failed) return 0;
            l = binary(op, l, r, offset);
        }
        return l;
    }

    std::uint32_t unary() {
        if (peek().kind != Tok::minus) return primary();
        const auto offset = advance().offset;
        const auto x = unary();
        if (m_failed) return 0;
        const Node& inner = node(x);
        if (inner.op == Op::literal) {
            const Value& v = m_out.constants[inner.index];
            if (v.type() == ValueType::integer) return constant(Value(-v.as_int()), offset);
            if (v.type() == ValueType::number) return constant(Value(-v.as_number()), offset);
        }
        Node n;
        n.op = Op::neg;
        n.a = x;
        n.offset = offset;
        const SType t = type_of(x);
        if (num(t.t) || dyn(t.t)) n.type = t;
        else type_error(offset, "cannot negate " + a_type(t), "unary '-' works on numbers");
        return add(std::move(n));
    }

    std::uint32_t primary() {
        const Token& t = peek();
        switch (t.kind) {
        case Tok::integer: advance(); return constant(Value(t.int_value), t.offset);
        case Tok::number: advance(); return constant(Value(t.number_value), t.offset);
        case Tok::string: advance(); return constant(Value(t.text), t.offset);
        case Tok::kw_true: advance(); return constant(Value(true), t.offset);
        case Tok::kw_false: advance(); return constant(Value(false), t.offset);
        case Tok::kw_null: advance(); return constant(Value(), t.offset);
        case Tok::lparen: {
            advance();
            const auto x = ternary();
            if (m_failed) return 0;
            if (!expect(Tok::rparen, "to close '('")) return 0;
            return x;
        }
        case Tok::lbracket: return list_literal();
        case Tok::ident: return name();
        default: break;
        }
        syntax(t.offset, "expected a value, found " + std::string(describe(t.kind)),
               t.kind == Tok::end ? "the expression ends too early" : "a value is a literal, a name, a call or (...)");
        return 0;
    }

    std::uint32_t list_literal() {
        const auto offset = advance().offset;
        std::vector<std::uint32_t> items;
        if (peek().kind != Tok::rbracket) {
            while (true) {
                const auto x = ternary();
                if (m_failed) return 0;
                items.push_back(x);
                if (peek().kind == Tok::comma) {
                    advance();
                    if (peek().kind == Tok::rbracket) break;  // trailing comma
                    continue;
                }
                break;
            }
        }
        if (!expect(Tok::rbracket, "to close the list")) return 0;
        SType elem{Ty::null};
        bool all_constant = true;
        for (const auto i : items) {
            elem = items.front() == i ? type_of(i) : join_types(elem, type_of(i));
            if (node(i).op != Op::literal) all_constant = false;
        }
        const Ty elem_type = items.empty() ? Ty::any : elem.t;
        if (all_constant) {
            Value::List values;
            values.reserve(items.size());
            for (const auto i : items) values.push_back(m_out.constants[node(i).index]);
            const auto c = constant(Value(std::move(values)), offset);
            m_out.nodes[c].type = {Ty::list, elem_type};
            return c;
        }
        Node n;
        n.op = Op::list;
        n.offset = offset;
        n.args = std::move(items);
        n.type = {Ty::list, elem_type};
        return add(std::move(n));
    }

    void note_name(const std::string& full, const FactDef* def) {
        if (std::find(m_out.names.begin(), m_out.names.end(), full) != m_out.names.end()) return;
        m_out.names.push_back(full);
        if (def != nullptr) m_out.facts.push_back(FactUse{full, def});
    }

    std::vector<std::string> all_names() const {
        std::vector<std::string> out{"as_of"};
        for (const auto& b : m_scope.kind->frames) {
            const FrameType* f = m_scope.catalog->frame(b.frame);
            if (f == nullptr) continue;
            for (const auto& fact : f->facts) out.push_back(b.alias + "." + fact.name);
        }
        if (m_scope.params != nullptr)
            for (const auto& p : *m_scope.params) out.push_back("params." + p.name);
        return out;
    }

    std::uint32_t unresolved(std::size_t offset) {
        // Keep going so later names are checked too; the expression is already invalid.
        Node n;
        n.op = Op::literal;
        n.offset = offset;
        n.index = static_cast<std::uint32_t>(m_out.constants.size());
        m_out.constants.emplace_back();
        n.type = {};
        return add(std::move(n));
    }

    std::uint32_t name() {
        const Token first = advance();
        if (peek().kind == Tok::lparen) return call(first);
        if (first.text == "as_of") {
            Node n;
            n.op = Op::as_of;
            n.offset = first.offset;
            n.type = {Ty::date};
            return add(std::move(n));
        }
        const auto& kind = *m_scope.kind;
        if (peek().kind != Tok::dot) {
            // A bare fact name: point at the alias it lives under.
            std::string hint;
            for (const auto& b : kind.frames) {
                const FrameType* f = m_scope.catalog->frame(b.frame);
                if (f != nullptr && f->slot(first.text)) {
                    hint = "facts are written alias.fact: did you mean " + b.alias + "." + first.text + "?";
                    break;
                }
            }
            if (hint.empty()) {
                const auto names = all_names();
                const auto guess = did_you_mean(first.text, names);
                hint = guess.empty() ? "names are alias.fact (aliases of " + kind.name + ": " + aliases() +
                                           "), params.<name> or as_of"
                                     : "did you mean " + guess + "?";
            }
            error(ErrorCode::unknown_fact, first.offset, "unknown name '" + first.text + "'", hint);
            return unresolved(first.offset);
        }
        advance();  // '.'
        if (peek().kind != Tok::ident) {
            syntax(peek().offset, "expected a fact name after '" + first.text + ".'",
                   "write alias.fact, e.g. tool.name");
            return 0;
        }
        const Token second = advance();
        const std::string full = first.text + "." + second.text;
        if (first.text == "params") {
            const auto* params = m_scope.params;
            if (params != nullptr) {
                for (std::size_t i = 0; i < params->size(); ++i) {
                    if ((*params)[i].name != second.text) continue;
                    Node n;
                    n.op = Op::param;
                    n.index = static_cast<std::uint32_t>(i);
                    n.offset = first.offset;
                    n.type = stype_of((*params)[i].default_value);
                    note_name(full, nullptr);
                    return add(std::move(n));
                }
            }
            std::vector<std::string> declared;
            if (params != nullptr)
                for (const auto& p : *params) declared.push_back(p.name);
            const auto guess = did_you_mean(second.text, declared);
            error(ErrorCode::unknown_fact, second.offset, "unknown parameter 'params." + second.text + "'",
                  guess.empty() ? "declare it under params: in the rule, e.g. " + second.text + ": 30"
                                : "did you mean params." + guess + "? (or declare " + second.text + " under params:)");
            return unresolved(first.offset);
        }
        for (std::size_t pos = 0; pos < kind.frames.size(); ++pos) {
            const auto& b = kind.frames[pos];
            if (b.alias != first.text) continue;
            const FrameType* f = m_scope.catalog->frame(b.frame);
            const auto slot = f != nullptr ? f->slot(second.text) : std::nullopt;
            if (!slot) {
                std::vector<std::string> facts;
                if (f != nullptr)
                    for (const auto& fact : f->facts) facts.push_back(fact.name);
                const auto guess = did_you_mean(second.text, facts);
                std::string hint;
                if (!guess.empty()) hint = "did you mean " + first.text + "." + guess + "?";
                for (const auto& other : kind.frames) {
                    const FrameType* of = m_scope.catalog->frame(other.frame);
                    if (hint.empty() && other.alias != b.alias && of != nullptr && of->slot(second.text))
                        hint = second.text + " is a fact of " + other.alias + ": did you mean " + other.alias + "." +
                               second.text + "?";
                }
                if (hint.empty()) hint = "see `stackaudit rules facts` for the facts of the " + b.frame + " frame";
                error(ErrorCode::unknown_fact, second.offset, "unknown fact '" + full + "'", hint);
                return unresolved(first.offset);
            }
            const FactDef& def = f->facts[*slot];
            Node n;
            n.op = Op::fact;
            n.index = static_cast<std::uint32_t>(pos);
            n.slot = static_cast<std::uint32_t>(*slot);
            n.offset = first.offset;
            n.type = {ty_of(def.type), def.type == ValueType::list ? ty_of(def.element) : Ty::any};
            if (n.type.t == Ty::list && n.type.elem == Ty::null) n.type.elem = Ty::any;
            note_name(full, &def);
            return add(std::move(n));
        }
        std::vector<std::string> candidates{"params"};
        for (const auto& b : kind.frames) candidates.push_back(b.alias);
        const auto guess = did_you_mean(first.text, candidates);
        error(ErrorCode::unknown_fact, first.offset, "unknown alias '" + first.text + "' in '" + full + "'",
              (guess.empty() ? std::string() : "did you mean " + guess + "." + second.text + "? ") + "a " + kind.name +
                  " rule can use " + aliases() + ", params and as_of");
        return unresolved(first.offset);
    }

    std::string aliases() const {
        std::string out;
        for (const auto& b : m_scope.kind->frames) {
            if (!out.empty()) out += ", ";
            out += b.alias;
        }
        return out;
    }

    std::uint32_t call(const Token& name_token) {
        advance();  // '('
        std::vector<std::uint32_t> args;
        if (peek().kind != Tok::rparen) {
            while (true) {
                const auto x = ternary();
                if (m_failed) return 0;
                args.push_back(x);
                if (peek().kind != Tok::comma) break;
                advance();
            }
        }
        if (!expect(Tok::rparen, "to close the call of " + name_token.text + "(")) return 0;
        const FnInfo* info = nullptr;
        for (const auto& f : k_functions)
            if (f.name == name_token.text) info = &f;
        if (info == nullptr) {
            std::vector<std::string> names;
            for (const auto& f : k_functions) names.emplace_back(f.name);
            const auto guess = did_you_mean(name_token.text, names);
            error(ErrorCode::expression_invalid, name_token.offset, "unknown function '" + name_token.text + "'",
                  guess.empty() ? "the functions are " + join(names, ", ") : "did you mean " + guess + "()?");
            return unresolved(name_token.offset);
        }
        if (args.size() < info->min_args || args.size() > info->max_args) {
            std::string expected = info->min_args == info->max_args ? std::to_string(info->min_args)
                                   : info->max_args == k_variadic   ? "at least " + std::to_string(info->min_args)
                                       : std::to_string(info->min_args) + " or " + std::to_string(info->max_args);
            error(ErrorCode::expression_invalid, name_token.offset,
                  std::string(info->name) + "() takes " + expected + " argument" +
                      (expected == "1" ? "" : "s") + ", got " + std::to_string(args.size()),
                  "usage: " + std::string(info->signature));
            return unresolved(name_token.offset);
        }
        Node n;
        n.op = Op::call;
        n.fn = info->fn;
        n.offset = name_token.offset;
        n.args = args;
        n.type = check_call(*info, n);
        if (info->fn == Fn::date && node(args[0]).op == Op::literal &&
            m_out.constants[node(args[0]).index].type() == ValueType::string) {
            const auto& text = m_out.constants[node(args[0]).index].as_string();
            auto parsed = parse_date(text);
            if (!parsed) {
                type_error(node(args[0]).offset, "date(\"" + text + "\") is not a date", "write dates as YYYY-MM-DD");
                return unresolved(name_token.offset);
            }
            const auto c = *parsed ? constant(Value(**parsed), name_token.offset) : constant(Value(), name_token.offset);
            m_out.nodes[c].type = {Ty::date};
            return c;
        }
        return add(std::move(n));
    }

    SType arg_type(const Node& n, std::size_t i) const { return type_of(n.args[i]); }

    bool want(const Node& n, std::size_t i, const FnInfo& info, std::initializer_list<Ty> allowed,
              std::string_view what) {
        const Ty t = arg_type(n, i).t;
        if (dyn(t)) return true;
        for (const Ty a : allowed)
            if (a == t) return true;
        type_error(node(n.args[i]).offset,
                   std::string(info.name) + "() needs " + std::string(what) + " as argument " + std::to_string(i + 1) +
                       ", got " + type_name(arg_type(n, i)),
                   "usage: " + std::string(info.signature));
        return false;
    }

    SType check_call(const FnInfo& info, Node& n) {
        switch (info.fn) {
        case Fn::size:
            want(n, 0, info, {Ty::list, Ty::string}, "a list or a string");
            return {Ty::integer};
        case Fn::lower:
        case Fn::upper:
            want(n, 0, info, {Ty::string}, "a string");
            return {Ty::string};
        case Fn::contains: {
            if (!want(n, 0, info, {Ty::list, Ty::string}, "a list or a string")) return {Ty::boolean};
            const SType hay = arg_type(n, 0);
            const SType needle = arg_type(n, 1);
            if (hay.t == Ty::string) want(n, 1, info, {Ty::string}, "a string");
            else if (hay.t == Ty::list && !eq_compatible(hay.elem, needle.t))
                type_error(node(n.args[1]).offset,
                           "contains() looks for " + a_type(needle) + " in " + a_type(hay) +
                               ": it can never be found",
                           "compare values of the same type");
            return {Ty::boolean};
        }
        case Fn::starts_with:
        case Fn::ends_with:
            want(n, 0, info, {Ty::string}, "a string");
            want(n, 1, info, {Ty::string}, "a string");
            return {Ty::boolean};
        case Fn::matches: {
            want(n, 0, info, {Ty::string}, "a string");
            const Node& pattern = node(n.args[1]);
            if (pattern.op != Op::literal || m_out.constants[pattern.index].type() != ValueType::string) {
                type_error(pattern.offset, "matches() needs a string literal as its pattern",
                           "patterns are compiled when the rule loads; write it in quotes, e.g. matches(x, \"^ab\")");
                return {Ty::boolean};
            }
            if (const auto problem = regex_problem(m_out.constants[pattern.index].as_string()); !problem.empty()) {
                type_error(pattern.offset, "invalid regular expression: " + problem,
                           "patterns use ECMAScript syntax without back-references; in YAML-quoted rules double the "
                           "backslashes");
                return {Ty::boolean};
            }
            try {
                // std::regex backtracks, so a pattern such as "^(a|a)*$" takes exponential time on
                // a value of 40 characters. libstdc++'s documented __polynomial option matches
                // without backtracking instead (and refuses back-references, the one feature that
                // needs it); found by fuzz_expr.
                n.regex = std::make_shared<const std::regex>(m_out.constants[pattern.index].as_string(),
                                                             k_regex_syntax);
            } catch (const std::regex_error& e) {
                type_error(pattern.offset, "invalid regular expression: " + std::string(e.what()),
                           "patterns use ECMAScript syntax without back-references; in YAML-quoted rules double the "
                           "backslashes");
            }
            return {Ty::boolean};
        }
        case Fn::date:
            want(n, 0, info, {Ty::string}, "a string");
            return {Ty::date};
        case Fn::days_between:
            want(n, 0, info, {Ty::date}, "a date");
            want(n, 1, info, {Ty::date}, "a date");
            return {Ty::integer};
        case Fn::days_since:
            want(n, 0, info, {Ty::date}, "a date");
            return {Ty::integer};
        case Fn::has: return {Ty::boolean};
        case Fn::coalesce: {
            SType t{Ty::null};
            for (std::size_t i = 0; i < n.args.size(); ++i) t = i == 0 ? arg_type(n, 0) : join_types(t, arg_type(n, i));
            return t;
        }
        case Fn::intersects:
        case Fn::intersection: {
            const bool ok = want(n, 0, info, {Ty::list}, "a list") & want(n, 1, info, {Ty::list}, "a list");
            const SType a = arg_type(n, 0);
            const SType b = arg_type(n, 1);
            if (ok && a.t == Ty::list && b.t == Ty::list && !eq_compatible(a.elem, b.elem))
                type_error(n.offset, std::string(info.name) + "() compares " + a_type(a) + " with " +
                                         a_type(b) + ": no item can ever match",
                           "compare lists of the same item type");
            if (info.fn == Fn::intersects) return {Ty::boolean};
            return {Ty::list, a.t == Ty::list ? a.elem : Ty::any};
        }
        case Fn::join:
            want(n, 0, info, {Ty::list}, "a list");
            if (n.args.size() > 1) want(n, 1, info, {Ty::string}, "a string separator");
            return {Ty::string};
        case Fn::min:
        case Fn::max: {
            SType t{Ty::null};
            for (std::size_t i = 0; i < n.args.size(); ++i) {
                if (!want(n, i, info, {Ty::integer, Ty::number, Ty::date, Ty::string}, "a number, date or string"))
                    return {};
                const SType a = arg_type(n, i);
                if (i > 0 && !ordered_compatible(t.t, a.t)) {
                    type_error(node(n.args[i]).offset,
                               std::string(info.name) + "() cannot compare " + a_type(t) + " with " + a_type(a),
                               "pass values of the same type");
                    return {};
                }
                t = i == 0 ? a : join_types(t, a);
            }
            return t;
        }
        case Fn::round: {
            want(n, 0, info, {Ty::integer, Ty::number}, "a number");
            if (n.args.size() > 1) want(n, 1, info, {Ty::integer}, "an int (digits)");
            const Ty t = arg_type(n, 0).t;
            return {t == Ty::integer ? Ty::integer : t == Ty::any ? Ty::any : Ty::number};
        }
        case Fn::percent:
        case Fn::money:
            want(n, 0, info, {Ty::integer, Ty::number}, "a number");
            return {Ty::string};
        }
        return {};
    }

    std::uint32_t binary(Op op, std::uint32_t l, std::uint32_t r, std::size_t offset) {
        Node n;
        n.op = op;
        n.a = l;
        n.b = r;
        n.offset = offset;
        n.type = check_binary(op, type_of(l), type_of(r), offset);
        return add(std::move(n));
    }

    SType cannot(Op op, SType l, SType r, std::size_t offset, std::string hint) {
        return type_error(offset,
                          "operator '" + display_op(op) + "' cannot combine " + type_name(l) + " and " + type_name(r),
                          std::move(hint));
    }

    SType check_binary(Op op, SType l, SType r, std::size_t offset) {
        switch (op) {
        case Op::add: {
            auto addable = [](Ty t) {
                return dyn(t) || num(t) || t == Ty::date || t == Ty::string || t == Ty::list;
            };
            if (!addable(l.t) || !addable(r.t))
                return cannot(op, l, r, offset, "'+' adds numbers, shifts dates by days and joins strings or lists");
            if (l.t == Ty::null || r.t == Ty::null) return {Ty::null};
            if (l.t == Ty::any || r.t == Ty::any) return {};
            if (num(l.t) && num(r.t)) return {l.t == Ty::integer && r.t == Ty::integer ? Ty::integer : Ty::number};
            if ((l.t == Ty::date && r.t == Ty::integer) || (l.t == Ty::integer && r.t == Ty::date)) return {Ty::date};
            if (l.t == Ty::string && r.t == Ty::string) return {Ty::string};
            if (l.t == Ty::list && r.t == Ty::list) return {Ty::list, l.elem == r.elem ? l.elem : Ty::any};
            return cannot(op, l, r, offset, "'+' adds numbers, shifts dates by days and joins strings or lists");
        }
        case Op::sub: {
            auto subtractable = [](Ty t) { return dyn(t) || num(t) || t == Ty::date; };
            if (!subtractable(l.t) || !subtractable(r.t))
                return cannot(op, l, r, offset, "'-' subtracts numbers and dates (date - int, date - date)");
            if (l.t == Ty::null || r.t == Ty::null) return {Ty::null};
            if (l.t == Ty::any || r.t == Ty::any) return {};
            if (num(l.t) && num(r.t)) return {l.t == Ty::integer && r.t == Ty::integer ? Ty::integer : Ty::number};
            if (l.t == Ty::date && r.t == Ty::integer) return {Ty::date};
            if (l.t == Ty::date && r.t == Ty::date) return {Ty::integer};
            return cannot(op, l, r, offset, "'-' subtracts numbers and dates (date - int, date - date)");
        }
        case Op::mul:
        case Op::div:
        case Op::mod: {
            if (!(num(l.t) || dyn(l.t)) || !(num(r.t) || dyn(r.t)))
                return cannot(op, l, r, offset, quoted(op) + " works on numbers");
            if (l.t == Ty::null || r.t == Ty::null) return {Ty::null};
            if (l.t == Ty::any || r.t == Ty::any) return op == Op::div ? SType{Ty::number} : SType{};
            if (op == Op::div) return {Ty::number};
            return {l.t == Ty::integer && r.t == Ty::integer ? Ty::integer : Ty::number};
        }
        case Op::eq:
        case Op::ne:
            if (!eq_compatible(l.t, r.t))
                return cannot(op, l, r, offset, a_type(l) + " is never equal to " + a_type(r) +
                                                    "; check the quotes around literals");
            return {Ty::boolean};
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge:
            if (!ordered_compatible(l.t, r.t))
                return cannot(op, l, r, offset, "order comparisons need two numbers, two strings or two dates");
            return {Ty::boolean};
        case Op::in:
        case Op::not_in:
            if (r.t == Ty::list) {
                if (!eq_compatible(l.t, r.elem))
                    return cannot(op, l, r, offset, a_type(l) + " can never be in " + a_type(r));
            } else if (r.t == Ty::string) {
                if (!(l.t == Ty::string || dyn(l.t)))
                    return cannot(op, l, r, offset, "'in' on a string looks for a substring; the left side must be a string");
            } else if (!dyn(r.t)) {
                return cannot(op, l, r, offset, "'in' needs a list (x in [\"a\", \"b\"]) or a string on the right");
            }
            return {Ty::boolean};
        case Op::land:
        case Op::lor:
            if (!boolish(l.t) || !boolish(r.t))
                return cannot(op, l, r, offset, quoted(op) + " joins bool conditions; compare values first");
            return {Ty::boolean};
        default: break;
        }
        return {};
    }
};

}  // namespace

Location SourceMap::at(std::size_t offset) const {
    Location loc;
    loc.source = source;
    loc.file = file;
    if (!positions.empty()) {
        if (offset < positions.size()) {
            loc.line = positions[offset].first;
            loc.column = positions[offset].second;
        } else {
            loc.line = positions.back().first;
            loc.column = positions.back().second + (offset - positions.size() + 1);
        }
        return loc;
    }
    loc.line = line;
    loc.column = column + offset;
    return loc;
}

Compiled compile(std::string_view text, const Scope& scope, const SourceMap& map, std::size_t base_offset) {
    Compiled result;
    auto expr = std::make_shared<CompiledExpr>();
    expr->text = std::string(trim(text));
    auto tokens = tokenize(text);
    if (!tokens) {
        result.errors.push_back(Error{ErrorCode::expression_invalid, tokens.error().message,
                                      map.at(base_offset + tokens.error().offset), tokens.error().hint});
        return result;
    }
    Parser parser(std::move(*tokens), scope, map, base_offset, *expr, result.errors);
    parser.run();
    if (result.errors.empty()) result.expr = std::move(expr);
    return result;
}

std::string type_name(SType type) {
    switch (type.t) {
    case Ty::any: return "value";
    case Ty::null: return "null";
    case Ty::boolean: return "bool";
    case Ty::integer: return "int";
    case Ty::number: return "number";
    case Ty::string: return "string";
    case Ty::date: return "date";
    case Ty::list:
        return type.elem == Ty::any || type.elem == Ty::null ? "list" : "list<" + type_name({type.elem}) + ">";
    }
    return "value";
}

Ty ty_of(ValueType type) noexcept {
    switch (type) {
    case ValueType::null: return Ty::null;
    case ValueType::boolean: return Ty::boolean;
    case ValueType::integer: return Ty::integer;
    case ValueType::number: return Ty::number;
    case ValueType::string: return Ty::string;
    case ValueType::date: return Ty::date;
    case ValueType::list: return Ty::list;
    }
    return Ty::any;
}

SType stype_of(const Value& value) {
    SType t{ty_of(value.type())};
    if (t.t == Ty::list) {
        t.elem = Ty::any;
        const auto& items = value.as_list();
        if (!items.empty()) {
            t.elem = ty_of(items.front().type());
            for (const auto& item : items)
                if (ty_of(item.type()) != t.elem) t.elem = Ty::any;
        }
    }
    return t;
}

}  // namespace stackaudit::rules
