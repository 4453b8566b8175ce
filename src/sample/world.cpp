// build_world(): the simulation behind the sample company. People come from the team table,
// tool use from each tool's audience, sign-in days from a per person-and-app schedule; then
// seat holders, contract sizes and the planted problems are derived so that exactly the
// planted high-severity findings fire (see sample_data/northwind/PLANTED.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "rng.hpp"
#include "world.hpp"

namespace stackaudit::sample {
namespace {

constexpr std::string_view k_base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view k_domain = "northwind.example";
constexpr std::string_view k_agency = "brightpixel-agency.example";

std::string okta_id(std::string_view prefix, std::uint64_t seed) {
    Rng r(seed);
    std::string id(prefix);
    for (int i = 0; i < 17; ++i) id += k_base62[r.index(k_base62.size())];
    return id;
}

std::string email_part(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    }
    return out;
}

// Keeps events off the two days at the edge of the 30-day usage window, so "active in the
// window" means the same whether a reader compares with < or <=, dates or timestamps.
int avoid_window_edge(int t, int stop) {
    if (t == -k_window_days || t == -k_window_days - 1) return (-k_window_days + 1 <= stop) ? -k_window_days + 1 : -k_window_days - 2;
    return t;
}

int weekday(Date d) { return static_cast<int>(std::chrono::weekday{d}.c_encoding()); }  // 0 = Sunday

struct Departure {
    std::string_view department;
    std::string_view team;
    std::string_view status;
    int termination_t;   // k_no_day: none written (suspended)
    int end_t;           // last day of use + 1
    std::string_view tag;  // planted role, "" for ordinary departures
};

const std::vector<Departure>& departures() {
    static const std::vector<Departure> k_departures = {
        {"Marketing", "Marketing Operations", "DEPROVISIONED", -79, -79, "marketo_owner"},
        {"Sales", "Mid-Market Sales", "DEPROVISIONED", -46, -46, "slack_departed"},
        {"Sales", "Enterprise Sales", "ACTIVE", -16, -16, "sf_terminated"},
        {"Marketing", "Demand Generation", "DEPROVISIONED", -120, -120, ""},
        {"Marketing", "Content & Brand", "DEPROVISIONED", -23, -23, ""},
        {"Sales", "Sales Development", "DEPROVISIONED", -61, -61, ""},
        {"Sales", "Sales Development", "DEPROVISIONED", -8, -8, ""},
        {"Engineering", "Web", "DEPROVISIONED", -140, -140, ""},
        {"Engineering", "Payments", "DEPROVISIONED", -35, -35, ""},
        {"Customer Support", "Tier 1 Support", "DEPROVISIONED", -52, -52, ""},
        {"Customer Support", "Tier 1 Support", "DEPROVISIONED", -12, -12, ""},
        {"Finance", "Accounting", "DEPROVISIONED", -200, -200, ""},
        {"Product", "Product Management", "SUSPENDED", k_no_day, -20, ""},
        {"Design", "Product Design", "SUSPENDED", k_no_day, -44, ""},
    };
    return k_departures;
}

class Builder {
public:
    explicit Builder(const SampleOptions& options) {
        m_w.options = options;
        const auto parsed = parse_date(options.as_of);
        m_w.as_of_date = (parsed && parsed->has_value()) ? **parsed : Date{};
    }

    World run() {
        people();
        tools();
        owners();
        pairs();
        simulate();
        seats_and_contracts();
        manifest();
        return std::move(m_w);
    }

private:
    std::uint64_t seed(std::initializer_list<std::uint64_t> parts) const {
        std::uint64_t s = mix(parts);
        return mix({m_w.options.seed, s});
    }

    // ---- people -------------------------------------------------------------------------
    PersonRec& add_person(std::string_view department, std::string_view team, Rng& r) {
        PersonRec p;
        const auto& firsts = first_names();
        const auto& lasts = last_names();
        for (int attempt = 0;; ++attempt) {
            p.first = std::string(firsts[r.index(firsts.size())]);
            p.last = std::string(lasts[r.index(lasts.size())]);
            std::string local = email_part(p.first) + "." + email_part(p.last);
            if (attempt >= 6) local += std::to_string(attempt - 4);
            if (m_emails.insert(local).second) {
                p.email = local + "@" + std::string(k_domain);
                break;
            }
        }
        p.display_name = p.first + " " + p.last;
        p.department = std::string(department);
        p.team = std::string(team);
        p.status = "ACTIVE";
        const std::size_t index = m_w.people.size();
        p.user_id = okta_id("00u", seed({1, index}));
        const auto& offs = offices();
        p.office = static_cast<int>(r.index(offs.size()));
        p.agent = static_cast<int>(r.index(agents().size()));
        p.isp = offs[static_cast<std::size_t>(p.office)].country_code == "GB" ? (r.chance(0.7) ? 5 : 4)
                                                                             : static_cast<int>(r.index(5));
        const Isp& isp = isps()[static_cast<std::size_t>(p.isp)];
        p.ip = std::to_string(isp.ip_a) + "." + std::to_string(isp.ip_b + r.range(0, 40)) + "." +
               std::to_string(r.range(1, 254)) + "." + std::to_string(r.range(2, 254));
        Rng sr(seed({2, index}));
        p.slack_id = "U0";
        for (int i = 0; i < 9; ++i) p.slack_id += k_base62[sr.index(36)];
        p.start_t = r.chance(0.06) ? -r.range(40, 59) : -r.range(95, 2600);
        m_w.people.push_back(std::move(p));
        return m_w.people.back();
    }

    void people() {
        Rng r(seed({10}));
        const int scale = m_w.options.scale;
        for (const TeamSpec& t : team_specs()) {
            for (int k = 0; k < t.size * scale; ++k) {
                PersonRec& p = add_person(t.department, t.team, r);
                if (k == 0) p.start_t = -r.range(700, 2600);  // team leads have been around
            }
        }
        // A few display names carry a suffix after a comma (quoted in every CSV).
        mark_suffix("Sales", "Enterprise Sales", 2, ", Jr.");
        mark_suffix("Engineering", "Platform", 4, ", Sr.");
        // Notice given: still here on as_of, so not departed.
        if (PersonRec* p = member("Marketing", "Field & Events", 3)) p->termination_t = 12;
        if (PersonRec* p = member("Engineering", "Mobile", 5)) p->termination_t = 26;
        // Started twelve days ago: a Salesforce seat not used yet is inside the grace period.
        if (PersonRec* p = member("Sales", "Sales Development", 5)) p->start_t = -12;

        for (int copy = 0; copy < scale; ++copy) {
            for (const Departure& d : departures()) {
                if (!d.tag.empty() && copy > 0) continue;
                PersonRec& p = add_person(d.department, d.team, r);
                p.extra = true;
                p.status = std::string(d.status);
                int shift = copy == 0 ? 0 : r.range(-6, 6);
                int term = d.termination_t == k_no_day ? k_no_day : d.termination_t + shift;
                int end = d.end_t + shift;
                if (end >= -k_window_days - 2 && end <= -k_window_days + 2) {  // keep off the window edge
                    end = -k_window_days - 4;
                    if (term != k_no_day) term = end;
                }
                p.termination_t = term;
                p.end_t = end;
                p.departed = true;
                p.start_t = end - r.range(200, 1500);
                if (!d.tag.empty()) m_tagged[std::string(d.tag)] = static_cast<int>(m_w.people.size() - 1);
            }
            for (int h = 0; h < 2; ++h) {
                PersonRec& p = add_person(h == 0 ? "Sales" : "Engineering", h == 0 ? "Sales Development" : "Platform", r);
                p.extra = true;
                p.status = "PROVISIONED";
                p.start_t = h == 0 ? 8 : 15;
            }
        }
    }

    void mark_suffix(std::string_view dept, std::string_view team, int index, std::string_view suffix) {
        if (PersonRec* p = member(dept, team, index)) p->display_name += suffix;
    }

    // The index-th regular member of a team (not an added departure or hire).
    PersonRec* member(std::string_view dept, std::string_view team, int index) {
        int seen = 0;
        for (PersonRec& p : m_w.people) {
            if (p.extra || p.department != dept || p.team != team) continue;
            if (seen++ == index) return &p;
        }
        return nullptr;
    }

    // ---- tools ---------------------------------------------------------------------------
    void add_tool(const ToolSpec& s) {
        ToolRec t;
        t.name = std::string(s.name);
        t.vendor = std::string(s.vendor);
        t.label = std::string(s.label);
        t.app_name = std::string(s.app_name);
        t.capabilities = std::string(s.capabilities);
        t.owning_department = std::string(s.owning);
        t.intended = std::string(s.intended);
        t.it_review = std::string(s.review);
        t.price = s.price;
        t.seats = s.seats;
        t.interval = s.interval;
        t.target_util = s.target_util;
        t.audience = s.audience;
        m_owner_refs.emplace_back(s.business, s.technical);
        m_w.tools.push_back(std::move(t));
    }

    void tools() {
        for (const ToolSpec& s : tool_specs()) add_tool(s);
        const std::size_t builtin = m_w.tools.size();
        const int wanted = m_w.options.tools;
        if (wanted > static_cast<int>(builtin)) {
            std::set<std::string> pool_set;
            for (const ToolSpec& s : tool_specs()) {
                std::string_view caps = s.capabilities;
                while (!caps.empty()) {
                    auto pos = caps.find(';');
                    pool_set.insert(std::string(caps.substr(0, pos)));
                    caps = pos == std::string_view::npos ? std::string_view{} : caps.substr(pos + 1);
                }
            }
            const std::vector<std::string> pool(pool_set.begin(), pool_set.end());
            static const std::vector<std::string_view> k_depts = {"Marketing", "Sales", "Engineering", "Customer Support",
                                                                  "Product", "Design", "IT", "Finance", "HR", "Legal"};
            m_synthetic_names.reserve(static_cast<std::size_t>(wanted) - builtin);
            for (int k = static_cast<int>(builtin); k < wanted; ++k) {
                Rng r(seed({20, static_cast<std::uint64_t>(k)}));
                const int number = k - static_cast<int>(builtin) + 1;
                char name[32];
                std::snprintf(name, sizeof name, "Tool %04d", number);
                char vendor[32];
                std::snprintf(vendor, sizeof vendor, "Vendor %04d", (number + 3) / 4);
                std::set<std::string> caps;
                const int ncaps = r.range(2, 3);
                while (static_cast<int>(caps.size()) < ncaps) caps.insert(pool[r.index(pool.size())]);
                std::string cap_text;
                for (const auto& c : caps) cap_text += (cap_text.empty() ? "" : ";") + c;
                m_synthetic_names.push_back(name);
                m_synthetic_caps.push_back(cap_text);
                const std::string_view dept = k_depts[r.index(k_depts.size())];
                const std::string_view other = k_depts[r.index(k_depts.size())];
                ToolSpec s{};
                s.name = m_synthetic_names.back();
                s.vendor = "";
                s.label = m_synthetic_names.back();
                s.app_name = m_synthetic_names.back();
                s.capabilities = m_synthetic_caps.back();
                s.owning = dept;
                s.intended = dept;
                s.review = "approved";
                s.price = 12.0 * r.range(5, 200);
                s.seats = SeatExport::none;
                s.interval = r.range(8, 20);
                s.target_util = 0.6 + 0.3 * r.unit();
                s.audience = {{dept, "", 0.2 + 0.3 * r.unit()}, {other, "", 0.05 + 0.1 * r.unit()}};
                add_tool(s);
                ToolRec& t = m_w.tools.back();
                t.vendor = vendor;
                m_synthetic_owner.push_back(static_cast<int>(m_w.tools.size() - 1));
            }
        }
        // Renewals spread over the next twelve months; the planted ones sit where they must.
        for (std::size_t i = 0; i < m_w.tools.size(); ++i) {
            ToolRec& t = m_w.tools[i];
            Rng r(seed({21, hash_text(t.name)}));
            t.app_id = okta_id("0oa", seed({22, hash_text(t.name)}));
            for (char c : t.label.empty() ? t.name : t.label) {
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) t.app_slug += c;
                else if (c >= 'A' && c <= 'Z') t.app_slug += static_cast<char>(c - 'A' + 'a');
                else if (!t.app_slug.empty() && t.app_slug.back() != '_') t.app_slug += '_';
            }
            t.sign_on = r.chance(0.2) ? "OPENID_CONNECT" : "SAML_2_0";
            if (t.name == "Google Analytics 4") continue;  // free tier: no contract, no renewal
            t.renewal_t = 8 + static_cast<int>((37 * i + 11) % 355);
        }
        set_renewal("ZoomInfo", 44);
        set_renewal("Hootsuite", 214);
        // Shadow IT: apps people sign in to through Okta that the catalog does not know.
        add_shadow("Grammarly", "Grammarly Business", {{"Marketing", "Content & Brand", 0.6}, {"Marketing", "Product Marketing", 0.4}});
        add_shadow("Otter.ai", "Otter.ai", {{"Sales", "Enterprise Sales", 0.3}});
    }

    void set_renewal(std::string_view name, int t) {
        const int i = m_w.tool_index(name);
        if (i >= 0) m_w.tools[static_cast<std::size_t>(i)].renewal_t = t;
    }

    void add_shadow(std::string_view label, std::string_view app_name, std::vector<Audience> audience) {
        ToolRec t;
        t.name = std::string(app_name);
        t.label = std::string(label);
        t.app_name = std::string(app_name);
        t.app_id = okta_id("0oa", seed({23, hash_text(label)}));
        for (char c : label) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) t.app_slug += c;
            else if (c >= 'A' && c <= 'Z') t.app_slug += static_cast<char>(c - 'A' + 'a');
        }
        t.sign_on = "SAML_2_0";
        t.catalogued = false;
        t.interval = 9;
        t.audience = std::move(audience);
        m_w.tools.push_back(std::move(t));
    }

    // ---- owners --------------------------------------------------------------------------
    std::string owner_email(std::string_view ref) {
        if (ref.empty()) return {};
        const auto a = ref.find('/');
        const auto b = ref.rfind('/');
        const std::string_view dept = ref.substr(0, a);
        const std::string_view team = ref.substr(a + 1, b - a - 1);
        const int index = std::stoi(std::string(ref.substr(b + 1)));
        int seen = 0;
        for (const PersonRec& p : m_w.people) {
            if (p.extra || p.departed || p.termination_t != k_no_day || p.department != dept || p.team != team) continue;
            if (seen++ == index) return p.email;
        }
        return {};
    }

    void owners() {
        for (std::size_t i = 0; i < m_owner_refs.size(); ++i) {
            ToolRec& t = m_w.tools[i];
            const std::string b = owner_email(m_owner_refs[i].first);
            const std::string te = owner_email(m_owner_refs[i].second);
            if (!b.empty()) t.business.push_back(b);
            if (!te.empty()) t.technical.push_back(te);
        }
        for (std::size_t n = 0; n < m_synthetic_owner.size(); ++n) {
            ToolRec& t = m_w.tools[static_cast<std::size_t>(m_synthetic_owner[n])];
            Rng r(seed({24, n}));
            std::vector<std::string_view> teams;
            for (const TeamSpec& ts : team_specs()) {
                if (ts.department == t.owning_department) teams.push_back(ts.team);
            }
            const std::string ref = t.owning_department + "/" + std::string(teams[r.index(teams.size())]) + "/" +
                                    std::to_string(r.range(0, 2));
            t.business.push_back(owner_email(ref));
            t.technical.push_back(owner_email("IT/Business Systems/" + std::to_string(r.range(0, 3))));
        }
        // Planted ownership problems.
        if (ToolRec* t = tool("Marketo Engage")) t->business = {person("marketo_owner").email};
        if (ToolRec* t = tool("Semrush")) t->business.push_back("lena.park@" + std::string(k_agency));
        if (ToolRec* t = tool("Gong")) t->duplicate_business = owner_email("Marketing/Product Marketing/0");
    }

    ToolRec* tool(std::string_view name) {
        const int i = m_w.tool_index(name);
        return i < 0 ? nullptr : &m_w.tools[static_cast<std::size_t>(i)];
    }
    const PersonRec& person(const std::string& tag) { return m_w.people[static_cast<std::size_t>(m_tagged.at(tag))]; }

    // ---- who uses what -------------------------------------------------------------------
    static double share_for(const ToolRec& t, const PersonRec& p) {
        double share = 0.0;
        for (const Audience& a : t.audience) {
            const bool dept_ok = a.department == "*" || a.department == p.department;
            const bool team_ok = a.team.empty() || a.team == p.team;
            if (dept_ok && team_ok) share = std::max(share, a.share);
        }
        return share;
    }

    static double idle_rate(SeatExport s) {
        switch (s) {
            case SeatExport::slack:
            case SeatExport::m365: return 0.006;
            case SeatExport::zoom: return 0.02;
            case SeatExport::salesforce:
            case SeatExport::zendesk: return 0.03;
            case SeatExport::hubspot: return 0.04;
            case SeatExport::adobe: return 0.05;
            case SeatExport::none: break;
        }
        return 0.0;
    }

    void pairs() {
        for (std::size_t pi = 0; pi < m_w.people.size(); ++pi) {
            const PersonRec& p = m_w.people[pi];
            if (p.status == "PROVISIONED") continue;
            for (std::size_t ti = 0; ti < m_w.tools.size(); ++ti) {
                const ToolRec& t = m_w.tools[ti];
                if (t.label.empty() && t.seats == SeatExport::none) continue;
                const double share = share_for(t, p);
                if (share <= 0.0) continue;
                Rng r(seed({30, pi, ti}));
                if (!r.chance(share)) continue;
                PairRec pr;
                pr.person = static_cast<int>(pi);
                pr.tool = static_cast<int>(ti);
                const bool seat_tool = t.seats != SeatExport::none;
                if (seat_tool) {
                    const bool onboarding = t.seats == SeatExport::m365 || t.seats == SeatExport::slack;
                    int assigned = onboarding ? p.start_t : std::max(p.start_t, -r.range(20, 1100));
                    if (assigned >= -k_window_days - 2 && assigned <= -k_window_days + 2) assigned = -k_window_days - 4;
                    if (assigned < p.start_t) assigned = p.start_t;
                    pr.assigned_t = assigned;
                    pr.seat = !p.departed;
                }
                const double u = r.unit();
                if (p.departed) {
                    pr.pattern = Pattern::regular;
                } else if (seat_tool) {
                    const double idle = idle_rate(t.seats);
                    const bool old_enough = pr.assigned_t < -70;
                    if (old_enough && u < idle * 0.5) pr.pattern = Pattern::lapsed;
                    else if (old_enough && u < idle) pr.pattern = Pattern::never;
                    else if (old_enough && u < idle + 0.03) pr.pattern = Pattern::cooling;
                } else if (u < 0.05) {
                    pr.pattern = Pattern::lapsed;
                } else if (u < 0.10) {
                    pr.pattern = Pattern::cooling;
                }
                m_w.pairs.push_back(std::move(pr));
            }
        }
        plant_pairs();
    }

    PairRec& pair_for(int person_index, std::string_view tool_name) {
        const int ti = m_w.tool_index(tool_name);
        for (PairRec& pr : m_w.pairs) {
            if (pr.person == person_index && pr.tool == ti) return pr;
        }
        PairRec pr;
        pr.person = person_index;
        pr.tool = ti;
        m_w.pairs.push_back(pr);
        return m_w.pairs.back();
    }

    int index_of(const PersonRec* p) const { return p == nullptr ? -1 : static_cast<int>(p - m_w.people.data()); }

    void plant_pairs() {
        // Departed but still holding seats.
        const int sf_left = m_tagged.at("sf_terminated");
        for (PairRec& pr : m_w.pairs) {
            if (pr.person == sf_left && m_w.tools[static_cast<std::size_t>(pr.tool)].seats != SeatExport::none) pr.seat = true;
        }
        {
            PairRec& pr = pair_for(sf_left, "Salesforce");
            pr.seat = true;
            pr.pattern = Pattern::regular;
            if (pr.assigned_t == k_no_day) pr.assigned_t = -400;
        }
        {
            PairRec& pr = pair_for(m_tagged.at("slack_departed"), "Slack");
            pr.seat = true;
            pr.pattern = Pattern::regular;
            if (pr.assigned_t == k_no_day) pr.assigned_t = m_w.people[static_cast<std::size_t>(pr.person)].start_t;
        }
        // Idle seats with a story: a designer who moved to Figma-only work in August, and a
        // finance analyst given a Salesforce licence in the spring who never signed in.
        if (const int pi = index_of(member("Design", "Brand Design", 2)); pi >= 0) {
            PairRec& pr = pair_for(pi, "Adobe Creative Cloud");
            pr.seat = true;
            pr.pattern = Pattern::lapsed;
            pr.forced_stop_t = -73;
            pr.assigned_t = -640;
        }
        if (const int pi = index_of(member("Finance", "FP&A", 1)); pi >= 0) {
            PairRec& pr = pair_for(pi, "Salesforce");
            pr.seat = true;
            pr.pattern = Pattern::never;
            pr.assigned_t = -210;
        }
        // The new hire: seat assigned on day one, not used yet.
        if (const int pi = index_of(member("Sales", "Sales Development", 5)); pi >= 0) {
            PairRec& pr = pair_for(pi, "Salesforce");
            pr.seat = true;
            pr.pattern = Pattern::never;
            pr.assigned_t = -12;
            for (PairRec& other : m_w.pairs) {
                if (other.person == pi && other.assigned_t != k_no_day) other.assigned_t = -12;
                if (other.person == pi && other.pattern != Pattern::regular && &other != &pr) other.pattern = Pattern::regular;
            }
        }
        // Every shadow app has at least one steady user.
        for (std::size_t ti = 0; ti < m_w.tools.size(); ++ti) {
            const ToolRec& t = m_w.tools[ti];
            if (t.catalogued || t.audience.empty()) continue;
            const int pi = index_of(member(t.audience.front().department, t.audience.front().team, 0));
            if (pi >= 0) pair_for(pi, t.name).pattern = Pattern::regular;
        }
        std::sort(m_w.pairs.begin(), m_w.pairs.end(), [](const PairRec& a, const PairRec& b) {
            return a.person != b.person ? a.person < b.person : a.tool < b.tool;
        });
    }

    // ---- sign-in schedule ----------------------------------------------------------------
    void simulate() {
        const int days = m_w.options.days;
        const double activity = m_w.options.activity;
        for (PairRec& pr : m_w.pairs) {
            const PersonRec& p = m_w.people[static_cast<std::size_t>(pr.person)];
            const ToolRec& t = m_w.tools[static_cast<std::size_t>(pr.tool)];
            if (pr.pattern == Pattern::never || t.label.empty()) continue;
            Rng r(seed({40, static_cast<std::uint64_t>(pr.person), static_cast<std::uint64_t>(pr.tool)}));
            const int first = std::max(-days, p.start_t);
            int stop = std::min(-1, p.end_t - 1);
            if (pr.pattern == Pattern::cooling) stop = std::min(stop, -r.range(38, 55));
            if (pr.pattern == Pattern::lapsed) stop = std::min(stop, -r.range(62, 140));
            if (pr.forced_stop_t != k_no_day) stop = pr.forced_stop_t;
            if (stop < first) continue;
            // A person's own cadence. Okta logs one SSO event per app session, not per use, and
            // sessions last days to weeks. Activity counts come from the events actually
            // generated, so a steady user who happens to miss the window is simply not active.
            const double jitter = 0.85 + 0.15 * r.unit();
            const double cadence = has_activity_column(t.seats) ? std::max(t.interval * 1.6, 50.0) * jitter
                                                                : std::clamp(t.interval * 1.6, 22.0, 28.0) * jitter;
            // Someone who joined during the log signs in within their first days.
            const double lead = p.start_t >= -days ? 2.0 : cadence;
            double at = first + r.unit() * std::min(lead, static_cast<double>(stop - first + 1)) / activity;
            while (at < stop + 1) {
                int d = static_cast<int>(std::floor(at));
                const int wd = weekday(m_w.as_of_date + std::chrono::days{d});
                if ((wd == 0 || wd == 6) && r.chance(0.85)) {
                    const int forward = d + (wd == 6 ? 2 : 1);
                    const int back = d - (wd == 6 ? 1 : 2);
                    d = forward <= stop ? forward : (back >= first ? back : d);
                }
                d = avoid_window_edge(d, stop);
                if (d >= first && d <= stop) pr.days.push_back(static_cast<std::int16_t>(d));
                at += std::max(0.02, (cadence + r.range(-3, 3)) / activity);
            }
            // Someone who stopped using a tool stopped on a definite day: the last sign-in is
            // that day, so cooling users stay out of idle-seat and lapsed ones are in it.
            if (pr.pattern != Pattern::regular && (pr.days.empty() || pr.days.back() != stop)) {
                pr.days.push_back(static_cast<std::int16_t>(stop));
            }
            std::sort(pr.days.begin(), pr.days.end());
            m_w.sso_events += pr.days.size();
        }
    }

    // ---- seats, activity columns, contracts ----------------------------------------------
    static bool has_activity_column(SeatExport s) {
        return s == SeatExport::salesforce || s == SeatExport::hubspot || s == SeatExport::zoom ||
               s == SeatExport::zendesk || s == SeatExport::m365;
    }

    void seats_and_contracts() {
        const bool log = m_w.options.okta_log;
        for (PairRec& pr : m_w.pairs) {
            const ToolRec& t = m_w.tools[static_cast<std::size_t>(pr.tool)];
            if (!pr.seat || !has_activity_column(t.seats)) continue;
            Rng r(seed({50, static_cast<std::uint64_t>(pr.person), static_cast<std::uint64_t>(pr.tool)}));
            const PersonRec& p = m_w.people[static_cast<std::size_t>(pr.person)];
            const int last_sso = pr.days.empty() ? k_no_day : pr.days.back();
            switch (pr.pattern) {
                case Pattern::regular:
                    pr.export_last_t = p.departed ? (last_sso != k_no_day ? last_sso : p.end_t - 1)
                                                  : std::max(last_sso, -r.range(1, 4));
                    break;
                case Pattern::cooling: pr.export_last_t = std::max(last_sso, -r.range(38, 55)); break;
                case Pattern::lapsed: pr.export_last_t = std::max(last_sso, -r.range(62, 150)); break;
                case Pattern::never: pr.export_last_t = k_no_day; break;
            }
            if (pr.export_last_t != k_no_day && pr.export_last_t < pr.assigned_t) pr.export_last_t = pr.assigned_t;
            pr.export_last_sec = r.range(6 * 3600, 22 * 3600);
        }
        m_w.outside_seats.push_back({m_w.tool_index("Adobe Creative Cloud"), "studio@" + std::string(k_agency), "Studio",
                                     "Brightpixel", -300});
        m_w.outside_seats.push_back({m_w.tool_index("Slack"), "j.okoro@" + std::string(k_agency), "Jide", "Okoro", -150});

        for (const PairRec& pr : m_w.pairs) {
            ToolRec& t = m_w.tools[static_cast<std::size_t>(pr.tool)];
            const bool any = !pr.days.empty();
            const bool in_window = any && pr.days.back() > -k_window_days;
            if (any) ++t.users_total;
            if (in_window) ++t.active_users;
            if (pr.seat) {
                ++t.assigned;
                const bool export_active = pr.export_last_t != k_no_day && pr.export_last_t > -k_window_days;
                if ((log && in_window) || export_active) ++t.active_seats;
            }
        }
        for (const SeatRow& s : m_w.outside_seats) ++m_w.tools[static_cast<std::size_t>(s.tool)].assigned;

        std::size_t headcount = 0;
        for (const PersonRec& p : m_w.people) headcount += (!p.departed && p.status != "PROVISIONED") ? 1 : 0;
        for (ToolRec& t : m_w.tools) {
            if (!t.catalogued) continue;
            if (t.seats != SeatExport::none) {
                t.contract = t.assigned + std::max(1L, std::lround(t.assigned * 0.05));
            } else if (t.label.empty()) {
                if (t.price >= 0) t.contract = std::lround(static_cast<double>(headcount) * 1.04 + 0.5);
            } else if (t.target_util > 0 && t.active_users > 0) {
                t.contract = std::max(1L, static_cast<long>(std::ceil(t.active_users / t.target_util)));
            }
        }
        if (ToolRec* t = tool("HubSpot Marketing Hub")) t->contract = std::max(1, t->assigned - 6);
        for (std::string_view name : {"ZoomInfo", "Hootsuite"}) {
            if (ToolRec* t = tool(name)) t->contract = std::max(10L, static_cast<long>(std::ceil(t->active_users / 0.3)));
        }
    }

    // ---- the manifest --------------------------------------------------------------------
    static std::string pct(double v) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.0f%%", v * 100.0);
        return buf;
    }

    std::string last_use_text(const PairRec& pr) const {
        int last = pr.days.empty() ? k_no_day : pr.days.back();
        if (pr.export_last_t != k_no_day) last = std::max(last, pr.export_last_t);
        if (last == k_no_day) return "never used";
        return "last used " + m_w.date(last) + " (" + std::to_string(-last) + " days before as_of)";
    }

    void manifest() {
        auto add = [&](std::string rule, std::string sev, std::string subject, std::string why) {
            m_w.planted.push_back({std::move(rule), std::move(sev), std::move(subject), std::move(why)});
        };
        const bool log = m_w.options.okta_log;
        const PersonRec& marketo_owner = person("marketo_owner");
        add("no-owner", "high", "tool Typeform", "catalog row has no business_owner and no technical_owner");
        add("integration-without-owner", "medium", "integration Typeform > HubSpot Marketing Hub",
            "Typeform (no owners at all) feeds leads and form responses into HubSpot");
        add("owner-departed", "high", "owner Marketo Engage business " + marketo_owner.email,
            marketo_owner.display_name + " is DEPROVISIONED, termination_date " + m_w.date(marketo_owner.termination_t) +
                "; reported here rather than as no-business-owner, because an owner is still listed");
        if (const ToolRec* m = find("Marketo Engage"); m && log) {
            add("owner-outside-using-department", "low", "tool Marketo Engage",
                "side effect of the departed owner: the only active owner is in IT, while " +
                    std::to_string(users_in(*m, "Marketing")) + " of " + std::to_string(m->active_users) +
                    " active users are in Marketing");
        }
        add("no-business-owner", "medium", "tool Atlassian Statuspage", "catalog names only a technical owner");
        add("no-technical-owner", "medium", "tool Sprout Social", "catalog names only a business owner");
        add("owner-unknown", "medium", "owner Semrush business lena.park@" + std::string(k_agency),
            "second business owner is the SEO agency's account manager, not in the directory");
        if (const ToolRec* g = find("Gong")) {
            add("conflicting-owners", "medium", "tool Gong",
                "catalog lists Gong twice: business owner " + g->business.front() + " (Sales) and " +
                    g->duplicate_business + " (Marketing)");
        }
        if (const ToolRec* c = find("Calendly"); c && log) {
            add("owner-outside-using-department", "low", "tool Calendly",
                "owned by Marketing and IT, but " + std::to_string(users_in(*c, "Sales")) + " of " +
                    std::to_string(c->active_users) + " active users are in Sales");
        }
        if (const ToolRec* c = find("Canva"); c && log) {
            add("used-outside-intended", "medium", "tool Canva",
                "intended for Design only; " + std::to_string(users_in(*c, "Design")) + " of " +
                    std::to_string(c->active_users) + " active users are in Design");
            add("owner-outside-using-department", "low", "tool Canva",
                "side effect of the same story: " + std::to_string(users_in(*c, "Marketing")) + " of " +
                    std::to_string(c->active_users) + " active users are in Marketing, owners are Design and IT");
        }
        if (const ToolRec* h = find("HubSpot Marketing Hub")) {
            add("over-contract", "high", "tool HubSpot Marketing Hub",
                std::to_string(h->assigned) + " seats in the export, contract_seats " + std::to_string(h->contract));
        }
        for (std::string_view name : {"Hootsuite", "ZoomInfo"}) {
            const ToolRec* t = find(name);
            if (t == nullptr || !log) continue;
            const std::string util = pct(static_cast<double>(t->active_users) / static_cast<double>(t->contract));
            // A renewal within the horizon is the more urgent finding; low-utilisation stays quiet then.
            if (t->renewal_t > 90) {
                add("low-utilisation", "medium", "tool " + t->name,
                    std::to_string(t->active_users) + " active users of " + std::to_string(t->contract) +
                        " contract seats (" + util + "), renewal " + m_w.date(t->renewal_t));
            } else {
                add("renewal-low-utilisation", "high", "tool " + t->name,
                    "renews " + m_w.date(t->renewal_t) + " (in " + std::to_string(t->renewal_t) + " days) at " + util +
                        " utilisation");
            }
        }
        if (log) {
            add("capability-overlap", "medium", "pair Looker + Tableau",
                "both do bi;dashboards, owned by Marketing and IT; " + std::to_string(shared("Looker", "Tableau")) +
                    " people active on both");
            add("capability-overlap", "medium", "pair Confluence + Notion",
                "both do wiki;documentation, owned by Engineering and Marketing; " +
                    std::to_string(shared("Confluence", "Notion")) + " people active on both");
            for (const ToolRec& t : m_w.tools) {
                if (t.catalogued) continue;
                add("shadow-it", "high", "app " + t.label,
                    "Okta app '" + t.app_name + "' has " + std::to_string(t.active_users) +
                        " active users and no catalog row");
            }
        }
        add("customer-data-unreviewed", "high", "tool Mailchimp",
            "Marketing-owned, it_review pending, receives contacts and email addresses from HubSpot "
            "(the more specific rule: unreviewed-integrated-tool leaves it to this one)");
        add("unreviewed-integrated-tool", "medium", "tool Outreach", "it_review pending, feeds activities to Salesforce");

        // Seat-level findings, listed from the data itself.
        for (const PairRec& pr : m_w.pairs) {
            if (!pr.seat) continue;
            const PersonRec& p = m_w.people[static_cast<std::size_t>(pr.person)];
            const ToolRec& t = m_w.tools[static_cast<std::size_t>(pr.tool)];
            if (p.departed) {
                std::string why = p.display_name + " is " + p.status;
                if (p.termination_t != k_no_day) why += ", termination_date " + m_w.date(p.termination_t);
                add("departed-seat", "high", "seat " + t.name + " " + p.email, why + "; still in the " + t.name + " export");
                continue;
            }
            if (!is_idle(pr, t)) continue;
            const bool story = (t.name == "Adobe Creative Cloud" && pr.forced_stop_t != k_no_day) ||
                               (t.name == "Salesforce" && pr.assigned_t == -210);
            auto& list = story ? m_w.planted : m_w.expected;
            list.push_back({"idle-seat", "medium", "seat " + t.name + " " + p.email,
                            last_use_text(pr) + ", seat assigned " +
                                (pr.assigned_t == k_no_day ? std::string("(date not in export)") : m_w.date(pr.assigned_t))});
        }
        for (const SeatRow& s : m_w.outside_seats) {
            add("unknown-seat-holder", "medium", "seat " + m_w.tools[static_cast<std::size_t>(s.tool)].name + " " + s.email,
                "agency account, not in the directory");
        }
    }

    bool is_idle(const PairRec& pr, const ToolRec& t) const {
        const bool tracked = (m_w.options.okta_log && !t.label.empty()) || has_activity_column(t.seats);
        if (!tracked) return false;
        int last = (m_w.options.okta_log && !pr.days.empty()) ? pr.days.back() : k_no_day;
        if (pr.export_last_t != k_no_day) last = std::max(last, pr.export_last_t);
        if (last != k_no_day) return -last > k_idle_days;
        const bool assigned_known = pr.assigned_t != k_no_day && t.seats != SeatExport::adobe && t.seats != SeatExport::slack &&
                                    t.seats != SeatExport::hubspot;
        return !assigned_known || -pr.assigned_t > k_grace_days;
    }

    const ToolRec* find(std::string_view name) const {
        const int i = m_w.tool_index(name);
        return i < 0 ? nullptr : &m_w.tools[static_cast<std::size_t>(i)];
    }

    int users_in(const ToolRec& t, std::string_view department) const {
        const int ti = static_cast<int>(&t - m_w.tools.data());
        int n = 0;
        for (const PairRec& pr : m_w.pairs) {
            if (pr.tool == ti && !pr.days.empty() && pr.days.back() > -k_window_days &&
                m_w.people[static_cast<std::size_t>(pr.person)].department == department) {
                ++n;
            }
        }
        return n;
    }

    int shared(std::string_view a, std::string_view b) const {
        const int ta = m_w.tool_index(a);
        const int tb = m_w.tool_index(b);
        std::set<int> in_a;
        int n = 0;
        for (const PairRec& pr : m_w.pairs) {
            if (pr.tool == ta && !pr.days.empty() && pr.days.back() > -k_window_days) in_a.insert(pr.person);
        }
        for (const PairRec& pr : m_w.pairs) {
            if (pr.tool == tb && !pr.days.empty() && pr.days.back() > -k_window_days && in_a.count(pr.person) != 0) ++n;
        }
        return n;
    }

    World m_w;
    std::set<std::string> m_emails;
    std::map<std::string, int> m_tagged;
    std::vector<std::pair<std::string_view, std::string_view>> m_owner_refs;
    std::vector<std::string> m_synthetic_names;
    std::vector<std::string> m_synthetic_caps;
    std::vector<int> m_synthetic_owner;
};

}  // namespace

int World::tool_index(std::string_view name) const {
    for (std::size_t i = 0; i < tools.size(); ++i) {
        if (tools[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

World build_world(const SampleOptions& options) { return Builder(options).run(); }

}  // namespace stackaudit::sample
