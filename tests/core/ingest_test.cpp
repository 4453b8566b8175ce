// The bad-row policy: fail stops, skip counts, collect keeps the rows.
#include <catch2/catch.hpp>

#include "stackaudit/core/ingest.hpp"

using namespace stackaudit;

namespace {
Error row_error(std::string source, std::size_t line) {
    return Error{ErrorCode::csv_malformed, "row has 3 fields, the header has 2",
                 Location{.source = std::move(source), .file = "seats.csv", .line = line}, "quote the field"};
}
}  // namespace

TEST_CASE("fail returns the error with a hint about the other policies", "[unit][ingest]") {
    RowSink sink(BadRowPolicy::fail);
    auto r = sink.reject(row_error("seats:Zoom", 7), "a,b,c");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().where.line == 7);
    CHECK(r.error().hint.find("--on-bad-row skip") != std::string::npos);
    CHECK(sink.rejected_total() == 0);
}

TEST_CASE("skip counts per source without keeping rows", "[unit][ingest]") {
    RowSink sink(BadRowPolicy::skip);
    for (std::size_t i = 0; i < 8; ++i) REQUIRE(sink.reject(row_error("seats:Zoom", i + 2), "x").has_value());
    REQUIRE(sink.reject(row_error("directory", 3), "y").has_value());
    CHECK(sink.rejected_total() == 9);
    CHECK(sink.rejected("seats:Zoom") == 8);
    CHECK(sink.rejected("directory") == 1);
    CHECK(sink.rejected("catalog") == 0);
    CHECK(sink.collected().empty());
    CHECK(sink.samples().size() == 6);  // five per source at most
}

TEST_CASE("collect keeps each row with its place and reason", "[unit][ingest]") {
    RowSink sink(BadRowPolicy::collect);
    REQUIRE(sink.reject(row_error("catalog", 12), "Canva,Canva Pty,\"oops").has_value());
    REQUIRE(sink.collected().size() == 1);
    const auto& row = sink.collected()[0];
    CHECK(row.source == "catalog");
    CHECK(row.file == "seats.csv");
    CHECK(row.line == 12);
    CHECK(row.raw == "Canva,Canva Pty,\"oops");
    CHECK(row.reason.find("3 fields") != std::string::npos);
}

TEST_CASE("policies parse by name", "[unit][ingest]") {
    CHECK(parse_bad_row_policy("Collect").value() == BadRowPolicy::collect);
    auto bad = parse_bad_row_policy("ignore");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().hint.find("collect") != std::string::npos);
}
