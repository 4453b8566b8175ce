// Bad-row policy: the one place that decides whether a bad row stops a run.
#include "stackaudit/core/ingest.hpp"

#include "stackaudit/core/strings.hpp"

namespace stackaudit {

namespace {
constexpr std::size_t k_samples_per_source = 5;
constexpr std::size_t k_max_raw_bytes = 4096;
}  // namespace

Result<BadRowPolicy> parse_bad_row_policy(std::string_view text) {
    const auto t = to_lower(trim(text));
    if (t == "fail") return BadRowPolicy::fail;
    if (t == "skip") return BadRowPolicy::skip;
    if (t == "collect") return BadRowPolicy::collect;
    return fail(ErrorCode::config_invalid, "unknown bad-row policy \"" + std::string(text) + "\"", {},
                "use one of: fail (stop at the first bad row), skip (count and go on), "
                "collect (go on and write the rows to rejects.csv)");
}

std::string_view to_string(BadRowPolicy policy) noexcept {
    switch (policy) {
    case BadRowPolicy::fail: return "fail";
    case BadRowPolicy::skip: return "skip";
    case BadRowPolicy::collect: return "collect";
    }
    return "fail";
}

Result<void> RowSink::reject(const Error& error, std::string_view raw) {
    if (m_policy == BadRowPolicy::fail) {
        Error e = error;
        if (!e.hint.empty()) e.hint += "; ";
        e.hint += "or run with --on-bad-row skip (count and go on) or collect (write bad rows to rejects.csv)";
        return std::unexpected(std::move(e));
    }
    ++m_total;
    auto& n = m_by_source[error.where.source];
    ++n;
    if (n <= k_samples_per_source) m_samples.push_back(error);
    if (m_policy == BadRowPolicy::collect) {
        m_rows.push_back(RejectedRow{error.where.source, error.where.file, error.where.line, error.message,
                                     std::string(raw.substr(0, k_max_raw_bytes))});
    }
    return {};
}

std::size_t RowSink::rejected(std::string_view source) const {
    auto it = m_by_source.find(source);
    return it == m_by_source.end() ? 0 : it->second;
}

}  // namespace stackaudit
