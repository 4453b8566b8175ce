// Computing subjects and their fact frames by walking the audit graph. Each tool frame and
// each person frame is computed once and shared by every subject that binds it.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <deque>
#include <iterator>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "stackaudit/core/parallel.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/graph/graph.hpp"
#include "stackaudit/graph/graph_impl.hpp"
#include "people.hpp"

namespace stackaudit::graph {

namespace {

constexpr std::string_view k_unknown_department = "(unknown)";

// Fills a frame in catalog order; the name check keeps computation and catalog aligned.
class FrameWriter {
public:
    explicit FrameWriter(const FrameType& type) : m_type(type) { m_values.reserve(type.facts.size()); }

    void set(std::string_view name, Value value) {
        assert(m_values.size() < m_type.facts.size() && m_type.facts[m_values.size()].name == name);
        static_cast<void>(name);
        m_values.push_back(std::move(value));
    }

    [[nodiscard]] std::vector<Value> done() {
        assert(m_values.size() == m_type.facts.size());
        return std::move(m_values);
    }

private:
    const FrameType& m_type;
    std::vector<Value> m_values;
};

template <class T>
Value optional_value(const std::optional<T>& v) {
    if (!v) return Value{};
    return Value(*v);
}

Value sorted_strings(std::vector<std::string> items) {
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    return Value::strings(items);
}

void push_unique(std::vector<std::string>& list, const std::string& item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

double share(std::size_t part, std::size_t whole) {
    return static_cast<double>(part) / static_cast<double>(whole);
}

// Counts per department, most first, then by name. Blank departments are left out.
// The views point into vertex names, which outlive the ranking; only distinct departments are
// counted, so a tool used by 100,000 people costs no string copies.
std::vector<std::pair<std::string_view, std::size_t>> rank_departments(const std::vector<std::string_view>& departments) {
    std::map<std::string_view, std::size_t> counts;
    for (std::string_view d : departments)
        if (!d.empty()) ++counts[d];
    std::vector<std::pair<std::string_view, std::size_t>> ranked(counts.begin(), counts.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return ranked;
}

Value ranked_names(const std::vector<std::pair<std::string_view, std::size_t>>& ranked) {
    Value::List list;
    list.reserve(ranked.size());
    for (const auto& [name, count] : ranked) list.emplace_back(name);
    return Value(std::move(list));
}

// What later subjects need to know about a tool once its frame is computed.
struct ToolInfo {
    const std::vector<Value>* frame = nullptr;
    Vertex vertex = 0;
    std::string lower_name;
    std::vector<Vertex> active_people;           // each once, in no particular order
    std::vector<std::string> owners;             // business then technical, order kept, no repeats
    std::vector<std::string> business_owners;    // order kept
    std::vector<std::string> active_owners;      // owners who are known and not departed, in `owners` order
    std::optional<double> cost_per_seat;
    std::optional<double> annual_cost;
};

// A person's SSO use of the tool being computed.
struct Use {
    Timestamp last_seen{};
    std::uint64_t events_in_window = 0;
};

// What one thread makes: frames (subjects point at them, so they never move), subjects by kind,
// the tools it computed, and its scratch.
struct Sink {
    std::deque<std::vector<Value>> storage;
    std::vector<std::vector<Subject>> by_kind;
    std::vector<ToolInfo> tools;
    std::vector<Use> use;     // per vertex: SSO use of the tool add_tool is on
    std::vector<char> in_use; // per vertex: `use` holds this tool's figures
    std::vector<char> active; // per vertex: active on the tool add_tool is on
};

// Below these a part is not worth a thread.
constexpr std::size_t k_min_people_per_part = 8192;
constexpr std::size_t k_min_edges_per_part = 8192;

class SubjectBuilder {
public:
    SubjectBuilder(const AuditGraph::Impl& impl, const Dataset& data)
        : m_g(impl.g), m_data(data), m_catalog(fact_catalog()), m_as_of_date(to_date(data.as_of)),
          m_window_start(data.as_of - std::chrono::days(data.window_days)), m_person_type(frame_type("person")),
          m_tool_type(frame_type("tool")), m_seat_type(frame_type("seat")), m_owner_type(frame_type("owner")),
          m_tool_kind(kind_index("tool")), m_seat_kind(kind_index("seat")), m_owner_kind(kind_index("owner")) {}

    SubjectSet run(unsigned threads) {
        read_sources();
        classify_people();
        const std::size_t n = boost::num_vertices(m_g);
        m_tool_slot.assign(n, k_no_record);
        m_person_frame.assign(n, nullptr);

        // Every person's frame first, so the tool parts below only read them.
        std::vector<Vertex> people;
        for (auto v : boost::make_iterator_range(boost::vertices(m_g)))
            if (m_g[v].kind == VertexKind::person) people.push_back(v);
        std::vector<Sink> person_sinks(part_count(people.size(), k_min_people_per_part, threads));
        run_parts(person_sinks.size(), [&](std::size_t i) {
            const PartRange range = part_range(people.size(), person_sinks.size(), i);
            for (std::size_t k = range.begin; k < range.end; ++k) m_person_frame[people[k]] = person_frame(people[k], person_sinks[i]);
        });

        // Tools in the order of their subjects' keys ("seat:<tool>:..." sorts by "<tool>:"), and each
        // tool's seats and owners by email, so the subjects come out sorted and make_keys_unique
        // need not sort hundreds of thousands of them again. Contiguous runs of tools, of about equal
        // edge counts, go to the threads; their subjects are joined in tool order.
        std::vector<std::pair<std::string, Vertex>> tools;
        for (auto v : boost::make_iterator_range(boost::vertices(m_g)))
            if (m_g[v].kind == VertexKind::tool) tools.emplace_back(to_lower(m_g[v].name) + ':', v);
        std::sort(tools.begin(), tools.end());
        std::size_t edges = 0;
        for (const auto& tool : tools) edges += boost::in_degree(tool.second, m_g) + 1;
        std::vector<Sink> tool_sinks(part_count(edges, k_min_edges_per_part, threads));
        std::vector<std::size_t> cuts{0};
        for (std::size_t i = 0, seen = 0; i < tools.size() && cuts.size() < tool_sinks.size(); ++i) {
            seen += boost::in_degree(tools[i].second, m_g) + 1;
            if (seen * tool_sinks.size() >= edges * cuts.size()) cuts.push_back(i + 1);
        }
        while (cuts.size() <= tool_sinks.size()) cuts.push_back(tools.size());
        run_parts(tool_sinks.size(), [&](std::size_t i) {
            Sink& sink = tool_sinks[i];
            sink.by_kind.resize(m_catalog.subject_kinds.size());
            sink.use.assign(n, Use{});
            sink.in_use.assign(n, 0);
            sink.active.assign(n, 0);
            for (std::size_t k = cuts[i]; k < cuts[i + 1]; ++k) add_tool(tools[k].second, sink);
            sink.use = {};
            sink.in_use = {};
            sink.active = {};
        });
        for (Sink& sink : tool_sinks) {
            for (ToolInfo& info : sink.tools) {
                m_tool_slot[info.vertex] = m_tools.size();
                m_tools.push_back(std::move(info));
            }
        }

        Sink& rest = m_rest;
        rest.by_kind.resize(m_catalog.subject_kinds.size());
        add_pairs(rest);
        add_integrations(rest);
        add_apps(rest);

        std::vector<Sink*> sinks;
        for (Sink& sink : tool_sinks) sinks.push_back(&sink);
        sinks.push_back(&rest);
        std::size_t total = 0;
        for (const Sink* sink : sinks)
            for (const auto& subjects : sink->by_kind) total += subjects.size();
        m_out.subjects.reserve(total);
        for (std::size_t kind = 0; kind < m_catalog.subject_kinds.size(); ++kind) {
            std::vector<Subject> subjects;
            for (Sink* sink : sinks) {
                auto& part = sink->by_kind[kind];
                if (subjects.empty()) subjects = std::move(part);
                else std::move(part.begin(), part.end(), std::back_inserter(subjects));
            }
            make_keys_unique(subjects);
            std::move(subjects.begin(), subjects.end(), std::back_inserter(m_out.subjects));
        }
        // Frames stay where they were made (subjects point at them); a moved deque keeps its elements.
        for (Sink& sink : person_sinks) m_out.storage.push_back(std::move(sink.storage));
        for (Sink* sink : sinks) m_out.storage.push_back(std::move(sink->storage));
        return std::move(m_out);
    }

private:
    const FrameType& frame_type(std::string_view name) const { return *m_catalog.frame(name); }

    std::size_t kind_index(std::string_view name) const {
        for (std::size_t i = 0; i < m_catalog.subject_kinds.size(); ++i)
            if (m_catalog.subject_kinds[i].name == name) return i;
        assert(false);
        return 0;
    }

    static const std::vector<Value>* store(Sink& sink, std::vector<Value> values) {
        sink.storage.push_back(std::move(values));
        return &sink.storage.back();
    }

    void read_sources() {
        for (const SourceReport& source : m_data.sources) {
            if (!source.ok) continue;
            if (source.sso_usage) m_okta_ok = true;
            for (const auto& tool : source.seat_tools) m_seat_sources.insert(to_lower(trim(tool)));
        }
    }

    // Department (through member_of and part_of) and departure of every person vertex.
    void classify_people() {
        const std::size_t n = boost::num_vertices(m_g);
        m_department.assign(n, std::string_view{});
        m_team.assign(n, std::string_view{});
        m_departed.assign(n, 0);
        for (auto v : boost::make_iterator_range(boost::vertices(m_g))) {
            if (m_g[v].kind != VertexKind::person) continue;
            if (!m_g[v].known) {
                m_department[v] = k_unknown_department;
                continue;
            }
            for (auto e : boost::make_iterator_range(boost::out_edges(v, m_g))) {
                if (m_g[e].kind != EdgeKind::member_of) continue;
                Vertex group = boost::target(e, m_g);
                if (m_g[group].kind == VertexKind::department) {
                    m_department[v] = m_g[group].name;
                    continue;
                }
                m_team[v] = m_g[group].name;
                for (auto up : boost::make_iterator_range(boost::out_edges(group, m_g)))
                    if (m_g[up].kind == EdgeKind::part_of) m_department[v] = m_g[boost::target(up, m_g)].name;
            }
            const Person& person = m_data.people[m_g[v].record];
            m_departed[v] = person_departed(person, m_as_of_date);
        }
    }

    bool active_owner(Vertex p) const { return m_g[p].known && !m_departed[p]; }

    const std::vector<Value>* person_frame(Vertex v, Sink& sink) const {
        FrameWriter w(m_person_type);
        const VertexProps& props = m_g[v];
        const Person* person = props.known ? &m_data.people[props.record] : nullptr;
        w.set("known", props.known);
        w.set("email", props.name);
        w.set("name", person ? person->display_name : std::string());
        w.set("user_id", person ? person->user_id : std::string());
        w.set("department", m_department[v]);
        w.set("team", m_team[v]);
        std::string status;
        if (person)
            status = person->status == PersonStatus::other ? person->status_text : std::string(to_string(person->status));
        w.set("status", status);
        w.set("departed", m_departed[v] != 0);
        std::optional<Date> terminated = person ? person->termination_date : std::nullopt;
        w.set("termination_date", optional_value(terminated));
        w.set("days_since_departure",
              terminated ? Value(days_between(*terminated, m_as_of_date)) : Value{});
        return store(sink, w.done());
    }

    bool export_active(const Seat& seat) const {
        return seat.last_activity && *seat.last_activity >= m_window_start;
    }


    void add_tool(Vertex t, Sink& sink) const {
        const VertexProps& props = m_g[t];
        const Tool* tool = props.known ? &m_data.tools[props.record] : nullptr;
        ToolInfo info;
        info.vertex = t;
        info.lower_name = to_lower(props.name);

        std::vector<Vertex> business, technical;
        std::vector<Edge> seat_edges;
        std::vector<Vertex> users;  // this tool's SSO users; their figures are in sink.use
        std::vector<Vertex> active;  // marked in sink.active until this tool is done
        const auto mark_active = [&](Vertex p) {
            if (sink.active[p]) return;
            sink.active[p] = 1;
            active.push_back(p);
        };
        std::vector<std::size_t> integration_rows;
        std::vector<std::string> fed_by, feeds_to, data_categories, capabilities;
        bool activity_column = false;

        for (auto e : boost::make_iterator_range(boost::in_edges(t, m_g))) {
            const EdgeProps& edge = m_g[e];
            Vertex from = boost::source(e, m_g);
            switch (edge.kind) {
            case EdgeKind::business_owner: business.push_back(from); break;
            case EdgeKind::technical_owner: technical.push_back(from); break;
            case EdgeKind::holds_seat: {
                seat_edges.push_back(e);
                const Seat& seat = m_data.seats[edge.record];
                activity_column = activity_column || seat.has_activity_column;
                if (export_active(seat)) mark_active(from);
                break;
            }
            case EdgeKind::uses: {
                if (!sink.in_use[from]) {
                    sink.in_use[from] = 1;
                    sink.use[from] = Use{};
                    users.push_back(from);
                }
                Use& use = sink.use[from];
                use.last_seen = std::max(use.last_seen, edge.last_seen);
                use.events_in_window += edge.events_in_window;
                if (edge.events_in_window > 0) mark_active(from);
                break;
            }
            case EdgeKind::feeds:
                integration_rows.push_back(edge.record);
                fed_by.push_back(m_g[from].name);
                break;
            default: break;
            }
        }
        for (auto e : boost::make_iterator_range(boost::out_edges(t, m_g))) {
            const EdgeProps& edge = m_g[e];
            if (edge.kind == EdgeKind::feeds) {
                integration_rows.push_back(edge.record);
                feeds_to.push_back(m_g[boost::target(e, m_g)].name);
            } else if (edge.kind == EdgeKind::provides) {
                capabilities.push_back(m_g[boost::target(e, m_g)].name);
            }
        }
        std::sort(integration_rows.begin(), integration_rows.end());
        integration_rows.erase(std::unique(integration_rows.begin(), integration_rows.end()), integration_rows.end());
        for (std::size_t row : integration_rows)
            for (const std::string& category : m_data.integrations[row].data)
                if (!trim(category).empty()) data_categories.push_back(to_lower(trim(category)));

        // Owners.
        std::vector<std::string> departed_owners, unknown_owners, owner_departments, business_departments;
        std::int64_t active_business = 0, active_technical = 0;
        auto visit_owners = [&](const std::vector<Vertex>& owners, bool is_business) {
            for (Vertex p : owners) {
                const std::string& email = m_g[p].name;
                push_unique(info.owners, email);
                if (is_business) info.business_owners.push_back(email);
                if (!m_g[p].known) unknown_owners.push_back(email);
                else if (m_departed[p]) departed_owners.push_back(email);
                if (!active_owner(p)) continue;
                push_unique(info.active_owners, email);
                (is_business ? active_business : active_technical) += 1;
                if (!m_department[p].empty()) {
                    owner_departments.emplace_back(m_department[p]);
                    if (is_business) business_departments.emplace_back(m_department[p]);
                }
            }
        };
        visit_owners(business, true);
        visit_owners(technical, false);
        std::vector<std::string> business_emails, technical_emails;
        for (Vertex p : business) business_emails.push_back(m_g[p].name);
        for (Vertex p : technical) technical_emails.push_back(m_g[p].name);

        // Seats.
        const bool has_seat_data = m_seat_sources.contains(info.lower_name);
        const bool usage_tracked = (tool && !trim(tool->sso_app_label).empty() && m_okta_ok) || activity_column;
        std::int64_t assigned = 0, active_seats = 0, departed_seats = 0, unknown_seats = 0;
        auto is_active = [&](Vertex p) { return sink.active[p] != 0; };
        if (has_seat_data) {
            for (Edge e : seat_edges) {
                Vertex p = boost::source(e, m_g);
                ++assigned;
                if (is_active(p)) ++active_seats;
                if (!m_g[p].known) ++unknown_seats;
                else if (m_departed[p]) ++departed_seats;
            }
        }
        const std::int64_t idle_seats = usage_tracked ? assigned - active_seats : 0;

        // Use by department.
        std::vector<std::string_view> active_departments;
        active_departments.reserve(active.size());
        for (Vertex p : active) active_departments.push_back(m_department[p]);
        const auto ranked = rank_departments(active_departments);

        // Flag and number rather than std::optional: g++ 12 -O2 misreports it as maybe-uninitialized.
        // The catalog's contract size wins; vendor-reported purchased seats fill the gap.
        bool has_contract = tool && tool->contract_seats.has_value();
        std::int64_t contract = has_contract ? *tool->contract_seats : 0;
        if (!has_contract) {
            for (const LicensePool& pool : m_data.licenses) {
                if (!pool.purchased || to_lower(trim(pool.tool)) != info.lower_name) continue;
                has_contract = true;
                contract += *pool.purchased;
            }
        }
        std::optional<double> cost = tool ? tool->annual_cost_per_seat : std::nullopt;
        info.cost_per_seat = cost;
        if (cost && has_contract) info.annual_cost = *cost * static_cast<double>(contract);
        else if (cost && has_seat_data) info.annual_cost = *cost * static_cast<double>(assigned);

        FrameWriter w(m_tool_type);
        w.set("name", props.name);
        w.set("vendor", tool ? tool->vendor : std::string());
        w.set("sso_app_label", tool ? std::string(trim(tool->sso_app_label)) : std::string());
        w.set("in_catalog", props.known);
        w.set("capabilities", sorted_strings(capabilities));
        w.set("owning_department", tool ? std::string(trim(tool->owning_department)) : std::string());
        w.set("intended_departments", sorted_strings(tool ? tool->intended_departments : std::vector<std::string>{}));
        w.set("intended_for_all", tool && tool->intended_all);
        w.set("business_owners", sorted_strings(business_emails));
        w.set("technical_owners", sorted_strings(technical_emails));
        w.set("active_business_owners", active_business);
        w.set("active_technical_owners", active_technical);
        w.set("departed_owners", sorted_strings(departed_owners));
        w.set("unknown_owners", sorted_strings(unknown_owners));
        w.set("owner_departments", sorted_strings(owner_departments));
        w.set("business_owner_departments", sorted_strings(business_departments));
        w.set("owner_conflicts", sorted_strings(tool ? tool->owner_conflicts : std::vector<std::string>{}));
        std::string review = tool ? to_lower(trim(tool->it_review)) : std::string();
        w.set("it_review", review);
        w.set("it_reviewed", review == "approved");
        w.set("contract_seats", has_contract ? Value(contract) : Value{});
        w.set("cost_per_seat", optional_value(cost));
        w.set("annual_cost", optional_value(info.annual_cost));
        std::optional<Date> renewal = tool ? tool->renewal_date : std::nullopt;
        w.set("renewal_date", optional_value(renewal));
        w.set("days_to_renewal", renewal ? Value(days_between(m_as_of_date, *renewal)) : Value{});
        w.set("has_seat_data", has_seat_data);
        w.set("usage_tracked", usage_tracked);
        w.set("assigned_seats", assigned);
        w.set("active_seats", active_seats);
        w.set("idle_seats", idle_seats);
        w.set("departed_seats", departed_seats);
        w.set("unknown_seats", unknown_seats);
        const std::size_t active_users = active.size();
        Value utilisation;
        if (has_seat_data && usage_tracked && assigned > 0)
            utilisation = static_cast<double>(active_seats) / static_cast<double>(assigned);
        else if (usage_tracked && has_contract && contract > 0)
            utilisation = static_cast<double>(active_users) / static_cast<double>(contract);
        w.set("utilisation", utilisation);
        w.set("seats_over_contract", has_seat_data && has_contract ? Value(assigned - contract) : Value{});
        w.set("active_users", active_users);
        w.set("users_total", users.size());
        w.set("top_department", ranked.empty() ? std::string() : std::string(ranked.front().first));
        w.set("top_department_share", ranked.empty() ? Value{} : Value(share(ranked.front().second, active_users)));
        const bool intended_known = tool && !tool->intended_all && !tool->intended_departments.empty() && active_users > 0;
        std::size_t inside = 0;
        if (intended_known) {
            for (std::string_view d : active_departments) {
                for (const std::string& intended : tool->intended_departments)
                    if (!d.empty() && iequals(trim(intended), d)) {
                        ++inside;
                        break;
                    }
            }
        }
        w.set("intended_share", intended_known ? Value(share(inside, active_users)) : Value{});
        w.set("outside_intended_users", intended_known ? active_users - inside : std::size_t{0});
        w.set("departments_using", ranked_names(ranked));
        w.set("integrations", integration_rows.size());
        w.set("feeds_to", sorted_strings(feeds_to));
        w.set("fed_by", sorted_strings(fed_by));
        w.set("data_categories", sorted_strings(data_categories));
        w.set("idle_seat_cost", cost ? Value(static_cast<double>(idle_seats) * *cost) : Value{});
        info.frame = store(sink, w.done());
        info.active_people = std::move(active);

        // The tool subject, then its seats and owners, which share its frame.
        Subject subject;
        subject.kind = "tool";
        subject.key = "tool:" + info.lower_name;
        subject.frames = {info.frame};
        subject.tool = props.name;
        subject.department = tool ? std::string(trim(tool->owning_department)) : std::string();
        subject.owners = info.owners;
        sink.by_kind[m_tool_kind].push_back(subject);

        // By holder, then in row order (make_keys_unique numbers a holder's second seat row "#2").
        const auto by_email = [&](auto a, auto b) { return m_g[source_of(a)].name < m_g[source_of(b)].name; };
        std::stable_sort(seat_edges.begin(), seat_edges.end(), by_email);
        for (Edge e : seat_edges) add_seat(e, info, usage_tracked, subject.owners, sink);
        std::stable_sort(business.begin(), business.end(), by_email);
        std::stable_sort(technical.begin(), technical.end(), by_email);
        for (Vertex p : business) add_owner(p, t, "business", info, subject.department, sink);
        for (Vertex p : technical) add_owner(p, t, "technical", info, subject.department, sink);
        for (Vertex p : users) sink.in_use[p] = 0;
        for (Vertex p : info.active_people) sink.active[p] = 0;
        sink.tools.push_back(std::move(info));
    }

    Vertex source_of(Edge e) const { return boost::source(e, m_g); }
    static Vertex source_of(Vertex v) { return v; }

    void add_seat(Edge e, const ToolInfo& info, bool usage_tracked, const std::vector<std::string>& owners,
                  Sink& sink) const {
        const Seat& seat = m_data.seats[m_g[e].record];
        Vertex p = boost::source(e, m_g);
        Vertex t = boost::target(e, m_g);
        // A plain flag rather than std::optional<Date>: g++ 12 -O2 misreports the latter as
        // maybe-uninitialized here.
        bool seen = seat.last_activity.has_value();
        Date last = seen ? to_date(*seat.last_activity) : Date{};
        std::uint64_t events_in_window = 0;
        if (sink.in_use[p]) {
            const Date sso = to_date(sink.use[p].last_seen);
            if (!seen || sso > last) last = sso;
            seen = true;
            events_in_window = sink.use[p].events_in_window;
        }
        FrameWriter w(m_seat_type);
        w.set("tool", m_g[t].name);
        w.set("email", m_g[p].name);
        w.set("license_type", seat.license_type);
        w.set("assigned_date", optional_value(seat.assigned_date));
        w.set("days_since_assigned", seat.assigned_date ? Value(days_between(*seat.assigned_date, m_as_of_date)) : Value{});
        w.set("last_activity", seen ? Value(last) : Value{});
        w.set("days_since_activity", seen ? Value(days_between(last, m_as_of_date)) : Value{});
        w.set("usage_tracked", usage_tracked);
        w.set("events_in_window", events_in_window);

        Subject subject;
        subject.kind = "seat";
        subject.key = "seat:" + info.lower_name + ":" + m_g[p].name;
        subject.frames = {store(sink, w.done()), m_person_frame[p], info.frame};
        subject.tool = m_g[t].name;
        subject.department = std::string(m_department[p]);
        subject.owners = owners;
        sink.by_kind[m_seat_kind].push_back(std::move(subject));
    }

    void add_owner(Vertex p, Vertex t, const std::string& role, const ToolInfo& info, const std::string& department,
                   Sink& sink) const {
        const std::string& email = m_g[p].name;
        FrameWriter w(m_owner_type);
        w.set("email", email);
        w.set("role", role);

        Subject subject;
        subject.kind = "owner";
        subject.key = "owner:" + info.lower_name + ":" + role + ":" + email;
        subject.frames = {store(sink, w.done()), m_person_frame[p], info.frame};
        subject.tool = m_g[t].name;
        subject.department = department;
        for (const std::string& other : info.active_owners)
            if (other != email) subject.owners.push_back(other);
        sink.by_kind[m_owner_kind].push_back(std::move(subject));
    }

    const ToolInfo& tool_info(Vertex t) const { return m_tools[m_tool_slot[t]]; }

    // How many active people each pair of tools shares. Each pair is counted by walking the
    // smaller tool's people through a bitset of the larger's, built once per larger tool and
    // small enough (one bit per vertex) to stay in cache: the company-wide chat tool is paired
    // with every other chat tool, and merging its 100,000 people each time dominated.
    std::vector<std::size_t> shared_counts(const std::vector<std::pair<Vertex, Vertex>>& pairs) const {
        std::vector<std::size_t> shared(pairs.size(), 0);
        std::vector<Vertex> larger(pairs.size());  // per pair, the tool with more active people
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            const auto [a, b] = pairs[i];
            larger[i] = tool_info(b).active_people.size() > tool_info(a).active_people.size() ? b : a;
        }
        std::vector<std::size_t> order(pairs.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return larger[x] < larger[y]; });
        std::vector<std::uint64_t> bits((boost::num_vertices(m_g) + 63) / 64, 0);
        for (std::size_t i = 0; i < order.size();) {
            const Vertex big = larger[order[i]];
            const auto& people = tool_info(big).active_people;
            for (const Vertex p : people) bits[p / 64] |= std::uint64_t{1} << (p % 64);
            for (; i < order.size() && larger[order[i]] == big; ++i) {
                const auto [a, b] = pairs[order[i]];
                std::size_t n = 0;
                for (const Vertex p : tool_info(a == big ? b : a).active_people) n += (bits[p / 64] >> (p % 64)) & 1U;
                shared[order[i]] = n;
            }
            for (const Vertex p : people) bits[p / 64] = 0;
        }
        return shared;
    }

    // Pairs come from capabilities: only tools that provide the same capability are compared.
    // They are made in the order of their keys ("pair:<a>|<b>"), so they need no sort later.
    void add_pairs(Sink& sink) {
        std::vector<std::tuple<std::size_t, std::size_t, Vertex, Vertex, Vertex>> triples;  // ranks, a, b, capability
        std::vector<std::size_t> rank(boost::num_vertices(m_g), 0);
        {
            std::vector<std::pair<std::string, Vertex>> names;
            for (const auto& info : m_tools) names.emplace_back(info.lower_name + '|', info.vertex);
            std::sort(names.begin(), names.end());
            for (std::size_t i = 0; i < names.size(); ++i) rank[names[i].second] = i;
        }
        for (auto c : boost::make_iterator_range(boost::vertices(m_g))) {
            if (m_g[c].kind != VertexKind::capability) continue;
            std::vector<Vertex> providers;
            for (auto e : boost::make_iterator_range(boost::in_edges(c, m_g)))
                if (m_g[e].kind == EdgeKind::provides && m_g[boost::source(e, m_g)].known) providers.push_back(boost::source(e, m_g));
            std::sort(providers.begin(), providers.end(),
                      [&](Vertex x, Vertex y) { return tool_info(x).lower_name < tool_info(y).lower_name; });
            providers.erase(std::unique(providers.begin(), providers.end()), providers.end());
            for (std::size_t i = 0; i < providers.size(); ++i)
                for (std::size_t j = i + 1; j < providers.size(); ++j)
                    triples.emplace_back(rank[providers[i]], rank[providers[j]], providers[i], providers[j], c);
        }
        std::sort(triples.begin(), triples.end());
        std::vector<std::pair<Vertex, Vertex>> pairs;
        std::vector<std::size_t> starts;  // first triple of each pair
        for (std::size_t i = 0; i < triples.size(); ++i) {
            const auto& [ra, rb, a, b, c] = triples[i];
            if (pairs.empty() || pairs.back() != std::pair{a, b}) {
                pairs.emplace_back(a, b);
                starts.push_back(i);
            }
        }
        starts.push_back(triples.size());
        const std::vector<std::size_t> shared_of = shared_counts(pairs);
        const FrameType& type = frame_type("pair");
        const std::size_t kind = kind_index("tool_pair");
        for (std::size_t k = 0; k < pairs.size(); ++k) {
            const auto [a, b] = pairs[k];
            std::vector<std::string> capabilities;
            for (std::size_t i = starts[k]; i < starts[k + 1]; ++i) capabilities.push_back(m_g[std::get<4>(triples[i])].name);
            const ToolInfo& ta = tool_info(a);
            const ToolInfo& tb = tool_info(b);
            const Tool& rec_a = m_data.tools[m_g[a].record];
            const Tool& rec_b = m_data.tools[m_g[b].record];
            const std::size_t shared = shared_of[k];
            const std::size_t either = ta.active_people.size() + tb.active_people.size() - shared;
            const std::string dept_a{trim(rec_a.owning_department)};
            const std::string dept_b{trim(rec_b.owning_department)};
            const bool same_department = !dept_a.empty() && !dept_b.empty() && iequals(dept_a, dept_b);
            std::optional<double> cheaper;
            for (const auto& cost : {ta.cost_per_seat, tb.cost_per_seat})
                if (cost && (!cheaper || *cost < *cheaper)) cheaper = cost;
            std::optional<double> combined;
            for (const auto& cost : {ta.annual_cost, tb.annual_cost})
                if (cost) combined = combined.value_or(0.0) + *cost;

            FrameWriter w(type);
            w.set("capabilities", sorted_strings(capabilities));
            w.set("shared_users", shared);
            w.set("jaccard", either > 0 ? Value(share(shared, either)) : Value{});
            w.set("same_owning_department", same_department);
            w.set("overlap_cost", cheaper ? Value(static_cast<double>(shared) * *cheaper) : Value{});
            w.set("combined_annual_cost", optional_value(combined));

            Subject subject;
            subject.kind = "tool_pair";
            subject.key = "pair:" + ta.lower_name + "|" + tb.lower_name;
            subject.frames = {store(sink, w.done()), ta.frame, tb.frame};
            subject.tool = m_g[a].name + " + " + m_g[b].name;
            if (same_department) subject.department = dept_a;
            else if (dept_a.empty() || dept_b.empty()) subject.department = dept_a + dept_b;
            else subject.department = dept_a + " / " + dept_b;
            subject.owners = ta.business_owners;
            for (const std::string& owner : tb.business_owners) push_unique(subject.owners, owner);
            sink.by_kind[kind].push_back(std::move(subject));
        }
    }

    void add_integrations(Sink& sink) {
        const FrameType& type = frame_type("integration");
        const std::size_t kind = kind_index("integration");
        for (auto e : boost::make_iterator_range(boost::edges(m_g))) {
            if (m_g[e].kind != EdgeKind::feeds) continue;
            const Integration& row = m_data.integrations[m_g[e].record];
            Vertex s = boost::source(e, m_g);
            Vertex t = boost::target(e, m_g);
            const ToolInfo& source = tool_info(s);
            const ToolInfo& target = tool_info(t);
            std::vector<std::string> data;
            for (const std::string& category : row.data)
                if (!trim(category).empty()) data.push_back(to_lower(trim(category)));

            FrameWriter w(type);
            w.set("data", sorted_strings(data));
            w.set("source_in_catalog", m_g[s].known);
            w.set("target_in_catalog", m_g[t].known);

            Subject subject;
            subject.kind = "integration";
            subject.key = "integration:" + source.lower_name + ">" + target.lower_name;
            subject.frames = {store(sink, w.done()), source.frame, target.frame};
            subject.tool = m_g[s].name;
            subject.department = m_g[s].known ? std::string(trim(m_data.tools[m_g[s].record].owning_department)) : std::string();
            subject.owners = source.owners;
            for (const std::string& owner : target.owners) push_unique(subject.owners, owner);
            sink.by_kind[kind].push_back(std::move(subject));
        }
    }

    void add_apps(Sink& sink) {
        std::unordered_map<Vertex, std::vector<Edge>> by_app;
        for (auto e : boost::make_iterator_range(boost::edges(m_g)))
            if (m_g[e].kind == EdgeKind::uses) by_app[m_g[e].app].push_back(e);
        const FrameType& type = frame_type("app");
        const std::size_t kind = kind_index("app");
        for (auto v : boost::make_iterator_range(boost::vertices(m_g))) {
            if (m_g[v].kind != VertexKind::app) continue;
            const VertexProps& app = m_g[v];
            std::string matched;
            for (auto e : boost::make_iterator_range(boost::in_edges(v, m_g)))
                if (m_g[e].kind == EdgeKind::signs_in_as) matched = m_g[boost::source(e, m_g)].name;

            std::vector<Vertex> users, active;
            std::uint64_t events = 0;
            std::optional<Timestamp> first, last;
            for (Edge e : by_app[v]) {
                const EdgeProps& use = m_g[e];
                Vertex p = boost::source(e, m_g);
                users.push_back(p);
                if (use.events_in_window > 0) active.push_back(p);
                events += use.events;
                if (!first || use.first_seen < *first) first = use.first_seen;
                if (!last || use.last_seen > *last) last = use.last_seen;
            }
            for (auto* list : {&users, &active}) {
                std::sort(list->begin(), list->end());
                list->erase(std::unique(list->begin(), list->end()), list->end());
            }
            std::vector<std::string_view> departments;
            departments.reserve(users.size());
            for (Vertex p : users) departments.push_back(m_department[p]);
            const auto ranked = rank_departments(departments);
            const std::string top = ranked.empty() ? std::string() : std::string(ranked.front().first);

            FrameWriter w(type);
            w.set("label", app.name);
            w.set("name", m_data.usage[app.record].app_name);
            w.set("in_catalog", app.known);
            w.set("matched_tool", matched);
            w.set("users", users.size());
            w.set("active_users", active.size());
            w.set("events", events);
            w.set("first_seen", first ? Value(to_date(*first)) : Value{});
            w.set("last_seen", last ? Value(to_date(*last)) : Value{});
            w.set("departments", ranked_names(ranked));
            w.set("top_department", top);

            Subject subject;
            subject.kind = "app";
            subject.key = "app:" + to_lower(app.name);
            subject.frames = {store(sink, w.done())};
            subject.tool = app.name;
            subject.department = top;
            sink.by_kind[kind].push_back(std::move(subject));
        }
    }

    // Sorts by key; a key met again (a second seat row for the same holder, a repeated
    // integration row) gets "#2", "#3", ... in the order the rows were read.
    static void make_keys_unique(std::vector<Subject>& subjects) {
        const auto by_key = [](const Subject& a, const Subject& b) { return a.key < b.key; };
        if (!std::is_sorted(subjects.begin(), subjects.end(), by_key)) sort_by_key(subjects);
        bool renamed = false;
        std::string base;
        std::size_t run = 0;
        for (Subject& subject : subjects) {
            if (run > 0 && subject.key == base) {
                subject.key += "#" + std::to_string(++run);
                renamed = true;
            } else {
                base = subject.key;
                run = 1;
            }
        }
        if (renamed) sort_by_key(subjects);
    }

    // A stable sort by key that orders indexes and then moves each subject once: subjects are
    // large, and there are hundreds of thousands of them in a big company.
    static void sort_by_key(std::vector<Subject>& subjects) {
        std::vector<std::size_t> order(subjects.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&subjects](std::size_t a, std::size_t b) { return subjects[a].key < subjects[b].key; });
        std::vector<Subject> sorted;
        sorted.reserve(subjects.size());
        for (const std::size_t i : order) sorted.push_back(std::move(subjects[i]));
        subjects = std::move(sorted);
    }

    const Graph& m_g;
    const Dataset& m_data;
    const FactCatalog& m_catalog;
    Date m_as_of_date;
    Timestamp m_window_start;
    // Looked up once: every person, tool, seat and owner subject needs them.
    const FrameType& m_person_type;
    const FrameType& m_tool_type;
    const FrameType& m_seat_type;
    const FrameType& m_owner_type;
    std::size_t m_tool_kind;
    std::size_t m_seat_kind;
    std::size_t m_owner_kind;
    bool m_okta_ok = false;
    std::unordered_set<std::string> m_seat_sources;  // lower-cased tool names with a seat source read OK
    std::vector<std::string_view> m_department;      // per person vertex, views into vertex names
    std::vector<std::string_view> m_team;
    std::vector<char> m_departed;
    std::vector<const std::vector<Value>*> m_person_frame;
    std::vector<std::size_t> m_tool_slot;  // per vertex: index into m_tools
    std::vector<ToolInfo> m_tools;
    Sink m_rest;  // pairs, integrations and apps, made on this thread
    SubjectSet m_out;
};

}  // namespace

SubjectSet compute_subjects(const AuditGraph& graph, const Dataset& data, unsigned threads) {
    return SubjectBuilder(graph.impl(), data).run(resolve_threads(threads));
}

}  // namespace stackaudit::graph
