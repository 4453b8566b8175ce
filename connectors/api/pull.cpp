// pull_source: the one generic puller. It resolves credentials, fills {placeholders}, walks
// every endpoint's pages the way its Paging says (stopping on loops), writes each page exactly
// as received into a new snapshot folder, and moves LATEST only when everything succeeded.
// Nothing vendor-specific lives here: vendors describe themselves in an ApiSpec.
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "api/json_pointer.hpp"
#include "api/snapshot.hpp"
#include "csv_source.hpp"
#include "http/encoding.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/core/io.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors {

namespace {

using namespace std::chrono;

constexpr int k_default_since_days = 90;
// How far back carried-over incremental pages reach (Okta keeps its System Log for 180 days).
constexpr int k_incremental_keep_days = 180;

bool is_name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Replaces {name} with values[name]; `keep` placeholders (the page number) stay for later.
// Braces around anything that is not a plain name are left alone.
Result<std::string> fill_placeholders(std::string_view text, const std::map<std::string, std::string>& values,
                                      std::string_view keep, std::string_view what) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto open = text.find('{', i);
        if (open == std::string_view::npos) break;
        const auto close = text.find('}', open + 1);
        if (close == std::string_view::npos) break;
        const auto name = text.substr(open + 1, close - open - 1);
        out += text.substr(i, open - i);
        i = close + 1;
        if (name.empty() || !std::all_of(name.begin(), name.end(), is_name_char) ||
            text.substr(open, close - open + 1) == keep) {
            out += text.substr(open, close - open + 1);
            continue;
        }
        const auto it = values.find(std::string(name));
        if (it == values.end() || it->second.empty()) {
            std::vector<std::string> known;
            for (const auto& [key, value] : values) known.push_back(key);
            const auto suggestion = did_you_mean(name, known);
            return fail(ErrorCode::config_invalid,
                        cat(what, " needs option '", name, "'", it == values.end() ? "" : " (it is empty)"), {},
                        cat("add it under api: options: {", name, ": ...}",
                            suggestion.empty() ? "" : cat(" (did you mean '", suggestion, "'?)")));
        }
        out += it->second;
    }
    out += text.substr(i);
    return out;
}

std::string join_url(std::string_view base, std::string_view path) {
    if (path.starts_with("http://") || path.starts_with("https://")) return std::string(path);
    std::string out(base);
    while (out.ends_with('/')) out.pop_back();
    if (!path.empty() && !path.starts_with('/') && !path.starts_with('?')) out += '/';
    out += path;
    return out;
}

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    if (from.empty()) return text;
    std::size_t pos = 0;
    while ((pos = text.find(from, pos)) != std::string::npos) {
        text.replace(pos, from.size(), to);
        pos += to.size();
    }
    return text;
}

std::size_t csv_records(std::string_view body) {
    std::size_t lines = 0;
    std::size_t start = 0;
    while (start < body.size()) {
        auto end = body.find('\n', start);
        if (end == std::string_view::npos) end = body.size();
        if (!trim(body.substr(start, end - start)).empty()) ++lines;
        start = end + 1;
    }
    return lines > 0 ? lines - 1 : 0;  // minus the header line
}

bool slack_style_credential_error(std::string_view code) {
    return code == "invalid_auth" || code == "not_authed" || code == "token_revoked" || code == "token_expired" ||
           code == "account_inactive";
}

bool slack_style_permission_error(std::string_view code) {
    return code == "missing_scope" || code == "no_permission" || code == "not_allowed_token_type" ||
           code == "paid_only" || code == "team_access_not_granted";
}

using EventTime = std::pair<Timestamp, std::string>;  // parsed, and as the vendor wrote it

// The newest value of `field` among the records of one saved page; nullopt for a page without
// records (or unreadable).
std::optional<EventTime> newest_in_page(simdjson::dom::parser& parser, const std::filesystem::path& page,
                                        const Endpoint& endpoint, std::string_view field) {
    const auto text = read_file(page);
    if (!text) return std::nullopt;
    simdjson::dom::element root;
    if (parser.parse(text->data(), text->size()).get(root) != simdjson::SUCCESS) return std::nullopt;
    const auto records = api::at_pointer(root, endpoint.records_pointer);
    simdjson::dom::array array;
    // Bind the array to a named value: ranging over get_array().value_unsafe() would range over
    // a member of a temporary that is already destroyed.
    if (!records || records->get_array().get(array) != simdjson::SUCCESS) return std::nullopt;
    std::optional<EventTime> newest;
    for (const auto record : array) {
        const auto value = api::pointer_text(record, field);
        if (!value) continue;
        const auto t = parse_timestamp(*value);
        if (!t || !*t) continue;
        EventTime candidate{**t, *value};
        if (!newest || candidate > *newest) newest = std::move(candidate);
    }
    return newest;
}

// "2026-10-31T23:59:59.999Z" -> "2026-11-01T00:00:00.000Z". Text that is not a timestamp is
// returned unchanged.
std::string one_millisecond_later(std::string_view iso) {
    const auto seconds = parse_timestamp(iso);
    if (!seconds || !*seconds) return std::string(iso);
    int millis = 0;
    if (const auto dot = iso.find('.'); dot != std::string_view::npos) {
        int digits = 0;
        for (std::size_t i = dot + 1; i < iso.size() && digits < 3 && iso[i] >= '0' && iso[i] <= '9'; ++i, ++digits)
            millis = millis * 10 + (iso[i] - '0');
        for (; digits < 3; ++digits) millis *= 10;
    }
    const auto total = std::chrono::time_point_cast<std::chrono::milliseconds>(**seconds) +
                       std::chrono::milliseconds(millis + 1);
    const auto whole = std::chrono::floor<std::chrono::seconds>(total);
    const auto ms = (total - whole).count();
    std::string out = format_timestamp(whole);
    out.pop_back();  // the 'Z'
    std::string frac = std::to_string(ms);
    while (frac.size() < 3) frac.insert(frac.begin(), '0');
    return cat(out, ".", frac, "Z");
}

// The event time the next incremental pull continues from: the newest value of `field` on the
// last non-empty page of `endpoint` in the previous snapshot.
std::optional<std::string> newest_event_time(const std::filesystem::path& snapshot_dir, const Endpoint& endpoint,
                                             std::string_view field) {
    const auto pages = endpoint_pages(snapshot_dir, endpoint.name);
    simdjson::dom::parser parser;
    for (auto it = pages.rbegin(); it != pages.rend(); ++it) {
        if (const auto newest = newest_in_page(parser, *it, endpoint, field)) return newest->second;
    }
    return std::nullopt;
}

// Links (or copies) the previous snapshot's pages of the incremental endpoint into the new
// snapshot, leaving out empty pages and pages whose newest event is older than `cutoff`.
// Pages are in time order, so only the expiring head of the list is parsed.
Result<int> carry_forward(const std::filesystem::path& previous_dir, const std::filesystem::path& stamp_dir,
                          const Endpoint& endpoint, std::string_view field, Timestamp cutoff, const std::string& source) {
    const auto pages = endpoint_pages(previous_dir, endpoint.name);
    const auto folder = stamp_dir / endpoint.name;
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    simdjson::dom::parser parser;
    bool reached_cutoff = false;
    int carried = 0;
    for (const auto& page : pages) {
        const bool small = std::filesystem::file_size(page, ec) < 64;
        if (!reached_cutoff || small) {
            const auto newest = newest_in_page(parser, page, endpoint, field);
            if (!newest || newest->first < cutoff) continue;
            reached_cutoff = true;
        }
        ++carried;
        const auto extension = page.extension() == ".csv" ? "csv" : "json";
        const std::pair<std::filesystem::path, std::filesystem::path> files[] = {
            {page, folder / snapshot::page_file(carried, extension)},
            {std::filesystem::path(page).replace_extension(".meta.json"), folder / snapshot::page_file(carried, "meta.json")}};
        for (const auto& [from, to] : files) {
            if (!std::filesystem::exists(from, ec)) continue;
            std::filesystem::create_hard_link(from, to, ec);
            if (ec) std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
            if (ec) {
                return fail(ErrorCode::io, cat("cannot carry ", from.string(), " into the new snapshot: ", ec.message()),
                            Location{.source = source, .file = to.string()}, "check that the snapshots folder is writable");
            }
        }
    }
    return carried;
}

struct Puller {
    const std::string& source;
    const ApiSpec& spec;
    http::Client& client;
    http::Clock& clock;
    const http::Events& events;
    const std::vector<std::string>& secrets;
    const std::vector<http::Header>& auth_headers;
    std::string credential_hint;
    std::filesystem::path stamp_dir;
    simdjson::dom::parser parser{};

    void log(const std::string& line) const {
        if (events.log) events.log(source, http::redact(line, secrets));
    }

    std::unexpected<Error> page_error(ErrorCode code, const Endpoint& endpoint, int page, std::string message,
                                      std::string hint, int status = 0, std::string file = {}) const {
        return fail(code, http::redact(cat("endpoint ", endpoint.name, ", page ", page, ": ", message), secrets),
                    Location{.source = source, .file = std::move(file), .http_status = status},
                    http::redact(hint, secrets));
    }

    Result<EndpointPull> walk(const Endpoint& endpoint, const std::string& url_template, int carried = 0) {
        const Paging& paging = endpoint.paging;
        EndpointPull result;
        result.endpoint = endpoint.name;
        result.carried_pages = carried;
        const auto folder = stamp_dir / endpoint.name;
        std::error_code ec;
        std::filesystem::create_directories(folder, ec);
        if (ec) {
            return fail(ErrorCode::io, cat("cannot create ", folder.string(), ": ", ec.message()),
                        Location{.source = source, .file = folder.string()}, "check that the snapshots folder is writable");
        }

        int page_value = paging.first_page;
        auto page_url = [&](int value) {
            std::string url = url_template;
            if (paging.kind == PagingKind::page_number) url = replace_all(url, paging.page_placeholder, std::to_string(value));
            return http::detail::encode_unsafe(url);
        };
        const std::string first_url = page_url(page_value);
        const std::string origin = http::detail::url_origin(first_url);
        std::string url = first_url;
        std::map<std::string, int> seen_urls;
        std::map<std::string, int> seen_tokens;

        for (int page = 1;; ++page) {
            if (page > paging.max_pages) {
                return page_error(ErrorCode::source_failed, endpoint, page,
                                  cat("more than ", paging.max_pages, " pages; stopped"),
                                  "the API keeps returning next pages; narrow the query (since, filters) or report it");
            }
            if (const auto seen = seen_urls.find(url); seen != seen_urls.end()) {
                return page_error(ErrorCode::source_failed, endpoint, page,
                                  cat("paging loop: page ", page, " points back to page ", seen->second, "'s URL ",
                                      http::detail::strip_userinfo(url)),
                                  "the API returned a next link that does not advance; the pages so far were not "
                                  "saved as a snapshot; try again later or report it to the vendor");
            }
            seen_urls.emplace(url, page);

            http::Request request;
            request.method = "GET";
            request.url = url;
            request.headers = auth_headers;
            request.headers.push_back({"accept", endpoint.csv ? "text/csv, */*" : "application/json"});
            auto response = client.send(request);
            if (!response) {
                Error error = response.error();
                const int status = error.where.http_status;
                if (endpoint.optional && page == 1 && (status == 403 || status == 404)) {
                    result.skipped = true;
                    result.note = cat("skipped: HTTP ", status, " (", error.message, ")");
                    log(cat("event=skip endpoint=", endpoint.name, " status=", status));
                    return result;
                }
                error.message = http::redact(cat("endpoint ", endpoint.name, ", page ", page, ": ", error.message), secrets);
                error.where.source = source;
                return std::unexpected(std::move(error));
            }
            if (response->status >= 300) {
                return page_error(ErrorCode::source_failed, endpoint, page,
                                  cat("unexpected HTTP ", response->status, " from ", url), "report it", response->status);
            }

            const Timestamp fetched_at = floor<seconds>(clock.now());
            const auto body_file = folder / snapshot::page_file(carried + page, endpoint.csv ? "csv" : "json");
            const auto meta_file = folder / snapshot::page_file(carried + page, "meta.json");
            std::size_t records = 0;
            std::optional<std::string> next;
            bool done = paging.kind == PagingKind::none;

            if (endpoint.csv) {
                records = csv_records(response->body);
                done = true;
            } else {
                simdjson::dom::element root;
                if (const auto err = parser.parse(response->body.data(), response->body.size()).get(root);
                    err != simdjson::SUCCESS) {
                    return page_error(ErrorCode::source_failed, endpoint, page,
                                      cat("the response from ", url, " is not valid JSON (", simdjson::error_message(err), ")"),
                                      "the server sent a broken page; try again, and report it if it persists",
                                      response->status);
                }
                if (!spec.ok_pointer.empty() && api::pointer_bool(root, spec.ok_pointer) != std::optional<bool>{true}) {
                    const auto code = api::pointer_text(root, spec.error_pointer).value_or("no error text");
                    const auto needed = api::pointer_text(root, "/needed");
                    const std::string what =
                        cat("the API answered ", spec.ok_pointer, " = false: ", code, needed ? cat(" (needs ", *needed, ")") : "");
                    if (endpoint.optional && page == 1 && !slack_style_credential_error(code)) {
                        result.skipped = true;
                        result.note = cat("skipped: ", what);
                        log(cat("event=skip endpoint=", endpoint.name, " error=", code));
                        return result;
                    }
                    std::string hint = "see the vendor's error code";
                    if (slack_style_credential_error(code)) hint = credential_hint;
                    if (slack_style_permission_error(code)) {
                        hint = cat("the credential lacks a permission; it needs: ", spec.permissions);
                    }
                    return page_error(ErrorCode::source_failed, endpoint, page, what, hint, response->status);
                }
                records = api::pointer_count(root, endpoint.records_pointer);
                if (!paging.done_pointer.empty()) {
                    if (const auto flag = api::pointer_bool(root, paging.done_pointer); flag && *flag == paging.done_when) {
                        done = true;
                    }
                }
                if (paging.stop_on_empty_page && records == 0) done = true;
                if (!done) {
                    switch (paging.kind) {
                        case PagingKind::none: done = true; break;
                        case PagingKind::link_header: {
                            const auto link = http::parse_link_next(response->headers_named("link"));
                            if (link && !trim(*link).empty()) {
                                next = http::resolve_url(response->url.empty() ? url : response->url, *link);
                            }
                            break;
                        }
                        case PagingKind::body_url: {
                            const auto value = api::pointer_text(root, paging.next_pointer);
                            if (value && !trim(*value).empty()) {
                                next = http::resolve_url(response->url.empty() ? url : response->url, *value);
                            }
                            break;
                        }
                        case PagingKind::body_token: {
                            const auto token = api::pointer_text(root, paging.next_pointer);
                            if (token && !token->empty()) {
                                if (const auto seen = seen_tokens.find(*token); seen != seen_tokens.end()) {
                                    return page_error(ErrorCode::source_failed, endpoint, page,
                                                      cat("paging loop: page ", page, " returned the same next token as page ",
                                                          seen->second),
                                                      "the API's page token does not advance; the pages so far were not "
                                                      "saved as a snapshot; try again later or report it to the vendor");
                                }
                                seen_tokens.emplace(*token, page);
                                next = http::detail::set_query_param(first_url, paging.token_param, *token);
                            }
                            break;
                        }
                        case PagingKind::page_number: {
                            bool last = false;
                            if (!paging.pages_pointer.empty()) {
                                const auto pages = api::pointer_int(root, paging.pages_pointer);
                                if (pages && page_value - paging.first_page + 1 >= *pages) last = true;
                            }
                            if (paging.done_pointer.empty() && paging.pages_pointer.empty() && records == 0) last = true;
                            if (!last) next = page_url(++page_value);
                            break;
                        }
                    }
                }
            }

            if (auto written = write_file_atomic(body_file, response->body); !written) {
                return std::unexpected(written.error());
            }
            if (auto written = write_file_atomic(meta_file, snapshot::page_meta(*response, url, fetched_at, secrets));
                !written) {
                return std::unexpected(written.error());
            }
            ++result.pages;
            result.records += records;
            log(cat("event=page endpoint=", endpoint.name, " page=", page, " records=", records,
                    " status=", response->status));

            if (done || !next) break;
            if (http::detail::url_origin(*next) != origin) {
                return page_error(ErrorCode::source_failed, endpoint, page,
                                  cat("the next page is on another host (", http::detail::strip_userinfo(*next),
                                      "); credentials are only sent to ", origin),
                                  "check base_url: it must be the host the API's next links point to");
            }
            url = http::detail::encode_unsafe(*next);
        }
        return result;
    }
};

// The ids a fan-out endpoint runs over: the value at `pointer` in every record of the pages
// `from` saved in this snapshot, in page order, without repeats.
Result<std::vector<std::string>> fan_out_ids(const std::filesystem::path& stamp_dir, const Endpoint& from,
                                             std::string_view pointer, const std::string& source_name) {
    std::vector<std::string> ids;
    simdjson::dom::parser parser;
    for (const auto& page : endpoint_pages(stamp_dir, from.name)) {
        simdjson::dom::element root;
        if (parser.load(page.string()).get(root) != simdjson::SUCCESS) {
            return fail(ErrorCode::json_malformed, cat("page ", page.string(), " is not valid JSON"),
                        Location{.source = source_name, .file = page.string()}, "pull again");
        }
        auto records = api::at_pointer(root, from.records_pointer);
        simdjson::dom::array array;
        if (!records || records->get(array) != simdjson::SUCCESS) continue;
        for (simdjson::dom::element record : array) {
            auto id = api::pointer_text(record, pointer);
            if (!id || id->empty() || std::find(ids.begin(), ids.end(), *id) != ids.end()) continue;
            ids.push_back(std::move(*id));
        }
    }
    return ids;
}

// Pulls `endpoint` once per id of its fan_out_from endpoint, each into <endpoint>/<id>/.
Result<EndpointPull> walk_fan_out(Puller& puller, const ApiSpec& spec, const Endpoint& endpoint,
                                  const std::string& url_template, const std::filesystem::path& stamp_dir,
                                  const std::string& source_name) {
    const auto from = std::find_if(spec.endpoints.begin(), spec.endpoints.end(),
                                   [&](const Endpoint& e) { return e.name == endpoint.fan_out_from; });
    if (from == spec.endpoints.end()) {
        return fail(ErrorCode::internal, cat("endpoint ", endpoint.name, " fans out from unknown endpoint ", endpoint.fan_out_from),
                    Location{.source = source_name}, "this is a bug in the connector's ApiSpec");
    }
    auto ids = fan_out_ids(stamp_dir, *from, endpoint.fan_out_pointer, source_name);
    if (!ids) return std::unexpected(ids.error());
    EndpointPull total;
    total.endpoint = endpoint.name;
    for (const auto& id : *ids) {
        Endpoint one = endpoint;
        one.name = cat(endpoint.name, "/", fan_out_folder(id));  // ids are vendor data: never a path
        std::string url = url_template;
        if (const auto at = url.find("{id}"); at != std::string::npos) url.replace(at, 4, http::detail::percent_encode(id));
        auto pulled = puller.walk(one, url, 0);
        if (!pulled) return std::unexpected(pulled.error());
        total.pages += pulled->pages;
        total.records += pulled->records;
        if (pulled->skipped) {
            if (!total.note.empty()) total.note += "; ";
            total.note += cat(id, ": ", pulled->note);
        }
    }
    return total;
}

Result<PullResult> pull_into(const std::string& source_name, const ApiSpec& spec, const ApiSourceConfig& config,
                             const std::filesystem::path& root, http::Transport& transport, http::Clock& clock,
                             const http::Events& events, const Timestamp started, std::string& stamp,
                             std::filesystem::path& stamp_dir, std::vector<std::string>& secrets) {
    auto credentials = resolve_credentials(spec, config);
    if (!credentials) {
        Error error = credentials.error();
        error.where.source = source_name;
        return std::unexpected(std::move(error));
    }
    for (const auto& warning : credentials->warnings) {
        if (events.log) events.log(source_name, cat("event=warning message=\"", warning, "\""));
    }

    std::vector<http::Header> auth_headers;
    std::vector<std::string> hints;
    for (const auto& credential : spec.credentials) {
        const std::string& value = credentials->values.at(credential.name);
        secrets.push_back(value);
        hints.push_back(cat(credential.name, " (", credentials->describe(credential.name), ")",
                            credential.description.empty() ? "" : cat(": ", credential.description)));
        switch (credential.kind) {
            case AuthKind::bearer: auth_headers.push_back({"authorization", "Bearer " + value}); break;
            case AuthKind::ssws: auth_headers.push_back({"authorization", "SSWS " + value}); break;
            case AuthKind::basic_token: {
                const auto email = config.options.find("email");
                if (email == config.options.end() || trim(email->second).empty()) {
                    return fail(ErrorCode::config_invalid,
                                cat("credential '", credential.name, "' is an API token that is sent with the "
                                    "admin's email, but option 'email' is not set"),
                                Location{.source = source_name},
                                "add under api: options: {email: admin@example.com} (the account that owns the token)");
                }
                const std::string pair = cat(trim(email->second), "/token:", value);
                secrets.push_back(pair);
                auth_headers.push_back({"authorization", "Basic " + http::detail::base64_encode(pair)});
                break;
            }
            case AuthKind::header: {
                const std::string name = credential.header.empty() ? std::string("x-api-key") : to_lower(credential.header);
                auth_headers.push_back({name, value});
                break;
            }
        }
    }

    Timestamp as_of = started;
    if (const auto a = config.options.find("as_of"); a != config.options.end()) {
        const auto parsed = parse_timestamp(a->second);
        if (!parsed || !*parsed) {
            return fail(ErrorCode::config_invalid, cat("option as_of '", a->second, "' is not a date or time"),
                        Location{.source = source_name}, "write it as 2026-11-01 or 2026-11-01T00:00:00Z");
        }
        as_of = **parsed;
    }
    std::optional<SnapshotInfo> previous;
    if (!spec.incremental.empty()) {
        if (auto found = latest_snapshot(root, source_name)) previous = std::move(*found);
    }

    auto values = config.options;
    for (const auto& [key, value] : spec.option_defaults) values.try_emplace(key, value);
    const bool needs_since = !spec.incremental.empty() ||
                             std::any_of(spec.endpoints.begin(), spec.endpoints.end(),
                                         [](const Endpoint& e) { return e.path.find("{since}") != std::string::npos; });
    std::string since;
    if (needs_since) {
        if (!spec.incremental.empty()) {
            const auto endpoint = std::find_if(spec.endpoints.begin(), spec.endpoints.end(),
                                               [&](const Endpoint& e) { return e.name == spec.incremental; });
            if (previous && endpoint != spec.endpoints.end()) {
                // `since` is inclusive at Okta; starting one millisecond after the newest event
                // already held keeps that event from being pulled (and counted) twice.
                if (auto newest = newest_event_time(previous->dir, *endpoint, spec.incremental_field))
                    since = one_millisecond_later(*newest);
                else
                    since = snapshot::manifest_since(previous->dir).value_or("");
            }
        }
        if (since.empty()) {
            if (const auto it = config.options.find("since"); it != config.options.end() && !trim(it->second).empty()) {
                since = std::string(trim(it->second));
            } else {
                since = format_timestamp(as_of - days{k_default_since_days});
            }
        }
        values["since"] = since;
    }

    const std::string base_template = config.base_url.empty() ? spec.default_base_url : config.base_url;
    if (base_template.empty()) {
        return fail(ErrorCode::config_invalid, "no base_url for this API", Location{.source = source_name},
                    "add under api: base_url: https://...");
    }
    auto base_url = fill_placeholders(base_template, values, "", cat("base_url ", base_template));
    if (!base_url) {
        Error error = base_url.error();
        error.where.source = source_name;
        return std::unexpected(std::move(error));
    }
    std::vector<std::string> url_templates;
    for (const auto& endpoint : spec.endpoints) {
        // Fan-out endpoints keep {id} until the ids are known; paged ones keep {page}.
        const std::string keep = !endpoint.fan_out_from.empty()                 ? std::string("{id}")
                                 : endpoint.paging.kind == PagingKind::page_number ? endpoint.paging.page_placeholder
                                                                                   : std::string();
        auto path = fill_placeholders(endpoint.path, values, keep,
                                      cat("endpoint ", endpoint.name, " (", endpoint.path, ")"));
        if (!path) {
            Error error = path.error();
            error.where.source = source_name;
            return std::unexpected(std::move(error));
        }
        url_templates.push_back(join_url(*base_url, *path));
    }

    // A new stamp folder; a second pull within the same second gets a suffix.
    stamp = snapshot::make_stamp(started);
    const auto source_dir = root / source_name;
    std::error_code ec;
    const std::string base_stamp = stamp;
    for (int n = 2; std::filesystem::exists(source_dir / stamp, ec); ++n) stamp = cat(base_stamp, "-", n);
    stamp_dir = source_dir / stamp;
    std::filesystem::create_directories(stamp_dir, ec);
    if (ec) {
        return fail(ErrorCode::io, cat("cannot create snapshot folder ", stamp_dir.string(), ": ", ec.message()),
                    Location{.source = source_name, .file = stamp_dir.string()},
                    "check that the snapshots folder exists and is writable");
    }

    http::Client client(transport, clock, config.retry, secrets, source_name, events, fnv1a(source_name));
    const std::string credential_hint = cat("check or renew ", join(hints, "; "));
    client.set_credential_hint(credential_hint);
    client.set_permission_hint(spec.permissions);

    Puller puller{source_name, spec, client, clock, events, secrets, auth_headers, credential_hint, stamp_dir};
    PullResult result;
    result.source = source_name;
    result.stamp = stamp;
    result.snapshot_dir = stamp_dir;
    for (std::size_t i = 0; i < spec.endpoints.size(); ++i) {
        int carried = 0;
        if (previous && spec.endpoints[i].name == spec.incremental) {
            auto n = carry_forward(previous->dir, stamp_dir, spec.endpoints[i], spec.incremental_field,
                                   as_of - days{k_incremental_keep_days}, source_name);
            if (!n) return std::unexpected(n.error());
            carried = *n;
        }
        if (!spec.endpoints[i].fan_out_from.empty()) {
            auto fanned = walk_fan_out(puller, spec, spec.endpoints[i], url_templates[i], stamp_dir, source_name);
            if (!fanned) return std::unexpected(fanned.error());
            result.endpoints.push_back(std::move(*fanned));
            continue;
        }
        auto pulled = puller.walk(spec.endpoints[i], url_templates[i], carried);
        if (!pulled) return std::unexpected(pulled.error());
        result.endpoints.push_back(std::move(*pulled));
    }
    result.requests = client.requests_sent();
    result.waited = client.total_waited();

    snapshot::Manifest manifest{source_name, stamp, started, http::redact(*base_url, secrets), since, result.endpoints,
                                result.requests, result.waited};
    if (auto written = write_file_atomic(stamp_dir / snapshot::k_manifest, snapshot::manifest_json(manifest)); !written) {
        return std::unexpected(written.error());
    }
    if (auto written = write_file_atomic(source_dir / snapshot::k_latest, stamp + "\n"); !written) {
        return std::unexpected(written.error());
    }
    std::filesystem::remove(source_dir / snapshot::k_last_failure, ec);
    return result;
}

}  // namespace

Result<PullResult> pull_source(const std::string& source_name, const ApiSpec& spec, const ApiSourceConfig& config,
                               const std::filesystem::path& root, http::Transport& transport, http::Clock& clock,
                               http::Events events) {
    const Timestamp started = floor<seconds>(clock.now());
    std::string stamp;
    std::filesystem::path stamp_dir;
    std::vector<std::string> secrets;
    auto result = pull_into(source_name, spec, config, root, transport, clock, events, started, stamp, stamp_dir, secrets);
    if (result) return result;

    Error error = std::move(result.error());
    error.message = http::redact(error.message, secrets);
    error.hint = http::redact(error.hint, secrets);
    if (error.where.source.empty()) error.where.source = source_name;
    std::error_code ec;
    // An incomplete stamp folder is never read (LATEST does not name it); removing it keeps
    // failed scheduled pulls from piling up.
    if (!stamp_dir.empty()) std::filesystem::remove_all(stamp_dir, ec);
    const auto failure = snapshot::failure_json(source_name, started, stamp, error.to_string());
    if (auto written = write_file_atomic(root / source_name / snapshot::k_last_failure, failure); !written) {
        if (events.log) events.log(source_name, cat("event=warning message=\"", written.error().message, "\""));
    }
    if (events.log) events.log(source_name, http::redact(cat("event=failed error=\"", error.message, "\""), secrets));
    return std::unexpected(std::move(error));
}

}  // namespace stackaudit::connectors
