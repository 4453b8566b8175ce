// The usage index every query shares, built once per call in one pass over the uses: per tool,
// its use rows and the ascending ids of the people active on it (a CSR over GraphSnapshot::uses);
// a dense bitset of active people for tools used by more than 1/64 of the people, so that two
// popular tools intersect by a word-AND popcount; per person, their use rows (for `tools`); and
// each tool's rank in case-insensitive name order, which is the order every answer is sorted by.
// Shared-user counts for many pairs go through the batch shared_active(), which costs each pair
// its shorter list (see there); the single-pair form merges, gallops or tests bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "stackaudit/core/snapshot.hpp"

namespace stackaudit::query::detail {

class UsageIndex {
public:
    // What to build beyond the per-tool lists: the bitsets only pay off for many intersections,
    // the person-major rows only `tools` reads.
    struct Parts {
        bool bitsets = true;
        bool people = false;
    };
    explicit UsageIndex(const GraphSnapshot& snapshot) : UsageIndex(snapshot, Parts{}) {}
    UsageIndex(const GraphSnapshot& snapshot, Parts parts);

    // Indices into GraphSnapshot::uses, in snapshot order (ascending person for a sorted snapshot).
    [[nodiscard]] std::span<const std::uint32_t> uses_of_tool(std::uint32_t tool) const;
    // Empty unless built with Parts::people.
    [[nodiscard]] std::span<const std::uint32_t> uses_of_person(std::uint32_t person) const;
    // People active on the tool, ascending, each once.
    [[nodiscard]] std::span<const std::uint32_t> active_people(std::uint32_t tool) const;
    [[nodiscard]] std::size_t active_users(std::uint32_t tool) const { return active_people(tool).size(); }
    [[nodiscard]] std::size_t seats(std::uint32_t tool) const { return m_seats[tool]; }
    // People active on both tools.
    [[nodiscard]] std::size_t shared_active(std::uint32_t a, std::uint32_t b) const;
    // The same for many pairs at once (result i for pairs[i]). Pairs are taken by their more
    // used side: a sparse tool in several pairs is marked once in a scratch bitset and each
    // partner's list is tested against it, so every pair costs its shorter list.
    [[nodiscard]] std::vector<std::size_t>
    shared_active(std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs) const;
    // Position of the tool in case-insensitive name order (ties: exact name, then index).
    [[nodiscard]] std::uint32_t rank(std::uint32_t tool) const { return m_rank[tool]; }
    [[nodiscard]] const std::vector<std::uint32_t>& tools_by_name() const { return m_by_name; }

private:
    [[nodiscard]] bool dense(std::uint32_t tool) const { return m_bitset_slot[tool] != k_no_bitset; }
    [[nodiscard]] const std::uint64_t* bits(std::uint32_t tool) const {
        return m_bits.data() + static_cast<std::size_t>(m_bitset_slot[tool]) * m_words;
    }

    static constexpr std::uint32_t k_no_bitset = 0xFFFFFFFFu;

    std::vector<std::uint32_t> m_tool_offsets;    // tools + 1
    std::vector<std::uint32_t> m_tool_uses;
    std::vector<std::uint32_t> m_active_offsets;  // tools + 1
    std::vector<std::uint32_t> m_active;
    std::vector<std::uint32_t> m_person_offsets;  // people + 1
    std::vector<std::uint32_t> m_person_uses;
    std::vector<std::size_t> m_seats;
    std::vector<std::uint32_t> m_bitset_slot;     // per tool; k_no_bitset when sparse
    std::vector<std::uint64_t> m_bits;            // dense tools' bitsets, m_words each
    std::size_t m_words = 0;
    std::vector<std::uint32_t> m_rank;
    std::vector<std::uint32_t> m_by_name;
};

// Sizes of the intersection of two ascending lists, exposed for the tests of each strategy.
[[nodiscard]] std::size_t merge_count(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);
[[nodiscard]] std::size_t gallop_count(std::span<const std::uint32_t> small, std::span<const std::uint32_t> large);

}  // namespace stackaudit::query::detail
