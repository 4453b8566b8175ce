// UsageIndex: one pass over the uses for a snapshot sorted by tool (a counting sort otherwise),
// the person-major rows on request, then one bitset per popular tool. Everything is
// O(uses + dense tools * people / 64) and done once per query, so `overlap` over every tool costs
// the index plus one intersection per distinct pair.
#include "index.hpp"

#include <algorithm>
#include <bit>
#include <functional>

#include "detail.hpp"

namespace stackaudit::query::detail {

namespace {

// Offsets of a CSR from per-bucket counts: offsets[i] = sum of counts before i.
std::vector<std::uint32_t> offsets_of(const std::vector<std::uint32_t>& counts) {
    std::vector<std::uint32_t> offsets(counts.size() + 1, 0);
    for (std::size_t i = 0; i < counts.size(); ++i) offsets[i + 1] = offsets[i] + counts[i];
    return offsets;
}

}  // namespace

std::size_t merge_count(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
    std::size_t n = 0, i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const std::uint32_t x = a[i], y = b[j];
        // Advancing both cursors from comparisons instead of branches keeps this loop free of
        // mispredictions on random ids.
        n += static_cast<std::size_t>(x == y);
        i += static_cast<std::size_t>(x <= y);
        j += static_cast<std::size_t>(y <= x);
    }
    return n;
}

std::size_t gallop_count(std::span<const std::uint32_t> small, std::span<const std::uint32_t> large) {
    std::size_t n = 0, lo = 0;
    const std::size_t size = large.size();
    for (const std::uint32_t x : small) {
        if (lo >= size) break;
        // Exponential probe from the last match: large[lo + bound / 2] < x once bound > 1.
        std::size_t bound = 1;
        while (lo + bound < size && large[lo + bound] < x) bound *= 2;
        const auto first = large.begin() + static_cast<std::ptrdiff_t>(lo + bound / 2);
        const auto last = large.begin() + static_cast<std::ptrdiff_t>(std::min(lo + bound + 1, size));
        const auto it = std::lower_bound(first, last, x);
        lo = static_cast<std::size_t>(it - large.begin());
        if (lo < size && large[lo] == x) {
            ++n;
            ++lo;
        }
    }
    return n;
}

UsageIndex::UsageIndex(const GraphSnapshot& snapshot, Parts parts) {
    const std::size_t tools = snapshot.tools.size();
    const std::size_t people = snapshot.people.size();
    const auto& uses = snapshot.uses;

    // Rows pointing outside the snapshot would be a bug in whoever built it; they are left out
    // rather than read out of bounds.
    auto valid = [&](const SnapshotUse& use) { return use.tool < tools && use.person < people; };

    // Uses come sorted by tool, so one pass appends each tool's rows and active people in CSR
    // order. Reading the uses is most of the index's cost; a second pass is paid only by a
    // snapshot that breaks the order.
    std::vector<std::uint32_t> tool_counts(tools, 0), active_counts(tools, 0);
    m_seats.assign(tools, 0);
    m_tool_uses.reserve(uses.size());
    m_active.reserve(uses.size());
    bool by_tool = true;
    std::uint32_t previous = 0;
    for (std::size_t i = 0; i < uses.size(); ++i) {
        const SnapshotUse& use = uses[i];
        if (!valid(use)) continue;
        if (use.tool < previous) {
            by_tool = false;
            break;
        }
        previous = use.tool;
        ++tool_counts[use.tool];
        m_tool_uses.push_back(static_cast<std::uint32_t>(i));
        if (use.active) {
            ++active_counts[use.tool];
            m_active.push_back(use.person);
        }
        if (use.seat) ++m_seats[use.tool];
    }
    if (!by_tool) {
        // Counting sort: counts, then each row to its tool's slot, in snapshot order.
        std::fill(tool_counts.begin(), tool_counts.end(), 0u);
        std::fill(active_counts.begin(), active_counts.end(), 0u);
        std::fill(m_seats.begin(), m_seats.end(), std::size_t{0});
        for (const SnapshotUse& use : uses) {
            if (!valid(use)) continue;
            ++tool_counts[use.tool];
            if (use.active) ++active_counts[use.tool];
            if (use.seat) ++m_seats[use.tool];
        }
        const auto tool_offsets = offsets_of(tool_counts);
        const auto active_offsets = offsets_of(active_counts);
        m_tool_uses.assign(tool_offsets.back(), 0);
        m_active.assign(active_offsets.back(), 0);
        std::vector<std::uint32_t> tool_fill(tool_offsets.begin(), tool_offsets.end() - 1);
        std::vector<std::uint32_t> active_fill(active_offsets.begin(), active_offsets.end() - 1);
        for (std::size_t i = 0; i < uses.size(); ++i) {
            const SnapshotUse& use = uses[i];
            if (!valid(use)) continue;
            m_tool_uses[tool_fill[use.tool]++] = static_cast<std::uint32_t>(i);
            if (use.active) m_active[active_fill[use.tool]++] = use.person;
        }
    }
    m_tool_offsets = offsets_of(tool_counts);
    m_active_offsets = offsets_of(active_counts);

    if (parts.people) {
        std::vector<std::uint32_t> person_counts(people, 0);
        for (const std::uint32_t row : m_tool_uses) ++person_counts[uses[row].person];
        m_person_offsets = offsets_of(person_counts);
        m_person_uses.assign(m_person_offsets.back(), 0);
        std::vector<std::uint32_t> person_fill(m_person_offsets.begin(), m_person_offsets.end() - 1);
        for (const std::uint32_t row : m_tool_uses) m_person_uses[person_fill[uses[row].person]++] = row;
    } else {
        m_person_offsets.assign(people + 1, 0);
    }

    // The snapshot promises sorted unique pairs; the intersections depend on it, so a snapshot
    // that breaks the promise is repaired here (sorted, duplicates dropped) instead of giving
    // wrong counts. A well-formed snapshot only pays for the check.
    const bool ordered = [&] {
        for (std::size_t t = 0; t < tools; ++t) {
            const auto first = m_active.begin() + m_active_offsets[t];
            const auto last = m_active.begin() + m_active_offsets[t + 1];
            if (std::adjacent_find(first, last, std::greater_equal<>()) != last) return false;
        }
        return true;
    }();
    if (!ordered) {
        std::vector<std::uint32_t> compact;
        compact.reserve(m_active.size());
        std::vector<std::uint32_t> offsets(tools + 1, 0);
        for (std::size_t t = 0; t < tools; ++t) {
            const auto first = compact.end() - compact.begin();
            compact.insert(compact.end(), m_active.begin() + m_active_offsets[t], m_active.begin() + m_active_offsets[t + 1]);
            std::sort(compact.begin() + first, compact.end());
            compact.erase(std::unique(compact.begin() + first, compact.end()), compact.end());
            offsets[t + 1] = static_cast<std::uint32_t>(compact.size());
            active_counts[t] = offsets[t + 1] - offsets[t];
        }
        m_active = std::move(compact);
        m_active_offsets = std::move(offsets);
    }

    // A bitset costs people/8 bytes against 4 bytes per listed person; past 1/64 of the people
    // the word-AND over two bitsets does no more steps than walking the shorter list.
    m_words = (people + 63) / 64;
    m_bitset_slot.assign(tools, k_no_bitset);
    std::uint32_t slots = 0;
    for (std::size_t t = 0; t < tools && parts.bitsets; ++t)
        if (active_counts[t] > 0 && static_cast<std::size_t>(active_counts[t]) * 64 > people) m_bitset_slot[t] = slots++;
    m_bits.assign(static_cast<std::size_t>(slots) * m_words, 0);
    for (std::size_t t = 0; t < tools; ++t) {
        if (m_bitset_slot[t] == k_no_bitset) continue;
        std::uint64_t* words = m_bits.data() + static_cast<std::size_t>(m_bitset_slot[t]) * m_words;
        for (const std::uint32_t person : active_people(static_cast<std::uint32_t>(t)))
            words[person / 64] |= std::uint64_t{1} << (person % 64);
    }

    m_rank = name_ranks(snapshot);
    m_by_name.resize(tools);
    for (std::size_t t = 0; t < tools; ++t) m_by_name[m_rank[t]] = static_cast<std::uint32_t>(t);
}

std::span<const std::uint32_t> UsageIndex::uses_of_tool(std::uint32_t tool) const {
    return {m_tool_uses.data() + m_tool_offsets[tool], m_tool_offsets[tool + 1] - m_tool_offsets[tool]};
}

std::span<const std::uint32_t> UsageIndex::uses_of_person(std::uint32_t person) const {
    return {m_person_uses.data() + m_person_offsets[person], m_person_offsets[person + 1] - m_person_offsets[person]};
}

std::span<const std::uint32_t> UsageIndex::active_people(std::uint32_t tool) const {
    return {m_active.data() + m_active_offsets[tool], m_active_offsets[tool + 1] - m_active_offsets[tool]};
}

std::size_t UsageIndex::shared_active(std::uint32_t a, std::uint32_t b) const {
    auto small = active_people(a);
    auto large = active_people(b);
    if (small.size() > large.size()) {
        std::swap(small, large);
        std::swap(a, b);
    }
    if (small.empty()) return 0;
    if (dense(b)) {
        const std::uint64_t* bits_b = bits(b);
        if (dense(a)) {
            const std::uint64_t* bits_a = bits(a);
            std::size_t n = 0;
            for (std::size_t w = 0; w < m_words; ++w) n += static_cast<std::size_t>(std::popcount(bits_a[w] & bits_b[w]));
            return n;
        }
        std::size_t n = 0;
        for (const std::uint32_t person : small) n += (bits_b[person / 64] >> (person % 64)) & 1u;
        return n;
    }
    // Galloping pays once the longer list is an order of magnitude longer than the shorter.
    if (large.size() / small.size() >= 16) return gallop_count(small, large);
    return merge_count(small, large);
}

std::vector<std::size_t> UsageIndex::shared_active(std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs) const {
    struct Work {
        std::uint32_t large = 0, small = 0, slot = 0;
    };
    std::vector<Work> work;
    work.reserve(pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        auto [a, b] = pairs[i];
        if (active_users(a) > active_users(b) || (active_users(a) == active_users(b) && a > b)) std::swap(a, b);
        work.push_back({b, a, static_cast<std::uint32_t>(i)});
    }
    std::sort(work.begin(), work.end(),
              [](const Work& x, const Work& y) { return std::pair(x.large, x.small) < std::pair(y.large, y.small); });

    std::vector<std::size_t> shared(pairs.size(), 0);
    std::vector<std::uint64_t> scratch(m_words, 0);
    for (std::size_t i = 0; i < work.size();) {
        std::size_t end = i;
        while (end < work.size() && work[end].large == work[i].large) ++end;
        const std::uint32_t large = work[i].large;
        if (dense(large) || end - i == 1) {
            // A stored bitset needs no marking; a tool in one pair is cheaper to merge or gallop.
            for (std::size_t k = i; k < end; ++k) shared[work[k].slot] = shared_active(large, work[k].small);
        } else {
            const auto people = active_people(large);
            for (const std::uint32_t person : people) scratch[person / 64] |= std::uint64_t{1} << (person % 64);
            for (std::size_t k = i; k < end; ++k) {
                std::size_t n = 0;
                for (const std::uint32_t person : active_people(work[k].small))
                    n += (scratch[person / 64] >> (person % 64)) & 1u;
                shared[work[k].slot] = n;
            }
            for (const std::uint32_t person : people) scratch[person / 64] = 0;
        }
        i = end;
    }
    return shared;
}

}  // namespace stackaudit::query::detail
