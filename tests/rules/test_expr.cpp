// Expression language: tokens, syntax, precedence, null semantics and every function.
#include <catch2/catch.hpp>

#include "../../src/rules/expr.hpp"
#include "support.hpp"

using namespace stackaudit;
using namespace stackaudit::rules;
using stackaudit::rules::test::eval;

namespace {

std::string json(const std::string& expr, const std::map<std::string, Value>& facts = {}) {
    return eval(expr, facts).to_json();
}

}  // namespace

TEST_CASE("tokenizer: literals, names, operators and keywords", "[unit][rule]") {
    auto tokens = tokenize(R"(a.b_1 >= 12 and 'it\'s' != "x\ty" || 0.5e2 ! not in)");
    REQUIRE(tokens.has_value());
    std::vector<Tok> kinds;
    for (const auto& t : *tokens) kinds.push_back(t.kind);
    CHECK(kinds == std::vector<Tok>{Tok::ident, Tok::dot, Tok::ident, Tok::ge, Tok::integer, Tok::kw_and, Tok::string,
                                    Tok::ne, Tok::string, Tok::oror, Tok::number, Tok::bang, Tok::kw_not, Tok::kw_in,
                                    Tok::end});
    CHECK((*tokens)[2].text == "b_1");
    CHECK((*tokens)[4].int_value == 12);
    CHECK((*tokens)[6].text == "it's");
    CHECK((*tokens)[8].text == "x\ty");
    CHECK((*tokens)[10].number_value == Approx(50.0));
    CHECK((*tokens)[3].offset == 6);
}

TEST_CASE("tokenizer: errors carry the offset and a hint", "[unit][rule]") {
    using Row = std::tuple<std::string, std::size_t, std::string>;
    auto [text, offset, fragment] = GENERATE(table<std::string, std::size_t, std::string>({
        Row{"a = 1", 2, "'=' is not an operator"},
        Row{"x & y", 2, "'&'"},
        Row{"x | y", 2, "'|'"},
        Row{"\"open", 0, "unterminated string"},
        Row{"'bad \\q'", 5, "unknown escape"},
        Row{"12abc", 2, "after a number"},
        Row{"a $ b", 2, "unexpected character"},
        Row{"99999999999999999999", 0, "too large"},
    }));
    auto tokens = tokenize(text);
    REQUIRE_FALSE(tokens.has_value());
    CHECK(tokens.error().offset == offset);
    CHECK_THAT(tokens.error().message, Catch::Contains(fragment));
}

TEST_CASE("precedence and associativity", "[unit][rule]") {
    using Row = std::tuple<std::string, std::string>;
    auto [expr, expected] = GENERATE(table<std::string, std::string>({
        Row{"1 + 2 * 3", "7"},
        Row{"(1 + 2) * 3", "9"},
        Row{"10 - 4 - 3", "3"},
        Row{"2 * 3 % 4", "2"},
        Row{"-2 * 3", "-6"},
        Row{"- (2 + 3)", "-5"},
        Row{"1 + 2 == 3", "true"},
        Row{"not 1 == 2", "true"},
        Row{"!false && false", "false"},
        Row{"true or false and false", "true"},
        Row{"(true or false) and false", "false"},
        Row{"false ? 1 : true ? 2 : 3", "2"},
        Row{"1 < 2 ? \"a\" : \"b\"", "\"a\""},
        Row{"true || false ? 1 : 2", "1"},
        Row{"\"b\" in [\"a\", \"b\"] and 1 + 1 == 2", "true"},
        Row{"not \"c\" in [\"a\", \"b\"]", "true"},
        Row{"\"c\" not in [\"a\", \"b\"]", "true"},
        Row{"7 / 2", "3.5"},
        Row{"6 / 3", "2"},
        Row{"7 % 3", "1"},
        Row{"7.5 % 2", "1.5"},
        Row{"1 + 0.5", "1.5"},
        Row{"\"ab\" + \"cd\"", "\"abcd\""},
        Row{"[1] + [2, 3]", "[1,2,3]"},
        Row{"[1, 2,]", "[1,2]"},
        Row{"[]", "[]"},
    }));
    CAPTURE(expr);
    CHECK(json(expr) == expected);
}

TEST_CASE("syntax errors point at the offending token", "[unit][rule]") {
    using Row = std::tuple<std::string, std::size_t, std::string>;
    auto [expr, column, fragment] = GENERATE(table<std::string, std::size_t, std::string>({
        Row{"", 1, "empty expression"},
        Row{"1 +", 4, "expected a value"},
        Row{"(1 + 2", 7, "expected ')'"},
        Row{"1 2", 3, "unexpected integer after the end"},
        Row{"true ? 1", 9, "expected ':'"},
        Row{"size(1,", 8, "expected a value"},
        Row{"[1, 2", 6, "expected ']'"},
        Row{"tool.", 6, "expected a fact name"},
    }));
    CAPTURE(expr);
    auto errors = test::compile_errors(expr);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].code == ErrorCode::expression_invalid);
    CHECK(errors[0].where.line == 1);
    CHECK(errors[0].where.column == column);
    CHECK_THAT(errors[0].message, Catch::Contains(fragment));
}

TEST_CASE("null semantics", "[unit][rule]") {
    // seat.days_since_activity is null (not given) in every row.
    using Row = std::tuple<std::string, std::string>;
    auto [expr, expected] = GENERATE(table<std::string, std::string>({
        Row{"seat.days_since_activity + 1", "null"},
        Row{"seat.days_since_activity * 2", "null"},
        Row{"-seat.days_since_activity", "null"},
        Row{"seat.days_since_activity > 5", "false"},
        Row{"seat.days_since_activity < 5", "false"},
        Row{"seat.days_since_activity >= 5", "false"},
        Row{"seat.days_since_activity <= 5", "false"},
        Row{"seat.days_since_activity == null", "true"},
        Row{"seat.days_since_activity != null", "false"},
        Row{"seat.days_since_activity == 0", "false"},
        Row{"null == null", "true"},
        Row{"not seat.usage_tracked", "true"},
        Row{"seat.usage_tracked or true", "true"},
        Row{"seat.usage_tracked and true", "false"},
        Row{"seat.usage_tracked ? 1 : 2", "2"},
        Row{"1 in null", "false"},
        Row{"1 not in null", "true"},
        Row{"has(seat.days_since_activity)", "false"},
        Row{"coalesce(seat.days_since_activity, 7)", "7"},
        Row{"seat.last_activity + 3", "null"},
        Row{"size(tool.capabilities)", "0"},
        Row{"1 / 0", "null"},
        Row{"5 % 0", "null"},
    }));
    CAPTURE(expr);
    CHECK(json(expr) == expected);
}

TEST_CASE("and / or do not evaluate the right side when decided", "[unit][rule]") {
    // date() of a bad string fails at run time, so only short-circuiting keeps these passing.
    CHECK(json("false and date(seat.email) == as_of", {{"seat.email", Value("not a date")}}) == "false");
    CHECK(json("true or date(seat.email) == as_of", {{"seat.email", Value("not a date")}}) == "true");
    auto compiled = compile_expression("true and date(seat.email) == as_of", test::catalog(), "seat", test::params());
    REQUIRE(compiled.has_value());
    auto subject = make_subject(test::catalog(), "seat", {{"seat.email", Value("not a date")}});
    REQUIRE(subject.has_value());
    auto v = evaluate_expression(**compiled, (*subject)->subject, test::param_values(), test::as_of());
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == ErrorCode::evaluation);
    CHECK_THAT(v.error().message, Catch::Contains("not a date"));
}

TEST_CASE("facts, params and as_of", "[unit][rule]") {
    const std::map<std::string, Value> facts{
        {"seat.days_since_activity", Value(120)},
        {"person.departed", Value(false)},
        {"tool.cost_per_seat", Value(1200.0)},
        {"tool.name", Value("Salesforce")},
        {"seat.last_activity", Value(test::date("2026-07-04"))},
    };
    CHECK(json("seat.days_since_activity > params.idle_days", facts) == "true");
    CHECK(json("tool.cost_per_seat * 2", facts) == "2400");
    CHECK(json("not person.departed and tool.name == \"Salesforce\"", facts) == "true");
    CHECK(json("as_of", facts) == "\"2026-11-01\"");
    CHECK(json("as_of - seat.last_activity", facts) == "120");
    CHECK(json("seat.last_activity + 30", facts) == "\"2026-08-03\"");
    CHECK(json("seat.last_activity - 4", facts) == "\"2026-06-30\"");
    CHECK(json("params.departments", facts) == "[\"Marketing\",\"Sales\"]");
    CHECK(json("params.floor < 1", facts) == "true");
}

TEST_CASE("comparisons across types", "[unit][rule]") {
    CHECK(json("2 == 2.0") == "true");
    CHECK(json("2 < 2.5") == "true");
    CHECK(json("\"abc\" < \"abd\"") == "true");
    CHECK(json("date(\"2026-01-01\") < date(\"2026-01-02\")") == "true");
    CHECK(json("[1, 2] == [1, 2.0]") == "true");
    CHECK(json("\"ell\" in \"hello\"") == "true");
    CHECK(json("\"x\" in \"hello\"") == "false");
    CHECK(json("true != false") == "true");
}

TEST_CASE("functions", "[unit][rule]") {
    using Row = std::tuple<std::string, std::string>;
    auto [expr, expected] = GENERATE(table<std::string, std::string>({
        Row{"size([1, 2, 3])", "3"},
        Row{"size(\"abcd\")", "4"},
        Row{"lower(\"MiXeD\")", "\"mixed\""},
        Row{"upper(\"MiXeD\")", "\"MIXED\""},
        Row{"contains(\"marketing ops\", \"ops\")", "true"},
        Row{"contains([\"a\", \"b\"], \"b\")", "true"},
        Row{"contains([\"a\", \"b\"], \"c\")", "false"},
        Row{"contains(tool.name, \"x\")", "false"},
        Row{"starts_with(\"salesforce\", \"sales\")", "true"},
        Row{"ends_with(\"salesforce\", \"force\")", "true"},
        Row{"ends_with(\"salesforce\", \"sales\")", "false"},
        Row{"matches(\"jane@northwind.example\", \"@northwind\\\\.example$\")", "true"},
        Row{"matches(\"jane@other.example\", \"^[a-z]+@northwind\")", "false"},
        Row{"matches(seat.email, \"x\")", "false"},
        Row{"date(\"2026-01-31\")", "\"2026-01-31\""},
        Row{"date(\"never\")", "null"},
        Row{"days_between(date(\"2026-01-01\"), date(\"2026-02-01\"))", "31"},
        Row{"days_between(date(\"2026-02-01\"), date(\"2026-01-01\"))", "-31"},
        Row{"days_since(date(\"2026-10-01\"))", "31"},
        Row{"days_since(seat.last_activity)", "null"},
        Row{"has(1)", "true"},
        Row{"has(null)", "false"},
        Row{"coalesce(null, null, \"c\")", "\"c\""},
        Row{"coalesce(null)", "null"},
        Row{"intersects([\"a\", \"b\"], [\"b\", \"c\"])", "true"},
        Row{"intersects([\"a\"], [\"c\"])", "false"},
        Row{"intersects([\"a\"], [])", "false"},
        Row{"intersection([\"c\", \"b\", \"a\", \"b\"], [\"a\", \"b\"])", "[\"b\",\"a\"]"},
        Row{"join([\"a\", \"b\"], \" / \")", "\"a / b\""},
        Row{"join([1, 2])", "\"1, 2\""},
        Row{"join([], \";\")", "\"\""},
        Row{"min(3, 2)", "2"},
        Row{"max(3, 2)", "3"},
        Row{"min(3, 2.5)", "2.5"},
        Row{"max(3, 2.5)", "3"},
        Row{"max(1, 5, 3)", "5"},
        Row{"min(null, 2)", "null"},
        Row{"max(date(\"2026-01-01\"), date(\"2026-03-01\"))", "\"2026-03-01\""},
        Row{"min(\"b\", \"a\")", "\"a\""},
        Row{"round(2.345, 2)", "2.35"},
        Row{"round(2.5)", "3"},
        Row{"round(1234.5678, -2)", "1200"},
        Row{"round(7, 2)", "7"},
        Row{"percent(0.234)", "\"23%\""},
        Row{"percent(1)", "\"100%\""},
        Row{"percent(0.005)", "\"1%\""},
        Row{"money(12345.4)", "\"12,345\""},
        Row{"money(999)", "\"999\""},
        Row{"money(1234567.5)", "\"1,234,568\""},
        Row{"money(-2500)", "\"-2,500\""},
        Row{"money(0)", "\"0\""},
        Row{"money(-0.4)", "\"0\""},
        Row{"money(1e20)", "\"100,000,000,000,000,000,000\""},  // beyond long long (fuzz_expr)
        Row{"money(-1e20)", "\"-100,000,000,000,000,000,000\""},
        Row{"percent(-0.235)", "\"-24%\""},
        Row{"percent(1e20)", "\"10000000000000000000000%\""},
        Row{"money(tool.cost_per_seat)", "null"},
    }));
    CAPTURE(expr);
    CHECK(json(expr) == expected);
}

TEST_CASE("message rendering shows null as none", "[unit][rule]") {
    CHECK(display(Val{}) == "none");
    const Value v("x");
    CHECK(display(Val::of(v)) == "x");
    CHECK(display(Val::number(2.5)) == "2.5");
    CHECK(display(Val::date(0)) == "1970-01-01");
}

TEST_CASE("matches() reports over-long input as an evaluation error", "[unit][rule]") {
    // std::regex recurses per character; a bounded input keeps a hostile value from crashing a run.
    auto compiled = compile_expression(R"(matches(seat.email, "^a+$"))", test::catalog(), "seat");
    REQUIRE(compiled.has_value());
    auto subject = make_subject(test::catalog(), "seat", {{"seat.email", Value(std::string(100000, 'a'))}});
    REQUIRE(subject.has_value());
    auto v = evaluate_expression(**compiled, (*subject)->subject, {}, test::as_of());
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == ErrorCode::evaluation);
    CHECK_THAT(v.error().message, Catch::Contains("too long"));
    CHECK(test::eval(R"(matches(seat.email, "^a+$"))", {{"seat.email", Value(std::string(1000, 'a'))}}) == Value(true));
}

TEST_CASE("matches() takes polynomial time on patterns that backtrack exponentially", "[unit][rule]") {
    // "^(a|a)*$" on 40 a's and a '!' is 2^40 paths for a backtracking matcher (found by fuzz_expr
    // with stacked quantifiers); the polynomial matcher answers at once.
    const Value value(std::string(40, 'a') + "!");
    CHECK(test::eval(R"(matches(seat.email, "^(a|a)*$"))", {{"seat.email", value}}) == Value(false));
    CHECK(test::eval(R"(matches(seat.email, "^(a*)*!$"))", {{"seat.email", value}}) == Value(true));
    CHECK(test::eval(R"(matches(seat.email, "^(?=a)a+.$"))", {{"seat.email", value}}) == Value(true));  // lookahead kept
    // Back-references are the one feature that needs backtracking: refused when the rule loads.
    const auto errors = test::compile_errors(R"(matches(seat.email, "(a)\\1"))");
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0].message, Catch::Contains("invalid regular expression"));
    CHECK_THAT(errors[0].hint, Catch::Contains("without back-references"));
}

TEST_CASE("matches() refuses numbers std::regex would overflow on (fuzz_expr)", "[unit][rule]") {
    // libstdc++ 12 reads a back-reference's or a repetition's number without an overflow check,
    // so these must be refused before std::regex sees them (the message says which check did).
    for (const auto& [text, why] : std::vector<std::pair<const char*, const char*>>{
             {R"(matches(seat.email, "a\\9223372036854775808"))", "more than 18 digits"},
             {R"(matches(seat.email, "a\\01"))", "back-references"},
             {R"(matches(seat.email, "a{99999999999999999999}"))", "more than 18 digits"},
             {R"(matches(seat.email, "a{1,12345678}"))", "over 6 digits"},
             // \c takes the next character, so the backslash before the 1 escapes it
             {R"(matches(seat.email, "\\c\\\\1"))", "back-references"},
             {R"(matches(seat.email, "[[:\\9223372036854775808:]]"))", "more than 18 digits"}}) {
        CAPTURE(text);
        const auto errors = test::compile_errors(text);
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors[0].message, Catch::Contains("invalid regular expression") && Catch::Contains(why));
    }
    for (const char* text : {R"(matches(seat.email, "^a{2,5}[{\\d}]\\0$"))", R"(matches(seat.email, "\\\\1"))"}) {
        CAPTURE(text);
        CHECK(test::compile_errors(text).empty());
    }
}

TEST_CASE("round() of an int whose result does not fit is an evaluation error (fuzz_expr)", "[unit][rule]") {
    for (const char* text : {"round(9223372036854775807, -1)", "round(1, -400)"}) {
        CAPTURE(text);
        auto compiled = compile_expression(text, test::catalog(), "seat");
        REQUIRE(compiled.has_value());
        auto subject = make_subject(test::catalog(), "seat", {});
        REQUIRE(subject.has_value());
        auto v = evaluate_expression(**compiled, (*subject)->subject, {}, test::as_of());
        REQUIRE_FALSE(v.has_value());
        CHECK(v.error().code == ErrorCode::evaluation);
        CHECK_THAT(v.error().message, Catch::Contains("does not fit"));
    }
    CHECK(test::eval("round(1234, -2)", {}) == Value(1200));
}
