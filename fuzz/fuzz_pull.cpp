// Fuzz target `pull`: the generic pager (connectors/api pull_source) and the retrying HTTP
// client on fuzzed vendor responses, for every connector with an ApiSpec: paging by Link header,
// body URL, body token and page number, end flags, fan-out, incremental state, rate-limit and
// Retry-After headers, error bodies, and the snapshot files it writes. Nothing leaves the
// process: a fake transport answers each request with the next part of the input and a fake
// clock takes the waits. Byte 0 picks the connector; the parts after it (split by '\x1e') are
// the responses in order, each "STATUS<TAB>name: value<TAB>...\n" + body (a first line that is
// not a status gives 200 and the whole part as body). Once the parts run out, requests fail
// as a refused connection would.
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/connectors/http.hpp"
#include "stackaudit/connectors/registry.hpp"
#include "stackaudit/core/strings.hpp"

namespace {

using namespace stackaudit;
namespace http = stackaudit::connectors::http;

constexpr std::size_t k_max_requests = 64;

http::Response response_of(std::string_view part) {
    http::Response response;
    response.status = 200;
    const auto nl = part.find('\n');
    const auto head = part.substr(0, nl == std::string_view::npos ? part.size() : nl);
    const auto fields = fuzz::split_parts(head, '\t');
    const auto status = fields[0];
    if (status.size() == 3 && status.find_first_not_of("0123456789") == std::string_view::npos) {
        response.status = (status[0] - '0') * 100 + (status[1] - '0') * 10 + (status[2] - '0');
        for (std::size_t i = 1; i < fields.size(); ++i) {
            const auto colon = fields[i].find(':');
            if (colon == std::string_view::npos) continue;
            response.headers.push_back({to_lower(trim(fields[i].substr(0, colon))),
                                        std::string(trim(fields[i].substr(colon + 1)))});
        }
        part = nl == std::string_view::npos ? std::string_view{} : part.substr(nl + 1);
    }
    response.body = std::string(part);
    return response;
}

class ScriptedTransport final : public http::Transport {
public:
    explicit ScriptedTransport(std::vector<std::string_view> parts) : m_parts(std::move(parts)) {}
    Result<http::Response> send(const http::Request& request) override {
        if (m_next >= m_parts.size() || m_next >= k_max_requests) {
            m_failure = http::TransportFailure::other;
            return fail(ErrorCode::source_failed, "connection refused (fuzz script ended)");
        }
        m_failure = http::TransportFailure::none;
        auto response = response_of(m_parts[m_next++]);
        response.url = request.url;
        return response;
    }
    [[nodiscard]] http::TransportFailure last_failure() const override { return m_failure; }

private:
    std::vector<std::string_view> m_parts;
    std::size_t m_next = 0;
    http::TransportFailure m_failure = http::TransportFailure::none;
};

class FakeClock final : public http::Clock {
public:
    http::TimePoint now() override { return m_now; }
    void sleep_for(http::Millis duration) override {
        if (duration.count() < 0) std::abort();  // the client never asks to wait a negative time
        m_now += duration;
    }

private:
    http::TimePoint m_now{std::chrono::seconds{1'793'584'800}};  // 2026-11-02T02:00:00Z
};

// Every {name} placeholder of a spec's base URL and endpoint paths, so a source can set them all.
std::vector<std::string> placeholders(const connectors::ApiSpec& spec) {
    std::vector<std::string> names;
    auto scan = [&](std::string_view text) {
        for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
            const auto close = text.find('}', open);
            if (close == std::string_view::npos) return;
            names.emplace_back(text.substr(open + 1, close - open - 1));
        }
    };
    scan(spec.default_base_url);
    for (const auto& endpoint : spec.endpoints) scan(endpoint.path);
    return names;
}

struct Vendor {
    std::string name;
    connectors::ApiSpec spec;
    connectors::ApiSourceConfig config;
};

const std::vector<Vendor>& vendors() {
    static const std::vector<Vendor> list = [] {
        ::setenv("STACKAUDIT_FUZZ_CREDENTIAL", "fuzz-secret-0123456789", 1);
        std::vector<Vendor> out;
        for (const auto& spec : connectors::registry()) {
            if (!spec.api) continue;
            Vendor vendor{spec.kind, *spec.api, {}};
            vendor.config.base_url = "https://api.fuzz.example";
            for (const auto& credential : spec.api->credentials) {
                vendor.config.credentials[credential.name] = connectors::CredentialSource{"STACKAUDIT_FUZZ_CREDENTIAL", {}};
            }
            for (const auto& name : placeholders(*spec.api)) {
                if (name != "since" && name != "page" && name != "id") vendor.config.options.emplace(name, "fuzz");
            }
            vendor.config.retry.max_attempts = 3;
            out.push_back(std::move(vendor));
        }
        return out;
    }();
    return list;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& list = vendors();
    const auto [choice, rest] = fuzz::select(fuzz::as_text(data, size), list.size());
    const Vendor& vendor = list[choice];
    ScriptedTransport transport(fuzz::split_parts(rest));
    FakeClock clock;
    const auto& root = fuzz::Scratch::get().clear();
    const auto pulled = connectors::pull_source(vendor.name, vendor.spec, vendor.config, root, transport, clock);
    if (!pulled) {
        fuzz::touch(pulled.error());
        if (pulled.error().to_string().find("fuzz-secret-0123456789") != std::string::npos) std::abort();  // redacted
        return 0;
    }
    const auto latest = connectors::latest_snapshot(root, vendor.name);
    if (!latest) std::abort();  // a complete pull is the latest snapshot
    return 0;
}
