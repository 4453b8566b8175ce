// `stackaudit sample`: write the sample company (inputs + config + planted-problem manifest).
#include <iostream>

#include "commands.hpp"
#include "stackaudit/sample/generator.hpp"

namespace stackaudit::cli {

namespace {

int run_sample(const sample::SampleOptions& o) {
    auto summary = sample::generate_sample(o);
    if (!summary) {
        std::cerr << summary.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    std::cout << "Wrote the sample company to " << o.out_dir.string() << ":\n"
              << "  " << summary->people << " people (" << summary->departed << " departed), " << summary->tools
              << " tools, " << summary->integrations << " integrations\n"
              << "  " << summary->seat_exports << " seat exports with " << summary->seats << " seats\n"
              << "  " << summary->log_events << " Okta System Log events (" << summary->sso_events
              << " successful SSO sign-ins)\n"
              << "  " << summary->planted << " planted problems, listed in " << (o.out_dir / "PLANTED.md").string() << "\n"
              << "  " << summary->bytes_total << " bytes in " << summary->files.size() << " files\n"
              << "Audit it with:  stackaudit audit --config " << (o.out_dir / "stackaudit.yaml").string() << "\n";
    return k_exit_ok;
}

}  // namespace

void setup_sample(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<sample::SampleOptions>();
    auto* sub = app.add_subcommand("sample", "Generate the sample company \"Northwind Labs\" with planted problems");
    sub->footer("Examples:\n"
                "  stackaudit sample --out demo                       # what sample_data/northwind holds\n"
                "  stackaudit sample --out big --scale 7 --tools 60   # ~2,000 people for benchmarks\n"
                "The same options always write byte-identical files.");
    sub->add_option("-o,--out", opts->out_dir, "Directory to write into (created; files are overwritten)")->required();
    sub->add_option("--scale", opts->scale, "Multiply people and events by this")->check(CLI::Range(1, 1000))->capture_default_str();
    sub->add_option("--tools", opts->tools, "Catalog size; 0 keeps the built-in tools, more adds synthetic ones")
        ->check(CLI::Range(0, 100000))->capture_default_str();
    sub->add_option("--days", opts->days, "Days of Okta System Log before as_of")->check(CLI::Range(1, 180))->capture_default_str();
    sub->add_option("--noise", opts->noise_per_sso, "Non-SSO and failed events per successful SSO event")
        ->check(CLI::Range(0.0, 10.0))->capture_default_str();
    sub->add_option("--activity", opts->activity, "Multiply how often people sign in to their apps")
        ->check(CLI::Range(0.1, 100.0))->capture_default_str();
    sub->add_option("--seed", opts->seed, "Random seed")->capture_default_str();
    sub->add_option("--as-of", opts->as_of, "Audit date written into the config (YYYY-MM-DD)")->capture_default_str();
    sub->add_flag("!--no-okta-log", opts->okta_log, "Leave out the Okta System Log");
    sub->callback([opts, &exit_code] { exit_code = run_sample(*opts); });
}

}  // namespace stackaudit::cli
