// The libcurl transport: one easy handle reused for every request of a source (keep-alive),
// bounded in time (connect timeout, total timeout, low-speed abort) and in size, TLS always
// verified, redirects followed here so credentials never reach another host.
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "csv_source.hpp"
#include "http/encoding.hpp"
#include "stackaudit/connectors/http.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::http {

namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Exchange {
    Response response;
    std::size_t max_bytes = 0;
    bool too_large = false;
    bool got_data = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto& ex = *static_cast<Exchange*>(user);
    const std::size_t n = size * count;
    ex.got_data = true;
    if (ex.response.body.size() + n > ex.max_bytes) {
        ex.too_large = true;
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    ex.response.body.append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& ex = *static_cast<Exchange*>(user);
    const std::size_t n = size * count;
    ex.got_data = true;
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        // A new status line: an interim (100 Continue) or proxy response came before this one.
        ex.response.headers.clear();
        return n;
    }
    if (line.empty()) return n;
    if ((line.front() == ' ' || line.front() == '\t') && !ex.response.headers.empty()) {
        ex.response.headers.back().value += ' ';
        ex.response.headers.back().value += trim(line);  // obsolete line folding
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    ex.response.headers.push_back(Header{to_lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
    return n;
}

TransportFailure classify(CURLcode code, const Exchange& ex) {
    switch (code) {
        case CURLE_OK: return TransportFailure::none;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT: return TransportFailure::connect;
        case CURLE_OPERATION_TIMEDOUT: return TransportFailure::timeout;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_USE_SSL_FAILED: return TransportFailure::tls;
        case CURLE_PARTIAL_FILE: return TransportFailure::truncated;
        case CURLE_FILESIZE_EXCEEDED: return TransportFailure::too_large;
        case CURLE_WRITE_ERROR: return ex.too_large ? TransportFailure::too_large : TransportFailure::other;
        case CURLE_GOT_NOTHING:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            // A connection dropped after the answer started is a cut-off body; before, a failed connection.
            return ex.got_data ? TransportFailure::truncated : TransportFailure::connect;
        default: return TransportFailure::other;
    }
}

std::string_view failure_name(TransportFailure f) {
    switch (f) {
        case TransportFailure::none: return "none";
        case TransportFailure::connect: return "connection failed";
        case TransportFailure::timeout: return "timed out";
        case TransportFailure::tls: return "TLS verification failed";
        case TransportFailure::truncated: return "response cut off";
        case TransportFailure::too_large: return "response too large";
        case TransportFailure::other: return "transfer failed";
    }
    return "transfer failed";
}

std::string failure_hint(TransportFailure f, const TransportOptions& options) {
    switch (f) {
        case TransportFailure::connect:
            return "check base_url, DNS and the network; a proxy is taken from https_proxy/http_proxy/no_proxy";
        case TransportFailure::timeout:
            return cat("the server did not answer within the connect timeout (", options.connect_timeout.count(),
                       " ms), the total timeout (", options.total_timeout.count(),
                       " ms) or sent nothing for ", options.low_speed_window.count(),
                       " ms; try later or raise timeout_seconds");
        case TransportFailure::tls:
            return "the server's certificate is not trusted for this host; if your network re-signs TLS (an "
                   "inspecting proxy) or the server uses a private CA, set ca_file to that CA's PEM bundle "
                   "(verification itself cannot be switched off)";
        case TransportFailure::truncated:
            return "the connection closed before the whole response arrived; try again";
        case TransportFailure::too_large:
            return cat("responses are limited to ", options.max_response_bytes,
                       " bytes; ask for smaller pages (limit/page size option)");
        case TransportFailure::none:
        case TransportFailure::other: break;
    }
    return "";
}

bool is_redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Headers that may follow a redirect to another host: nothing that identifies the caller.
bool safe_across_hosts(std::string_view name) {
    static constexpr std::array<std::string_view, 6> k_safe{"accept",        "accept-language",  "user-agent",
                                                            "content-type",  "if-none-match",    "if-modified-since"};
    const std::string n = to_lower(name);
    return std::find(k_safe.begin(), k_safe.end(), n) != k_safe.end();
}

struct SlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

class CurlTransport final : public Transport {
public:
    explicit CurlTransport(const TransportOptions& options) : m_options(options) {
        global_init();
        m_curl = curl_easy_init();
        if (!m_options.ca_file.empty()) load_ca_bundle();
    }
    ~CurlTransport() override {
        if (m_curl != nullptr) curl_easy_cleanup(m_curl);
    }
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    Result<Response> send(const Request& request) override {
        m_failure = TransportFailure::none;
        if (m_curl == nullptr) {
            m_failure = TransportFailure::other;
            return fail(ErrorCode::source_failed, "cannot start libcurl (curl_easy_init failed)");
        }
        if (!m_ca_error.empty()) {
            m_failure = TransportFailure::tls;
            return fail(ErrorCode::source_failed, m_ca_error, Location{.file = m_options.ca_file},
                        "set ca_file to a readable PEM file holding the CA certificate(s)");
        }
        std::string method = request.method.empty() ? "GET" : request.method;
        std::string body = request.body;
        std::vector<Header> headers = request.headers;
        std::string url = request.url;
        for (int hops = 0;; ++hops) {
            auto response = perform(method, url, headers, body);
            if (!response) return response;
            const auto location = response->header("location");
            if (!is_redirect(response->status) || !location || location->empty()) return response;
            if (hops >= k_max_redirects) {
                m_failure = TransportFailure::other;
                return fail(ErrorCode::source_failed,
                            cat(method, " ", shown(request.url), " failed: more than ", k_max_redirects, " redirects"),
                            {}, "the server redirects in a loop; check base_url");
            }
            const std::string next = resolve_url(url, *location);
            if (detail::url_origin(next) != detail::url_origin(url)) {
                std::erase_if(headers, [](const Header& h) { return !safe_across_hosts(h.name); });
            }
            if (response->status == 303 || ((response->status == 301 || response->status == 302) && method == "POST")) {
                method = "GET";
                body.clear();
                std::erase_if(headers, [](const Header& h) { return iequals(h.name, "content-type"); });
            }
            url = next;
        }
    }

    TransportFailure last_failure() const override { return m_failure; }

private:
    static std::string shown(std::string_view url) { return redact(detail::strip_userinfo(url), {}); }

    void load_ca_bundle() {
        std::ifstream extra(m_options.ca_file, std::ios::binary);
        if (!extra) {
            m_ca_error = cat("cannot read ca_file ", m_options.ca_file);
            return;
        }
        std::ostringstream extra_text;
        extra_text << extra.rdbuf();
        if (extra_text.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
            m_ca_error = cat("ca_file ", m_options.ca_file, " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return;
        }
        // ca_file adds to the system's trusted CAs rather than replacing them, so a corporate CA
        // and the public CAs of vendors that are not behind the proxy both work.
        char* default_bundle = nullptr;
        std::string blob;
        if (curl_easy_getinfo(m_curl, CURLINFO_CAINFO, &default_bundle) == CURLE_OK && default_bundle != nullptr) {
            std::ifstream system_bundle(default_bundle, std::ios::binary);
            if (system_bundle) {
                std::ostringstream text;
                text << system_bundle.rdbuf();
                blob = text.str();
                blob += '\n';
            }
        }
        blob += extra_text.str();
        m_ca_blob = std::move(blob);
    }

    Result<Response> perform(const std::string& method, const std::string& url, const std::vector<Header>& headers,
                             const std::string& body) {
        CURL* h = m_curl;
        curl_easy_reset(h);  // keeps the connection cache, so keep-alive survives
        Exchange ex;
        ex.max_bytes = m_options.max_response_bytes;
        std::array<char, CURL_ERROR_SIZE> errbuf{};

        const long connect_ms = static_cast<long>(m_options.connect_timeout.count());
        const long total_ms = static_cast<long>(m_options.total_timeout.count());
        const long low_speed_s = std::max(1L, static_cast<long>((m_options.low_speed_window.count() + 999) / 1000));

        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf.data());
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, low_speed_s);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!m_ca_blob.empty()) {
            curl_blob blob{m_ca_blob.data(), m_ca_blob.size(), CURL_BLOB_NOCOPY};
            curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
        }
        curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(h, CURLOPT_USERAGENT, m_options.user_agent.c_str());
        curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.max_response_bytes));
        curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);

        curl_slist* raw = nullptr;
        for (const auto& header : headers) {
            const std::string line = header.name + ": " + header.value;
            curl_slist* next = curl_slist_append(raw, line.c_str());
            if (next == nullptr) break;
            raw = next;
        }
        if (curl_slist* next = curl_slist_append(raw, "Expect:")) raw = next;
        const Slist list(raw);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());

        if (method == "GET") {
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        } else if (method == "HEAD") {
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        } else {
            if (method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
        }

        const CURLcode code = curl_easy_perform(h);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
        if (code != CURLE_OK) {
            m_failure = classify(code, ex);
            std::string reason = curl_easy_strerror(code);
            if (errbuf[0] != '\0') {
                reason += ": ";
                reason += errbuf.data();
            }
            if (m_failure == TransportFailure::too_large) {
                reason = cat("the response is larger than ", m_options.max_response_bytes, " bytes");
            }
            return fail(ErrorCode::source_failed,
                        cat(method, " ", shown(url), " failed (", failure_name(m_failure), "): ", shown(reason)), {},
                        failure_hint(m_failure, m_options));
        }
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        ex.response.status = static_cast<int>(status);
        ex.response.url = url;
        return std::move(ex.response);
    }

    TransportOptions m_options;
    CURL* m_curl = nullptr;
    TransportFailure m_failure = TransportFailure::none;
    std::string m_ca_blob;
    std::string m_ca_error;
};

}  // namespace

std::unique_ptr<Transport> make_curl_transport(const TransportOptions& options) {
    return std::make_unique<CurlTransport>(options);
}

}  // namespace stackaudit::connectors::http
