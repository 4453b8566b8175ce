// Snapshot files: the stamp folder layout, page meta files, MANIFEST.json, LATEST and
// LAST_FAILURE.json, and reading them back (latest_snapshot with staleness, endpoint_pages).
#include "api/snapshot.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <system_error>
#include <utility>

#include "csv_source.hpp"
#include "http/encoding.hpp"
#include "stackaudit/core/io.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors {

namespace snapshot {

using http::detail::json_quote;

std::string make_stamp(Timestamp t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf.data();
}

std::string page_file(int page, std::string_view extension) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "page-%05d", page);
    return cat(std::string_view(buf.data()), ".", extension);
}

std::string page_meta(const http::Response& response, std::string_view url, Timestamp fetched_at,
                      const std::vector<std::string>& secrets) {
    std::string out = "{\n";
    out += cat("  \"status\": ", response.status, ",\n");
    out += cat("  \"url\": ", json_quote(http::redact(http::detail::strip_userinfo(url), secrets)), ",\n");
    if (!response.url.empty() && response.url != url) {
        out += cat("  \"final_url\": ", json_quote(http::redact(http::detail::strip_userinfo(response.url), secrets)), ",\n");
    }
    out += cat("  \"fetched_at\": ", json_quote(format_timestamp(fetched_at)), ",\n");
    out += "  \"headers\": [";
    bool first = true;
    for (const auto& h : response.headers) {
        if (http::is_credential_header(h.name) || iequals(h.name, "set-cookie")) continue;
        out += first ? "\n" : ",\n";
        first = false;
        out += cat("    {\"name\": ", json_quote(h.name), ", \"value\": ", json_quote(http::redact(h.value, secrets)), "}");
    }
    out += first ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

std::string manifest_json(const Manifest& m) {
    std::string out = "{\n";
    out += cat("  \"source\": ", json_quote(m.source), ",\n");
    out += cat("  \"stamp\": ", json_quote(m.stamp), ",\n");
    out += cat("  \"fetched_at\": ", json_quote(format_timestamp(m.fetched_at)), ",\n");
    out += "  \"complete\": true,\n";
    out += cat("  \"base_url\": ", json_quote(m.base_url), ",\n");
    out += cat("  \"since\": ", json_quote(m.since), ",\n");
    out += cat("  \"requests\": ", m.requests, ",\n");
    out += cat("  \"waited_ms\": ", static_cast<std::int64_t>(m.waited.count()), ",\n");
    out += "  \"endpoints\": [";
    bool first = true;
    for (const auto& e : m.endpoints) {
        out += first ? "\n" : ",\n";
        first = false;
        out += cat("    {\"name\": ", json_quote(e.endpoint), ", \"pages\": ", e.pages, ", \"records\": ", e.records,
                   ", \"carried_pages\": ", e.carried_pages, ", \"skipped\": ", e.skipped ? "true" : "false",
                   ", \"note\": ", json_quote(e.note), "}");
    }
    out += first ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

namespace {

std::optional<std::string> json_string_field(const std::filesystem::path& file, std::string_view key) {
    const auto text = read_file(file);
    if (!text) return std::nullopt;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(text->data(), text->size()).get(root) != simdjson::SUCCESS) return std::nullopt;
    std::string_view value;
    if (root[key].get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
    return std::string(value);
}

std::optional<Timestamp> stamp_time(std::string_view stamp) {
    // 20261102T020000Z[-2]
    if (stamp.size() < 16) return std::nullopt;
    const std::string iso = cat(stamp.substr(0, 4), "-", stamp.substr(4, 2), "-", stamp.substr(6, 2), "T",
                                stamp.substr(9, 2), ":", stamp.substr(11, 2), ":", stamp.substr(13, 2), "Z");
    const auto t = parse_timestamp(iso);
    if (!t || !*t) return std::nullopt;
    return **t;
}

// "page-00012.json" -> 12; nullopt for meta files and other names.
std::optional<long> page_number(const std::string& name) {
    if (!name.starts_with("page-")) return std::nullopt;
    if (name.ends_with(".meta.json")) return std::nullopt;
    if (!name.ends_with(".json") && !name.ends_with(".csv")) return std::nullopt;
    const auto dot = name.find('.');
    const std::string_view digits = std::string_view(name).substr(5, dot - 5);
    long n = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc{} || ptr != digits.data() + digits.size()) return std::nullopt;
    return n;
}

}  // namespace

std::optional<std::string> manifest_since(const std::filesystem::path& snapshot_dir) {
    auto since = json_string_field(snapshot_dir / k_manifest, "since");
    if (since && since->empty()) return std::nullopt;
    return since;
}

std::string failure_json(std::string_view source, Timestamp when, std::string_view stamp, std::string_view error_text) {
    std::string out = "{\n";
    out += cat("  \"source\": ", json_quote(source), ",\n");
    out += cat("  \"time\": ", json_quote(format_timestamp(when)), ",\n");
    out += cat("  \"attempted_stamp\": ", json_quote(stamp), ",\n");
    out += cat("  \"error\": ", json_quote(error_text), "\n");
    out += "}\n";
    return out;
}

}  // namespace snapshot

Result<SnapshotInfo> latest_snapshot(const std::filesystem::path& root, const std::string& source_name) {
    const auto source_dir = root / source_name;
    const auto failure_file = source_dir / snapshot::k_last_failure;
    std::optional<Timestamp> failed_at;
    std::string failure_text;
    std::error_code ec;
    if (std::filesystem::exists(failure_file, ec)) {
        if (const auto time = snapshot::json_string_field(failure_file, "time")) {
            if (const auto t = parse_timestamp(*time); t && *t) failed_at = **t;
        }
        failure_text = snapshot::json_string_field(failure_file, "error").value_or("unknown error");
        if (!failed_at) failed_at = Timestamp{};
    }
    auto failure_note = [&] {
        return failed_at ? cat("pull at ", format_timestamp(*failed_at), " failed: ", failure_text) : std::string{};
    };

    const auto latest = read_file(source_dir / snapshot::k_latest);
    if (!latest) {
        return fail(ErrorCode::not_found,
                    cat("no snapshot of ", source_name, " yet", failed_at ? cat(" (the last ", failure_note(), ")") : ""),
                    Location{.source = source_name, .file = (source_dir / snapshot::k_latest).string()},
                    cat("run `stackaudit pull` (snapshots are looked for in ", root.string(), ")"));
    }
    const std::string stamp(trim(*latest));
    SnapshotInfo info;
    info.dir = source_dir / stamp;
    if (stamp.empty() || !std::filesystem::exists(info.dir / snapshot::k_manifest, ec)) {
        return fail(ErrorCode::not_found,
                    cat("snapshot ", stamp, " of ", source_name, " named in LATEST is missing or incomplete"),
                    Location{.source = source_name, .file = info.dir.string()},
                    "run `stackaudit pull` again; do not edit or delete snapshot folders by hand while LATEST names them");
    }
    std::optional<Timestamp> fetched;
    if (const auto text = snapshot::json_string_field(info.dir / snapshot::k_manifest, "fetched_at")) {
        if (const auto t = parse_timestamp(*text); t && *t) fetched = **t;
    }
    if (!fetched) fetched = snapshot::stamp_time(stamp);
    info.fetched_at = fetched.value_or(Timestamp{});
    if (failed_at && *failed_at >= info.fetched_at) {
        info.stale = true;
        info.stale_reason = failure_note();
    }
    return info;
}

std::vector<std::filesystem::path> endpoint_pages(const std::filesystem::path& dir, const std::string& endpoint) {
    std::vector<std::pair<long, std::filesystem::path>> pages;
    std::error_code ec;
    const auto folder = dir / endpoint;
    if (!std::filesystem::is_directory(folder, ec)) return {};
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const auto n = snapshot::page_number(it->path().filename().string());
        if (n) pages.emplace_back(*n, it->path());
    }
    std::sort(pages.begin(), pages.end());
    std::vector<std::filesystem::path> out;
    out.reserve(pages.size());
    for (auto& p : pages) out.push_back(std::move(p.second));
    return out;
}

std::string fan_out_folder(std::string_view id) {
    constexpr std::size_t k_max = 100;
    auto plain = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    };
    std::string out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        if (plain(c) && !(c == '.' && (i == 0 || id[i - 1] == '/'))) {
            out += c;
        } else {
            static constexpr char k_hex[] = "0123456789ABCDEF";
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += k_hex[byte >> 4];
            out += k_hex[byte & 0xF];
        }
    }
    if (out.empty()) out = "%00";
    if (out.size() > k_max) {
        // FNV-1a keeps two long ids that share a prefix apart.
        std::uint64_t hash = 1469598103934665603ULL;
        for (char c : id) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        char suffix[20];
        std::snprintf(suffix, sizeof suffix, "~%016llx", static_cast<unsigned long long>(hash));
        out = out.substr(0, k_max - 17) + suffix;
    }
    return out;
}

}  // namespace stackaudit::connectors
