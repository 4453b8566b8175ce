// The retrying client: one place that decides what is worth retrying, how long to wait (the
// server's Retry-After or reset header first, else exponential backoff with full jitter), when
// to slow down before the quota runs out, and how HTTP errors read for an admin. Every message
// it produces goes through redact().
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "http/encoding.hpp"
#include "stackaudit/connectors/http.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::http {

namespace {

using namespace std::chrono;

constexpr std::size_t k_max_error_text = 300;
constexpr std::int64_t k_max_interval_ms = std::int64_t{100} * 366 * 24 * 3600 * 1000;  // a century

std::optional<std::int64_t> header_int(const Response& response, std::string_view name) {
    const auto value = response.header(name);
    if (!value) return std::nullopt;
    const auto text = trim(*value);
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || ptr == text.data()) return std::nullopt;
    return v;
}

// system_clock counts nanoseconds, which end in 2262: a reset header is held between 1970 and
// 2200 (a wait that long fails the request all the same) instead of overflowing.
TimePoint from_epoch_seconds(std::int64_t secs) {
    return TimePoint{duration_cast<TimePoint::duration>(seconds{std::clamp<std::int64_t>(secs, 0, 7'258'118'400)})};
}

Millis until(TimePoint when, TimePoint now) { return when <= now ? Millis{0} : ceil<Millis>(when - now); }

std::string seconds_text(Millis ms) {
    const auto s = ms.count() / 1000;
    const auto rest = ms.count() % 1000;
    if (rest == 0) return cat(s, " s");
    return cat(s, ".", rest / 100, " s");
}

std::string collapse(std::string_view text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (out.size() >= k_max_error_text) {
            out += "...";
            break;
        }
    }
    return out;
}

std::optional<std::string> string_field(simdjson::dom::element e, std::string_view key) {
    if (!e.is_object()) return std::nullopt;
    std::string_view value;
    if (e[key].get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
    if (trim(value).empty()) return std::nullopt;
    return std::string(value);
}

std::string with_code(const std::optional<std::string>& code, const std::string& message) {
    return code ? *code + ": " + message : message;
}

// The vendor's own words from the common JSON error shapes; the raw body (shortened) otherwise.
std::string vendor_error_text(std::string_view body) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return collapse(body);
    if (root.is_array()) {
        // Salesforce: [{"message": "...", "errorCode": "INVALID_SESSION_ID"}]
        simdjson::dom::element first;
        if (root.at(0).get(first) == simdjson::SUCCESS) {
            if (const auto message = string_field(first, "message")) {
                return collapse(with_code(string_field(first, "errorCode"), *message));
            }
        }
        return collapse(body);
    }
    if (!root.is_object()) return collapse(body);
    if (const auto summary = string_field(root, "errorSummary")) {  // Okta
        return collapse(with_code(string_field(root, "errorCode"), *summary));
    }
    simdjson::dom::element error;
    if (root["error"].get(error) == simdjson::SUCCESS) {
        if (error.is_object()) {  // Graph {"error":{"code","message"}}, Google {"error":{"code":403,"message"}}
            if (const auto message = string_field(error, "message")) {
                return collapse(with_code(string_field(error, "code"), *message));
            }
            if (const auto title = string_field(error, "title")) return collapse(*title);
        } else if (error.is_string()) {  // Slack, Zendesk, OAuth
            std::string text(error.get_string().value_unsafe());
            if (const auto description = string_field(root, "description")) text += ": " + *description;
            if (const auto description = string_field(root, "error_description")) text += ": " + *description;
            return collapse(text);
        }
    }
    if (const auto message = string_field(root, "message")) return collapse(*message);  // Zoom, HubSpot
    if (const auto description = string_field(root, "error_description")) return collapse(*description);
    if (const auto detail = string_field(root, "detail")) {  // RFC 9457 problem details
        const auto title = string_field(root, "title");
        return collapse(title ? *title + ": " + *detail : *detail);
    }
    return collapse(body);
}

struct Quota {
    std::optional<std::int64_t> remaining;
    std::optional<std::int64_t> limit;
    std::optional<TimePoint> reset;
};

// Reset headers come as epoch seconds (Okta, GitHub style) or as seconds from now (others).
std::optional<TimePoint> reset_time(std::optional<std::int64_t> value, TimePoint now) {
    if (!value || *value < 0) return std::nullopt;
    if (*value > 1'000'000'000) return from_epoch_seconds(*value);
    return now + seconds{*value};
}

// When the remaining quota a response reports is low: the moment to wait for before the next
// request (the reset time when known, else a pause of one base delay to spread requests out).
std::optional<TimePoint> quota_pause_until(const Response& response, TimePoint now, const RetryPolicy& policy) {
    std::vector<Quota> quotas;
    quotas.push_back({header_int(response, "x-rate-limit-remaining"), header_int(response, "x-rate-limit-limit"),
                      reset_time(header_int(response, "x-rate-limit-reset"), now)});
    quotas.push_back({header_int(response, "x-ratelimit-remaining"), header_int(response, "x-ratelimit-limit"),
                      reset_time(header_int(response, "x-ratelimit-reset"), now)});
    std::optional<TimePoint> hubspot_reset;
    if (const auto interval = header_int(response, "x-hubspot-ratelimit-interval-milliseconds")) {
        hubspot_reset = now + Millis{std::clamp<std::int64_t>(*interval, 0, k_max_interval_ms)};
    }
    quotas.push_back({header_int(response, "x-hubspot-ratelimit-remaining"), header_int(response, "x-hubspot-ratelimit-max"),
                      hubspot_reset});
    quotas.push_back({header_int(response, "x-hubspot-ratelimit-daily-remaining"),
                      header_int(response, "x-hubspot-ratelimit-daily"), std::nullopt});
    if (const auto info = response.header("sforce-limit-info")) {  // "api-usage=18/5000"
        const auto eq = info->find("api-usage=");
        const auto slash = info->find('/', eq);
        if (eq != std::string::npos && slash != std::string::npos) {
            std::int64_t used = 0;
            std::int64_t limit = 0;
            const auto* b = info->data() + eq + 10;
            const auto* s = info->data() + slash;
            if (std::from_chars(b, s, used).ec == std::errc{} &&
                std::from_chars(s + 1, info->data() + info->size(), limit).ec == std::errc{} && used >= 0 &&
                limit >= 0) {  // counts are never negative, and limit - used cannot overflow then
                quotas.push_back({limit - used, limit, std::nullopt});
            }
        }
    }
    std::optional<TimePoint> pause_until;
    for (const auto& q : quotas) {
        if (!q.remaining) continue;
        const bool low = q.limit && *q.limit > 0
                             ? static_cast<double>(*q.remaining) <= static_cast<double>(*q.limit) * policy.low_quota_fraction
                             : *q.remaining <= 0;
        if (!low) continue;
        const TimePoint t = q.reset ? *q.reset : now + policy.base_delay;
        if (!pause_until || t > *pause_until) pause_until = t;
    }
    return pause_until;
}

}  // namespace

Client::Client(Transport& transport, Clock& clock, RetryPolicy policy, std::vector<std::string> secrets,
               std::string source_name, Events events, std::uint64_t jitter_seed)
    : m_transport(transport),
      m_clock(clock),
      m_policy(policy),
      m_secrets(std::move(secrets)),
      m_source(std::move(source_name)),
      m_events(std::move(events)),
      m_rng(jitter_seed) {}

namespace {

// splitmix64: tiny, seedable, and good enough to spread retries.
std::uint64_t next_random(std::uint64_t& state) {
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

bool is_rate_limit_403(const Response& response) {
    const std::string_view body = response.body;
    return body.find("REQUEST_LIMIT_EXCEEDED") != std::string_view::npos ||  // Salesforce
           body.find("ateLimitExceeded") != std::string_view::npos;          // Google (user)RateLimitExceeded
}

bool retryable_status(const Response& response) {
    const int s = response.status;
    if (s == 429 || s == 500 || s == 502 || s == 503 || s == 504) return true;
    return s == 403 && is_rate_limit_403(response);
}

bool retryable_failure(TransportFailure f) {
    return f == TransportFailure::connect || f == TransportFailure::timeout || f == TransportFailure::truncated;
}

}  // namespace

Result<Response> Client::send(Request request) {
    if (m_started == TimePoint{}) m_started = m_clock.now();
    const TimePoint first_try = m_clock.now();
    const std::string shown_url = redact(detail::strip_userinfo(request.url), m_secrets);
    const std::string what = cat(request.method, " ", shown_url);
    const int max_attempts = std::max(1, m_policy.max_attempts);

    auto log = [&](const std::string& line) {
        if (m_events.log) m_events.log(m_source, redact(line, m_secrets));
    };
    auto wait = [&](Millis duration, const std::string& why) {
        if (m_events.waiting) m_events.waiting(m_source, duration, redact(why, m_secrets));
        log(cat("event=wait wait_ms=", duration.count(), " why=", why));
        m_clock.sleep_for(duration);
        m_waited += duration;
    };
    auto error = [&](std::string message, int status, std::string hint) {
        return fail(ErrorCode::source_failed, redact(message, m_secrets),
                    Location{.source = m_source, .http_status = status}, redact(hint, m_secrets));
    };
    auto over_budget = [&](Millis next_wait) {
        return m_waited + next_wait > duration_cast<Millis>(m_policy.budget);
    };
    auto budget_error = [&](int attempt, const std::string& last, int status, Millis next_wait) {
        return error(cat("retry budget exhausted for ", what, " after ", attempt, " attempt(s): ", last,
                         "; waiting another ", seconds_text(next_wait), " would exceed the source's budget of ",
                         m_policy.budget.count(), " s (already waited ", seconds_text(m_waited), ")"),
                     status, "the service is unavailable or rate-limiting this account; try later, or raise the retry budget");
    };
    auto backoff = [&](int attempt) {
        const int shift = std::min(attempt - 1, 30);
        const auto ceiling = std::min<std::int64_t>(m_policy.max_delay.count(),
                                                    m_policy.base_delay.count() * (std::int64_t{1} << shift));
        if (ceiling <= 0) return Millis{0};
        return Millis{static_cast<std::int64_t>(next_random(m_rng) % static_cast<std::uint64_t>(ceiling + 1))};
    };

    for (int attempt = 1;; ++attempt) {
        if (m_throttle_until) {
            const auto pause = std::min(until(*m_throttle_until, m_clock.now()), m_policy.max_delay);
            m_throttle_until.reset();
            if (pause > Millis{0}) {
                if (over_budget(pause)) return budget_error(attempt - 1, "rate-limit quota nearly used up", 0, pause);
                wait(pause, "rate-limit quota nearly used up; pausing until it resets");
            }
        }
        ++m_requests;
        auto result = m_transport.send(request);
        if (!result) {
            const auto failure = m_transport.last_failure();
            const std::string last = result.error().message;
            if (!retryable_failure(failure)) return error(last, 0, result.error().hint);
            if (attempt >= max_attempts) {
                return error(cat("gave up after ", attempt, " attempts over ",
                                 seconds_text(duration_cast<Millis>(m_clock.now() - first_try)), ": ", last),
                             0, result.error().hint.empty() ? "try later or raise max_attempts" : result.error().hint);
            }
            const auto pause = backoff(attempt);
            if (over_budget(pause)) return budget_error(attempt, last, 0, pause);
            log(cat("event=retry attempt=", attempt, " failure=\"", last, "\""));
            wait(pause, cat("retrying after: ", last));
            continue;
        }
        Response response = std::move(*result);
        if (const auto pause_until = quota_pause_until(response, m_clock.now(), m_policy)) m_throttle_until = pause_until;
        if (response.status >= 200 && response.status < 400) return response;

        const std::string vendor = vendor_error_text(response.body);
        const std::string status_text = cat("HTTP ", response.status, " from ", what, vendor.empty() ? "" : ": ", vendor);
        if (!retryable_status(response)) {
            if (response.status == 401) {
                return error(cat("credential rejected: ", status_text), 401,
                             m_credential_hint.empty() ? "check that the credential is valid, not expired and not revoked"
                                                       : m_credential_hint);
            }
            if (response.status == 403) {
                return error(cat("permission missing: ", status_text), 403,
                             m_permission_hint.empty()
                                 ? "the credential is valid but lacks a permission; grant the scopes the connector needs"
                                 : cat("the credential is valid but lacks a permission; it needs: ", m_permission_hint));
            }
            if (response.status == 404) {
                return error(cat("not found: ", status_text), 404,
                             "check base_url and the options that fill the path (organisation id, domain, API version)");
            }
            return error(status_text, response.status,
                         response.status >= 500 ? "the service failed; try later" : "the request was refused; see the vendor's message");
        }

        const auto now = m_clock.now();
        std::optional<Millis> pause;
        std::string source_of_wait;
        if (const auto retry_after = response.header("retry-after")) {
            pause = parse_retry_after(*retry_after, now);
            if (pause) source_of_wait = cat("Retry-After: ", *retry_after);
        }
        if (!pause) {
            if (const auto reset = header_int(response, "x-rate-limit-reset")) {
                pause = until(from_epoch_seconds(*reset), now);
                source_of_wait = cat("X-Rate-Limit-Reset: ", *reset);
            }
        }
        const bool from_server = pause.has_value();
        if (pause && *pause > m_policy.max_delay) {
            return error(cat("rate limited: ", status_text, "; the server asks to wait ", seconds_text(*pause),
                             " (", source_of_wait, "), longer than the ", seconds_text(m_policy.max_delay),
                             " limit for one wait"),
                         response.status, "the daily or hourly quota is used up; run the pull later or raise max_delay");
        }
        if (attempt >= max_attempts) {
            return error(cat("gave up after ", attempt, " attempts over ",
                             seconds_text(duration_cast<Millis>(now - first_try)), ": last ", status_text),
                         response.status, "the service keeps failing or rate-limiting; try later or raise max_attempts");
        }
        if (!pause) pause = backoff(attempt);
        if (over_budget(*pause)) return budget_error(attempt, status_text, response.status, *pause);
        log(cat("event=retry attempt=", attempt, " status=", response.status, " wait_ms=", pause->count(),
                from_server ? " from=header" : " from=backoff"));
        wait(*pause, from_server ? cat("HTTP ", response.status, ", ", source_of_wait)
                                 : cat("HTTP ", response.status, ", backing off"));
        m_throttle_until.reset();  // the wait just taken already covers the quota window
    }
}

}  // namespace stackaudit::connectors::http
