// Registry tests: the spec list, column resolution with overrides, and read_all's failure handling.
#include "test_support.hpp"

#include "catalog/catalog.hpp"
#include "csv_source.hpp"
#include "directory/directory.hpp"
#include "integrations/integrations.hpp"
#include "seats/seats.hpp"
#include "stackaudit/core/strings.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

namespace {

template <class Keys>
void check_keys(std::string_view kind, const Keys& keys) {
    const auto* spec = connectors::find(kind);
    REQUIRE(spec != nullptr);
    REQUIRE(spec->columns.size() == keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        CHECK(spec->columns[i].key == keys[i]);
        CHECK(spec->columns[i].default_header == keys[i]);
        CHECK_FALSE(spec->columns[i].description.empty());
    }
}

}  // namespace

TEST_CASE("registry lists every connector kind with documented columns", "[connector][unit]") {
    std::vector<std::string> kinds;
    for (const auto& spec : connectors::registry()) {
        kinds.push_back(spec.kind);
        CHECK_FALSE(spec.description.empty());
        CHECK(static_cast<bool>(spec.read));
    }
    CHECK(kinds == std::vector<std::string>{"directory", "catalog", "integrations", "seats", "okta_log", "okta", "m365",
                                            "google_workspace", "salesforce", "slack", "hubspot", "adobe", "zoom",
                                            "zendesk", "json"});
    // Every vendor connector can pull live except the generic JSON reader's single GET, and
    // each names a default catalog tool or requires one.
    for (const auto& spec : connectors::registry()) {
        if (spec.kind == "directory" || spec.kind == "catalog" || spec.kind == "integrations" || spec.kind == "seats")
            continue;
        INFO(spec.kind);
        CHECK(spec.api.has_value());
        if (spec.api) CHECK_FALSE(spec.api->endpoints.empty());
        if (spec.kind != "okta_log") CHECK((spec.needs_tool || !spec.default_tool.empty()));
    }
    check_keys("directory", connectors::directory::k_column_keys);
    check_keys("catalog", connectors::catalog::k_column_keys);
    check_keys("integrations", connectors::integrations::k_column_keys);
    check_keys("seats", connectors::seats::k_column_keys);
    CHECK(connectors::find("okta_log")->columns.empty());
    CHECK(connectors::find("seats")->needs_tool);
    CHECK(connectors::find("seats")->multiple);
    CHECK(connectors::find("SEATS") != nullptr);
    CHECK(connectors::find("jira") == nullptr);

    const auto* directory = connectors::find("directory");
    for (const auto& column : directory->columns) {
        CHECK(column.required == (column.key == "email" || column.key == "status"));
    }
}

TEST_CASE("column_specs applies header overrides", "[connector][unit]") {
    const auto* spec = connectors::find("seats");
    auto config = source("seats", {}, {{"email", "Email"}, {"last_activity", "Last Login"}}, "Salesforce");
    auto columns = connectors::column_specs(*spec, config);
    REQUIRE(columns);
    REQUIRE(columns->size() == 4);
    CHECK((*columns)[0].header == "Email");
    CHECK((*columns)[1].header == "license_type");
    CHECK_FALSE((*columns)[1].required);
    CHECK((*columns)[3].header == "Last Login");
    CHECK((*columns)[3].required);  // mapped explicitly: must exist in the file
}

TEST_CASE("column_specs rejects an unknown column key with a suggestion", "[connector][unit]") {
    const auto* spec = connectors::find("directory");
    auto config = source("directory", {}, {{"emial", "Primary email"}});
    auto columns = connectors::column_specs(*spec, config);
    REQUIRE_FALSE(columns);
    CHECK(columns.error().code == ErrorCode::config_invalid);
    CHECK(contains(columns.error().message, "unknown column key 'emial'"));
    CHECK(contains(columns.error().message, "did you mean 'email'?"));
    CHECK(columns.error().where.file == "stackaudit.yaml");
    CHECK(columns.error().where.line == 7);
    CHECK(contains(columns.error().hint, "termination_date"));

    auto okta = source("okta_log", {}, {{"user", "actor"}});
    auto none = connectors::column_specs(*connectors::find("okta_log"), okta);
    REQUIRE_FALSE(none);
    CHECK(contains(none.error().message, "have no columns"));
}

TEST_CASE("read_all reports a missing file with its path and config key", "[connector][unit]") {
    auto outcome = read_one(source("catalog", {"/nonexistent/stackaudit/catalog.csv"}));
    const auto& report = outcome.report();
    CHECK_FALSE(report.ok);
    CHECK(report.kind == "catalog");
    CHECK(report.path == "/nonexistent/stackaudit/catalog.csv");
    REQUIRE(report.errors.size() == 1);
    const Error& error = report.errors.front();
    CHECK(error.code == ErrorCode::io);
    CHECK(contains(error.message, "/nonexistent/stackaudit/catalog.csv"));
    CHECK(contains(error.message, "inputs.catalog.path"));
    CHECK(error.where.file == "stackaudit.yaml");
}

TEST_CASE("read_all keeps reading after a failed source", "[connector][unit]") {
    RowSink rows(BadRowPolicy::fail);
    connectors::ReadContext context{rows, at("2026-11-01T00:00:00Z"), 30};
    std::vector<connectors::SourceConfig> sources{
        source("directory", {data_path("directory.csv")}),
        source("seats", {data_path("seats/missing_export.csv")}, {}, "Zoom"),
        source("seats", {data_path("seats/zoom_users.csv")}, {}, ""),  // no tool
        source("integrations", {data_path("integrations.csv")}),
        source("jira", {data_path("integrations.csv")}),
    };
    const Dataset data = connectors::read_all(sources, context);
    REQUIRE(data.sources.size() == 5);
    CHECK(data.sources[0].ok);
    CHECK_FALSE(data.sources[1].ok);
    CHECK(contains(data.sources[1].errors.front().message, "inputs.seats (tool: Zoom).path"));
    CHECK_FALSE(data.sources[2].ok);
    CHECK(contains(data.sources[2].errors.front().message, "needs `tool:`"));
    CHECK(data.sources[3].ok);
    CHECK_FALSE(data.sources[4].ok);
    CHECK(contains(data.sources[4].errors.front().message, "unknown input kind 'jira'"));
    CHECK(data.people.size() == 8);
    CHECK(data.integrations.size() == 5);
    CHECK(data.seats.empty());
    CHECK(data.as_of == at("2026-11-01T00:00:00Z"));
}

TEST_CASE("read_all rejects unknown options and a failed source contributes no data", "[connector][unit]") {
    auto config = source("directory", {data_path("directory.csv")});
    config.options["delimeter"] = ";";
    auto outcome = read_one(config);
    CHECK_FALSE(outcome.report().ok);
    CHECK(contains(outcome.report().errors.front().message, "did you mean 'delimiter'?"));
    CHECK(outcome.data.people.empty());

    auto bad = read_one(source("directory", {data_path("directory_bad.csv")}), BadRowPolicy::fail);
    CHECK_FALSE(bad.report().ok);
    CHECK(bad.data.people.empty());
}

TEST_CASE("tolerant number parsing for catalog money and seats", "[connector][unit]") {
    using connectors::parse_count;
    using connectors::parse_money;
    CHECK(parse_count("1,200").value() == 1200);
    CHECK(parse_count(" 1 200 ").value() == 1200);
    CHECK(parse_count("40").value() == 40);
    CHECK(parse_count("40.0").value() == 40);
    CHECK_FALSE(parse_count("").value().has_value());
    CHECK_FALSE(parse_count("12,00"));
    CHECK_FALSE(parse_count("4.5"));
    CHECK_FALSE(parse_count("-3"));
    CHECK_FALSE(parse_count("about 40"));
    CHECK(parse_money("$85.00").value() == Approx(85.0));
    CHECK(parse_money("$1,020.50").value() == Approx(1020.5));
    CHECK(parse_money("USD 149.90").value() == Approx(149.9));
    CHECK(parse_money("659.88 EUR").value() == Approx(659.88));
    CHECK(parse_money("\u20ac120").value() == Approx(120.0));
    CHECK(parse_money("1650").value() == Approx(1650.0));
    CHECK_FALSE(parse_money("").value().has_value());
    CHECK_FALSE(parse_money("1.020,50"));
    CHECK_FALSE(parse_money("free"));
    CHECK_FALSE(parse_money("-5"));
}
