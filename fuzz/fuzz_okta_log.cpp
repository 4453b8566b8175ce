// Fuzz target `okta_log`: the Okta System Log reader on an export file (JSON lines or a JSON
// array, told apart by the reader) or on a folder of saved /api/v1/logs pages. Byte 0 picks the
// form (0 a file named log.jsonl, 1 a file named log.json, 2 pages: the parts after '\x1e' are
// logs/page-00001.json, page-00002.json, ...), byte 1 the read buffer size (from a few bytes,
// so events straddle chunk boundaries, to more than any input) and byte 2 the bad-row policy.
// A JSON lines file is also read on 3 threads cut into the smallest ranges, which must agree
// with one thread exactly (the reader promises the same output for any thread count).
#include <array>
#include <cstdlib>
#include <string>

#include "connector_support.hpp"
#include "fuzz_support.hpp"
#include "okta_log/okta_log.hpp"
#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/ingest.hpp"
#include "stackaudit/core/model.hpp"

namespace {

using namespace stackaudit;

// The largest holds any fuzz input whole, as the default 32 MiB does a real export's first
// chunk, without allocating 32 MiB per input.
constexpr std::array<std::size_t, 8> k_chunks{1, 2, 7, 16, 64, 256, 4096, std::size_t{1} << 20};

std::string page_name(std::size_t n) {
    std::string digits = std::to_string(n);
    return "logs/page-" + std::string(5 - std::min<std::size_t>(5, digits.size()), '0') + digits + ".json";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [form, after_form] = fuzz::select(fuzz::as_text(data, size), 3);
    const auto [chunk, after_chunk] = fuzz::select(after_form, k_chunks.size());
    const auto [policy_choice, body] = fuzz::select(after_chunk, 3);

    const auto& scratch = fuzz::Scratch::get();
    const auto& root = scratch.clear();
    connectors::SourceConfig source;
    source.kind = "okta_log";
    source.name = "okta_log";
    source.config_file = "stackaudit.yaml";
    source.config_line = 1;
    if (form == 2) {
        const auto parts = fuzz::split_parts(body);
        for (std::size_t i = 0; i < parts.size() && i < 20; ++i) scratch.write(page_name(i + 1), parts[i]);
        source.paths = {root};
    } else {
        source.paths = {scratch.write(form == 0 ? "log.jsonl" : "log.json", body)};
    }

    const BadRowPolicy policy = fuzz::policy_of(policy_choice);
    fuzz::SourceRead one(policy, source);
    const auto done = connectors::okta_log::read_with(
        source, one.context, one.data, one.report,
        connectors::okta_log::ReaderOptions{.chunk_bytes = k_chunks[chunk], .threads = 1});
    if (!done) fuzz::touch(done.error());
    for (const auto& error : one.rows.samples()) fuzz::touch(error);
    for (const auto& usage : one.data.usage) {
        // Aggregates are consistent: in-window events are a subset, first <= last.
        if (usage.events == 0 || usage.events_in_window > usage.events || usage.first_seen > usage.last_seen)
            std::abort();
    }
    if (form == 0) {
        // A JSON lines file read on 3 threads, cut into ranges as small as the file allows, must
        // give exactly what one thread gives: rows, counts, bad rows and the error.
        fuzz::SourceRead many(policy, source);
        const auto done_n = connectors::okta_log::read_with(
            source, many.context, many.data, many.report,
            connectors::okta_log::ReaderOptions{.chunk_bytes = k_chunks[chunk], .threads = 3, .min_range_bytes = 1});
        if (done.has_value() != done_n.has_value()) std::abort();
        if (!done && done.error().to_string() != done_n.error().to_string()) std::abort();
        if (one.report.records != many.report.records || one.report.rejected != many.report.rejected ||
            one.report.ignored != many.report.ignored || one.rows.rejected_total() != many.rows.rejected_total())
            std::abort();
        if (one.rows.samples().size() != many.rows.samples().size()) std::abort();
        for (std::size_t i = 0; i < one.rows.samples().size(); ++i)
            if (one.rows.samples()[i].to_string() != many.rows.samples()[i].to_string()) std::abort();
        if (one.data.usage.size() != many.data.usage.size()) std::abort();
        for (std::size_t i = 0; i < one.data.usage.size(); ++i) {
            const Usage& a = one.data.usage[i];
            const Usage& b = many.data.usage[i];
            if (a.app_id != b.app_id || a.app_label != b.app_label || a.app_name != b.app_name ||
                a.user_id != b.user_id || a.user_login != b.user_login || a.first_seen != b.first_seen ||
                a.last_seen != b.last_seen || a.events != b.events || a.events_in_window != b.events_in_window)
                std::abort();
        }
    }
    return 0;
}
