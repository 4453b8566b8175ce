// A deterministic synthetic GraphSnapshot of any size, shaped like an enterprise's software
// estate: departments and teams, a few tools used by tens of thousands and a long tail, skewed
// capabilities so some have dozens of providers, ~70% of uses active, seats on most catalog
// tools, owners (some departed), and data flows. It is the workload of bench/query_bench and of
// the fast-against-naive overlap check in tests/query; it is not product code.
#pragma once

#include <cstddef>
#include <cstdint>

#include "stackaudit/core/snapshot.hpp"

namespace stackaudit::bench {

struct SnapshotWorkload {
    std::size_t people = 100'000;
    std::size_t tools = 2'000;
    std::size_t pairs = 1'000'000;  // (person, tool) use rows; fewer when tools cannot hold them
    std::size_t capabilities = 200;
    std::uint64_t seed = 1;
};

// The same workload gives the same snapshot, byte for byte, on every machine: the generator
// uses its own PRNG and no floating-point library distributions.
[[nodiscard]] GraphSnapshot make_workload_snapshot(const SnapshotWorkload& workload);

}  // namespace stackaudit::bench
