// Error formatting: the one place that decides how an error reads on a terminal.
#include "stackaudit/core/error.hpp"

#include <string>

namespace stackaudit {

std::string_view to_string(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::io: return "io";
    case ErrorCode::csv_malformed: return "csv_malformed";
    case ErrorCode::csv_missing_column: return "csv_missing_column";
    case ErrorCode::json_malformed: return "json_malformed";
    case ErrorCode::invalid_value: return "invalid_value";
    case ErrorCode::config_invalid: return "config_invalid";
    case ErrorCode::rule_invalid: return "rule_invalid";
    case ErrorCode::expression_invalid: return "expression_invalid";
    case ErrorCode::unknown_fact: return "unknown_fact";
    case ErrorCode::evaluation: return "evaluation";
    case ErrorCode::source_failed: return "source_failed";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::internal: return "internal";
    }
    return "unknown";
}

std::string Error::to_string() const {
    std::string out;
    if (!where.file.empty()) {
        out += where.file;
        if (where.line > 0) {
            out += ':' + std::to_string(where.line);
            if (where.column > 0) out += ':' + std::to_string(where.column);
        }
        out += ": ";
    }
    out += "error: ";
    out += message;
    std::string context;
    auto add = [&context](const std::string& part) {
        context += context.empty() ? " (" : ", ";
        context += part;
    };
    if (!where.source.empty()) add("source " + where.source);
    if (where.http_status != 0) add("HTTP " + std::to_string(where.http_status));
    if (!where.json_path.empty()) add("at " + where.json_path);
    if (!context.empty()) out += context + ")";
    if (!hint.empty()) out += "\n  hint: " + hint;
    return out;
}

std::unexpected<Error> fail(ErrorCode code, std::string message, Location where, std::string hint) {
    return std::unexpected<Error>(Error{code, std::move(message), std::move(where), std::move(hint)});
}

}  // namespace stackaudit
