// Okta System Log reader tests: both file forms, what counts, windows, bad lines, a large log.
#include "test_support.hpp"

#include <map>
#include <tuple>

#include "okta_log/okta_log.hpp"

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

TEST_CASE("okta_log rejects a file that is not JSON and accepts an empty one", "[connector][unit]") {
    TempDir dir;
    auto csv = read_one(source("okta_log", {dir.write("log.csv", "uuid,published\n1,2\n")}));
    REQUIRE_FALSE(csv.report().ok);
    CHECK(csv.report().errors.front().code == ErrorCode::json_malformed);
    CHECK(contains(csv.report().errors.front().message, "log.csv"));

    auto empty = read_one(source("okta_log", {dir.write("empty.jsonl", "\n  \n")}));
    REQUIRE(empty.report().ok);
    CHECK(empty.report().records == 0);
    CHECK(empty.data.usage.empty());

    auto array = read_one(source("okta_log", {dir.write("empty.json", " [ ] \n")}));
    REQUIRE(array.report().ok);
    CHECK(array.report().records == 0);
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
