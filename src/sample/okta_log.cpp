// okta_system_log.jsonl: one Okta System Log event per line, in Okta's own event shape, in time
// order. The file can reach gigabytes for benchmarks, so events are produced one day at a
// time and streamed through a buffer to a temporary file that is renamed into place at the end.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "rng.hpp"
#include "stackaudit/core/value.hpp"
#include "world.hpp"

namespace stackaudit::sample {
namespace {

enum class Kind : std::uint8_t { sso, session_start, policy, mfa, sso_failure, session_end };

struct Event {
    std::int32_t ms = 0;  // milliseconds into the UTC day
    std::uint32_t pair = 0;
    std::uint16_t occurrence = 0;
    Kind kind = Kind::sso;
    std::uint8_t sub = 0;
};

constexpr std::string_view k_hex = "0123456789abcdef";
constexpr std::string_view k_b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void str(std::string& out, std::string_view key, std::string_view value) {
    out += '"';
    out += key;
    out += "\":";
    append_json_string(out, value);
}

void random_chars(std::string& out, Rng& r, std::string_view alphabet, int n) {
    for (int i = 0; i < n; ++i) out += alphabet[r.index(alphabet.size())];
}

std::string id17(std::string_view prefix, std::uint64_t seed) {
    Rng r(seed);
    std::string s(prefix);
    random_chars(s, r, k_b62, 17);
    return s;
}

class LogWriter {
public:
    LogWriter(const World& world) : m_w(world) {
        m_buf.reserve(k_flush + 8192);
        m_app_user.resize(world.pairs.size());
    }

    Result<std::size_t> write(const std::filesystem::path& path) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        const std::filesystem::path tmp = path.string() + ".tmp";
        m_file = std::fopen(tmp.c_str(), "wb");
        if (m_file == nullptr) {
            return fail(ErrorCode::io, "cannot create " + tmp.string() + ": " + std::strerror(errno),
                        Location{"sample", tmp.string()}, "check that the output directory is writable");
        }
        const int days = m_w.options.days;
        std::vector<std::vector<std::uint32_t>> by_day(static_cast<std::size_t>(days));
        for (std::size_t i = 0; i < m_w.pairs.size(); ++i) {
            for (std::int16_t d : m_w.pairs[i].days) by_day[static_cast<std::size_t>(d + days)].push_back(static_cast<std::uint32_t>(i));
        }
        std::size_t count = 0;
        std::vector<Event> events;
        for (int i = 0; i < days; ++i) {
            const int t = i - days;
            build_day(t, by_day[static_cast<std::size_t>(i)], events);
            by_day[static_cast<std::size_t>(i)] = {};
            const std::string date = m_w.date(t);
            for (const Event& e : events) {
                write_event(t, date, e);
                if (m_buf.size() >= k_flush && !flush()) return io_error(tmp);
            }
            count += events.size();
        }
        if (!flush()) return io_error(tmp);
        const bool closed = std::fclose(m_file) == 0;
        m_file = nullptr;
        if (!closed) return io_error(tmp);
        std::filesystem::rename(tmp, path, ec);
        if (ec) {
            return fail(ErrorCode::io, "cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message(),
                        Location{"sample", path.string()}, "check that the output directory is writable");
        }
        return count;
    }

    ~LogWriter() {
        if (m_file != nullptr) std::fclose(m_file);
    }
    LogWriter(const LogWriter&) = delete;
    LogWriter& operator=(const LogWriter&) = delete;

private:
    static constexpr std::size_t k_flush = 1u << 20;

    std::unexpected<Error> io_error(const std::filesystem::path& p) const {
        return fail(ErrorCode::io, "cannot write " + p.string() + ": " + std::strerror(errno), Location{"sample", p.string()},
                    "check free disk space and permissions");
    }

    bool flush() {
        if (m_buf.empty()) return true;
        const bool ok = std::fwrite(m_buf.data(), 1, m_buf.size(), m_file) == m_buf.size();
        m_buf.clear();
        return ok;
    }

    std::uint64_t seed(std::initializer_list<std::uint64_t> parts) const { return mix({m_w.options.seed, mix(parts)}); }

    void build_day(int t, const std::vector<std::uint32_t>& pairs, std::vector<Event>& events) {
        events.clear();
        const double noise = m_w.options.noise_per_sso;
        const double whole = std::floor(noise);
        std::uint32_t prev = UINT32_MAX;
        std::uint16_t occurrence = 0;
        for (std::uint32_t p : pairs) {
            occurrence = p == prev ? static_cast<std::uint16_t>(occurrence + 1) : 0;
            prev = p;
            const PairRec& pr = m_w.pairs[p];
            const PersonRec& person = m_w.people[static_cast<std::size_t>(pr.person)];
            Rng r(seed({60, p, static_cast<std::uint64_t>(t + 1000), occurrence}));
            // Office hours in the person's time zone, folded into the UTC day.
            int local;
            const double u = r.unit();
            if (u < 0.88) local = r.range(8 * 3600, 18 * 3600 - 1);
            else if (u < 0.97) local = r.range(18 * 3600, 22 * 3600);
            else local = r.range(6 * 3600, 8 * 3600 - 1);
            const int offset = offices()[static_cast<std::size_t>(person.office)].utc_offset * 3600;
            const int utc = ((local - offset) % 86400 + 86400) % 86400;
            const int ms = utc * 1000 + static_cast<int>(r.below(1000));
            events.push_back({ms, p, occurrence, Kind::sso, 0});
            int extra = static_cast<int>(whole) + (r.unit() < noise - whole ? 1 : 0);
            for (int k = 0; k < extra; ++k) {
                const double v = r.unit();
                Kind kind = v < 0.45 ? Kind::session_start
                            : v < 0.65 ? Kind::policy
                            : v < 0.85 ? Kind::mfa
                            : v < 0.95 ? Kind::sso_failure
                                       : Kind::session_end;
                int at = kind == Kind::session_end ? ms + r.range(600, 20000) * 1000
                                                   : ms - r.range(1, 900) * 1000 - static_cast<int>(r.below(1000));
                if (at < 0) at = ms + r.range(1, 300) * 1000;  // the day's first sign-in: keep it in the day
                at = std::min(at, 86'399'999);
                events.push_back({at, p, occurrence, kind, static_cast<std::uint8_t>(k + 1)});
            }
        }
        std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
            if (a.ms != b.ms) return a.ms < b.ms;
            if (a.pair != b.pair) return a.pair < b.pair;
            if (a.occurrence != b.occurrence) return a.occurrence < b.occurrence;
            return a.sub < b.sub;
        });
    }

    const std::string& app_user_id(std::uint32_t pair) {
        std::string& id = m_app_user[pair];
        if (id.empty()) id = id17("0ua", seed({62, pair}));
        return id;
    }

    void write_event(int t, const std::string& date, const Event& e) {
        const PairRec& pr = m_w.pairs[e.pair];
        const PersonRec& p = m_w.people[static_cast<std::size_t>(pr.person)];
        const ToolRec& tool = m_w.tools[static_cast<std::size_t>(pr.tool)];
        const Office& office = offices()[static_cast<std::size_t>(p.office)];
        const Agent& agent = agents()[static_cast<std::size_t>(p.agent)];
        const Isp& isp = isps()[static_cast<std::size_t>(p.isp)];
        Rng r(seed({61, e.pair, static_cast<std::uint64_t>(t + 1000), e.occurrence, e.sub}));

        std::string request_id;
        random_chars(request_id, r, k_b62, 26);
        std::string session = "102";
        {
            Rng sr(seed({63, static_cast<std::uint64_t>(pr.person), static_cast<std::uint64_t>(t + 1000)}));
            random_chars(session, sr, k_b62, 22);
        }
        const bool sso = e.kind == Kind::sso || e.kind == Kind::sso_failure;
        const bool oidc = tool.sign_on == "OPENID_CONNECT";

        std::string& o = m_buf;
        o += "{\"actor\":{";
        str(o, "id", p.user_id);
        o += ",\"type\":\"User\",";
        str(o, "alternateId", p.email);
        o += ',';
        str(o, "displayName", p.display_name);
        o += ",\"detailEntry\":null},\"client\":{\"userAgent\":{";
        str(o, "rawUserAgent", agent.raw);
        o += ',';
        str(o, "os", agent.os);
        o += ',';
        str(o, "browser", agent.browser);
        o += "},\"zone\":\"null\",\"device\":\"Computer\",\"id\":null,";
        str(o, "ipAddress", p.ip);
        o += ",\"geographicalContext\":{";
        str(o, "city", office.city);
        o += ',';
        str(o, "state", office.state);
        o += ',';
        str(o, "country", office.country);
        o += ',';
        str(o, "postalCode", office.postal);
        char geo[96];
        std::snprintf(geo, sizeof geo, ",\"geolocation\":{\"lat\":%.4f,\"lon\":%.4f}}},", office.lat, office.lon);
        o += geo;
        o += "\"device\":null,\"authenticationContext\":{";
        switch (e.kind) {
            case Kind::session_start:
                o += "\"authenticationProvider\":\"OKTA_AUTHENTICATION_PROVIDER\",\"credentialType\":\"PASSWORD\",";
                break;
            case Kind::mfa:
                o += "\"authenticationProvider\":\"FACTOR_PROVIDER\",\"credentialType\":\"OTP\",";
                break;
            default: break;
        }
        o += "\"authenticationStep\":0,";
        str(o, "externalSessionId", session);
        o += "},";
        switch (e.kind) {
            case Kind::sso:
            case Kind::sso_failure:
                o += "\"displayMessage\":\"User single sign on to app\",\"eventType\":\"user.authentication.sso\",";
                break;
            case Kind::session_start:
                o += "\"displayMessage\":\"User login to Okta\",\"eventType\":\"user.session.start\",";
                break;
            case Kind::policy:
                o += "\"displayMessage\":\"Evaluation of sign-on policy\",\"eventType\":\"policy.evaluate_sign_on\",";
                break;
            case Kind::mfa:
                o += "\"displayMessage\":\"Authentication of user via MFA\",\"eventType\":\"user.authentication.auth_via_mfa\",";
                break;
            case Kind::session_end:
                o += "\"displayMessage\":\"User logout from Okta\",\"eventType\":\"user.session.end\",";
                break;
        }
        switch (e.kind) {
            case Kind::sso_failure:
                o += r.chance(0.5) ? "\"outcome\":{\"result\":\"FAILURE\",\"reason\":\"VERIFICATION_ERROR\"},"
                                   : "\"outcome\":{\"result\":\"FAILURE\",\"reason\":\"INVALID_CREDENTIALS\"},";
                break;
            case Kind::policy:
                o += "\"outcome\":{\"result\":\"ALLOW\",\"reason\":\"Sign-on policy evaluation resulted in ALLOW\"},";
                break;
            default: o += "\"outcome\":{\"result\":\"SUCCESS\",\"reason\":null},"; break;
        }
        const int ms = e.ms;
        char published[48];
        std::snprintf(published, sizeof published, "\"published\":\"%sT%02d:%02d:%02d.%03dZ\",", date.c_str(), ms / 3'600'000,
                      (ms / 60'000) % 60, (ms / 1000) % 60, ms % 1000);
        o += published;
        char security[64];
        std::snprintf(security, sizeof security, "\"securityContext\":{\"asNumber\":%d,", isp.as_number);
        o += security;
        str(o, "asOrg", isp.org);
        o += ',';
        str(o, "isp", isp.isp);
        o += ',';
        str(o, "domain", isp.domain);
        o += ",\"isProxy\":false},\"severity\":\"";
        o += e.kind == Kind::sso_failure ? "WARN" : "INFO";
        o += "\",\"debugContext\":{\"debugData\":{";
        str(o, "requestId", request_id);
        o += ',';
        if (sso) {
            std::string uri = oidc ? "/oauth2/v1/authorize" : "/app/" + tool.app_slug + "/exk" + tool.app_id.substr(3) + "/sso/saml";
            str(o, "requestUri", uri);
            o += oidc ? ",\"initiationType\":\"SP_INITIATED\",\"signOnMode\":\"OpenID Connect\","
                      : ",\"initiationType\":\"IDP_INITIATED\",\"signOnMode\":\"SAML 2.0\",";
        } else if (e.kind == Kind::session_start || e.kind == Kind::mfa) {
            o += "\"requestUri\":\"/idp/idx/authenticators/poll\",";
        } else if (e.kind == Kind::session_end) {
            o += "\"requestUri\":\"/login/signout\",";
        } else {
            o += "\"requestUri\":\"/idp/idx/introspect\",";
        }
        o += "\"threatSuspected\":\"false\"}},";
        switch (e.kind) {
            case Kind::sso:
            case Kind::sso_failure: o += "\"legacyEventType\":\"app.auth.sso\","; break;
            case Kind::session_start: o += "\"legacyEventType\":\"core.user_auth.login_success\","; break;
            case Kind::mfa: o += "\"legacyEventType\":\"core.user.factor.attempt_success\","; break;
            case Kind::session_end: o += "\"legacyEventType\":\"core.user_auth.logout_success\","; break;
            case Kind::policy: o += "\"legacyEventType\":null,"; break;
        }
        o += "\"transaction\":{\"type\":\"WEB\",";
        str(o, "id", request_id);
        o += ",\"detail\":{}},\"uuid\":\"";
        for (int i = 0; i < 32; ++i) {
            if (i == 8 || i == 12 || i == 16 || i == 20) o += '-';
            o += i == 12 ? '1' : k_hex[r.index(16)];
        }
        o += "\",\"version\":\"0\",\"target\":";
        if (sso) {
            o += "[{";
            str(o, "id", tool.app_id);
            o += ",\"type\":\"AppInstance\",";
            str(o, "alternateId", tool.label);
            o += ',';
            str(o, "displayName", tool.app_name);
            o += ",\"detailEntry\":{";
            str(o, "signOnModeType", tool.sign_on);
            o += "}},{";
            str(o, "id", app_user_id(e.pair));
            o += ",\"type\":\"AppUser\",";
            str(o, "alternateId", p.email);
            o += ',';
            str(o, "displayName", p.display_name);
            o += ",\"detailEntry\":null}]";
        } else if (e.kind == Kind::policy) {
            o += "[{\"id\":\"00p1n2q7hbF8sLJ0y697\",\"type\":\"PolicyEntity\",\"alternateId\":\"unknown\",\"displayName\":"
                 "\"Default Policy\",\"detailEntry\":{\"policyType\":\"OKTA_SIGN_ON\"}},{\"id\":\"0pr1n2q7hcK3oYp7Z697\","
                 "\"type\":\"PolicyRule\",\"alternateId\":\"00p1n2q7hbF8sLJ0y697\",\"displayName\":\"Catch-all Rule\","
                 "\"detailEntry\":null}]";
        } else if (e.kind == Kind::mfa) {
            o += "[{\"id\":\"pfd1n2q7hdT0kYm3v697\",\"type\":\"AuthenticatorEnrollment\",\"alternateId\":\"unknown\","
                 "\"displayName\":\"Okta Verify\",\"detailEntry\":{\"methodTypeUsed\":\"Push\"}}]";
        } else {
            o += "null";
        }
        o += "}\n";
    }

    const World& m_w;
    std::string m_buf;
    std::FILE* m_file = nullptr;
    std::vector<std::string> m_app_user;
};

}  // namespace

Result<void> write_okta_log(const World& world, SampleSummary& summary) {
    const std::filesystem::path rel = "okta_system_log.jsonl";
    const std::filesystem::path path = world.options.out_dir / rel;
    LogWriter writer(world);
    auto written = writer.write(path);
    if (!written) return std::unexpected(written.error());
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    summary.log_events = *written;
    summary.sso_events = world.sso_events;
    summary.files.push_back({rel, ec ? 0 : static_cast<std::uint64_t>(bytes)});
    return {};
}

}  // namespace stackaudit::sample
