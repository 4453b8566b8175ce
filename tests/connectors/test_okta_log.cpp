// Okta System Log reader tests: both file forms, what counts, windows, bad lines, a large log,
// the line screen that skips non-SSO lines unparsed, and the same output for any thread count.
#include "test_support.hpp"

#include <map>
#include <optional>
#include <random>
#include <string_view>
#include <tuple>

#include "okta_log/line_screen.hpp"
#include "okta_log/okta_log.hpp"
#include "okta_log/tally.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

namespace {

const Usage* find_usage(const Dataset& data, std::string_view label, std::string_view login) {
    for (const auto& row : data.usage) {
        if (row.app_label == label && row.user_login == login) {
            return &row;
        }
    }
    return nullptr;
}

// The fixture logs hold the same ten events (see data/okta_log.jsonl).
void check_fixture_usage(const ReadOutcome& outcome) {
    const auto& report = outcome.report();
    REQUIRE(report.ok);
    CHECK(report.kind == "okta_log");
    CHECK(report.records == 5);
    CHECK(report.ignored == 5);  // session start, failure, after as_of, no AppInstance, policy event
    CHECK(report.rejected == 0);
    const auto& usage = outcome.data.usage;
    REQUIRE(usage.size() == 3);
    // Sorted by (app_label, user_login).
    CHECK(usage[0].app_label == "HubSpot");
    CHECK(usage[1].app_label == "Salesforce.com");
    CHECK(usage[2].app_label == "Zoom");

    const Usage* salesforce = find_usage(outcome.data, "Salesforce.com", "ana.ruiz@northwind.example");
    REQUIRE(salesforce != nullptr);
    CHECK(salesforce->app_id == "0oa1sfdc9X8y7W6v5u4");
    CHECK(salesforce->app_name == "Salesforce.com");
    CHECK(salesforce->user_id == "00u1a2b3c4D5e6F7g8h9");
    CHECK(salesforce->events == 3);
    CHECK(salesforce->events_in_window == 1);
    CHECK(salesforce->first_seen == at("2026-09-15T08:00:00Z"));
    CHECK(salesforce->last_seen == at("2026-10-30T14:05:09Z"));

    const Usage* hubspot = find_usage(outcome.data, "HubSpot", "raj.patel@northwind.example");
    REQUIRE(hubspot != nullptr);
    CHECK(hubspot->events == 1);
    CHECK(hubspot->events_in_window == 1);
    CHECK(hubspot->last_seen == at("2026-10-31T23:59:59Z"));

    const Usage* zoom = find_usage(outcome.data, "Zoom", "li.wei@northwind.example");
    REQUIRE(zoom != nullptr);
    CHECK(zoom->first_seen == at("2026-10-05T10:00:00Z"));  // "+00:00" spelling
}

ReadOutcome read_with_chunks(const connectors::SourceConfig& config, std::size_t chunk_bytes,
                             BadRowPolicy policy = BadRowPolicy::fail) {
    ReadOutcome outcome{Dataset{}, RowSink(policy)};
    connectors::ReadContext context{outcome.rows, at("2026-11-01T00:00:00Z"), 30};
    SourceReport report;
    report.name = config.name;
    report.kind = config.kind;
    auto done = connectors::okta_log::read_with(config, context, outcome.data, report,
                                                connectors::okta_log::ReaderOptions{chunk_bytes});
    if (!done) {
        report.ok = false;
        report.errors = {done.error()};
    }
    outcome.data.sources.push_back(report);
    return outcome;
}

}  // namespace

TEST_CASE("okta_log reads JSON lines", "[connector][unit]") {
    check_fixture_usage(read_one(source("okta_log", {data_path("okta_log.jsonl")})));
}

TEST_CASE("okta_log reads a JSON array", "[connector][unit]") {
    check_fixture_usage(read_one(source("okta_log", {data_path("okta_log_array.json")})));
}

TEST_CASE("okta_log gives the same result with tiny read chunks", "[connector][unit]") {
    for (const std::size_t chunk : {std::size_t{64}, std::size_t{300}, std::size_t{4096}}) {
        INFO("chunk " << chunk);
        check_fixture_usage(read_with_chunks(source("okta_log", {data_path("okta_log.jsonl")}), chunk));
        check_fixture_usage(read_with_chunks(source("okta_log", {data_path("okta_log_array.json")}), chunk));
    }
}

TEST_CASE("okta_log as_of cut-off and window", "[connector][unit]") {
    SECTION("a later as_of counts the event published after the first as_of") {
        auto outcome = read_one(source("okta_log", {data_path("okta_log.jsonl")}), BadRowPolicy::fail,
                                "2026-11-03T00:00:00Z");
        REQUIRE(outcome.report().ok);
        CHECK(outcome.report().records == 6);
        const Usage* hubspot = find_usage(outcome.data, "HubSpot", "raj.patel@northwind.example");
        REQUIRE(hubspot != nullptr);
        CHECK(hubspot->events == 2);
        CHECK(hubspot->last_seen == at("2026-11-02T09:00:00Z"));
    }
    SECTION("a wider window") {
        auto outcome = read_one(source("okta_log", {data_path("okta_log.jsonl")}), BadRowPolicy::fail,
                                "2026-11-01T00:00:00Z", 60);
        const Usage* salesforce = find_usage(outcome.data, "Salesforce.com", "ana.ruiz@northwind.example");
        REQUIRE(salesforce != nullptr);
        CHECK(salesforce->events_in_window == 3);
    }
    SECTION("an earlier as_of drops later events and shrinks the window") {
        auto outcome = read_one(source("okta_log", {data_path("okta_log.jsonl")}), BadRowPolicy::fail,
                                "2026-10-10T00:00:00Z", 30);
        REQUIRE(outcome.report().ok);
        CHECK(outcome.report().records == 3);  // 09-15, 10-01 (Salesforce) and 10-05 (Zoom)
        const Usage* salesforce = find_usage(outcome.data, "Salesforce.com", "ana.ruiz@northwind.example");
        REQUIRE(salesforce != nullptr);
        CHECK(salesforce->events == 2);
        CHECK(salesforce->events_in_window == 2);  // the window now starts 2026-09-10
        CHECK(find_usage(outcome.data, "HubSpot", "raj.patel@northwind.example") == nullptr);
    }
}

TEST_CASE("okta_log bad lines carry their line numbers", "[connector][unit]") {
    TempDir dir;
    const std::string good_a =
        R"({"actor":{"id":"00u1","type":"User","alternateId":"a@northwind.example"},"eventType":"user.authentication.sso","outcome":{"result":"SUCCESS"},"published":"2026-10-20T10:00:00.000Z","target":[{"id":"0oa1","type":"AppInstance","alternateId":"Zoom","displayName":"Zoom"}]})";
    const std::string good_b =
        R"({"eventType":"user.authentication.sso","published":"2026-10-21T10:00:00Z","outcome":{"reason":null,"result":"SUCCESS"},"target":[{"type":"AppUser","id":"0ua1"},{"type":"AppInstance","id":"0oa1","alternateId":"Zoom","displayName":null}],"actor":{"alternateId":"A@Northwind.example","id":"00u1"}})";
    const std::string content = good_a + "\n" +
                                R"({"eventType":"user.authentication.sso","outcome":{"result":"SUCC)" + "\n" +
                                "garbage\n" +
                                "\n" +
                                "[1,2]\n" +
                                R"({"eventType":"user.authentication.sso","outcome":{"result":"SUCCESS"},"published":"last tuesday","actor":{"id":"u1"},"target":[{"id":"a","type":"AppInstance"}]})" + "\n" +
                                good_b + "\r\n" +
                                R"({"published":"2026-10-01T00:00:00Z","uuid":"x"})" + "\n" +
                                R"({"eventType":"user.authentication.sso","outcome":{"result":"SUCCESS"},"published":"2026-10-21T10:00:00Z","actor":{"type":"User"},"target":[{"id":"a","type":"AppInstance"}]})";
    const auto file = dir.write("okta.jsonl", content);

    SECTION("collect") {
        auto outcome = read_one(source("okta_log", {file}), BadRowPolicy::collect);
        const auto& report = outcome.report();
        REQUIRE(report.ok);
        CHECK(report.records == 2);
        CHECK(report.rejected == 6);
        const auto& rejected = outcome.rows.collected();
        REQUIRE(rejected.size() == 6);
        CHECK(rejected[0].line == 2);
        CHECK(rejected[0].source == "okta_log");
        CHECK(contains(rejected[0].file, "okta.jsonl"));
        CHECK(contains(rejected[0].reason, "not valid JSON"));
        CHECK(rejected[1].line == 3);
        CHECK(rejected[1].raw == "garbage");
        CHECK(rejected[2].line == 5);
        CHECK(rejected[3].line == 6);
        CHECK(contains(rejected[3].reason, "last tuesday"));
        CHECK(rejected[4].line == 8);
        CHECK(contains(rejected[4].reason, "no eventType"));
        CHECK(rejected[5].line == 9);  // no newline at the end of the file
        CHECK(contains(rejected[5].reason, "actor"));
        REQUIRE(outcome.data.usage.size() == 1);
        CHECK(outcome.data.usage[0].events == 2);
        CHECK(outcome.data.usage[0].user_login == "a@northwind.example");
        CHECK(outcome.data.usage[0].app_name == "Zoom");
    }
    SECTION("fail") {
        auto outcome = read_one(source("okta_log", {file}), BadRowPolicy::fail);
        REQUIRE_FALSE(outcome.report().ok);
        const Error& error = outcome.report().errors.front();
        CHECK(error.where.line == 2);
        CHECK(contains(error.to_string(), "okta.jsonl:2"));
        CHECK(outcome.data.usage.empty());
    }
}

TEST_CASE("okta_log array with a bad element and a truncated end", "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("okta.json",
                                "\xEF\xBB\xBF[\n"
                                "  {\"eventType\": \"user.session.start\", \"outcome\": {\"result\": \"SUCCESS\"}},\n"
                                "  {\"eventType\": \"user.authentication.sso\",\n"
                                "   \"outcome\": {\"result\": \"SUCCESS\"},\n"
                                "   \"published\": \"2026-10-20T10:00:00.000Z\",\n"
                                "   \"actor\": {\"id\": \"00u1\", \"alternateId\": \"a@northwind.example\"},\n"
                                "   \"target\": [{\"id\": \"0oa1\", \"type\": \"AppInstance\", \"alternateId\": \"Zoom\", "
                                "\"displayName\": \"Zoom \\\"Pro\\\" \\\\\"}]},\n"
                                "  42,\n"
                                "  {\"eventType\": \"user.authentication.sso\", \"outcome\": {\"result\": \"FAILURE\"}},\n"
                                "  {\"eventType\": \"user.authentication.sso\", \"published\": ");
    auto outcome = read_one(source("okta_log", {file}), BadRowPolicy::collect);
    const auto& report = outcome.report();
    REQUIRE(report.ok);
    CHECK(report.records == 1);
    CHECK(report.ignored == 2);
    const auto& rejected = outcome.rows.collected();
    REQUIRE(rejected.size() == 2);
    CHECK(rejected[0].line == 8);
    CHECK(contains(rejected[0].reason, "not a JSON object"));
    CHECK(rejected[1].line == 10);
    CHECK(contains(rejected[1].reason, "cut short"));
    REQUIRE(report.errors.size() == 2);
    CHECK(report.errors[0].where.json_path == "$[2]");
    REQUIRE(outcome.data.usage.size() == 1);
    CHECK(outcome.data.usage[0].app_name == "Zoom \"Pro\" \\");
}

TEST_CASE("okta_log array with a stray closing brace", "[connector][unit]") {
    // Found by fuzzing (tests/fuzz/regressions/okta_log): a '}' where an event should start used
    // to scan as an empty element and loop forever.
    TempDir dir;
    auto outcome = read_one(source("okta_log", {dir.write("okta.json", "[}]")}), BadRowPolicy::collect);
    REQUIRE(outcome.report().ok);
    REQUIRE(outcome.rows.collected().size() == 1);
    CHECK(contains(outcome.rows.collected()[0].reason, "stray '}'"));
    auto more = read_one(source("okta_log", {dir.write("more.json", "[\n {\"eventType\":\"x\"}},\n}\n]")}),
                         BadRowPolicy::collect);
    REQUIRE(more.report().ok);
    CHECK(more.report().ignored == 1);
    REQUIRE(more.rows.collected().size() == 2);
    CHECK(more.rows.collected()[0].line == 2);
    CHECK(more.rows.collected()[1].line == 3);
}

TEST_CASE("okta_log rejects a file that is not JSON and an empty one", "[connector][unit]") {
    TempDir dir;
    auto csv = read_one(source("okta_log", {dir.write("log.csv", "uuid,published\n1,2\n")}));
    REQUIRE_FALSE(csv.report().ok);
    CHECK(csv.report().errors.front().code == ErrorCode::json_malformed);
    CHECK(contains(csv.report().errors.front().message, "log.csv"));

    // No event at all is a broken export, not a company where nobody signed in.
    auto empty = read_one(source("okta_log", {dir.write("empty.jsonl", "\n  \n")}));
    REQUIRE_FALSE(empty.report().ok);
    CHECK(empty.report().errors.front().code == ErrorCode::source_failed);
    CHECK(contains(empty.report().errors.front().message, "holds no events"));
    CHECK(empty.data.usage.empty());

    auto array = read_one(source("okta_log", {dir.write("empty.json", " [ ] \n")}));
    REQUIRE_FALSE(array.report().ok);
    CHECK(array.report().errors.front().code == ErrorCode::source_failed);
}

TEST_CASE("okta_log aggregates a large generated log", "[connector][unit]") {
    TempDir dir;
    const auto path = dir.path() / "system_log.jsonl";
    const std::int64_t as_of = at("2026-11-01T00:00:00Z").time_since_epoch().count();
    const std::int64_t window_start = as_of - 30 * 86400;

    struct Expected {
        std::uint64_t events = 0;
        std::uint64_t in_window = 0;
        std::int64_t first = 0;
        std::int64_t last = 0;
    };
    std::map<std::pair<int, int>, Expected> expected;
    std::uint64_t counted = 0;
    std::uint64_t ignored = 0;
    std::size_t bytes = 0;
    {
        std::ofstream out(path, std::ios::binary);
        std::string line;
        std::uint64_t state = 42;
        const auto next = [&state] {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            return state >> 33;
        };
        for (std::size_t i = 0; bytes < (std::size_t{50} << 20); ++i) {
            const int user = static_cast<int>(next() % 700);
            const int app = static_cast<int>(next() % 60);
            const std::int64_t published = as_of - static_cast<std::int64_t>(next() % (90 * 86400)) +
                                           (i % 97 == 0 ? 3 * 86400 : 0);
            const std::uint64_t kind = next() % 10;
            const char* event_type = kind < 4 ? "user.session.start" : kind < 5 ? "policy.evaluate_sign_on"
                                                                                 : "user.authentication.sso";
            const char* result = kind == 9 ? "FAILURE" : "SUCCESS";
            const std::string when = format_timestamp(Timestamp{std::chrono::seconds{published}});
            const std::string stamp = when.substr(0, 19) + "." + std::to_string(100 + i % 900) + "Z";
            const std::string uid = "00u" + std::to_string(100000 + user);
            const std::string login = "user" + std::to_string(user) + "@northwind.example";
            line.clear();
            line += R"({"actor":{"id":")" + uid + R"(","type":"User","alternateId":")" + login +
                    R"(","displayName":"User )" + std::to_string(user) + R"(","detailEntry":null},)";
            line += R"("client":{"userAgent":{"rawUserAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36","os":"Windows 10","browser":"CHROME"},"zone":"null","device":"Computer","id":null,"ipAddress":"198.51.100.)" +
                    std::to_string(i % 250) +
                    R"(","geographicalContext":{"city":"Hamburg","state":"Hamburg","country":"Germany","postalCode":"20095","geolocation":{"lat":53.5511,"lon":9.9937}}},)";
            line += R"("device":null,"authenticationContext":{"authenticationProvider":null,"credentialProvider":null,"credentialType":null,"issuer":null,"interface":null,"authenticationStep":0,"externalSessionId":"102Zq)" +
                    std::to_string(i) + R"("},"displayMessage":"User single sign on to app",)";
            line += R"("eventType":")" + std::string(event_type) + R"(","outcome":{"result":")" + result +
                    R"(","reason":null},"published":")" + stamp + R"(",)";
            line += R"("securityContext":{"asNumber":64496,"asOrg":"example telecom","isp":"example telecom","domain":"example.net","isProxy":false},"severity":"INFO",)";
            line += R"("debugContext":{"debugData":{"requestId":"Y2x)" + std::to_string(i) +
                    R"(","requestUri":"/app/app)" + std::to_string(app) + R"(/exk1/sso/saml","url":"/app/app)" +
                    std::to_string(app) + R"(/exk1/sso/saml?"}},"legacyEventType":"app.auth.sso",)";
            line += R"("transaction":{"type":"WEB","id":"Y2x)" + std::to_string(i) +
                    R"(","detail":{}},"uuid":"5b9e4a10-97c1-11ef-8a3e-)" + std::to_string(1000000000000 + i) +
                    R"(","version":"0",)";
            line += R"("request":{"ipChain":[{"ip":"198.51.100.7","geographicalContext":{"city":"Hamburg","state":"Hamburg","country":"Germany","postalCode":"20095","geolocation":{"lat":53.5511,"lon":9.9937}},"version":"V4","source":null}]},)";
            line += R"("target":[{"id":"0oa)" + std::to_string(5000 + app) + R"(","type":"AppInstance","alternateId":"App )" +
                    std::to_string(app) + R"(","displayName":"App )" + std::to_string(app) +
                    R"(","detailEntry":{"signOnModeType":"SAML_2_0"}},{"id":"0ua)" + std::to_string(user) +
                    R"(","type":"AppUser","alternateId":")" + login + R"(","displayName":"User","detailEntry":null}]})";
            line += '\n';
            out << line;
            bytes += line.size();

            const bool sso_success = kind >= 5 && kind != 9;
            if (sso_success && published <= as_of) {
                ++counted;
                Expected& e = expected[{app, user}];
                if (e.events == 0 || published < e.first) {
                    e.first = published;
                }
                if (e.events == 0 || published > e.last) {
                    e.last = published;
                }
                ++e.events;
                e.in_window += published >= window_start ? 1 : 0;
            } else {
                ++ignored;
            }
        }
    }
    REQUIRE(std::filesystem::file_size(path) >= (std::size_t{50} << 20));

    auto outcome = read_one(source("okta_log", {path}));
    const auto& report = outcome.report();
    REQUIRE(report.ok);
    CHECK(report.records == counted);
    CHECK(report.ignored == ignored);
    CHECK(report.rejected == 0);
    REQUIRE(outcome.data.usage.size() == expected.size());
    std::size_t mismatches = 0;
    for (const Usage& row : outcome.data.usage) {
        const int app = std::stoi(row.app_label.substr(4));
        const int user = std::stoi(row.user_login.substr(4));
        const auto it = expected.find({app, user});
        if (it == expected.end() || it->second.events != row.events || it->second.in_window != row.events_in_window ||
            it->second.first != row.first_seen.time_since_epoch().count() ||
            it->second.last != row.last_seen.time_since_epoch().count() ||
            row.user_id != "00u" + std::to_string(100000 + user) || row.app_id != "0oa" + std::to_string(5000 + app)) {
            ++mismatches;
        }
    }
    CHECK(mismatches == 0);
    CHECK(std::is_sorted(outcome.data.usage.begin(), outcome.data.usage.end(), [](const Usage& a, const Usage& b) {
        return std::tie(a.app_label, a.user_login) < std::tie(b.app_label, b.user_login);
    }));
}

// --- the line screen --------------------------------------------------------------------------

namespace {

namespace okta = stackaudit::connectors::okta_log;

// Screens `line` placed at `offset` in a buffer with room to read past its end, as the reader's
// buffers have.
okta::Screen screen(std::string_view line, std::size_t offset = 0) {
    std::string buffer(offset, 'x');
    buffer += line;
    buffer.append(okta::k_screen_overread + 64, '"');  // quotes past the end must not matter
    const char* first = buffer.data() + offset;
    return okta::screen_line(first, first + line.size());
}

}  // namespace

TEST_CASE("okta_log screen skips only lines that cannot be SSO events", "[connector][unit]") {
    using okta::Screen;
    // Skipped: event objects whose eventType is a plain non-SSO string.
    CHECK(screen(R"({"actor":{"id":"00u1"},"eventType":"user.session.start","outcome":{"result":"SUCCESS"}})") ==
          Screen::skip);
    CHECK(screen(R"({"eventType" :  "policy.evaluate_sign_on"})") == Screen::skip);
    CHECK(screen(R"({"displayMessage":"eventType","eventType":"user.session.end"})") == Screen::skip);
    // Not validated beyond that shape: broken JSON after a non-SSO type still reads as skip.
    CHECK(screen(R"({"eventType":"user.session.start","outcome":{"result":"SUC}})") == Screen::skip);

    // Parsed: SSO events, wherever the type is and however it is spaced.
    CHECK(screen(R"({"eventType":"user.authentication.sso"})") == Screen::parse);
    CHECK(screen("{\"eventType\"\t:\r\n \"user.authentication.sso\",\"x\":1}") == Screen::parse);
    CHECK(screen(R"({"eventType":"user.session.start","eventType":"user.authentication.sso"})") == Screen::parse);
    // Parsed: anything the parser must judge.
    CHECK(screen(R"({"published":"2026-10-01T00:00:00Z","uuid":"x"})") == Screen::parse);  // no eventType
    CHECK(screen(R"({"eventType":null})") == Screen::parse);
    CHECK(screen(R"({"eventType":42})") == Screen::parse);
    CHECK(screen(R"({"eventType":"user.authentication\u002esso"})") == Screen::parse);  // escaped
    CHECK(screen(R"({"eventType":"user.session.start")") == Screen::parse);             // cut short
    CHECK(screen(R"({"eventType":"user.session.start"},)") == Screen::parse);
    CHECK(screen(R"([{"eventType":"user.session.start"}])") == Screen::parse);
    CHECK(screen(R"({"eventType":"unterminated})") == Screen::parse);
    CHECK(screen("garbage") == Screen::parse);
    CHECK(screen(R"({"eventType"})") == Screen::parse);
    // "eventType" inside a string, escaped quotes around it, is not a key.
    CHECK(screen(R"({"note":"say \"eventType\": \"x\"","eventType":"user.session.start"})") == Screen::skip);
    CHECK(screen(R"({"note":"say \"eventType\": \"x\""})") == Screen::parse);
}

TEST_CASE("okta_log screen finds the key at every offset and alignment", "[connector][unit]") {
    for (std::size_t offset = 0; offset < 40; ++offset) {
        for (std::size_t pad = 0; pad < 80; ++pad) {
            INFO("offset " << offset << ", padding " << pad);
            const std::string filler = "\"a\":\"" + std::string(pad, 'T') + "\",";
            const std::string sso = "{" + filler + R"("eventType":"user.authentication.sso"})";
            const std::string other = "{" + filler + R"("eventType":"user.session.start"})";
            const std::string none = "{" + filler + R"("eventTyp":"user.session.start"})";
            REQUIRE(screen(sso, offset) == okta::Screen::parse);
            REQUIRE(screen(other, offset) == okta::Screen::skip);
            REQUIRE(screen(none, offset) == okta::Screen::parse);
        }
    }
}

TEST_CASE("okta_log key search agrees with a plain search", "[connector][unit]") {
    std::mt19937 random(7);
    const std::string alphabet = "\"eventTyp:T ,{}";
    for (int round = 0; round < 2000; ++round) {
        std::string text(random() % 200, ' ');
        for (char& c : text) {
            c = alphabet[random() % alphabet.size()];
        }
        if (round % 3 == 0 && !text.empty()) {
            text.insert(random() % text.size(), okta::k_event_type_key);
        }
        const std::size_t offset = random() % 8;
        std::string buffer(offset, 'x');
        buffer += text;
        buffer.append(okta::k_screen_overread + 16, '"');
        const char* first = buffer.data() + offset;
        const char* hit = okta::find_event_type_key(first, first + text.size());
        const std::size_t expected = text.find(okta::k_event_type_key);
        INFO("text " << text);
        if (expected == std::string::npos) {
            REQUIRE(hit == nullptr);
        } else {
            REQUIRE(hit == first + expected);
        }
    }
}

TEST_CASE("okta_log counts a broken non-SSO line as ignored, and still rejects a broken SSO line",
          "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write(
        "okta.jsonl",
        R"({"eventType":"user.session.start","outcome":{"result":"SUCCESS"},"published":"2026-10-20T1})"
        "\n"
        R"({"eventType":"user.authentication.sso","outcome":{"result":"SUCCESS"},"published":"2026-10-20T1})"
        "\n");
    auto outcome = read_one(source("okta_log", {file}), BadRowPolicy::collect);
    REQUIRE(outcome.report().ok);
    CHECK(outcome.report().ignored == 1);
    CHECK(outcome.report().rejected == 1);
    REQUIRE(outcome.rows.collected().size() == 1);
    CHECK(outcome.rows.collected()[0].line == 2);
}

// --- threads ------------------------------------------------------------------------------

namespace {

// A log that exercises everything the merge must keep in order: bad rows of every kind spread
// through the file, blank lines, CRLF endings, a BOM, users first seen without a login and apps
// first seen without a label or name, a user known only by login, events after as_of.
std::string mixed_log(std::size_t events, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::string out = "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < events; ++i) {
        const auto user = static_cast<int>(random() % 40);
        const auto app = static_cast<int>(random() % 9);
        const auto kind = random() % 100;
        const int day = 1 + static_cast<int>(random() % 30);
        const std::string published = "2026-10-" + std::string(day < 10 ? "0" : "") + std::to_string(day) +
                                      "T1" + std::to_string(random() % 10) + ":00:00." +
                                      std::to_string(100 + random() % 900) + "Z";
        const bool quiet_login = random() % 4 == 0;
        const std::string actor =
            user == 7 ? R"({"alternateId":"Only.Login@Northwind.example"})"
                      : R"({"id":"00u)" + std::to_string(user) + R"(","alternateId":)" +
                            (quiet_login ? std::string("null") : "\"User" + std::to_string(user) + "@northwind.example\"") +
                            "}";
        const bool bare_app = random() % 5 == 0;
        const std::string target =
            R"([{"id":"0ua1","type":"AppUser"},{"id":"0oa)" + std::to_string(app) + R"(","type":"AppInstance")" +
            (bare_app ? std::string() : R"(,"alternateId":"App )" + std::to_string(app) + R"(","displayName":"App )" +
                                            std::to_string(app) + " (" + std::to_string(i) + ")\"") +
            "}]";
        std::string line;
        if (kind < 45) {
            line = R"({"actor":)" + actor + R"(,"eventType":"user.authentication.sso","outcome":{"result":"SUCCESS"},"published":")" +
                   published + R"(","target":)" + target + "}";
        } else if (kind < 48) {
            line = R"({"eventType":"user.authentication.sso","outcome":{"result":"SUCCESS"},"published":"2026-11-05T00:00:00Z","actor":)" +
                   actor + R"(,"target":)" + target + "}";  // after as_of
        } else if (kind < 80) {
            line = R"({"actor":)" + actor + R"(,"eventType":"user.session.start","outcome":{"result":"SUCCESS"},"published":")" +
                   published + R"("})";
        } else if (kind < 85) {
            line = R"({"eventType":"user.authentication.sso","outcome":{"result":"FAILURE"},"actor":)" + actor + "}";
        } else if (kind < 88) {
            line = "";  // blank line
        } else if (kind < 90) {
            line = R"({"eventType":"user.authentication.sso","outcome":{"result":"SUCC)";  // cut short
        } else if (kind < 92) {
            line = "garbage " + std::to_string(i);
        } else if (kind < 94) {
            line = R"({"published":"2026-10-01T00:00:00Z","uuid":")" + std::to_string(i) + "\"}";  // no eventType
        } else if (kind < 96) {
            line = R"({"eventType":"user.authentication.sso","outcome":{"result":"SUCCESS"},"published":"soon","actor":)" +
                   actor + R"(,"target":)" + target + "}";
        } else if (kind < 98) {
            line = "[1,2]";
        } else {
            line = "   " + std::string(R"({"eventType":"user.authentication.sso","outcome":{"result":"SUCCESS"},"published":")") +
                   published + R"(","actor":)" + actor + R"(,"target":)" + target + "}  ";
        }
        out += line;
        out += i % 11 == 0 ? "\r\n" : "\n";
    }
    return out;
}

struct ThreadedRead {
    ReadOutcome outcome;
    std::optional<Error> error;
};

ThreadedRead read_threads(const connectors::SourceConfig& config, unsigned threads, std::size_t chunk,
                          BadRowPolicy policy) {
    ThreadedRead read{ReadOutcome{Dataset{}, RowSink(policy)}, std::nullopt};
    connectors::ReadContext context{read.outcome.rows, at("2026-11-01T00:00:00Z"), 30};
    SourceReport report;
    report.name = config.name;
    report.kind = config.kind;
    connectors::okta_log::ReaderOptions options;
    options.chunk_bytes = chunk;
    options.threads = threads;
    options.min_range_bytes = 1;  // split even tiny files
    if (auto done = connectors::okta_log::read_with(config, context, read.outcome.data, report, options); !done) {
        read.error = done.error();
    }
    read.outcome.data.sources.push_back(report);
    return read;
}

auto usage_fields(const Usage& u) {
    return std::tie(u.app_id, u.app_label, u.app_name, u.user_id, u.user_login, u.first_seen, u.last_seen, u.events,
                    u.events_in_window);
}

void check_same(const ThreadedRead& one, const ThreadedRead& many) {
    const SourceReport& a = one.outcome.report();
    const SourceReport& b = many.outcome.report();
    CHECK(a.records == b.records);
    CHECK(a.ignored == b.ignored);
    CHECK(a.rejected == b.rejected);
    REQUIRE(one.outcome.data.usage.size() == many.outcome.data.usage.size());
    for (std::size_t i = 0; i < one.outcome.data.usage.size(); ++i) {
        INFO("usage row " << i);
        CHECK(usage_fields(one.outcome.data.usage[i]) == usage_fields(many.outcome.data.usage[i]));
    }
    const auto& rows_a = one.outcome.rows.collected();
    const auto& rows_b = many.outcome.rows.collected();
    REQUIRE(rows_a.size() == rows_b.size());
    for (std::size_t i = 0; i < rows_a.size(); ++i) {
        INFO("bad row " << i);
        CHECK(rows_a[i].line == rows_b[i].line);
        CHECK(rows_a[i].reason == rows_b[i].reason);
        CHECK(rows_a[i].raw == rows_b[i].raw);
    }
    const auto& samples_a = one.outcome.rows.samples();
    const auto& samples_b = many.outcome.rows.samples();
    REQUIRE(samples_a.size() == samples_b.size());
    for (std::size_t i = 0; i < samples_a.size(); ++i) {
        CHECK(samples_a[i].to_string() == samples_b[i].to_string());
    }
    REQUIRE(a.errors.size() == b.errors.size());
    for (std::size_t i = 0; i < a.errors.size(); ++i) {
        CHECK(a.errors[i].to_string() == b.errors[i].to_string());
    }
    REQUIRE(one.error.has_value() == many.error.has_value());
    if (one.error) {
        CHECK(one.error->to_string() == many.error->to_string());
    }
}

}  // namespace

TEST_CASE("okta_log gives the same output, bad rows and line numbers for any number of threads",
          "[connector][unit]") {
    TempDir dir;
    const auto file = dir.write("okta.jsonl", mixed_log(3000, 11));
    const auto config = source("okta_log", {file});
    for (const BadRowPolicy policy : {BadRowPolicy::collect, BadRowPolicy::skip, BadRowPolicy::fail}) {
        const ThreadedRead one = read_threads(config, 1, std::size_t{4} << 20, policy);
        if (policy == BadRowPolicy::collect) {
            REQUIRE(one.outcome.rows.collected().size() > 100);  // enough bad rows to cross ranges
            REQUIRE(one.outcome.data.usage.size() > 100);
            // Line numbers count every line from the top, blank ones and the BOM's included.
            const std::string content = mixed_log(3000, 11);
            for (const RejectedRow& row : one.outcome.rows.collected()) {
                std::size_t start = 0;
                for (std::size_t line = 1; line < row.line; ++line) {
                    start = content.find('\n', start) + 1;
                }
                std::string_view text(content.data() + start, content.find('\n', start) - start);
                while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) {
                    text.remove_suffix(1);
                }
                while (!text.empty() && (text.front() == ' ' || text.front() == '\xEF' || text.front() == '\xBB' ||
                                         text.front() == '\xBF')) {
                    text.remove_prefix(1);
                }
                REQUIRE(row.raw == text);
            }
        }
        if (policy == BadRowPolicy::fail) {
            REQUIRE(one.error.has_value());
        }
        for (const unsigned threads : {2u, 3u, 7u, 64u}) {
            for (const std::size_t chunk : {std::size_t{64}, std::size_t{1000}, std::size_t{4} << 20}) {
                INFO("policy " << to_string(policy) << ", threads " << threads << ", chunk " << chunk);
                check_same(one, read_threads(config, threads, chunk, policy));
            }
        }
    }
}

TEST_CASE("okta_log keeps the first bad rows of a mostly broken file in order", "[connector][unit]") {
    TempDir dir;
    std::string content;
    for (int i = 0; i < 400; ++i) {
        content += i % 50 == 0 ? R"({"eventType":"user.session.start"})" : "garbage " + std::to_string(i);
        content += '\n';
    }
    const auto file = dir.write("okta.jsonl", content);
    const auto config = source("okta_log", {file});
    const ThreadedRead one = read_threads(config, 1, 256, BadRowPolicy::skip);
    CHECK(one.outcome.report().rejected == 392);
    CHECK(one.outcome.report().ignored == 8);
    REQUIRE_FALSE(one.outcome.rows.samples().empty());
    CHECK(one.outcome.rows.samples().front().where.line == 2);
    for (const unsigned threads : {2u, 5u, 16u}) {
        INFO("threads " << threads);
        check_same(one, read_threads(config, threads, 256, BadRowPolicy::skip));
    }
}

// --- the tally ------------------------------------------------------------------------------

TEST_CASE("okta_log tally agrees with a plain model, split or not", "[connector][unit]") {
    // A plain model of what Tally promises: pairs keyed by (actor id or login, app id), the first
    // non-empty login, label and name kept, stats merged.
    struct Model {
        std::map<std::string, std::pair<std::string, std::string>> users;  // key -> id, login
        std::map<std::string, std::pair<std::string, std::string>> apps;   // id -> label, name
        std::map<std::pair<std::string, std::string>, std::tuple<std::int64_t, std::int64_t, std::uint64_t, std::uint64_t>> pairs;
    } model;
    std::mt19937 random(5);
    const std::int64_t window_start = 1000;
    okta::Tally whole(5000, window_start);
    okta::Tally first(5000, window_start);
    okta::Tally second(5000, window_start);
    const std::string long_part(60, 'x');  // keys too long for the inline cache
    for (int i = 0; i < 20000; ++i) {
        const int u = static_cast<int>(random() % 300);
        const int a = static_cast<int>(random() % 25);
        const bool no_id = u % 17 == 0;
        const std::string id = no_id ? "" : "00u" + std::to_string(u) + (u % 29 == 0 ? long_part : "");
        const std::string login = random() % 3 == 0 ? "" : "User" + std::to_string(u) + "@Example.com";
        const std::string key = id.empty() ? login : id;
        if (key.empty()) {
            continue;  // the reader rejects such events before the tally
        }
        const std::string app = "0oa" + std::to_string(a) + (a == 3 ? long_part : "");
        const std::string label = random() % 4 == 0 ? "" : "App " + std::to_string(a);
        const std::string name = random() % 4 == 0 ? "" : "Name " + std::to_string(a);
        const auto when = static_cast<std::int64_t>(random() % 5000);
        (i < 9000 ? first : second).add(id, login, app, label, name, when);
        whole.add(id, login, app, label, name, when);

        auto& user = model.users.try_emplace(key, id, "").first->second;
        if (user.second.empty() && !login.empty()) {
            user.second = normalize_email(login);
        }
        auto& meta = model.apps.try_emplace(app, "", "").first->second;
        if (meta.first.empty()) meta.first = label;
        if (meta.second.empty()) meta.second = name;
        auto [it, inserted] = model.pairs.try_emplace({key, app}, when, when, 0, 0);
        auto& [lo, hi, events, in_window] = it->second;
        lo = std::min(lo, when);
        hi = std::max(hi, when);
        ++events;
        in_window += when >= window_start ? 1 : 0;
    }
    first.merge(second);
    const std::vector<Usage> merged = first.take_usage();
    const std::vector<Usage> usage = whole.take_usage();
    REQUIRE(usage.size() == model.pairs.size());
    REQUIRE(merged.size() == usage.size());
    for (std::size_t i = 0; i < usage.size(); ++i) {
        const Usage& row = usage[i];
        CHECK(usage_fields(row) == usage_fields(merged[i]));
        const auto user = std::find_if(model.users.begin(), model.users.end(), [&](const auto& entry) {
            return entry.second.first == row.user_id && entry.second.second == row.user_login;
        });
        REQUIRE(user != model.users.end());
        const auto pair = model.pairs.find({user->first, row.app_id});
        REQUIRE(pair != model.pairs.end());
        CHECK(row.first_seen.time_since_epoch().count() == std::get<0>(pair->second));
        CHECK(row.last_seen.time_since_epoch().count() == std::get<1>(pair->second));
        CHECK(row.events == std::get<2>(pair->second));
        CHECK(row.events_in_window == std::get<3>(pair->second));
        CHECK(row.app_label == model.apps.at(row.app_id).first);
        CHECK(row.app_name == model.apps.at(row.app_id).second);
    }
}
