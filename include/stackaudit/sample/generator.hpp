// The sample-company generator behind `stackaudit sample`: writes a complete, deterministic set
// of inputs (config, directory, catalog, integrations, vendor seat exports, Okta System Log) for
// the fictional "Northwind Labs", with one or more problems planted for every built-in rule and
// a manifest (PLANTED.md) that names each of them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "stackaudit/core/error.hpp"

namespace stackaudit::sample {

struct SampleOptions {
    std::filesystem::path out_dir;  // created if missing; files in it are overwritten
    int scale = 1;                  // multiplies people (and so events); >= 1
    int tools = 0;                  // total catalog size; up to 48 keeps the built-in catalog, more adds "Tool 0001", ...
    int days = 90;                  // length of the Okta System Log before as_of; 1..180
    double noise_per_sso = 0.3;     // non-SSO and failed events per successful SSO event; 0..10
    double activity = 1.0;          // multiplies how often people sign in to their apps; 0.1..100
                                    // (benchmark: scale 6, tools 60, activity 19 gives ~1.1M events)
    std::uint64_t seed = 42;
    std::string as_of = "2026-11-01";  // YYYY-MM-DD; the audit date written into stackaudit.yaml
    bool okta_log = true;              // false: no okta_system_log.jsonl (seat exports only)
};

struct SampleFile {
    std::filesystem::path path;  // relative to out_dir, e.g. "seats/zoom_users.csv"
    std::uint64_t bytes = 0;
};

struct SampleSummary {
    std::size_t people = 0;          // directory rows
    std::size_t departed = 0;        // of which departed (suspended, deprovisioned or terminated)
    std::size_t tools = 0;           // distinct catalog tools
    std::size_t integrations = 0;    // integrations rows
    std::size_t seat_exports = 0;    // seat export files
    std::size_t seats = 0;           // seat rows over all exports
    std::size_t sso_events = 0;      // successful user.authentication.sso events in the log
    std::size_t log_events = 0;      // all events in the log
    std::size_t planted = 0;         // planted problems listed in PLANTED.md
    std::uint64_t bytes_total = 0;
    std::vector<SampleFile> files;   // every file written, in writing order
};

// Generates the sample company into options.out_dir. The same options always produce
// byte-identical files. Errors: invalid_value (an option out of range, a malformed as_of),
// io (a file cannot be written; names the path).
[[nodiscard]] Result<SampleSummary> generate_sample(const SampleOptions& options);

}  // namespace stackaudit::sample
