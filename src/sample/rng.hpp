// The generator's own pseudo-random numbers: splitmix64 for seeding and hashing, xoshiro256**
// for streams. std:: distributions are avoided on purpose: their output differs between
// standard libraries, and the sample must be byte-identical everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace stackaudit::sample {

[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Mixes a list of numbers into one well-spread 64-bit value; used to give every entity
// (a person, a person-app pair, one event) its own stream independent of iteration order.
[[nodiscard]] constexpr std::uint64_t mix(std::initializer_list<std::uint64_t> parts) noexcept {
    std::uint64_t state = 0x5A17C0DEull;
    std::uint64_t out = 0;
    for (std::uint64_t p : parts) {
        state ^= p + 0x9E3779B97F4A7C15ull + (state << 6) + (state >> 2);
        out = splitmix64(state);
    }
    return out;
}

[[nodiscard]] constexpr std::uint64_t hash_text(std::string_view text) noexcept {
    std::uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001B3ull;
    }
    return h;
}

class Rng {
public:
    explicit Rng(std::uint64_t seed) noexcept {
        std::uint64_t s = seed;
        for (auto& word : m_s) word = splitmix64(s);
    }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, n) without modulo bias; n == 0 gives 0.
    std::uint64_t below(std::uint64_t n) noexcept {
        if (n == 0) return 0;
        const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
        std::uint64_t x = next();
        while (x >= limit) x = next();
        return x % n;
    }

    // Uniform integer in [lo, hi].
    int range(int lo, int hi) noexcept {
        if (hi <= lo) return lo;
        return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }

    std::size_t index(std::size_t n) noexcept { return static_cast<std::size_t>(below(n)); }

    // Uniform in [0, 1).
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    bool chance(double p) noexcept { return unit() < p; }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4]{};
};

}  // namespace stackaudit::sample
