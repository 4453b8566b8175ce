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
    CHECK(r.last_raw() == "1,\"never closed");
    // Only the quote's own line is rejected: the lines after it are read again, so one stray
    // quote cannot swallow the rest of the file (nothing silently missing).
    auto again = r.next();
    REQUIRE(again.has_value());
    REQUIRE(*again);
    CHECK((*again)->line == 3);
    CHECK((*again)->fields == std::vector<std::string>{"2", "3"});
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

// ---- limits and hostile input (issue #7): bounded memory, clear errors, nothing lost ----------

namespace {
// Reads to the end as --on-bad-row skip does: good records and errors, in order.
struct Outcome {
    std::vector<CsvRecord> records;
    std::vector<Error> errors;
    std::vector<std::string> rejected_raw;
};
Outcome read_everything(CsvReader r) {
    Outcome out;
    for (int guard = 0; guard < 1'000'000; ++guard) {
        auto rec = r.next();
        if (!rec) {
            out.errors.push_back(rec.error());
            out.rejected_raw.push_back(r.last_raw());
            continue;
        }
        if (!*rec) return out;
        out.records.push_back(std::move(**rec));
    }
    FAIL("the reader never reached the end");
    return out;
}
bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("a line far longer than the limits is one bad record, kept only up to the limit", "[unit][csv][limits]") {
    // 24 MiB on one line: the field limit trips first, the rest of the line is skipped, not kept.
    std::string text = "id,notes\n1," + std::string(24u << 20, 'x') + "\n2,fine\n";
    auto out = read_everything(CsvReader::from_string(std::move(text), "t.csv", "test"));
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].where.line == 2);
    CHECK(has(out.errors[0].message, "a field is longer than 1048576 bytes"));
    CHECK(out.errors[0].to_string().starts_with("t.csv:2:"));
    CHECK(out.rejected_raw[0].size() <= CsvOptions{}.max_record_bytes);
    REQUIRE(out.records.size() == 2);
    CHECK(out.records[1].fields == std::vector<std::string>{"2", "fine"});
    CHECK(out.records[1].line == 3);
}

TEST_CASE("a record over max_record_bytes is rejected and reading resumes on the next line", "[unit][csv][limits]") {
    CsvOptions o;
    o.max_field_bytes = 16;
    o.max_record_bytes = 64;
    std::string wide;
    for (int i = 0; i < 20; ++i) wide += "abcdefgh,";  // 180 bytes of short fields
    auto out = read_everything(CsvReader::from_string("h\n" + wide + "\r\nnext\r\n", "t.csv", "test", o));
    REQUIRE(out.errors.size() == 1);
    CHECK(has(out.errors[0].message, "the record is longer than 64 bytes"));
    CHECK(out.rejected_raw[0].size() == 64);
    REQUIRE(out.records.size() == 2);
    CHECK(out.records[1].fields == std::vector<std::string>{"next"});
    CHECK(out.records[1].line == 3);
}

TEST_CASE("5,000 columns are refused with the limit in the message", "[unit][csv][limits]") {
    std::string row(4999, ',');
    auto out = read_everything(CsvReader::from_string("a\n" + row + "\nb\n", "t.csv", "test"));
    REQUIRE(out.errors.size() == 1);
    CHECK(has(out.errors[0].message, "more than 4096 columns"));
    CHECK(out.errors[0].where.line == 2);
    REQUIRE(out.records.size() == 2);
    CHECK(out.records[1].fields[0] == "b");
}

TEST_CASE("a quote that runs past max_record_bytes gives back the lines after its own", "[unit][csv][limits]") {
    CsvOptions o;
    o.max_field_bytes = 1000;
    o.max_record_bytes = 40;
    std::string text = "a,b\n1,\"opens here\n";
    for (int i = 2; i < 30; ++i) text += std::to_string(i) + ",row\n";
    auto out = read_everything(CsvReader::from_string(text, "t.csv", "test", o));
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].where.line == 2);
    CHECK(out.errors[0].where.column == 3);
    CHECK(has(out.errors[0].message, "runs for more than 40 bytes without closing"));
    CHECK(out.rejected_raw[0] == "1,\"opens here");
    // Every other line is read: 1 header + 28 rows, numbered as in the file.
    REQUIRE(out.records.size() == 29);
    CHECK(out.records[1].line == 3);
    CHECK(out.records[1].fields == std::vector<std::string>{"2", "row"});
    CHECK(out.records.back().line == 30);
}

TEST_CASE("a quote whose own line is longer than the limit skips that line only", "[unit][csv][limits]") {
    CsvOptions o;
    o.max_record_bytes = 32;
    auto out = read_everything(
        CsvReader::from_string("a,b\n1,\"" + std::string(100, 'q') + "\n2,ok\n", "t.csv", "test", o));
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].where.line == 2);
    REQUIRE(out.records.size() == 2);
    CHECK(out.records[1].line == 3);
    CHECK(out.records[1].fields == std::vector<std::string>{"2", "ok"});
}

TEST_CASE("an unterminated quote across the read buffer boundary loses no later row", "[unit][csv][limits]") {
    // The bad quote opens just before the first 1 MiB chunk ends; the rows after it are in the
    // next chunk and come back with their own line numbers.
    std::string text = "id,name\n";
    std::size_t line = 1;
    while (text.size() < (1u << 20) - 20) {
        text += std::to_string(++line) + ",row\n";
    }
    const std::size_t bad_line = ++line;
    text += "x,\"open\n";
    for (int i = 0; i < 1000; ++i) text += std::to_string(++line) + ",after\n";
    auto out = read_everything(CsvReader::from_string(text, "t.csv", "test"));
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].where.line == bad_line);
    CHECK(out.records.size() + out.errors.size() == line);  // every line is a record or a reject
    CHECK(out.records.back().line == line);
    CHECK(out.records.back().fields == std::vector<std::string>{std::to_string(line), "after"});
}

TEST_CASE("a quoted field cut off by the end of the file is reported, and the lines after it kept",
          "[unit][csv][limits]") {
    auto out = read_everything(CsvReader::from_string("a,b\r\n1,\"two\r\nlines\r\n3,4", "t.csv", "test"));
    REQUIRE(out.errors.size() == 1);
    CHECK(has(out.errors[0].message, "never closed"));
    CHECK(out.rejected_raw[0] == "1,\"two");
    REQUIRE(out.records.size() == 3);
    CHECK(out.records[1].fields == std::vector<std::string>{"lines"});
    CHECK(out.records[2].fields == std::vector<std::string>{"3", "4"});
    CHECK(out.records[2].line == 4);
}

TEST_CASE("a UTF-16 file is refused once with the re-export hint", "[unit][csv][utf8]") {
    const std::string utf16le("\xFF\xFE" "e\0m\0a\0i\0l\0\n\0", 14);
    auto out = read_everything(CsvReader::from_string(utf16le, "u.csv", "test"));
    REQUIRE(out.errors.size() == 1);
    CHECK(out.records.empty());
    CHECK(has(out.errors[0].message, "UTF-16"));
    CHECK(has(out.errors[0].hint, "CSV UTF-8"));
    CHECK(out.errors[0].to_string().starts_with("u.csv:1:1: error: the file is UTF-16"));

    const std::string no_bom("e\0m\0a\0i\0l\0", 10);
    auto bare = read_everything(CsvReader::from_string(no_bom, "u.csv", "test"));
    REQUIRE(bare.errors.size() == 1);
    CHECK(has(bare.errors[0].message, "every other byte is zero"));
}

TEST_CASE("a mapped column that is not UTF-8 is a bad row at the byte's line and column", "[unit][csv][utf8]") {
    std::vector<ColumnSpec> cols{{"name", "Name", true}, {"email", "Email", true}};
    // Latin-1 "é" (0xE9) in a name; a later row is fine; an unmapped column may hold anything.
    auto t = CsvTable::from_reader(
        CsvReader::from_string("Name,Email,Notes\nAd\xE9le,adele@x.example,\nZo\xC3\xAB,zoe@x.example,\xFF\xFE\n",
                               "d.csv", "directory"),
        cols);
    REQUIRE(t.has_value());
    auto bad = t->next();
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::invalid_value);
    CHECK(bad.error().message == "invalid UTF-8 (byte 0xE9) in column 'name' (header \"Name\")");
    CHECK(bad.error().to_string().starts_with("d.csv:2:3: error: invalid UTF-8 (byte 0xE9) in column 'name'"));
    CHECK(has(bad.error().hint, "CSV UTF-8"));
    CHECK(has(bad.error().hint, "Latin-1"));
    CHECK(has(bad.error().hint, "\"\xC3\xA9\""));  // shows the é the byte stands for in Latin-1
    CHECK(t->last_raw() == "Ad\xE9le,adele@x.example,");
    auto good = t->next();
    REQUIRE(good.has_value());
    REQUIRE(*good);
    CHECK((**good)[0] == "Zo\xC3\xAB");
}

TEST_CASE("invalid UTF-8 is located inside quoted, multi-line fields and named by its byte",
          "[unit][csv][utf8]") {
    std::vector<ColumnSpec> cols{{"tool", "tool", true}, {"notes", "notes", true}};
    auto t = CsvTable::from_reader(
        CsvReader::from_string("tool,notes\nSlack,\"line one\nsay \"\"hi\"\" \xFF\xFE\"\n", "c.csv", "catalog"), cols);
    REQUIRE(t.has_value());
    auto bad = t->next();
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().where.line == 3);
    CHECK(bad.error().where.column == 12);
    CHECK(has(bad.error().message, "byte 0xFF"));
    CHECK(has(bad.error().hint, "UTF-16"));

    // Overlong forms, surrogates and cut sequences are not UTF-8 either.
    for (const std::string value : {"\xC0\xAF", "\xED\xA0\x80", "abc\xE2\x82", "\xF4\x90\x80\x80"}) {
        auto one = CsvTable::from_reader(CsvReader::from_string("tool,notes\nx," + value + "\n", "c.csv", "catalog"),
                                         cols);
        REQUIRE(one.has_value());
        auto row = one->next();
        CHECK_FALSE(row.has_value());
    }
}

TEST_CASE("a header that is not UTF-8 is shown repaired and explains a missing column", "[unit][csv][utf8]") {
    std::vector<ColumnSpec> cols{{"department", "D\xC3\xA9partement", true}};
    auto t = CsvTable::from_reader(CsvReader::from_string("D\xE9partement\nVentes\n", "d.csv", "directory"), cols);
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error().code == ErrorCode::csv_missing_column);
    CHECK(has(t.error().hint, "D\xEF\xBF\xBDpartement"));  // U+FFFD where the Latin-1 byte was
    CHECK(has(t.error().hint, "Latin-1"));
}

TEST_CASE("a stray quote that pairs with a later one names every line it swallows", "[unit][csv][limits]") {
    auto out = read_everything(
        CsvReader::from_string("name,note\nAda,\"stray\nBob,ok\nCy,\"quoted, fine\"\nDee,ok\n", "t.csv", "test"));
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].where.line == 4);
    CHECK(has(out.errors[0].message, "text follows a closing quote"));
    CHECK(has(out.errors[0].message, "(the bad record spans lines 2-4, all rejected with it)"));
    REQUIRE(out.records.size() == 2);
    CHECK(out.records[1].fields == std::vector<std::string>{"Dee", "ok"});
}
