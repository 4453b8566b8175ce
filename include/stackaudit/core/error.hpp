// Errors as values: one Error type carrying what happened, where, and how to fix it.
// Every function that can fail on bad input returns Result<T> (std::expected<T, Error>).
// Exceptions are reserved for what aborts a whole run and are turned into exit codes in main.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace stackaudit {

enum class ErrorCode {
    io,                  // a file could not be opened, read or written
    csv_malformed,       // a CSV row breaks RFC 4180 or has the wrong number of fields
    csv_missing_column,  // a required column is absent from a CSV header
    json_malformed,      // a JSON document or line could not be parsed
    invalid_value,       // a field holds a value of the wrong form (a date, a number, a status)
    config_invalid,      // stackaudit.yaml (or another config file) is wrong
    rule_invalid,        // a rule file breaks the rule schema
    expression_invalid,  // a rule expression does not parse or does not type-check
    unknown_fact,        // an expression names a fact that does not exist
    evaluation,          // evaluating an expression failed at run time
    source_failed,       // a whole input source could not be read
    not_found,           // a named thing (rule, tool, file) does not exist
    internal,            // a bug in stackaudit: please report it
};

[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;

// Where an error happened. Every field is optional; to_string() prints what is set.
struct Location {
    std::string source;      // logical source name, e.g. "catalog", "okta_log", "rule idle-seat"
    std::string file;        // path as the user gave it
    std::size_t line = 0;    // 1-based; 0 = unknown
    std::size_t column = 0;  // 1-based; 0 = unknown
    int http_status = 0;     // 0 = not an HTTP error
    std::string json_path;   // e.g. "$[12].target[0].type"
};

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message;  // what happened, one sentence, no trailing period needed
    Location where;
    std::string hint;     // how to fix it; may be empty

    // "file:line:col: error: message (source X, HTTP 401, at $.path)\n  hint: ..."
    [[nodiscard]] std::string to_string() const;
};

template <class T>
using Result = std::expected<T, Error>;

// Shorthand for building the unexpected side:  return fail(ErrorCode::io, "cannot open", loc, hint);
[[nodiscard]] std::unexpected<Error> fail(ErrorCode code, std::string message, Location where = {},
                                          std::string hint = {});

// Thrown only for errors that abort the whole run; main() turns it into an exit code.
struct FatalError {
    Error error;
    int exit_code;
};

}  // namespace stackaudit
