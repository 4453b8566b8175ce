// Value: display and JSON forms, and equality that treats 2 and 2.0 alike.
#include "stackaudit/core/value.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace stackaudit {

std::string_view to_string(ValueType type) noexcept {
    switch (type) {
    case ValueType::null: return "null";
    case ValueType::boolean: return "bool";
    case ValueType::integer: return "int";
    case ValueType::number: return "number";
    case ValueType::string: return "string";
    case ValueType::date: return "date";
    case ValueType::list: return "list";
    }
    return "null";
}

Value Value::strings(const std::vector<std::string>& items) {
    List l;
    l.reserve(items.size());
    for (const auto& s : items) l.emplace_back(s);
    return Value(std::move(l));
}

double Value::as_number() const {
    if (type() == ValueType::integer) return static_cast<double>(as_int());
    return std::get<double>(m_v);
}

namespace {
// At most two decimals, no trailing zeros, no exponent: 0.5, 12, 1234.57.
std::string format_number(double d) {
    if (!std::isfinite(d)) return std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%.2f", d);
    std::string s = buf.data();
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}
}  // namespace

std::string Value::to_display() const {
    switch (type()) {
    case ValueType::null: return "";
    case ValueType::boolean: return as_bool() ? "true" : "false";
    case ValueType::integer: return std::to_string(as_int());
    case ValueType::number: return format_number(std::get<double>(m_v));
    case ValueType::string: return as_string();
    case ValueType::date: return format_date(as_date());
    case ValueType::list: {
        std::string out;
        for (const auto& v : as_list()) {
            if (!out.empty()) out += "; ";
            out += v.to_display();
        }
        return out;
    }
    }
    return "";
}

std::string Value::to_json() const {
    switch (type()) {
    case ValueType::null: return "null";
    case ValueType::boolean: return as_bool() ? "true" : "false";
    case ValueType::integer: return std::to_string(as_int());
    case ValueType::number: {
        const double d = std::get<double>(m_v);
        if (!std::isfinite(d)) return "null";
        return format_number(d);
    }
    case ValueType::string: {
        std::string out;
        append_json_string(out, as_string());
        return out;
    }
    case ValueType::date: {
        std::string out(1, '"');
        out += format_date(as_date());
        out += '"';
        return out;
    }
    case ValueType::list: {
        std::string out = "[";
        bool first = true;
        for (const auto& v : as_list()) {
            if (!first) out += ',';
            first = false;
            out += v.to_json();
        }
        return out + "]";
    }
    }
    return "null";
}

bool operator==(const Value& a, const Value& b) {
    const auto ta = a.type(), tb = b.type();
    const bool na = ta == ValueType::integer || ta == ValueType::number;
    const bool nb = tb == ValueType::integer || tb == ValueType::number;
    if (na && nb) {
        if (ta == ValueType::integer && tb == ValueType::integer) return a.as_int() == b.as_int();
        return a.as_number() == b.as_number();
    }
    return a.m_v == b.m_v;
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                std::array<char, 8> buf{};
                std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
                out += buf.data();
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

}  // namespace stackaudit
