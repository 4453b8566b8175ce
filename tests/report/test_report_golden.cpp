// Golden tests for every report the module writes, on AuditReports built in sample_report.hpp.
#include <catch2/catch.hpp>

#include "golden.hpp"
#include "sample_report.hpp"
#include "stackaudit/report/report.hpp"

using namespace stackaudit;
using namespace stackaudit::test;

TEST_CASE("findings CSV matches the approved file", "[golden]") {
    check_golden("findings", "csv", report::findings_csv(complete_report()), k_test_version);
}

TEST_CASE("findings JSON matches the approved file", "[golden]") {
    check_golden("findings", "json", report::findings_json(complete_report()), k_test_version);
}

TEST_CASE("findings JSON on partial inputs matches the approved file", "[golden]") {
    check_golden("findings_partial", "json", report::findings_json(partial_report()), k_test_version);
}

TEST_CASE("summary matches the approved file", "[golden]") {
    check_golden("summary", "txt", report::summary_text(complete_report(), 5), k_test_version);
}

TEST_CASE("summary on partial inputs matches the approved file", "[golden]") {
    check_golden("summary_partial", "txt", report::summary_text(partial_report()), k_test_version);
}

TEST_CASE("summary of a clean run matches the approved file", "[golden]") {
    check_golden("summary_empty", "txt", report::summary_text(empty_report()), k_test_version);
}

TEST_CASE("rejects CSV matches the approved file", "[golden]") {
    check_golden("rejects", "csv", report::rejects_csv(sample_rejects()), k_test_version);
}
