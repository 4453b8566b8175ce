// Fuzz target `http_headers`: what the HTTP layer reads from a vendor's response or hands back
// to it. Byte 0 picks the parser:
//   0 Retry-After (seconds, fractional seconds, HTTP dates, ISO 8601)   1 Link headers (one per line)
//   2 resolve_url(base, next) with the two split at the first newline   3 redact(text, secrets after '\x1e')
//   4 the URL and text encodings (percent, base64, origin, query params) 5 JSON pointers on a page body
//     (the pager's next URL, token, end flag and record count: "pointer\n" + body)
#include <chrono>
#include <cstdlib>
#include <simdjson.h>

#include "api/json_pointer.hpp"
#include "fuzz_support.hpp"
#include "http/encoding.hpp"
#include "stackaudit/connectors/http.hpp"

namespace {

using namespace stackaudit;
namespace http = stackaudit::connectors::http;

std::pair<std::string_view, std::string_view> first_line(std::string_view text) {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) return {text, {}};
    return {text.substr(0, nl), text.substr(nl + 1)};
}

void retry_after(std::string_view text) {
    const http::TimePoint now{std::chrono::seconds{1'793'000'000}};  // 2026-10-26
    const auto wait = http::parse_retry_after(text, now);
    if (wait && wait->count() < 0) std::abort();  // a wait is never negative
}

void link(std::string_view text) {
    std::vector<std::string> lines;
    for (const auto line : fuzz::split_parts(text, '\n')) lines.emplace_back(line);
    const auto next = http::parse_link_next(lines);
    if (next && next->find('>') != std::string::npos) std::abort();  // the URL ends at '>'
}

void resolve(std::string_view text) {
    const auto [base, next] = first_line(text);
    (void)http::resolve_url(base, next);
}

void redact(std::string_view text) {
    const auto parts = fuzz::split_parts(text);
    std::vector<std::string> secrets;
    for (std::size_t i = 1; i < parts.size(); ++i) secrets.emplace_back(parts[i]);
    const auto out = http::redact(parts[0], secrets);
    for (const auto& secret : secrets) {
        // A secret long enough not to occur by chance must be gone afterwards.
        if (secret.size() >= 8 && secret.find_first_of("[]") == std::string::npos &&
            out.find(secret) != std::string::npos)
            std::abort();
    }
}

void encodings(std::string_view text) {
    const auto [first, rest] = first_line(text);
    namespace d = http::detail;
    (void)d::base64_encode(text);
    const auto encoded = d::percent_encode(text);
    if (encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%") !=
        std::string::npos)
        std::abort();
    (void)d::encode_unsafe(text);
    const auto [name, value] = first_line(rest);
    (void)d::set_query_param(first, name, value);
    (void)d::url_origin(first);
    (void)d::strip_userinfo(first);
    (void)d::json_quote(text);
    (void)http::is_credential_header(first);
}

void pointers(std::string_view text) {
    const auto [pointer, body] = first_line(text);
    static simdjson::dom::parser parser;  // reused, as the puller does
    const std::string json(body);        // a response body, as the puller holds it
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) return;
    namespace api = stackaudit::connectors::api;
    (void)api::at_pointer(root, pointer);
    (void)api::pointer_text(root, pointer);
    (void)api::pointer_bool(root, pointer);
    (void)api::pointer_int(root, pointer);
    (void)api::pointer_count(root, pointer);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [choice, rest] = fuzz::select(fuzz::as_text(data, size), 6);
    switch (choice) {
        case 0: retry_after(rest); break;
        case 1: link(rest); break;
        case 2: resolve(rest); break;
        case 3: redact(rest); break;
        case 4: encodings(rest); break;
        default: pointers(rest); break;
    }
    return 0;
}
