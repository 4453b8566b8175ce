// Private to the okta_log reader: the pre-filter that lets a JSON line through without parsing
// when it cannot be a successful SSO event. Most of a real System Log is other events
// (sessions, MFA, policy evaluations), and finding the "eventType" key with a vector search
// costs a small fraction of parsing the line.
//
// screen_line() answers `skip` only for a line that has the shape of an event object: it starts
// with '{', ends with '}', and every "eventType" key in it has a plain string value other than
// "user.authentication.sso". Everything else (an SSO event, a line with no eventType, an escaped
// or non-string type, anything that is not an object) is handed to the full parser, which
// counts it, ignores it, or reports it as a bad row exactly as before. What a skipped line is
// not checked for is the rest of its JSON: a non-SSO line that is broken after its eventType is
// counted as ignored, not rejected (docs/inputs.md, okta_log).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define STACKAUDIT_OKTA_LOG_X86 1
#endif

namespace stackaudit::connectors::okta_log {

inline constexpr char k_event_type_key[] = "\"eventType\"";
inline constexpr std::size_t k_event_type_key_size = sizeof k_event_type_key - 1;  // 11
inline constexpr std::string_view k_sso_event_type = "user.authentication.sso";

// How far past `end` the vector searches below may read (never past a buffer's padding).
inline constexpr std::size_t k_screen_overread = 32;

namespace detail {

// The first `"eventType"` in [p, end), or nullptr. Portable version.
inline const char* find_event_type_plain(const char* p, const char* end) noexcept {
    if (end - p < static_cast<std::ptrdiff_t>(k_event_type_key_size)) {
        return nullptr;
    }
    return static_cast<const char*>(
        ::memmem(p, static_cast<std::size_t>(end - p), k_event_type_key, k_event_type_key_size));
}

#ifdef STACKAUDIT_OKTA_LOG_X86
// Bit i of `mask` says the key may start at s + i; bits at or past `room` (positions beyond the
// last place a key can start) are dropped. The first candidate that is the key, or nullptr.
inline const char* confirm_candidates(const char* s, std::uint32_t mask, std::size_t room) noexcept {
    if (room < 32) {
        mask &= (1u << room) - 1;
    }
    while (mask != 0) {
        const char* hit = s + __builtin_ctz(mask);
        if (std::memcmp(hit, k_event_type_key, k_event_type_key_size) == 0) {
            return hit;
        }
        mask &= mask - 1;
    }
    return nullptr;
}

// Candidates are positions with '"' at +0, 'T' at +6 and '"' at +10 (the quotes and the one
// capital of the key), found 16 or 32 at a time; each is confirmed with a compare. Loads reach up
// to k_screen_overread bytes past `end`; candidates there are masked off.
inline const char* find_event_type_sse2(const char* p, const char* end) noexcept {
    if (end - p < static_cast<std::ptrdiff_t>(k_event_type_key_size)) {
        return nullptr;
    }
    const char* const last = end - k_event_type_key_size;  // the last place a key can start
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i tee = _mm_set1_epi8('T');
    for (const char* s = p; s <= last; s += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 6));
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 10));
        auto mask = static_cast<std::uint32_t>(_mm_movemask_epi8(
            _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(b, tee)), _mm_cmpeq_epi8(c, quote))));
        if (const char* hit = confirm_candidates(s, mask, static_cast<std::size_t>(last - s) + 1)) {
            return hit;
        }
    }
    return nullptr;
}

__attribute__((target("avx2"))) inline const char* find_event_type_avx2(const char* p, const char* end) noexcept {
    if (end - p < static_cast<std::ptrdiff_t>(k_event_type_key_size)) {
        return nullptr;
    }
    const char* const last = end - k_event_type_key_size;
    const __m256i quote = _mm256_set1_epi8('"');
    const __m256i tee = _mm256_set1_epi8('T');
    for (const char* s = p; s <= last; s += 32) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + 6));
        const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + 10));
        auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_and_si256(
            _mm256_and_si256(_mm256_cmpeq_epi8(a, quote), _mm256_cmpeq_epi8(b, tee)), _mm256_cmpeq_epi8(c, quote))));
        if (const char* hit = confirm_candidates(s, mask, static_cast<std::size_t>(last - s) + 1)) {
            return hit;
        }
    }
    return nullptr;
}
#endif

using FindFunction = const char* (*)(const char*, const char*) noexcept;

inline FindFunction pick_find_event_type() noexcept {
#ifdef STACKAUDIT_OKTA_LOG_X86
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? &find_event_type_avx2 : &find_event_type_sse2;
#else
    return &find_event_type_plain;
#endif
}

inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace detail

// The first `"eventType"` in [p, end), or nullptr; may read k_screen_overread bytes past `end`.
[[nodiscard]] inline const char* find_event_type_key(const char* p, const char* end) noexcept {
    static const detail::FindFunction find = detail::pick_find_event_type();
    return find(p, end);
}

enum class Screen { skip, parse };

// Whether the trimmed, non-empty line [first, last) may be counted as ignored without parsing.
// May read k_screen_overread bytes past `last`.
[[nodiscard]] inline Screen screen_line(const char* first, const char* last) noexcept {
    if (*first != '{' || last[-1] != '}') {
        return Screen::parse;
    }
    bool typed = false;
    const char* p = first;
    while ((p = find_event_type_key(p, last)) != nullptr) {
        const char* q = p + k_event_type_key_size;
        while (q < last && detail::is_blank(*q)) {
            ++q;
        }
        if (q == last || *q != ':') {
            ++p;  // "eventType" as a value, not a key
            continue;
        }
        ++q;
        while (q < last && detail::is_blank(*q)) {
            ++q;
        }
        if (q == last || *q != '"') {
            return Screen::parse;  // null, a number, ...: the parser says what is wrong
        }
        ++q;
        const void* close = std::memchr(q, '"', static_cast<std::size_t>(last - q));
        if (close == nullptr) {
            return Screen::parse;
        }
        const std::string_view type(q, static_cast<std::size_t>(static_cast<const char*>(close) - q));
        if (type == k_sso_event_type || type.find('\\') != std::string_view::npos) {
            return Screen::parse;
        }
        typed = true;
        p = static_cast<const char*>(close);
    }
    return typed ? Screen::skip : Screen::parse;
}

}  // namespace stackaudit::connectors::okta_log
