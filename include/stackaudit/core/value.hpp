// Dynamically typed values for rule facts and expression results.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "stackaudit/core/time.hpp"

namespace stackaudit {

enum class ValueType { null, boolean, integer, number, string, date, list };
[[nodiscard]] std::string_view to_string(ValueType type) noexcept;  // "null", "bool", "int", "number", "string", "date", "list"

class Value {
public:
    using List = std::vector<Value>;
    Value() = default;  // null
    Value(std::nullptr_t) {}
    Value(bool b) : m_v(b) {}
    Value(int i) : m_v(static_cast<std::int64_t>(i)) {}
    Value(std::int64_t i) : m_v(i) {}
    Value(std::size_t i) : m_v(static_cast<std::int64_t>(i)) {}
    Value(double d) : m_v(d) {}
    Value(std::string s) : m_v(std::move(s)) {}
    Value(std::string_view s) : m_v(std::string(s)) {}
    Value(const char* s) : m_v(std::string(s)) {}
    Value(Date d) : m_v(d) {}
    Value(List l) : m_v(std::move(l)) {}
    static Value strings(const std::vector<std::string>& items);  // list of strings

    [[nodiscard]] ValueType type() const noexcept { return static_cast<ValueType>(m_v.index()); }
    [[nodiscard]] bool is_null() const noexcept { return m_v.index() == 0; }
    [[nodiscard]] bool as_bool() const { return std::get<bool>(m_v); }
    [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(m_v); }
    [[nodiscard]] double as_number() const;  // int or number
    [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(m_v); }
    [[nodiscard]] Date as_date() const { return std::get<Date>(m_v); }
    [[nodiscard]] const List& as_list() const { return std::get<List>(m_v); }

    // Display form used in messages, evidence and CSV: null -> "", bool -> true/false,
    // numbers without trailing zeros (at most 2 decimals), dates YYYY-MM-DD, lists "a; b; c".
    [[nodiscard]] std::string to_display() const;
    // JSON form: null, true, 12, 0.5, "text", "2026-11-01", [..].
    [[nodiscard]] std::string to_json() const;

    friend bool operator==(const Value& a, const Value& b);  // int 2 == number 2.0

private:
    std::variant<std::monostate, bool, std::int64_t, double, std::string, Date, List> m_v;
};

// Appends `s` to `out` as a JSON string literal (quotes, escapes, control characters).
void append_json_string(std::string& out, std::string_view s);

}  // namespace stackaudit
