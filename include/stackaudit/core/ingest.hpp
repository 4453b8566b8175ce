// What happens to bad rows (--on-bad-row fail|skip|collect) and what each input source
// contributed, so a summary can always say what was read and what was rejected.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/error.hpp"

namespace stackaudit {

enum class BadRowPolicy { fail, skip, collect };

// "fail" | "skip" | "collect" (case-insensitive). Errors: config_invalid naming the choices.
[[nodiscard]] Result<BadRowPolicy> parse_bad_row_policy(std::string_view text);
[[nodiscard]] std::string_view to_string(BadRowPolicy policy) noexcept;

struct RejectedRow {
    std::string source;  // logical source name, e.g. "seats:Salesforce"
    std::string file;
    std::size_t line = 0;
    std::string reason;  // the error message
    std::string raw;     // the row as it stood in the file (truncated to 4 KiB)
};

// One per run. Readers report every bad row here; the policy decides whether the read stops.
class RowSink {
public:
    explicit RowSink(BadRowPolicy policy) : m_policy(policy) {}

    // Records a bad row. With policy fail it returns the error (with a hint naming
    // --on-bad-row skip|collect) and the reader must stop; otherwise it counts the row (and
    // keeps it when collecting) and returns success so the reader goes on.
    [[nodiscard]] Result<void> reject(const Error& error, std::string_view raw);

    [[nodiscard]] BadRowPolicy policy() const noexcept { return m_policy; }
    [[nodiscard]] std::size_t rejected(std::string_view source) const;  // rows rejected for a source
    [[nodiscard]] std::size_t rejected_total() const noexcept { return m_total; }
    [[nodiscard]] const std::vector<RejectedRow>& collected() const noexcept { return m_rows; }
    // The first few errors of each source, for the summary (kept whatever the policy).
    [[nodiscard]] const std::vector<Error>& samples() const noexcept { return m_samples; }

private:
    BadRowPolicy m_policy;
    std::size_t m_total = 0;
    std::map<std::string, std::size_t, std::less<>> m_by_source;
    std::vector<RejectedRow> m_rows;
    std::vector<Error> m_samples;
};

// What one input source contributed to a run.
struct SourceReport {
    std::string name;         // "directory", "catalog", "integrations", "seats:Salesforce", "okta_log"
    std::string kind;         // connector kind: directory | catalog | integrations | seats | okta_log
    std::string path;         // as configured
    bool ok = true;           // false: the source failed as a whole and its data is missing
    std::size_t records = 0;  // rows or events accepted
    std::size_t rejected = 0; // bad rows/lines rejected (skipped or collected)
    std::size_t ignored = 0;  // well-formed records deliberately not used (e.g. non-SSO events)
    std::vector<Error> errors;  // why it failed (ok == false) or the first rejected rows
    // What the source covers completely when it is ok, so the graph knows where an absence of
    // rows means "nobody" rather than "not looked at":
    std::vector<std::string> seat_tools;  // tools whose full seat list this source holds
    bool sso_usage = false;               // it is an SSO usage log (app sign-ins per user)
    // Snapshot sources (`stackaudit pull`): when the data was fetched, and whether a later
    // pull failed so that this data is older than it should be.
    std::string fetched_at;               // ISO 8601, "" for plain files
    bool stale = false;
    std::string stale_reason;             // e.g. "pull at 2026-11-02T02:00:00Z failed: HTTP 401"
};

}  // namespace stackaudit
