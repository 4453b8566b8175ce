// Fuzz target `vendor_exports`: the vendors' admin-console CSV exports (Salesforce Data Loader,
// Slack member export, Adobe Admin Console users, the Microsoft 365 active-user report) through
// their connectors, column mapping included. Byte 0 picks the vendor; the rest is a
// connector_support.hpp payload: settings (column.<key>=<header>, delimiter=...), then the file.
#include "connector_support.hpp"
#include "fuzz_support.hpp"

namespace {

using stackaudit::fuzz::ConnectorCase;

const std::vector<ConnectorCase>& cases() {
    static const std::vector<ConnectorCase> table{
        {"salesforce", {"users_export.csv"}, false},
        {"slack", {"members_export.csv"}, false},
        {"adobe", {"adobe_users.csv"}, false},
        {"m365", {"m365_active_users.csv"}, false},
    };
    return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return stackaudit::fuzz::run_connector_case(cases(), data, size);
}
