// The fast overlap against a naive one (std::set intersections of every provider pair) on
// synthetic snapshots from the benchmark's generator: dense and sparse tools, every
// intersection strategy, filters, and a snapshot whose uses break the sort order. Plus the
// intersection strategies themselves against std::set_intersection.
#include "fixture.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "../../src/query/index.hpp"
#include "stackaudit/core/strings.hpp"
#include "workload_snapshot.hpp"

using namespace query_test;

namespace {

struct NaivePair {
    std::string capability, a, b;
    std::size_t active_a = 0, active_b = 0, seats_a = 0, seats_b = 0, shared = 0;
    std::optional<double> jaccard, savings;
    std::string smaller;
    auto key() const { return std::tie(capability, a, b); }
};

// A straightforward reading of the definitions in query.hpp and docs/facts.md.
std::vector<NaivePair> naive_overlap(const GraphSnapshot& s, const query::OverlapOptions& o) {
    std::vector<std::set<std::uint32_t>> active(s.tools.size());
    std::vector<std::size_t> seats(s.tools.size(), 0);
    for (const auto& use : s.uses) {
        if (use.active) active[use.tool].insert(use.person);
        if (use.seat) ++seats[use.tool];
    }
    std::vector<NaivePair> out;
    for (std::size_t c = 0; c < s.capabilities.size(); ++c) {
        if (!o.capabilities.empty() &&
            std::none_of(o.capabilities.begin(), o.capabilities.end(), [&](const std::string& x) { return iequals(x, s.capabilities[c]); }))
            continue;
        std::vector<std::uint32_t> providers;
        for (std::uint32_t t = 0; t < s.tools.size(); ++t)
            if (s.tools[t].in_catalog && std::count(s.tools[t].capabilities.begin(), s.tools[t].capabilities.end(), c))
                providers.push_back(t);
        std::sort(providers.begin(), providers.end(),
                  [&](std::uint32_t x, std::uint32_t y) { return to_lower(s.tools[x].name) < to_lower(s.tools[y].name); });
        for (std::size_t i = 0; i < providers.size(); ++i)
            for (std::size_t j = i + 1; j < providers.size(); ++j) {
                const std::uint32_t a = providers[i], b = providers[j];
                if (!o.tool.empty() && !iequals(s.tools[a].name, o.tool) && !iequals(s.tools[b].name, o.tool)) continue;
                if (!o.department.empty() && !iequals(s.tools[a].owning_department, o.department) &&
                    !iequals(s.tools[b].owning_department, o.department))
                    continue;
                NaivePair p;
                p.capability = s.capabilities[c];
                p.a = s.tools[a].name;
                p.b = s.tools[b].name;
                p.active_a = active[a].size();
                p.active_b = active[b].size();
                p.seats_a = seats[a];
                p.seats_b = seats[b];
                std::vector<std::uint32_t> both;
                std::set_intersection(active[a].begin(), active[a].end(), active[b].begin(), active[b].end(),
                                      std::back_inserter(both));
                p.shared = both.size();
                std::set<std::uint32_t> either = active[a];
                either.insert(active[b].begin(), active[b].end());
                if (!either.empty()) p.jaccard = static_cast<double>(p.shared) / static_cast<double>(either.size());
                const bool a_smaller = p.active_a != p.active_b ? p.active_a < p.active_b : p.seats_a < p.seats_b;
                const std::uint32_t smaller = a_smaller ? a : b;
                p.smaller = s.tools[smaller].name;
                if (s.tools[smaller].cost_per_seat) p.savings = static_cast<double>(p.shared) * *s.tools[smaller].cost_per_seat;
                if (p.shared < o.min_shared) continue;
                if (o.min_jaccard > 0 && (!p.jaccard || *p.jaccard < o.min_jaccard)) continue;
                out.push_back(p);
            }
    }
    std::sort(out.begin(), out.end(), [](const NaivePair& x, const NaivePair& y) { return x.key() < y.key(); });
    return out;
}

void cross_check(const GraphSnapshot& s, const query::OverlapOptions& o) {
    const auto fast = query::overlap(s, o);
    REQUIRE(fast);
    const std::vector<NaivePair> naive = naive_overlap(s, o);

    std::vector<NaivePair> got;
    for (const auto& g : fast->groups) {
        // Groups by capability name, pairs by shared users descending.
        for (std::size_t i = 1; i < g.pairs.size(); ++i) REQUIRE(g.pairs[i - 1].shared >= g.pairs[i].shared);
        for (const auto& p : g.pairs) {
            NaivePair n;
            n.capability = s.capabilities[g.capability];
            n.a = s.tools[p.a.tool].name;
            n.b = s.tools[p.b.tool].name;
            n.active_a = p.a.active_users;
            n.active_b = p.b.active_users;
            n.seats_a = p.a.seats;
            n.seats_b = p.b.seats;
            n.shared = p.shared;
            n.jaccard = p.jaccard;
            n.smaller = s.tools[p.smaller].name;
            n.savings = p.consolidation_savings;
            got.push_back(n);
        }
    }
    std::sort(got.begin(), got.end(), [](const NaivePair& x, const NaivePair& y) { return x.key() < y.key(); });
    REQUIRE(got.size() == naive.size());
    std::set<std::pair<std::string, std::string>> distinct;
    double savings = 0;
    std::size_t unknown = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO(naive[i].capability << ": " << naive[i].a << " + " << naive[i].b);
        REQUIRE(got[i].key() == naive[i].key());
        CHECK(got[i].active_a == naive[i].active_a);
        CHECK(got[i].active_b == naive[i].active_b);
        CHECK(got[i].seats_a == naive[i].seats_a);
        CHECK(got[i].seats_b == naive[i].seats_b);
        CHECK(got[i].shared == naive[i].shared);
        CHECK(got[i].jaccard.has_value() == naive[i].jaccard.has_value());
        if (naive[i].jaccard) CHECK(*got[i].jaccard == *naive[i].jaccard);
        CHECK(got[i].smaller == naive[i].smaller);
        CHECK(got[i].savings == naive[i].savings);
        if (distinct.insert({naive[i].a, naive[i].b}).second) {
            if (naive[i].savings) savings += *naive[i].savings;
            else ++unknown;
        }
    }
    CHECK(fast->pairs == distinct.size());
    CHECK(fast->total_savings == Approx(savings));
    CHECK(fast->unknown_savings == unknown);
}

}  // namespace

TEST_CASE("fast overlap equals the naive one on a mid-size company", "[unit][query][crosscheck]") {
    const GraphSnapshot s = stackaudit::bench::make_workload_snapshot({2000, 100, 20000, 12, 7});
    REQUIRE(s.uses.size() == 20000);
    cross_check(s, {});
    query::OverlapOptions o;
    o.min_shared = 5;
    o.min_jaccard = 0.05;
    cross_check(s, o);
}

TEST_CASE("fast overlap equals the naive one with sparse and dense tools and with filters", "[unit][query][crosscheck]") {
    // 20,000 people: tools under 313 active users are lists (merge and gallop), the rest bitsets.
    const GraphSnapshot s = stackaudit::bench::make_workload_snapshot({20000, 300, 60000, 30, 3});
    cross_check(s, {});
    query::OverlapOptions o;
    o.tool = s.tools[17].name;
    cross_check(s, o);
    o = {};
    o.department = "Marketing";
    o.capabilities = {"cap-000", "cap-003"};
    cross_check(s, o);
}

TEST_CASE("fast overlap repairs a snapshot whose uses are out of order", "[unit][query][crosscheck]") {
    GraphSnapshot s = stackaudit::bench::make_workload_snapshot({3000, 80, 15000, 10, 11});
    const auto sorted = query::overlap(s, {});
    REQUIRE(sorted);
    std::mt19937 shuffle(5);
    std::shuffle(s.uses.begin(), s.uses.end(), shuffle);
    s.uses.push_back(s.uses.front());  // a duplicate pair must not count twice
    const auto repaired = query::overlap(s, {});
    REQUIRE(repaired);
    CHECK(repaired->pairs == sorted->pairs);
    CHECK(repaired->total_savings == Approx(sorted->total_savings));
    REQUIRE(repaired->groups.size() == sorted->groups.size());
    for (std::size_t g = 0; g < sorted->groups.size(); ++g) {
        REQUIRE(repaired->groups[g].pairs.size() == sorted->groups[g].pairs.size());
        for (std::size_t i = 0; i < sorted->groups[g].pairs.size(); ++i)
            CHECK(repaired->groups[g].pairs[i].shared == sorted->groups[g].pairs[i].shared);
    }
}

TEST_CASE("the workload generator is deterministic", "[unit][query]") {
    const stackaudit::bench::SnapshotWorkload w{500, 40, 4000, 8, 9};
    const GraphSnapshot x = stackaudit::bench::make_workload_snapshot(w);
    const GraphSnapshot y = stackaudit::bench::make_workload_snapshot(w);
    REQUIRE(x.uses.size() == y.uses.size());
    for (std::size_t i = 0; i < x.uses.size(); ++i) {
        CHECK(x.uses[i].tool == y.uses[i].tool);
        CHECK(x.uses[i].person == y.uses[i].person);
        CHECK(x.uses[i].active == y.uses[i].active);
    }
    for (std::size_t i = 1; i < x.uses.size(); ++i)
        CHECK(std::pair(x.uses[i - 1].tool, x.uses[i - 1].person) < std::pair(x.uses[i].tool, x.uses[i].person));
    const auto context = query::make_context(x, "workload");
    CHECK(query::render(*query::overlap(x, {}), x, context, query::Format::json) ==
          query::render(*query::overlap(y, {}), y, context, query::Format::json));
}

TEST_CASE("intersection strategies agree with std::set_intersection", "[unit][query]") {
    std::mt19937 rng(42);
    for (int round = 0; round < 200; ++round) {
        const std::size_t universe = 1 + rng() % 5000;
        auto draw = [&](std::size_t n) {
            std::set<std::uint32_t> s;
            for (std::size_t i = 0; i < n; ++i) s.insert(static_cast<std::uint32_t>(rng() % universe));
            return std::vector<std::uint32_t>(s.begin(), s.end());
        };
        const auto small = draw(rng() % 40);
        const auto large = draw(rng() % 3000);
        std::vector<std::uint32_t> both;
        std::set_intersection(small.begin(), small.end(), large.begin(), large.end(), std::back_inserter(both));
        CHECK(query::detail::merge_count(small, large) == both.size());
        CHECK(query::detail::merge_count(large, small) == both.size());
        CHECK(query::detail::gallop_count(small, large) == both.size());
    }
}

TEST_CASE("batch shared-user counts equal the pair-by-pair ones", "[unit][query]") {
    const GraphSnapshot s = stackaudit::bench::make_workload_snapshot({5000, 120, 30000, 10, 13});
    const query::detail::UsageIndex index(s);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::uint32_t a = 0; a < s.tools.size(); ++a)
        for (std::uint32_t b = 0; b < s.tools.size(); b += 1 + a % 3)
            if (a != b) pairs.emplace_back(a, b);
    const std::vector<std::size_t> batch = index.shared_active(pairs);
    REQUIRE(batch.size() == pairs.size());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto a = index.active_people(pairs[i].first), b = index.active_people(pairs[i].second);
        std::vector<std::uint32_t> both;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
        if (batch[i] != both.size() || index.shared_active(pairs[i].first, pairs[i].second) != both.size()) ++mismatches;
    }
    CHECK(mismatches == 0);
    CHECK(index.shared_active(std::span<const std::pair<std::uint32_t, std::uint32_t>>{}).empty());
}
