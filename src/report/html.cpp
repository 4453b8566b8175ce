// The self-contained HTML report: one HTML5 file with inline CSS and inline SVG charts, for
// the CMO, the CIO and finance. Nothing is fetched (no fonts, scripts, images or links to other
// sites), so it opens offline and is safe to attach to an email. Every value that came from an
// input file goes through html_escape(), in text and in attributes alike (which also repairs
// invalid UTF-8, so the page is always valid UTF-8). Numbers are written
// with std::to_chars, so the same input gives the same bytes on every machine.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/text.hpp"
#include "stackaudit/core/time.hpp"
#include "stackaudit/report/html.hpp"

namespace stackaudit::report {

std::string html_escape(std::string_view raw) {
    // The page declares UTF-8, so invalid sequences from an input file become U+FFFD.
    const std::string repaired = valid_utf8(raw) ? std::string() : to_valid_utf8(raw);
    const std::string_view text = repaired.empty() ? raw : std::string_view(repaired);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c; break;
        }
    }
    return out;
}

namespace {

constexpr std::array k_severities_descending = {Severity::critical, Severity::high, Severity::medium, Severity::low,
                                                 Severity::info};

// Chart geometry (SVG user units; the SVG scales to the page width).
constexpr double k_chart_width = 820;
constexpr double k_label_width = 210;
constexpr double k_value_width = 250;
constexpr double k_row_height = 26;
constexpr double k_bar_height = 16;
constexpr double k_axis_height = 26;

std::string esc(std::string_view text) { return html_escape(text); }

// Fixed-point text for SVG coordinates and percentages.
std::string fixed(double value, int decimals) {
    if (!std::isfinite(value)) return "0";
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
    if (ec != std::errc{}) return "0";
    std::string text(buf, end);
    if (text.find_first_not_of("-0.") == std::string::npos && !text.empty() && text.front() == '-') text.erase(0, 1);
    return text;
}

std::string coord(double value) { return fixed(value, 1); }

std::string percent(double share) { return fixed(share * 100.0, 0) + "%"; }

// Money for the big numbers: whole units with thousands separators ("47,135").
std::string money_whole(double amount) {
    std::string text = detail::format_money_readable(std::round(amount));
    if (text.size() > 3 && text.ends_with(".00")) text.resize(text.size() - 3);
    return text;
}

std::string money_cents(double amount) { return detail::format_money_readable(amount); }

std::string count_text(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string or_dash(std::string_view text) { return text.empty() ? std::string("\xE2\x80\x94") : esc(text); }

std::string department_label(std::string_view department) {
    return department.empty() ? std::string("(no department)") : std::string(department);
}

bool has_money(const Finding& f) { return f.money_at_stake && std::isfinite(*f.money_at_stake); }

// ---- page frame -----------------------------------------------------------------------------

constexpr std::string_view k_style = R"css(
:root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--panel:#f5f7fa;--accent:#2457a6;--warn:#b44d12;
--critical:#9b1c1c;--high:#b44d12;--medium:#8a6100;--low:#2457a6;--info:#52606d;--good:#2f7d4f}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Noto Sans CJK JP",sans-serif;
color:var(--ink);background:#fff;line-height:1.45;font-size:15px}
body{margin:0 auto;max-width:1180px;padding:24px 32px 48px}
h1{font-size:1.75rem;margin:0 0 4px}
h2{font-size:1.3rem;margin:40px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:24px 0 8px}
p{margin:6px 0}
.muted{color:var(--muted)}
.small{font-size:.85rem}
header.page{border-bottom:4px solid var(--accent);padding-bottom:14px;margin-bottom:8px}
header.page .company{font-size:1.15rem;font-weight:600}
nav.toc{margin:12px 0 0;font-size:.9rem}
nav.toc a{color:var(--accent);margin-right:14px;text-decoration:none}
.warning{border:2px solid var(--warn);background:#fdf3ec;padding:12px 16px;margin:20px 0;border-radius:4px}
.warning h2{border:0;margin:0 0 6px;font-size:1.1rem;color:var(--warn);padding:0}
.warning ul{margin:6px 0 6px 20px;padding:0}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:14px}
.figure{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:14px 16px}
.figure .label{font-size:.85rem;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em}
.figure .value{font-size:2.2rem;font-weight:700;line-height:1.15;margin:4px 0;font-variant-numeric:tabular-nums}
.figure .note{font-size:.85rem;color:var(--muted)}
.sevcounts{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.sevcounts li{font-size:.9rem}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.78rem;font-weight:700;color:#fff;
text-transform:uppercase;letter-spacing:.03em;white-space:nowrap}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}
.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.badge.waived{background:#fff;color:var(--muted);border:1px solid var(--muted)}
.badge.state{background:#fff;color:var(--ink);border:1px solid var(--line)}
.score{display:flex;gap:32px;align-items:flex-start;flex-wrap:wrap}
.score-big{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:14px 22px;text-align:center;min-width:200px}
.score-big .value{font-size:3.2rem;font-weight:700;line-height:1.1}
.score-big .value span{font-size:1.2rem;color:var(--muted);font-weight:600}
.components{flex:1;min-width:320px}
.meter{display:inline-block;width:110px;height:10px;background:#e4e7eb;border-radius:5px;vertical-align:middle;margin-right:8px;overflow:hidden}
.meter>span{display:block;height:100%;background:var(--accent)}
.meter.big{width:220px;height:14px;border-radius:7px}
#departments .meter{width:56px}
#departments td,#departments th{padding:6px 6px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.9rem}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:var(--panel);border-bottom:2px solid var(--line);font-weight:600}
tbody th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{color:var(--good);font-weight:600}.problem{color:var(--warn);font-weight:600}
.charts{display:grid;grid-template-columns:1fr;gap:8px}
.trend{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
figure{margin:8px 0 16px}
figcaption{font-weight:600;margin-bottom:4px}
svg{display:block;width:100%;height:auto;max-width:920px;font-family:inherit}
caption{text-align:left;caption-side:top;padding:0 0 4px}
.nowrap{white-space:nowrap}
td.trendcell{min-width:128px}
svg text{font-size:12px;fill:var(--ink)}
svg .axis{stroke:#9aa5b1;stroke-width:1}
svg .grid{stroke:#e4e7eb;stroke-width:1}
svg .bar{fill:var(--accent)}
svg .bar.below{fill:var(--warn)}
svg .floor{stroke:var(--ink);stroke-width:1.5;stroke-dasharray:5 3}
svg .tick{fill:var(--muted);font-size:11px}
svg .series{fill:none;stroke:var(--accent);stroke-width:2}
svg .point{fill:var(--accent)}
svg .nodata{fill:var(--muted);font-style:italic}
.findings-group{margin-top:8px}
article.finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:4px;padding:10px 14px;margin:10px 0;break-inside:avoid}
article.finding.critical{border-left-color:var(--critical)}article.finding.high{border-left-color:var(--high)}
article.finding.medium{border-left-color:var(--medium)}article.finding.low{border-left-color:var(--low)}
article.finding.is-waived{background:#fafbfc}
article.finding h4{margin:0 0 4px;font-size:1rem;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
article.finding h4 .money{margin-left:auto;font-variant-numeric:tabular-nums;white-space:nowrap}
.message{white-space:pre-line;margin:4px 0 8px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0;font-size:.88rem}
dl.meta dt{color:var(--muted);font-weight:600}
dl.meta dd{margin:0;overflow-wrap:anywhere}
.waiver{border:1px dashed var(--muted);padding:6px 10px;margin:8px 0;font-size:.88rem;border-radius:4px}
.remediation{margin:6px 0 0}
.remediation strong{color:var(--good)}
details.evidence summary{cursor:pointer;color:var(--muted);font-size:.88rem}
footer{margin-top:40px;border-top:1px solid var(--line);padding-top:10px;font-size:.85rem;color:var(--muted)}
@media print{
 html{font-size:11pt}
 body{max-width:none;padding:0}
 nav.toc{display:none}
 h2{break-after:avoid}
 section,figure,table,article.finding,.figure{break-inside:avoid}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 details.evidence>*{display:block}
 a{color:inherit;text-decoration:none}
}
)css";

// ---- headline figures -----------------------------------------------------------------------

struct Headline {
    double money = 0;
    std::size_t money_findings = 0;
    std::size_t without_estimate = 0;
    double waived_money = 0;
    std::size_t waived = 0;
    std::array<std::size_t, 5> by_severity{};  // open (unwaived) findings
    std::optional<std::int64_t> idle_seats;
    std::string idle_note;
    std::optional<std::size_t> unclear_owners;
    std::string owners_note;
    std::size_t new_findings = 0;
    std::size_t reopened = 0;
    bool history = false;
};

Headline headline(const HtmlInput& in) {
    Headline h;
    for (const Finding& f : in.report.findings) {
        if (f.waived) {
            ++h.waived;
            if (has_money(f)) h.waived_money += *f.money_at_stake;
            continue;
        }
        ++h.by_severity[static_cast<std::size_t>(f.severity)];
        if (has_money(f)) {
            h.money += *f.money_at_stake;
            ++h.money_findings;
        } else {
            ++h.without_estimate;
        }
        if (f.state == "new") ++h.new_findings;
        if (f.state == "reopened") ++h.reopened;
        if (!f.state.empty()) h.history = true;
    }
    if (in.trend.size() >= 2) h.history = true;

    std::int64_t idle = 0;
    std::size_t measured = 0;
    for (const ToolUtilisation& u : in.utilisation) {
        if (u.assigned && u.active) {
            idle += std::max<std::int64_t>(0, *u.assigned - *u.active);
            ++measured;
        }
    }
    if (measured > 0) {
        h.idle_seats = idle;
        h.idle_note = "assigned but not used in " + std::to_string(std::max(in.report.window_days, 0)) +
                      " days, across " + count_text(measured, "tool", "tools");
    } else if (std::any_of(in.report.rule_runs.begin(), in.report.rule_runs.end(),
                           [](const RuleRun& r) { return r.rule_id == "idle-seat" && r.evaluated; })) {
        const auto flagged = std::count_if(in.report.findings.begin(), in.report.findings.end(),
                                           [](const Finding& f) { return f.rule_id == "idle-seat"; });
        h.idle_seats = static_cast<std::int64_t>(flagged);
        h.idle_note = "flagged by the idle-seat rule (no seat figures per tool)";
    } else {
        h.idle_note = "no seat usage figures in this run";
    }

    // The scorecard's definition (an active business AND an active technical owner), so the
    // headline and the scorecard below it never disagree; ownership rows are the fallback.
    for (const ScoreComponent& c : in.scorecard.company.components) {
        if (c.name == "clear ownership" && c.counted > 0) {
            h.unclear_owners = c.counted - std::min(c.good, c.counted);
            h.owners_note = "of " + count_text(c.counted, "catalog tool", "catalog tools") +
                            " lack an active business and technical owner";
        }
    }
    if (!h.unclear_owners && !in.ownership.empty()) {
        h.unclear_owners = static_cast<std::size_t>(std::count_if(
            in.ownership.begin(), in.ownership.end(), [](const OwnershipRow& r) { return !r.problem.empty(); }));
        h.owners_note = "of " + count_text(in.ownership.size(), "catalog tool", "catalog tools");
    }
    return h;
}

void figure_card(std::string& out, std::string_view label, std::string_view value, std::string_view note,
                 std::string_view id) {
    out += "<div class=\"figure\" id=\"";
    out += id;
    out += "\"><div class=\"label\">";
    out += label;
    out += "</div><div class=\"value\">";
    out += value;
    out += "</div>";
    if (!note.empty()) {
        out += "<div class=\"note\">";
        out += note;
        out += "</div>";
    }
    out += "</div>\n";
}

std::string severity_badge(Severity s) {
    const std::string name(to_string(s));
    return "<span class=\"badge sev-" + name + "\">" + name + "</span>";
}

void headline_section(std::string& out, const HtmlInput& in, const Headline& h) {
    out += "<section id=\"headline\" aria-labelledby=\"headline-h\">\n<h2 id=\"headline-h\">Headline figures</h2>\n";
    out += "<div class=\"figures\">\n";

    std::string money_note = "a year, in the catalog currency, from " +
                             count_text(h.money_findings, "open finding", "open findings");
    if (h.without_estimate > 0) {
        money_note += "; " + count_text(h.without_estimate, "finding has", "findings have") + " no estimate";
    }
    if (h.waived > 0) money_note += "; excludes " + money_whole(h.waived_money) + " on waived findings";
    figure_card(out, "Money at stake", money_whole(h.money), esc(money_note), "fig-money");

    figure_card(out, "Idle seats", h.idle_seats ? std::to_string(*h.idle_seats) : "\xE2\x80\x94", esc(h.idle_note),
                "fig-idle");
    figure_card(out, "Tools without clear owners",
                h.unclear_owners ? std::to_string(*h.unclear_owners) : "\xE2\x80\x94",
                h.unclear_owners ? esc(h.owners_note) : "no ownership data in this run", "fig-owners");

    std::size_t open_total = 0;
    for (std::size_t n : h.by_severity) open_total += n;
    std::string sev = "<ul class=\"sevcounts\">";
    for (Severity s : k_severities_descending) {
        sev += "<li>" + severity_badge(s) + " " + std::to_string(h.by_severity[static_cast<std::size_t>(s)]) + "</li>";
    }
    sev += "</ul>";
    if (h.waived > 0) sev += "<div>plus " + count_text(h.waived, "waived finding", "waived findings") + "</div>";
    figure_card(out, "Open findings", std::to_string(open_total), sev, "fig-findings");

    if (h.history) {
        std::string value = "+" + std::to_string(h.new_findings) + " / \xE2\x88\x92" +
                            std::to_string(in.resolved_since_last);
        std::string note = count_text(h.new_findings, "new finding", "new findings") + ", " +
                           std::to_string(in.resolved_since_last) + " resolved";
        if (h.reopened > 0) note += ", " + std::to_string(h.reopened) + " reopened";
        note += " since the last run";
        figure_card(out, "Since last run", value, esc(note), "fig-changes");
    } else {
        figure_card(out, "Since last run", "\xE2\x80\x94", "no earlier run recorded: changes appear from the next run",
                    "fig-changes");
    }
    out += "</div>\n</section>\n";
}

// ---- coverage -------------------------------------------------------------------------------

void coverage_warning(std::string& out, const AuditReport& report) {
    const std::vector<std::string> gaps = coverage_gaps(report);
    if (gaps.empty()) return;
    out += "<section class=\"warning\" id=\"partial\" role=\"alert\" aria-labelledby=\"partial-h\">\n"
           "<h2 id=\"partial-h\">Warning: partial data</h2>\n"
           "<p>These findings are incomplete: stackaudit could not see everything. A finding that depends on "
           "what is missing cannot appear here, so no finding does not mean no problem.</p>\n<ul>\n";
    for (const std::string& gap : gaps) out += "<li>" + esc(gap) + "</li>\n";
    out += "</ul>\n</section>\n";
}

void inputs_section(std::string& out, const AuditReport& report) {
    out += "<section id=\"inputs\" aria-labelledby=\"inputs-h\">\n<h2 id=\"inputs-h\">Inputs</h2>\n";
    out += "<p>Read " + count_text(report.people, "person", "people") + ", " +
           count_text(report.tools, "tool", "tools") + ", " + count_text(report.seats, "seat", "seats") + " and " +
           count_text(report.usage_pairs, "person-app usage pair", "person-app usage pairs") + ".</p>\n";
    if (report.sources.empty()) {
        out += "<p class=\"muted\">No sources were recorded for this run.</p>\n</section>\n";
        return;
    }
    out += "<table>\n<caption class=\"muted small\">Every source read, with its status</caption>\n<thead><tr>"
           "<th scope=\"col\">Source</th><th scope=\"col\">Kind</th><th scope=\"col\">File</th>"
           "<th scope=\"col\" class=\"num\">Records</th><th scope=\"col\" class=\"num\">Rejected</th>"
           "<th scope=\"col\" class=\"num\">Ignored</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n";
    for (const SourceReport& s : report.sources) {
        std::string status = "<span class=\"ok\">ok</span>";
        if (!s.ok) {
            status = "<span class=\"problem\">failed</span>";
        } else if (s.stale) {
            status = "<span class=\"problem\">stale</span>";
        } else if (s.rejected > 0) {
            status = "<span class=\"problem\">partial</span>";
        }
        out += "<tr><th scope=\"row\">" + esc(s.name) + "</th><td>" + esc(s.kind) + "</td><td>" + or_dash(s.path) +
               "</td><td class=\"num\">" + std::to_string(s.records) + "</td><td class=\"num\">" +
               std::to_string(s.rejected) + "</td><td class=\"num\">" + std::to_string(s.ignored) + "</td><td>" +
               status + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

// ---- scorecard ------------------------------------------------------------------------------

std::string meter(std::optional<double> share, bool big = false) {
    const double s = share ? std::clamp(*share, 0.0, 1.0) : 0.0;
    return std::string("<span class=\"meter") + (big ? " big" : "") + "\" aria-hidden=\"true\"><span style=\"width:" +
           fixed(s * 100.0, 1) + "%\"></span></span>";
}

std::string component_text(const ScoreComponent& c) {
    if (!c.share) return "<span class=\"muted\">n/a (no data)</span>";
    return "<span class=\"nowrap\">" + meter(c.share) + percent(*c.share) + "</span> <span class=\"muted small nowrap\">(" +
           std::to_string(c.good) + " of " + std::to_string(c.counted) + ")</span>";
}

void scorecard_section(std::string& out, const HtmlInput& in) {
    const Scorecard& card = in.scorecard;
    out += "<section id=\"scorecard\" aria-labelledby=\"scorecard-h\">\n<h2 id=\"scorecard-h\">Alignment scorecard</h2>\n";
    if (card.company.tools == 0 && card.departments.empty()) {
        out += "<p class=\"muted\">No scorecard for this run: no catalog tools were scored.</p>\n</section>\n";
        return;
    }
    out += "<p class=\"muted small\">A 0\xE2\x80\x93" "100 score per department and for the company: the mean of the "
           "shares of tools with a clear business and technical owner, reviewed by IT, above the utilisation "
           "floor and free of unresolved overlap (docs/scorecard.md).</p>\n";
    out += "<div class=\"score\">\n<div class=\"score-big\" id=\"company-score\"><div class=\"label muted\">Company "
           "score</div><div class=\"value\">" +
           fixed(card.company.score, 0) + "<span> / 100</span></div><div class=\"muted small\">" +
           count_text(card.company.tools, "tool", "tools") + ", " + money_whole(card.company.money_at_stake) +
           " at stake a year</div></div>\n";
    out += "<div class=\"components\">\n<table>\n<caption class=\"muted small\">Company score breakdown</caption>\n"
           "<thead><tr><th scope=\"col\">Component</th><th scope=\"col\">Share of tools</th></tr></thead>\n<tbody>\n";
    for (const ScoreComponent& c : card.company.components) {
        out += "<tr><th scope=\"row\">" + esc(c.name) + "</th><td>" + component_text(c) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</div>\n</div>\n";

    if (card.departments.empty()) {
        out += "</section>\n";
        return;
    }
    std::map<std::string, const ScoreTrend*> trends;
    for (const ScoreTrend& t : in.score_trends) trends[t.department] = &t;

    // Column headings come from the company's components, which every department shares.
    std::vector<std::string> names;
    for (const ScoreComponent& c : card.company.components) names.push_back(c.name);
    out += "<h3>Departments (worst first)</h3>\n<table id=\"departments\">\n<thead><tr><th scope=\"col\">Department</th>"
           "<th scope=\"col\" class=\"num\">Tools</th><th scope=\"col\">Score</th>";
    for (const std::string& n : names) out += "<th scope=\"col\">" + esc(n) + "</th>";
    out += "<th scope=\"col\" class=\"num\">Money at stake / year</th><th scope=\"col\">Trend</th></tr></thead>\n<tbody>\n";
    for (const DepartmentScore& d : card.departments) {
        out += "<tr><th scope=\"row\">" + esc(department_label(d.department)) + "</th><td class=\"num\">" +
               std::to_string(d.tools) + "</td><td class=\"num\">" + meter(d.score / 100.0) + "<strong>" +
               fixed(d.score, 0) + "</strong></td>";
        for (const std::string& n : names) {
            auto it = std::find_if(d.components.begin(), d.components.end(),
                                   [&](const ScoreComponent& c) { return c.name == n; });
            out += "<td>" + (it == d.components.end() ? std::string("<span class=\"muted\">n/a</span>")
                                                      : component_text(*it)) + "</td>";
        }
        out += "<td class=\"num\">" + money_whole(d.money_at_stake) + "</td><td class=\"trendcell\">";
        auto t = trends.find(d.department);
        if (t != trends.end() && t->second->points.size() >= 2) {
            const auto& pts = t->second->points;
            const double delta = pts.back().second - pts.front().second;
            out += "<span class=\"nowrap\">" + fixed(pts.front().second, 0) + " \xE2\x86\x92 " +
                   fixed(pts.back().second, 0) + "</span><br><span class=\"muted small nowrap\">" +
                   (delta >= 0.5 ? "+" : "") + fixed(delta, 0) + " since " + esc(pts.front().first) + "</span>";
        } else {
            out += "<span class=\"muted\">\xE2\x80\x94</span>";
        }
        out += "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

// ---- SVG charts -----------------------------------------------------------------------------

void svg_open(std::string& out, std::string_view id, double width, double height, std::string_view title,
              std::string_view desc) {
    out += "<svg id=\"" + std::string(id) + "\" viewBox=\"0 0 " + coord(width) + " " + coord(height) +
           "\" role=\"img\" aria-labelledby=\"" + std::string(id) + "-title " + std::string(id) + "-desc\">\n";
    out += "<title id=\"" + std::string(id) + "-title\">" + esc(title) + "</title>\n";
    out += "<desc id=\"" + std::string(id) + "-desc\">" + esc(desc) + "</desc>\n";
}

std::string svg_text(double x, double y, std::string_view text, std::string_view anchor = "start",
                     std::string_view cls = "") {
    std::string out = "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\"";
    if (anchor != "start") out += " text-anchor=\"" + std::string(anchor) + "\"";
    if (!cls.empty()) out += " class=\"" + std::string(cls) + "\"";
    return out + ">" + esc(text) + "</text>\n";
}

// Label text for the left column: cut to fit, the full name stays in the bar's <title>.
std::string chart_label(std::string_view text, std::size_t width = 30) {
    return detail::fit(detail::terminal_safe(text), width);
}

void utilisation_chart(std::string& out, const HtmlInput& in) {
    out += "<figure>\n<figcaption>Seat utilisation per tool</figcaption>\n";
    if (in.utilisation.empty()) {
        out += "<p class=\"muted\">No seat figures in this run.</p>\n</figure>\n";
        return;
    }
    std::vector<const ToolUtilisation*> rows;
    for (const ToolUtilisation& u : in.utilisation) rows.push_back(&u);
    // Lowest utilisation first (what needs attention), unknown last, then by name.
    std::stable_sort(rows.begin(), rows.end(), [](const ToolUtilisation* a, const ToolUtilisation* b) {
        if (a->utilisation.has_value() != b->utilisation.has_value()) return a->utilisation.has_value();
        if (a->utilisation && *a->utilisation != *b->utilisation) return *a->utilisation < *b->utilisation;
        return a->tool < b->tool;
    });
    const double floor = std::clamp(in.utilisation_floor, 0.0, 1.0);
    const double plot = k_chart_width - k_label_width - k_value_width;
    const double top = 8;
    const double height = top + k_row_height * static_cast<double>(rows.size()) + k_axis_height;
    std::size_t below = 0;
    for (const auto* u : rows) {
        if (u->utilisation && *u->utilisation < floor) ++below;
    }
    svg_open(out, "chart-utilisation", k_chart_width, height, "Seat utilisation per tool",
             "Active seats as a share of assigned seats for " + count_text(rows.size(), "tool", "tools") +
                 ", lowest first; the dashed line is the utilisation floor of " + percent(floor) + "; " +
                 std::to_string(below) + " below it.");
    const double axis_y = top + k_row_height * static_cast<double>(rows.size());
    for (int tick = 0; tick <= 4; ++tick) {
        const double x = k_label_width + plot * tick / 4.0;
        out += "<line class=\"grid\" x1=\"" + coord(x) + "\" y1=\"" + coord(top) + "\" x2=\"" + coord(x) + "\" y2=\"" +
               coord(axis_y) + "\"/>\n";
        out += svg_text(x, axis_y + 16, std::to_string(tick * 25) + "%", "middle", "tick");
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ToolUtilisation& u = *rows[i];
        const double y = top + k_row_height * static_cast<double>(i);
        const double mid = y + k_row_height / 2 + 4;
        out += svg_text(k_label_width - 8, mid, chart_label(u.tool), "end");
        std::string seats;
        if (u.active && u.assigned) seats = std::to_string(*u.active) + " of " + std::to_string(*u.assigned) + " active";
        if (!u.utilisation) {
            out += svg_text(k_label_width + 4, mid, "no usage data", "start", "nodata");
            continue;
        }
        const bool is_below = *u.utilisation < floor;
        const double w = plot * std::clamp(*u.utilisation, 0.0, 1.0);
        out += "<rect class=\"bar util" + std::string(is_below ? " below" : "") + "\" x=\"" + coord(k_label_width) +
               "\" y=\"" + coord(y + (k_row_height - k_bar_height) / 2) + "\" width=\"" + coord(std::max(w, 1.0)) +
               "\" height=\"" + coord(k_bar_height) + "\"><title>" + esc(u.tool) + ": " + percent(*u.utilisation) +
               (seats.empty() ? std::string() : " (" + seats + ")") + "</title></rect>\n";
        std::string value = percent(*u.utilisation);
        if (!seats.empty()) value += " \xC2\xB7 " + seats;
        if (is_below) value += " \xC2\xB7 below floor";
        out += svg_text(k_label_width + plot + 8, mid, value);
    }
    const double fx = k_label_width + plot * floor;
    out += "<line class=\"floor\" x1=\"" + coord(fx) + "\" y1=\"" + coord(top - 4) + "\" x2=\"" + coord(fx) +
           "\" y2=\"" + coord(axis_y) + "\"/>\n";
    out += "<line class=\"axis\" x1=\"" + coord(k_label_width) + "\" y1=\"" + coord(axis_y) + "\" x2=\"" +
           coord(k_label_width + plot) + "\" y2=\"" + coord(axis_y) + "\"/>\n";
    out += "</svg>\n<p class=\"muted small\">Dashed line: utilisation floor " + percent(floor) +
           ". Bars in orange and marked \xE2\x80\x9C" "below floor\xE2\x80\x9D are under it.</p>\n</figure>\n";
}

void bar_chart(std::string& out, std::string_view id, std::string_view caption, std::string_view desc,
               const std::vector<std::pair<std::string, std::size_t>>& rows) {
    out += "<figure>\n<figcaption>" + esc(caption) + "</figcaption>\n";
    if (rows.empty()) {
        out += "<p class=\"muted\">No findings.</p>\n</figure>\n";
        return;
    }
    std::size_t max = 1;
    for (const auto& r : rows) max = std::max(max, r.second);
    constexpr double label_width = 300;
    const double plot = k_chart_width - label_width - 70;
    const double top = 4;
    const double height = top + k_row_height * static_cast<double>(rows.size()) + 8;
    svg_open(out, id, k_chart_width, height, caption, desc);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double y = top + k_row_height * static_cast<double>(i);
        const double mid = y + k_row_height / 2 + 4;
        const double w = plot * static_cast<double>(rows[i].second) / static_cast<double>(max);
        out += svg_text(label_width - 8, mid, chart_label(rows[i].first, 44), "end");
        out += "<rect class=\"bar\" x=\"" + coord(label_width) + "\" y=\"" +
               coord(y + (k_row_height - k_bar_height) / 2) + "\" width=\"" + coord(std::max(w, 1.0)) +
               "\" height=\"" + coord(k_bar_height) + "\"><title>" + esc(rows[i].first) + ": " +
               count_text(rows[i].second, "finding", "findings") + "</title></rect>\n";
        out += svg_text(label_width + w + 6, mid, std::to_string(rows[i].second));
    }
    out += "<line class=\"axis\" x1=\"" + coord(label_width) + "\" y1=\"" + coord(top) + "\" x2=\"" +
           coord(label_width) + "\" y2=\"" + coord(height - 8) + "\"/>\n</svg>\n</figure>\n";
}

std::vector<std::pair<std::string, std::size_t>> sorted_counts(const std::map<std::string, std::size_t>& counts) {
    std::vector<std::pair<std::string, std::size_t>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return rows;
}

void line_chart(std::string& out, std::string_view id, std::string_view caption,
                const std::vector<std::string>& labels, const std::vector<double>& values,
                std::string (*format)(double), std::optional<double> fixed_max) {
    constexpr double width = 380;
    constexpr double height = 200;
    constexpr double left = 16;
    constexpr double right = 16;
    constexpr double top = 22;
    constexpr double bottom = 34;
    double lo = 0;
    double hi = fixed_max.value_or(0);
    for (double v : values) hi = std::max(hi, v);
    for (double v : values) lo = std::min(lo, v);
    if (hi - lo <= 0) hi = lo + 1;
    const double plot_w = width - left - right;
    const double plot_h = height - top - bottom;
    const auto x_at = [&](std::size_t i) {
        return values.size() == 1 ? left + plot_w / 2
                                  : left + plot_w * static_cast<double>(i) / static_cast<double>(values.size() - 1);
    };
    const auto y_at = [&](double v) { return top + plot_h * (1 - (v - lo) / (hi - lo)); };

    std::string desc = std::string(caption) + " over " + count_text(values.size(), "run", "runs") + ": ";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) desc += ", ";
        desc += labels[i] + " " + format(values[i]);
    }
    desc += ".";
    out += "<figure>\n<figcaption>" + esc(caption) + "</figcaption>\n";
    svg_open(out, id, width, height, caption, desc);
    out += "<line class=\"axis\" x1=\"" + coord(left) + "\" y1=\"" + coord(top + plot_h) + "\" x2=\"" +
           coord(left + plot_w) + "\" y2=\"" + coord(top + plot_h) + "\"/>\n";
    std::string path;
    for (std::size_t i = 0; i < values.size(); ++i) {
        path += (i == 0 ? "M" : " L") + coord(x_at(i)) + " " + coord(y_at(values[i]));
    }
    if (values.size() > 1) out += "<path class=\"series\" d=\"" + path + "\"/>\n";
    const bool label_all = values.size() <= 6;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double x = x_at(i);
        const double y = y_at(values[i]);
        out += "<circle class=\"point\" cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"3.5\"><title>" +
               esc(labels[i]) + ": " + esc(format(values[i])) + "</title></circle>\n";
        const std::string_view anchor = values.size() == 1 ? "middle" : i == 0 ? "start" : i + 1 == values.size() ? "end" : "middle";
        if (label_all || i + 1 == values.size()) out += svg_text(x, y - 8, format(values[i]), anchor);
        if (label_all || i == 0 || i + 1 == values.size()) {
            out += svg_text(x, top + plot_h + 18, labels[i], anchor, "tick");
        }
    }
    out += "</svg>\n</figure>\n";
}

std::string format_count(double v) { return fixed(v, 0); }
std::string format_money_axis(double v) { return money_whole(v); }
std::string format_score(double v) { return fixed(v, 0); }

void trend_charts(std::string& out, const HtmlInput& in) {
    out += "<h3 id=\"trend-h\">Trend over the last runs</h3>\n";
    if (in.trend.size() < 2) {
        out += "<p class=\"muted\">The trend appears once two runs are recorded in the history";
        out += in.trend.empty() ? "." : " (this is the first).";
        out += "</p>\n";
        return;
    }
    std::vector<std::string> labels;
    std::vector<double> findings;
    std::vector<double> money;
    std::vector<double> scores;
    std::vector<std::string> score_labels;
    for (const RunPoint& p : in.trend) {
        labels.push_back(p.as_of);
        findings.push_back(static_cast<double>(p.findings));
        money.push_back(p.money_at_stake);
        if (p.company_score) {
            scores.push_back(*p.company_score);
            score_labels.push_back(p.as_of);
        }
    }
    out += "<div class=\"trend\">\n";
    line_chart(out, "chart-trend-findings", "Findings", labels, findings, format_count, std::nullopt);
    line_chart(out, "chart-trend-money", "Money at stake a year", labels, money, format_money_axis, std::nullopt);
    if (!scores.empty()) line_chart(out, "chart-trend-score", "Company alignment score", score_labels, scores, format_score, 100.0);
    out += "</div>\n";
}

void charts_section(std::string& out, const HtmlInput& in) {
    out += "<section id=\"charts\" aria-labelledby=\"charts-h\">\n<h2 id=\"charts-h\">Charts</h2>\n";
    utilisation_chart(out, in);

    std::map<std::string, std::size_t> by_department;
    std::map<std::string, std::size_t> by_rule;
    for (const Finding& f : in.report.findings) {
        ++by_department[department_label(f.department)];
        ++by_rule[f.rule_title.empty() ? f.rule_id : f.rule_title];
    }
    const auto departments = sorted_counts(by_department);
    const auto rules = sorted_counts(by_rule);
    bar_chart(out, "chart-departments", "Findings by department",
              "Number of findings (open and waived) per department, " +
                  count_text(departments.size(), "department", "departments") + ", most first.",
              departments);
    bar_chart(out, "chart-rules", "Findings by rule",
              "Number of findings per rule, " + count_text(rules.size(), "rule", "rules") + ", most first.", rules);
    trend_charts(out, in);
    out += "</section>\n";
}

// ---- tables ---------------------------------------------------------------------------------

std::string people_list(const std::vector<std::string>& people) {
    if (people.empty()) return "<span class=\"problem\">none</span>";
    return esc(join(people, ", "));
}

void overlap_section(std::string& out, const HtmlInput& in) {
    out += "<section id=\"overlaps\" aria-labelledby=\"overlaps-h\">\n<h2 id=\"overlaps-h\">Overlapping tools</h2>\n";
    if (in.overlaps.empty()) {
        out += "<p class=\"muted\">No two catalog tools share a capability.</p>\n</section>\n";
        return;
    }
    out += "<table>\n<caption class=\"muted small\">Pairs of tools bought for the same capability, with the people "
           "who use both</caption>\n<thead><tr><th scope=\"col\">Capability</th><th scope=\"col\">Tool</th>"
           "<th scope=\"col\">Other tool</th><th scope=\"col\" class=\"num\">Shared users</th>"
           "<th scope=\"col\" class=\"num\">Jaccard</th><th scope=\"col\" class=\"num\">Overlap cost / year</th>"
           "</tr></thead>\n<tbody>\n";
    for (const OverlapRow& o : in.overlaps) {
        out += "<tr><th scope=\"row\">" + esc(o.capability) + "</th><td>" + esc(o.tool_a) +
               " <span class=\"muted small\">(" + esc(department_label(o.department_a)) + ")</span></td><td>" +
               esc(o.tool_b) + " <span class=\"muted small\">(" + esc(department_label(o.department_b)) +
               ")</span></td><td class=\"num\">" + std::to_string(o.shared_users) + "</td><td class=\"num\">" +
               (o.jaccard ? percent(*o.jaccard) : "\xE2\x80\x94") + "</td><td class=\"num\">" +
               (o.overlap_cost ? money_cents(*o.overlap_cost) : "\xE2\x80\x94") + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

void ownership_section(std::string& out, const HtmlInput& in) {
    out += "<section id=\"ownership\" aria-labelledby=\"ownership-h\">\n<h2 id=\"ownership-h\">Ownership</h2>\n";
    if (in.ownership.empty()) {
        out += "<p class=\"muted\">No ownership data in this run.</p>\n</section>\n";
        return;
    }
    std::vector<const OwnershipRow*> rows;
    for (const OwnershipRow& r : in.ownership) rows.push_back(&r);
    // Problems first: that is what the reader has to act on.
    std::stable_sort(rows.begin(), rows.end(), [](const OwnershipRow* a, const OwnershipRow* b) {
        return !a->problem.empty() && b->problem.empty();
    });
    out += "<table>\n<caption class=\"muted small\">Business and technical owners per catalog tool, problems "
           "first</caption>\n<thead><tr><th scope=\"col\">Tool</th><th scope=\"col\">Department</th>"
           "<th scope=\"col\">Business owners</th><th scope=\"col\">Technical owners</th>"
           "<th scope=\"col\">Ownership</th></tr></thead>\n<tbody>\n";
    for (const OwnershipRow* r : rows) {
        out += "<tr><th scope=\"row\">" + esc(r->tool) + "</th><td>" + esc(department_label(r->department)) +
               "</td><td>" + people_list(r->business_owners) + "</td><td>" + people_list(r->technical_owners) +
               "</td><td>" +
               (r->problem.empty() ? std::string("<span class=\"ok\">\xE2\x9C\x93 clear</span>")
                                   : "<span class=\"problem\">\xE2\x9A\xA0 " + esc(r->problem) + "</span>") +
               "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

// ---- findings -------------------------------------------------------------------------------

void finding_article(std::string& out, const Finding& f) {
    const std::string sev(to_string(f.severity));
    out += "<article class=\"finding " + sev + (f.waived ? " is-waived" : "") + "\" id=\"" + esc(f.id) + "\">\n<h4>" +
           severity_badge(f.severity);
    if (f.waived) out += "<span class=\"badge waived\">waived</span>";
    if (!f.state.empty()) out += "<span class=\"badge state\">" + esc(f.state) + "</span>";
    out += "<span class=\"tool\">" + esc(f.tool.empty() ? f.subject_key : f.tool) + "</span>";
    if (!f.rule_title.empty()) out += "<span class=\"muted\">" + esc(f.rule_title) + "</span>";
    if (has_money(f)) out += "<span class=\"money\">" + money_cents(*f.money_at_stake) + " a year</span>";
    out += "</h4>\n<p class=\"message\">" + esc(f.message) + "</p>\n<dl class=\"meta\">\n";
    out += "<dt>Owners</dt><dd>" + (f.owners.empty() ? std::string("none recorded") : esc(join(f.owners, ", "))) +
           "</dd>\n";
    out += "<dt>Department</dt><dd>" + esc(department_label(f.department)) + "</dd>\n";
    out += "<dt>Money at stake</dt><dd>" +
           (has_money(f) ? money_cents(*f.money_at_stake) + " a year" : std::string("no estimate")) + "</dd>\n";
    if (!f.state.empty() || !f.first_seen.empty() || f.age_days) {
        std::string life = f.state.empty() ? std::string("open") : esc(f.state);
        if (!f.first_seen.empty()) life += ", first seen " + esc(f.first_seen);
        if (f.age_days) life += ", open " + count_text(static_cast<std::size_t>(std::max<std::int64_t>(*f.age_days, 0)), "day", "days");
        out += "<dt>State</dt><dd>" + life + "</dd>\n";
    }
    out += "<dt>Rule</dt><dd>" + esc(f.rule_id) + " <span class=\"muted\">(" + esc(f.category) + ")</span></dd>\n";
    out += "<dt>Finding id</dt><dd>" + esc(f.id) + "</dd>\n</dl>\n";
    if (f.waived) {
        out += "<div class=\"waiver\"><strong>Waived</strong>";
        if (!f.waiver_reason.empty()) out += ": " + esc(f.waiver_reason);
        out += "<br><span class=\"muted\">approved by " + or_dash(f.waiver_approver) + ", expires " +
               or_dash(f.waiver_expires) + "</span></div>\n";
    }
    if (!f.evidence.empty()) {
        out += "<details class=\"evidence\" open><summary>Evidence</summary>\n<dl class=\"meta\">\n";
        for (const auto& [name, value] : f.evidence) out += "<dt>" + esc(name) + "</dt><dd>" + esc(value) + "</dd>\n";
        out += "</dl>\n</details>\n";
    }
    if (!f.remediation.empty()) out += "<p class=\"remediation\"><strong>What to do:</strong> " + esc(f.remediation) + "</p>\n";
    out += "</article>\n";
}

void findings_section(std::string& out, const HtmlInput& in) {
    const auto& findings = in.report.findings;
    out += "<section id=\"findings\" aria-labelledby=\"findings-h\">\n<h2 id=\"findings-h\">Findings (" +
           std::to_string(findings.size()) + ")</h2>\n";
    if (findings.empty()) {
        out += coverage_gaps(in.report).empty()
                   ? "<p>No findings: every source was read in full, every rule was evaluated, and none fired.</p>\n"
                   : "<p class=\"problem\">No findings in the data that could be read. The inputs were incomplete "
                     "(see the warning above), so this is not a clean result.</p>\n";
        out += "</section>\n";
        return;
    }
    for (Severity s : k_severities_descending) {
        std::vector<const Finding*> group;
        for (const Finding& f : findings) {
            if (f.severity == s) group.push_back(&f);
        }
        if (group.empty()) continue;
        const std::string name(to_string(s));
        out += "<div class=\"findings-group\" id=\"findings-" + name + "\">\n<h3>" + severity_badge(s) + " " +
               count_text(group.size(), name + " finding", name + " findings") + "</h3>\n";
        for (const Finding* f : group) finding_article(out, *f);
        out += "</div>\n";
    }
    out += "</section>\n";
}

}  // namespace

std::string html_report(const HtmlInput& input) {
    const AuditReport& report = input.report;
    const std::string company = report.company.empty() ? std::string("(company not set)") : report.company;
    const std::string as_of = format_date(to_date(report.as_of));
    const Headline h = headline(input);

    std::string out;
    out.reserve(64 * 1024);
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"stackaudit " + esc(report.tool_version) + "\">\n";
    out += "<title>SaaS audit: " + esc(company) + ", " + as_of + "</title>\n<style>" + std::string(k_style) +
           "</style>\n</head>\n<body>\n";
    out += "<header class=\"page\">\n<h1>SaaS usage and ownership audit</h1>\n<div class=\"company\">" + esc(company) +
           "</div>\n<div class=\"muted\">As of " + as_of + " (UTC) \xC2\xB7 usage window " +
           count_text(static_cast<std::size_t>(std::max(report.window_days, 0)), "day", "days") + " \xC2\xB7 " +
           count_text(report.findings.size(), "finding", "findings") + "</div>\n";
    out += "<nav class=\"toc\" aria-label=\"Contents\"><a href=\"#headline\">Headline</a><a href=\"#scorecard\">"
           "Scorecard</a><a href=\"#charts\">Charts</a><a href=\"#overlaps\">Overlaps</a><a href=\"#ownership\">"
           "Ownership</a><a href=\"#findings\">Findings</a><a href=\"#inputs\">Inputs</a></nav>\n</header>\n<main>\n";
    coverage_warning(out, report);
    headline_section(out, input, h);
    scorecard_section(out, input);
    charts_section(out, input);
    overlap_section(out, input);
    ownership_section(out, input);
    findings_section(out, input);
    inputs_section(out, report);
    out += "</main>\n<footer>Generated by stackaudit " + esc(report.tool_version) + " for " + esc(company) + " as of " +
           as_of + ". This file is self-contained: it loads nothing from the network and runs no scripts. "
           "Money is a yearly estimate in the catalog currency.</footer>\n</body>\n</html>\n";
    return out;
}

}  // namespace stackaudit::report
