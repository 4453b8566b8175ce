// Running one connector on fuzzed files, as an audit reads a source: the fuzzed input holds the
// source's settings and the content of each file the connector looks for, written into the
// scratch folder in the layout the connector expects (saved pages or an export file).
//
// Payload (after the target's selector byte):
//   byte 0        bad-row policy (fail, skip, collect)
//   part 0        settings, one "name=value" per line: tool=..., column.<key>=<header>, any
//                 other name is a connector option (delimiter, sku_tools, email, records_pointer, ...)
//   parts 1..n    the files of the case, in the order the case lists them; a missing part
//                 leaves that file out (an endpoint that was not saved)
// Parts are separated by '\x1e'.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/ingest.hpp"
#include "stackaudit/core/model.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::fuzz {

struct ConnectorCase {
    std::string_view kind;
    std::vector<std::string_view> files;  // relative to the scratch folder
    // true: the source's path is the scratch folder (saved pages); false: the first file.
    bool folder = true;
};

// Byte `choice` (0, 1, 2) as a bad-row policy.
inline BadRowPolicy policy_of(std::size_t choice) {
    return choice == 0 ? BadRowPolicy::fail : choice == 1 ? BadRowPolicy::skip : BadRowPolicy::collect;
}

// One read of a source as an audit on 2026-11-01 makes it: where its rows, data and report go.
struct SourceRead {
    SourceRead(BadRowPolicy policy, const connectors::SourceConfig& source)
        : rows(policy), context{rows, Timestamp{std::chrono::seconds{1'793'491'200}}, 30} {
        report.name = source.name;
        report.kind = source.kind;
    }
    RowSink rows;
    connectors::ReadContext context;
    Dataset data;
    SourceReport report;
};

inline void check_dataset(const Dataset& data) {
    for (const auto& seat : data.seats) {
        if (seat.tool.empty()) std::abort();  // every seat belongs to a tool
    }
}

inline void run_connector(const ConnectorCase& c, std::string_view payload) {
    const auto* spec = connectors::find(c.kind);
    if (spec == nullptr) std::abort();
    const auto [policy_choice, body] = select(payload, 3);
    const auto parts = split_parts(body);

    const auto& scratch = Scratch::get();
    const auto& root = scratch.clear();
    for (std::size_t i = 0; i < c.files.size() && i + 1 < parts.size(); ++i) {
        scratch.write(c.files[i], parts[i + 1]);
    }

    connectors::SourceConfig source;
    source.kind = std::string(c.kind);
    source.name = source.kind;
    source.paths = {c.folder ? root : root / c.files.front()};
    source.display_paths = {"fuzz"};
    source.config_file = "stackaudit.yaml";
    source.config_line = 1;
    for (const auto& [name, value] : parse_options(parts[0])) {
        if (name == "tool") {
            source.tool = value;
        } else if (name.starts_with("column.")) {
            source.columns[name.substr(7)] = value;
        } else {
            source.options[name] = value;
        }
    }
    if (spec->needs_tool && source.tool.empty()) source.tool = "Fuzz Tool";

    SourceRead read(policy_of(policy_choice), source);
    const auto done = spec->read(source, read.context, read.data, read.report);
    if (!done) touch(done.error());
    for (const auto& error : read.report.errors) touch(error);
    for (const auto& error : read.rows.samples()) touch(error);
    check_dataset(read.data);
}

// A target's whole entry point: its first byte picks one of `cases`, the rest is the payload.
inline int run_connector_case(const std::vector<ConnectorCase>& cases, const std::uint8_t* data, std::size_t size) {
    const auto [choice, rest] = select(as_text(data, size), cases.size());
    run_connector(cases[choice], rest);
    return 0;
}

}  // namespace stackaudit::fuzz
