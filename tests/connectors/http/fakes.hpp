// Test doubles for the HTTP layer: a clock that records waits instead of sleeping, a transport
// that answers from a script, and one that answers by URL (for pull_source).
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "stackaudit/connectors/http.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::test {

namespace http = connectors::http;

inline http::TimePoint tp(std::string_view iso) {
    const auto t = parse_timestamp(iso);
    return http::TimePoint{std::chrono::duration_cast<http::TimePoint::duration>((**t).time_since_epoch())};
}

// A folder under the system temp dir, removed with everything in it at scope exit.
class ScratchDir {
public:
    ScratchDir() {
        static std::atomic<int> counter{0};
        m_path = std::filesystem::temp_directory_path() /
                 ("stackaudit-http-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(m_path);
        std::filesystem::create_directories(m_path);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

inline std::string slurp(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void spill(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << text;
}

inline std::int64_t epoch_seconds(http::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

class FakeClock final : public http::Clock {
public:
    explicit FakeClock(http::TimePoint start = tp("2026-11-02T02:00:00Z")) : m_now(start) {}
    http::TimePoint now() override { return m_now; }
    void sleep_for(http::Millis d) override {
        waits.push_back(d.count());
        m_now += d;
    }
    void advance(http::Millis d) { m_now += d; }
    std::vector<std::int64_t> waits;  // milliseconds, in order

private:
    http::TimePoint m_now;
};

inline http::Response response(int status, std::string body = "{}", std::vector<http::Header> headers = {}) {
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

// One scripted step: a response, or a transport failure of the given kind.
struct Step {
    http::Response response;
    http::TransportFailure failure = http::TransportFailure::none;
    std::string message;
};

inline Step fails(http::TransportFailure kind, std::string message) {
    return Step{{}, kind, std::move(message)};
}

class ScriptedTransport final : public http::Transport {
public:
    ScriptedTransport(std::initializer_list<Step> steps) : m_steps(steps) {}
    Result<http::Response> send(const http::Request& request) override {
        requests.push_back(request);
        if (m_steps.empty()) {
            m_failure = http::TransportFailure::other;
            return fail(ErrorCode::internal, "script exhausted");
        }
        Step step = std::move(m_steps.front());
        m_steps.pop_front();
        m_failure = step.failure;
        if (step.failure != http::TransportFailure::none) return fail(ErrorCode::source_failed, step.message);
        step.response.url = request.url;
        return step.response;
    }
    http::TransportFailure last_failure() const override { return m_failure; }
    std::vector<http::Request> requests;

private:
    std::deque<Step> m_steps;
    http::TransportFailure m_failure = http::TransportFailure::none;
};

// Answers by exact URL; several responses for one URL are given out in order (the last repeats).
class RoutedTransport final : public http::Transport {
public:
    void route(const std::string& url, http::Response r) { m_routes[url].push_back(std::move(r)); }
    Result<http::Response> send(const http::Request& request) override {
        requests.push_back(request);
        m_failure = http::TransportFailure::none;
        auto it = m_routes.find(request.url);
        if (it == m_routes.end()) {
            auto r = response(404, "{\"error\":\"no route for " + request.url + "\"}");
            r.url = request.url;
            return r;
        }
        auto& queue = it->second;
        auto& served = m_served[request.url];
        http::Response r = queue[std::min(served, queue.size() - 1)];
        ++served;
        r.url = request.url;
        return r;
    }
    http::TransportFailure last_failure() const override { return m_failure; }
    std::vector<http::Request> requests;

private:
    std::map<std::string, std::vector<http::Response>> m_routes;
    std::map<std::string, std::size_t> m_served;
    http::TransportFailure m_failure = http::TransportFailure::none;
};

}  // namespace stackaudit::test
