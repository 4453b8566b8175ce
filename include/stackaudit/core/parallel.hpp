// Splitting work over threads: the parts of one job run at once, one thread each (this thread
// takes part 0), and the call returns when all are done. Callers keep per-part results and merge
// them in part order, so the outcome never depends on the number of threads.
#pragma once

#include <cstddef>
#include <functional>

namespace stackaudit {

// The thread count an option asks for: 0 means every core; never less than 1.
[[nodiscard]] unsigned resolve_threads(unsigned requested) noexcept;

// How many parts `items` things make when each part should hold at least `min_per_part` of them
// and there are `threads` threads: between 1 and `threads`.
[[nodiscard]] std::size_t part_count(std::size_t items, std::size_t min_per_part, unsigned threads) noexcept;

// Runs work(i) for every i in [0, parts). A part whose thread cannot be started runs on this
// thread. The first exception, by part index, is rethrown once every part has finished.
void run_parts(std::size_t parts, const std::function<void(std::size_t)>& work);

// The half-open range [begin, end) of part `i` of `parts` over `items` things, in order.
struct PartRange {
    std::size_t begin = 0;
    std::size_t end = 0;
};
[[nodiscard]] PartRange part_range(std::size_t items, std::size_t parts, std::size_t i) noexcept;

}  // namespace stackaudit
