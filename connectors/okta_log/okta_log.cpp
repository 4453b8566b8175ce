// The Okta System Log reader: a streaming pass over JSON lines or a JSON array with simdjson
// On-Demand, aggregating successful SSO events per (user, app).
//
// Each event is parsed in place inside a large read buffer (the bytes after it serve as
// simdjson's padding), one document per line or array element. Parsing per line rather than
// with iterate_many keeps a malformed line from swallowing the lines after it (iterate_many
// resynchronises on braces, not newlines) and gives exact line numbers for bad rows.
#include "okta_log/okta_log.hpp"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::okta_log {

namespace {

namespace od = simdjson::ondemand;

constexpr std::int64_t k_seconds_per_day = 86400;

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using IndexMap = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;

struct UserEntry {
    std::string id;
    std::string login;
};

struct AppEntry {
    std::string id;
    std::string label;
    std::string name;
};

struct PairStats {
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::uint64_t events = 0;
    std::uint64_t in_window = 0;
};

// Aggregates events per (user, app). Strings are interned once; the pair map is keyed by the
// two 32-bit ids, so an event costs two string lookups and one integer lookup.
class Aggregator {
public:
    Aggregator(std::int64_t as_of, int window_days)
        : m_as_of(as_of), m_window_start(as_of - std::int64_t{window_days} * k_seconds_per_day) {}

    [[nodiscard]] std::int64_t as_of() const noexcept { return m_as_of; }

    void add(std::string_view user_id, std::string_view login, std::string_view app_id, std::string_view label,
             std::string_view name, std::int64_t published) {
        const std::uint32_t user = user_index(user_id.empty() ? login : user_id, user_id, login);
        const std::uint32_t app = app_index(app_id, label, name);
        PairStats& stats = m_pairs[(std::uint64_t{user} << 32) | app];
        if (stats.events == 0 || published < stats.first) {
            stats.first = published;
        }
        if (stats.events == 0 || published > stats.last) {
            stats.last = published;
        }
        ++stats.events;
        if (published >= m_window_start) {
            ++stats.in_window;
        }
    }

    [[nodiscard]] std::vector<Usage> take_usage() {
        std::vector<Usage> usage;
        usage.reserve(m_pairs.size());
        for (const auto& [key, stats] : m_pairs) {
            const UserEntry& user = m_users[static_cast<std::size_t>(key >> 32)];
            const AppEntry& app = m_apps[static_cast<std::size_t>(key & 0xffffffffu)];
            Usage row;
            row.app_id = app.id;
            row.app_label = app.label;
            row.app_name = app.name;
            row.user_id = user.id;
            row.user_login = user.login;
            row.first_seen = Timestamp{std::chrono::seconds{stats.first}};
            row.last_seen = Timestamp{std::chrono::seconds{stats.last}};
            row.events = stats.events;
            row.events_in_window = stats.in_window;
            usage.push_back(std::move(row));
        }
        std::sort(usage.begin(), usage.end(), [](const Usage& a, const Usage& b) {
            return std::tie(a.app_label, a.user_login, a.app_id, a.user_id) <
                   std::tie(b.app_label, b.user_login, b.app_id, b.user_id);
        });
        return usage;
    }

private:
    std::uint32_t user_index(std::string_view key, std::string_view id, std::string_view login) {
        if (const auto it = m_user_ids.find(key); it != m_user_ids.end()) {
            UserEntry& user = m_users[it->second];
            if (user.login.empty() && !login.empty()) {
                user.login = normalize_email(login);
            }
            return it->second;
        }
        const auto index = static_cast<std::uint32_t>(m_users.size());
        m_users.push_back(UserEntry{std::string(id), normalize_email(login)});
        m_user_ids.emplace(std::string(key), index);
        return index;
    }

    std::uint32_t app_index(std::string_view id, std::string_view label, std::string_view name) {
        if (const auto it = m_app_ids.find(id); it != m_app_ids.end()) {
            AppEntry& app = m_apps[it->second];
            if (app.label.empty() && !label.empty()) {
                app.label = std::string(label);
            }
            if (app.name.empty() && !name.empty()) {
                app.name = std::string(name);
            }
            return it->second;
        }
        const auto index = static_cast<std::uint32_t>(m_apps.size());
        m_apps.push_back(AppEntry{std::string(id), std::string(label), std::string(name)});
        m_app_ids.emplace(std::string(id), index);
        return index;
    }

    std::int64_t m_as_of;
    std::int64_t m_window_start;
    IndexMap m_user_ids;
    IndexMap m_app_ids;
    std::vector<UserEntry> m_users;
    std::vector<AppEntry> m_apps;
    std::unordered_map<std::uint64_t, PairStats> m_pairs;
};

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

int digits(std::string_view s, std::size_t at, std::size_t count) noexcept {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (!is_digit(s[i])) {
            return -1;
        }
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

// Okta's own spelling, 2026-10-30T14:05:09.123Z, without going through the general parser.
std::optional<std::int64_t> fast_timestamp(std::string_view s) noexcept {
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
        return std::nullopt;
    }
    std::size_t i = 19;
    if (s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) {
            ++i;
        }
    }
    if (i + 1 != s.size() || s[i] != 'Z') {
        return std::nullopt;
    }
    const int year = digits(s, 0, 4);
    const int month = digits(s, 5, 2);
    const int day = digits(s, 8, 2);
    const int hour = digits(s, 11, 2);
    const int minute = digits(s, 14, 2);
    const int second = digits(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
        second > 60) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return std::int64_t{std::chrono::sys_days{ymd}.time_since_epoch().count()} * k_seconds_per_day +
           std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
}

enum class Verdict { counted, ignored };

// Why an event is a bad row; turned into an Error with file:line by the caller.
struct EventProblem {
    std::string message;
    std::string hint;
};

EventProblem json_problem(simdjson::error_code code, std::string_view where) {
    if (code == simdjson::INCORRECT_TYPE) {
        return EventProblem{cat(where, " has the wrong JSON type"),
                            "compare the event with Okta's System Log schema; the file may not be a System Log export"};
    }
    return EventProblem{cat(where, " is not valid JSON (", simdjson::error_message(code), ")"),
                        "fix or remove it; if the export was cut short, export the System Log again"};
}

// A string member that may also be null or absent: null reads as "".
simdjson::error_code optional_string(od::value value, std::string_view& out) {
    od::json_type type{};
    if (auto error = value.type().get(type)) {
        return error;
    }
    if (type == od::json_type::null) {
        out = {};
        return simdjson::SUCCESS;
    }
    return value.get_string().get(out);
}

// Equality with a literal in 8-byte words: the length is a constant, so this compiles to a few
// loads and compares instead of a memcmp call per object key. May read up to 7 bytes past `p`'s
// first N-1 bytes; every caller points into a padded simdjson buffer.
template <std::size_t N>
bool same_text(const char* p, const char (&literal)[N]) noexcept {
    constexpr std::size_t len = N - 1;
    std::size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        std::uint64_t a = 0;
        std::uint64_t b = 0;
        std::memcpy(&a, p + i, 8);
        std::memcpy(&b, literal + i, 8);
        if (a != b) {
            return false;
        }
    }
    for (; i < len; ++i) {
        if (p[i] != literal[i]) {
            return false;
        }
    }
    return true;
}

// A raw object key (simdjson's view just past the opening quote) equal to a literal.
template <std::size_t N>
bool key_is(const od::raw_json_string& key, const char (&name)[N]) noexcept {
    const char* raw = key.raw();
    return same_text(raw, name) && raw[N - 1] == '"';
}

// A string value (a view into the parser's padded string buffer) equal to a literal.
template <std::size_t N>
bool value_is(std::string_view value, const char (&literal)[N]) noexcept {
    return value.size() == N - 1 && same_text(value.data(), literal);
}

struct Target {
    std::string_view id;
    std::string_view label;
    std::string_view name;
    bool found = false;
};

simdjson::error_code read_targets(od::value value, Target& app) {
    od::array targets;
    if (auto error = value.get_array().get(targets)) {
        return error;
    }
    for (auto element : targets) {
        od::object target;
        if (auto error = element.get_object().get(target)) {
            return error;
        }
        std::string_view type, id, label, name;
        for (auto member : target) {
            od::field field;
            if (auto error = std::move(member).get(field)) {
                return error;
            }
            const od::raw_json_string key = field.key();
            std::string_view* slot = nullptr;
            if (key_is(key, "type")) {
                slot = &type;
            } else if (key_is(key, "id")) {
                slot = &id;
            } else if (key_is(key, "alternateId")) {
                slot = &label;
            } else if (key_is(key, "displayName")) {
                slot = &name;
            }
            if (slot != nullptr) {
                if (auto error = optional_string(field.value(), *slot)) {
                    return error;
                }
            }
        }
        if (!app.found && value_is(type, "AppInstance") && !id.empty()) {
            app = Target{id, label, name, true};
        }
    }
    return simdjson::SUCCESS;
}

// Parses one event in place. `capacity` is how many bytes from `data` may be read (>= len +
// SIMDJSON_PADDING). Returns whether it was counted or ignored, or why it is a bad row.
std::expected<Verdict, EventProblem> handle_event(od::parser& parser, const char* data, std::size_t len,
                                                  std::size_t capacity, Aggregator& aggregator) {
    od::document doc;
    if (auto error = parser.iterate(data, len, capacity).get(doc)) {
        return std::unexpected(json_problem(error, "the event"));
    }
    od::object event;
    if (auto error = doc.get_object().get(event)) {
        if (error == simdjson::INCORRECT_TYPE) {
            return std::unexpected(EventProblem{"the event is not a JSON object",
                                                "each line (or array element) must be one System Log event {...}"});
        }
        return std::unexpected(json_problem(error, "the event"));
    }

    std::string_view event_type, result, published, actor_id, actor_login;
    bool have_type = false;
    Target app;
    for (auto member : event) {
        od::field field;
        if (auto error = std::move(member).get(field)) {
            return std::unexpected(json_problem(error, "the event"));
        }
        const od::raw_json_string key = field.key();
        // eventType decides most events; reject the rest before touching their other fields.
        if (key_is(key, "eventType")) {
            if (auto error = field.value().get_string().get(event_type)) {
                return std::unexpected(json_problem(error, "eventType"));
            }
            if (!value_is(event_type, "user.authentication.sso")) {
                return Verdict::ignored;
            }
            have_type = true;
        } else if (key_is(key, "outcome")) {
            od::object outcome;
            if (auto error = field.value().get_object().get(outcome)) {
                return std::unexpected(json_problem(error, "outcome"));
            }
            for (auto outcome_member : outcome) {
                od::field outcome_field;
                if (auto error = std::move(outcome_member).get(outcome_field)) {
                    return std::unexpected(json_problem(error, "outcome"));
                }
                if (key_is(outcome_field.key(), "result")) {
                    if (auto error = optional_string(outcome_field.value(), result)) {
                        return std::unexpected(json_problem(error, "outcome.result"));
                    }
                    break;
                }
            }
            if (!value_is(result, "SUCCESS")) {
                return Verdict::ignored;
            }
        } else if (key_is(key, "published")) {
            if (auto error = optional_string(field.value(), published)) {
                return std::unexpected(json_problem(error, "published"));
            }
        } else if (key_is(key, "actor")) {
            od::object actor;
            if (auto error = field.value().get_object().get(actor)) {
                return std::unexpected(json_problem(error, "actor"));
            }
            for (auto actor_member : actor) {
                od::field actor_field;
                if (auto error = std::move(actor_member).get(actor_field)) {
                    return std::unexpected(json_problem(error, "actor"));
                }
                const od::raw_json_string actor_key = actor_field.key();
                if (key_is(actor_key, "id")) {
                    if (auto error = optional_string(actor_field.value(), actor_id)) {
                        return std::unexpected(json_problem(error, "actor.id"));
                    }
                } else if (key_is(actor_key, "alternateId")) {
                    if (auto error = optional_string(actor_field.value(), actor_login)) {
                        return std::unexpected(json_problem(error, "actor.alternateId"));
                    }
                }
            }
        } else if (key_is(key, "target")) {
            od::json_type type{};
            if (auto error = field.value().type().get(type)) {
                return std::unexpected(json_problem(error, "target"));
            }
            if (type == od::json_type::array) {
                if (auto error = read_targets(field.value(), app)) {
                    return std::unexpected(json_problem(error, "target"));
                }
            }
        }
    }

    if (!have_type) {
        return std::unexpected(EventProblem{"the event has no eventType",
                                            "this does not look like an Okta System Log event; check the export"});
    }
    if (!value_is(result, "SUCCESS")) {
        return Verdict::ignored;  // no outcome at all
    }
    std::int64_t when = 0;
    if (const auto fast = fast_timestamp(published)) {
        when = *fast;
    } else {
        auto parsed = parse_timestamp(published);
        if (!parsed || !parsed->has_value()) {
            return std::unexpected(EventProblem{
                published.empty() ? std::string("the SSO event has no published time")
                                  : cat("the SSO event's published time \"", published, "\" is not a timestamp"),
                "System Log events carry `published` as ISO 8601, e.g. 2026-10-30T14:05:09.123Z"});
        }
        when = (*parsed)->time_since_epoch().count();
    }
    if (when > aggregator.as_of()) {
        return Verdict::ignored;
    }
    if (!app.found) {
        return Verdict::ignored;
    }
    if (actor_id.empty() && actor_login.empty()) {
        return std::unexpected(EventProblem{"the SSO event's actor has neither id nor alternateId",
                                            "the user who signed in must be named by actor.id or actor.alternateId"});
    }
    aggregator.add(actor_id, actor_login, app.id, app.label, app.name, when);
    return Verdict::counted;
}

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// A read buffer over a file: data()[0, size()) holds file bytes and at least SIMDJSON_PADDING
// readable bytes always follow, so simdjson can parse any slice of it in place.
class ChunkBuffer {
public:
    ChunkBuffer(FilePtr file, std::size_t capacity)
        : m_file(std::move(file)), m_capacity(std::max<std::size_t>(capacity, 64)),
          m_data(std::make_unique<char[]>(m_capacity + simdjson::SIMDJSON_PADDING)) {}

    [[nodiscard]] const char* data() const noexcept { return m_data.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return m_size; }
    [[nodiscard]] bool eof() const noexcept { return m_eof; }
    // Bytes readable from `at` (file bytes plus padding).
    [[nodiscard]] std::size_t readable_from(std::size_t at) const noexcept {
        return m_capacity + simdjson::SIMDJSON_PADDING - at;
    }

    // Drops the bytes before `keep_from`, moves the rest to the front and reads more after
    // them; the buffer grows when what is kept already fills it. Sets eof() when the file ends.
    [[nodiscard]] bool refill(std::size_t keep_from) {
        const std::size_t kept = keep_from < m_size ? m_size - keep_from : 0;
        if (kept == m_capacity) {
            const std::size_t grown = m_capacity * 2;
            auto bigger = std::make_unique<char[]>(grown + simdjson::SIMDJSON_PADDING);
            std::memcpy(bigger.get(), m_data.get(), m_capacity);
            m_data = std::move(bigger);
            m_capacity = grown;
        } else if (kept > 0) {
            std::memmove(m_data.get(), m_data.get() + keep_from, kept);
        }
        m_size = kept;
        while (m_size < m_capacity) {
            const std::size_t n = std::fread(m_data.get() + m_size, 1, m_capacity - m_size, m_file.get());
            m_size += n;
            if (n == 0) {
                if (std::ferror(m_file.get()) != 0) {
                    return false;
                }
                m_eof = true;
                break;
            }
        }
        return true;
    }

private:
    FilePtr m_file;
    std::size_t m_capacity;
    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0;
    bool m_eof = false;
};

bool is_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// One file's pass: counters, the sink, and where errors point.
class FileReader {
public:
    FileReader(ChunkBuffer& buffer, std::string file, const SourceConfig& source, ReadContext& context,
               SourceReport& report, Aggregator& aggregator)
        : m_buffer(buffer), m_file(std::move(file)), m_source(source), m_context(context), m_report(report),
          m_aggregator(aggregator) {}

    Result<void> run() {
        std::size_t start = 0;
        if (!refill(0)) {
            return io_error();
        }
        if (m_buffer.size() >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0) {
            start = 3;
        }
        std::size_t first = start;
        while (true) {
            while (first < m_buffer.size() && is_space(m_buffer.data()[first])) {
                ++first;
            }
            if (first < m_buffer.size() || m_buffer.eof()) {
                break;
            }
            // Only whitespace so far: keep it (line numbers) and read on.
            if (!refill(start)) {
                return io_error();
            }
            first -= start;
            start = 0;
        }
        if (first >= m_buffer.size()) {
            return {};  // an empty export: no events
        }
        const char c = m_buffer.data()[first];
        if (c == '{') {
            return read_lines(start);
        }
        if (c == '[') {
            const auto newlines = std::count(m_buffer.data() + start, m_buffer.data() + first, '\n');
            return read_array(first + 1, 1 + static_cast<std::size_t>(newlines));
        }
        return fail(ErrorCode::json_malformed,
                    cat(m_file, " starts with '", c, "', not with '{' (JSON lines) or '[' (a JSON array)"),
                    Location{.source = m_source.name, .file = m_file, .line = 1},
                    "export the Okta System Log as JSON (an array of events, or one event per line)");
    }

private:
    bool refill(std::size_t keep_from) { return m_buffer.refill(keep_from); }

    Result<void> io_error() const {
        return fail(ErrorCode::io, cat("cannot read ", m_file, ": ", std::strerror(errno)),
                    Location{.source = m_source.name, .file = m_file}, "check the file is readable");
    }

    static constexpr std::size_t k_no_index = static_cast<std::size_t>(-1);

    // Array elements are located by index as well as line; the path is built only for errors.
    Result<void> bad_row(std::size_t line, std::size_t index, EventProblem problem, std::string_view raw) {
        std::string json_path = index == k_no_index ? std::string{} : cat("$[", index, "]");
        Error error;
        error.code = ErrorCode::json_malformed;
        error.message = std::move(problem.message);
        error.where = Location{.source = m_source.name, .file = m_file, .line = line, .json_path = std::move(json_path)};
        error.hint = std::move(problem.hint);
        return reject_row(m_context, m_report, error, raw);
    }

    Result<void> event(std::size_t at, std::size_t len, std::size_t line, std::size_t index) {
        const char* data = m_buffer.data() + at;
        auto verdict = handle_event(m_parser, data, len, m_buffer.readable_from(at), m_aggregator);
        if (!verdict) {
            return bad_row(line, index, std::move(verdict.error()), std::string_view(data, len));
        }
        if (*verdict == Verdict::counted) {
            ++m_report.records;
        } else {
            ++m_report.ignored;
        }
        return {};
    }

    Result<void> read_lines(std::size_t pos) {
        std::size_t line = 1;
        while (true) {
            const char* base = m_buffer.data();
            const std::size_t size = m_buffer.size();
            const void* found = pos < size ? std::memchr(base + pos, '\n', size - pos) : nullptr;
            if (found == nullptr && !m_buffer.eof()) {
                if (!refill(pos)) {
                    return io_error();
                }
                pos = 0;
                continue;
            }
            if (pos >= size) {
                return {};
            }
            const std::size_t end = found != nullptr ? static_cast<std::size_t>(static_cast<const char*>(found) - base) : size;
            std::size_t first = pos;
            std::size_t last = end;
            while (first < last && is_space(base[first])) {
                ++first;
            }
            while (last > first && is_space(base[last - 1])) {
                --last;
            }
            if (first < last) {
                if (auto done = event(first, last - first, line, k_no_index); !done) {
                    return done;
                }
            }
            pos = end + 1;
            ++line;
        }
    }

    struct Scan {
        bool complete = false;
        std::size_t length = 0;
        std::size_t newlines = 0;
    };

    // Finds where the JSON value starting at `begin` ends, tracking strings and nesting only.
    static Scan scan_value(const char* begin, const char* end) noexcept {
        const char* p = begin;
        int depth = 0;
        std::size_t newlines = 0;
        while (p < end) {
            const char c = *p;
            if (c == '"') {
                const char* q = p + 1;
                while (true) {
                    q = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(end - q)));
                    if (q == nullptr) {
                        return {};
                    }
                    const char* slash = q;
                    while (slash > p + 1 && slash[-1] == '\\') {
                        --slash;
                    }
                    if (((q - slash) & 1) == 0) {
                        break;
                    }
                    ++q;
                }
                p = q + 1;
                if (depth == 0) {
                    return {true, static_cast<std::size_t>(p - begin), newlines};
                }
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return {true, static_cast<std::size_t>(p - begin), newlines};
                }
                if (--depth == 0) {
                    return {true, static_cast<std::size_t>(p + 1 - begin), newlines};
                }
            } else if (depth == 0 && (c == ',' || is_space(c))) {
                return {true, static_cast<std::size_t>(p - begin), newlines};
            } else if (c == '\n') {
                ++newlines;
            }
            ++p;
        }
        return {};
    }

    Result<void> read_array(std::size_t pos, std::size_t line) {
        std::size_t index = 0;
        bool after_element = false;
        bool closed = false;
        while (true) {
            const char* base = m_buffer.data();
            const std::size_t size = m_buffer.size();
            while (pos < size && is_space(base[pos])) {
                line += base[pos] == '\n' ? 1 : 0;
                ++pos;
            }
            if (pos >= size) {
                if (m_buffer.eof()) {
                    break;
                }
                if (!refill(pos)) {
                    return io_error();
                }
                pos = 0;
                continue;
            }
            const char c = base[pos];
            if (closed) {
                return bad_row(line, k_no_index,
                               EventProblem{"text follows the closing ']' of the event array",
                                            "the export must hold one JSON array; remove what follows it"},
                               std::string_view(base + pos, std::min<std::size_t>(size - pos, 200)));
            }
            if (c == ']') {
                closed = true;
                ++pos;
                continue;
            }
            if (c == ',') {
                if (!after_element) {
                    if (auto done = bad_row(line, index,
                                            EventProblem{"stray ',' in the event array", "remove the extra comma"},
                                            ","); !done) {
                        return done;
                    }
                }
                after_element = false;
                ++pos;
                continue;
            }
            if (after_element) {
                if (auto done = bad_row(line, index,
                                        EventProblem{"missing ',' between two events of the array",
                                                     "separate the array's events with commas"},
                                        {}); !done) {
                    return done;
                }
            }
            const Scan scan = scan_value(base + pos, base + size);
            if (!scan.complete) {
                if (m_buffer.eof()) {
                    return bad_row(line, index,
                                   EventProblem{"the last event is cut short and the array is not closed",
                                                "the export looks truncated; export the System Log again"},
                                   std::string_view(base + pos, std::min<std::size_t>(size - pos, 4096)));
                }
                if (!refill(pos)) {
                    return io_error();
                }
                pos = 0;
                continue;
            }
            if (auto done = event(pos, scan.length, line, index); !done) {
                return done;
            }
            line += scan.newlines;
            pos += scan.length;
            ++index;
            after_element = true;
        }
        if (!closed) {
            return bad_row(line, k_no_index,
                           EventProblem{"the event array is not closed with ']'",
                                        "the export looks truncated; export the System Log again"},
                           {});
        }
        return {};
    }

    ChunkBuffer& m_buffer;
    std::string m_file;
    const SourceConfig& m_source;
    ReadContext& m_context;
    SourceReport& m_report;
    Aggregator& m_aggregator;
    od::parser m_parser;
};

// The files to read: each configured file, and for a folder (a snapshot of the "logs" endpoint
// or pages saved by hand in that layout) its pages in order, each a JSON array of events.
Result<std::vector<std::filesystem::path>> log_files(const SourceConfig& source) {
    std::vector<std::filesystem::path> files;
    for (const auto& path : source.paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            files.push_back(path);
            continue;
        }
        auto pages = endpoint_pages(path, "logs");
        if (pages.empty()) {
            return fail(ErrorCode::not_found,
                        cat("no saved System Log pages in ", path.string(), " (expected ",
                            (path / "logs" / "page-00001.json").string(), ")"),
                        Location{.source = source.name, .file = path.string()},
                        "run `stackaudit pull` for this source, or point inputs.okta_log.path at an exported log file");
        }
        files.insert(files.end(), pages.begin(), pages.end());
    }
    return files;
}

}  // namespace

Result<void> read_with(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report,
                       const ReaderOptions& options) {
    Aggregator aggregator(context.as_of.time_since_epoch().count(), context.window_days);
    auto files = log_files(source);
    if (!files) {
        return std::unexpected(std::move(files.error()));
    }
    for (const auto& path : *files) {
        FilePtr file(std::fopen(path.c_str(), "rb"), &std::fclose);
        if (!file) {
            return fail(ErrorCode::io,
                        cat("cannot open ", path.string(), ": ", std::strerror(errno)),
                        Location{.source = source.name, .file = path.string()},
                        "check the path under inputs.okta_log and that the file is readable");
        }
        ChunkBuffer buffer(std::move(file), options.chunk_bytes);
        FileReader reader(buffer, path.string(), source, context, report, aggregator);
        if (auto done = reader.run(); !done) {
            return done;
        }
    }
    out.usage = aggregator.take_usage();
    report.sso_usage = true;
    return {};
}

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    return read_with(source, context, out, report, ReaderOptions{});
}

}  // namespace stackaudit::connectors::okta_log
