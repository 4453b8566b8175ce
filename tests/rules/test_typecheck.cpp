// Static checks: unknown names with did-you-mean, arity, impossible operand types, positions.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace stackaudit;
using namespace stackaudit::rules;

TEST_CASE("type errors and unknown names", "[unit][rule]") {
    using Row = std::tuple<std::string, std::string, std::size_t, std::string, std::string>;
    // expression, subject kind, column, message fragment, hint fragment
    auto [expr, kind, column, message, hint] = GENERATE(table<std::string, std::string, std::size_t, std::string, std::string>({
        Row{"seat.days_since_activty > 3", "seat", 6, "unknown fact 'seat.days_since_activty'", "did you mean seat.days_since_activity?"},
        Row{"seat.department == \"x\"", "seat", 6, "unknown fact 'seat.department'", "did you mean person.department?"},
        Row{"tol.name == \"x\"", "seat", 1, "unknown alias 'tol'", "did you mean tool.name?"},
        Row{"person.name == \"x\"", "tool", 1, "unknown alias 'person'", "a tool rule can use tool, params and as_of"},
        Row{"cost_per_seat > 1", "tool", 1, "unknown name 'cost_per_seat'", "did you mean tool.cost_per_seat?"},
        Row{"params.idle_dyas > 1", "seat", 8, "unknown parameter 'params.idle_dyas'", "did you mean params.idle_days?"},
        Row{"sise(tool.capabilities) > 1", "tool", 1, "unknown function 'sise'", "did you mean size()?"},
        Row{"size(tool.capabilities, 2) > 1", "tool", 1, "size() takes 1 argument, got 2", "usage: size("},
        Row{"round() > 1", "tool", 1, "round() takes 1 or 2 arguments, got 0", ""},
        Row{"coalesce() == 1", "tool", 1, "coalesce() takes at least 1 argument", ""},
        Row{"tool.name < 3", "tool", 11, "operator '<' cannot combine string and int", "order comparisons"},
        Row{"tool.capabilities + 1 == []", "tool", 19, "operator '+' cannot combine list<string> and int", ""},
        Row{"tool.name == 3", "tool", 11, "operator '==' cannot combine string and int", "never equal"},
        Row{"tool.active_users and true", "tool", 19, "operator 'and' cannot combine int and bool", ""},
        Row{"not tool.name", "tool", 1, "'not' needs a bool, got string", ""},
        Row{"3 in tool.capabilities", "tool", 3, "operator 'in' cannot combine int and list<string>", "can never be in"},
        Row{"\"a\" in 3", "tool", 5, "operator 'in' cannot combine string and int", "'in' needs a list"},
        Row{"lower(tool.active_users) == \"x\"", "tool", 7, "lower() needs a string as argument 1, got int", ""},
        Row{"matches(tool.name, tool.vendor)", "tool", 20, "matches() needs a string literal", ""},
        Row{"matches(tool.name, \"(\")", "tool", 20, "invalid regular expression", ""},
        Row{"date(\"31/31/2026\") < as_of", "tool", 6, "is not a date", ""},
        Row{"tool.renewal_date - 1.5 < as_of", "tool", 19, "operator '-' cannot combine date and number", ""},
        Row{"tool.active_users * \"2\" > 1", "tool", 19, "operator '*' cannot combine int and string", ""},
        Row{"intersects(tool.capabilities, [1, 2])", "tool", 1, "no item can ever match", ""},
        Row{"-tool.name == \"x\"", "tool", 1, "cannot negate a string", ""},
        Row{"min(tool.name, 2) == 2", "tool", 16, "min() cannot compare a string with an int", ""},
        Row{"tool.active_users ? 1 : 2", "tool", 1, "condition of '? :' must be a bool", ""},
    }));
    CAPTURE(expr);
    const auto errors = test::compile_errors(expr, kind);
    REQUIRE(errors.size() >= 1);
    CHECK(errors[0].where.line == 1);
    CHECK(errors[0].where.column == column);
    CHECK_THAT(errors[0].message, Catch::Contains(message));
    CHECK_THAT(errors[0].hint, Catch::Contains(hint));
}

TEST_CASE("every problem in an expression is reported", "[unit][rule]") {
    const auto errors = test::compile_errors("seat.emial == \"x\" and tool.nmae == \"y\" and person.departd");
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].where.column == 6);
    CHECK(errors[1].where.column == 28);
    CHECK(errors[2].where.column == 51);
    CHECK(errors[0].code == ErrorCode::unknown_fact);
    CHECK_THAT(errors[1].hint, Catch::Contains("tool.name"));
}

TEST_CASE("allowed mixes type-check", "[unit][rule]") {
    for (const char* ok : {
             "seat.days_since_activity > params.floor",
             "tool.cost_per_seat * tool.assigned_seats > 0",
             "tool.renewal_date - as_of < 90",
             "tool.renewal_date + 30 > as_of",
             "tool.name + \" (\" + tool.vendor + \")\" == \"x\"",
             "seat.days_since_activity == null ? true : false",
             "coalesce(tool.utilisation, 0) < params.floor",
             "tool.owning_department in params.departments",
             "\"crm\" in tool.capabilities",
             "null > 3",
             "has(tool.renewal_date) && days_since(tool.renewal_date) > 0",
             "a.name == b.name",
         }) {
        CAPTURE(ok);
        const std::string kind = std::string(ok).starts_with("a.") ? "tool_pair"
                                 : std::string(ok).starts_with("seat") ? "seat"
                                                                       : "tool";
        CHECK(test::compile_errors(ok, kind).empty());
    }
}
