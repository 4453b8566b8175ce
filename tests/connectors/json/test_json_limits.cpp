// Issue #7 "Limits" for saved vendor pages: a page nested deeper than k_max_json_depth or bigger
// than a live pull accepts (http::k_max_response_bytes) fails its source with an error naming
// the file, both in the json_pages reader (json, HubSpot, Adobe, Zoom, Zendesk, Okta, M365) and
// in vendor_pages (Google Workspace, Salesforce, Slack). Nothing is loaded whole or walked.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "json/json_connector.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/connectors/http.hpp"
#include "stackaudit/core/text.hpp"
#include "vendor_pages.hpp"
#include "vendor_support.hpp"

using namespace stackaudit;
using namespace stackaudit::test;
using namespace stackaudit::test::vendor;

namespace {

std::string nested(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

// A file of `bytes` bytes that takes no disk space (a hole): only its size is ever looked at.
std::filesystem::path sparse_file(const TempDir& dir, const std::string& name, std::uintmax_t bytes) {
    const auto file = dir.write(name, "[");
    std::filesystem::resize_file(file, bytes);
    return file;
}

}  // namespace

TEST_CASE("json_too_deep_at counts brackets outside strings", "[unit][json][limits]") {
    CHECK(json_too_deep_at(nested(1024)) == std::string_view::npos);
    CHECK(json_too_deep_at(nested(1025)) == 1024);
    CHECK(json_too_deep_at("{\"a\": \"[[[[\\\"[[[\"}", 1) == std::string_view::npos);  // brackets in a string
    CHECK(json_too_deep_at("[{\"a\": [1]}]", 2) == 7);
}

TEST_CASE("a saved page nested 10,000 levels deep fails its source with the file named", "[connector][json][limits]") {
    TempDir dir;
    const auto deep = dir.write("deep.json", "[{\"email\": \"a@northwind.example\", \"x\": " + nested(10'000) + "}]");

    auto page = connectors::json_pages::read_page(deep, "json:Figma", "");
    REQUIRE_FALSE(page.has_value());
    CHECK(page.error().code == ErrorCode::json_malformed);
    CHECK(page.error().message == "page is nested deeper than 1024 levels (line 1)");
    CHECK(page.error().to_string().starts_with(deep.string() + ": error: page is nested deeper than 1024 levels"));
    CHECK(contains(page.error().hint, "save the page again"));

    // Through the connector, as an audit reads it: the source fails, whatever the bad-row policy.
    const auto read = read_with(connectors::json::spec(),
                                vendor_source("json", {deep}, {{"email", "/email"}}, "Figma"), BadRowPolicy::collect);
    REQUIRE_FALSE(read.result);
    CHECK(contains(read.result.error().to_string(), "deep.json"));
    CHECK(read.data.seats.empty());

    // Just under the limit is read as usual (the deep value is in a field nobody asks for).
    const auto fine = dir.write("fine.json", "[{\"email\": \"a@northwind.example\", \"x\": " + nested(1000) + "}]");
    const auto ok = read_with(connectors::json::spec(), vendor_source("json", {fine}, {{"email", "/email"}}, "Figma"));
    REQUIRE(ok.result);
    CHECK(ok.report.records == 1);

    auto vendor = connectors::pages::load_page(deep, "slack", "members");
    REQUIRE_FALSE(vendor.has_value());
    CHECK(vendor.error().code == ErrorCode::json_malformed);
    CHECK(contains(vendor.error().message, "is nested deeper than 1024 levels (line 1)"));
    CHECK(vendor.error().where.file == deep.string());
}

TEST_CASE("a saved page bigger than a response may be is refused unread", "[connector][json][limits]") {
    TempDir dir;
    const auto huge = sparse_file(dir, "page-00001.json", connectors::http::k_max_response_bytes + 1);

    auto page = connectors::json_pages::read_page(huge, "json:Figma", "");
    REQUIRE_FALSE(page.has_value());
    CHECK(page.error().code == ErrorCode::io);
    CHECK(contains(page.error().message, "more than the 268435456 bytes a response may have"));
    CHECK(page.error().where.file == huge.string());
    CHECK(contains(page.error().hint, "save the pages one by one"));

    auto vendor = connectors::pages::load_page(huge, "slack", "members");
    REQUIRE_FALSE(vendor.has_value());
    CHECK(vendor.error().code == ErrorCode::io);
    CHECK(contains(vendor.error().message, "bytes a response may have"));
}
