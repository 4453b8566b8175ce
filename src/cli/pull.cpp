// `stackaudit pull`: fetch each live source's pages into a dated snapshot, as received.
#include "pull.hpp"

#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/connectors/http.hpp"

namespace stackaudit::cli {

namespace {

namespace http = connectors::http;

// Progress for people on a terminal, key=value lines for logs and schedulers.
http::Events make_events(std::ostream& err) {
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    http::Events events;
    events.log = [&err, tty](std::string_view source, std::string_view message) {
        if (tty) err << "  " << source << ": " << message << "\n";
        else err << "stackaudit pull source=" << source << " " << message << "\n";  // message is key=value already
    };
    events.waiting = [&err, tty](std::string_view source, http::Millis wait, std::string_view why) {
        if (tty) err << "  " << source << ": waiting " << static_cast<double>(wait.count()) / 1000.0 << " s (" << why << ")\n";
        else err << "stackaudit pull source=" << source << " wait_ms=" << wait.count() << " why=\"" << why << "\"\n";
    };
    return events;
}

}  // namespace

PullSummary pull_all(const AuditConfig& config, std::ostream& out, std::ostream& err) {
    PullSummary summary;
    const auto events = make_events(err);
    for (const auto& source : config.sources) {
        if (!source.api) continue;
        const auto* spec = connectors::find(source.kind);
        auto transport = http::make_curl_transport(source.api->transport);
        auto result = connectors::pull_source(source.name, *spec->api, *source.api, config.snapshots_dir, *transport,
                                              http::system_clock(), events);
        if (!result) {
            ++summary.failed;
            err << result.error().to_string() << "\n  the previous snapshot of " << source.name << " (if any) is kept\n";
            continue;
        }
        ++summary.pulled;
        std::size_t records = 0;
        int pages = 0;
        for (const auto& e : result->endpoints) {
            records += e.records;
            pages += e.pages;
        }
        out << "pulled " << source.name << ": " << pages << " pages, " << records << " records, " << result->requests
            << " requests";
        if (result->waited.count() > 0) out << ", waited " << static_cast<double>(result->waited.count()) / 1000.0 << " s for rate limits";
        out << " -> " << result->snapshot_dir.string() << "\n";
        for (const auto& e : result->endpoints)
            if (e.skipped) out << "  " << e.endpoint << " skipped: " << e.note << "\n";
    }
    return summary;
}

std::vector<SourceReport> use_snapshots(AuditConfig& config, std::vector<SourceReport>& freshness) {
    std::vector<SourceReport> missing;
    std::vector<connectors::SourceConfig> kept;
    for (auto& source : config.sources) {
        if (!source.api) {
            kept.push_back(std::move(source));
            continue;
        }
        auto snap = connectors::latest_snapshot(config.snapshots_dir, source.name);
        if (!snap) {
            SourceReport r;
            r.name = source.name;
            r.kind = source.kind;
            r.path = (config.snapshots_dir / source.name).string();
            r.ok = false;
            r.errors.push_back(snap.error());
            missing.push_back(std::move(r));
            continue;
        }
        SourceReport f;
        f.name = source.name;
        f.fetched_at = format_timestamp(snap->fetched_at);
        f.stale = snap->stale;
        f.stale_reason = snap->stale_reason;
        freshness.push_back(std::move(f));
        source.paths = {snap->dir};
        source.display_paths = {snap->dir.lexically_relative(config.dir).string()};
        kept.push_back(std::move(source));
    }
    config.sources = std::move(kept);
    return missing;
}

Result<std::string> check_source(const connectors::SourceConfig& source) {
    const auto* spec = connectors::find(source.kind);
    if (!source.api || spec == nullptr || !spec->api)
        return fail(ErrorCode::config_invalid, source.name + " has no api: section", {},
                    "only sources pulled live can be checked; saved files are checked by `stackaudit audit`");
    // Check into a scratch snapshot root so a check never replaces real data.
    auto scratch = std::filesystem::temp_directory_path() / ("stackaudit-check-" + std::to_string(::getpid()));
    auto one = *spec->api;
    std::vector<connectors::Endpoint> endpoints;
    for (auto e : one.endpoints) {
        if (e.name != one.check_endpoint) continue;
        // One page is enough to prove the credential and its permissions.
        if (e.paging.kind == connectors::PagingKind::page_number) {
            if (const auto at = e.path.find(e.paging.page_placeholder); at != std::string::npos)
                e.path.replace(at, e.paging.page_placeholder.size(), std::to_string(e.paging.first_page));
        }
        e.paging = connectors::Paging{};
        endpoints.push_back(std::move(e));
    }
    if (!endpoints.empty()) one.endpoints = std::move(endpoints);
    one.incremental.clear();
    auto transport = connectors::http::make_curl_transport(source.api->transport);
    auto result = connectors::pull_source(source.name, one, *source.api, scratch, *transport,
                                          connectors::http::system_clock());
    std::error_code ec;
    std::filesystem::remove_all(scratch, ec);
    if (!result) return std::unexpected(result.error());
    std::size_t records = 0;
    for (const auto& e : result->endpoints) records += e.records;
    return "credentials accepted; " + std::to_string(records) + " records on the first page of " +
           (one.endpoints.empty() ? std::string("the API") : one.endpoints.front().name);
}

}  // namespace stackaudit::cli

namespace stackaudit::cli {

namespace {

struct PullOptions {
    std::string config = "stackaudit.yaml";
    std::vector<std::string> only;
};

int run_pull(const PullOptions& o) {
    auto config = load_config(o.config);
    if (!config) {
        std::cerr << config.error().to_string() << "\n";
        return k_exit_bad_input;
    }
    for (const auto& warning : permission_warnings(*config)) std::cerr << "warning: " << warning << "\n";
    if (!o.only.empty()) {
        std::vector<connectors::SourceConfig> chosen;
        for (auto& s : config->sources)
            if (std::find(o.only.begin(), o.only.end(), s.name) != o.only.end()) chosen.push_back(std::move(s));
        if (chosen.size() != o.only.size()) {
            std::cerr << "error: --source names a source that is not in " << o.config
                      << "\n  hint: source names are the input kinds (seat exports: seats:<Tool>)\n";
            return k_exit_bad_input;
        }
        config->sources = std::move(chosen);
    }
    const bool any_api = std::any_of(config->sources.begin(), config->sources.end(),
                                     [](const connectors::SourceConfig& s) { return s.api.has_value(); });
    if (!any_api) {
        std::cerr << "error: no input in " << o.config << " has an api: section, so there is nothing to pull\n"
                  << "  hint: see docs/connectors.md for each vendor's api: settings\n";
        return k_exit_bad_input;
    }
    const auto summary = pull_all(*config, std::cout, std::cerr);
    std::cout << summary.pulled << " source(s) pulled, " << summary.failed << " failed; snapshots in "
              << config->snapshots_dir.string() << "\n";
    return summary.failed == 0 ? k_exit_ok : k_exit_partial;
}

}  // namespace

void setup_pull(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<PullOptions>();
    auto* sub = app.add_subcommand("pull", "Fetch every live (api:) source into a dated snapshot");
    sub->footer("Each page is stored as received under snapshots/<source>/<time>/; a failed pull keeps the\n"
                "previous snapshot and the next audit reports the source as stale.\n"
                "Examples:\n"
                "  OKTA_TOKEN=... stackaudit pull --config stackaudit.yaml\n"
                "  stackaudit pull --config stackaudit.yaml --source okta --source salesforce\n"
                "Exit codes: 0 every source pulled; 2 bad config; 3 some source failed (its old snapshot is kept).");
    sub->add_option("-c,--config", opts->config, "The stackaudit.yaml to use")->capture_default_str();
    sub->add_option("--source", opts->only, "Pull only this source (repeatable)");
    sub->callback([opts, &exit_code] { exit_code = run_pull(*opts); });
}

}  // namespace stackaudit::cli
