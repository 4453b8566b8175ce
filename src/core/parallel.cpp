// Splitting work over threads (core/parallel.hpp).
#include "stackaudit/core/parallel.hpp"

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace stackaudit {

unsigned resolve_threads(unsigned requested) noexcept {
    if (requested == 0) requested = std::thread::hardware_concurrency();
    return std::max(1u, requested);
}

std::size_t part_count(std::size_t items, std::size_t min_per_part, unsigned threads) noexcept {
    const std::size_t by_size = items / std::max<std::size_t>(1, min_per_part);
    return std::clamp<std::size_t>(by_size, 1, std::max(1u, threads));
}

void run_parts(std::size_t parts, const std::function<void(std::size_t)>& work) {
    if (parts == 0) return;
    std::vector<std::exception_ptr> failures(parts);
    const auto guarded = [&](std::size_t i) noexcept {
        try {
            work(i);
        } catch (...) {
            failures[i] = std::current_exception();
        }
    };
    {
        std::vector<std::jthread> workers;
        workers.reserve(parts - 1);
        std::vector<std::size_t> here;  // parts no thread could be started for
        for (std::size_t i = 1; i < parts; ++i) {
            try {
                workers.emplace_back(guarded, i);
            } catch (const std::system_error&) {
                here.push_back(i);
            }
        }
        guarded(0);
        for (const std::size_t i : here) guarded(i);
    }  // joins
    for (const auto& failure : failures)
        if (failure) std::rethrow_exception(failure);
}

PartRange part_range(std::size_t items, std::size_t parts, std::size_t i) noexcept {
    parts = std::max<std::size_t>(1, parts);
    const std::size_t base = items / parts;
    const std::size_t extra = items % parts;
    const std::size_t begin = i * base + std::min(i, extra);
    return {begin, begin + base + (i < extra ? 1 : 0)};
}

}  // namespace stackaudit
