// Severities, stable finding ids and the canonical finding order.
#include "stackaudit/core/finding.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <numeric>

#include "stackaudit/core/strings.hpp"

namespace stackaudit {

Result<Severity> parse_severity(std::string_view text) {
    const auto t = to_lower(trim(text));
    if (t == "info") return Severity::info;
    if (t == "low") return Severity::low;
    if (t == "medium") return Severity::medium;
    if (t == "high") return Severity::high;
    if (t == "critical") return Severity::critical;
    return fail(ErrorCode::invalid_value, "unknown severity \"" + std::string(text) + "\"", {},
                "use one of: info, low, medium, high, critical");
}

std::string_view to_string(Severity s) noexcept {
    switch (s) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
    }
    return "medium";
}

std::string stable_finding_id(std::string_view rule_id, std::string_view subject_key) {
    // FNV-1a 64: tiny, fixed, and the same on every platform, which is all an id needs.
    std::uint64_t h = 14695981039346656037ULL;
    auto mix = [&h](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
    };
    mix(rule_id);
    mix("|");
    mix(subject_key);
    std::array<char, 24> buf{};
    std::snprintf(buf.data(), buf.size(), "SA-%012llx", static_cast<unsigned long long>(h & 0xFFFFFFFFFFFFULL));
    return buf.data();
}

// Orders indexes, then moves each finding once: findings are large, a big company has hundreds
// of thousands, and they mostly arrive in order already (rules by id, subjects by key).
void sort_findings(std::vector<Finding>& findings) {
    const auto before = [](const Finding& a, const Finding& b) {
        if (a.severity != b.severity) return a.severity > b.severity;
        if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
        return a.subject_key < b.subject_key;
    };
    if (std::is_sorted(findings.begin(), findings.end(), before)) return;
    std::vector<std::size_t> order(findings.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return before(findings[a], findings[b]); });
    std::vector<Finding> sorted;
    sorted.reserve(findings.size());
    for (const std::size_t i : order) sorted.push_back(std::move(findings[i]));
    findings = std::move(sorted);
}

}  // namespace stackaudit
