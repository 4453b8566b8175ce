// Folder names built from vendor data (fan-out ids such as Okta app ids) stay inside the
// snapshot: never a separator, never "." or "..", never empty, never over-long.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "stackaudit/connectors/api.hpp"

using stackaudit::connectors::fan_out_folder;

namespace {

void check_safe(const std::string& id) {
    const std::string name = fan_out_folder(id);
    INFO("id bytes: " << id.size() << ", folder: " << name);
    CHECK_FALSE(name.empty());
    CHECK(name.find('/') == std::string::npos);
    CHECK(name.find('\\') == std::string::npos);
    CHECK(name.find('\0') == std::string::npos);
    CHECK(name.front() != '.');
    CHECK(name.size() <= 100);
}

}  // namespace

TEST_CASE("fan-out folders: real ids are kept as they are", "[unit][connector][snapshot]") {
    CHECK(fan_out_folder("0oa1sfdc9X8y7W6v5u4") == "0oa1sfdc9X8y7W6v5u4");
    CHECK(fan_out_folder("app_users-2.v1") == "app_users-2.v1");
}

TEST_CASE("fan-out folders: hostile ids cannot leave the endpoint folder", "[unit][connector][snapshot]") {
    CHECK(fan_out_folder("..") == "%2E.");
    CHECK(fan_out_folder(".") == "%2E");
    CHECK(fan_out_folder("../../etc/passwd") == "%2E.%2F%2E.%2Fetc%2Fpasswd");
    CHECK(fan_out_folder("/etc/cron.d/x") == "%2Fetc%2Fcron.d%2Fx");
    CHECK(fan_out_folder("a\\..\\b") == "a%5C..%5Cb");
    CHECK(fan_out_folder("") == "%00");
    CHECK(fan_out_folder(std::string("a\0b", 3)) == "a%00b");
    for (const std::string id : {"..", ".", "../x", "/", "//", ".hidden", "a/../../b", "%2E%2E", "\xff\xfe"}) check_safe(id);

    // Long ids are cut but stay distinct.
    const std::string a(300, 'a');
    const std::string b = std::string(299, 'a') + "b";
    check_safe(a);
    CHECK(fan_out_folder(a) != fan_out_folder(b));

    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        std::string id(rng() % 160, '\0');
        for (auto& c : id) c = static_cast<char>(rng() % 256);
        check_safe(id);
    }
}
