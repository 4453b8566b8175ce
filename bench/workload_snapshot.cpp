// The synthetic snapshot generator. Popularity follows a power law (rank r gets weight
// r^-0.95, capped at 60% of the people, the excess handed down the tail), so with the default
// size the top tools have 30,000-60,000 users and the tail a few dozen; capabilities are drawn
// with weight (c+1)^-0.5, which leaves the common ones with 50-150 providers. Tools lean towards
// their owning department's people, as real tools do.
#include "workload_snapshot.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

namespace stackaudit::bench {

namespace {

// splitmix64: tiny, fast, and identical everywhere, unlike the standard distributions.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }

private:
    std::uint64_t m_state;
};

// Samples indices by weight in O(log n): a cumulative table and a binary search.
class Weighted {
public:
    explicit Weighted(const std::vector<double>& weights) : m_cumulative(weights.size()) {
        std::partial_sum(weights.begin(), weights.end(), m_cumulative.begin());
    }
    std::size_t pick(Rng& rng) const {
        const double x = rng.unit() * m_cumulative.back();
        const auto it = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), x);
        return std::min(static_cast<std::size_t>(it - m_cumulative.begin()), m_cumulative.size() - 1);
    }

private:
    std::vector<double> m_cumulative;
};

std::string numbered(std::string_view prefix, std::size_t n, std::size_t width) {
    std::string digits = std::to_string(n);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    std::string out(prefix);
    out += digits;
    return out;
}

std::size_t digits_of(std::size_t n) { return std::to_string(n > 0 ? n - 1 : 0).size(); }

constexpr std::array<std::string_view, 12> k_departments = {"Customer Support", "Data", "Design", "Engineering",
                                                            "Finance", "HR", "IT", "Legal", "Marketing",
                                                            "Operations", "Product", "Sales"};
constexpr std::array<double, 12> k_department_weights = {10, 4, 3, 25, 4, 3, 4, 2, 10, 6, 8, 21};
constexpr std::array<std::string_view, 8> k_teams = {"Analytics", "Brand", "Core", "Enterprise",
                                                     "Field", "Growth", "Operations", "Platform"};
constexpr std::array<std::string_view, 8> k_data = {"campaigns", "contacts", "events", "invoices",
                                                    "leads", "revenue", "tickets", "usage"};
constexpr std::array<std::string_view, 3> k_licences = {"Enterprise", "Pro", "Standard"};

// Users per tool from popularity weights: proportional shares, each capped, the excess of a
// capped tool handed to the others by weight until nothing is over its cap.
std::vector<std::size_t> user_counts(const std::vector<double>& weights, std::size_t pairs, std::size_t cap) {
    const std::size_t n = weights.size();
    std::vector<std::size_t> counts(n, 0);
    std::vector<char> capped(n, 0);
    pairs = std::min(pairs, cap * n);
    std::size_t remaining = pairs;
    for (int round = 0; round < 64 && remaining > 0; ++round) {
        double total = 0;
        for (std::size_t t = 0; t < n; ++t)
            if (!capped[t]) total += weights[t];
        if (total <= 0) break;
        std::size_t handed = 0;
        for (std::size_t t = 0; t < n; ++t) {
            if (capped[t]) continue;
            const auto share = static_cast<std::size_t>(static_cast<double>(remaining) * weights[t] / total);
            const std::size_t add = std::min(share, cap - counts[t]);
            counts[t] += add;
            handed += add;
            if (counts[t] == cap) capped[t] = 1;
        }
        remaining -= handed;
        if (handed == 0) {
            // Rounding left fewer than one per tool: one each to the first tools with room.
            for (std::size_t t = 0; t < n && remaining > 0; ++t)
                if (counts[t] < cap) {
                    ++counts[t];
                    --remaining;
                }
        }
    }
    return counts;
}

}  // namespace

GraphSnapshot make_workload_snapshot(const SnapshotWorkload& workload) {
    Rng rng(workload.seed * 0x2545F4914F6CDD1DULL + 1);
    GraphSnapshot s;
    s.as_of = Timestamp{Date{std::chrono::year{2026} / 11 / 24}};
    s.window_days = 30;
    const Date today = to_date(s.as_of);

    // People, numbered so that email order is generation order.
    const std::size_t people = std::max<std::size_t>(workload.people, 1);
    const std::size_t person_width = std::max<std::size_t>(6, digits_of(people));
    const Weighted department_pick(std::vector<double>(k_department_weights.begin(), k_department_weights.end()));
    std::vector<std::vector<std::uint32_t>> by_department(k_departments.size());
    s.people.reserve(people);
    for (std::size_t p = 0; p < people; ++p) {
        SnapshotPerson person;
        person.email = numbered("person", p, person_width) + "@corp.example";
        if (rng.chance(0.01)) {
            person.in_directory = false;  // a contractor or stale account seen only by a vendor
        } else {
            const std::size_t d = department_pick.pick(rng);
            person.name = numbered("Person ", p, 0);
            person.user_id = numbered("00u", p, person_width);
            person.department = std::string(k_departments[d]);
            // Team names repeat across departments, as "Operations" or "Growth" do in real companies.
            person.team = std::string(k_teams[(d + rng.below(5)) % k_teams.size()]);
            person.status = "ACTIVE";
            if (rng.chance(0.03)) {
                person.departed = true;
                person.status = "DEPROVISIONED";
                person.termination_date = today - std::chrono::days(1 + rng.below(300));
            }
            by_department[d].push_back(static_cast<std::uint32_t>(p));
        }
        s.people.push_back(std::move(person));
    }

    // Capabilities, lower-case and sorted by construction.
    const std::size_t capabilities = std::max<std::size_t>(workload.capabilities, 1);
    const std::size_t capability_width = std::max<std::size_t>(3, digits_of(capabilities));
    for (std::size_t c = 0; c < capabilities; ++c) s.capabilities.push_back(numbered("cap-", c, capability_width));
    std::vector<double> capability_weights(capabilities);
    for (std::size_t c = 0; c < capabilities; ++c) capability_weights[c] = 1.0 / std::sqrt(static_cast<double>(c + 1));
    const Weighted capability_pick(capability_weights);

    // Tools; popularity is a random permutation so that it is unrelated to name order.
    const std::size_t tools = workload.tools;
    const std::size_t tool_width = std::max<std::size_t>(4, digits_of(tools));
    std::vector<std::size_t> popularity(tools);
    std::iota(popularity.begin(), popularity.end(), std::size_t{0});
    for (std::size_t i = tools; i > 1; --i) std::swap(popularity[i - 1], popularity[rng.below(i)]);
    std::vector<double> weights(tools);
    for (std::size_t t = 0; t < tools; ++t) weights[t] = std::pow(static_cast<double>(popularity[t] + 1), -0.95);
    const auto cap = std::max<std::size_t>(1, people * 6 / 10);
    const std::vector<std::size_t> counts = user_counts(weights, workload.pairs, cap);

    std::vector<int> owning(tools, -1);
    s.tools.reserve(tools);
    for (std::size_t t = 0; t < tools; ++t) {
        SnapshotTool tool;
        tool.name = numbered("Tool ", t, tool_width);
        tool.vendor = numbered("Vendor ", t % 400, 0);
        const double kind = rng.unit();
        tool.in_catalog = kind < 0.95;
        tool.sso_app_only = !tool.in_catalog && kind < 0.975;
        if (tool.in_catalog) {
            const std::size_t n = 1 + rng.below(3);
            for (std::size_t k = 0; k < n; ++k) tool.capabilities.push_back(static_cast<std::uint32_t>(capability_pick.pick(rng)));
            std::sort(tool.capabilities.begin(), tool.capabilities.end());
            tool.capabilities.erase(std::unique(tool.capabilities.begin(), tool.capabilities.end()), tool.capabilities.end());
            if (rng.chance(0.9)) {
                owning[t] = static_cast<int>(department_pick.pick(rng));
                tool.owning_department = std::string(k_departments[static_cast<std::size_t>(owning[t])]);
            }
            // Owners mostly from the owning department; departed ones stay listed, as in real catalogs.
            auto owner = [&]() -> std::uint32_t {
                if (owning[t] >= 0 && rng.chance(0.8)) {
                    const auto& pool = by_department[static_cast<std::size_t>(owning[t])];
                    if (!pool.empty()) return pool[rng.below(pool.size())];
                }
                return static_cast<std::uint32_t>(rng.below(people));
            };
            if (rng.chance(0.85)) {
                tool.business_owners.push_back(owner());
                if (rng.chance(0.1)) tool.business_owners.push_back(owner());
            }
            if (rng.chance(0.75)) tool.technical_owners.push_back(owner());
            if (rng.chance(0.02))
                tool.owner_conflicts.push_back("line " + std::to_string(100 + t) + ": business_owner " +
                                               s.people[owner()].email + " (line " + std::to_string(2 + t) + " says " +
                                               s.people[owner()].email + ")");
            tool.it_review = rng.chance(0.7) ? "approved" : "pending";
            if (rng.chance(0.8)) tool.cost_per_seat = static_cast<double>(12 * (2 + rng.below(60)));
            tool.has_seat_data = rng.chance(0.75);
            tool.usage_tracked = rng.chance(0.9);
            if (rng.chance(0.7)) tool.contract_seats = static_cast<std::int64_t>(counts[t] + counts[t] / 10 + 5);
        } else {
            tool.usage_tracked = true;
        }
        s.tools.push_back(std::move(tool));
    }

    // Uses: per tool, distinct people (a stamp per person avoids a set), sorted, then one row each.
    std::vector<std::uint32_t> stamp(people, 0);
    std::vector<std::uint32_t> chosen;
    std::size_t total = 0;
    for (std::size_t t = 0; t < tools; ++t) total += counts[t];
    s.uses.reserve(total);
    for (std::size_t t = 0; t < tools; ++t) {
        SnapshotTool& tool = s.tools[t];
        const auto mark = static_cast<std::uint32_t>(t + 1);
        chosen.clear();
        const auto* pool = owning[t] >= 0 ? &by_department[static_cast<std::size_t>(owning[t])] : nullptr;
        while (chosen.size() < counts[t]) {
            std::uint32_t p = 0;
            if (pool && !pool->empty() && rng.chance(0.4)) p = (*pool)[rng.below(pool->size())];
            else p = static_cast<std::uint32_t>(rng.below(people));
            if (stamp[p] == mark) continue;
            stamp[p] = mark;
            chosen.push_back(p);
        }
        std::sort(chosen.begin(), chosen.end());
        const double activity = 0.5 + 0.4 * rng.unit();  // mean 0.7
        std::size_t seats = 0;
        for (const std::uint32_t p : chosen) {
            SnapshotUse use;
            use.tool = static_cast<std::uint32_t>(t);
            use.person = p;
            use.active = rng.chance(activity);
            use.seat = tool.in_catalog && tool.has_seat_data && rng.chance(0.9);
            if (use.seat) {
                use.license_type = std::string(k_licences[rng.below(k_licences.size())]);
                ++seats;
            }
            if (use.active) {
                use.last_seen = s.as_of - std::chrono::days(rng.below(static_cast<std::size_t>(s.window_days))) -
                                std::chrono::seconds(rng.below(86'400));
                use.events_in_window = 1 + rng.below(50);
            } else if (rng.chance(0.6)) {
                use.last_seen = s.as_of - std::chrono::days(static_cast<std::size_t>(s.window_days) + rng.below(335));
            }
            s.uses.push_back(std::move(use));
        }
        if (tool.cost_per_seat) {
            if (tool.contract_seats) tool.annual_cost = *tool.cost_per_seat * static_cast<double>(*tool.contract_seats);
            else if (tool.has_seat_data) tool.annual_cost = *tool.cost_per_seat * static_cast<double>(seats);
        }
    }

    // Flows between catalog tools, popular tools more often (weight r^-0.5), merged per pair.
    std::vector<std::uint32_t> catalog;
    std::vector<double> flow_weights;
    for (std::size_t t = 0; t < tools; ++t)
        if (s.tools[t].in_catalog) {
            catalog.push_back(static_cast<std::uint32_t>(t));
            flow_weights.push_back(std::pow(static_cast<double>(popularity[t] + 1), -0.5));
        }
    if (catalog.size() >= 2) {
        const Weighted flow_pick(flow_weights);
        const std::size_t flows = tools * 3 / 2;
        for (std::size_t f = 0; f < flows; ++f) {
            const std::uint32_t source = catalog[flow_pick.pick(rng)];
            const std::uint32_t target = catalog[flow_pick.pick(rng)];
            if (source == target) continue;
            SnapshotFlow flow{source, target, {}};
            const std::size_t n = 1 + rng.below(3);
            for (std::size_t k = 0; k < n; ++k) flow.data.emplace_back(k_data[rng.below(k_data.size())]);
            s.flows.push_back(std::move(flow));
        }
        std::sort(s.flows.begin(), s.flows.end(), [](const SnapshotFlow& x, const SnapshotFlow& y) {
            return std::pair(x.source, x.target) < std::pair(y.source, y.target);
        });
        std::vector<SnapshotFlow> merged;
        for (SnapshotFlow& flow : s.flows) {
            if (!merged.empty() && merged.back().source == flow.source && merged.back().target == flow.target)
                merged.back().data.insert(merged.back().data.end(), flow.data.begin(), flow.data.end());
            else
                merged.push_back(std::move(flow));
        }
        for (SnapshotFlow& flow : merged) {
            std::sort(flow.data.begin(), flow.data.end());
            flow.data.erase(std::unique(flow.data.begin(), flow.data.end()), flow.data.end());
        }
        s.flows = std::move(merged);
    }

    s.sources = {{"directory", true, false, ""}, {"catalog", true, false, ""}, {"okta_log", true, false, ""},
                 {"integrations", true, false, ""}};
    return s;
}

}  // namespace stackaudit::bench
