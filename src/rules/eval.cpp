// Evaluator for compiled rule expressions: a switch over the flat AST reading facts by index.
// Null semantics follow docs/rule-language.md; failures on data set EvalContext::failed
// instead of throwing, so one odd subject never stops a run.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include "expr.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::rules {

Val Val::of(const Value& v) {
    Val r;
    r.type = v.type();
    switch (r.type) {
    case ValueType::null: break;
    case ValueType::boolean: r.b = v.as_bool(); break;
    case ValueType::integer: r.i = v.as_int(); break;
    case ValueType::number: r.d = v.as_number(); break;
    case ValueType::date: r.i = v.as_date().time_since_epoch().count(); break;
    case ValueType::string:
    case ValueType::list: r.ref = &v; break;
    }
    return r;
}

Value Val::to_value() const {
    switch (type) {
    case ValueType::null: return {};
    case ValueType::boolean: return Value(b);
    case ValueType::integer: return Value(i);
    case ValueType::number: return Value(d);
    case ValueType::date: return Value(Date{std::chrono::days{i}});
    case ValueType::string:
    case ValueType::list: return *ref;
    }
    return {};
}

const Value* Scratch::keep(Value v) {
    if (m_used < m_values.size()) m_values[m_used] = std::move(v);
    else m_values.push_back(std::move(v));
    return &m_values[m_used++];
}

namespace {

// The digits of |value| rounded half away from zero. std::llround is only defined inside the
// range of long long; beyond it (money(1e30), found by fuzz_expr) the double is already whole.
std::string rounded_digits(double value) {
    const double magnitude = std::fabs(value);
    if (magnitude < 0x1p63) return std::to_string(std::llround(magnitude));
    std::array<char, 400> buf{};  // the largest double has 309 digits
    std::snprintf(buf.data(), buf.size(), "%.0f", magnitude);
    return buf.data();
}

}  // namespace

std::string format_money(double amount) {
    if (!std::isfinite(amount)) return "n/a";
    const std::string digits = rounded_digits(amount);
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return amount < 0 && digits != "0" ? "-" + out : out;
}

std::string format_percent(double fraction) {
    if (!std::isfinite(fraction * 100.0)) return "n/a";
    const std::string digits = rounded_digits(fraction * 100.0);
    return (fraction < 0 && digits != "0" ? "-" : "") + digits + "%";
}

std::string display(const Val& v) {
    if (v.is_null()) return "none";
    if (v.type == ValueType::string) return v.str();
    return v.to_value().to_display();
}

namespace {

constexpr std::size_t k_max_regex_input = 4096;

enum class Order { less, equal, greater, unordered, incompatible };

template <class T>
Order order_of(const T& a, const T& b) {
    if (a < b) return Order::less;
    if (b < a) return Order::greater;
    return Order::equal;
}

Order order(const Val& a, const Val& b) {
    if (a.is_numeric() && b.is_numeric()) {
        if (a.type == ValueType::integer && b.type == ValueType::integer) return order_of(a.i, b.i);
        const double x = a.num();
        const double y = b.num();
        if (std::isnan(x) || std::isnan(y)) return Order::unordered;
        return order_of(x, y);
    }
    if (a.type != b.type) return Order::incompatible;
    if (a.type == ValueType::string) return order_of(a.str(), b.str());
    if (a.type == ValueType::date) return order_of(a.i, b.i);
    return Order::incompatible;
}

bool equal(const Val& a, const Val& b) {
    if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
    if (a.is_numeric() && b.is_numeric()) {
        if (a.type == ValueType::integer && b.type == ValueType::integer) return a.i == b.i;
        return a.num() == b.num();
    }
    if (a.type != b.type) return false;
    switch (a.type) {
    case ValueType::boolean: return a.b == b.b;
    case ValueType::date: return a.i == b.i;
    case ValueType::string: return a.str() == b.str();
    case ValueType::list: return a.list() == b.list();
    default: return false;
    }
}

bool list_has(const Value::List& list, const Val& x) {
    return std::any_of(list.begin(), list.end(), [&](const Value& item) { return equal(Val::of(item), x); });
}

std::string_view kind_name(const Val& v) { return to_string(v.type); }

Val fail(EvalContext& ctx, const Node& n, std::string message) {
    if (!ctx.failed) {
        ctx.failed = true;
        ctx.error = std::move(message) + " (at column " + std::to_string(n.offset + 1) + ")";
    }
    return {};
}

Val keep(EvalContext& ctx, Value v) {
    Val r;
    r.type = v.type();
    r.ref = ctx.scratch->keep(std::move(v));
    return r;
}

// and/or/not/?: read null as false; anything else but a bool is a run-time type clash.
bool truth(const Val& v, const Node& n, EvalContext& ctx) {
    if (v.type == ValueType::boolean) return v.b;
    if (v.is_null()) return false;
    fail(ctx, n, "expected a bool, got " + std::string(kind_name(v)));
    return false;
}

Val numeric_result(double d) { return Val::number(d); }

}  // namespace

Val CompiledExpr::eval_node(std::uint32_t index, EvalContext& ctx) const {
    const Node& n = nodes[index];
    switch (n.op) {
    case Op::literal: return Val::of(constants[n.index]);
    case Op::fact: {
        const auto& frames = ctx.subject->frames;
        if (n.index >= frames.size() || frames[n.index] == nullptr) return {};
        const auto& frame = *frames[n.index];
        if (n.slot >= frame.size()) return {};
        return Val::of(frame[n.slot]);
    }
    case Op::param:
        if (ctx.params == nullptr || n.index >= ctx.params->size()) return {};
        return Val::of((*ctx.params)[n.index]);
    case Op::as_of: return Val::date(ctx.as_of_days);
    case Op::list: {
        Value::List items;
        items.reserve(n.args.size());
        for (const auto a : n.args) {
            const Val v = eval_node(a, ctx);
            if (ctx.failed) return {};
            items.push_back(v.to_value());
        }
        return keep(ctx, Value(std::move(items)));
    }
    case Op::neg: {
        const Val x = eval_node(n.a, ctx);
        if (ctx.failed || x.is_null()) return {};
        if (x.type == ValueType::integer) return Val::integer(-x.i);
        if (x.type == ValueType::number) return Val::number(-x.d);
        return fail(ctx, n, "cannot negate a " + std::string(kind_name(x)));
    }
    case Op::lnot: {
        const Val x = eval_node(n.a, ctx);
        if (ctx.failed) return {};
        return Val::boolean(!truth(x, n, ctx));
    }
    case Op::land: {
        const Val l = eval_node(n.a, ctx);
        if (ctx.failed) return {};
        if (!truth(l, n, ctx)) return Val::boolean(false);
        const Val r = eval_node(n.b, ctx);
        if (ctx.failed) return {};
        return Val::boolean(truth(r, n, ctx));
    }
    case Op::lor: {
        const Val l = eval_node(n.a, ctx);
        if (ctx.failed) return {};
        if (truth(l, n, ctx)) return Val::boolean(true);
        if (ctx.failed) return {};
        const Val r = eval_node(n.b, ctx);
        if (ctx.failed) return {};
        return Val::boolean(truth(r, n, ctx));
    }
    case Op::cond: {
        const Val c = eval_node(n.a, ctx);
        if (ctx.failed) return {};
        const bool pick = truth(c, n, ctx);
        if (ctx.failed) return {};
        return eval_node(pick ? n.b : n.c, ctx);
    }
    case Op::call: return eval_call(n, ctx);
    default: break;
    }

    const Val l = eval_node(n.a, ctx);
    if (ctx.failed) return {};
    const Val r = eval_node(n.b, ctx);
    if (ctx.failed) return {};

    switch (n.op) {
    case Op::eq: return Val::boolean(equal(l, r));
    case Op::ne: return Val::boolean(!equal(l, r));
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge: {
        if (l.is_null() || r.is_null()) return Val::boolean(false);
        const Order o = order(l, r);
        if (o == Order::incompatible)
            return fail(ctx, n, "cannot compare " + std::string(kind_name(l)) + " with " + std::string(kind_name(r)));
        if (o == Order::unordered) return Val::boolean(false);
        switch (n.op) {
        case Op::lt: return Val::boolean(o == Order::less);
        case Op::le: return Val::boolean(o != Order::greater);
        case Op::gt: return Val::boolean(o == Order::greater);
        default: return Val::boolean(o != Order::less);
        }
    }
    case Op::in:
    case Op::not_in: {
        bool found = false;
        if (r.type == ValueType::list) {
            found = list_has(r.list(), l);
        } else if (r.type == ValueType::string) {
            if (l.type == ValueType::string) found = r.str().find(l.str()) != std::string::npos;
            else if (!l.is_null())
                return fail(ctx, n, "'in' on a string needs a string on the left, got " + std::string(kind_name(l)));
        } else if (!r.is_null()) {
            return fail(ctx, n, "'in' needs a list or a string on the right, got " + std::string(kind_name(r)));
        }
        return Val::boolean(n.op == Op::in ? found : !found);
    }
    default: break;
    }

    // Arithmetic: null on either side gives null.
    if (l.is_null() || r.is_null()) return {};
    const bool ints = l.type == ValueType::integer && r.type == ValueType::integer;
    switch (n.op) {
    case Op::add:
        if (ints) {
            std::int64_t out = 0;
            if (!__builtin_add_overflow(l.i, r.i, &out)) return Val::integer(out);
            return numeric_result(static_cast<double>(l.i) + static_cast<double>(r.i));
        }
        if (l.is_numeric() && r.is_numeric()) return Val::number(l.num() + r.num());
        if (l.type == ValueType::date && r.type == ValueType::integer) return Val::date(l.i + r.i);
        if (l.type == ValueType::integer && r.type == ValueType::date) return Val::date(l.i + r.i);
        if (l.type == ValueType::string && r.type == ValueType::string) return keep(ctx, Value(l.str() + r.str()));
        if (l.type == ValueType::list && r.type == ValueType::list) {
            Value::List out = l.list();
            out.insert(out.end(), r.list().begin(), r.list().end());
            return keep(ctx, Value(std::move(out)));
        }
        break;
    case Op::sub:
        if (ints) {
            std::int64_t out = 0;
            if (!__builtin_sub_overflow(l.i, r.i, &out)) return Val::integer(out);
            return numeric_result(static_cast<double>(l.i) - static_cast<double>(r.i));
        }
        if (l.is_numeric() && r.is_numeric()) return Val::number(l.num() - r.num());
        if (l.type == ValueType::date && r.type == ValueType::integer) return Val::date(l.i - r.i);
        if (l.type == ValueType::date && r.type == ValueType::date) return Val::integer(l.i - r.i);
        break;
    case Op::mul:
        if (ints) {
            std::int64_t out = 0;
            if (!__builtin_mul_overflow(l.i, r.i, &out)) return Val::integer(out);
            return numeric_result(static_cast<double>(l.i) * static_cast<double>(r.i));
        }
        if (l.is_numeric() && r.is_numeric()) return Val::number(l.num() * r.num());
        break;
    case Op::div:
        // Division by zero has no meaningful answer for an audit figure: null, like missing data.
        if (l.is_numeric() && r.is_numeric()) return r.num() == 0 ? Val{} : Val::number(l.num() / r.num());
        break;
    case Op::mod:
        if (ints) return r.i == 0 ? Val{} : Val::integer(l.i % r.i);
        if (l.is_numeric() && r.is_numeric()) return r.num() == 0 ? Val{} : Val::number(std::fmod(l.num(), r.num()));
        break;
    default: break;
    }
    return fail(ctx, n, "cannot apply an operator to " + std::string(kind_name(l)) + " and " + std::string(kind_name(r)));
}

Val CompiledExpr::eval_call(const Node& n, EvalContext& ctx) const {
    auto arg = [&](std::size_t i) { return eval_node(n.args[i], ctx); };
    auto want_type = [&](const Val& v, ValueType t, std::string_view what) {
        if (v.type == t || v.is_null()) return true;
        fail(ctx, n, std::string(what) + ", got " + std::string(kind_name(v)));
        return false;
    };

    switch (n.fn) {
    case Fn::has: {
        const Val x = arg(0);
        return ctx.failed ? Val{} : Val::boolean(!x.is_null());
    }
    case Fn::coalesce:
        for (std::size_t i = 0; i < n.args.size(); ++i) {
            const Val x = arg(i);
            if (ctx.failed) return {};
            if (!x.is_null()) return x;
        }
        return {};
    default: break;
    }

    // Every other function evaluates all of its arguments first.
    std::array<Val, 2> fixed{};
    const std::size_t count = n.args.size();
    if (n.fn != Fn::min && n.fn != Fn::max) {
        for (std::size_t i = 0; i < count && i < fixed.size(); ++i) {
            fixed[i] = arg(i);
            if (ctx.failed) return {};
        }
    }
    const Val& a = fixed[0];
    const Val& b = fixed[1];

    switch (n.fn) {
    case Fn::size:
        if (a.is_null()) return {};
        if (a.type == ValueType::string) return Val::integer(static_cast<std::int64_t>(a.str().size()));
        if (a.type == ValueType::list) return Val::integer(static_cast<std::int64_t>(a.list().size()));
        return fail(ctx, n, "size() needs a list or a string, got " + std::string(kind_name(a)));
    case Fn::lower:
    case Fn::upper: {
        if (a.is_null() || !want_type(a, ValueType::string, "lower()/upper() need a string")) return {};
        std::string s = a.str();
        for (auto& c : s) {
            if (n.fn == Fn::lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (n.fn == Fn::upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        return keep(ctx, Value(std::move(s)));
    }
    case Fn::contains:
        if (a.is_null() || b.is_null()) return Val::boolean(false);
        if (a.type == ValueType::list) return Val::boolean(list_has(a.list(), b));
        if (a.type == ValueType::string && b.type == ValueType::string)
            return Val::boolean(a.str().find(b.str()) != std::string::npos);
        return fail(ctx, n, "contains() needs (string, string) or (list, item)");
    case Fn::starts_with:
    case Fn::ends_with: {
        if (a.is_null() || b.is_null()) return Val::boolean(false);
        if (!want_type(a, ValueType::string, "starts_with()/ends_with() need strings") ||
            !want_type(b, ValueType::string, "starts_with()/ends_with() need strings"))
            return {};
        const std::string_view s = a.str();
        return Val::boolean(n.fn == Fn::starts_with ? s.starts_with(b.str()) : s.ends_with(b.str()));
    }
    case Fn::matches:
        if (a.is_null()) return Val::boolean(false);
        if (!want_type(a, ValueType::string, "matches() needs a string")) return {};
        // std::regex recurses per input character; bound the input so a hostile value gives an
        // error for this subject instead of exhausting the stack.
        if (a.str().size() > k_max_regex_input)
            return fail(ctx, n, "matches(): value too long (" + std::to_string(a.str().size()) + " characters, limit " +
                                    std::to_string(k_max_regex_input) + ")");
        try {
            return Val::boolean(std::regex_search(a.str(), *n.regex));
        } catch (const std::regex_error& e) {
            return fail(ctx, n, "matches() failed on this value: " + std::string(e.what()));
        }
    case Fn::date: {
        if (a.is_null()) return {};
        if (a.type == ValueType::date) return a;
        if (!want_type(a, ValueType::string, "date() needs a string")) return {};
        auto parsed = parse_date(a.str());
        if (!parsed) return fail(ctx, n, "date(\"" + a.str() + "\"): not a date");
        return *parsed ? Val::date(parsed->value().time_since_epoch().count()) : Val{};
    }
    case Fn::days_between:
        if (a.is_null() || b.is_null()) return {};
        if (!want_type(a, ValueType::date, "days_between() needs dates") ||
            !want_type(b, ValueType::date, "days_between() needs dates"))
            return {};
        return Val::integer(b.i - a.i);
    case Fn::days_since:
        if (a.is_null()) return {};
        if (!want_type(a, ValueType::date, "days_since() needs a date")) return {};
        return Val::integer(ctx.as_of_days - a.i);
    case Fn::intersects:
    case Fn::intersection: {
        if (a.is_null() || b.is_null()) return n.fn == Fn::intersects ? Val::boolean(false) : Val{};
        if (!want_type(a, ValueType::list, "intersects()/intersection() need lists") ||
            !want_type(b, ValueType::list, "intersects()/intersection() need lists"))
            return {};
        if (n.fn == Fn::intersects) {
            for (const auto& item : a.list())
                if (list_has(b.list(), Val::of(item))) return Val::boolean(true);
            return Val::boolean(false);
        }
        Value::List out;
        for (const auto& item : a.list())
            if (list_has(b.list(), Val::of(item)) && std::find(out.begin(), out.end(), item) == out.end())
                out.push_back(item);
        return keep(ctx, Value(std::move(out)));
    }
    case Fn::join: {
        if (a.is_null()) return {};
        if (!want_type(a, ValueType::list, "join() needs a list")) return {};
        std::string sep = ", ";
        if (count > 1) {
            if (b.is_null()) return {};
            if (!want_type(b, ValueType::string, "join() needs a string separator")) return {};
            sep = b.str();
        }
        std::string out;
        bool first = true;
        for (const auto& item : a.list()) {
            if (!first) out += sep;
            first = false;
            out += item.to_display();
        }
        return keep(ctx, Value(std::move(out)));
    }
    case Fn::min:
    case Fn::max: {
        Val best;
        for (std::size_t i = 0; i < count; ++i) {
            const Val x = arg(i);
            if (ctx.failed || x.is_null()) return {};
            if (i == 0) {
                best = x;
                continue;
            }
            const Order o = order(x, best);
            if (o == Order::incompatible)
                return fail(ctx, n, "min()/max() cannot compare " + std::string(kind_name(x)) + " with " +
                                        std::string(kind_name(best)));
            if (o == Order::unordered) return Val::number(std::numeric_limits<double>::quiet_NaN());
            const bool take = n.fn == Fn::min ? o == Order::less : o == Order::greater;
            // int and number mixed give a number, as for arithmetic.
            const bool mixed = x.is_numeric() && best.is_numeric() && x.type != best.type;
            if (take) best = x;
            if (mixed) best = Val::number(best.num());
        }
        return best;
    }
    case Fn::round: {
        if (a.is_null()) return {};
        std::int64_t digits = 0;
        if (count > 1) {
            if (b.is_null()) return {};
            if (!want_type(b, ValueType::integer, "round() needs an int number of digits")) return {};
            digits = b.i;
        }
        if (!a.is_numeric()) return fail(ctx, n, "round() needs a number, got " + std::string(kind_name(a)));
        if (a.type == ValueType::integer && digits >= 0) return a;
        const double factor = std::pow(10.0, static_cast<double>(digits));
        const double rounded = std::round(a.num() * factor) / factor;
        if (a.type == ValueType::integer) {
            // round(9223372036854775807, -1) does not fit, and round(1, -400) is 0/0 (fuzz_expr).
            if (!(rounded >= -0x1p63 && rounded < 0x1p63))
                return fail(ctx, n, "round(): the result does not fit in an int");
            return Val::integer(static_cast<std::int64_t>(rounded));
        }
        return Val::number(rounded);
    }
    case Fn::percent:
    case Fn::money:
        if (a.is_null()) return {};
        if (!a.is_numeric()) return fail(ctx, n, "percent()/money() need a number, got " + std::string(kind_name(a)));
        return keep(ctx, Value(n.fn == Fn::percent ? format_percent(a.num()) : format_money(a.num())));
    default: break;
    }
    return fail(ctx, n, "unknown function");
}

}  // namespace stackaudit::rules
