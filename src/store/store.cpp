// Opening the history database (schema creation and version check) and recording a run: one
// transaction per run, so a run killed at any point leaves the earlier runs exactly as they were.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "impl.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::store {

namespace {

using detail::Database;
using detail::Statement;

// Version 1. Findings are stored per run as reported (with their lifecycle state), and
// finding_index keeps each finding id's first sighting and the last run that reported it, so
// the lifecycle of a new run needs one lookup per finding. resolutions records every
// "open in the previous run, absent now" event for decision latency.
constexpr const char* k_schema_v1 = R"sql(
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  as_of       TEXT NOT NULL,
  config_file TEXT NOT NULL,
  partial     INTEGER NOT NULL CHECK (partial IN (0, 1)),
  exit_code   INTEGER NOT NULL
);
CREATE TABLE run_sources (
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL,
  path         TEXT NOT NULL,
  ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
  records      INTEGER NOT NULL,
  rejected     INTEGER NOT NULL,
  ignored      INTEGER NOT NULL,
  fetched_at   TEXT NOT NULL,
  stale        INTEGER NOT NULL CHECK (stale IN (0, 1)),
  stale_reason TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE findings (
  run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  finding_id      TEXT NOT NULL,
  rule_id         TEXT NOT NULL,
  rule_title      TEXT NOT NULL,
  severity        TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  category        TEXT NOT NULL,
  tool            TEXT NOT NULL,
  department      TEXT NOT NULL,
  subject_kind    TEXT NOT NULL,
  subject_key     TEXT NOT NULL,
  owners_json     TEXT NOT NULL,
  message         TEXT NOT NULL,
  money           REAL,
  evidence_json   TEXT NOT NULL,
  remediation     TEXT NOT NULL,
  waived          INTEGER NOT NULL CHECK (waived IN (0, 1)),
  waiver_reason   TEXT NOT NULL,
  waiver_approver TEXT NOT NULL,
  waiver_expires  TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('new', 'open', 'reopened')),
  first_seen      TEXT NOT NULL,
  age_days        INTEGER NOT NULL,
  PRIMARY KEY (run_id, finding_id)
);
CREATE INDEX findings_by_tool ON findings (tool COLLATE NOCASE, run_id);
CREATE TABLE finding_index (
  finding_id    TEXT PRIMARY KEY,
  first_seen    TEXT NOT NULL,
  first_run     INTEGER NOT NULL REFERENCES runs(id),
  last_seen_run INTEGER NOT NULL REFERENCES runs(id)
);
CREATE TABLE resolutions (
  finding_id  TEXT NOT NULL,
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  last_run_id INTEGER NOT NULL REFERENCES runs(id),
  first_seen  TEXT NOT NULL,
  resolved_on TEXT NOT NULL,
  PRIMARY KEY (finding_id, run_id)
);
CREATE TABLE tool_figures (
  run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  tool              TEXT NOT NULL,
  owning_department TEXT NOT NULL,
  assigned          INTEGER,
  active            INTEGER,
  purchased         INTEGER,
  utilisation       REAL,
  annual_cost       REAL,
  PRIMARY KEY (run_id, tool)
);
CREATE TABLE scores (
  run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  department     TEXT NOT NULL,
  score          REAL NOT NULL,
  breakdown_json TEXT NOT NULL,
  PRIMARY KEY (run_id, department)
);
PRAGMA user_version = 1;
)sql";

// Schema version 2 adds the latest run's graph (snapshot.cpp).
constexpr const char* k_to_v2 = "PRAGMA user_version = 2;";

// Rolls back unless committed: an early return or a failed statement never leaves half a run.
class Transaction {
public:
    explicit Transaction(Database& db) : m_db(db) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction() {
        if (m_open) (void)m_db.exec("ROLLBACK");
    }
    [[nodiscard]] Result<void> begin() {
        // IMMEDIATE takes the write lock up front, so a concurrent writer fails here, not midway.
        auto r = m_db.exec("BEGIN IMMEDIATE");
        if (r) m_open = true;
        return r;
    }
    [[nodiscard]] Result<void> commit() {
        auto r = m_db.exec("COMMIT");
        if (r) m_open = false;
        return r;
    }

private:
    Database& m_db;
    bool m_open = false;
};

Result<int> user_version(Database& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt) return std::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    return *row ? static_cast<int>(stmt->integer(0)) : 0;
}

Result<std::int64_t> count_schema_objects(Database& db) {
    auto stmt = db.prepare("SELECT count(*) FROM sqlite_master");
    if (!stmt) return std::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    return *row ? stmt->integer(0) : 0;
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

// A cursor over the JSON the writers above produce (strings, arrays, commas, whitespace).
struct JsonCursor {
    std::string_view text;
    std::size_t pos = 0;

    void skip_ws() {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\t' || text[pos] == '\r'))
            ++pos;
    }
    bool eat(char c) {
        skip_ws();
        if (pos < text.size() && text[pos] == c) {
            ++pos;
            return true;
        }
        return false;
    }
    static void append_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    std::optional<std::uint32_t> hex4() {
        if (pos + 4 > text.size()) return std::nullopt;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = text[pos++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
            else return std::nullopt;
        }
        return v;
    }
    std::optional<std::string> string() {
        if (!eat('"')) return std::nullopt;
        std::string out;
        while (pos < text.size()) {
            const char c = text[pos++];
            if (c == '"') return out;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos >= text.size()) return std::nullopt;
            const char e = text[pos++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    auto cp = hex4();
                    if (!cp) return std::nullopt;
                    if (*cp >= 0xD800 && *cp < 0xDC00 && pos + 6 <= text.size() && text[pos] == '\\' &&
                        text[pos + 1] == 'u') {
                        pos += 2;
                        auto lo = hex4();
                        if (!lo) return std::nullopt;
                        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*lo - 0xDC00);
                    }
                    append_utf8(out, *cp);
                    break;
                }
                default: return std::nullopt;
            }
        }
        return std::nullopt;
    }
    bool at_end() {
        skip_ws();
        return pos == text.size();
    }
};

struct PreviousRun {
    std::int64_t id = 0;
    std::string as_of;
};

struct IndexEntry {
    std::string first_seen;
    std::int64_t last_seen_run = 0;
};

}  // namespace

namespace detail {

std::string json_string_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        append_json_string(out, items[i]);
    }
    return out + "]";
}

std::string json_pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::string out = "[";
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (i > 0) out += ',';
        out += '[';
        append_json_string(out, pairs[i].first);
        out += ',';
        append_json_string(out, pairs[i].second);
        out += ']';
    }
    return out + "]";
}

std::optional<std::vector<std::string>> parse_string_array(std::string_view json) {
    JsonCursor c{json};
    std::vector<std::string> out;
    if (!c.eat('[')) return std::nullopt;
    if (!c.eat(']')) {
        do {
            auto s = c.string();
            if (!s) return std::nullopt;
            out.push_back(std::move(*s));
        } while (c.eat(','));
        if (!c.eat(']')) return std::nullopt;
    }
    if (!c.at_end()) return std::nullopt;
    return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_pairs(std::string_view json) {
    JsonCursor c{json};
    std::vector<std::pair<std::string, std::string>> out;
    if (!c.eat('[')) return std::nullopt;
    if (!c.eat(']')) {
        do {
            if (!c.eat('[')) return std::nullopt;
            auto name = c.string();
            if (!name || !c.eat(',')) return std::nullopt;
            auto value = c.string();
            if (!value || !c.eat(']')) return std::nullopt;
            out.emplace_back(std::move(*name), std::move(*value));
        } while (c.eat(','));
        if (!c.eat(']')) return std::nullopt;
    }
    if (!c.at_end()) return std::nullopt;
    return out;
}

std::int64_t days_between_dates(const std::string& a, const std::string& b) {
    auto da = parse_date(a);
    auto db = parse_date(b);
    if (!da || !db || !*da || !*db) return 0;
    return days_between(**da, **db);
}

Result<Finding> finding_from_row(const Statement& row, const std::string& db_path) {
    Finding f;
    f.id = row.text(0);
    f.rule_id = row.text(1);
    f.rule_title = row.text(2);
    auto severity = parse_severity(row.text(3));
    f.severity = severity ? *severity : Severity::medium;
    f.category = row.text(4);
    f.tool = row.text(5);
    f.department = row.text(6);
    f.subject_kind = row.text(7);
    f.subject_key = row.text(8);
    auto owners = parse_string_array(row.text(9));
    auto evidence = parse_pairs(row.text(12));
    if (!owners || !evidence) {
        return fail(ErrorCode::io, "finding " + f.id + " has malformed owners or evidence in the history database",
                    Location{.source = "history", .file = db_path},
                    "the database was edited outside stackaudit; restore it from a backup");
    }
    f.owners = std::move(*owners);
    f.message = row.text(10);
    f.money_at_stake = row.opt_real(11);
    f.evidence = std::move(*evidence);
    f.remediation = row.text(13);
    f.waived = row.integer(14) != 0;
    f.waiver_reason = row.text(15);
    f.waiver_approver = row.text(16);
    f.waiver_expires = row.text(17);
    f.state = row.text(18);
    f.first_seen = row.text(19);
    f.age_days = row.integer(20);
    return f;
}

}  // namespace detail

Store::Store() : m_impl(std::make_unique<Impl>()) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::open(const std::filesystem::path& path) {
    const std::string p = path.string();
    // The default database lives in the output directory, which a first run has not made yet.
    if (path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);  // a failure shows in the open below
    }
    auto db = Database::open(p);
    if (!db) return std::unexpected(db.error());
    auto version = user_version(*db);
    if (!version) return std::unexpected(version.error());
    if (*version > k_schema_version) {
        return fail(ErrorCode::io,
                    "the history database was written by a newer stackaudit (schema version " +
                        std::to_string(*version) + "; this stackaudit reads up to version " +
                        std::to_string(k_schema_version) + ")",
                    Location{.source = "history", .file = p},
                    "upgrade stackaudit, or point history.db in the config at another file");
    }
    if (*version == 0) {
        auto objects = count_schema_objects(*db);
        if (!objects) return std::unexpected(objects.error());
        if (*objects > 0) {
            return fail(ErrorCode::io, "the file is an SQLite database but not a stackaudit history",
                        Location{.source = "history", .file = p},
                        "point history.db in the config at a new file; stackaudit does not write into other databases");
        }
    }
    // WAL: readers (`stackaudit findings`) never block the nightly writer, and a killed writer
    // leaves the last committed state; FULL sync makes a commit survive a power cut as well.
    if (auto r = db->exec("PRAGMA journal_mode = WAL"); !r) return std::unexpected(r.error());
    if (auto r = db->exec("PRAGMA synchronous = FULL"); !r) return std::unexpected(r.error());
    if (auto r = db->exec("PRAGMA foreign_keys = ON"); !r) return std::unexpected(r.error());
    if (*version < k_schema_version) {
        Transaction tx(*db);
        if (auto r = tx.begin(); !r) return std::unexpected(r.error());
        // Another process may have created or migrated the schema between our check and the
        // write lock; each step runs only from the version it upgrades.
        auto again = user_version(*db);
        if (!again) return std::unexpected(again.error());
        if (*again == 0) {
            if (auto r = db->exec(k_schema_v1); !r) return std::unexpected(r.error());
            *again = 1;
        }
        if (*again == 1) {
            if (auto r = db->exec(detail::k_schema_graph); !r) return std::unexpected(r.error());
            if (auto r = db->exec(k_to_v2); !r) return std::unexpected(r.error());
        }
        if (auto r = tx.commit(); !r) return std::unexpected(r.error());
    }
    Store store;
    store.m_impl->db = std::move(*db);
    store.m_impl->path = p;
    return store;
}

Result<RunDiff> Store::record_run(const RunInput& run) {
    Database& db = m_impl->db;
    Transaction tx(db);
    if (auto r = tx.begin(); !r) return std::unexpected(r.error());

    RunDiff diff;
    const std::string as_of = format_date(to_date(run.as_of));

    std::optional<PreviousRun> previous;
    {
        auto stmt = db.prepare("SELECT id, as_of FROM runs ORDER BY id DESC LIMIT 1");
        if (!stmt) return std::unexpected(stmt.error());
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (*row) previous = PreviousRun{stmt->integer(0), stmt->text(1)};
    }
    if (previous) diff.previous_run_id = previous->id;

    {
        auto stmt = db.prepare(
            "INSERT INTO runs (started_at, as_of, config_file, partial, exit_code) VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!stmt) return std::unexpected(stmt.error());
        stmt->bind(1, format_timestamp(run.started_at))
            .bind(2, as_of)
            .bind(3, run.config_file)
            .bind(4, std::int64_t{run.partial ? 1 : 0})
            .bind(5, std::int64_t{run.exit_code});
        if (auto r = stmt->run(); !r) return std::unexpected(r.error());
        diff.run_id = db.last_insert_rowid();
    }

    {
        auto stmt = db.prepare(
            "INSERT INTO run_sources (run_id, seq, name, kind, path, ok, records, rejected, ignored, fetched_at, "
            "stale, stale_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        if (!stmt) return std::unexpected(stmt.error());
        std::int64_t seq = 0;
        for (const SourceReport& s : run.sources) {
            stmt->bind(1, diff.run_id)
                .bind(2, seq++)
                .bind(3, s.name)
                .bind(4, s.kind)
                .bind(5, s.path)
                .bind(6, std::int64_t{s.ok ? 1 : 0})
                .bind(7, static_cast<std::int64_t>(s.records))
                .bind(8, static_cast<std::int64_t>(s.rejected))
                .bind(9, static_cast<std::int64_t>(s.ignored))
                .bind(10, s.fetched_at)
                .bind(11, std::int64_t{s.stale ? 1 : 0})
                .bind(12, s.stale_reason);
            if (auto r = stmt->run(); !r) return std::unexpected(r.error());
        }
    }

    // Lifecycle: one index lookup per finding.
    auto lookup = db.prepare("SELECT first_seen, last_seen_run FROM finding_index WHERE finding_id = ?1");
    auto upsert = db.prepare(
        "INSERT INTO finding_index (finding_id, first_seen, first_run, last_seen_run) VALUES (?1, ?2, ?3, ?3) "
        "ON CONFLICT (finding_id) DO UPDATE SET last_seen_run = excluded.last_seen_run");
    auto insert = db.prepare(
        "INSERT INTO findings (run_id, finding_id, rule_id, rule_title, severity, category, tool, department, "
        "subject_kind, subject_key, owners_json, message, money, evidence_json, remediation, waived, waiver_reason, "
        "waiver_approver, waiver_expires, state, first_seen, age_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)");
    if (!lookup) return std::unexpected(lookup.error());
    if (!upsert) return std::unexpected(upsert.error());
    if (!insert) return std::unexpected(insert.error());

    std::set<std::string> present;
    diff.findings = run.findings;
    for (Finding& f : diff.findings) {
        std::optional<IndexEntry> known;
        lookup->bind(1, f.id);
        auto row = lookup->step();
        if (!row) return std::unexpected(row.error());
        if (*row) known = IndexEntry{lookup->text(0), lookup->integer(1)};
        lookup->reset();

        if (!known) {
            f.state = "new";
            f.first_seen = as_of;
            ++diff.new_count;
        } else if (previous && known->last_seen_run == previous->id) {
            f.state = "open";
            f.first_seen = known->first_seen;
            ++diff.open_count;
        } else {
            f.state = "reopened";
            f.first_seen = known->first_seen;
            ++diff.reopened_count;
        }
        f.age_days = detail::days_between_dates(f.first_seen, as_of);
        present.insert(f.id);

        upsert->bind(1, f.id).bind(2, f.first_seen).bind(3, diff.run_id);
        if (auto r = upsert->run(); !r) return std::unexpected(r.error());

        insert->bind(1, diff.run_id)
            .bind(2, f.id)
            .bind(3, f.rule_id)
            .bind(4, f.rule_title)
            .bind(5, to_string(f.severity))
            .bind(6, f.category)
            .bind(7, f.tool)
            .bind(8, f.department)
            .bind(9, f.subject_kind)
            .bind(10, f.subject_key)
            .bind(11, detail::json_string_array(f.owners))
            .bind(12, f.message)
            .bind(13, f.money_at_stake)
            .bind(14, detail::json_pairs(f.evidence))
            .bind(15, f.remediation)
            .bind(16, std::int64_t{f.waived ? 1 : 0})
            .bind(17, f.waiver_reason)
            .bind(18, f.waiver_approver)
            .bind(19, f.waiver_expires)
            .bind(20, f.state)
            .bind(21, f.first_seen)
            .bind(22, *f.age_days);
        if (auto r = insert->run(); !r) {
            Error e = r.error();
            e.message = "cannot record finding " + f.id + " (" + f.rule_id + " on " + f.subject_key + "): " + e.message;
            return std::unexpected(std::move(e));
        }
    }

    // Resolved: reported by the previous run, absent now.
    if (previous) {
        auto stmt = db.prepare(std::string("SELECT ") + detail::k_finding_columns +
                               " FROM findings f WHERE f.run_id = ?1 ORDER BY f.finding_id");
        if (!stmt) return std::unexpected(stmt.error());
        auto record = db.prepare(
            "INSERT INTO resolutions (finding_id, run_id, last_run_id, first_seen, resolved_on) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!record) return std::unexpected(record.error());
        stmt->bind(1, previous->id);
        for (;;) {
            auto row = stmt->step();
            if (!row) return std::unexpected(row.error());
            if (!*row) break;
            auto f = detail::finding_from_row(*stmt, m_impl->path);
            if (!f) return std::unexpected(f.error());
            if (present.contains(f->id)) continue;
            ResolvedFinding resolved;
            resolved.first_seen = f->first_seen;
            resolved.resolved_on = as_of;
            f->age_days = detail::days_between_dates(f->first_seen, as_of);
            resolved.finding = std::move(*f);
            record->bind(1, resolved.finding.id)
                .bind(2, diff.run_id)
                .bind(3, previous->id)
                .bind(4, resolved.first_seen)
                .bind(5, as_of);
            if (auto r = record->run(); !r) return std::unexpected(r.error());
            diff.resolved.push_back(std::move(resolved));
        }
    }

    {
        auto stmt = db.prepare(
            "INSERT INTO tool_figures (run_id, tool, owning_department, assigned, active, purchased, utilisation, "
            "annual_cost) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        if (!stmt) return std::unexpected(stmt.error());
        for (const ToolFigures& t : run.tools) {
            stmt->bind(1, diff.run_id)
                .bind(2, t.tool)
                .bind(3, t.owning_department)
                .bind(4, t.assigned_seats)
                .bind(5, t.active_seats)
                .bind(6, t.purchased_seats)
                .bind(7, t.utilisation)
                .bind(8, t.annual_cost);
            if (auto r = stmt->run(); !r) {
                Error e = r.error();
                e.message = "cannot record the figures of tool " + t.tool + ": " + e.message;
                return std::unexpected(std::move(e));
            }
        }
    }

    {
        auto stmt = db.prepare("INSERT INTO scores (run_id, department, score, breakdown_json) VALUES (?1, ?2, ?3, ?4)");
        if (!stmt) return std::unexpected(stmt.error());
        for (const ScoreRecord& s : run.scores) {
            stmt->bind(1, diff.run_id).bind(2, s.department).bind(3, s.score).bind(4, s.breakdown_json);
            if (auto r = stmt->run(); !r) {
                Error e = r.error();
                e.message = "cannot record the score of department \"" + s.department + "\": " + e.message;
                return std::unexpected(std::move(e));
            }
        }
    }

    if (run.graph != nullptr) {
        if (auto r = detail::write_snapshot(db, diff.run_id, *run.graph); !r) return std::unexpected(r.error());
    }

    if (auto r = tx.commit(); !r) return std::unexpected(r.error());
    return diff;
}

}  // namespace stackaudit::store
