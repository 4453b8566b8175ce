// The SQLite RAII layer: every failure becomes an Error naming the database file and quoting
// SQLite's message, with a hint for the codes a user can do something about.
#include "sqlite.hpp"

#include <sqlite3.h>

#include <utility>

namespace stackaudit::store::detail {

Error sqlite_error(sqlite3* db, const std::string& path, std::string what) {
    const int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_CANTOPEN;
    const char* message = db != nullptr ? sqlite3_errmsg(db) : "cannot allocate a connection";
    Error e;
    e.code = ErrorCode::internal;
    e.message = std::move(what) + ": " + message;
    e.where.source = "history";
    e.where.file = path;
    switch (code & 0xff) {
        case SQLITE_NOTADB:
            e.code = ErrorCode::io;
            e.hint = "the file is not a stackaudit database; point history.db in the config at another file";
            break;
        case SQLITE_CORRUPT:
            e.code = ErrorCode::io;
            e.hint = "the database is damaged; restore it from a backup or move it aside to start a new history";
            break;
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
        case SQLITE_READONLY:
        case SQLITE_IOERR:
        case SQLITE_FULL:
            e.code = ErrorCode::io;
            e.hint = "check that the directory exists, is writable and has free space";
            break;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            e.code = ErrorCode::io;
            e.hint = "another process holds the database; wait for it to finish and run again";
            break;
        default:
            e.hint = "the run was not recorded and earlier runs are unchanged; please report this with the message";
            break;
    }
    return e;
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)), m_db(other.m_db), m_path(std::move(other.m_path)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt != nullptr) sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = other.m_db;
        m_path = std::move(other.m_path);
    }
    return *this;
}

Statement::~Statement() {
    if (m_stmt != nullptr) sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, std::optional<double> value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return std::unexpected(sqlite_error(m_db, m_path, "database statement failed"));
}

Result<void> Statement::run() {
    for (;;) {
        auto more = step();
        if (!more) {
            reset();
            return std::unexpected(more.error());
        }
        if (!*more) break;
    }
    reset();
    return {};
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(m_stmt, column);
    if (p == nullptr) return {};
    const int n = sqlite3_column_bytes(m_stmt, column);
    return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }
bool Statement::is_null(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

std::optional<std::int64_t> Statement::opt_integer(int column) const {
    if (is_null(column)) return std::nullopt;
    return integer(column);
}

std::optional<double> Statement::opt_real(int column) const {
    if (is_null(column)) return std::nullopt;
    return real(column);
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db != nullptr) sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Database::~Database() {
    if (m_db != nullptr) sqlite3_close_v2(m_db);
}

Result<Database> Database::open(const std::string& path) {
    Database d;
    d.m_path = path;
    const int rc = sqlite3_open_v2(path.c_str(), &d.m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(sqlite_error(d.m_db, path, "cannot open the history database"));
    sqlite3_extended_result_codes(d.m_db, 1);
    // A nightly job may meet a reader (`stackaudit findings`) mid-query; wait briefly for it.
    sqlite3_busy_timeout(d.m_db, 5000);
    return d;
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(error("cannot prepare a database statement"));
    return Statement(stmt, m_db, m_path);
}

Result<void> Database::exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return std::unexpected(error("database command failed"));
    return {};
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

Error Database::error(std::string what) const { return sqlite_error(m_db, m_path, std::move(what)); }

}  // namespace stackaudit::store::detail
