// The fact catalog: its shape, and docs/facts.md kept equal to what it generates.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "stackaudit/graph/graph.hpp"

using namespace stackaudit;
using namespace stackaudit::graph;

TEST_CASE("every subject kind binds frames that exist", "[unit][graph]") {
    const FactCatalog& catalog = fact_catalog();
    REQUIRE(catalog.subject_kinds.size() == 6);
    for (const SubjectKind& kind : catalog.subject_kinds) {
        INFO(kind.name);
        CHECK_FALSE(kind.description.empty());
        for (const FrameBinding& binding : kind.frames) CHECK(catalog.frame(binding.frame) != nullptr);
    }
}

TEST_CASE("facts are unique, described and typed", "[unit][graph]") {
    for (const FrameType& frame : fact_catalog().frame_types) {
        std::set<std::string> names;
        for (const FactDef& def : frame.facts) {
            INFO(frame.name << "." << def.name);
            CHECK(names.insert(def.name).second);
            CHECK_FALSE(def.description.empty());
            CHECK(def.type != ValueType::null);
            CHECK((def.type == ValueType::list) == (def.element != ValueType::null));
        }
    }
}

TEST_CASE("docs/facts.md is generated from the catalog", "[unit][graph]") {
    const std::filesystem::path path = std::filesystem::path(STACKAUDIT_SOURCE_DIR) / "docs" / "facts.md";
    const std::string expected = facts_markdown(fact_catalog());
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (buffer.str() != expected) {
        // Approval style: leave the generated text beside the test binary to copy over.
        std::ofstream("facts.md.received", std::ios::binary) << expected;
        FAIL_CHECK(path.string() << " is stale: copy facts.md.received from the test's working directory over it");
    }
}
