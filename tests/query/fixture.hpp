// Shared by the query tests: a small company ("the fixture") whose every answer is worked out
// by hand in the tests, and helpers to build snapshots.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/snapshot.hpp"
#include "stackaudit/query/query.hpp"

namespace query_test {

using namespace stackaudit;

inline Date day(int y, unsigned m, unsigned d) {
    return Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

inline Timestamp at(int y, unsigned m, unsigned d, int hh = 0) {
    return Timestamp{day(y, m, d)} + std::chrono::hours(hh);
}

// People (by email): 0 ann, 1 bob, 2 cat, 3 dan (left 2026-09-30), 4 eve, 5 fay, 6 ghost (not
// in the directory), 7 gus. Fay and Gus are both "Alex Kim"; team Growth exists in Marketing
// and Sales.
// Tools (by name): 0 Canva, 1 HubSpot, 2 Looker, 3 Mailchimp, 4 Salesforce, 5 Shadow App (not in
// the catalog), 6 Tableau, 7 Zoho CRM. Capabilities: 0 bi, 1 crm, 2 design, 3 email.
// Flows: Canva>Canva (ignored), HubSpot>Mailchimp, HubSpot>Salesforce, Looker>HubSpot (a
// cycle), Mailchimp>Looker, Salesforce>Looker, Salesforce>Zoho CRM, Zoho CRM>Tableau.
// Sources: okta_log failed, seats:Salesforce stale.
[[nodiscard]] GraphSnapshot fixture();

// Tool indices of the fixture, by name.
enum FixtureTool : std::uint32_t { canva, hubspot, looker, mailchimp, salesforce, shadow_app, tableau, zoho };

[[nodiscard]] query::Context fixture_context();

// Names of the tools of a list of indices.
[[nodiscard]] std::vector<std::string> names(const GraphSnapshot& snapshot, const std::vector<std::uint32_t>& tools);

// Lines of a text (without line ends), to check one line of a table.
[[nodiscard]] std::vector<std::string> lines(std::string_view text);
[[nodiscard]] bool has_line(std::string_view text, std::string_view line);

}  // namespace query_test
