// The System Log's ApiSpec; credentials and permissions are shared with the `okta` kind.
#include "okta_log/api.hpp"

#include "okta/okta.hpp"

namespace stackaudit::connectors::okta_log {

ApiSpec api_spec() {
    ApiSpec api;
    api.default_base_url = "https://{domain}";
    api.credentials = {okta::token_credential()};
    api.endpoints = {
        Endpoint{.name = "logs",
                 .path = "/api/v1/logs?since={since}&limit=1000",
                 .paging = Paging{.kind = PagingKind::link_header, .stop_on_empty_page = true}},
    };
    api.permissions = okta::permissions();
    api.check_endpoint = "logs";
    api.incremental = "logs";
    return api;
}

}  // namespace stackaudit::connectors::okta_log
