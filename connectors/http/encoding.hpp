// Small URL and text encodings the HTTP layer and the puller share (private to connectors/):
// base64 for Basic auth and redaction, percent-encoding for tokens sent back as query
// parameters, and URL origin comparison for dropping credentials on cross-host redirects.
#pragma once

#include <string>
#include <string_view>

namespace stackaudit::connectors::http::detail {

[[nodiscard]] std::string base64_encode(std::string_view data);

// Percent-encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
[[nodiscard]] std::string percent_encode(std::string_view value);

// Percent-encodes only what may not appear in a URL at all (spaces, controls, quotes, <>,
// non-ASCII bytes), leaving reserved characters and existing %XX escapes alone: a vendor path
// such as "query?q=SELECT Id FROM User" becomes sendable without changing its meaning.
[[nodiscard]] std::string encode_unsafe(std::string_view url);

// Adds `name=value` to the URL's query, replacing any existing parameter of that name.
// `value` is percent-encoded here.
[[nodiscard]] std::string set_query_param(std::string_view url, std::string_view name, std::string_view value);

// "https://host:443" in lower case, with the scheme's default port made explicit, so
// "https://A.example/x" and "https://a.example:443/y" compare equal.
[[nodiscard]] std::string url_origin(std::string_view url);

// The URL without userinfo ("https://user:pw@host" -> "https://host"), for messages.
[[nodiscard]] std::string strip_userinfo(std::string_view url);

// JSON string literal with quotes: "a\"b".
[[nodiscard]] std::string json_quote(std::string_view text);

}  // namespace stackaudit::connectors::http::detail
