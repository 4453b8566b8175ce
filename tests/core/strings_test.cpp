// String helpers, did-you-mean in particular (it drives every "unknown X" message).
#include <catch2/catch.hpp>

#include "stackaudit/core/strings.hpp"

using namespace stackaudit;

TEST_CASE("list cells split on semicolons and drop blanks", "[unit][strings]") {
    CHECK(split_list(" a@x.example ; b@x.example;;  ") == std::vector<std::string>{"a@x.example", "b@x.example"});
    CHECK(split_list("").empty());
    CHECK(split_list("one") == std::vector<std::string>{"one"});
    CHECK(split_list("a,b", ',') == std::vector<std::string>{"a", "b"});
}

TEST_CASE("case folding and trimming", "[unit][strings]") {
    CHECK(to_lower("Jane.DOE@Northwind.Example") == "jane.doe@northwind.example");
    CHECK(normalize_email("  Ada@X.Example\r") == "ada@x.example");
    CHECK(iequals("Marketing", "MARKETING"));
    CHECK_FALSE(iequals("Marketing", "Marketin"));
    CHECK(trim(" \t x \r\n") == "x");
    CHECK(trim("   ").empty());
}

TEST_CASE("did-you-mean suggests close words only", "[unit][strings]") {
    std::vector<std::string> facts{"cost_per_seat", "contract_seats", "assigned_seats", "utilisation"};
    CHECK(did_you_mean("utilization", facts) == "utilisation");
    CHECK(did_you_mean("cost_per_set", facts) == "cost_per_seat");
    CHECK(did_you_mean("Assigned_Seats", facts) == "assigned_seats");
    CHECK(did_you_mean("owner", facts).empty());
    CHECK(did_you_mean("utilis", facts) == "utilisation");              // a unique prefix
    CHECK(did_you_mean("okta", std::vector<std::string>{"okta_log", "catalog"}) == "okta_log");
    CHECK(did_you_mean("co", facts).empty());                           // too short to guess
    CHECK(did_you_mean("con", std::vector<std::string>{"contract_seats", "contacts"}).empty());  // ambiguous
    CHECK(did_you_mean("x", {}).empty());
    CHECK(edit_distance("kitten", "sitting") == 3);
}
