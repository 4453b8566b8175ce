// The small files of the sample: stackaudit.yaml, directory.csv, catalog.csv, integrations.csv,
// the vendor seat exports (each in its vendor's own columns and value formats) and PLANTED.md.
// All go through write_file_atomic; CSV quoting comes from core's csv_line.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "rng.hpp"
#include "stackaudit/core/csv.hpp"
#include "stackaudit/core/io.hpp"
#include "world.hpp"

namespace stackaudit::sample {
namespace {

using Row = std::vector<std::string>;

class Writer {
public:
    Writer(const World& world, SampleSummary& summary) : m_w(world), m_summary(summary) {}

    Result<void> file(const std::filesystem::path& rel, const std::string& content) {
        auto ok = write_file_atomic(m_w.options.out_dir / rel, content);
        if (!ok) return ok;
        m_summary.files.push_back({rel, content.size()});
        return {};
    }

    Result<void> csv(const std::filesystem::path& rel, const Row& header, std::vector<Row> rows, bool sort_rows = true) {
        if (sort_rows) std::sort(rows.begin(), rows.end());
        std::string out = csv_line(header);
        for (const Row& r : rows) out += csv_line(r);
        return file(rel, out);
    }

private:
    const World& m_w;
    SampleSummary& m_summary;
};

std::string money(double v) {
    char buf[32];
    if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string hms(int seconds) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    return buf;
}

std::string join_list(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ";") + s;
    return out;
}

struct SeatView {
    const PairRec* pair = nullptr;  // null for a seat held outside the directory
    const PersonRec* person = nullptr;
    const SeatRow* outside = nullptr;
    std::string email;
    std::string first;
    std::string last;
    std::string display;
    int assigned_t = k_no_day;
    int last_t = k_no_day;  // export's last activity
    int last_sec = 0;
};

class Inputs {
public:
    Inputs(const World& w, SampleSummary& s) : m_w(w), m_s(s), m_out(w, s) {}

    Result<void> run() {
        if (auto r = directory(); !r) return r;
        if (auto r = catalog(); !r) return r;
        if (auto r = integrations(); !r) return r;
        if (auto r = seat_exports(); !r) return r;
        return config();
    }

private:
    std::string ts(int t, int sec, std::string_view style) const {
        if (t == k_no_day) return {};
        const std::string d = m_w.date(t);
        if (style == "salesforce") return d + "T" + hms(sec) + ".000+0000";
        if (style == "iso") return d + "T" + hms(sec) + "Z";
        if (style == "space") return d + " " + hms(sec);
        return d;
    }

    Result<void> directory() {
        std::vector<const PersonRec*> order;
        for (const PersonRec& p : m_w.people) order.push_back(&p);
        std::stable_sort(order.begin(), order.end(), [](const PersonRec* a, const PersonRec* b) {
            if (a->last != b->last) return a->last < b->last;
            if (a->first != b->first) return a->first < b->first;
            return a->email < b->email;
        });
        std::vector<Row> rows;
        for (const PersonRec* p : order) {
            rows.push_back({p->user_id, p->email, p->display_name, p->department, p->team, p->status,
                            p->termination_t == k_no_day ? "" : m_w.date(p->termination_t)});
            m_s.departed += p->departed ? 1 : 0;
        }
        m_s.people = rows.size();
        return m_out.csv("directory.csv",
                         {"user_id", "email", "display_name", "department", "team", "status", "termination_date"},
                         std::move(rows), false);
    }

    Result<void> catalog() {
        std::vector<Row> rows;
        auto row = [&](const ToolRec& t, const std::vector<std::string>& business) {
            return Row{t.name,
                       t.vendor,
                       t.label,
                       t.capabilities,
                       t.owning_department,
                       t.intended,
                       join_list(business),
                       join_list(t.technical),
                       t.it_review,
                       t.contract < 0 ? "" : std::to_string(t.contract),
                       t.price < 0 ? "" : money(t.price),
                       t.renewal_t == k_no_day ? "" : m_w.date(t.renewal_t)};
        };
        for (const ToolRec& t : m_w.tools) {
            if (!t.catalogued) continue;
            rows.push_back(row(t, t.business));
            ++m_s.tools;
        }
        // A second row for the same tool, added later by another team (conflicting owners).
        for (const ToolRec& t : m_w.tools) {
            if (t.catalogued && !t.duplicate_business.empty()) rows.push_back(row(t, {t.duplicate_business}));
        }
        return m_out.csv("catalog.csv",
                         {"tool", "vendor", "sso_app_label", "capabilities", "owning_department", "intended_departments",
                          "business_owner", "technical_owner", "it_review", "contract_seats", "annual_cost_per_seat",
                          "renewal_date"},
                         std::move(rows), false);
    }

    Result<void> integrations() {
        std::vector<Row> rows;
        for (const IntegrationRec& i : builtin_integrations()) rows.push_back({i.source, i.target, i.data});
        // Synthetic tools (benchmarks) each feed one earlier tool, so downstream queries have depth.
        const std::size_t builtin = tool_specs().size();
        std::vector<const ToolRec*> catalogued;
        for (const ToolRec& t : m_w.tools) {
            if (t.catalogued) catalogued.push_back(&t);
        }
        static const std::vector<std::string_view> k_data = {"events", "usage", "accounts", "tickets", "documents"};
        for (std::size_t k = builtin; k < catalogued.size(); ++k) {
            Rng r(mix({m_w.options.seed, 70, k}));
            const ToolRec* target = catalogued[r.index(k)];
            rows.push_back({catalogued[k]->name, target->name, std::string(k_data[r.index(k_data.size())])});
        }
        m_s.integrations = rows.size();
        return m_out.csv("integrations.csv", {"source_tool", "target_tool", "data"}, std::move(rows), false);
    }

    std::vector<SeatView> holders(SeatExport kind) const {
        std::vector<SeatView> out;
        for (const PairRec& pr : m_w.pairs) {
            const ToolRec& t = m_w.tools[static_cast<std::size_t>(pr.tool)];
            if (!pr.seat || t.seats != kind) continue;
            const PersonRec& p = m_w.people[static_cast<std::size_t>(pr.person)];
            out.push_back({&pr, &p, nullptr, p.email, p.first, p.last, p.display_name, pr.assigned_t, pr.export_last_t,
                           pr.export_last_sec});
        }
        for (const SeatRow& s : m_w.outside_seats) {
            if (m_w.tools[static_cast<std::size_t>(s.tool)].seats != kind) continue;
            out.push_back({nullptr, nullptr, &s, s.email, s.first, s.last, s.first + " " + s.last, s.assigned_t, k_no_day, 0});
        }
        return out;
    }

    static std::string country(const SeatView& v) {
        return v.person == nullptr ? "US" : std::string(offices()[static_cast<std::size_t>(v.person->office)].country_code);
    }
    static std::string team(const SeatView& v) { return v.person == nullptr ? "" : v.person->team; }
    static std::string dept(const SeatView& v) { return v.person == nullptr ? "" : v.person->department; }
    int assign_sec(const SeatView& v) const {
        Rng r(mix({m_w.options.seed, 71, hash_text(v.email)}));
        return r.range(8 * 3600, 19 * 3600);
    }

    Result<void> seats_file(const std::string& rel, const Row& header, std::vector<Row> rows) {
        m_s.seats += rows.size();
        ++m_s.seat_exports;
        return m_out.csv(rel, header, std::move(rows));
    }

    Result<void> seat_exports() {
        {  // Salesforce: Setup > Users list view exported as CSV.
            std::vector<Row> rows;
            for (const SeatView& v : holders(SeatExport::salesforce)) {
                const std::string d = dept(v);
                const bool platform = d == "Customer Support" || d == "Finance";
                std::string profile = d == "Sales" ? "Sales User" : d == "Marketing" ? "Marketing User" : "Standard Platform User";
                if (team(v) == "Sales Operations") profile = "System Administrator";
                rows.push_back({v.email, v.email, v.display, profile, platform ? "Salesforce Platform" : "Salesforce", team(v),
                                "true", ts(v.assigned_t, assign_sec(v), "salesforce"), ts(v.last_t, v.last_sec, "salesforce")});
            }
            auto r = seats_file("seats/salesforce_users.csv",
                                {"Username", "Email", "Full Name", "Profile", "User License", "Role", "Active", "Created Date",
                                 "Last Login"},
                                std::move(rows));
            if (!r) return r;
        }
        {  // HubSpot: Settings > Users & Teams > Export users.
            std::vector<Row> rows;
            for (const SeatView& v : holders(SeatExport::hubspot)) {
                const bool admin = team(v) == "Marketing Operations";
                rows.push_back({v.first, v.last, v.email, admin ? "Super Admin" : "Marketing Contributor",
                                "Marketing Hub Professional", team(v), ts(v.last_t, v.last_sec, "space")});
            }
            auto r = seats_file("seats/hubspot_users.csv",
                                {"First Name", "Last Name", "Email", "Permission set", "Seat", "Teams", "Last active"},
                                std::move(rows));
            if (!r) return r;
        }
        {  // Slack: Admin > Manage members > Export member list (active members only).
            std::vector<Row> rows;
            for (const SeatView& v : holders(SeatExport::slack)) {
                std::string username = v.email.substr(0, v.email.find('@'));
                std::string status = "Member";
                if (v.outside != nullptr) status = "Multi-Channel Guest";
                else if (team(v) == "IT Operations") status = "Admin";
                std::string id = v.person != nullptr ? v.person->slack_id : "U0" + std::to_string(hash_text(v.email) % 1000000000ull);
                rows.push_back({username, v.email, status, "1", v.outside != nullptr ? "1" : "0",
                                v.outside != nullptr ? "0" : "1", id, v.display, v.first, ""});
            }
            auto r = seats_file("seats/slack_members.csv",
                                {"username", "email", "status", "billing-active", "has-2fa", "has-sso", "userid", "fullname",
                                 "displayname", "expiration-timestamp"},
                                std::move(rows));
            if (!r) return r;
        }
        {  // Adobe Admin Console: Users > Export users list to CSV (no activity column).
            std::vector<Row> rows;
            for (const SeatView& v : holders(SeatExport::adobe)) {
                const bool outside = v.outside != nullptr;
                const bool stock = team(v) == "Brand Design" || team(v) == "Content & Brand";
                rows.push_back({outside ? "Adobe ID" : "Federated ID", v.email,
                                outside ? "brightpixel-agency.example" : "northwind.example", v.email, v.first, v.last,
                                country(v),
                                stock ? "Creative Cloud Pro - All Apps,Adobe Stock - 10 assets per month"
                                      : "Creative Cloud Pro - All Apps",
                                "", "", outside ? "" : team(v), "", "", "", ""});
            }
            auto r = seats_file("seats/adobe_users.csv",
                                {"Identity Type", "Username", "Domain", "Email", "First Name", "Last Name", "Country Code",
                                 "Product Configurations", "Admin Roles", "Products Administered", "User Groups",
                                 "User Groups Administered", "Product Profiles Administered", "Developer Access",
                                 "Auto Assigned Products"},
                                std::move(rows));
            if (!r) return r;
        }
        {  // Zoom: User Management > Users > Export (licensed users).
            std::vector<Row> rows;
            static const std::vector<std::string_view> k_versions = {"6.2.5 (45410)", "6.2.3 (44012)", "6.1.11 (43507)"};
            for (const SeatView& v : holders(SeatExport::zoom)) {
                const std::string version =
                    v.last_t == k_no_day ? "" : std::string(k_versions[hash_text(v.email) % k_versions.size()]);
                rows.push_back({v.email, v.first, v.last, "Licensed", dept(v), ts(v.last_t, v.last_sec, "iso"), version,
                                ts(v.assigned_t, assign_sec(v), "iso")});
            }
            auto r = seats_file("seats/zoom_users.csv",
                                {"Email", "First Name", "Last Name", "User Type", "Department", "Last Login Time",
                                 "Last Client Version", "Created At"},
                                std::move(rows));
            if (!r) return r;
        }
        {  // Zendesk: agents and admins (the seat holders) from the users export.
            std::vector<Row> rows;
            int tier2 = 0;
            for (const SeatView& v : holders(SeatExport::zendesk)) {
                std::string role = team(v) == "Support Operations" ? "admin" : "agent";
                std::string notes;
                if (team(v) == "Tier 2 Support" && tier2++ == 0) {
                    notes = "Team lead, Tier 2.\nCovers EMEA escalations on Mondays.";
                } else if (team(v) == "Support Operations" && role == "admin") {
                    notes = "Owns macros, triggers and SLA policies";
                }
                rows.push_back({v.display, v.email, role, ts(v.last_t, v.last_sec, "iso"), ts(v.assigned_t, assign_sec(v), "iso"),
                                notes});
            }
            auto r = seats_file("seats/zendesk_agents.csv",
                                {"name", "email", "role", "last_login_at", "created_at", "notes"}, std::move(rows));
            if (!r) return r;
        }
        {  // Microsoft 365 admin center: Reports > Usage > Active users, exported.
            std::vector<Row> rows;
            const std::string refreshed = m_w.date(-1);
            for (const SeatView& v : holders(SeatExport::m365)) {
                Rng r(mix({m_w.options.seed, 72, hash_text(v.email)}));
                const std::string exchange = v.last_t == k_no_day ? "" : m_w.date(v.last_t);
                auto other = [&](double p) {
                    if (v.last_t == k_no_day || !r.chance(p)) return std::string();
                    return m_w.date(v.last_t - r.range(0, 20));
                };
                const std::string onedrive = other(0.8);
                const std::string sharepoint = other(0.7);
                const std::string teams = other(0.4);
                const std::string assigned = v.assigned_t == k_no_day ? "" : m_w.date(v.assigned_t);
                rows.push_back({refreshed, v.email, v.display, "False", "", "True", "True", "True", "False", "False", "True",
                                exchange, onedrive, sharepoint, "", "", teams, assigned, assigned, assigned, "", "", assigned,
                                "MICROSOFT 365 E3"});
            }
            auto r = seats_file("seats/m365_active_users.csv",
                                {"Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date",
                                 "Has Exchange License", "Has OneDrive License", "Has SharePoint License",
                                 "Has Skype For Business License", "Has Yammer License", "Has Teams License",
                                 "Exchange Last Activity Date", "OneDrive Last Activity Date", "SharePoint Last Activity Date",
                                 "Skype For Business Last Activity Date", "Yammer Last Activity Date", "Teams Last Activity Date",
                                 "Exchange License Assign Date", "OneDrive License Assign Date", "SharePoint License Assign Date",
                                 "Skype For Business License Assign Date", "Yammer License Assign Date",
                                 "Teams License Assign Date", "Assigned Products"},
                                std::move(rows));
            if (!r) return r;
        }
        return {};
    }

    Result<void> config() {
        const SampleOptions& o = m_w.options;
        std::string y;
        y += "# Northwind Labs: the sample company generated by `stackaudit sample` (seed " + std::to_string(o.seed) +
             ", scale " + std::to_string(o.scale) + ").\n";
        y += "# Every problem planted in these inputs is listed in PLANTED.md.\n";
        y += "company: Northwind Labs\n";
        y += "as_of: " + o.as_of + "\n";
        y += "usage_window_days: " + std::to_string(k_window_days) + "\n";
        y += "on_bad_row: fail\n";
        y += "inputs:\n";
        y += "  directory:\n    path: directory.csv\n";
        y += "  catalog:\n    path: catalog.csv\n";
        y += "  integrations:\n    path: integrations.csv\n";
        y += "  seats:\n";
        auto seat = [&](std::string_view tool, std::string_view path, std::string_view columns) {
            y += "    - tool: " + std::string(tool) + "\n      path: " + std::string(path) + "\n      columns: {" +
                 std::string(columns) + "}\n";
        };
        seat("Salesforce", "seats/salesforce_users.csv",
             "email: Email, license_type: \"User License\", assigned_date: \"Created Date\", last_activity: \"Last Login\"");
        seat("HubSpot Marketing Hub", "seats/hubspot_users.csv",
             "email: Email, license_type: Seat, last_activity: \"Last active\"");
        seat("Slack", "seats/slack_members.csv", "email: email, license_type: status");
        seat("Adobe Creative Cloud", "seats/adobe_users.csv", "email: Email, license_type: \"Product Configurations\"");
        seat("Zoom", "seats/zoom_users.csv",
             "email: Email, license_type: \"User Type\", assigned_date: \"Created At\", last_activity: \"Last Login Time\"");
        seat("Zendesk", "seats/zendesk_agents.csv",
             "email: email, license_type: role, assigned_date: created_at, last_activity: last_login_at");
        seat("Microsoft 365", "seats/m365_active_users.csv",
             "email: \"User Principal Name\", license_type: \"Assigned Products\", "
             "assigned_date: \"Exchange License Assign Date\", last_activity: \"Exchange Last Activity Date\"");
        if (o.okta_log) y += "  okta_log:\n    path: okta_system_log.jsonl\n";
        y += "output:\n  dir: out\n";
        return m_out.file("stackaudit.yaml", y);
    }

    const World& m_w;
    SampleSummary& m_s;
    Writer m_out;
};

}  // namespace

Result<void> write_inputs(const World& world, SampleSummary& summary) { return Inputs(world, summary).run(); }

Result<void> write_planted(const World& world, SampleSummary& summary) {
    const SampleOptions& o = world.options;
    auto cell = [](std::string s) {
        std::string out;
        for (char c : s) {
            if (c == '|') out += "\\|";
            else if (c == '\n') out += ' ';
            else out += c;
        }
        return out;
    };
    std::string md;
    md += "# Northwind Labs: planted problems\n\n";
    md += "Generated by `stackaudit sample` (seed " + std::to_string(o.seed) + ", scale " + std::to_string(o.scale) +
          ", " + std::to_string(o.days) + " days of Okta log, as_of " + o.as_of +
          "). Do not edit by hand: regenerate the directory instead.\n\n";
    md += "Figures: " + std::to_string(summary.people) + " people (" + std::to_string(summary.departed) + " departed), " +
          std::to_string(summary.tools) + " catalog tools, " + std::to_string(summary.integrations) + " integrations, " +
          std::to_string(summary.seats) + " seats in " + std::to_string(summary.seat_exports) + " seat exports, " +
          std::to_string(summary.log_events) + " Okta events (" + std::to_string(summary.sso_events) +
          " successful SSO sign-ins).\n\n";
    if (!o.okta_log) md += "This copy was generated without the Okta log: findings that need it do not fire.\n\n";
    md += "## Planted: every built-in rule fires on purpose\n\n";
    md += "These are the only findings of severity high or above the built-in rule pack should report.\n\n";
    md += "| rule | severity | subject | data that makes it fire |\n|---|---|---|---|\n";
    std::vector<PlantedItem> planted = world.planted;
    std::stable_sort(planted.begin(), planted.end(),
                     [](const PlantedItem& a, const PlantedItem& b) { return a.rule < b.rule; });
    for (const PlantedItem& p : planted) {
        md += "| " + cell(p.rule) + " | " + cell(p.severity) + " | " + cell(p.subject) + " | " + cell(p.why) + " |\n";
    }
    md += "\n## Also expected: idle seats that arise from ordinary use\n\n";
    md += "A few seat holders stopped using a tool, as in any company. Medium severity, explainable, not planted.\n\n";
    md += "| rule | severity | subject | data |\n|---|---|---|---|\n";
    for (const PlantedItem& p : world.expected) {
        md += "| " + cell(p.rule) + " | " + cell(p.severity) + " | " + cell(p.subject) + " | " + cell(p.why) + " |\n";
    }
    md += "\n## Deliberately not findings (boundaries the rules must respect)\n\n";
    md += "- A Sales Development rep who started 12 days before as_of holds a Salesforce seat with no login yet: "
          "inside the 30-day grace period, so no idle-seat.\n";
    md += "- Two people have a termination_date after as_of (notice given) and status ACTIVE: not departed, their seats "
          "are fine.\n";
    md += "- Two PROVISIONED new hires start after as_of: no seats, no use, no findings.\n";
    md += "- Departed people signed in to their apps until they left; their seats were removed from every export "
          "(except the planted departed-seat ones).\n";
    md += "- Hootsuite and Sprout Social (social-media), HubSpot and Marketo (marketing-automation), HubSpot and "
          "Mailchimp (email-marketing), Semrush and Ahrefs (seo) overlap, but each pair is owned by Marketing alone, so "
          "capability-overlap stays quiet; so do Zoom and Microsoft 365 (both IT), and Power BI and NetSuite (both "
          "Finance).\n";
    md += "- Tools renewing within 90 days other than ZoomInfo are sized so utilisation stays at or above 60%.\n";
    md += "- Loom (pending) and Vimeo (none) are not IT-approved but have no integrations, so no unreviewed-integrated-tool.\n";
    md += "- No sign-in falls on the two days at the edge of the 30-day window, so \"active\" does not depend on "
          "whether the window is inclusive.\n";
    summary.planted = world.planted.size();
    auto ok = write_file_atomic(o.out_dir / "PLANTED.md", md);
    if (!ok) return ok;
    summary.files.push_back({"PLANTED.md", md.size()});
    return {};
}

}  // namespace stackaudit::sample
