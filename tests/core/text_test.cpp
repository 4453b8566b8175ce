// UTF-8 validation and repair (core/text.hpp), and the JSON writer's promise that its output is
// valid UTF-8 whatever the data (issue #7, defence in depth).
#include <catch2/catch.hpp>

#include <string>

#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/text.hpp"

using namespace stackaudit;

namespace {
const std::string k_fffd = "\xEF\xBF\xBD";
}  // namespace

TEST_CASE("valid_utf8 follows RFC 3629", "[unit][utf8]") {
    CHECK(valid_utf8(""));
    CHECK(valid_utf8("plain ascii, with\ttabs\n"));
    CHECK(valid_utf8("Zo\xC3\xAB M\xC3\xBCller \xE2\x82\xAC \xF0\x9F\x98\x80"));  // 2, 3 and 4 bytes
    CHECK(valid_utf8("\xEF\xBB\xBF"));                                               // U+FEFF is a character
    CHECK(valid_utf8("\xF4\x8F\xBF\xBF"));                                           // U+10FFFF, the last one
    CHECK(valid_utf8(std::string("nul\0inside", 10)));

    CHECK(invalid_utf8_offset("Ad\xE9le") == 2);          // Latin-1 é
    CHECK(invalid_utf8_offset("ok \xFF\xFE") == 3);       // UTF-16 byte-order mark bytes
    CHECK(invalid_utf8_offset("\x80") == 0);              // a lone continuation byte
    CHECK(invalid_utf8_offset("\xC0\xAF") == 0);          // overlong '/'
    CHECK(invalid_utf8_offset("\xC1\xBF") == 0);          // overlong
    CHECK(invalid_utf8_offset("\xE0\x80\xAF") == 0);      // overlong 3-byte
    CHECK(invalid_utf8_offset("\xF0\x80\x80\xAF") == 0);  // overlong 4-byte
    CHECK(invalid_utf8_offset("\xED\xA0\x80") == 0);      // a UTF-16 surrogate (U+D800)
    CHECK(invalid_utf8_offset("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
    CHECK(invalid_utf8_offset("\xF5\x80\x80\x80") == 0);
    CHECK(invalid_utf8_offset("ab\xE2\x82") == 2);        // cut short at the end
    CHECK(invalid_utf8_offset("\xC3\xA9\xC3") == 2);
}

TEST_CASE("to_valid_utf8 replaces each maximal bad subpart with one U+FFFD", "[unit][utf8]") {
    CHECK(to_valid_utf8("fine \xC3\xA9") == "fine \xC3\xA9");
    CHECK(to_valid_utf8("Ad\xE9le") == "Ad" + k_fffd + "le");
    CHECK(to_valid_utf8("\xFF\xFE") == k_fffd + k_fffd);
    CHECK(to_valid_utf8("a\xF0\x9F\x98" "b") == "a" + k_fffd + "b");      // one cut 4-byte sequence
    CHECK(to_valid_utf8("\xC0\xAF") == k_fffd + k_fffd);                  // C0 never starts a sequence
    CHECK(to_valid_utf8("\xED\xA0\x80") == k_fffd + k_fffd + k_fffd);     // surrogates: byte by byte
    CHECK(to_valid_utf8("\xE2\x82") == k_fffd);
    for (const std::string text : {"\xFF", "a\x80z", "\xE0\x80", "\xF4\x90\x80\x80", "\xC3"}) {
        CHECK(valid_utf8(to_valid_utf8(text)));
    }
}

TEST_CASE("JsonWriter writes invalid UTF-8 as U+FFFD so the document stays valid", "[unit][utf8][json]") {
    JsonWriter json;
    json.begin_object();
    json.field("tool", "Bad\xFF\xFE tool");
    json.field("caf\xE9", "ok \xC3\xA9");
    json.end_object();
    const std::string out = json.finish();
    CHECK(valid_utf8(out));
    CHECK(out == "{\n  \"tool\": \"Bad" + k_fffd + k_fffd + " tool\",\n  \"caf" + k_fffd +
                     "\": \"ok \xC3\xA9\"\n}\n");
}
