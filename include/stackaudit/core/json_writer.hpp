// A small streaming JSON writer with fixed two-space indentation. Keys come out in the order
// the caller writes them, so the same report always gives the same bytes. The output is always
// valid UTF-8: invalid sequences in keys and strings are written as U+FFFD.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stackaudit {

class JsonWriter {
public:
    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    void key(std::string_view name);  // the next value belongs to this key

    void string(std::string_view text);  // invalid UTF-8 is written as U+FFFD
    void number_text(std::string_view text);  // an already formatted JSON number
    void integer(std::int64_t value);
    void count(std::size_t value);
    void boolean(bool value);
    void null();

    // Convenience for the common "key": value pairs.
    void field(std::string_view name, std::string_view text) { key(name); string(text); }
    void field_count(std::string_view name, std::size_t value) { key(name); count(value); }
    void field_bool(std::string_view name, bool value) { key(name); boolean(value); }

    // The document, ending in a newline.
    [[nodiscard]] std::string finish();

private:
    struct Level {
        bool empty = true;
    };
    void before_value();
    void open(char bracket);
    void close(char bracket);
    void newline_indent(std::size_t depth);

    std::string m_out;
    std::vector<Level> m_levels;
    bool m_after_key = false;
};

}  // namespace stackaudit
