// Formats, gaps, context and the name lookups every query starts with.
#include "fixture.hpp"

using namespace query_test;
using stackaudit::query::Format;

TEST_CASE("parse_format accepts the three formats in any case and names them when it fails", "[unit][query]") {
    CHECK(query::parse_format("table").value() == Format::table);
    CHECK(query::parse_format(" CSV ").value() == Format::csv);
    CHECK(query::parse_format("Json").value() == Format::json);
    const auto bad = query::parse_format("xml");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::invalid_value);
    CHECK(bad.error().message == "unknown output format \"xml\"; choose table, csv or json");
    CHECK_FALSE(bad.error().hint.empty());
}

TEST_CASE("snapshot_gaps lists failed and stale sources in source order", "[unit][query]") {
    const GraphSnapshot s = fixture();
    CHECK(query::snapshot_gaps(s) == std::vector<std::string>{"okta_log failed: HTTP 401: token expired",
                                                              "seats:Salesforce is stale: pull failed on 2026-11-23"});
    GraphSnapshot complete = s;
    for (auto& source : complete.sources) {
        source.ok = true;
        source.stale = false;
    }
    CHECK(query::snapshot_gaps(complete).empty());
    complete.sources[0] = {"directory", false, false, ""};
    CHECK(query::snapshot_gaps(complete) == std::vector<std::string>{"directory failed"});
}

TEST_CASE("make_context takes as_of and gaps from the snapshot", "[unit][query]") {
    const query::Context c = fixture_context();
    CHECK(c.as_of == "2026-11-24");
    CHECK(c.source == "run 12 of out/stackaudit.db");
    CHECK(c.run_id == 12);
    CHECK(c.gaps.size() == 2);
}

TEST_CASE("find_tool is case-insensitive and trimmed, and suggests a name when it fails", "[unit][query]") {
    const GraphSnapshot s = fixture();
    CHECK(query::find_tool(s, "hubspot").value() == hubspot);
    CHECK(query::find_tool(s, "  ZOHO crm ").value() == zoho);
    CHECK(query::find_tool(s, "Shadow App").value() == shadow_app);

    const auto typo = query::find_tool(s, "Hubspt");
    REQUIRE_FALSE(typo);
    CHECK(typo.error().code == ErrorCode::not_found);
    CHECK(typo.error().message == "no tool \"Hubspt\" in the snapshot; did you mean \"HubSpot\"?");
    CHECK(typo.error().hint == "`stackaudit owners` lists every catalog tool");

    const auto far = query::find_tool(s, "Photoshop");
    REQUIRE_FALSE(far);
    CHECK(far.error().message == "no tool \"Photoshop\" in the snapshot");
}

TEST_CASE("find_tool prefers the catalog tool when two names differ only in case", "[unit][query]") {
    GraphSnapshot s = fixture();
    SnapshotTool twin;
    twin.name = "canva";
    twin.in_catalog = false;
    s.tools.insert(s.tools.begin(), twin);  // index 0 now; the catalog Canva is 1
    CHECK(query::find_tool(s, "CANVA").value() == 1);
}

TEST_CASE("find_capability and find_department", "[unit][query]") {
    GraphSnapshot s = fixture();
    CHECK(query::find_capability(s, "EMAIL").value() == 3);
    const auto cap = query::find_capability(s, "crn");
    REQUIRE_FALSE(cap);
    CHECK(cap.error().message == "no capability \"crn\" in the snapshot; did you mean \"crm\"?");
    CHECK(cap.error().hint.find("bi, crm, design, email") != std::string::npos);

    CHECK(query::find_department(s, "marketing").value() == "Marketing");
    CHECK(query::find_department(s, " it ").value() == "IT");
    s.tools[tableau].owning_department = "Data Team";  // known only from the catalog
    CHECK(query::find_department(s, "data team").value() == "Data Team");
    const auto dept = query::find_department(s, "Salez");
    REQUIRE_FALSE(dept);
    CHECK(dept.error().code == ErrorCode::not_found);
    CHECK(dept.error().message == "no department \"Salez\" in the snapshot; did you mean \"Sales\"?");
    CHECK(dept.error().hint.find("Data Team, Finance, IT, Marketing, Sales") != std::string::npos);
}
