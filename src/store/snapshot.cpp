// The latest run's graph (core/snapshot.hpp), kept so that `overlap`, `owners`, `impact`, `who`
// and `tools` answer without re-reading the inputs. Only the newest snapshot is kept: each run
// replaces it in the same transaction that records the run, so the history grows with findings,
// not with the size of the company.
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "impl.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::store {

namespace detail {

const char* const k_schema_graph = R"sql(
CREATE TABLE graph_runs (
  run_id      INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  as_of       INTEGER NOT NULL,
  window_days INTEGER NOT NULL
);
CREATE TABLE graph_capabilities (
  run_id INTEGER NOT NULL REFERENCES graph_runs(run_id) ON DELETE CASCADE,
  idx    INTEGER NOT NULL,
  name   TEXT NOT NULL,
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;
CREATE TABLE graph_people (
  run_id           INTEGER NOT NULL REFERENCES graph_runs(run_id) ON DELETE CASCADE,
  idx              INTEGER NOT NULL,
  email            TEXT NOT NULL,
  name             TEXT NOT NULL,
  user_id          TEXT NOT NULL,
  department       TEXT NOT NULL,
  team             TEXT NOT NULL,
  status           TEXT NOT NULL,
  in_directory     INTEGER NOT NULL CHECK (in_directory IN (0, 1)),
  departed         INTEGER NOT NULL CHECK (departed IN (0, 1)),
  termination_date TEXT,
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;
CREATE TABLE graph_tools (
  run_id               INTEGER NOT NULL REFERENCES graph_runs(run_id) ON DELETE CASCADE,
  idx                  INTEGER NOT NULL,
  name                 TEXT NOT NULL,
  vendor               TEXT NOT NULL,
  owning_department    TEXT NOT NULL,
  it_review            TEXT NOT NULL,
  in_catalog           INTEGER NOT NULL CHECK (in_catalog IN (0, 1)),
  sso_app_only         INTEGER NOT NULL CHECK (sso_app_only IN (0, 1)),
  capabilities         TEXT NOT NULL,  -- graph_capabilities.idx, comma-separated
  business_owners      TEXT NOT NULL,  -- graph_people.idx, comma-separated, catalog order
  technical_owners     TEXT NOT NULL,
  intended_departments TEXT NOT NULL,  -- JSON array of strings
  intended_all         INTEGER NOT NULL CHECK (intended_all IN (0, 1)),
  owner_conflicts      TEXT NOT NULL,  -- JSON array of strings
  contract_seats       INTEGER,
  cost_per_seat        REAL,
  annual_cost          REAL,
  usage_tracked        INTEGER NOT NULL CHECK (usage_tracked IN (0, 1)),
  has_seat_data        INTEGER NOT NULL CHECK (has_seat_data IN (0, 1)),
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;
CREATE TABLE graph_uses (
  run_id           INTEGER NOT NULL REFERENCES graph_runs(run_id) ON DELETE CASCADE,
  tool             INTEGER NOT NULL,
  person           INTEGER NOT NULL,
  seat             INTEGER NOT NULL CHECK (seat IN (0, 1)),
  active           INTEGER NOT NULL CHECK (active IN (0, 1)),
  last_seen        INTEGER,            -- Unix seconds
  events_in_window INTEGER NOT NULL,
  license_type     TEXT NOT NULL,
  PRIMARY KEY (run_id, tool, person)
) WITHOUT ROWID;
CREATE TABLE graph_flows (
  run_id INTEGER NOT NULL REFERENCES graph_runs(run_id) ON DELETE CASCADE,
  source INTEGER NOT NULL,
  target INTEGER NOT NULL,
  data   TEXT NOT NULL,                -- JSON array of strings
  PRIMARY KEY (run_id, source, target)
) WITHOUT ROWID;
CREATE TABLE graph_sources (
  run_id INTEGER NOT NULL REFERENCES graph_runs(run_id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL,
  name   TEXT NOT NULL,
  ok     INTEGER NOT NULL CHECK (ok IN (0, 1)),
  stale  INTEGER NOT NULL CHECK (stale IN (0, 1)),
  detail TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
)sql";

}  // namespace detail

namespace {

using detail::Database;
using detail::Statement;

std::int64_t flag(bool b) { return b ? 1 : 0; }

std::string join_indices(const std::vector<std::uint32_t>& items) {
    std::string out;
    for (std::uint32_t i : items) {
        if (!out.empty()) out += ',';
        out += std::to_string(i);
    }
    return out;
}

std::optional<std::vector<std::uint32_t>> split_indices(std::string_view text, std::size_t limit) {
    std::vector<std::uint32_t> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        std::uint32_t value = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (ec != std::errc{} || end != item.data() + item.size() || value >= limit) return std::nullopt;
        out.push_back(value);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

Error corrupt(const std::string& path, const std::string& what) {
    return Error{ErrorCode::io, "the stored graph of the latest run is damaged: " + what,
                 Location{.source = "history", .file = path},
                 "run `stackaudit audit` again to record a fresh graph, or answer from the inputs with --from-inputs"};
}

// Runs one prepared INSERT per item with `bind` filling its parameters.
template <class Items, class Bind>
Result<void> insert_all(Database& db, const char* sql, const Items& items, Bind bind) {
    auto stmt = db.prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    std::int64_t seq = 0;
    for (const auto& item : items) {
        bind(*stmt, item, seq++);
        if (auto r = stmt->run(); !r) {
            Error e = r.error();
            e.message = "cannot record the run's graph: " + e.message;
            return std::unexpected(std::move(e));
        }
    }
    return {};
}

// Steps every row of `sql` (bound to `run_id`), handing each to `read`, which may fail.
template <class Read>
Result<void> read_all(Database& db, const char* sql, std::int64_t run_id, Read read) {
    auto stmt = db.prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(1, run_id);
    for (;;) {
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) return {};
        if (auto r = read(*stmt); !r) return r;
    }
}

}  // namespace

namespace detail {

Result<void> write_snapshot(Database& db, std::int64_t run_id, const GraphSnapshot& s) {
    // One graph at a time: the cascade drops the previous run's rows.
    if (auto r = db.exec("DELETE FROM graph_runs"); !r) return r;
    {
        auto stmt = db.prepare("INSERT INTO graph_runs (run_id, as_of, window_days) VALUES (?1, ?2, ?3)");
        if (!stmt) return std::unexpected(stmt.error());
        stmt->bind(1, run_id)
            .bind(2, std::int64_t{s.as_of.time_since_epoch().count()})
            .bind(3, std::int64_t{s.window_days});
        if (auto r = stmt->run(); !r) return r;
    }
    auto r = insert_all(db, "INSERT INTO graph_capabilities (run_id, idx, name) VALUES (?1, ?2, ?3)", s.capabilities,
                        [&](Statement& st, const std::string& name, std::int64_t i) {
                            st.bind(1, run_id).bind(2, i).bind(3, name);
                        });
    if (!r) return r;
    r = insert_all(db,
                   "INSERT INTO graph_people (run_id, idx, email, name, user_id, department, team, status, in_directory, "
                   "departed, termination_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                   s.people, [&](Statement& st, const SnapshotPerson& p, std::int64_t i) {
                       st.bind(1, run_id).bind(2, i).bind(3, p.email).bind(4, p.name).bind(5, p.user_id);
                       st.bind(6, p.department).bind(7, p.team).bind(8, p.status);
                       st.bind(9, flag(p.in_directory)).bind(10, flag(p.departed));
                       if (p.termination_date) st.bind(11, format_date(*p.termination_date));
                       else st.bind_null(11);
                   });
    if (!r) return r;
    r = insert_all(db,
                   "INSERT INTO graph_tools (run_id, idx, name, vendor, owning_department, it_review, in_catalog, "
                   "sso_app_only, capabilities, business_owners, technical_owners, intended_departments, intended_all, "
                   "owner_conflicts, contract_seats, cost_per_seat, annual_cost, usage_tracked, has_seat_data) VALUES "
                   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                   s.tools, [&](Statement& st, const SnapshotTool& t, std::int64_t i) {
                       st.bind(1, run_id).bind(2, i).bind(3, t.name).bind(4, t.vendor).bind(5, t.owning_department);
                       st.bind(6, t.it_review).bind(7, flag(t.in_catalog)).bind(8, flag(t.sso_app_only));
                       st.bind(9, join_indices(t.capabilities))
                           .bind(10, join_indices(t.business_owners))
                           .bind(11, join_indices(t.technical_owners));
                       st.bind(12, json_string_array(t.intended_departments)).bind(13, flag(t.intended_all));
                       st.bind(14, json_string_array(t.owner_conflicts));
                       st.bind(15, t.contract_seats).bind(16, t.cost_per_seat).bind(17, t.annual_cost);
                       st.bind(18, flag(t.usage_tracked)).bind(19, flag(t.has_seat_data));
                   });
    if (!r) return r;
    r = insert_all(db,
                   "INSERT INTO graph_uses (run_id, tool, person, seat, active, last_seen, events_in_window, "
                   "license_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                   s.uses, [&](Statement& st, const SnapshotUse& u, std::int64_t) {
                       st.bind(1, run_id).bind(2, std::int64_t{u.tool}).bind(3, std::int64_t{u.person});
                       st.bind(4, flag(u.seat)).bind(5, flag(u.active));
                       if (u.last_seen) st.bind(6, std::int64_t{u.last_seen->time_since_epoch().count()});
                       else st.bind_null(6);
                       st.bind(7, static_cast<std::int64_t>(u.events_in_window)).bind(8, u.license_type);
                   });
    if (!r) return r;
    r = insert_all(db, "INSERT INTO graph_flows (run_id, source, target, data) VALUES (?1, ?2, ?3, ?4)", s.flows,
                   [&](Statement& st, const SnapshotFlow& f, std::int64_t) {
                       st.bind(1, run_id).bind(2, std::int64_t{f.source}).bind(3, std::int64_t{f.target});
                       st.bind(4, json_string_array(f.data));
                   });
    if (!r) return r;
    return insert_all(db, "INSERT INTO graph_sources (run_id, seq, name, ok, stale, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                      s.sources, [&](Statement& st, const SnapshotSource& src, std::int64_t i) {
                          st.bind(1, run_id).bind(2, i).bind(3, src.name).bind(4, flag(src.ok)).bind(5, flag(src.stale));
                          st.bind(6, src.detail);
                      });
}

}  // namespace detail

Result<std::optional<StoredSnapshot>> Store::latest_snapshot() {
    Database& db = m_impl->db;
    const std::string& path = m_impl->path;
    // A read transaction: the nightly writer may replace the graph while we read it.
    if (auto r = db.exec("BEGIN"); !r) return std::unexpected(r.error());
    struct EndRead {
        Database& db;
        ~EndRead() { (void)db.exec("COMMIT"); }
    } end_read{db};

    StoredSnapshot out;
    {
        auto stmt = db.prepare(
            "SELECT g.run_id, g.as_of, g.window_days, r.started_at, r.as_of, r.partial, r.exit_code "
            "FROM graph_runs g JOIN runs r ON r.id = g.run_id ORDER BY g.run_id DESC LIMIT 1");
        if (!stmt) return std::unexpected(stmt.error());
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) return std::optional<StoredSnapshot>{};
        out.run.id = stmt->integer(0);
        out.snapshot.as_of = Timestamp{std::chrono::seconds{stmt->integer(1)}};
        out.snapshot.window_days = static_cast<int>(stmt->integer(2));
        out.run.started_at = stmt->text(3);
        out.run.as_of = stmt->text(4);
        out.run.partial = stmt->integer(5) != 0;
        out.run.exit_code = static_cast<int>(stmt->integer(6));
    }
    GraphSnapshot& s = out.snapshot;
    const std::int64_t run_id = out.run.id;

    auto r = read_all(db, "SELECT name FROM graph_capabilities WHERE run_id = ?1 ORDER BY idx", run_id,
                      [&](const Statement& st) -> Result<void> {
                          s.capabilities.push_back(st.text(0));
                          return {};
                      });
    if (!r) return std::unexpected(r.error());
    r = read_all(db,
                 "SELECT email, name, user_id, department, team, status, in_directory, departed, termination_date "
                 "FROM graph_people WHERE run_id = ?1 ORDER BY idx",
                 run_id, [&](const Statement& st) -> Result<void> {
                     SnapshotPerson p;
                     p.email = st.text(0);
                     p.name = st.text(1);
                     p.user_id = st.text(2);
                     p.department = st.text(3);
                     p.team = st.text(4);
                     p.status = st.text(5);
                     p.in_directory = st.integer(6) != 0;
                     p.departed = st.integer(7) != 0;
                     if (!st.is_null(8)) {
                         auto date = parse_date(st.text(8));
                         if (!date || !*date) return std::unexpected(corrupt(path, "person " + p.email + " has a bad termination date"));
                         p.termination_date = **date;
                     }
                     s.people.push_back(std::move(p));
                     return {};
                 });
    if (!r) return std::unexpected(r.error());
    r = read_all(db,
                 "SELECT name, vendor, owning_department, it_review, in_catalog, sso_app_only, capabilities, "
                 "business_owners, technical_owners, intended_departments, intended_all, owner_conflicts, contract_seats, "
                 "cost_per_seat, annual_cost, usage_tracked, has_seat_data FROM graph_tools WHERE run_id = ?1 ORDER BY idx",
                 run_id, [&](const Statement& st) -> Result<void> {
                     SnapshotTool t;
                     t.name = st.text(0);
                     t.vendor = st.text(1);
                     t.owning_department = st.text(2);
                     t.it_review = st.text(3);
                     t.in_catalog = st.integer(4) != 0;
                     t.sso_app_only = st.integer(5) != 0;
                     auto capabilities = split_indices(st.text(6), s.capabilities.size());
                     auto business = split_indices(st.text(7), s.people.size());
                     auto technical = split_indices(st.text(8), s.people.size());
                     auto intended = detail::parse_string_array(st.text(9));
                     auto conflicts = detail::parse_string_array(st.text(11));
                     if (!capabilities || !business || !technical || !intended || !conflicts)
                         return std::unexpected(corrupt(path, "tool " + t.name + " has unreadable lists"));
                     t.capabilities = std::move(*capabilities);
                     t.business_owners = std::move(*business);
                     t.technical_owners = std::move(*technical);
                     t.intended_departments = std::move(*intended);
                     t.intended_all = st.integer(10) != 0;
                     t.owner_conflicts = std::move(*conflicts);
                     t.contract_seats = st.opt_integer(12);
                     t.cost_per_seat = st.opt_real(13);
                     t.annual_cost = st.opt_real(14);
                     t.usage_tracked = st.integer(15) != 0;
                     t.has_seat_data = st.integer(16) != 0;
                     s.tools.push_back(std::move(t));
                     return {};
                 });
    if (!r) return std::unexpected(r.error());
    r = read_all(db,
                 "SELECT tool, person, seat, active, last_seen, events_in_window, license_type FROM graph_uses "
                 "WHERE run_id = ?1 ORDER BY tool, person",
                 run_id, [&](const Statement& st) -> Result<void> {
                     const std::int64_t tool = st.integer(0), person = st.integer(1);
                     if (tool < 0 || person < 0 || static_cast<std::size_t>(tool) >= s.tools.size() ||
                         static_cast<std::size_t>(person) >= s.people.size())
                         return std::unexpected(corrupt(path, "a use row points outside the people or tools"));
                     SnapshotUse u;
                     u.tool = static_cast<std::uint32_t>(tool);
                     u.person = static_cast<std::uint32_t>(person);
                     u.seat = st.integer(2) != 0;
                     u.active = st.integer(3) != 0;
                     if (!st.is_null(4)) u.last_seen = Timestamp{std::chrono::seconds{st.integer(4)}};
                     u.events_in_window = static_cast<std::uint64_t>(st.integer(5));
                     u.license_type = st.text(6);
                     s.uses.push_back(std::move(u));
                     return {};
                 });
    if (!r) return std::unexpected(r.error());
    r = read_all(db, "SELECT source, target, data FROM graph_flows WHERE run_id = ?1 ORDER BY source, target", run_id,
                 [&](const Statement& st) -> Result<void> {
                     const std::int64_t source = st.integer(0), target = st.integer(1);
                     auto data = detail::parse_string_array(st.text(2));
                     if (source < 0 || target < 0 || static_cast<std::size_t>(source) >= s.tools.size() ||
                         static_cast<std::size_t>(target) >= s.tools.size() || !data)
                         return std::unexpected(corrupt(path, "a data flow row is unreadable"));
                     s.flows.push_back(SnapshotFlow{static_cast<std::uint32_t>(source), static_cast<std::uint32_t>(target),
                                                    std::move(*data)});
                     return {};
                 });
    if (!r) return std::unexpected(r.error());
    r = read_all(db, "SELECT name, ok, stale, detail FROM graph_sources WHERE run_id = ?1 ORDER BY seq", run_id,
                 [&](const Statement& st) -> Result<void> {
                     s.sources.push_back(SnapshotSource{st.text(0), st.integer(1) != 0, st.integer(2) != 0, st.text(3)});
                     return {};
                 });
    if (!r) return std::unexpected(r.error());
    return std::optional<StoredSnapshot>{std::move(out)};
}

}  // namespace stackaudit::store
