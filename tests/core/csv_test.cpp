// RFC 4180 edge cases for the CSV reader and writer.
#include <catch2/catch.hpp>

#include "stackaudit/core/csv.hpp"

using namespace stackaudit;

namespace {
std::vector<CsvRecord> read_all(std::string text, CsvOptions o = {}) {
    auto r = CsvReader::from_string(std::move(text), "t.csv", "test", o);
    std::vector<CsvRecord> out;
    for (;;) {
        auto rec = r.next();
        REQUIRE(rec.has_value());
        if (!*rec) break;
        out.push_back(std::move(**rec));
    }
    return out;
}
}  // namespace

TEST_CASE("quoted fields hold commas, quotes and newlines", "[unit][csv]") {
    auto recs = read_all("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\r\n");
    REQUIRE(recs.size() == 3);
    CHECK(recs[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
    CHECK(recs[1].line == 2);
    CHECK(recs[2].line == 4);  // the embedded newline moved the next record down a line
    CHECK(recs[2].fields == std::vector<std::string>{"last", "", ""});
}

TEST_CASE("a UTF-8 BOM and a missing final newline are handled", "[unit][csv]") {
    auto recs = read_all("\xEF\xBB\xBFname,email\nAda,ada@x.example");
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].fields[0] == "name");
    CHECK(recs[1].fields[1] == "ada@x.example");
}

TEST_CASE("blank lines are skipped and an empty file has no records", "[unit][csv]") {
    CHECK(read_all("").empty());
    auto recs = read_all("a\n\n\nb\n");
    REQUIRE(recs.size() == 2);
    CHECK(recs[1].line == 4);
}

TEST_CASE("malformed records report line and column, then reading resumes", "[unit][csv]") {
    auto r = CsvReader::from_string("h1,h2\nok,1\nbad\"quote,2\nfine,3\n", "t.csv", "test");
    REQUIRE(r.next().value());
    REQUIRE(r.next().value());
    auto bad = r.next();
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::csv_malformed);
    CHECK(bad.error().where.line == 3);
    CHECK(bad.error().where.column == 4);
    CHECK(bad.error().to_string().find("t.csv:3:4") == 0);
    CHECK(r.last_raw() == "bad\"quote,2");
    auto next = r.next();
    REQUIRE(next.has_value());
    REQUIRE(*next);
    CHECK((*next)->fields[0] == "fine");
}

TEST_CASE("text after a closing quote is malformed", "[unit][csv]") {
    auto r = CsvReader::from_string("\"abc\"def,1\n", "t.csv", "test");
    auto bad = r.next();
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.find("closing quote") != std::string::npos);
}

TEST_CASE("an unterminated quote names the line where it opened", "[unit][csv]") {
    auto r = CsvReader::from_string("a,b\n1,\"never closed\n2,3\n", "t.csv", "test");
    REQUIRE(r.next().value());
    auto bad = r.next();
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().where.line == 2);
    CHECK(bad.error().message.find("unterminated") != std::string::npos);
    auto end = r.next();
    REQUIRE(end.has_value());
    CHECK_FALSE(*end);
}

TEST_CASE("field size and column limits give clear errors", "[unit][csv]") {
    CsvOptions o;
    o.max_field_bytes = 8;
    o.max_columns = 3;
    auto r = CsvReader::from_string("0123456789\na,b,c,d\n", "t.csv", "test", o);
    auto first = r.next();
    REQUIRE_FALSE(first.has_value());
    CHECK(first.error().message.find("longer than 8") != std::string::npos);
    auto second = r.next();
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().message.find("more than 3 columns") != std::string::npos);
}

TEST_CASE("CsvTable maps headers case-insensitively and reports missing columns", "[unit][csv]") {
    std::vector<ColumnSpec> cols{{"email", "Email", true}, {"dept", "Department", false}, {"x", "Extra", false}};
    auto t = CsvTable::from_reader(CsvReader::from_string(" EMAIL ,department\r\na@x.example,Marketing\r\n",
                                                          "t.csv", "test"),
                                   cols);
    REQUIRE(t.has_value());
    CHECK(t->has(0));
    CHECK_FALSE(t->has(2));
    auto row = t->next();
    REQUIRE(row.has_value());
    REQUIRE(*row);
    CHECK((**row)[0] == "a@x.example");
    CHECK((**row)[1] == "Marketing");
    CHECK((**row)[2].empty());

    auto missing = CsvTable::from_reader(CsvReader::from_string("Emial,Department\n", "d.csv", "directory"), cols);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == ErrorCode::csv_missing_column);
    CHECK(missing.error().hint.find("Did you mean \"Emial\"") != std::string::npos);
    CHECK(missing.error().hint.find("columns: {email:") != std::string::npos);
}

TEST_CASE("CsvTable rejects rows of the wrong width and duplicate headers", "[unit][csv]") {
    std::vector<ColumnSpec> cols{{"a", "a", true}};
    auto t = CsvTable::from_reader(CsvReader::from_string("a,b\n1,2\n1,2,3\n4,5\n", "t.csv", "s"), cols);
    REQUIRE(t.has_value());
    REQUIRE(t->next().value());
    auto bad = t->next();
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().where.line == 3);
    CHECK(bad.error().message == "row has 3 fields, the header has 2");
    auto good = t->next();
    REQUIRE(good.has_value());
    CHECK((**good)[0] == "4");

    auto dup = CsvTable::from_reader(CsvReader::from_string("a,A\n", "t.csv", "s"), cols);
    REQUIRE_FALSE(dup.has_value());
    CHECK(dup.error().message.find("twice") != std::string::npos);

    auto empty = CsvTable::from_reader(CsvReader::from_string("", "e.csv", "s"), cols);
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().message.find("empty") != std::string::npos);
}

TEST_CASE("written CSV reads back to the same fields", "[unit][csv]") {
    std::vector<std::string> fields{"plain", "with, comma", "with \"quote\"", "multi\nline", " padded ", ""};
    auto text = csv_line(fields);
    CHECK(text.substr(text.size() - 2) == "\r\n");
    auto recs = read_all(text);
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].fields == fields);
}

TEST_CASE("a large CSV streams through a small buffer boundary", "[unit][csv]") {
    std::string text = "id,name\n";
    for (int i = 0; i < 60000; ++i) text += std::to_string(i) + ",\"name, " + std::to_string(i) + "\"\n";
    auto recs = read_all(text);
    REQUIRE(recs.size() == 60001);
    CHECK(recs.back().fields[1] == "name, 59999");
    CHECK(recs.back().line == 60001);
}

TEST_CASE("opening a missing file is an io error naming the path", "[unit][csv]") {
    auto r = CsvReader::open("/nonexistent/dir/x.csv", "catalog");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::io);
    CHECK(r.error().message.find("/nonexistent/dir/x.csv") != std::string::npos);
}
