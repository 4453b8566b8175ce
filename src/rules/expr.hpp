// The expression language's internals: tokens, the flat AST with static types, the
// allocation-free evaluation value (Val) and the compiled expression the public API hides.
// Names are resolved while parsing, so evaluation reads facts by (frame position, slot).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stackaudit/core/error.hpp"
#include "stackaudit/core/facts.hpp"
#include "stackaudit/core/value.hpp"
#include "stackaudit/rules/rules.hpp"

namespace stackaudit::rules {

// ---- lexer ------------------------------------------------------------------------------

enum class Tok : std::uint8_t {
    end, integer, number, string, ident,
    lparen, rparen, lbracket, rbracket, comma, dot, question, colon,
    plus, minus, star, slash, percent,
    eq, ne, lt, le, gt, ge, bang, andand, oror,
    kw_and, kw_or, kw_not, kw_in, kw_true, kw_false, kw_null,
};

struct Token {
    Tok kind = Tok::end;
    std::size_t offset = 0;  // in the expression text
    std::string text;        // identifier, or the decoded string literal
    std::int64_t int_value = 0;
    double number_value = 0;
};

struct LexError {
    std::size_t offset = 0;
    std::string message;
    std::string hint;
};

// Tokenizes the whole expression; the last token is Tok::end.
[[nodiscard]] std::expected<std::vector<Token>, LexError> tokenize(std::string_view text);
[[nodiscard]] std::string_view describe(Tok kind) noexcept;

// ---- static types -----------------------------------------------------------------------

// `any` is a type only known at run time (elements of lists of unknown type, mixed branches).
enum class Ty : std::uint8_t { any, null, boolean, integer, number, string, date, list };

struct SType {
    Ty t = Ty::any;
    Ty elem = Ty::any;  // lists only
};

[[nodiscard]] std::string type_name(SType type);
[[nodiscard]] Ty ty_of(ValueType type) noexcept;
[[nodiscard]] SType stype_of(const Value& value);

// ---- AST ----------------------------------------------------------------------------------

enum class Op : std::uint8_t {
    literal, fact, param, as_of, list,
    neg, lnot,
    add, sub, mul, div, mod,
    eq, ne, lt, le, gt, ge, in, not_in,
    land, lor, cond,
    call,
};

enum class Fn : std::uint8_t {
    size, lower, upper, contains, starts_with, ends_with, matches, date, days_between, days_since,
    has, coalesce, intersects, intersection, join, min, max, round, percent, money,
};

struct Node {
    Op op = Op::literal;
    Fn fn = Fn::size;
    std::uint32_t a = 0, b = 0, c = 0;  // child node indices
    std::uint32_t index = 0;            // literal: constant; fact: frame position; param: parameter
    std::uint32_t slot = 0;             // fact: slot in the frame
    std::vector<std::uint32_t> args;    // call arguments and list elements
    std::size_t offset = 0;             // where the node's token starts in the text
    SType type;
    std::shared_ptr<const std::regex> regex;  // matches() with its pattern compiled at load
};

// ---- evaluation ---------------------------------------------------------------------------

// A value during evaluation. Scalars live inline; strings and lists point at storage that
// outlives the evaluation (a fact, a constant, or the context's scratch), so reading facts
// and comparing them never allocates.
struct Val {
    ValueType type = ValueType::null;
    bool b = false;
    std::int64_t i = 0;  // integer, or a date as days since 1970-01-01
    double d = 0;
    const Value* ref = nullptr;  // string or list

    static Val null() { return {}; }
    static Val boolean(bool v) { Val r; r.type = ValueType::boolean; r.b = v; return r; }
    static Val integer(std::int64_t v) { Val r; r.type = ValueType::integer; r.i = v; return r; }
    static Val number(double v) { Val r; r.type = ValueType::number; r.d = v; return r; }
    static Val date(std::int64_t days) { Val r; r.type = ValueType::date; r.i = days; return r; }
    static Val of(const Value& v);

    [[nodiscard]] bool is_null() const noexcept { return type == ValueType::null; }
    [[nodiscard]] bool is_numeric() const noexcept { return type == ValueType::integer || type == ValueType::number; }
    [[nodiscard]] double num() const noexcept { return type == ValueType::integer ? static_cast<double>(i) : d; }
    [[nodiscard]] const std::string& str() const { return ref->as_string(); }
    [[nodiscard]] const Value::List& list() const { return ref->as_list(); }
    [[nodiscard]] Value to_value() const;
};

// Storage for strings and lists computed during one evaluation. Slots are reused across
// subjects; a deque keeps addresses stable while it grows.
class Scratch {
public:
    const Value* keep(Value v);
    void reset() noexcept { m_used = 0; }

private:
    std::deque<Value> m_values;
    std::size_t m_used = 0;
};

struct EvalContext {
    const Subject* subject = nullptr;
    const std::vector<Value>* params = nullptr;
    std::int64_t as_of_days = 0;
    Scratch* scratch = nullptr;
    bool failed = false;
    std::string error;  // what went wrong when failed
};

// ---- compiled expressions -----------------------------------------------------------------

// Maps an offset in an expression to a position in its file (YAML folding moves text around).
struct SourceMap {
    std::string file;
    std::string source;  // logical source, e.g. "rule idle-seat"
    std::size_t line = 0;    // position of offset 0 when `positions` is empty
    std::size_t column = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> positions;  // per offset: (line, column)
    [[nodiscard]] Location at(std::size_t offset) const;
};

struct Scope {
    const FactCatalog* catalog = nullptr;
    const SubjectKind* kind = nullptr;
    const std::vector<ParamDef>* params = nullptr;
};

// One `alias.fact` an expression reads, for evidence defaults and explain().
struct FactUse {
    std::string name;   // "tool.cost_per_seat"
    const FactDef* def = nullptr;
};

class CompiledExpr {
public:
    std::string text;
    std::vector<Node> nodes;
    std::vector<Value> constants;
    std::uint32_t root = 0;
    // Every distinct `alias.fact` and `params.x` named, in order of first appearance.
    std::vector<std::string> names;
    std::vector<FactUse> facts;

    [[nodiscard]] SType type() const { return nodes[root].type; }
    [[nodiscard]] Val eval(EvalContext& ctx) const { return eval_node(root, ctx); }
    [[nodiscard]] Val eval_node(std::uint32_t index, EvalContext& ctx) const;

private:
    [[nodiscard]] Val eval_call(const Node& node, EvalContext& ctx) const;
};

// Parses and type-checks `text`, which starts at `base_offset` within the text `map` describes.
// Every problem found is returned (parsing stops at the first syntax error).
struct Compiled {
    std::shared_ptr<CompiledExpr> expr;
    std::vector<Error> errors;
};
[[nodiscard]] Compiled compile(std::string_view text, const Scope& scope, const SourceMap& map,
                               std::size_t base_offset = 0);

// Truthiness for conditions: true fires, null and false do not.
[[nodiscard]] inline bool is_true(const Val& v) noexcept { return v.type == ValueType::boolean && v.b; }

// Message/evidence rendering of a result (null renders as "none" in messages).
[[nodiscard]] std::string display(const Val& v);

// money(): "12,345"; percent(): "23%".
[[nodiscard]] std::string format_money(double amount);
[[nodiscard]] std::string format_percent(double fraction);

}  // namespace stackaudit::rules
