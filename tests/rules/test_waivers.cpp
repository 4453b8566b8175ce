// Waivers: the strict file schema (each error with file:line and a fix), subject matching by
// key, finding id and '*' pattern, the expiry boundary, and expired/unused reporting.
#include <atomic>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "stackaudit/core/strings.hpp"
#include "stackaudit/rules/waivers.hpp"
#include "support.hpp"

using namespace stackaudit;
using namespace stackaudit::rules;

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> k_rules{"capability-overlap", "idle-seat", "no-owner", "departed-seat"};

// A waivers file with `text`, in a fresh directory removed when the test ends.
class WaiverFile {
public:
    explicit WaiverFile(const std::string& text) {
        static std::atomic<int> counter{0};
        m_dir = fs::temp_directory_path() /
                ("stackaudit-waivers-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(m_dir);
        std::ofstream(path(), std::ios::binary) << text;
    }
    ~WaiverFile() {
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }
    WaiverFile(const WaiverFile&) = delete;
    WaiverFile& operator=(const WaiverFile&) = delete;
    fs::path path() const { return m_dir / "waivers.yaml"; }

private:
    fs::path m_dir;
};

WaiverLoad load(const std::string& text) {
    WaiverFile file(text);
    return load_waivers(file.path(), k_rules);
}

std::string all_errors(const WaiverLoad& r) {
    std::string out;
    for (const auto& e : r.errors) out += e.to_string() + "\n";
    return out;
}

const Error& only_error(const WaiverLoad& r) {
    INFO(all_errors(r));
    REQUIRE(r.errors.size() == 1);
    return r.errors.front();
}

Finding finding(const std::string& rule, const std::string& subject) {
    Finding f;
    f.rule_id = rule;
    f.subject_key = subject;
    f.id = stable_finding_id(rule, subject);
    return f;
}

Waiver waiver(const std::string& rule, const std::string& subject, const char* expires = "2027-03-31",
              const std::string& reason = "accepted") {
    Waiver w;
    w.rule = rule;
    w.subject = subject;
    w.reason = reason;
    w.approver = "cio@northwind.example";
    w.expires = test::date(expires);
    w.file = "waivers.yaml";
    w.line = 3;
    return w;
}

const std::string k_good = R"(# Accepted risks, reviewed monthly.
waivers:
  - rule: capability-overlap
    subject: "pair:looker|tableau"
    reason: Tableau is being retired in Q1; both kept until the migration ends
    approver: cio@northwind.example
    expires: 2027-03-31
  - rule: idle-seat
    subject: "seat:salesforce:*"
    reason: Seasonal sales team returns in spring
    approver: Sales.Ops@northwind.example
    expires: "2026-12-15"
)";

}  // namespace

TEST_CASE("a valid waivers file loads every field with its line", "[unit][waivers]") {
    WaiverFile file(k_good);
    const auto r = load_waivers(file.path(), k_rules);
    INFO(all_errors(r));
    REQUIRE(r.errors.empty());
    REQUIRE(r.waivers.size() == 2);
    const Waiver& a = r.waivers[0];
    CHECK(a.rule == "capability-overlap");
    CHECK(a.subject == "pair:looker|tableau");
    CHECK(a.reason == "Tableau is being retired in Q1; both kept until the migration ends");
    CHECK(a.approver == "cio@northwind.example");
    CHECK(a.expires == test::date("2027-03-31"));
    CHECK(a.file == file.path().string());
    CHECK(a.line == 3);
    CHECK(r.waivers[1].subject == "seat:salesforce:*");
    CHECK(r.waivers[1].expires == test::date("2026-12-15"));
    CHECK(r.waivers[1].line == 8);
}

TEST_CASE("an empty waivers file or an empty list means no waivers", "[unit][waivers]") {
    for (const std::string text : {"", "# nothing waived yet\n", "waivers:\n", "waivers: []\n"}) {
        INFO(text);
        const auto r = load(text);
        CHECK(r.errors.empty());
        CHECK(r.waivers.empty());
    }
}

TEST_CASE("waiver schema errors name the line and how to fix it", "[unit][waivers]") {
    struct Case {
        const char* name;
        std::string text;
        std::size_t line;
        const char* message;
        const char* hint;
    };
    const std::string head = "waivers:\n  - rule: idle-seat\n    subject: \"seat:zoom:*\"\n";
    const std::string reason = "    reason: x\n";
    const std::string approver = "    approver: it@northwind.example\n";
    const std::string expires = "    expires: 2027-01-01\n";
    const std::vector<Case> cases{
        {"unknown key", head + reason + "    approvr: it@northwind.example\n" + expires, 5, "unknown key 'approvr'",
         "did you mean 'approver'?"},
        {"missing key", head + reason + approver, 2, "missing required key 'expires'", "every waiver needs"},
        {"empty value", head + "    reason: \"\"\n" + approver + expires, 4, "'reason' must be a non-empty text", ""},
        {"null value", head + "    reason:\n" + approver + expires, 4, "'reason' must be a non-empty text", ""},
        {"unknown rule", "waivers:\n  - rule: idle-seats\n    subject: x\n" + reason + approver + expires, 2,
         "unknown rule 'idle-seats'", "did you mean 'idle-seat'?"},
        {"approver not an email", head + reason + "    approver: Jane Smith\n" + expires, 5,
         "approver 'Jane Smith' is not an email address", "by email"},
        {"bad date", head + reason + approver + "    expires: next spring\n", 6, "expires 'next spring' is not a date",
         "YYYY-MM-DD"},
        {"impossible date", head + reason + approver + "    expires: 2027-02-30\n", 6, "is not a date", ""},
        {"never expires", head + reason + approver + "    expires: never\n", 6, "waivers must expire", ""},
        {"duplicate key", head + reason + reason + approver + expires, 5, "key 'reason' appears twice", ""},
        {"unknown top-level key", "waiver:\n  - rule: idle-seat\n", 1, "unknown top-level key 'waiver'",
         "did you mean 'waivers'?"},
        {"list expected", "waivers:\n  rule: idle-seat\n", 2, "'waivers' must be a list", ""},
        {"entry not a mapping", "waivers:\n  - idle-seat\n", 2, "a waiver must be a mapping", ""},
        {"not a mapping", "- rule: idle-seat\n", 1, "must be a mapping with a 'waivers:' list", ""},
        {"bad YAML", "waivers:\n  - rule: [idle-seat\n", 3, "not valid YAML", ""},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            WaiverFile file(c.text);
            const auto r = load_waivers(file.path(), k_rules);
            const Error& e = only_error(r);
            INFO(e.to_string());
            CHECK(e.code == ErrorCode::config_invalid);
            CHECK(e.where.file == file.path().string());
            CHECK(e.where.line == c.line);
            CHECK(e.message.find(c.message) != std::string::npos);
            CHECK(e.hint.find(c.hint) != std::string::npos);
            CHECK(r.waivers.empty());
        }
    }
}

TEST_CASE("a malformed waiver does not stop the others from loading", "[unit][waivers]") {
    const auto r = load(k_good + "  - rule: no-ownr\n    subject: \"tool:zoom\"\n    reason: r\n"
                                 "    approver: a@b.example\n    expires: 2027-01-01\n");
    const Error& e = only_error(r);
    CHECK(e.where.line == 13);
    CHECK(e.hint == "did you mean 'no-owner'?");
    CHECK(r.waivers.size() == 2);
}

TEST_CASE("a missing waivers file is an io error", "[unit][waivers]") {
    const auto r = load_waivers(fs::temp_directory_path() / "stackaudit-no-such-dir" / "waivers.yaml", k_rules);
    const Error& e = only_error(r);
    CHECK(e.code == ErrorCode::io);
    CHECK(e.where.source == "waivers");
    CHECK(r.waivers.empty());
}

TEST_CASE("waiver subjects match by key, finding id or '*' pattern", "[unit][waivers]") {
    struct Case {
        std::string rule;
        std::string subject;  // the waiver's
        std::string finding_rule;
        std::string finding_subject;
        bool waived;
    };
    const std::string jane = "seat:salesforce:jane@northwind.example";
    const std::vector<Case> cases{
        {"idle-seat", jane, "idle-seat", jane, true},
        {"idle-seat", "SEAT:Salesforce:Jane@Northwind.example", "idle-seat", jane, true},
        {"idle-seat", stable_finding_id("idle-seat", jane), "idle-seat", jane, true},
        {"idle-seat", to_lower(stable_finding_id("idle-seat", jane)), "idle-seat", jane, true},
        {"idle-seat", stable_finding_id("idle-seat", "seat:zoom:x@y.example"), "idle-seat", jane, false},
        {"idle-seat", "seat:salesforce:*", "idle-seat", jane, true},
        {"idle-seat", "SEAT:SALESFORCE:*", "idle-seat", jane, true},
        {"idle-seat", "seat:*:jane@northwind.example", "idle-seat", jane, true},
        {"idle-seat", "*@northwind.example", "idle-seat", jane, true},
        {"idle-seat", "*", "idle-seat", jane, true},
        {"idle-seat", "seat:*force:*", "idle-seat", jane, true},
        {"idle-seat", "seat:slack:*", "idle-seat", jane, false},
        {"idle-seat", "seat:salesforce:", "idle-seat", jane, false},
        {"idle-seat", "seat:salesforce", "idle-seat", jane, false},
        {"idle-seat", "seat:salesforce:jane", "idle-seat", jane, false},
        {"idle-seat", "*@other.example", "idle-seat", jane, false},
        {"departed-seat", jane, "idle-seat", jane, false},
        {"departed-seat", "*", "idle-seat", jane, false},
        {"capability-overlap", "pair:looker|tableau", "capability-overlap", "pair:looker|tableau", true},
        {"capability-overlap", "pair:*|tableau", "capability-overlap", "pair:looker|tableau", true},
        {"capability-overlap", "pair:tableau|looker", "capability-overlap", "pair:looker|tableau", false},
    };
    for (const auto& c : cases) {
        INFO("waiver " << c.rule << " '" << c.subject << "' vs finding " << c.finding_rule << " '" << c.finding_subject
                       << "'");
        std::vector<Finding> findings{finding(c.finding_rule, c.finding_subject)};
        const auto outcome = apply_waivers(findings, {waiver(c.rule, c.subject)}, test::as_of());
        CHECK(findings[0].waived == c.waived);
        CHECK(outcome.expired.empty());
        CHECK(outcome.unused.size() == (c.waived ? 0U : 1U));
    }
}

TEST_CASE("a waived finding carries the waiver's reason, approver and expiry", "[unit][waivers]") {
    std::vector<Finding> findings{finding("no-owner", "tool:zoom")};
    const auto outcome = apply_waivers(findings, {waiver("no-owner", "tool:zoom", "2027-01-31", "owner being hired")},
                                       test::as_of());
    CHECK(outcome.expired.empty());
    CHECK(outcome.unused.empty());
    CHECK(findings[0].waived);
    CHECK(findings[0].waiver_reason == "owner being hired");
    CHECK(findings[0].waiver_approver == "cio@northwind.example");
    CHECK(findings[0].waiver_expires == "2027-01-31");
}

TEST_CASE("a waiver expiring on the as-of date still applies; the day before it has expired", "[unit][waivers]") {
    const Date as_of = test::date("2026-11-01");
    {
        std::vector<Finding> findings{finding("no-owner", "tool:zoom")};
        const auto outcome = apply_waivers(findings, {waiver("no-owner", "tool:zoom", "2026-11-01")}, as_of);
        CHECK(findings[0].waived);
        CHECK(outcome.expired.empty());
    }
    {
        std::vector<Finding> findings{finding("no-owner", "tool:zoom")};
        const auto outcome = apply_waivers(findings, {waiver("no-owner", "tool:zoom", "2026-10-31")}, as_of);
        CHECK_FALSE(findings[0].waived);
        CHECK(findings[0].waiver_reason.empty());
        REQUIRE(outcome.expired.size() == 1);
        const Error& e = outcome.expired[0];
        CHECK(e.message ==
              "waiver for no-owner tool:zoom (waivers.yaml:3) expired on 2026-10-31; 1 finding it matched is no "
              "longer waived");
        CHECK(e.where.file == "waivers.yaml");
        CHECK(e.where.line == 3);
        CHECK(outcome.unused.empty());  // expired is reported once, not also as unused
    }
    {
        std::vector<Finding> findings;
        const auto outcome = apply_waivers(findings, {waiver("no-owner", "tool:zoom", "2026-01-01")}, as_of);
        REQUIRE(outcome.expired.size() == 1);
        CHECK(outcome.expired[0].message == "waiver for no-owner tool:zoom (waivers.yaml:3) expired on 2026-01-01");
    }
}

TEST_CASE("one pattern waiver marks every finding it matches", "[unit][waivers]") {
    std::vector<Finding> findings{
        finding("idle-seat", "seat:salesforce:a@northwind.example"),
        finding("idle-seat", "seat:salesforce:b@northwind.example"),
        finding("idle-seat", "seat:zoom:a@northwind.example"),
        finding("departed-seat", "seat:salesforce:c@northwind.example"),
        finding("idle-seat", "seat:salesforce:c@northwind.example"),
    };
    const auto outcome = apply_waivers(findings, {waiver("idle-seat", "seat:salesforce:*")}, test::as_of());
    CHECK(outcome.unused.empty());
    CHECK(findings[0].waived);
    CHECK(findings[1].waived);
    CHECK_FALSE(findings[2].waived);
    CHECK_FALSE(findings[3].waived);
    CHECK(findings[4].waived);
}

TEST_CASE("the first matching waiver in the file is the one shown; unused waivers are reported", "[unit][waivers]") {
    std::vector<Finding> findings{finding("idle-seat", "seat:zoom:a@northwind.example")};
    const auto outcome = apply_waivers(findings,
                                       {waiver("idle-seat", "seat:zoom:*", "2027-01-01", "first"),
                                        waiver("idle-seat", "seat:zoom:a@northwind.example", "2027-06-01", "second"),
                                        waiver("no-owner", "tool:slack")},
                                       test::as_of());
    CHECK(findings[0].waiver_reason == "first");
    CHECK(findings[0].waiver_expires == "2027-01-01");
    REQUIRE(outcome.unused.size() == 1);
    CHECK(outcome.unused[0].message == "waiver for no-owner tool:slack (waivers.yaml:3) matched no finding");
    CHECK(outcome.expired.empty());
}

TEST_CASE("the example in docs/examples/waivers.yaml loads against the built-in rule ids", "[unit][waivers]") {
    const fs::path root(STACKAUDIT_SOURCE_DIR);
    std::vector<std::string> builtin;
    for (const auto& e : fs::directory_iterator(root / "rules"))
        if (e.path().extension() == ".yaml") builtin.push_back(e.path().stem().string());
    const auto r = load_waivers(root / "docs" / "examples" / "waivers.yaml", builtin);
    INFO(all_errors(r));
    CHECK(r.errors.empty());
    REQUIRE(r.waivers.size() == 3);
    // The finding-id waiver names the same finding as its comment says.
    CHECK(r.waivers[2].subject == stable_finding_id("no-technical-owner", "tool:sprout social"));
}
