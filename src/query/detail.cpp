// The query module's shared formatting: everything that must read the same in every query's
// table, CSV and JSON (owner marks, counts, percentages, the context header, the envelope).
#include "detail.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>

#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/text.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::query::detail {

std::vector<std::uint32_t> name_ranks(const GraphSnapshot& snapshot) {
    const std::size_t tools = snapshot.tools.size();
    std::vector<std::string> lower(tools);
    for (std::size_t t = 0; t < tools; ++t) lower[t] = to_lower(snapshot.tools[t].name);
    std::vector<std::uint32_t> order(tools);
    for (std::size_t t = 0; t < tools; ++t) order[t] = static_cast<std::uint32_t>(t);
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        return std::tie(lower[x], snapshot.tools[x].name, x) < std::tie(lower[y], snapshot.tools[y].name, y);
    });
    std::vector<std::uint32_t> rank(tools);
    for (std::size_t r = 0; r < tools; ++r) rank[order[r]] = static_cast<std::uint32_t>(r);
    return rank;
}

bool same_department(std::string_view a, std::string_view b) {
    const std::string_view x = trim(a), y = trim(b);
    return !x.empty() && iequals(x, y);
}

OwnerState owner_state(const SnapshotPerson& person) {
    if (!person.in_directory) return OwnerState::unknown;
    if (person.departed) return OwnerState::departed;
    return OwnerState::active;
}

std::string_view to_string(OwnerState state) {
    switch (state) {
    case OwnerState::active: return "active";
    case OwnerState::departed: return "departed";
    case OwnerState::unknown: return "unknown";
    }
    return "unknown";
}

std::vector<OwnerEntry> owner_entries(const GraphSnapshot& snapshot, const std::vector<std::uint32_t>& people) {
    std::vector<OwnerEntry> out;
    out.reserve(people.size());
    for (const std::uint32_t p : people)
        if (p < snapshot.people.size()) out.push_back({p, owner_state(snapshot.people[p])});
    return out;
}

std::string owner_label(const GraphSnapshot& snapshot, const OwnerEntry& owner) {
    std::string text = snapshot.people[owner.person].email;
    if (owner.state == OwnerState::departed) text += " (left)";
    if (owner.state == OwnerState::unknown) text += " (not in directory)";
    return text;
}

std::string owner_labels(const GraphSnapshot& snapshot, const std::vector<OwnerEntry>& owners,
                         std::string_view separator) {
    std::string out;
    for (const OwnerEntry& owner : owners) {
        if (!out.empty()) out += separator;
        out += owner_label(snapshot, owner);
    }
    return out;
}

std::string readable_count(std::size_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string fixed(double value, int decimals) {
    if (!std::isfinite(value)) return {};
    char buf[512];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
    if (ec != std::errc{}) return {};
    return std::string(buf, end);
}

std::string percent(double share) { return fixed(share * 100.0, 1) + "%"; }

std::string rounded(double value, int decimals) {
    if (!std::isfinite(value)) return "null";
    const double scale = std::pow(10.0, decimals);
    const double r = std::round(value * scale) / scale;
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, r);
    if (ec != std::errc{}) return "null";
    return std::string(buf, end);
}

std::string date_text(const std::optional<Timestamp>& when) { return when ? format_date(to_date(*when)) : std::string(); }

std::string as_of_text(const Context& context, const GraphSnapshot& snapshot) {
    return context.as_of.empty() ? format_date(to_date(snapshot.as_of)) : context.as_of;
}

std::string or_blank(std::string_view text, std::string_view blank) {
    return std::string(trim(text).empty() ? blank : text);
}

std::string table_header(const Context& context, const GraphSnapshot& snapshot) {
    std::string out = "As of " + as_of_text(context, snapshot);
    if (!context.source.empty()) out += ", " + context.source;
    out = terminal_safe(out) + "\n";
    // One loud line per gap: an answer drawn from half the data must not read as the whole truth.
    for (const std::string& gap : context.gaps) out += "WARNING: incomplete data: " + terminal_safe(gap) + "\n";
    return out + "\n";
}

void json_begin(JsonWriter& json, const Context& context, const GraphSnapshot& snapshot) {
    json.begin_object();
    json.key("schema_version");
    json.integer(k_schema_version);
    json.key("run");
    json.begin_object();
    json.field("source", context.source);
    json.key("run_id");
    if (context.run_id) json.integer(*context.run_id);
    else json.null();
    json.field("as_of", as_of_text(context, snapshot));
    json.field_bool("complete", context.gaps.empty());
    json.key("gaps");
    json.begin_array();
    for (const std::string& gap : context.gaps) json.string(gap);
    json.end_array();
    json.end_object();
}

void json_money(JsonWriter& json, const std::optional<double>& amount) {
    const std::string text = amount ? format_money(*amount) : std::string();
    if (text.empty()) json.null();
    else json.number_text(text);
}

void json_optional_string(JsonWriter& json, std::string_view text) {
    if (text.empty()) json.null();
    else json.string(text);
}

void json_owners(JsonWriter& json, const GraphSnapshot& snapshot, const std::vector<OwnerEntry>& owners) {
    json.begin_array();
    for (const OwnerEntry& owner : owners) {
        const SnapshotPerson& person = snapshot.people[owner.person];
        json.begin_object();
        json.field("email", person.email);
        json.field("name", person.name);
        json.field("state", to_string(owner.state));
        json.end_object();
    }
    json.end_array();
}

std::string cell(std::string_view text) { return spreadsheet_safe(text); }

std::string money_cell(const std::optional<double>& amount) { return amount ? format_money(*amount) : std::string(); }

void Table::column(std::string title, std::size_t max_width, Align align) {
    m_columns.push_back({std::move(title), max_width, align});
}

void Table::row(std::vector<std::string> cells) {
    cells.resize(m_columns.size());
    for (std::string& c : cells) c = terminal_safe(c);
    m_lines.push_back({false, std::move(cells)});
}

void Table::note(std::string text, std::size_t column, std::size_t indent) {
    m_lines.push_back({true, {terminal_safe(text)}, column, indent});
}

std::string Table::render(std::size_t indent) const {
    std::vector<std::size_t> widths;
    for (const Column& column : m_columns) widths.push_back(std::min(display_width(column.title), column.max_width));
    for (const Line& line : m_lines) {
        if (line.is_note) continue;
        for (std::size_t i = 0; i < m_columns.size(); ++i)
            widths[i] = std::max(widths[i], std::min(display_width(line.cells[i]), m_columns[i].max_width));
    }
    const std::string margin(indent, ' ');
    auto format_row = [&](const std::vector<std::string>& cells) {
        std::string out = margin;
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
            if (i > 0) out += "  ";
            const std::string text = fit(cells[i], widths[i]);
            out += m_columns[i].align == Align::right ? pad_left(text, widths[i]) : pad_right(text, widths[i]);
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out + "\n";
    };
    std::vector<std::string> titles;
    for (const Column& column : m_columns) titles.push_back(column.title);
    std::string out = format_row(titles);
    for (const Line& line : m_lines) {
        if (line.is_note) {
            std::size_t start = indent + line.indent;
            for (std::size_t i = 0; i < line.column && i < widths.size(); ++i) start += widths[i] + 2;
            out += wrap(line.cells[0], k_line_width, std::string(start, ' '), std::string(start + 2, ' '));
        } else {
            out += format_row(line.cells);
        }
    }
    return out;
}

std::string in_quotes(std::string_view text) {
    // Built by appending: g++ 12 at -O2 warns falsely (-Wrestrict) on "literal" + std::string.
    std::string out(1, '"');
    out += text;
    out += '"';
    return out;
}

}  // namespace stackaudit::query::detail
