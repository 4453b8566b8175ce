// Tokenizer for the rule expression language.
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "expr.hpp"

namespace stackaudit::rules {

namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

Tok keyword(std::string_view word) {
    if (word == "and") return Tok::kw_and;
    if (word == "or") return Tok::kw_or;
    if (word == "not") return Tok::kw_not;
    if (word == "in") return Tok::kw_in;
    if (word == "true") return Tok::kw_true;
    if (word == "false") return Tok::kw_false;
    if (word == "null") return Tok::kw_null;
    return Tok::ident;
}

}  // namespace

std::string_view describe(Tok kind) noexcept {
    switch (kind) {
    case Tok::end: return "end of expression";
    case Tok::integer: return "integer";
    case Tok::number: return "number";
    case Tok::string: return "string";
    case Tok::ident: return "name";
    case Tok::lparen: return "'('";
    case Tok::rparen: return "')'";
    case Tok::lbracket: return "'['";
    case Tok::rbracket: return "']'";
    case Tok::comma: return "','";
    case Tok::dot: return "'.'";
    case Tok::question: return "'?'";
    case Tok::colon: return "':'";
    case Tok::plus: return "'+'";
    case Tok::minus: return "'-'";
    case Tok::star: return "'*'";
    case Tok::slash: return "'/'";
    case Tok::percent: return "'%'";
    case Tok::eq: return "'=='";
    case Tok::ne: return "'!='";
    case Tok::lt: return "'<'";
    case Tok::le: return "'<='";
    case Tok::gt: return "'>'";
    case Tok::ge: return "'>='";
    case Tok::bang: return "'!'";
    case Tok::andand: return "'&&'";
    case Tok::oror: return "'||'";
    case Tok::kw_and: return "'and'";
    case Tok::kw_or: return "'or'";
    case Tok::kw_not: return "'not'";
    case Tok::kw_in: return "'in'";
    case Tok::kw_true: return "'true'";
    case Tok::kw_false: return "'false'";
    case Tok::kw_null: return "'null'";
    }
    return "token";
}

std::expected<std::vector<Token>, LexError> tokenize(std::string_view text) {
    std::vector<Token> out;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto simple = [&](Tok kind, std::size_t len) {
        Token t;
        t.kind = kind;
        t.offset = i;
        out.push_back(std::move(t));
        i += len;
    };
    while (i < n) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++i;
            continue;
        }
        const char next = i + 1 < n ? text[i + 1] : '\0';
        if (ident_start(c)) {
            const std::size_t start = i;
            while (i < n && ident_char(text[i])) ++i;
            Token t;
            t.text = std::string(text.substr(start, i - start));
            t.kind = keyword(t.text);
            t.offset = start;
            out.push_back(std::move(t));
            continue;
        }
        if (digit(c)) {
            const std::size_t start = i;
            while (i < n && digit(text[i])) ++i;
            bool is_number = false;
            if (i + 1 < n && text[i] == '.' && digit(text[i + 1])) {
                is_number = true;
                ++i;
                while (i < n && digit(text[i])) ++i;
            }
            if (i < n && (text[i] == 'e' || text[i] == 'E')) {
                std::size_t j = i + 1;
                if (j < n && (text[j] == '+' || text[j] == '-')) ++j;
                if (j < n && digit(text[j])) {
                    is_number = true;
                    i = j;
                    while (i < n && digit(text[i])) ++i;
                }
            }
            if (i < n && ident_start(text[i]))
                return std::unexpected(LexError{i, "unexpected '" + std::string(1, text[i]) + "' after a number",
                                                "put a space or an operator between a number and a name"});
            const std::string literal(text.substr(start, i - start));
            Token t;
            t.offset = start;
            if (is_number) {
                t.kind = Tok::number;
                t.number_value = std::strtod(literal.c_str(), nullptr);
            } else {
                t.kind = Tok::integer;
                const auto [ptr, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), t.int_value);
                if (ec != std::errc{} || ptr != literal.data() + literal.size())
                    return std::unexpected(LexError{start, "integer " + literal + " is too large",
                                                    "integers are 64-bit; write it as a number, e.g. " + literal + ".0"});
            }
            out.push_back(std::move(t));
            continue;
        }
        if (c == '"' || c == '\'') {
            const std::size_t start = i;
            ++i;
            std::string value;
            bool closed = false;
            while (i < n) {
                const char ch = text[i];
                if (ch == c) {
                    closed = true;
                    ++i;
                    break;
                }
                if (ch == '\\') {
                    if (i + 1 >= n) break;
                    const char e = text[i + 1];
                    switch (e) {
                    case '"': value += '"'; break;
                    case '\'': value += '\''; break;
                    case '\\': value += '\\'; break;
                    case 'n': value += '\n'; break;
                    case 't': value += '\t'; break;
                    default:
                        return std::unexpected(LexError{i, "unknown escape '\\" + std::string(1, e) + "' in a string",
                                                        "the escapes are \\\" \\' \\\\ \\n \\t; write \\\\ for a backslash"});
                    }
                    i += 2;
                    continue;
                }
                value += ch;
                ++i;
            }
            if (!closed)
                return std::unexpected(LexError{start, "unterminated string",
                                                std::string("close the string with ") + c});
            Token t;
            t.kind = Tok::string;
            t.offset = start;
            t.text = std::move(value);
            out.push_back(std::move(t));
            continue;
        }
        switch (c) {
        case '(': simple(Tok::lparen, 1); continue;
        case ')': simple(Tok::rparen, 1); continue;
        case '[': simple(Tok::lbracket, 1); continue;
        case ']': simple(Tok::rbracket, 1); continue;
        case ',': simple(Tok::comma, 1); continue;
        case '.': simple(Tok::dot, 1); continue;
        case '?': simple(Tok::question, 1); continue;
        case ':': simple(Tok::colon, 1); continue;
        case '+': simple(Tok::plus, 1); continue;
        case '-': simple(Tok::minus, 1); continue;
        case '*': simple(Tok::star, 1); continue;
        case '/': simple(Tok::slash, 1); continue;
        case '%': simple(Tok::percent, 1); continue;
        case '=':
            if (next == '=') {
                simple(Tok::eq, 2);
                continue;
            }
            return std::unexpected(LexError{i, "'=' is not an operator", "compare with '=='"});
        case '!':
            if (next == '=') simple(Tok::ne, 2);
            else simple(Tok::bang, 1);
            continue;
        case '<':
            if (next == '=') simple(Tok::le, 2);
            else simple(Tok::lt, 1);
            continue;
        case '>':
            if (next == '=') simple(Tok::ge, 2);
            else simple(Tok::gt, 1);
            continue;
        case '&':
            if (next == '&') {
                simple(Tok::andand, 2);
                continue;
            }
            return std::unexpected(LexError{i, "'&' is not an operator", "write 'and' or '&&'"});
        case '|':
            if (next == '|') {
                simple(Tok::oror, 2);
                continue;
            }
            return std::unexpected(LexError{i, "'|' is not an operator", "write 'or' or '||'"});
        default: break;
        }
        return std::unexpected(LexError{i, "unexpected character '" + std::string(1, c) + "'",
                                        "expressions use names like tool.name, literals, operators and functions"});
    }
    Token end;
    end.kind = Tok::end;
    end.offset = n;
    out.push_back(std::move(end));
    return out;
}

}  // namespace stackaudit::rules
