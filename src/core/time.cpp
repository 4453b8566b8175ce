// The one timestamp parser: every vendor spelling in docs/inputs.md, hand-written because it
// runs once per usage event and std::chrono::parse is both slow and locale-sensitive.
#include "stackaudit/core/time.hpp"

#include <array>
#include <cstdio>

#include "stackaudit/core/strings.hpp"

namespace stackaudit {

namespace {

using namespace std::chrono;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[pos]; false if any is not a digit.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (!is_digit(c)) return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

bool is_never(std::string_view t) noexcept {
    return t.empty() || iequals(t, "null") || iequals(t, "never") || t == "-" || iequals(t, "n/a") ||
           iequals(t, "none") || t == "0";
}

std::unexpected<Error> bad(std::string_view text, std::string_view what) {
    return fail(ErrorCode::invalid_value,
                "cannot read \"" + std::string(text.substr(0, 80)) + "\" as " + std::string(what),
                {}, "use ISO 8601 such as 2026-11-01T09:30:00Z, 2026-11-01, or epoch seconds");
}

std::optional<sys_days> make_day(int y, int m, int d) {
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd};
}

}  // namespace

Result<std::optional<Timestamp>> parse_timestamp(std::string_view text) {
    const auto t = trim(text);
    if (is_never(t)) return std::optional<Timestamp>{};

    // Epoch seconds (10 digits or fewer) or milliseconds (13 digits).
    bool all_digits = !t.empty();
    for (char c : t) all_digits = all_digits && is_digit(c);
    if (all_digits) {
        if (t.size() > 13) return bad(text, "a timestamp");
        long long v = 0;
        for (char c : t) v = v * 10 + (c - '0');
        if (t.size() == 13) v /= 1000;
        if (v == 0) return std::optional<Timestamp>{};
        return std::optional<Timestamp>{Timestamp{seconds{v}}};
    }

    int y = 0, mo = 0, d = 0;
    if (!digits(t, 0, 4, y) || t.size() < 10 || t[4] != '-' || !digits(t, 5, 2, mo) || t[7] != '-' ||
        !digits(t, 8, 2, d))
        return bad(text, "a timestamp");
    const auto day_opt = make_day(y, mo, d);
    if (!day_opt) return bad(text, "a timestamp (no such date)");
    Timestamp ts{*day_opt};
    std::size_t pos = 10;
    if (pos < t.size()) {
        if (t[pos] != 'T' && t[pos] != 't' && t[pos] != ' ') return bad(text, "a timestamp");
        ++pos;
        int hh = 0, mm = 0, ss = 0;
        if (!digits(t, pos, 2, hh) || pos + 5 > t.size() || t[pos + 2] != ':' || !digits(t, pos + 3, 2, mm))
            return bad(text, "a timestamp");
        pos += 5;
        if (pos < t.size() && t[pos] == ':') {
            if (!digits(t, pos + 1, 2, ss)) return bad(text, "a timestamp");
            pos += 3;
        }
        if (hh > 23 || mm > 59 || ss > 60) return bad(text, "a timestamp (time out of range)");
        if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
            ++pos;
            const std::size_t start = pos;
            while (pos < t.size() && is_digit(t[pos])) ++pos;
            if (pos == start) return bad(text, "a timestamp");
        }
        ts += hours{hh} + minutes{mm} + seconds{ss};
        if (pos < t.size()) {
            const char z = t[pos];
            if ((z == 'Z' || z == 'z') && pos + 1 == t.size()) {
                ++pos;
            } else if (z == '+' || z == '-') {
                int oh = 0, om = 0;
                if (!digits(t, pos + 1, 2, oh)) return bad(text, "a timestamp (bad UTC offset)");
                std::size_t p = pos + 3;
                if (p < t.size() && t[p] == ':') ++p;
                if (p < t.size()) {
                    if (!digits(t, p, 2, om)) return bad(text, "a timestamp (bad UTC offset)");
                    p += 2;
                }
                if (p != t.size() || oh > 23 || om > 59) return bad(text, "a timestamp (bad UTC offset)");
                const auto offset = hours{oh} + minutes{om};
                ts = z == '+' ? ts - offset : ts + offset;
                pos = p;
            } else if (t.substr(pos) == " UTC" || t.substr(pos) == " GMT") {
                pos = t.size();
            } else {
                return bad(text, "a timestamp");
            }
        }
    }
    if (pos != t.size()) return bad(text, "a timestamp");
    if (ts == Timestamp{}) return std::optional<Timestamp>{};  // 1970-01-01T00:00:00Z means never
    return std::optional<Timestamp>{ts};
}

Result<std::optional<Date>> parse_date(std::string_view text) {
    const auto t = trim(text);
    if (is_never(t)) return std::optional<Date>{};
    // M/D/YYYY (US admin consoles).
    const auto slash = t.find('/');
    if (slash != std::string_view::npos) {
        const auto slash2 = t.find('/', slash + 1);
        int m = 0, d = 0, y = 0;
        if (slash2 == std::string_view::npos || slash < 1 || slash > 2 || slash2 - slash - 1 < 1 ||
            slash2 - slash - 1 > 2 || t.size() - slash2 - 1 != 4 || !digits(t, 0, slash, m) ||
            !digits(t, slash + 1, slash2 - slash - 1, d) || !digits(t, slash2 + 1, 4, y))
            return bad(text, "a date");
        const auto day_opt = make_day(y, m, d);
        if (!day_opt) return bad(text, "a date (no such date)");
        return std::optional<Date>{*day_opt};
    }
    auto ts = parse_timestamp(t);
    if (!ts) return bad(text, "a date");
    if (!*ts) return std::optional<Date>{};
    return std::optional<Date>{to_date(**ts)};
}

std::string format_date(Date d) {
    const year_month_day ymd{d};
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf.data();
}

std::string format_timestamp(Timestamp t) {
    const auto day = floor<days>(t);
    const hh_mm_ss hms{t - day};
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "T%02d:%02d:%02dZ", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return format_date(day) + buf.data();
}

}  // namespace stackaudit
