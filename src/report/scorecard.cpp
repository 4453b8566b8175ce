// The alignment scorecard: four shares of tools per department and for the company, their mean
// as a 0-100 score, and the text, JSON and stored-breakdown renderings (docs/scorecard.md).
// Scores are kept unrounded; every rendering rounds to one decimal, half away from zero.
#include "stackaudit/report/scorecard.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <string>

#include <simdjson.h>

#include "detail.hpp"
#include "stackaudit/core/json_writer.hpp"
#include "stackaudit/core/value.hpp"
#include "stackaudit/report/report.hpp"

namespace stackaudit::report {

namespace {

using detail::fit;
using detail::format_money_readable;
using detail::pad_left;
using detail::pad_right;
using detail::terminal_safe;

constexpr std::string_view k_company = "Company";
constexpr std::string_view k_unassigned = "(unassigned)";
constexpr std::array<std::string_view, 4> k_component_names = {"clear ownership", "IT reviewed",
                                                               "above utilisation floor", "no unresolved overlap"};

double round_to(double value, double scale) { return std::round(value * scale) / scale; }

// Shortest text that reads back as the same double: "72.5", "100", "0.5714".
std::string shortest(double value) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    if (ec != std::errc{}) return "0";
    std::string text(buf, end);
    if (text == "-0") text = "0";
    return text;
}

std::string fixed1(double value) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, round_to(value, 10), std::chars_format::fixed, 1);
    if (ec != std::errc{}) return {};
    std::string text(buf, end);
    if (text == "-0.0") text = "0.0";
    return text;
}

bool scored(const DepartmentScore& d) {
    return std::any_of(d.components.begin(), d.components.end(), [](const auto& c) { return c.share.has_value(); });
}

void finish(DepartmentScore& d) {
    double sum = 0;
    std::size_t n = 0;
    for (auto& c : d.components) {
        c.share = c.counted == 0 ? std::nullopt
                                 : std::optional<double>(static_cast<double>(c.good) / static_cast<double>(c.counted));
        if (c.share) {
            sum += *c.share;
            ++n;
        }
    }
    d.score = n == 0 ? 0.0 : 100.0 * sum / static_cast<double>(n);
}

DepartmentScore empty_score(std::string name) {
    DepartmentScore d;
    d.department = std::move(name);
    for (const auto name_view : k_component_names) d.components.push_back(ScoreComponent{std::string(name_view), 0, 0, {}});
    return d;
}

void add(DepartmentScore& d, const ToolStanding& t) {
    ++d.tools;
    auto count = [](ScoreComponent& c, bool good) {
        ++c.counted;
        if (good) ++c.good;
    };
    count(d.components[0], t.clear_owner);
    count(d.components[1], t.reviewed);
    if (t.above_floor) count(d.components[2], *t.above_floor);
    count(d.components[3], t.overlap_free);
    if (std::isfinite(t.money_at_stake)) d.money_at_stake += t.money_at_stake;
}

const ScoreTrend* trend_for(const DepartmentScore& d, bool company, const std::vector<ScoreTrend>& trends) {
    for (const auto& t : trends) {
        if (t.department == d.department || (company && t.department.empty())) return &t;
    }
    return nullptr;
}

// ---- text ----

constexpr std::size_t k_name_width = 22;
constexpr std::size_t k_cell_width = 14;

std::string component_cell(const ScoreComponent& c) {
    if (!c.share) return "n/a";
    return fixed1(100.0 * *c.share) + "% " + std::to_string(c.good) + "/" + std::to_string(c.counted);
}

std::string row(const DepartmentScore& d) {
    std::string line = pad_right(fit(terminal_safe(d.department), k_name_width), k_name_width);
    line += pad_left(std::to_string(d.tools), 6);
    line += pad_left(scored(d) ? fixed1(d.score) : std::string("n/a"), 7);
    for (const auto& c : d.components) line += "  " + pad_right(component_cell(c), k_cell_width);
    line += pad_left(format_money_readable(d.money_at_stake), 15);
    return line + "\n";
}

// ---- JSON ----

void write_components(detail::JsonWriter& json, const DepartmentScore& d) {
    json.key("components");
    json.begin_array();
    for (const auto& c : d.components) {
        json.begin_object();
        json.field("name", c.name);
        json.field_count("good", c.good);
        json.field_count("counted", c.counted);
        json.key("share");
        if (c.share)
            json.number_text(shortest(round_to(*c.share, 10000)));
        else
            json.null();
        json.end_object();
    }
    json.end_array();
}

void write_department(detail::JsonWriter& json, const DepartmentScore& d, const ScoreTrend* trend) {
    json.begin_object();
    json.field("department", d.department);
    json.field_count("tools", d.tools);
    json.key("score");
    if (scored(d))
        json.number_text(shortest(round_to(d.score, 10)));
    else
        json.null();
    json.key("money_at_stake");
    json.number_text(format_money(d.money_at_stake));
    write_components(json, d);
    json.key("trend");
    json.begin_array();
    if (trend) {
        for (const auto& [as_of, score] : trend->points) {
            json.begin_object();
            json.field("as_of", as_of);
            json.key("score");
            json.number_text(shortest(round_to(score, 10)));
            json.end_object();
        }
    }
    json.end_array();
    json.end_object();
}

std::unexpected<Error> malformed(std::string what) {
    return fail(ErrorCode::json_malformed, "stored scorecard breakdown is not valid: " + std::move(what), {},
                "the history database may come from a different stackaudit version; a new `stackaudit audit` "
                "run records a fresh scorecard");
}

}  // namespace

Scorecard compute_scorecard(const std::vector<ToolStanding>& tools) {
    Scorecard card;
    card.company = empty_score(std::string(k_company));
    std::map<std::string, DepartmentScore> departments;
    for (const auto& t : tools) {
        const std::string name = t.department.empty() ? std::string(k_unassigned) : t.department;
        auto it = departments.find(name);
        if (it == departments.end()) it = departments.emplace(name, empty_score(name)).first;
        add(it->second, t);
        add(card.company, t);
    }
    finish(card.company);
    for (auto& [name, d] : departments) {
        finish(d);
        card.departments.push_back(std::move(d));
    }
    std::stable_sort(card.departments.begin(), card.departments.end(), [](const auto& a, const auto& b) {
        if (a.score != b.score) return a.score < b.score;
        return a.department < b.department;
    });
    return card;
}

std::string scorecard_text(const Scorecard& card, const std::vector<ScoreTrend>& trends) {
    std::string out = "ALIGNMENT SCORECARD (0-100, higher is better; docs/scorecard.md)\n";
    std::string head = pad_right("Department", k_name_width) + pad_left("Tools", 6) + pad_left("Score", 7);
    for (const auto name : {"Clear owner", "IT reviewed", "Above floor", "No overlap"})
        head += "  " + pad_right(name, k_cell_width);
    head += pad_left("Money at stake", 15);
    out += head + "\n";
    out += std::string(head.size(), '-') + "\n";
    out += row(card.company);
    if (!card.departments.empty()) {
        out += std::string(head.size(), '-') + "\n";
        for (const auto& d : card.departments) out += row(d);
    }
    out += "Each cell: share of tools meeting it (tools meeting it / tools judged). Score = 100 x mean of the\n"
           "shares; tools with unknown utilisation are not judged on the floor. Worst department first.\n";

    std::vector<std::pair<const DepartmentScore*, const ScoreTrend*>> shown;
    if (const auto* t = trend_for(card.company, true, trends); t && !t->points.empty()) shown.emplace_back(&card.company, t);
    for (const auto& d : card.departments)
        if (const auto* t = trend_for(d, false, trends); t && !t->points.empty()) shown.emplace_back(&d, t);
    if (!shown.empty()) {
        out += "\nTrend (oldest to latest run):\n";
        for (const auto& [d, t] : shown) {
            std::string line = "  " + pad_right(fit(terminal_safe(d->department), k_name_width), k_name_width);
            for (std::size_t i = 0; i < t->points.size(); ++i) {
                if (i > 0) line += " \u2192 ";
                line += fixed1(t->points[i].second);
            }
            line += "  (" + terminal_safe(t->points.front().first);
            if (t->points.size() > 1) line += " to " + terminal_safe(t->points.back().first);
            line += ")";
            out += line + "\n";
        }
    }
    return out;
}

std::string scorecard_json(const Scorecard& card, const std::vector<ScoreTrend>& trends) {
    detail::JsonWriter json;
    json.begin_object();
    json.key("company");
    write_department(json, card.company, trend_for(card.company, true, trends));
    json.key("departments");
    json.begin_array();
    for (const auto& d : card.departments) write_department(json, d, trend_for(d, false, trends));
    json.end_array();
    json.end_object();
    return json.finish();
}

std::string department_breakdown_json(const DepartmentScore& score) {
    std::string out = "{\"department\":";
    append_json_string(out, score.department);
    out += ",\"tools\":" + std::to_string(score.tools);
    out += ",\"score\":" + (scored(score) ? shortest(round_to(score.score, 10)) : std::string("null"));
    out += ",\"money_at_stake\":" + format_money(score.money_at_stake);
    out += ",\"components\":[";
    for (std::size_t i = 0; i < score.components.size(); ++i) {
        const auto& c = score.components[i];
        if (i > 0) out += ',';
        out += "{\"name\":";
        append_json_string(out, c.name);
        out += ",\"good\":" + std::to_string(c.good) + ",\"counted\":" + std::to_string(c.counted) + ",\"share\":";
        out += c.share ? shortest(round_to(*c.share, 10000)) : std::string("null");
        out += '}';
    }
    out += "]}";
    return out;
}

Result<DepartmentScore> parse_department_breakdown(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    simdjson::dom::element root;
    if (parser.parse(padded).get(root) != simdjson::SUCCESS) return malformed("not JSON");
    simdjson::dom::object obj;
    if (root.get_object().get(obj) != simdjson::SUCCESS) return malformed("not an object");

    DepartmentScore d;
    std::string_view department;
    if (obj["department"].get_string().get(department) != simdjson::SUCCESS) return malformed("no department");
    d.department = std::string(department);
    std::uint64_t tools = 0;
    if (obj["tools"].get_uint64().get(tools) != simdjson::SUCCESS) return malformed("no tool count");
    d.tools = static_cast<std::size_t>(tools);
    double money = 0;
    if (obj["money_at_stake"].get_double().get(money) != simdjson::SUCCESS) return malformed("no money_at_stake");
    d.money_at_stake = money;
    simdjson::dom::array components;
    if (obj["components"].get_array().get(components) != simdjson::SUCCESS) return malformed("no components");
    for (const auto element : components) {
        simdjson::dom::object c;
        std::string_view name;
        std::uint64_t good = 0;
        std::uint64_t counted = 0;
        if (element.get_object().get(c) != simdjson::SUCCESS || c["name"].get_string().get(name) != simdjson::SUCCESS ||
            c["good"].get_uint64().get(good) != simdjson::SUCCESS ||
            c["counted"].get_uint64().get(counted) != simdjson::SUCCESS || good > counted)
            return malformed("a component lacks name, good or counted");
        d.components.push_back(
            ScoreComponent{std::string(name), static_cast<std::size_t>(good), static_cast<std::size_t>(counted), {}});
    }
    // Shares and the score come from the counts, so a breakdown read back equals the one computed.
    finish(d);
    return d;
}

}  // namespace stackaudit::report
