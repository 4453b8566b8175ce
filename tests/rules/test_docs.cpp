// Runs the examples in docs/rule-language.md: the example rule loads and passes its own tests,
// every ```expr line evaluates to the value it shows, every ```expr-error line is rejected
// with the error it shows, ```message lines render as shown, and the ```console error output
// is exactly what the loader prints.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "stackaudit/core/strings.hpp"
#include "support.hpp"

using namespace stackaudit;
using namespace stackaudit::rules;

namespace {

struct Block {
    std::string lang;
    std::vector<std::string> lines;
    std::string text;
};

std::vector<Block> blocks() {
    std::ifstream in(std::string(STACKAUDIT_SOURCE_DIR) + "/docs/rule-language.md");
    REQUIRE(in.good());
    std::vector<Block> out;
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        if (line.starts_with("```")) {
            if (!inside) out.push_back(Block{line.substr(3), {}, {}});
            inside = !inside;
            continue;
        }
        if (inside) {
            out.back().lines.push_back(line);
            out.back().text += line + "\n";
        }
    }
    return out;
}

std::vector<Block> blocks_of(const std::string& lang) {
    std::vector<Block> out;
    for (auto& b : blocks())
        if (b.lang == lang) out.push_back(b);
    return out;
}

// Splits "expression   # => expected" at the last marker.
std::pair<std::string, std::string> split(const std::string& line, const std::string& marker) {
    const auto at = line.rfind(marker);
    REQUIRE(at != std::string::npos);
    return {std::string(trim(line.substr(0, at))), std::string(trim(line.substr(at + marker.size())))};
}

Value constant(const std::string& expr) {
    auto compiled = compile_expression(expr, test::catalog(), "seat");
    if (!compiled) FAIL("'" << expr << "': " << compiled.error().front().to_string());
    auto subject = make_subject(test::catalog(), "seat", {});
    REQUIRE(subject.has_value());
    auto v = evaluate_expression(**compiled, (*subject)->subject, {}, test::as_of());
    REQUIRE(v.has_value());
    return *v;
}

// The example seat from the ```facts block.
struct Example {
    std::map<std::string, Value> facts;
    std::vector<ParamDef> params;
    std::vector<Value> values;
    std::unique_ptr<OwnedSubject> subject;

    Example() {
        const auto b = blocks_of("facts");
        REQUIRE(b.size() == 1);
        for (const auto& line : b[0].lines) {
            if (trim(line).empty()) continue;
            const auto eq = line.find(" = ");
            REQUIRE(eq != std::string::npos);
            const std::string name(trim(line.substr(0, eq)));
            const Value v = constant(std::string(trim(line.substr(eq + 3))));
            if (name.starts_with("params.")) {
                params.push_back(ParamDef{name.substr(7), v, ""});
                values.push_back(v);
            } else {
                facts[name] = v;
            }
        }
        auto s = make_subject(test::catalog(), "seat", facts);
        REQUIRE(s.has_value());
        subject = std::move(*s);
    }

    Value eval(const std::string& expr) const {
        auto compiled = compile_expression(expr, test::catalog(), "seat", params);
        if (!compiled) FAIL("'" << expr << "' does not compile: " << compiled.error().front().to_string());
        auto v = evaluate_expression(**compiled, subject->subject, values, test::as_of());
        if (!v) FAIL("'" << expr << "' fails: " << v.error().to_string());
        return *v;
    }
};

std::string render(const Example& ex, const std::string& tmpl) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const auto open = tmpl.find("{{", pos);
        if (open == std::string::npos) break;
        const auto close = tmpl.find("}}", open);
        REQUIRE(close != std::string::npos);
        out += tmpl.substr(pos, open - pos);
        const Value v = ex.eval(tmpl.substr(open + 2, close - open - 2));
        out += v.is_null() ? "none" : v.to_display();
        pos = close + 2;
    }
    return out + tmpl.substr(pos);
}

std::string example_rule() {
    for (const auto& b : blocks_of("yaml"))
        if (b.text.starts_with("id: ")) return b.text;
    FAIL("no example rule in the docs");
    return {};
}

}  // namespace

TEST_CASE("docs: every ```expr example gives the value shown", "[unit][rule]") {
    const Example ex;
    std::size_t checked = 0;
    for (const auto& block : blocks_of("expr")) {
        for (const auto& line : block.lines) {
            if (trim(line).empty()) continue;
            const auto [expr, expected] = split(line, "# =>");
            CAPTURE(expr);
            CHECK(ex.eval(expr).to_json() == constant(expected).to_json());
            ++checked;
        }
    }
    CHECK(checked >= 40);
}

TEST_CASE("docs: every ```expr-error example is rejected as shown", "[unit][rule]") {
    const Example ex;
    std::size_t checked = 0;
    for (const auto& block : blocks_of("expr-error")) {
        for (const auto& line : block.lines) {
            if (trim(line).empty()) continue;
            const auto [expr, fragment] = split(line, "# error:");
            CAPTURE(expr);
            auto compiled = compile_expression(expr, test::catalog(), "seat", ex.params);
            REQUIRE_FALSE(compiled.has_value());
            CHECK_THAT(compiled.error().front().message, Catch::Contains(fragment));
            ++checked;
        }
    }
    CHECK(checked >= 8);
}

TEST_CASE("docs: ```message examples render as shown", "[unit][rule]") {
    const Example ex;
    const auto b = blocks_of("message");
    REQUIRE(b.size() == 1);
    for (const auto& line : b[0].lines) {
        if (trim(line).empty()) continue;
        const auto [tmpl, expected] = split(line, "# =>");
        CHECK(render(ex, tmpl) == expected);
    }
}

TEST_CASE("docs: the example rule loads and passes its tests", "[unit][rule]") {
    const auto dir = std::filesystem::temp_directory_path() / "stackaudit-rules-docs";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "rules");
    {
        std::ofstream(dir / "rules" / "idle-seat.yaml") << example_rule();
    }
    const auto loaded = load_rules({dir / "rules"}, test::catalog());
    for (const auto& e : loaded.errors) INFO(e.to_string());
    REQUIRE(loaded.errors.empty());
    REQUIRE(loaded.rules.size() == 1);
    const auto outcomes = run_rule_tests(loaded.rules, test::catalog(), test::as_of());
    CHECK(outcomes.size() == 4);
    for (const auto& o : outcomes) {
        INFO(o.case_name << ": " << o.detail);
        CHECK(o.passed);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("docs: the ```console error output is what the loader prints", "[unit][rule]") {
    const auto dir = std::filesystem::temp_directory_path() / "stackaudit-rules-docs-error";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "rules");
    std::string text = example_rule();
    const std::string good = "and (seat.days_since_activity == null";
    const auto at = text.find(good);
    REQUIRE(at != std::string::npos);
    text.replace(at, good.size(), "and (seat.days_since_activty == null");
    {
        std::ofstream(dir / "rules" / "idle-seat.yaml") << text;
    }
    const auto loaded = load_rules({dir / "rules"}, test::catalog());
    REQUIRE(loaded.errors.size() == 1);
    std::string printed = loaded.errors[0].to_string();
    const std::string prefix = (dir / "rules").string();
    REQUIRE(printed.starts_with(prefix));
    printed = "rules" + printed.substr(prefix.size()) + "\n";
    const auto console = blocks_of("console");
    REQUIRE(console.size() == 1);
    CHECK(printed == console[0].text);
    std::filesystem::remove_all(dir);
}
