// bench/reference: the yardstick for `stackaudit audit`'s log reading (issue #6). The minimal
// program anyone would write with simdjson On-Demand to get per (app, user) last-seen and 30-day
// window counts out of an Okta System Log in JSON lines, and nothing else: no bad-row policy, no
// line numbers, no report. Each thread reads its own byte range of the file (split at line
// boundaries) in 16 MB pieces and walks them with iterate_many; the per-thread maps are merged
// at the end. It prints the same summary line as the peers in bench/peers/ so results can be
// cross-checked:
//
//   pairs=<distinct (app, user)> events=<SSO successes up to as_of> in_window=<... within the
//   window> last_seen_sum=<sum over pairs of the last sign-in, epoch seconds> errors=<bad docs>
//
// Usage: bench_reference FILE [--threads N] [--as-of 2026-11-01T00:00:00Z] [--window-days 30]
#include <simdjson.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

namespace od = simdjson::ondemand;

constexpr std::size_t k_chunk = std::size_t{16} << 20;
constexpr std::size_t k_batch = std::size_t{1} << 20;  // far above the longest event (~2 KB)

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int num(std::string_view s, std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
}

// "2026-10-30T14:05:09.123Z" -> epoch seconds (UTC, as Okta writes it); -1 when too short.
std::int64_t epoch(std::string_view s) {
    if (s.size() < 19) return -1;
    return days_from_civil(num(s, 0, 4), static_cast<unsigned>(num(s, 5, 2)), static_cast<unsigned>(num(s, 8, 2))) *
               86400 +
           num(s, 11, 2) * 3600 + num(s, 14, 2) * 60 + num(s, 17, 2);
}

struct Stats {
    std::int64_t last = 0;
    std::uint64_t events = 0;
    std::uint64_t in_window = 0;
};

struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using Interned = std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>>;

struct Partial {
    Interned apps;
    Interned users;
    std::vector<std::string> app_names;
    std::vector<std::string> user_names;
    std::unordered_map<std::uint64_t, Stats> pairs;
    std::uint64_t errors = 0;

    std::uint32_t intern(Interned& map, std::vector<std::string>& names, std::string_view key) {
        if (auto it = map.find(key); it != map.end()) return it->second;
        const auto id = static_cast<std::uint32_t>(names.size());
        names.emplace_back(key);
        map.emplace(std::string(key), id);
        return id;
    }
};

struct Job {
    int fd;
    std::size_t begin;
    std::size_t end;
    std::int64_t as_of;
    std::int64_t window_start;
    Partial out;
};

void handle(od::document_reference doc, Job& job) {
    std::string_view type;
    if (doc["eventType"].get_string().get(type) != simdjson::SUCCESS) {
        ++job.out.errors;
        return;
    }
    if (type != "user.authentication.sso") return;
    std::string_view result, published, user;
    if (doc["outcome"]["result"].get_string().get(result) != simdjson::SUCCESS || result != "SUCCESS") return;
    if (doc["published"].get_string().get(published) != simdjson::SUCCESS) {
        ++job.out.errors;
        return;
    }
    const std::int64_t when = epoch(published);
    if (when < 0 || when > job.as_of) return;
    if (doc["actor"]["id"].get_string().get(user) != simdjson::SUCCESS) {
        ++job.out.errors;
        return;
    }
    const std::uint32_t user_id = job.out.intern(job.out.users, job.out.user_names, user);
    od::array targets;
    if (doc["target"].get_array().get(targets) != simdjson::SUCCESS) return;
    for (auto target : targets) {
        std::string_view kind, app;
        if (target["type"].get_string().get(kind) != simdjson::SUCCESS || kind != "AppInstance") continue;
        if (target["id"].get_string().get(app) != simdjson::SUCCESS) continue;
        const std::uint32_t app_id = job.out.intern(job.out.apps, job.out.app_names, app);
        Stats& s = job.out.pairs[(std::uint64_t{app_id} << 32) | user_id];
        s.last = std::max(s.last, when);
        ++s.events;
        s.in_window += when >= job.window_start ? 1 : 0;
        break;
    }
}

void run(Job& job) {
    od::parser parser;
    parser.threaded = false;  // one thread per range, nothing hidden
    std::unique_ptr<char[]> buf(new char[k_chunk + simdjson::SIMDJSON_PADDING]);
    std::size_t kept = 0;
    std::size_t at = job.begin;
    while (true) {
        const std::size_t want = std::min(k_chunk - kept, job.end - at);
        const ssize_t got = want > 0 ? pread(job.fd, buf.get() + kept, want, static_cast<off_t>(at)) : 0;
        if (got < 0) {
            std::perror("pread");
            std::exit(1);
        }
        at += static_cast<std::size_t>(got);
        const std::size_t size = kept + static_cast<std::size_t>(got);
        const bool last = at >= job.end || got == 0;
        // Parse up to the last newline; the rest waits for the next piece (or is the last line).
        std::size_t usable = size;
        if (!last) {
            const void* nl = memrchr(buf.get(), '\n', size);
            if (nl == nullptr) {
                std::fprintf(stderr, "a line is longer than %zu bytes\n", k_chunk);
                std::exit(1);
            }
            usable = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.get()) + 1;
        }
        od::document_stream stream;
        if (usable > 0 && parser.iterate_many(buf.get(), usable, k_batch).get(stream) == simdjson::SUCCESS) {
            for (auto doc : stream) {
                od::document_reference ref;
                if (std::move(doc).get(ref) != simdjson::SUCCESS) {
                    ++job.out.errors;
                    continue;
                }
                handle(ref, job);
            }
        }
        if (last) break;
        kept = size - usable;
        std::memmove(buf.get(), buf.get() + usable, kept);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const char* path = nullptr;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::string as_of_text = "2026-11-01T00:00:00Z";
    int window_days = 30;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--threads" && i + 1 < argc) {
            threads = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
        } else if (arg == "--as-of" && i + 1 < argc) {
            as_of_text = argv[++i];
        } else if (arg == "--window-days" && i + 1 < argc) {
            window_days = std::atoi(argv[++i]);
        } else if (path == nullptr && !arg.starts_with("--")) {
            path = argv[i];
        } else {
            std::fprintf(stderr, "usage: bench_reference FILE [--threads N] [--as-of ISO] [--window-days N]\n");
            return 2;
        }
    }
    if (path == nullptr) {
        std::fprintf(stderr, "usage: bench_reference FILE [--threads N] [--as-of ISO] [--window-days N]\n");
        return 2;
    }
    if (as_of_text.size() == 10) as_of_text += "T00:00:00Z";
    const int fd = open(path, O_RDONLY);
    if (fd < 0) {
        std::perror(path);
        return 1;
    }
    const off_t size = lseek(fd, 0, SEEK_END);
    const auto total = static_cast<std::size_t>(size);
    const std::int64_t as_of = epoch(as_of_text);

    // Range boundaries just after a newline near each equal share.
    std::vector<std::size_t> cuts{0};
    for (unsigned t = 1; t < threads; ++t) {
        std::size_t at = std::max(cuts.back(), total / threads * t);
        char c = 0;
        while (at < total && pread(fd, &c, 1, static_cast<off_t>(at)) == 1 && c != '\n') ++at;
        cuts.push_back(std::min(total, at + 1));
    }
    cuts.push_back(total);

    std::vector<Job> jobs;
    jobs.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) {
        jobs.push_back(Job{fd, cuts[t], cuts[t + 1], as_of, as_of - std::int64_t{window_days} * 86400, {}});
    }
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back(run, std::ref(jobs[t]));
    run(jobs[0]);
    for (auto& w : workers) w.join();

    // Merge by name.
    std::unordered_map<std::string, Stats> merged;
    std::uint64_t errors = 0;
    for (const Job& job : jobs) {
        errors += job.out.errors;
        for (const auto& [key, s] : job.out.pairs) {
            const std::string name = job.out.app_names[key >> 32] + '\n' + job.out.user_names[key & 0xffffffffu];
            Stats& m = merged[name];
            m.last = std::max(m.last, s.last);
            m.events += s.events;
            m.in_window += s.in_window;
        }
    }
    std::uint64_t events = 0, in_window = 0, last_sum = 0;
    for (const auto& [name, s] : merged) {
        events += s.events;
        in_window += s.in_window;
        last_sum += static_cast<std::uint64_t>(s.last);
    }
    std::printf("pairs=%zu events=%llu in_window=%llu last_seen_sum=%llu errors=%llu\n", merged.size(),
                static_cast<unsigned long long>(events), static_cast<unsigned long long>(in_window),
                static_cast<unsigned long long>(last_sum), static_cast<unsigned long long>(errors));
    close(fd);
    return 0;
}
