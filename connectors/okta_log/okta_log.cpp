// The Okta System Log reader: a streaming pass over JSON lines or a JSON array with simdjson
// On-Demand, aggregating successful SSO events per (user, app).
//
// JSON lines, the usual export, are read by several threads at once: the file is cut into
// ranges at line boundaries, each thread reads its range with pread() into its own buffer of
// ReaderOptions::chunk_bytes, screens each line (line_screen.hpp: a line that cannot be an SSO
// event is counted without parsing), parses the rest in place and tallies them into its own
// Tally (tally.hpp). The ranges' tallies, counts and bad rows are then merged in file order, so
// the output, the bad rows and their line numbers do not depend on the number of threads.
// Memory is the threads' buffers plus the tallies: it does not grow with the file.
//
// Each event is parsed on its own, inside the read buffer (the bytes after it serve as
// simdjson's padding). Parsing per line rather than with iterate_many keeps a malformed line
// from swallowing the lines after it (iterate_many resynchronises on braces, not newlines) and
// gives exact line numbers for bad rows. A JSON array (and the saved API pages, which are
// arrays) is read by one thread: its elements can span lines, so it cannot be cut blindly.
#include "okta_log/okta_log.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "okta_log/line_screen.hpp"
#include "okta_log/tally.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/core/parallel.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::okta_log {

namespace {

namespace od = simdjson::ondemand;

constexpr std::int64_t k_seconds_per_day = 86400;

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

// Longest line the JSON lines reader keeps (events are 1-2 KB; Okta caps them far below this).
constexpr std::size_t k_max_line_bytes = std::size_t{16} << 20;

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
                                                  std::size_t capacity, Tally& tally) {
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
    if (when > tally.as_of()) {
        return Verdict::ignored;
    }
    if (!app.found) {
        return Verdict::ignored;
    }
    if (actor_id.empty() && actor_login.empty()) {
        return std::unexpected(EventProblem{"the SSO event's actor has neither id nor alternateId",
                                            "the user who signed in must be named by actor.id or actor.alternateId"});
    }
    tally.add(actor_id, actor_login, app.id, app.label, app.name, when);
    return Verdict::counted;
}

// handle_event() in place, where the bytes after the event are whatever the buffer holds next.
// simdjson reads into them only for malformed JSON, but then what the event is blamed for can
// depend on them (found by fuzz_okta_log: the same bad line was "ended early" on one thread and
// "has no eventType" on three). A failing event is parsed again from a copy padded with spaces,
// so a bad row's message depends on its own bytes alone. The tally is only touched on success.
std::expected<Verdict, EventProblem> handle_event_stable(od::parser& parser, const char* data, std::size_t len,
                                                         std::size_t capacity, Tally& tally) {
    auto verdict = handle_event(parser, data, len, capacity, tally);
    if (verdict) {
        return verdict;
    }
    std::string copy(data, len);
    copy.append(simdjson::SIMDJSON_PADDING, ' ');
    return handle_event(parser, copy.data(), len, copy.size(), tally);
}

bool is_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// An open file descriptor, closed when it goes out of scope.
class FileHandle {
public:
    explicit FileHandle(int fd) noexcept : m_fd(fd) {}
    ~FileHandle() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;
    [[nodiscard]] int get() const noexcept { return m_fd; }

private:
    int m_fd;
};

// Reads up to `size` bytes at `offset`; fewer only at the end of the file. -1 on error (errno).
std::ptrdiff_t read_at(int fd, char* out, std::size_t size, std::uint64_t offset) noexcept {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (n == 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    return static_cast<std::ptrdiff_t>(done);
}

// A read buffer over the bytes [begin, end) of a file: data()[0, size()) holds file bytes and at
// least SIMDJSON_PADDING readable bytes always follow, so simdjson can parse any slice of it in
// place (and the line screen may read past a line's end).
class ChunkBuffer {
public:
    ChunkBuffer(int fd, std::uint64_t begin, std::uint64_t end, std::size_t capacity)
        : m_fd(fd), m_next(begin), m_end(end), m_capacity(std::max<std::size_t>(capacity, 64)),
          m_data(std::make_unique_for_overwrite<char[]>(m_capacity + simdjson::SIMDJSON_PADDING)) {}

    [[nodiscard]] const char* data() const noexcept { return m_data.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return m_size; }
    [[nodiscard]] bool eof() const noexcept { return m_eof; }
    // Bytes readable from `at` (file bytes plus padding).
    [[nodiscard]] std::size_t readable_from(std::size_t at) const noexcept {
        return m_capacity + simdjson::SIMDJSON_PADDING - at;
    }

    // Drops the bytes before `keep_from`, moves the rest to the front and reads more after
    // them; the buffer grows when what is kept already fills it. Sets eof() at the end of the
    // range. False on a read error (errno).
    [[nodiscard]] bool refill(std::size_t keep_from) {
        const std::size_t kept = keep_from < m_size ? m_size - keep_from : 0;
        if (kept == m_capacity) {
            const std::size_t grown = m_capacity * 2;
            auto bigger = std::make_unique_for_overwrite<char[]>(grown + simdjson::SIMDJSON_PADDING);
            std::memcpy(bigger.get(), m_data.get(), m_capacity);
            m_data = std::move(bigger);
            m_capacity = grown;
        } else if (kept > 0) {
            std::memmove(m_data.get(), m_data.get() + keep_from, kept);
        }
        m_size = kept;
        const std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(m_capacity - m_size, m_end - m_next));
        const std::ptrdiff_t n = read_at(m_fd, m_data.get() + m_size, want, m_next);
        if (n < 0) {
            return false;
        }
        m_size += static_cast<std::size_t>(n);
        m_next += static_cast<std::uint64_t>(n);
        if (m_next >= m_end || static_cast<std::size_t>(n) < want) {
            m_eof = true;
        }
        return true;
    }

private:
    int m_fd;
    std::uint64_t m_next;
    std::uint64_t m_end;
    std::size_t m_capacity;
    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0;
    bool m_eof = false;
};

constexpr std::size_t k_no_index = static_cast<std::size_t>(-1);

// One file being read: where errors point and where rows and counts go.
class FileScope {
public:
    FileScope(std::string file, const SourceConfig& source, ReadContext& context, SourceReport& report)
        : m_file(std::move(file)), m_source(source), m_context(context), m_report(report) {}

    [[nodiscard]] const std::string& file() const noexcept { return m_file; }
    [[nodiscard]] SourceReport& report() noexcept { return m_report; }
    [[nodiscard]] ReadContext& context() noexcept { return m_context; }

    [[nodiscard]] Result<void> io_error(int error) const {
        return fail(ErrorCode::io, cat("cannot read ", m_file, ": ", std::strerror(error)),
                    Location{.source = m_source.name, .file = m_file}, "check the file is readable");
    }

    [[nodiscard]] Result<void> not_json(char c) const {
        return fail(ErrorCode::json_malformed,
                    cat(m_file, " starts with '", c, "', not with '{' (JSON lines) or '[' (a JSON array)"),
                    Location{.source = m_source.name, .file = m_file, .line = 1},
                    "export the Okta System Log as JSON (an array of events, or one event per line)");
    }

    // Array elements are located by index as well as line; the path is built only for errors.
    [[nodiscard]] Result<void> bad_row(std::size_t line, std::size_t index, EventProblem problem, std::string_view raw) {
        std::string json_path = index == k_no_index ? std::string{} : cat("$[", index, "]");
        Error error;
        error.code = ErrorCode::json_malformed;
        error.message = std::move(problem.message);
        error.where = Location{.source = m_source.name, .file = m_file, .line = line, .json_path = std::move(json_path)};
        error.hint = std::move(problem.hint);
        return reject_row(m_context, m_report, error, raw);
    }

private:
    std::string m_file;
    const SourceConfig& m_source;
    ReadContext& m_context;
    SourceReport& m_report;
};

// Where a file's content starts: after a UTF-8 byte order mark, then the first non-space byte.
struct Opening {
    std::uint64_t body = 0;   // first byte after the BOM
    std::uint64_t first = 0;  // first non-space byte
    std::size_t line = 1;     // its line
    char c = 0;               // the byte itself; 0 when the file holds only whitespace
};

// False on a read error (errno).
bool find_opening(int fd, std::uint64_t size, Opening& out) {
    constexpr std::size_t k_window = 64 * 1024;
    auto window = std::make_unique_for_overwrite<char[]>(k_window);
    std::uint64_t at = 0;
    while (at < size) {
        const std::ptrdiff_t n = read_at(fd, window.get(), k_window, at);
        if (n < 0) {
            return false;
        }
        if (n == 0) {
            break;
        }
        std::size_t i = 0;
        if (at == 0 && n >= 3 && std::memcmp(window.get(), "\xEF\xBB\xBF", 3) == 0) {
            i = 3;
            out.body = 3;
        }
        for (; i < static_cast<std::size_t>(n); ++i) {
            const char c = window[i];
            if (!is_space(c)) {
                out.first = at + i;
                out.c = c;
                return true;
            }
            out.line += c == '\n' ? 1 : 0;
        }
        at += static_cast<std::uint64_t>(n);
    }
    return true;
}

// A JSON array of events, read by one thread.
class ArrayReader {
public:
    ArrayReader(int fd, std::uint64_t begin, std::uint64_t end, std::size_t chunk_bytes, FileScope& scope,
                Tally& tally)
        : m_buffer(fd, begin, end, chunk_bytes), m_scope(scope), m_tally(tally) {}

    // Reads the elements after the opening '[' (on line `line`).
    Result<void> run(std::size_t line) {
        if (!m_buffer.refill(0)) {
            return m_scope.io_error(errno);
        }
        return read_array(0, line);
    }

private:
    bool refill(std::size_t keep_from) { return m_buffer.refill(keep_from); }

    Result<void> event(std::size_t at, std::size_t len, std::size_t line, std::size_t index) {
        const char* data = m_buffer.data() + at;
        auto verdict = handle_event_stable(m_parser, data, len, m_buffer.readable_from(at), m_tally);
        if (!verdict) {
            return m_scope.bad_row(line, index, std::move(verdict.error()), std::string_view(data, len));
        }
        if (*verdict == Verdict::counted) {
            ++m_scope.report().records;
        } else {
            ++m_scope.report().ignored;
        }
        return {};
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
                    return m_scope.io_error(errno);
                }
                pos = 0;
                continue;
            }
            const char c = base[pos];
            if (closed) {
                return m_scope.bad_row(line, k_no_index,
                                       EventProblem{"text follows the closing ']' of the event array",
                                                    "the export must hold one JSON array; remove what follows it"},
                                       std::string_view(base + pos, std::min<std::size_t>(size - pos, 200)));
            }
            if (c == ']') {
                closed = true;
                ++pos;
                continue;
            }
            if (c == '}') {
                // A closing brace where an event should start would scan as an empty value.
                if (auto done = m_scope.bad_row(line, index,
                                                EventProblem{"stray '}' in the event array",
                                                             "remove it; each event is one {...} object"},
                                                "}");
                    !done) {
                    return done;
                }
                ++pos;
                continue;
            }
            if (c == ',') {
                if (!after_element) {
                    if (auto done = m_scope.bad_row(
                            line, index, EventProblem{"stray ',' in the event array", "remove the extra comma"}, ",");
                        !done) {
                        return done;
                    }
                }
                after_element = false;
                ++pos;
                continue;
            }
            if (after_element) {
                if (auto done = m_scope.bad_row(line, index,
                                                EventProblem{"missing ',' between two events of the array",
                                                             "separate the array's events with commas"},
                                                {});
                    !done) {
                    return done;
                }
            }
            const Scan scan = scan_value(base + pos, base + size);
            if (!scan.complete) {
                if (m_buffer.eof()) {
                    return m_scope.bad_row(line, index,
                                           EventProblem{"the last event is cut short and the array is not closed",
                                                        "the export looks truncated; export the System Log again"},
                                           std::string_view(base + pos, std::min<std::size_t>(size - pos, 4096)));
                }
                if (!refill(pos)) {
                    return m_scope.io_error(errno);
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
            return m_scope.bad_row(line, k_no_index,
                                   EventProblem{"the event array is not closed with ']'",
                                                "the export looks truncated; export the System Log again"},
                                   {});
        }
        return {};
    }

    ChunkBuffer m_buffer;
    FileScope& m_scope;
    Tally& m_tally;
    od::parser m_parser;
};

// --- JSON lines, in parallel ranges ---------------------------------------------------------

// Under --on-bad-row skip a range keeps this many bad rows whole and only counts the rest: the
// sink keeps no more than a few samples per source then, and a file of garbage must not make a
// thread hold every line of it. (Under collect the sink keeps them all anyway.)
constexpr std::size_t k_kept_bad_rows = 16;
constexpr std::size_t k_kept_raw_bytes = 4096;  // what the sink keeps of a row

struct PendingRow {
    std::size_t line = 0;  // lines before it in its range
    EventProblem problem;
    std::string raw;
};

// What one thread found in its range of lines. Each on its own cache lines: threads that wrote
// counters next to each other would slow each other down.
struct alignas(64) LineRange {
    LineRange(std::int64_t as_of, std::int64_t window_start) : tally(as_of, window_start) {}

    Tally tally;
    std::size_t lines = 0;  // newlines passed
    std::size_t records = 0;
    std::size_t ignored = 0;
    std::vector<PendingRow> bad;  // in file order
    std::size_t bad_counted = 0;  // further bad rows, counted only (skip)
    int read_error = 0;           // errno of a failed read
    std::string internal_error;   // what() of an exception (allocation failure)
};

struct LineJob {
    int fd = -1;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::size_t chunk_bytes = 0;
    std::size_t index = 0;  // ranges are numbered in file order
    BadRowPolicy policy = BadRowPolicy::fail;
    std::atomic<std::size_t>* first_failed = nullptr;  // lowest range stopped by a bad row (fail)
};

// Keeps a bad row for the merge. False when the range must stop: under fail its first bad row
// ends the read, and later ranges need not go on.
bool keep_bad_row(const LineJob& job, LineRange& out, std::size_t line, EventProblem problem, std::string_view raw) {
    if (job.policy == BadRowPolicy::skip && out.bad.size() >= k_kept_bad_rows) {
        ++out.bad_counted;
        return true;
    }
    out.bad.push_back(PendingRow{line, std::move(problem), std::string(raw.substr(0, k_kept_raw_bytes))});
    if (job.policy != BadRowPolicy::fail) {
        return true;
    }
    std::size_t seen = job.first_failed->load(std::memory_order_relaxed);
    while (job.index < seen && !job.first_failed->compare_exchange_weak(seen, job.index)) {
    }
    return false;
}

void read_line_range(const LineJob& job, LineRange& out) {
    ChunkBuffer buffer(job.fd, job.begin, job.end, job.chunk_bytes);
    od::parser parser;
    if (!buffer.refill(0)) {
        out.read_error = errno;
        return;
    }
    std::size_t pos = 0;
    while (true) {
        const char* base = buffer.data();
        const std::size_t size = buffer.size();
        const void* found = pos < size ? std::memchr(base + pos, '\n', size - pos) : nullptr;
        if (found == nullptr && !buffer.eof()) {
            // An earlier range already ended the read under --on-bad-row fail: this one is moot.
            if (job.first_failed->load(std::memory_order_relaxed) < job.index) {
                return;
            }
            if (size - pos >= k_max_line_bytes) {
                // No System Log event is this long: a bad row, and the rest of the line is read
                // past without being kept, so memory stays bounded whatever the file holds.
                EventProblem problem{cat("the line is longer than ", k_max_line_bytes >> 20, " MiB (no System Log event is)"),
                                     "the file is not a JSON lines System Log export, or lines were joined; "
                                     "export the System Log again"};
                if (!keep_bad_row(job, out, out.lines, std::move(problem), std::string_view(base + pos, 256))) {
                    return;
                }
                bool ended = false;
                while (!ended) {
                    if (!buffer.refill(buffer.size())) {
                        out.read_error = errno;
                        return;
                    }
                    const void* nl = std::memchr(buffer.data(), '\n', buffer.size());
                    if (nl != nullptr) {
                        pos = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data()) + 1;
                        ++out.lines;
                        ended = true;
                    } else if (buffer.eof()) {
                        return;
                    }
                }
                continue;
            }
            if (!buffer.refill(pos)) {
                out.read_error = errno;
                return;
            }
            pos = 0;
            continue;
        }
        if (pos >= size) {
            return;
        }
        const std::size_t end =
            found != nullptr ? static_cast<std::size_t>(static_cast<const char*>(found) - base) : size;
        std::size_t first = pos;
        std::size_t last = end;
        while (first < last && is_space(base[first])) {
            ++first;
        }
        while (last > first && is_space(base[last - 1])) {
            --last;
        }
        if (first < last) {
            if (screen_line(base + first, base + last) == Screen::skip) {
                ++out.ignored;
            } else {
                auto verdict = handle_event_stable(parser, base + first, last - first, buffer.readable_from(first), out.tally);
                if (!verdict) {
                    if (!keep_bad_row(job, out, out.lines, std::move(verdict.error()),
                                      std::string_view(base + first, last - first))) {
                        return;
                    }
                } else if (*verdict == Verdict::counted) {
                    ++out.records;
                } else {
                    ++out.ignored;
                }
            }
        }
        if (found == nullptr) {
            return;
        }
        pos = end + 1;
        ++out.lines;
    }
}

// Range starts: `begin`, then just after the first newline at or after each equal share.
std::vector<std::uint64_t> cut_ranges(int fd, std::uint64_t begin, std::uint64_t end, std::size_t parts) {
    std::vector<std::uint64_t> cuts{begin};
    constexpr std::size_t k_window = 64 * 1024;
    auto window = std::make_unique_for_overwrite<char[]>(k_window);
    for (std::size_t k = 1; k < parts; ++k) {
        std::uint64_t at = std::max(cuts.back(), begin + (end - begin) / parts * k);
        std::optional<std::uint64_t> cut;
        while (at < end && !cut) {
            const std::ptrdiff_t n = read_at(fd, window.get(), k_window, at);
            if (n <= 0) {
                break;  // a read error shows again, and is reported, when the range is read
            }
            if (const void* nl = std::memchr(window.get(), '\n', static_cast<std::size_t>(n))) {
                cut = at + static_cast<std::uint64_t>(static_cast<const char*>(nl) - window.get()) + 1;
            }
            at += static_cast<std::uint64_t>(n);
        }
        if (!cut || *cut >= end) {
            break;
        }
        cuts.push_back(*cut);
    }
    cuts.push_back(end);
    return cuts;
}

unsigned thread_count(const ReaderOptions& options, const ReadContext& context) {
    return resolve_threads(options.threads != 0 ? options.threads : context.threads);
}

Result<void> read_lines(int fd, std::uint64_t begin, std::uint64_t end, const ReaderOptions& options,
                        FileScope& scope, Tally& tally) {
    const std::uint64_t min_range = std::max<std::uint64_t>(1, options.min_range_bytes);
    const std::size_t parts = static_cast<std::size_t>(std::clamp<std::uint64_t>(
        (end - begin) / min_range, 1, thread_count(options, scope.context())));
    const std::vector<std::uint64_t> cuts = cut_ranges(fd, begin, end, parts);
    const std::size_t ranges = cuts.size() - 1;

    std::atomic<std::size_t> first_failed{std::numeric_limits<std::size_t>::max()};
    std::vector<LineJob> jobs;
    std::vector<std::unique_ptr<LineRange>> results;
    jobs.reserve(ranges);
    results.reserve(ranges);
    for (std::size_t i = 0; i < ranges; ++i) {
        jobs.push_back(LineJob{fd, cuts[i], cuts[i + 1], options.chunk_bytes, i, scope.context().rows.policy(),
                               &first_failed});
        results.push_back(std::make_unique<LineRange>(tally.as_of(), tally.window_start()));
    }
    const auto work = [&](std::size_t i) noexcept {
        try {
            read_line_range(jobs[i], *results[i]);
        } catch (const std::exception& e) {
            results[i]->internal_error = e.what();
            std::size_t seen = first_failed.load();
            while (i < seen && !first_failed.compare_exchange_weak(seen, i)) {
            }
        }
    };
    run_parts(ranges, work);  // a range no thread can be started for is read on this one

    // Merge in file order, as if one thread had read the whole file.
    std::size_t line = 1;
    for (auto& owned : results) {
        LineRange& range = *owned;
        if (!range.internal_error.empty()) {
            return fail(ErrorCode::internal, cat("reading ", scope.file(), " failed: ", range.internal_error), {},
                        "this is a bug or the machine ran out of memory; please report it");
        }
        scope.report().records += range.records;
        scope.report().ignored += range.ignored;
        for (PendingRow& row : range.bad) {
            if (auto done = scope.bad_row(line + row.line, k_no_index, std::move(row.problem), row.raw); !done) {
                return done;
            }
        }
        for (std::size_t i = 0; i < range.bad_counted; ++i) {
            if (auto done = scope.bad_row(0, k_no_index, EventProblem{"a further bad line (not kept)", {}}, {}); !done) {
                return done;
            }
        }
        if (range.read_error != 0) {
            return scope.io_error(range.read_error);
        }
        if (tally.empty()) {
            tally = std::move(range.tally);  // the same as merging into nothing, without the copying
        } else {
            tally.merge(range.tally);
        }
        line += range.lines;
        owned.reset();  // a big log's range tallies are large: hold at most one besides the total
    }
    return {};
}

Result<void> read_file(const std::filesystem::path& path, const SourceConfig& source, ReadContext& context,
                       SourceReport& report, const ReaderOptions& options, Tally& tally) {
    FileHandle file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat info {};
    if (file.get() < 0 || ::fstat(file.get(), &info) != 0) {
        return fail(ErrorCode::io, cat("cannot open ", path.string(), ": ", std::strerror(errno)),
                    Location{.source = source.name, .file = path.string()},
                    "check the path under inputs.okta_log and that the file is readable");
    }
    (void)::posix_fadvise(file.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    const auto size = static_cast<std::uint64_t>(info.st_size);
    FileScope scope(path.string(), source, context, report);
    Opening opening;
    if (!find_opening(file.get(), size, opening)) {
        return scope.io_error(errno);
    }
    switch (opening.c) {
        case 0:
            return {};  // an empty export: no events
        case '{':
            return read_lines(file.get(), opening.body, size, options, scope, tally);
        case '[': {
            ArrayReader reader(file.get(), opening.first + 1, size, options.chunk_bytes, scope, tally);
            return reader.run(opening.line);
        }
        default:
            return scope.not_json(opening.c);
    }
}

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
    const std::int64_t as_of = context.as_of.time_since_epoch().count();
    Tally tally(as_of, as_of - std::int64_t{context.window_days} * k_seconds_per_day);
    auto files = log_files(source);
    if (!files) {
        return std::unexpected(std::move(files.error()));
    }
    for (const auto& path : *files) {
        if (auto done = read_file(path, source, context, report, options, tally); !done) {
            return done;
        }
    }
    // No event at all is a broken export, not a company where nobody signed in: read as "ok" it
    // would make every seat look idle. The source fails, so usage rules are not evaluated.
    if (report.records == 0 && report.ignored == 0 && report.rejected == 0) {
        const std::string where = files->size() == 1 ? files->front().string() : source.paths.front().string();
        return fail(ErrorCode::source_failed, cat("the System Log holds no events (", where, " is empty)"),
                    Location{.source = source.name, .file = where},
                    "export the System Log again for the whole audit period (or pull it with `stackaudit pull`); "
                    "without it no seat can be judged idle");
    }
    out.usage = tally.take_usage();
    report.sso_usage = true;
    return {};
}

Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report) {
    return read_with(source, context, out, report, ReaderOptions{});
}

}  // namespace stackaudit::connectors::okta_log
