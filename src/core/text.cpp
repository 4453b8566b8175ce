// Text and number formatting shared by every writer of the project: money, spreadsheet formula
// neutralisation, the terminal-safe helpers behind aligned text tables, UTF-8 validation and
// the JSON depth check.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "stackaudit/core/text.hpp"

namespace stackaudit {

namespace {

// Fixed-point with exactly two decimals. std::to_chars is locale-independent and rounds the
// exact binary value, so the same double gives the same text on every machine.
std::string fixed2(double amount) {
    char buf[512];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, amount, std::chars_format::fixed, 2);
    if (ec != std::errc{}) return {};
    std::string text(buf, end);
    // -0.004 rounds to "-0.00"; a sign on zero only confuses a reader.
    if (text.find_first_not_of("-0.") == std::string::npos && !text.empty() && text.front() == '-') text.erase(0, 1);
    return text;
}

// Length of the well-formed UTF-8 sequence at text[i] (Unicode table 3-7), or 0 when it is
// ill-formed; then `bad` is the length of its maximal subpart (at least 1), the bytes one
// U+FFFD stands for.
std::size_t utf8_sequence(std::string_view text, std::size_t i, std::size_t& bad) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    bad = 1;
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // no overlong 3-byte forms
        if (lead == 0xED) high = 0x9F;  // no UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // no overlong 4-byte forms
        if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;  // 80..C1 and F5..FF never start a sequence
    }
    for (std::size_t k = 1; k < length; ++k) {
        if (i + k >= text.size()) return 0;
        const unsigned char c = byte(i + k);
        const unsigned char lo = k == 1 ? low : 0x80, hi = k == 1 ? high : 0xBF;
        if (c < lo || c > hi) return 0;
        bad = k + 1;
    }
    return length;
}

}  // namespace

std::size_t invalid_utf8_offset(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
            continue;
        }
        std::size_t bad = 0;
        const std::size_t length = utf8_sequence(text, i, bad);
        if (length == 0) return i;
        i += length;
    }
    return std::string_view::npos;
}

std::string to_valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t bad = 0;
        const std::size_t length = utf8_sequence(text, i, bad);
        if (length == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
            i += bad;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

std::size_t json_too_deep_at(std::string_view json, std::size_t max_depth) noexcept {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (in_string) {
            if (c == '\\') {
                ++i;  // the escaped character cannot end the string
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
        case '"': in_string = true; break;
        case '[':
        case '{':
            if (++depth > max_depth) return i;
            break;
        case ']':
        case '}':
            if (depth > 0) --depth;
            break;
        default: break;
        }
    }
    return std::string_view::npos;
}

std::string format_money(double amount) {
    if (!std::isfinite(amount)) return {};
    std::string text = fixed2(amount);
    if (auto dot = text.find('.'); dot != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

std::string spreadsheet_safe(std::string_view cell) {
    if (!cell.empty()) {
        switch (cell.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return "'" + std::string(cell);
        default:
            break;
        }
    }
    return std::string(cell);
}


std::string format_money_readable(double amount) {
    if (!std::isfinite(amount)) return {};
    std::string text = fixed2(amount);
    std::string sign;
    if (!text.empty() && text.front() == '-') {
        sign = "-";
        text.erase(0, 1);
    }
    const auto dot = text.find('.');
    std::string whole = text.substr(0, dot);
    std::string cents = dot == std::string::npos ? std::string() : text.substr(dot + 1);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    if (!cents.empty()) grouped += "." + cents;
    return sign + grouped;
}

std::string terminal_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        bool blank = c < 0x20 || c == 0x7f || c == ' ';
        // C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F) are escape sequences to some terminals.
        if (c == 0xC2 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9F) {
                blank = true;
                ++i;
            }
        }
        if (blank) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) {
            out += ' ';
            pending_space = false;
        }
        out += static_cast<char>(c);
    }
    return out;
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (char ch : text) {
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++width;
    }
    return width;
}

std::string fit(std::string_view text, std::size_t width) {
    if (display_width(text) <= width) return std::string(text);
    if (width <= 3) return std::string(width, '.');
    std::string out;
    std::size_t columns = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool starts_code_point = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
        if (starts_code_point) {
            if (columns == width - 3) break;
            ++columns;
        }
        out += text[i];
    }
    return out + "...";
}

std::string pad_right(std::string_view text, std::size_t width) {
    std::string out(text);
    const std::size_t used = display_width(text);
    if (used < width) out.append(width - used, ' ');
    return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
    const std::size_t used = display_width(text);
    std::string out = used < width ? std::string(width - used, ' ') : std::string();
    return out + std::string(text);
}

std::string wrap(std::string_view text, std::size_t width, std::string_view first_indent,
                 std::string_view rest_indent) {
    std::string out;
    std::string line(first_indent);
    bool line_has_word = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto start = text.find_first_not_of(' ', pos);
        if (start == std::string_view::npos) break;
        auto stop = text.find(' ', start);
        if (stop == std::string_view::npos) stop = text.size();
        const std::string_view word = text.substr(start, stop - start);
        pos = stop;
        if (line_has_word && display_width(line) + 1 + display_width(word) > width) {
            out += line + "\n";
            line.assign(rest_indent);
            line_has_word = false;
        }
        if (line_has_word) line += ' ';
        line += word;
        line_has_word = true;
    }
    if (line_has_word) out += line + "\n";
    return out;
}

}  // namespace stackaudit
