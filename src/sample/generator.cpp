// generate_sample(): validates the options, simulates the company (world.cpp) and writes every
// file (write_files.cpp, okta_log.cpp). PLANTED.md is written last so it can quote the figures.
#include "stackaudit/sample/generator.hpp"

#include <cmath>

#include "world.hpp"

namespace stackaudit::sample {
namespace {

Result<void> validate(const SampleOptions& o) {
    const Location where{"sample"};
    if (o.out_dir.empty()) {
        return fail(ErrorCode::invalid_value, "no output directory given", where, "pass --out DIR");
    }
    if (o.scale < 1 || o.scale > 10000) {
        return fail(ErrorCode::invalid_value, "scale " + std::to_string(o.scale) + " is out of range", where,
                    "use a scale from 1 to 10000 (1 = about 330 people)");
    }
    if (o.tools < 0 || o.tools > 100000) {
        return fail(ErrorCode::invalid_value, "tools " + std::to_string(o.tools) + " is out of range", where,
                    "use 0 for the built-in catalog, or up to 100000 tools");
    }
    if (o.days < 1 || o.days > 180) {
        return fail(ErrorCode::invalid_value, "days " + std::to_string(o.days) + " is out of range", where,
                    "use 1 to 180 days (Okta keeps the System Log for 90 days by default, at most 180)");
    }
    if (!std::isfinite(o.noise_per_sso) || o.noise_per_sso < 0 || o.noise_per_sso > 10) {
        return fail(ErrorCode::invalid_value, "noise per SSO event must be between 0 and 10", where,
                    "0.3 gives a realistic mix of session, MFA and policy events");
    }
    if (!std::isfinite(o.activity) || o.activity < 0.1 || o.activity > 100) {
        return fail(ErrorCode::invalid_value, "activity must be between 0.1 and 100", where,
                    "1 gives about 35 sign-ins per person over 90 days; raise it for benchmarks");
    }
    auto d = parse_date(o.as_of);
    if (!d || !d->has_value() || format_date(**d) != o.as_of) {
        return fail(ErrorCode::invalid_value, "as_of '" + o.as_of + "' is not a date", where, "write it as YYYY-MM-DD");
    }
    return {};
}

}  // namespace

Result<SampleSummary> generate_sample(const SampleOptions& options) {
    if (auto ok = validate(options); !ok) return std::unexpected(ok.error());
    const World world = build_world(options);
    SampleSummary summary;
    if (auto ok = write_inputs(world, summary); !ok) return std::unexpected(ok.error());
    if (options.okta_log) {
        if (auto ok = write_okta_log(world, summary); !ok) return std::unexpected(ok.error());
    }
    if (auto ok = write_planted(world, summary); !ok) return std::unexpected(ok.error());
    for (const SampleFile& f : summary.files) summary.bytes_total += f.bytes;
    return summary;
}

}  // namespace stackaudit::sample
