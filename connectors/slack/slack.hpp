// Spec: the `slack` connector reads Slack seats, from saved Web API pages (a `stackaudit pull`
// snapshot or pages saved by hand in the same layout) or from the admin console's member CSV
// export:
//   users/         users.list: one Seat per member that is not deleted and not a bot (nor
//                  Slackbot); guests (is_restricted / is_ultra_restricted) get license_type
//                  "guest", everyone else "member".
//   billable_info/ team.billableInfo (optional): when saved, only members with billing_active
//                  true hold a seat (Slack's Fair Billing Policy).
//   access_logs/   team.accessLogs (optional, paid plans): last_activity = the newest date_last
//                  (epoch seconds) of the member's logins at or before as_of.
// Every page must say "ok": true; an "ok": false page fails the source with Slack's error,
// except "paid_only" on access_logs (a free plan has no access logs).
// The member export (username, email, status, billing-active, has-2fa, userid, fullname,
// displayname) maps through the same rules: status Deactivated or Bot, or billing-active 0, is
// skipped; a status naming a guest gives "guest".
#pragma once

#include <array>
#include <string_view>

#include "stackaudit/connectors/registry.hpp"

namespace stackaudit::connectors::slack {

namespace col {
enum : std::size_t { email, status, billing_active, user_id, last_activity, count };
}
inline constexpr std::array<std::string_view, col::count> k_column_keys{"email", "status", "billing_active", "user_id",
                                                                       "last_activity"};

[[nodiscard]] ConnectorSpec spec();

// Errors: io / not_found (no saved users pages), json_malformed (a page that does not parse or
// has no "ok"), source_failed (a page with "ok": false), config_invalid (a path that is neither
// a folder nor a .csv), CSV header errors, or the first bad record under --on-bad-row fail.
[[nodiscard]] Result<void> read(const SourceConfig& source, ReadContext& context, Dataset& out, SourceReport& report);

}  // namespace stackaudit::connectors::slack
