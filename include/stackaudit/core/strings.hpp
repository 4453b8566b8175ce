// Small string helpers shared by every module: case folding, trimming, splitting, did-you-mean.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stackaudit {

[[nodiscard]] std::string to_lower(std::string_view s);  // ASCII only; UTF-8 bytes pass through
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;  // spaces, tabs, CR, LF

// Splits on `sep`, trims each piece, drops empty pieces: "a; b;;c" -> {"a","b","c"}.
[[nodiscard]] std::vector<std::string> split_list(std::string_view s, char sep = ';');

[[nodiscard]] std::string join(std::span<const std::string> parts, std::string_view sep);

// Levenshtein distance, used for did-you-mean suggestions.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate (case-insensitive) if it is close enough to be a plausible typo,
// otherwise "". Used for unknown columns, facts, rule keys, config keys.
[[nodiscard]] std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

// Normalises an email for comparison: trimmed and lower-cased.
[[nodiscard]] std::string normalize_email(std::string_view email);

}  // namespace stackaudit
