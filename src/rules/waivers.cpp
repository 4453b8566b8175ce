// Waivers: the strict loader for the customer's waivers file (unknown keys, missing fields, an
// unknown rule id, a bad approver or date are reported with file:line; the rest still load) and
// the matching that marks findings waived and reports expired and unused waivers.
#include "stackaudit/rules/waivers.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>

#include <yaml-cpp/yaml.h>

#include "stackaudit/core/io.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::rules {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> k_top_keys{"waivers"};
const std::vector<std::string> k_waiver_keys{"rule", "subject", "reason", "approver", "expires"};

std::string describe_node(const YAML::Node& n) {
    if (!n.IsDefined() || n.IsNull()) return "nothing (null)";
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a mapping";
    return "'" + n.Scalar() + "'";
}

bool looks_like_email(std::string_view s) {
    static const std::regex k_email(R"([^@\s]+@[^@\s]+\.[^@\s.]+)");
    return std::regex_match(s.begin(), s.end(), k_email);
}

class WaiverFileLoader {
public:
    WaiverFileLoader(const fs::path& path, const std::vector<std::string>& known_rules, WaiverLoad& out)
        : m_file(path.string()), m_known_rules(known_rules), m_out(out) {}

    void load(const std::string& text) {
        YAML::Node root;
        try {
            root = YAML::Load(text);
        } catch (const YAML::Exception& e) {
            Location loc{"waivers", m_file, e.mark.is_null() ? 0 : static_cast<std::size_t>(e.mark.line + 1),
                         e.mark.is_null() ? 0 : static_cast<std::size_t>(e.mark.column + 1), 0, {}};
            m_out.errors.push_back(Error{ErrorCode::config_invalid, "waivers file is not valid YAML: " + e.msg, loc,
                                         "check indentation and quoting; subjects containing ': ' or '#' must be "
                                         "quoted"});
            return;
        }
        // An empty file (or only comments) is a valid file with no waivers.
        if (!root.IsDefined() || root.IsNull()) return;
        if (!root.IsMap()) {
            error(root, "the waivers file must be a mapping with a 'waivers:' list, got " + describe_node(root),
                  "start the file with 'waivers:' followed by '- rule: ...' entries (docs/waivers.md)");
            return;
        }
        YAML::Node list;
        for (auto it = root.begin(); it != root.end(); ++it) {
            const YAML::Node key = it->first;
            const std::string name = key.IsScalar() ? key.Scalar() : std::string();
            if (name != "waivers") {
                const auto guess = did_you_mean(name, k_top_keys);
                error(key, "unknown top-level key '" + name + "' in the waivers file",
                      guess.empty() ? "the only top-level key is 'waivers'" : "did you mean '" + guess + "'?");
                continue;
            }
            list = it->second;
        }
        if (!list.IsDefined() || list.IsNull()) return;
        if (!list.IsSequence()) {
            error(list, "'waivers' must be a list, got " + describe_node(list),
                  "write each waiver as a list item: '  - rule: ...'");
            return;
        }
        for (const auto& item : list) entry(item);
    }

private:
    std::string m_file;
    const std::vector<std::string>& m_known_rules;
    WaiverLoad& m_out;

    Location at(const YAML::Node& n) const {
        Location loc;
        loc.source = "waivers";
        loc.file = m_file;
        const auto mark = n.Mark();
        if (!mark.is_null()) {
            loc.line = static_cast<std::size_t>(mark.line + 1);
            loc.column = static_cast<std::size_t>(mark.column + 1);
        }
        return loc;
    }

    void error(const YAML::Node& n, std::string message, std::string hint) {
        m_out.errors.push_back(Error{ErrorCode::config_invalid, std::move(message), at(n), std::move(hint)});
    }

    void entry(const YAML::Node& item) {
        if (!item.IsMap()) {
            error(item, "a waiver must be a mapping with rule, subject, reason, approver and expires, got " +
                            describe_node(item),
                  "write it as '- rule: <rule id>' with the other keys indented below it");
            return;
        }
        const std::size_t before = m_out.errors.size();
        std::map<std::string, std::pair<YAML::Node, YAML::Node>> keys;
        std::vector<std::string> misspelt;  // keys an unknown key probably meant: not reported again as missing
        for (auto it = item.begin(); it != item.end(); ++it) {
            const YAML::Node key = it->first;
            const std::string name = key.IsScalar() ? key.Scalar() : std::string();
            if (std::find(k_waiver_keys.begin(), k_waiver_keys.end(), name) == k_waiver_keys.end()) {
                const auto guess = did_you_mean(name, k_waiver_keys);
                if (!guess.empty()) misspelt.push_back(guess);
                error(key, "unknown key '" + name + "' in a waiver",
                      guess.empty() ? "allowed keys: " + join(k_waiver_keys, ", ") : "did you mean '" + guess + "'?");
                continue;
            }
            if (keys.contains(name)) {
                error(key, "key '" + name + "' appears twice in a waiver", "keep one of them");
                continue;
            }
            keys.emplace(name, std::pair{key, it->second});
        }

        Waiver w;
        w.file = m_file;
        w.line = at(item).line;
        auto text = [&](const std::string& key) -> std::optional<std::string> {
            const auto it = keys.find(key);
            if (it == keys.end()) {
                if (std::find(misspelt.begin(), misspelt.end(), key) != misspelt.end()) return std::nullopt;
                error(item, "waiver is missing required key '" + key + "'",
                      "every waiver needs " + join(k_waiver_keys, ", ") + " (docs/waivers.md)");
                return std::nullopt;
            }
            const YAML::Node& v = it->second.second;
            if (!v.IsScalar() || trim(v.Scalar()).empty()) {
                error(v.IsNull() ? it->second.first : v, "'" + key + "' must be a non-empty text, got " + describe_node(v),
                      "write it as " + key + ": \"...\"");
                return std::nullopt;
            }
            return std::string(trim(v.Scalar()));
        };
        auto node = [&](const std::string& key) { return keys.at(key).second; };

        if (auto rule = text("rule")) {
            if (std::find(m_known_rules.begin(), m_known_rules.end(), *rule) == m_known_rules.end()) {
                const auto guess = did_you_mean(*rule, m_known_rules);
                error(node("rule"), "waiver names unknown rule '" + *rule + "'",
                      guess.empty() ? "`stackaudit rules list` shows the rule ids" : "did you mean '" + guess + "'?");
            } else {
                w.rule = *rule;
            }
        }
        if (auto subject = text("subject")) w.subject = *subject;
        if (auto reason = text("reason")) w.reason = *reason;
        if (auto approver = text("approver")) {
            if (!looks_like_email(*approver)) {
                error(node("approver"), "approver '" + *approver + "' is not an email address",
                      "name the person who accepts the risk by email, e.g. approver: cio@example.com");
            } else {
                w.approver = *approver;
            }
        }
        if (auto expires = text("expires")) {
            auto parsed = parse_date(*expires);
            if (!parsed) {
                error(node("expires"), "expires '" + *expires + "' is not a date",
                      "write the date as YYYY-MM-DD, e.g. expires: 2027-03-31");
            } else if (!*parsed) {
                error(node("expires"), "expires '" + *expires + "' means never; waivers must expire",
                      "give a date by which the waiver is reviewed again, e.g. expires: 2027-03-31");
            } else {
                w.expires = **parsed;
            }
        }
        if (m_out.errors.size() == before) m_out.waivers.push_back(std::move(w));
    }
};

// '*' matches any run of characters (also none); everything else matches itself. Both sides are
// already lower-cased.
bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::optional<std::size_t> star;
    std::size_t star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star) {
            p = *star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool matches(const Waiver& w, const Finding& f) {
    if (w.rule != f.rule_id) return false;
    if (iequals(w.subject, f.subject_key) || iequals(w.subject, f.id)) return true;
    if (w.subject.find('*') == std::string::npos) return false;
    return glob_match(to_lower(w.subject), to_lower(f.subject_key));
}

std::string where(const Waiver& w) { return w.file + ":" + std::to_string(w.line); }

Location location(const Waiver& w) {
    Location loc;
    loc.source = "waivers";
    loc.file = w.file;
    loc.line = w.line;
    return loc;
}

}  // namespace

WaiverLoad load_waivers(const std::filesystem::path& file, const std::vector<std::string>& known_rules) {
    WaiverLoad out;
    auto text = read_file(file);
    if (!text) {
        Error e = text.error();
        e.where.source = "waivers";
        if (e.where.file.empty()) e.where.file = file.string();
        if (e.hint.empty()) e.hint = "check the 'waivers:' path in the config, or remove it to run without waivers";
        out.errors.push_back(std::move(e));
        return out;
    }
    WaiverFileLoader(file, known_rules, out).load(*text);
    return out;
}

WaiverOutcome apply_waivers(std::vector<Finding>& findings, const std::vector<Waiver>& waivers, Date as_of) {
    WaiverOutcome out;
    for (const auto& w : waivers) {
        std::size_t matched = 0;
        for (const auto& f : findings)
            if (matches(w, f)) ++matched;
        if (w.expires < as_of) {
            std::string message = "waiver for " + w.rule + " " + w.subject + " (" + where(w) + ") expired on " +
                                  format_date(w.expires);
            if (matched > 0)
                message += "; " + std::to_string(matched) + (matched == 1 ? " finding it matched is" : " findings it matched are") +
                           " no longer waived";
            out.expired.push_back(Error{ErrorCode::invalid_value, std::move(message), location(w),
                                        "review the risk again: renew it with a new expires date (and approver), "
                                        "or remove the waiver and fix the finding"});
            continue;
        }
        if (matched == 0) {
            out.unused.push_back(Error{ErrorCode::not_found,
                                       "waiver for " + w.rule + " " + w.subject + " (" + where(w) +
                                           ") matched no finding",
                                       location(w),
                                       "the problem may be fixed: remove the waiver; otherwise check the rule id "
                                       "and subject against `stackaudit findings`"});
            continue;
        }
        // The first waiver in the file that matches a finding is the one it is shown with.
        for (auto& f : findings) {
            if (f.waived || !matches(w, f)) continue;
            f.waived = true;
            f.waiver_reason = w.reason;
            f.waiver_approver = w.approver;
            f.waiver_expires = format_date(w.expires);
        }
    }
    return out;
}

}  // namespace stackaudit::rules
