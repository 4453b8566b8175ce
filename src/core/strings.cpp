// String helpers: ASCII case folding, trimming, list cells, did-you-mean.
#include "stackaudit/core/strings.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace stackaudit {

namespace {
char lower_ascii(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower_ascii(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    constexpr std::string_view ws = " \t\r\n";
    const auto first = s.find_first_not_of(ws);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(ws);
    return s.substr(first, last - first + 1);
}

std::vector<std::string> split_list(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(sep, start);
        if (end == std::string_view::npos) end = s.size();
        auto piece = trim(s.substr(start, end - start));
        if (!piece.empty()) out.emplace_back(piece);
        start = end + 1;
    }
    return out;
}

std::string join(std::span<const std::string> parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += sep;
        out += parts[i];
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = lower_ascii(a[i - 1]) == lower_ascii(b[j - 1]) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
    std::size_t best = std::numeric_limits<std::size_t>::max();
    std::string best_word;
    for (const auto& c : candidates) {
        const auto d = edit_distance(word, c);
        if (d < best) {
            best = d;
            best_word = c;
        }
    }
    // A typo changes a few characters; beyond a third of the word it is a different word.
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    if (!best_word.empty() && best <= limit) return best_word;
    // A shortened name ("okta" for "okta_log", "cost" for "cost_per_seat") is the other common
    // slip: suggest the one candidate that starts with the word, if there is exactly one.
    if (word.size() >= 3) {
        std::string prefixed;
        for (const auto& c : candidates) {
            if (c.size() > word.size() && iequals(std::string_view(c).substr(0, word.size()), word)) {
                if (!prefixed.empty()) return {};
                prefixed = c;
            }
        }
        return prefixed;
    }
    return {};
}

std::string normalize_email(std::string_view email) { return to_lower(trim(email)); }

}  // namespace stackaudit
