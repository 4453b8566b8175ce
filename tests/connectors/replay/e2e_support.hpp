// Shared pieces of the end-to-end connector tests: a fake clock that records waits instead of
// sleeping, the generic ApiSpec matching tests/connectors/data/api/_generic/routes.json, a source
// config pointing at a replay server, and helpers that read back snapshots and hunt for secrets.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "replay_server.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/connectors/http.hpp"

namespace stackaudit::test::e2e {

namespace http = connectors::http;
using connectors::ApiSourceConfig;
using connectors::ApiSpec;
using connectors::Endpoint;
using connectors::PagingKind;
using namespace std::chrono_literals;

// The fake credential: it must never show up in a snapshot, meta file, error or log line.
inline const std::string k_token = "sa-test-token-0xDEADBEEF";
inline const std::string k_token_env = "SA_E2E_TOKEN";

// Starts at a whole second so an HTTP-date Retry-After maps to an exact wait.
class FakeClock : public http::Clock {
public:
    FakeClock() : m_now(std::chrono::sys_days{std::chrono::year{2026} / 11 / 2} + std::chrono::hours{2}) {}
    [[nodiscard]] http::TimePoint now() override { return m_now; }
    void sleep_for(http::Millis duration) override {
        m_sleeps.push_back(duration);
        m_now += duration;
    }
    void advance(http::Millis duration) { m_now += duration; }
    [[nodiscard]] const std::vector<http::Millis>& sleeps() const { return m_sleeps; }
    [[nodiscard]] http::Millis slept() const {
        http::Millis total{0};
        for (const auto wait : m_sleeps) {
            total += wait;
        }
        return total;
    }

private:
    http::TimePoint m_now;
    std::vector<http::Millis> m_sleeps;
};

// Everything the puller reports through Events, for assertions and secret hunting.
struct CapturedEvents {
    std::vector<std::string> lines;
    std::vector<http::Millis> waits;
    [[nodiscard]] http::Events events() {
        return http::Events{
            .log = [this](std::string_view source, std::string_view message) {
                lines.push_back(std::string(source) + ": " + std::string(message));
            },
            .waiting = [this](std::string_view source, http::Millis wait, std::string_view why) {
                waits.push_back(wait);
                lines.push_back(std::string(source) + " waits " + std::to_string(wait.count()) + " ms: " + std::string(why));
            }};
    }
};

// ---- the generic fixture's endpoints -------------------------------------------------------

inline Endpoint link_endpoint() {
    return Endpoint{.name = "link", .path = "/v1/link/items?limit=2", .paging = {.kind = PagingKind::link_header}};
}
inline Endpoint url_endpoint() {
    return Endpoint{.name = "url",
                    .path = "/v1/url/items",
                    .paging = {.kind = PagingKind::body_url, .next_pointer = "/@odata.nextLink"},
                    .records_pointer = "/value"};
}
inline Endpoint token_endpoint() {
    return Endpoint{.name = "token",
                    .path = "/v1/token/items?page_size=2",
                    .paging = {.kind = PagingKind::body_token, .next_pointer = "/next_page_token", .token_param = "next_page_token"},
                    .records_pointer = "/users"};
}
inline Endpoint pages_endpoint() {
    return Endpoint{.name = "pages",
                    .path = "/v1/pages/items/{page}",
                    .paging = {.kind = PagingKind::page_number, .done_pointer = "/lastPage", .done_when = true, .first_page = 0},
                    .records_pointer = "/users"};
}
inline Endpoint single_endpoint() {
    return Endpoint{.name = "single", .path = "/v1/single/items", .records_pointer = "/items"};
}
inline Endpoint loop_endpoint() {
    return Endpoint{.name = "loop", .path = "/v1/loop/items?limit=2", .paging = {.kind = PagingKind::link_header}};
}

inline ApiSpec generic_spec(std::vector<Endpoint> endpoints,
                            connectors::AuthKind auth = connectors::AuthKind::bearer, std::string header = {}) {
    ApiSpec spec;
    spec.default_base_url = "https://generic.invalid";
    spec.credentials = {connectors::CredentialSpec{
        .name = "token", .kind = auth, .header = std::move(header),
        .description = "an API token of a read-only admin (Settings > API > Tokens)"}};
    spec.endpoints = std::move(endpoints);
    spec.permissions = "users:read";
    spec.check_endpoint = spec.endpoints.empty() ? "" : spec.endpoints.front().name;
    return spec;
}

// A source config aimed at `server`, with short real timeouts and quick retries (waits go
// through the FakeClock, so only the transport timeouts cost real time).
inline ApiSourceConfig config_for(const replay::ReplayServer& server) {
    ::setenv(k_token_env.c_str(), k_token.c_str(), 1);
    // libcurl honours proxy variables; loopback traffic must never go through a proxy.
    ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    ApiSourceConfig config;
    config.base_url = server.base_url();
    config.credentials["token"] = connectors::CredentialSource{.env = k_token_env};
    config.transport.connect_timeout = 2s;
    config.transport.total_timeout = 5s;
    config.transport.low_speed_window = 2s;
    config.retry.max_attempts = 4;
    config.retry.base_delay = 100ms;
    config.retry.max_delay = 60s;
    return config;
}

// ---- reading results back ------------------------------------------------------------------

inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The "id" of every record on every saved page of one endpoint, in page order.
inline std::vector<std::string> saved_ids(const std::filesystem::path& snapshot_dir, const Endpoint& endpoint) {
    std::vector<std::string> ids;
    for (const auto& page : connectors::endpoint_pages(snapshot_dir, endpoint.name)) {
        simdjson::padded_string json;
        REQUIRE(simdjson::padded_string::load(page.string()).get(json) == simdjson::SUCCESS);
        simdjson::ondemand::parser parser;
        auto document = parser.iterate(json);
        simdjson::ondemand::array records;
        if (endpoint.records_pointer.empty()) {
            REQUIRE(document.get_array().get(records) == simdjson::SUCCESS);
        } else {
            REQUIRE(document.at_pointer(endpoint.records_pointer).get_array().get(records) == simdjson::SUCCESS);
        }
        for (auto record : records) {
            std::string_view id;
            REQUIRE(record["id"].get_string().get(id) == simdjson::SUCCESS);
            ids.emplace_back(id);
        }
    }
    return ids;
}

// Every file under `root` (snapshots, meta files, MANIFEST, LATEST, LAST_FAILURE) with its text.
inline std::map<std::filesystem::path, std::string> all_files(const std::filesystem::path& root) {
    std::map<std::filesystem::path, std::string> files;
    if (!std::filesystem::exists(root)) {
        return files;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (entry.is_regular_file()) {
            files[entry.path()] = slurp(entry.path());
        }
    }
    return files;
}

// The token and the forms it could leak in: its tail, and its base64 at each of the three byte
// alignments (so "Basic base64(token:)", "base64(user:token)" and "base64(user/token:token)" are
// all caught), each cut to the characters that do not depend on the neighbouring bytes.
inline std::vector<std::string> secret_forms() {
    return {k_token, "DEADBEEF", "c2EtdGVzdC10b2tlbi0weERFQURC", "LXRlc3QtdG9rZW4tMHhERUFEQkVF",
            "YS10ZXN0LXRva2VuLTB4REVBREJF"};
}

// Whether a header value carries the token, plainly or base64-encoded (Basic auth).
inline bool carries_token(const std::string& value) {
    for (const auto& form : secret_forms()) {
        if (value.find(form) != std::string::npos) {
            return true;
        }
    }
    return false;
}

inline void require_no_secret(const std::string& what, const std::string& text) {
    for (const auto& secret : secret_forms()) {
        INFO(what << " must not contain " << secret << ":\n" << text);
        CHECK_FALSE(has(text, secret));
    }
}

inline void require_no_secret_in_files(const std::filesystem::path& root) {
    for (const auto& [path, text] : all_files(root)) {
        require_no_secret(path.string(), text);
    }
}

// Reads LATEST of a source ("" when absent).
inline std::string latest_of(const std::filesystem::path& root, const std::string& source) {
    const auto file = root / source / "LATEST";
    if (!std::filesystem::exists(file)) {
        return {};
    }
    auto text = slurp(file);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

// IMF-fixdate, the HTTP date form of Retry-After.
inline std::string http_date(http::TimePoint when) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(when);
    const auto days = std::chrono::floor<std::chrono::days>(seconds);
    const std::chrono::year_month_day date{days};
    const std::chrono::hh_mm_ss time{seconds - days};
    static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02u %s %d %02lld:%02lld:%02lld GMT",
                  k_days[std::chrono::weekday{days}.c_encoding()], static_cast<unsigned>(date.day()),
                  k_months[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
                  static_cast<long long>(time.hours().count()), static_cast<long long>(time.minutes().count()),
                  static_cast<long long>(time.seconds().count()));
    return buffer;
}

}  // namespace stackaudit::test::e2e
