// The header and URL parsers every vendor needs (Retry-After, Link, relative next URLs), the
// redaction applied to every message, log line and snapshot file, and the small encodings
// (base64, percent-encoding, URL origins) the transport and the puller share.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/encoding.hpp"
#include "stackaudit/connectors/http.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::connectors::http {

namespace {

using namespace std::chrono;

constexpr std::string_view k_redacted = "[REDACTED]";

// Longer waits than this (a century) are all the same "too long"; capping them keeps the
// arithmetic on them (milliseconds, time points) far from overflow.
constexpr std::int64_t k_max_wait_seconds = std::int64_t{100} * 366 * 24 * 3600;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool all_digits(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, v);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return v;
}

Millis until(TimePoint when, TimePoint now) {
    if (when <= now) return Millis{0};
    return ceil<Millis>(when - now);
}

// A date as a TimePoint. system_clock counts nanoseconds, which end in 2262: dates are held
// between 1970 and 2200 (a wait that long is "too long" all the same) instead of overflowing.
TimePoint to_time_point(sys_seconds t) {
    constexpr sys_seconds k_earliest{seconds{0}};
    constexpr sys_seconds k_latest{seconds{7'258'118'400}};  // 2200-01-01T00:00:00Z
    return TimePoint{duration_cast<TimePoint::duration>(std::clamp(t, k_earliest, k_latest).time_since_epoch())};
}

// IMF-fixdate ("Wed, 21 Oct 2026 07:28:00 GMT"), RFC 850 ("Wednesday, 21-Oct-26 07:28:00 GMT")
// and asctime ("Wed Oct 21 07:28:00 2026"): the three forms RFC 9110 says a recipient accepts.
std::optional<TimePoint> parse_http_date(std::string_view text) {
    static constexpr std::array<std::string_view, 12> k_months{"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '-' || text[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '-' && text[i] != '\t') ++i;
        if (i > start) tokens.push_back(text.substr(start, i - start));
    }
    int day = -1;
    int month = -1;
    int year = -1;
    int hh = -1;
    int mm = -1;
    int ss = -1;
    for (const auto token : tokens) {
        if (token.find(':') != std::string_view::npos) {
            if (token.size() != 8 || token[2] != ':' || token[5] != ':') return std::nullopt;
            const auto h = to_int(token.substr(0, 2));
            const auto m = to_int(token.substr(3, 2));
            const auto s = to_int(token.substr(6, 2));
            if (!h || !m || !s) return std::nullopt;
            hh = static_cast<int>(*h);
            mm = static_cast<int>(*m);
            ss = static_cast<int>(*s);
        } else if (all_digits(token)) {
            const auto v = to_int(token);
            if (!v) return std::nullopt;
            if (token.size() == 4) {
                year = static_cast<int>(*v);
            } else if (token.size() <= 2 && day < 0) {
                day = static_cast<int>(*v);
            } else if (token.size() == 2) {
                year = static_cast<int>(2000 + *v);  // RFC 850 two-digit year
            } else {
                return std::nullopt;
            }
        } else if (token.size() >= 3 && std::all_of(token.begin(), token.end(), is_alpha)) {
            const std::string prefix = to_lower(token.substr(0, 3));
            const auto it = std::find(k_months.begin(), k_months.end(), prefix);
            if (it != k_months.end() && token.size() == 3) month = static_cast<int>(it - k_months.begin()) + 1;
            // weekday names and "GMT"/"UTC" carry no information
        } else {
            return std::nullopt;
        }
    }
    if (day < 1 || month < 1 || year < 1970 || hh < 0 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                             std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) return std::nullopt;
    return to_time_point(sys_days{ymd} + hours{hh} + minutes{mm} + seconds{ss});
}

bool is_unreserved(char c) noexcept {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

constexpr std::string_view k_hex = "0123456789ABCDEF";

// Replaces every occurrence of every form in one pass over `text`. Replacing one form at a
// time would let a later, short secret match inside an earlier "[REDACTED]" (and grow the text
// tenfold per secret); found by fuzz_http_headers.
std::string replace_all_of(std::string_view text, const std::vector<std::string>& forms, std::string_view to) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) of each occurrence
    for (const auto& form : forms) {
        if (form.empty()) continue;
        for (auto pos = text.find(form); pos != std::string_view::npos; pos = text.find(form, pos + form.size())) {
            spans.emplace_back(pos, pos + form.size());
        }
    }
    std::sort(spans.begin(), spans.end());
    std::string out;
    out.reserve(text.size());
    std::size_t done = 0;  // text before this is copied or replaced
    for (std::size_t i = 0; i < spans.size();) {
        const std::size_t begin = spans[i].first;
        std::size_t end = spans[i].second;
        for (++i; i < spans.size() && spans[i].first < end; ++i) end = std::max(end, spans[i].second);  // overlaps
        out.append(text.substr(done, begin - done));
        out.append(to);
        done = end;
    }
    out.append(text.substr(done));
    return out;
}

std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from) {
    if (needle.empty() || text.size() < needle.size()) return std::string_view::npos;
    for (std::size_t i = from; i + needle.size() <= text.size(); ++i) {
        bool match = true;
        for (std::size_t j = 0; j < needle.size(); ++j) {
            if (lower(text[i + j]) != lower(needle[j])) {
                match = false;
                break;
            }
        }
        if (match) return i;
    }
    return std::string_view::npos;
}

// Header lines whose whole value is a credential: "Authorization: Bearer abc" -> "Authorization: [REDACTED]".
void redact_header_lines(std::string& text) {
    for (const std::string_view name : {std::string_view{"authorization:"}, std::string_view{"x-api-key:"},
                                        std::string_view{"cookie:"}}) {
        std::size_t pos = 0;
        while ((pos = ifind(text, name, pos)) != std::string_view::npos) {
            std::size_t start = pos + name.size();
            while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
            std::size_t end = start;
            while (end < text.size() && text[end] != '\r' && text[end] != '\n' && text[end] != '"') ++end;
            if (end > start && std::string_view(text).substr(start, end - start) != k_redacted) {
                text.replace(start, end - start, k_redacted);
                end = start + k_redacted.size();
            }
            pos = end;
        }
    }
}

bool is_param_char(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.'; }

// Query or form parameters that carry secrets: "?access_token=abc&x=1" -> "?access_token=[REDACTED]&x=1".
// The name is matched whole, so paging parameters such as pageToken or next_page_token survive.
void redact_params(std::string& text) {
    static constexpr std::array<std::string_view, 11> k_secret_params{
        "token",        "access_token", "refresh_token", "id_token", "api_key",  "apikey",
        "client_secret", "password",    "sig",           "signature", "x-amz-signature"};
    std::size_t pos = 0;
    while ((pos = text.find('=', pos)) != std::string::npos) {
        std::size_t start = pos;
        while (start > 0 && is_param_char(text[start - 1])) --start;
        const std::string name = to_lower(std::string_view(text).substr(start, pos - start));
        const bool boundary = start == 0 || !is_param_char(text[start - 1]);
        std::size_t end = pos + 1;
        while (end < text.size() && text[end] != '&' && text[end] != ' ' && text[end] != '"' && text[end] != '\'' &&
               text[end] != '<' && text[end] != '>' && text[end] != '#' && text[end] != ',' && text[end] != ';' &&
               text[end] != '\r' && text[end] != '\n' && text[end] != '\t') {
            ++end;
        }
        if (boundary && std::find(k_secret_params.begin(), k_secret_params.end(), name) != k_secret_params.end() &&
            end > pos + 1 && std::string_view(text).substr(pos + 1, end - pos - 1) != k_redacted) {
            text.replace(pos + 1, end - pos - 1, k_redacted);
            end = pos + 1 + k_redacted.size();
        }
        pos = end;
    }
}

struct UrlParts {
    std::string_view scheme;     // "https"
    std::string_view authority;  // "user@host:port"
    std::string_view path;       // "/a/b"
    std::string_view query;      // "?x=1" (with '?')
    std::string_view fragment;   // "#f" (with '#')
    bool has_scheme = false;
};

UrlParts split_url(std::string_view url) {
    UrlParts parts;
    std::size_t i = 0;
    const auto colon = url.find(':');
    if (colon != std::string_view::npos && colon > 0 && is_alpha(url[0]) &&
        std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon),
                    [](char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'; })) {
        parts.scheme = url.substr(0, colon);
        parts.has_scheme = true;
        i = colon + 1;
    }
    if (url.substr(i).starts_with("//")) {
        const auto start = i + 2;
        auto end = url.find_first_of("/?#", start);
        if (end == std::string_view::npos) end = url.size();
        parts.authority = url.substr(start, end - start);
        i = end;
    }
    auto qpos = url.find_first_of("?#", i);
    if (qpos == std::string_view::npos) qpos = url.size();
    parts.path = url.substr(i, qpos - i);
    i = qpos;
    if (i < url.size() && url[i] == '?') {
        auto hpos = url.find('#', i);
        if (hpos == std::string_view::npos) hpos = url.size();
        parts.query = url.substr(i, hpos - i);
        i = hpos;
    }
    if (i < url.size()) parts.fragment = url.substr(i);
    return parts;
}

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> out;
    const bool absolute = path.starts_with('/');
    std::size_t i = absolute ? 1 : 0;
    bool trailing_slash = false;
    while (i <= path.size()) {
        auto end = path.find('/', i);
        if (end == std::string_view::npos) end = path.size();
        const auto seg = path.substr(i, end - i);
        const bool last = end == path.size();
        if (seg == ".") {
            trailing_slash = last;
        } else if (seg == "..") {
            if (!out.empty()) out.pop_back();
            trailing_slash = last;
        } else {
            out.push_back(seg);
            trailing_slash = false;
        }
        i = end + 1;
    }
    std::string result = absolute ? "/" : "";
    for (std::size_t k = 0; k < out.size(); ++k) {
        if (k > 0) result += '/';
        result += out[k];
    }
    if (trailing_slash && !result.ends_with('/')) result += '/';
    return result;
}

}  // namespace

std::optional<std::string> Response::header(std::string_view name) const {
    for (const auto& h : headers) {
        if (iequals(h.name, name)) return h.value;
    }
    return std::nullopt;
}

std::vector<std::string> Response::headers_named(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& h : headers) {
        if (iequals(h.name, name)) values.push_back(h.value);
    }
    return values;
}

std::optional<Millis> parse_retry_after(std::string_view value, TimePoint now) {
    const auto text = trim(value);
    if (text.empty()) return std::nullopt;
    if (all_digits(text)) {
        // Too many digits for 64 bits is still "wait very long", not "unreadable".
        const auto secs = to_int(text).value_or(k_max_wait_seconds);
        return Millis{std::min(secs, k_max_wait_seconds) * 1000};
    }
    // Fractional seconds ("1.5") are not in the standard but some proxies send them.
    if (is_digit(text.front()) && text.find_first_not_of("0123456789.") == std::string_view::npos &&
        std::count(text.begin(), text.end(), '.') == 1) {
        double secs = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), secs);
        if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
        secs = std::min(secs, static_cast<double>(k_max_wait_seconds));
        return Millis{static_cast<std::int64_t>(secs * 1000.0 + 0.999)};
    }
    if (is_digit(text.front())) {
        // ISO 8601 (Zoom's daily-limit reset), through the one timestamp parser.
        const auto ts = parse_timestamp(text);
        if (!ts || !*ts) return std::nullopt;
        return until(to_time_point(**ts), now);
    }
    const auto date = parse_http_date(text);
    if (!date) return std::nullopt;
    return until(*date, now);
}

std::optional<std::string> parse_link_next(const std::vector<std::string>& link_headers) {
    for (const auto& line : link_headers) {
        const std::string_view s = line;
        std::size_t i = 0;
        while (i < s.size()) {
            while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
            if (i >= s.size()) break;
            if (s[i] != '<') {
                // Not a link-value: skip to the next comma outside quotes.
                bool quoted = false;
                while (i < s.size() && (quoted || s[i] != ',')) {
                    if (s[i] == '"') quoted = !quoted;
                    ++i;
                }
                continue;
            }
            const auto close = s.find('>', i + 1);
            if (close == std::string_view::npos) break;
            const auto url = s.substr(i + 1, close - i - 1);
            i = close + 1;
            bool is_next = false;
            // Parameters: ; name [= value | "quoted value"]
            while (i < s.size()) {
                while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
                if (i >= s.size() || s[i] != ';') break;
                ++i;
                while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
                const std::size_t name_start = i;
                while (i < s.size() && s[i] != '=' && s[i] != ';' && s[i] != ',' && s[i] != ' ') ++i;
                const auto name = s.substr(name_start, i - name_start);
                while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
                std::string value;
                if (i < s.size() && s[i] == '=') {
                    ++i;
                    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
                    if (i < s.size() && s[i] == '"') {
                        ++i;
                        while (i < s.size() && s[i] != '"') {
                            if (s[i] == '\\' && i + 1 < s.size()) ++i;
                            value += s[i++];
                        }
                        if (i < s.size()) ++i;
                    } else {
                        const std::size_t vstart = i;
                        while (i < s.size() && s[i] != ';' && s[i] != ',' && s[i] != ' ') ++i;
                        value = s.substr(vstart, i - vstart);
                    }
                }
                if (iequals(name, "rel")) {
                    for (const auto& rel : split_list(value, ' ')) {
                        if (iequals(rel, "next")) is_next = true;
                    }
                }
            }
            if (is_next) return std::string(trim(url));
        }
    }
    return std::nullopt;
}

std::string redact(std::string_view text, const std::vector<std::string>& secrets) {
    std::vector<std::string> forms;  // each secret as sent: plain, base64 (padded or not), percent-encoded
    for (const auto& secret : secrets) {
        if (secret.empty()) continue;
        forms.push_back(secret);
        auto b64 = detail::base64_encode(secret);
        forms.push_back(b64);
        while (b64.ends_with('=')) b64.pop_back();
        forms.push_back(std::move(b64));
        forms.push_back(detail::percent_encode(secret));
    }
    std::string out = replace_all_of(text, forms, k_redacted);
    redact_header_lines(out);
    redact_params(out);
    return out;
}

std::string resolve_url(std::string_view base, std::string_view next) {
    next = trim(next);
    if (next.empty()) return std::string(base);
    const auto n = split_url(next);
    if (n.has_scheme) return std::string(next);
    const auto b = split_url(base);
    std::string out(b.scheme);
    out += "://";
    if (next.starts_with("//")) return std::string(b.scheme) + ":" + std::string(next);
    out += b.authority;
    if (n.path.empty()) {
        out += b.path.empty() ? "/" : std::string(b.path);
        out += n.query.empty() ? std::string(b.query) : std::string(n.query);
    } else if (n.path.starts_with('/')) {
        out += remove_dot_segments(n.path);
        out += n.query;
    } else {
        std::string merged;
        if (b.path.empty()) {
            merged = "/";
        } else {
            merged = std::string(b.path.substr(0, b.path.rfind('/') + 1));
        }
        merged += n.path;
        out += remove_dot_segments(merged);
        out += n.query;
    }
    out += n.fragment;
    return out;
}

bool is_credential_header(std::string_view name) {
    const std::string n = to_lower(trim(name));
    if (n == "authorization" || n == "proxy-authorization" || n == "cookie") return true;
    return n.find("api-key") != std::string::npos || n.find("apikey") != std::string::npos ||
           n.find("api_key") != std::string::npos || n.find("token") != std::string::npos ||
           n.find("secret") != std::string::npos || n.find("auth") != std::string::npos ||
           n.find("session") != std::string::npos;
}

namespace detail {

std::string base64_encode(std::string_view data) {
    static constexpr std::string_view k_alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    while (i + 2 < data.size()) {
        const auto v = (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16) |
                       (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8) |
                       static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 2]));
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += k_alphabet[(v >> 6) & 63];
        out += k_alphabet[v & 63];
        i += 3;
    }
    const auto rest = data.size() - i;
    if (rest == 1) {
        const auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16;
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        const auto v = (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16) |
                       (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8);
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += k_alphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::string percent_encode(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (is_unreserved(c)) {
            out += c;
        } else {
            const auto b = static_cast<unsigned char>(c);
            out += '%';
            out += k_hex[b >> 4];
            out += k_hex[b & 15];
        }
    }
    return out;
}

std::string encode_unsafe(std::string_view url) {
    std::string out;
    out.reserve(url.size());
    for (const char c : url) {
        const auto b = static_cast<unsigned char>(c);
        if (b <= 0x20 || b >= 0x7f || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' ||
            c == '|' || c == '\\' || c == '^') {
            out += '%';
            out += k_hex[b >> 4];
            out += k_hex[b & 15];
        } else {
            out += c;
        }
    }
    return out;
}

std::string set_query_param(std::string_view url, std::string_view name, std::string_view value) {
    const auto hash = url.find('#');
    const auto fragment = hash == std::string_view::npos ? std::string_view{} : url.substr(hash);
    const auto without_fragment = url.substr(0, hash == std::string_view::npos ? url.size() : hash);
    const auto qpos = without_fragment.find('?');
    std::string out(without_fragment.substr(0, qpos));
    std::vector<std::string_view> kept;
    if (qpos != std::string_view::npos) {
        const auto query = without_fragment.substr(qpos + 1);
        std::size_t i = 0;
        while (i <= query.size()) {
            auto amp = query.find('&', i);
            if (amp == std::string_view::npos) amp = query.size();
            const auto pair = query.substr(i, amp - i);
            const auto pname = pair.substr(0, pair.find('='));
            if (!pair.empty() && pname != name) kept.push_back(pair);
            i = amp + 1;
        }
    }
    char sep = '?';
    for (const auto pair : kept) {
        out += sep;
        out += pair;
        sep = '&';
    }
    out += sep;
    out += name;
    out += '=';
    out += percent_encode(value);
    out += fragment;
    return out;
}

std::string url_origin(std::string_view url) {
    const auto parts = split_url(url);
    const std::string scheme = to_lower(parts.scheme);
    auto authority = parts.authority;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
    std::string host = to_lower(authority);
    const bool has_port = !host.empty() && host.back() != ']' && host.rfind(':') != std::string::npos &&
                          (host.find(']') == std::string::npos || host.rfind(':') > host.find(']'));
    if (!has_port) {
        if (scheme == "https") host += ":443";
        if (scheme == "http") host += ":80";
    }
    return scheme + "://" + host;
}

std::string strip_userinfo(std::string_view url) {
    const auto parts = split_url(url);
    const auto at = parts.authority.rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    const auto start = static_cast<std::size_t>(parts.authority.data() - url.data());
    std::string out(url.substr(0, start));
    out += url.substr(start + at + 1);
    return out;
}

std::string json_quote(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    const auto b = static_cast<unsigned char>(c);
                    out += "\\u00";
                    out += k_hex[b >> 4];
                    out += k_hex[b & 15];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

}  // namespace detail

}  // namespace stackaudit::connectors::http
