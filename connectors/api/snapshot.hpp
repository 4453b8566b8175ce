// Writing snapshots (private to the puller): stamp names, page and meta files, the manifest,
// LATEST and LAST_FAILURE.json. Reading lives in the public api.hpp (latest_snapshot,
// endpoint_pages). The layout is described in api.hpp and docs/connectors/shared-behaviour.md.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/connectors/api.hpp"

namespace stackaudit::connectors::snapshot {

inline constexpr std::string_view k_latest = "LATEST";
inline constexpr std::string_view k_manifest = "MANIFEST.json";
inline constexpr std::string_view k_last_failure = "LAST_FAILURE.json";

// "20261102T020000Z"
[[nodiscard]] std::string make_stamp(Timestamp t);

// "page-00001.json" / "page-00001.csv" / "page-00001.meta.json"
[[nodiscard]] std::string page_file(int page, std::string_view extension);

// The meta file of one page: status, URL, time and response headers, credential headers left
// out and every value redacted.
[[nodiscard]] std::string page_meta(const http::Response& response, std::string_view url, Timestamp fetched_at,
                                    const std::vector<std::string>& secrets);

struct Manifest {
    std::string source;
    std::string stamp;
    Timestamp fetched_at{};
    std::string base_url;
    std::string since;  // the {since} used, "" if none
    std::vector<EndpointPull> endpoints;
    int requests = 0;
    http::Millis waited{0};
};
[[nodiscard]] std::string manifest_json(const Manifest& manifest);

// `since` recorded in a snapshot's manifest, if any.
[[nodiscard]] std::optional<std::string> manifest_since(const std::filesystem::path& snapshot_dir);

[[nodiscard]] std::string failure_json(std::string_view source, Timestamp when, std::string_view stamp,
                                       std::string_view error_text);

}  // namespace stackaudit::connectors::snapshot
