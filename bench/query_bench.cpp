// bench/query_bench: times the ad-hoc queries (issue #5) on a synthetic enterprise snapshot
// (bench/workload_snapshot.hpp). The figure that matters is `overlap` over all tools at 100,000
// people, 2,000 tools and 1,000,000 use rows: it must stay well under a second on one core.
// One line per measure, `name key=value ...`, with the answer's size and savings beside the
// time so that a change in the answer shows next to a change in speed.
//
// Usage: query_bench [--people N] [--tools N] [--pairs N] [--capabilities N] [--repeat N]
//                    [--seed N] [--smoke]
// --smoke: a small workload and 2 repeats, checked for a non-empty answer (a CTest test).
#include <unistd.h>
#include <optional>
#include <filesystem>
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/text.hpp"
#include "stackaudit/query/query.hpp"
#include "stackaudit/store/store.hpp"
#include "workload_snapshot.hpp"

namespace {

using stackaudit::GraphSnapshot;
namespace query = stackaudit::query;

struct Options {
    stackaudit::bench::SnapshotWorkload workload;
    std::size_t repeat = 5;
    bool smoke = false;
};

int usage(const char* message) {
    std::fprintf(stderr,
                 "query_bench: %s\nusage: query_bench [--people N] [--tools N] [--pairs N] [--capabilities N] "
                 "[--repeat N] [--seed N] [--smoke]\n",
                 message);
    return 2;
}

bool parse_count(std::string_view text, std::uint64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

struct Timing {
    double median = 0, min = 0;
};

// Runs `body` `repeat` times; the median resists one slow run (another process on the core),
// the minimum is the best the code can do.
Timing measure(std::size_t repeat, const std::function<void()>& body) {
    std::vector<double> seconds;
    for (std::size_t i = 0; i < repeat; ++i) {
        const auto start = std::chrono::steady_clock::now();
        body();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    const std::size_t n = seconds.size();
    const double median = n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
    return {median, seconds.front()};
}

void line(const char* name, const Timing& t, const std::string& extra) {
    std::printf("%-16s median_s=%.4f min_s=%.4f %s\n", name, t.median, t.min, extra.c_str());
}

long peak_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;  // kilobytes on Linux
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    std::uint64_t people = options.workload.people, tools = options.workload.tools, pairs = options.workload.pairs,
                  capabilities = options.workload.capabilities, repeat = options.repeat, seed = options.workload.seed;
    const std::map<std::string_view, std::uint64_t*> counts = {
        {"--people", &people}, {"--tools", &tools},   {"--pairs", &pairs},
        {"--capabilities", &capabilities}, {"--repeat", &repeat}, {"--seed", &seed}};
    std::map<std::string_view, bool> given;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--smoke") {
            options.smoke = true;
            continue;
        }
        const auto it = counts.find(arg);
        if (it == counts.end()) return usage(("unknown option " + std::string(arg)).c_str());
        if (i + 1 >= argc || !parse_count(argv[i + 1], *it->second))
            return usage((std::string(arg) + " needs a whole number").c_str());
        given[arg] = true;
        ++i;
    }
    if (options.smoke) {
        // Small enough for a test run, big enough to have dense and sparse tools and many pairs.
        if (!given["--people"]) people = 3000;
        if (!given["--tools"]) tools = 150;
        if (!given["--pairs"]) pairs = 30000;
        if (!given["--capabilities"]) capabilities = 25;
        if (!given["--repeat"]) repeat = 2;
    }
    if (repeat == 0) return usage("--repeat must be at least 1");
    options.workload = {people, tools, pairs, capabilities, seed};
    options.repeat = repeat;

    const auto start = std::chrono::steady_clock::now();
    const GraphSnapshot snapshot = stackaudit::bench::make_workload_snapshot(options.workload);
    const double generated = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("workload         people=%zu tools=%zu uses=%zu capabilities=%zu flows=%zu seed=%llu generated_s=%.2f\n",
                snapshot.people.size(), snapshot.tools.size(), snapshot.uses.size(), snapshot.capabilities.size(),
                snapshot.flows.size(), static_cast<unsigned long long>(seed), generated);

    // overlap over every tool, no filters: the target.
    query::OverlapResult overlap;
    bool failed = false;
    const Timing overlap_time = measure(options.repeat, [&] {
        auto result = query::overlap(snapshot, {});
        if (!result) {
            std::fprintf(stderr, "overlap failed: %s\n", result.error().to_string().c_str());
            failed = true;
            return;
        }
        overlap = std::move(*result);
    });
    if (failed) return 1;
    std::size_t rows = 0;
    for (const auto& group : overlap.groups) rows += group.pairs.size();
    line("overlap_all", overlap_time,
         "groups=" + std::to_string(overlap.groups.size()) + " pairs=" + std::to_string(overlap.pairs) +
             " group_rows=" + std::to_string(rows) + " savings=" + stackaudit::format_money(overlap.total_savings) +
             " unknown_savings=" + std::to_string(overlap.unknown_savings));

    const query::Context context = query::make_context(snapshot, "synthetic workload");
    std::size_t csv_bytes = 0;
    const Timing render_time = measure(options.repeat, [&] {
        csv_bytes = query::render(overlap, snapshot, context, query::Format::csv).size();
    });
    line("overlap_csv", render_time, "bytes=" + std::to_string(csv_bytes));

    // who on the most used tool, tools of the busiest person and of the largest department.
    std::vector<std::size_t> per_tool(snapshot.tools.size(), 0), per_person(snapshot.people.size(), 0);
    for (const auto& use : snapshot.uses) {
        ++per_tool[use.tool];
        ++per_person[use.person];
    }
    if (!snapshot.tools.empty()) {
        const auto big = static_cast<std::size_t>(std::max_element(per_tool.begin(), per_tool.end()) - per_tool.begin());
        query::WhoResult who;
        const Timing who_time = measure(options.repeat, [&] {
            auto result = query::who(snapshot, snapshot.tools[big].name, {});
            if (!result) failed = true;
            else who = std::move(*result);
        });
        if (failed) return 1;
        line("who_big_tool", who_time,
             "tool=\"" + snapshot.tools[big].name + "\" people=" + std::to_string(who.uses.size()) +
                 " active=" + std::to_string(who.active) + " groups=" + std::to_string(who.groups.size()));
    }
    if (!snapshot.people.empty()) {
        const auto busy =
            static_cast<std::size_t>(std::max_element(per_person.begin(), per_person.end()) - per_person.begin());
        query::ToolsResult tools_result;
        const Timing person_time = measure(options.repeat, [&] {
            auto result = query::tools_of(snapshot, snapshot.people[busy].email);
            if (!result) failed = true;
            else tools_result = std::move(*result);
        });
        if (failed) return 1;
        line("tools_person", person_time,
             "person=" + snapshot.people[busy].email + " tools=" + std::to_string(tools_result.rows.size()));
        std::map<std::string, std::size_t> departments;
        for (const auto& person : snapshot.people)
            if (!person.department.empty()) ++departments[person.department];
        if (!departments.empty()) {
            const auto largest = std::max_element(departments.begin(), departments.end(),
                                                  [](const auto& x, const auto& y) { return x.second < y.second; });
            const Timing department_time = measure(options.repeat, [&] {
                auto result = query::tools_of(snapshot, largest->first);
                if (!result) failed = true;
                else tools_result = std::move(*result);
            });
            if (failed) return 1;
            line("tools_department", department_time,
                 "department=\"" + largest->first + "\" people=" + std::to_string(tools_result.members.size()) +
                     " tools=" + std::to_string(tools_result.rows.size()));
        }
    }
    // The questions answer from the history: what recording the graph adds to a nightly run, and
    // what loading it adds to every question. The loaded graph must give the same answer.
    {
        const auto dir = std::filesystem::temp_directory_path() / ("stackaudit_query_bench_" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        auto history = stackaudit::store::Store::open(dir / "history.db");
        if (!history) {
            std::fprintf(stderr, "cannot open the history: %s\n", history.error().to_string().c_str());
            return 1;
        }
        stackaudit::store::RunInput run;
        run.as_of = snapshot.as_of;
        run.started_at = snapshot.as_of;
        run.config_file = "bench";
        run.graph = &snapshot;
        const Timing write_time = measure(1, [&] {
            if (auto recorded = history->record_run(run); !recorded) {
                std::fprintf(stderr, "record_run failed: %s\n", recorded.error().to_string().c_str());
                failed = true;
            }
        });
        std::optional<stackaudit::store::StoredSnapshot> loaded;
        const Timing load_time = measure(options.repeat, [&] {
            auto got = history->latest_snapshot();
            if (!got || !*got) {
                failed = true;
                return;
            }
            loaded = std::move(**got);
        });
        std::error_code ec;
        const auto db_bytes = std::filesystem::file_size(dir / "history.db", ec);
        std::filesystem::remove_all(dir, ec);
        if (failed || !loaded) return 1;
        line("store_write", write_time, "db_mb=" + std::to_string(db_bytes / (1024 * 1024)));
        const auto again = query::overlap(loaded->snapshot, {});
        if (!again || again->pairs != overlap.pairs || again->total_savings != overlap.total_savings) {
            std::fprintf(stderr, "the graph loaded from the history answers overlap differently\n");
            return 1;
        }
        line("store_load", load_time, "uses=" + std::to_string(loaded->snapshot.uses.size()) + " same_answer=yes");
    }
    std::printf("peak_rss         mb=%.1f\n", static_cast<double>(peak_rss_kb()) / 1024.0);

    if (options.smoke && (overlap.pairs == 0 || overlap.groups.empty())) {
        std::fprintf(stderr, "query_bench --smoke: overlap found no pairs; the workload or the query is broken\n");
        return 1;
    }
    return 0;
}
