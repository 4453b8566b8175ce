// Live vendor APIs, declaratively: each vendor connector states its endpoints, paging style and
// credentials as data (an ApiSpec); one puller walks the pages and writes each one, exactly as
// received, into a snapshot; the vendor's parser later reads the snapshot (or the same pages
// saved by hand) into the model. Nothing vendor-specific lives in the puller.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stackaudit/connectors/http.hpp"
#include "stackaudit/core/error.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::connectors {

enum class PagingKind {
    none,         // one page
    link_header,  // RFC 8288 Link rel="next" (Okta)
    body_url,     // next URL in the body: @odata.nextLink (Graph), nextRecordsUrl (Salesforce), links.next (Zendesk)
    body_token,   // opaque token in the body sent back as a query parameter (Google, Zoom, HubSpot, Slack cursor)
    page_number,  // a page number substituted into the path or query until an end flag (Adobe, Slack accessLogs)
};

struct Paging {
    PagingKind kind = PagingKind::none;
    // JSON pointer (RFC 6901, "/paging/next/after") of the next URL or token in the body.
    std::string next_pointer;
    // body_token: the query parameter that carries the token back ("pageToken", "cursor", "after").
    std::string token_param;
    // Optional JSON pointer of a boolean that says whether more pages exist and its meaning:
    // Salesforce "/done" (true = last), Zendesk "/meta/has_more" (false = last), Adobe "/lastPage".
    std::string done_pointer;
    bool done_when = true;  // the value of done_pointer that means "no more pages"
    // page_number: placeholder replaced in the endpoint path ("{page}"), first page number, and
    // optionally a pointer to the page count ("/paging/pages" for Slack accessLogs).
    std::string page_placeholder = "{page}";
    int first_page = 0;
    std::string pages_pointer;
    // Okta's System Log polling always returns a next link: stop at the first empty page.
    bool stop_on_empty_page = false;
    int max_pages = 100'000;  // safety net beyond loop detection
};

struct Endpoint {
    std::string name;  // snapshot folder name, e.g. "users"
    // Path and query relative to the base URL, with {option} placeholders filled from the
    // source's options (e.g. "/v2/usermanagement/users/{org_id}/{page}") and {since} from the
    // incremental state.
    std::string path;
    Paging paging;
    std::string records_pointer;  // JSON pointer of the record array ("" = the body is an array)
    bool csv = false;             // the response is CSV (Microsoft usage reports), saved as page-N.csv
    bool optional = false;        // a 403/404 here (e.g. a plan without access logs) is recorded, not fatal
    // Fan-out (Okta app users: /api/v1/apps/{id}/users): when set, this endpoint is pulled once
    // per record of the endpoint named here (pulled first), with {id} in `path` replaced by the
    // value at `fan_out_pointer` in that record (URL-encoded). Each id's pages are saved under
    // <endpoint>/<id>/page-00001.json, so endpoint_pages(dir, "<endpoint>/<id>") lists them.
    std::string fan_out_from;
    std::string fan_out_pointer = "/id";
};

enum class AuthKind { bearer, ssws, basic_token, header };

// One credential the connector needs and how it is sent.
struct CredentialSpec {
    std::string name;         // config key under credentials:, e.g. "token", "api_key"
    AuthKind kind = AuthKind::bearer;
    std::string header;       // for AuthKind::header, e.g. "X-Api-Key"
    std::string description;  // what to create in the vendor's console and which scopes/permissions
};

struct ApiSpec {
    std::string default_base_url;  // may hold {option} placeholders, e.g. "https://{domain}"
    std::vector<CredentialSpec> credentials;
    std::vector<Endpoint> endpoints;
    std::string permissions;       // scopes / admin role needed, for errors and `connectors describe`
    std::string check_endpoint;    // endpoint name used by `connectors check` (first page only)
    // Vendors that answer errors with HTTP 200 (Slack: {"ok": false, "error": "invalid_auth"}):
    // a JSON pointer to a boolean that must be true, and one to the error text.
    std::string ok_pointer;
    std::string error_pointer;
    std::string incremental;       // "" or the name of the endpoint pulled incrementally (Okta logs)
    // JSON pointer, inside one record of the incremental endpoint, of the event time that the
    // next pull's {since} continues from (Okta: "/published").
    std::string incremental_field = "/published";
    // Values for {option} placeholders that a source's `options:` may leave out (Salesforce
    // api_version "v60.0", Google licensing_base_url); the source's own options win.
    std::map<std::string, std::string> option_defaults;
};

// Where a credential comes from: an environment variable or a file (first line, trimmed).
// Never the config itself.
struct CredentialSource {
    std::string env;
    std::filesystem::path file;
};

struct ApiSourceConfig {
    std::string base_url;  // overrides default_base_url (tests point it at 127.0.0.1)
    std::map<std::string, CredentialSource> credentials;
    std::map<std::string, std::string> options;  // fills {placeholders}
    http::TransportOptions transport;
    http::RetryPolicy retry;
};

// Reads each credential. Errors: config_invalid naming the variable or file that is unset,
// empty or unreadable, with a hint on what to create (CredentialSpec::description). Warns (via
// the returned list) when a credential file is readable by group or others.
struct ResolvedCredentials {
    std::map<std::string, std::string> values;
    std::vector<std::string> warnings;
    std::string describe(const std::string& name) const;  // "env OKTA_TOKEN" / "file /etc/...": for hints
    std::map<std::string, std::string> origin;
};
[[nodiscard]] Result<ResolvedCredentials> resolve_credentials(const ApiSpec& spec, const ApiSourceConfig& config);

// ---- snapshots -------------------------------------------------------------------------------
// Layout: <root>/<source>/<YYYYMMDDTHHMMSSZ>/<endpoint>/page-00001.json (+ page-00001.meta.json
// holding status, URL and headers, all redacted), <root>/<source>/<stamp>/MANIFEST.json when
// complete, <root>/<source>/LATEST naming the newest complete stamp, and
// <root>/<source>/LAST_FAILURE.json when the newest attempt failed. A pull writes into a new
// stamp folder; only a complete pull moves LATEST, so a failure leaves the previous snapshot.

struct EndpointPull {
    std::string endpoint;
    int pages = 0;
    std::size_t records = 0;
    bool skipped = false;  // optional endpoint the account cannot use (403/404); why is in `note`
    std::string note;
    // The incremental endpoint only: pages carried over (hard-linked) from the previous snapshot
    // ahead of the new ones, so the newest snapshot alone holds every event of the last 180 days.
    int carried_pages = 0;
};

struct PullResult {
    std::string source;
    std::filesystem::path snapshot_dir;  // the new complete snapshot
    std::string stamp;
    std::vector<EndpointPull> endpoints;
    int requests = 0;
    http::Millis waited{0};
};

// Pulls every endpoint of `spec` for one source into a new snapshot under `root`.
// Errors: source_failed (transport, HTTP, paging loop "page 7 points back to page 3's URL", too
// many pages), config_invalid (missing option for a placeholder, missing credential). On error
// LAST_FAILURE.json is written and LATEST is untouched.
[[nodiscard]] Result<PullResult> pull_source(const std::string& source_name, const ApiSpec& spec,
                                             const ApiSourceConfig& config, const std::filesystem::path& root,
                                             http::Transport& transport, http::Clock& clock, http::Events events = {});

struct SnapshotInfo {
    std::filesystem::path dir;  // <root>/<source>/<stamp>
    Timestamp fetched_at{};
    bool stale = false;         // a newer pull attempt failed
    std::string stale_reason;   // "pull at 2026-11-02T02:00:00Z failed: HTTP 401 ..."
};

// The newest complete snapshot of a source. Errors: not_found ("no snapshot of okta_users yet:
// run stackaudit pull").
[[nodiscard]] Result<SnapshotInfo> latest_snapshot(const std::filesystem::path& root, const std::string& source_name);

// The folder a fan-out id (an Okta app id, ...) is saved under, inside its endpoint's folder:
// the id itself when made of letters, digits, '-', '_' and '.', not starting with '.', and at
// most 100 bytes; otherwise every other byte (and a leading '.') is percent-encoded and an
// over-long id is cut and suffixed with its hash. Ids come from vendor data, so "../../etc" must
// never name a parent folder: it is saved as "%2E.%2F%2E.%2Fetc".
[[nodiscard]] std::string fan_out_folder(std::string_view id);

// The saved pages of one endpoint, in page order: from a snapshot dir or a folder of pages saved
// by hand laid out the same way (<dir>/<endpoint>/page-*.json). Empty if the endpoint folder is absent.
[[nodiscard]] std::vector<std::filesystem::path> endpoint_pages(const std::filesystem::path& dir,
                                                                const std::string& endpoint);

}  // namespace stackaudit::connectors
