// HTTP for live connectors: one libcurl transport, one retrying client that honours rate limits,
// and the header parsers every vendor needs. Time goes through a Clock so tests never sleep.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stackaudit/core/error.hpp"

namespace stackaudit::connectors::http {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

// Wall time and waiting. The system clock really sleeps; tests inject a fake that records waits.
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual TimePoint now() = 0;
    virtual void sleep_for(Millis duration) = 0;
};
[[nodiscard]] Clock& system_clock();

struct Header {
    std::string name;  // lower-cased
    std::string value;
};

struct Request {
    std::string method = "GET";
    std::string url;
    std::vector<Header> headers;  // secret-bearing headers are redacted in every log and snapshot
    std::string body;
};

struct Response {
    int status = 0;
    std::vector<Header> headers;  // names lower-cased, in arrival order (several Link lines stay separate)
    std::string body;             // decoded (gzip/deflate undone)
    std::string url;              // final URL after redirects
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;  // first match
    [[nodiscard]] std::vector<std::string> headers_named(std::string_view name) const;
};

// Named timeouts and limits (ccache style): every one is configurable per source.
inline constexpr Millis k_connect_timeout{10'000};
inline constexpr Millis k_total_timeout{120'000};
inline constexpr Millis k_low_speed_window{30'000};  // abort a transfer slower than 1 byte/s for this long
inline constexpr std::size_t k_max_response_bytes = 256u << 20;
inline constexpr int k_max_redirects = 5;

struct TransportOptions {
    Millis connect_timeout = k_connect_timeout;
    Millis total_timeout = k_total_timeout;
    Millis low_speed_window = k_low_speed_window;
    std::size_t max_response_bytes = k_max_response_bytes;
    std::string ca_file;  // extra CA bundle (PEM); TLS verification itself is never switched off
    std::string user_agent = "stackaudit";
};

// Errors from the transport carry ErrorCode::source_failed and say which of these happened.
enum class TransportFailure { none, connect, timeout, tls, truncated, too_large, other };

class Transport {
public:
    virtual ~Transport() = default;
    // One exchange, no retries. Follows redirects (up to k_max_redirects), dropping the
    // Authorization and API-key headers when the redirect leaves the original host (Microsoft's
    // report download is a 302 to a pre-signed URL that must not receive the token).
    // Errors: source_failed with the URL (redacted), the curl reason and a TransportFailure in
    // Error::where.json_path-free message; HTTP statuses are NOT errors here.
    [[nodiscard]] virtual Result<Response> send(const Request& request) = 0;
    [[nodiscard]] virtual TransportFailure last_failure() const = 0;
};

// libcurl, one easy handle reused across requests (keep-alive). Proxies come from libcurl's
// usual environment variables (https_proxy, no_proxy); gzip is accepted.
[[nodiscard]] std::unique_ptr<Transport> make_curl_transport(const TransportOptions& options);

struct RetryPolicy {
    int max_attempts = 6;            // per request, first try included
    Millis base_delay{1'000};        // exponential backoff base, with full jitter
    Millis max_delay{120'000};       // cap of one wait (a longer Retry-After fails the request)
    std::chrono::seconds budget{900};  // total time one source may spend waiting and retrying
    double low_quota_fraction = 0.05;  // slow down when remaining/limit drops below this
};

// Receives progress and log lines. Messages are already redacted.
struct Events {
    std::function<void(std::string_view source, std::string_view message)> log;       // machine-readable line
    std::function<void(std::string_view source, Millis wait, std::string_view why)> waiting;
};

class Client {
public:
    // `secrets` are strings that must never appear in a log, error or snapshot (tokens, keys).
    Client(Transport& transport, Clock& clock, RetryPolicy policy, std::vector<std::string> secrets,
           std::string source_name, Events events = {}, std::uint64_t jitter_seed = 0);

    // Sends with retries: 429, 500, 502, 503, 504, Salesforce 403 REQUEST_LIMIT_EXCEEDED and
    // Google 403 userRateLimitExceeded/rateLimitExceeded are retried after Retry-After (seconds
    // or HTTP date) or X-Rate-Limit-Reset (epoch seconds), else exponential backoff with full
    // jitter; connect failures and timeouts are retried too. Before a request, if the previous
    // response said the remaining quota is low (X-Rate-Limit-Remaining / X-Rate-Limit-Limit,
    // X-RateLimit-Remaining, X-HubSpot-RateLimit-Daily-Remaining), it waits until the reset.
    // Errors (source_failed, with Location::http_status and a hint):
    //   401 -> "credential rejected"; hint names the credential (env var or file) to renew.
    //   403 (not a rate limit) -> "permission missing"; hint names the scopes from `permission_hint`.
    //   other 4xx -> the vendor's error text (errorSummary, error_description, message, ...).
    //   retries or budget exhausted -> says how many attempts over how long and the last status.
    [[nodiscard]] Result<Response> send(Request request);

    void set_credential_hint(std::string hint) { m_credential_hint = std::move(hint); }
    void set_permission_hint(std::string hint) { m_permission_hint = std::move(hint); }
    [[nodiscard]] int requests_sent() const noexcept { return m_requests; }
    [[nodiscard]] Millis total_waited() const noexcept { return m_waited; }

private:
    Transport& m_transport;
    Clock& m_clock;
    RetryPolicy m_policy;
    std::vector<std::string> m_secrets;
    std::string m_source;
    Events m_events;
    std::uint64_t m_rng;
    std::string m_credential_hint;
    std::string m_permission_hint;
    int m_requests = 0;
    Millis m_waited{0};
    std::optional<TimePoint> m_throttle_until;
    TimePoint m_started{};
};

// Retry-After: delta seconds ("120") or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT"), or the
// ISO 8601 date Zoom sends. Returns the wait from `now` (zero if in the past); nullopt if unreadable.
[[nodiscard]] std::optional<Millis> parse_retry_after(std::string_view value, TimePoint now);

// RFC 8288 Link headers (several header lines, several links per line, any parameter order):
// the URL of rel="next", or nullopt.
[[nodiscard]] std::optional<std::string> parse_link_next(const std::vector<std::string>& link_headers);

// Replaces every occurrence of each secret (and of its base64 form for Basic auth) with "[REDACTED]".
[[nodiscard]] std::string redact(std::string_view text, const std::vector<std::string>& secrets);

// Headers that carry a credential or session (Authorization, Cookie, X-Api-Key, anything named
// like *token*, *secret*, *auth*): dropped on a redirect to another host and from snapshots.
[[nodiscard]] bool is_credential_header(std::string_view name);

// Resolves `next` (absolute URL, absolute path like Salesforce's nextRecordsUrl, or relative)
// against the URL of the page it came from.
[[nodiscard]] std::string resolve_url(std::string_view base, std::string_view next);

}  // namespace stackaudit::connectors::http
