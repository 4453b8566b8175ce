// A thin RAII layer over the SQLite C API: prepared statements with typed binds and columns,
// and errors that carry the SQLite message and the database path. Internal to the store module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stackaudit/core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace stackaudit::store::detail {

class Statement {
public:
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    ~Statement();

    // Binds are 1-based, as in SQLite.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::optional<std::int64_t> value);
    Statement& bind(int index, std::optional<double> value);
    Statement& bind_null(int index);

    // One step. true: a row is ready; false: done. Errors carry the SQLite message.
    [[nodiscard]] Result<bool> step();
    // Steps to the end of a statement that returns no rows.
    [[nodiscard]] Result<void> run();
    void reset();

    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] std::int64_t integer(int column) const;
    [[nodiscard]] double real(int column) const;
    [[nodiscard]] bool is_null(int column) const;
    [[nodiscard]] std::optional<std::int64_t> opt_integer(int column) const;
    [[nodiscard]] std::optional<double> opt_real(int column) const;

private:
    friend class Database;
    Statement(sqlite3_stmt* stmt, sqlite3* db, std::string path) : m_stmt(stmt), m_db(db), m_path(std::move(path)) {}
    sqlite3_stmt* m_stmt = nullptr;
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Database {
public:
    Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    ~Database();

    // Opens (or creates) the file. Errors: io with the SQLite message.
    [[nodiscard]] static Result<Database> open(const std::string& path);

    [[nodiscard]] Result<Statement> prepare(std::string_view sql);
    // Runs constant SQL (schema, pragmas, BEGIN/COMMIT); never used with data.
    [[nodiscard]] Result<void> exec(const char* sql);
    [[nodiscard]] std::int64_t last_insert_rowid() const;
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }

    // An error naming the database, with SQLite's own message and a hint fitting its code.
    [[nodiscard]] Error error(std::string what) const;

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

// Error for a SQLite result code on a connection.
[[nodiscard]] Error sqlite_error(sqlite3* db, const std::string& path, std::string what);

}  // namespace stackaudit::store::detail
