// JsonWriter: indentation and commas; string escaping is core's append_json_string. Text from
// input files reaches here, so any invalid UTF-8 becomes U+FFFD: the document stays valid JSON
// (RFC 8259 requires UTF-8) whatever a reader let through.
#include "stackaudit/core/json_writer.hpp"

#include <string>

#include "stackaudit/core/text.hpp"
#include "stackaudit/core/value.hpp"

namespace stackaudit {

namespace {

void append_text(std::string& out, std::string_view text) {
    if (valid_utf8(text)) {
        append_json_string(out, text);
    } else {
        append_json_string(out, to_valid_utf8(text));
    }
}

}  // namespace

void JsonWriter::newline_indent(std::size_t depth) {
    m_out += '\n';
    m_out.append(depth * 2, ' ');
}

void JsonWriter::before_value() {
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (m_levels.empty()) return;
    Level& level = m_levels.back();
    if (!level.empty) m_out += ',';
    level.empty = false;
    newline_indent(m_levels.size());
}

void JsonWriter::open(char bracket) {
    before_value();
    m_out += bracket;
    m_levels.push_back({});
}

void JsonWriter::close(char bracket) {
    const bool empty = m_levels.back().empty;
    m_levels.pop_back();
    if (!empty) newline_indent(m_levels.size());
    m_out += bracket;
}

void JsonWriter::begin_object() { open('{'); }
void JsonWriter::end_object() { close('}'); }
void JsonWriter::begin_array() { open('['); }
void JsonWriter::end_array() { close(']'); }

void JsonWriter::key(std::string_view name) {
    before_value();
    append_text(m_out, name);
    m_out += ": ";
    m_after_key = true;
}

void JsonWriter::string(std::string_view text) {
    before_value();
    append_text(m_out, text);
}

void JsonWriter::number_text(std::string_view text) {
    before_value();
    m_out += text;
}

void JsonWriter::integer(std::int64_t value) {
    before_value();
    m_out += std::to_string(value);
}

void JsonWriter::count(std::size_t value) {
    before_value();
    m_out += std::to_string(value);
}

void JsonWriter::boolean(bool value) {
    before_value();
    m_out += value ? "true" : "false";
}

void JsonWriter::null() {
    before_value();
    m_out += "null";
}

std::string JsonWriter::finish() {
    std::string out = std::move(m_out);
    out += '\n';
    m_out.clear();
    m_levels.clear();
    m_after_key = false;
    return out;
}

}  // namespace stackaudit
