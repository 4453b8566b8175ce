// Fuzz target `vendor_pages`: every vendor connector's parser of saved API pages, on fuzzed
// pages written where a `stackaudit pull` snapshot puts them. Byte 0 picks the vendor case
// below; the rest is a connector_support.hpp payload whose parts are the case's files in order
// (settings first). seed.sh builds one seed per case from tests/connectors/data/api/<vendor>/.
#include "connector_support.hpp"
#include "fuzz_support.hpp"

namespace {

using stackaudit::fuzz::ConnectorCase;

const std::vector<ConnectorCase>& cases() {
    static const std::vector<ConnectorCase> table{
        {"okta", {"users/page-00001.json", "apps/page-00001.json", "app_users/0oa1sfdc9X8y7W6v5u4/page-00001.json",
                  "users/page-00002.json"}},
        {"m365", {"subscribed_skus/page-00001.json", "users/page-00001.json", "active_users/page-00001.csv",
                  "users/page-00002.json"}},
        {"google_workspace", {"users/page-00001.json", "licenses/page-00001.json",
                              "login_activity/page-00001.json", "users/page-00002.json"}},
        {"salesforce", {"user_licenses/page-00001.json", "users/page-00001.json", "users/page-00002.json"}},
        {"slack", {"users/page-00001.json", "billable_info/page-00001.json", "access_logs/page-00001.json",
                   "users/page-00002.json"}},
        {"hubspot", {"users/page-00001.json", "logins/page-00001.json", "users/page-00002.json"}},
        {"adobe", {"users/page-00001.json", "groups/page-00001.json", "users/page-00002.json"}},
        {"zoom", {"users/page-00001.json", "users/page-00002.json"}},
        {"zendesk", {"users/page-00001.json", "users/page-00002.json"}},
        {"json", {"seats.json"}, false},
        {"json", {"records/page-00001.json", "records/page-00002.json"}},
    };
    return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return stackaudit::fuzz::run_connector_case(cases(), data, size);
}
