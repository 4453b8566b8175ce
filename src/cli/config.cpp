// The stackaudit.yaml loader (format documented in docs/config.md).
#include "config.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "stackaudit/core/strings.hpp"

namespace stackaudit::cli {

namespace {

namespace fs = std::filesystem;

class Loader {
public:
    explicit Loader(fs::path file) : m_file(std::move(file)) {}

    std::unexpected<Error> error(const YAML::Node& node, std::string message, std::string hint = {}) const {
        Location where{.source = "config", .file = m_file.string()};
        const auto mark = node.Mark();
        if (mark.line >= 0) {
            where.line = static_cast<std::size_t>(mark.line) + 1;
            where.column = static_cast<std::size_t>(mark.column) + 1;
        }
        return fail(ErrorCode::config_invalid, std::move(message), where, std::move(hint));
    }

    // Every key of `map` must be one of `allowed`.
    Result<void> check_keys(const YAML::Node& map, std::string_view where, const std::vector<std::string>& allowed) const {
        if (!map.IsMap()) return error(map, std::string(where) + " must be a mapping (key: value lines)");
        for (const auto& kv : map) {
            const auto key = kv.first.as<std::string>();
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string hint = "allowed keys in " + std::string(where) + ": " + join(allowed, ", ");
            if (auto guess = did_you_mean(key, allowed); !guess.empty()) hint = "did you mean \"" + guess + "\"? " + hint;
            return error(kv.first, "unknown key \"" + key + "\" in " + std::string(where), hint);
        }
        return {};
    }

    Result<std::string> scalar(const YAML::Node& node, std::string_view what) const {
        if (!node.IsScalar()) return error(node, std::string(what) + " must be a single value");
        return node.as<std::string>();
    }

    Result<std::vector<std::string>> string_list(const YAML::Node& node, std::string_view what) const {
        std::vector<std::string> out;
        if (node.IsScalar()) {
            out.push_back(node.as<std::string>());
            return out;
        }
        if (!node.IsSequence()) return error(node, std::string(what) + " must be a list, e.g. [a, b]");
        for (const auto& item : node) {
            auto s = scalar(item, what);
            if (!s) return std::unexpected(s.error());
            out.push_back(*s);
        }
        return out;
    }

    static Value to_value(const YAML::Node& node) {
        if (node.IsSequence()) {
            Value::List list;
            for (const auto& item : node) list.push_back(to_value(item));
            return Value(std::move(list));
        }
        if (!node.IsScalar()) return Value();
        const auto text = node.as<std::string>();
        if (node.Tag() == "!") return Value(text);  // quoted: always a string
        if (text == "null" || text == "~") return Value();
        if (text == "true" || text == "false") return Value(text == "true");
        char* end = nullptr;
        const long long i = std::strtoll(text.c_str(), &end, 10);
        if (!text.empty() && end != nullptr && *end == '\0') return Value(static_cast<std::int64_t>(i));
        const double d = std::strtod(text.c_str(), &end);
        if (!text.empty() && end != nullptr && *end == '\0') return Value(d);
        return Value(text);
    }

    fs::path resolve(const std::string& p) const {
        fs::path path(p);
        return path.is_absolute() ? path : (m_file.parent_path() / path).lexically_normal();
    }

    Result<connectors::SourceConfig> source(const YAML::Node& node, const std::string& kind, std::string name) const {
        const auto* spec = connectors::find(kind);
        if (spec == nullptr) return error(node, "unknown input kind \"" + kind + "\"");
        std::vector<std::string> allowed{"path", "paths", "columns", "options"};
        if (spec->needs_tool) allowed.push_back("tool");
        if (auto ok = check_keys(node, "inputs." + kind, allowed); !ok) return std::unexpected(ok.error());
        connectors::SourceConfig s;
        s.kind = kind;
        s.config_file = m_file.string();
        s.config_line = node.Mark().line >= 0 ? static_cast<std::size_t>(node.Mark().line) + 1 : 0;
        if (node["path"]) {
            auto p = scalar(node["path"], "path");
            if (!p) return std::unexpected(p.error());
            s.paths.push_back(resolve(*p));
            s.display_paths.push_back(*p);
        }
        if (node["paths"]) {
            auto ps = string_list(node["paths"], "paths");
            if (!ps) return std::unexpected(ps.error());
            for (const auto& p : *ps) {
                s.paths.push_back(resolve(p));
                s.display_paths.push_back(p);
            }
        }
        if (s.paths.empty())
            return error(node, "input " + kind + " has no path", "add  path: <file>  (relative to " + m_file.parent_path().string() + ")");
        if (spec->needs_tool) {
            if (!node["tool"])
                return error(node, "a " + kind + " input needs the catalog tool it belongs to",
                             "add  tool: <name as in the catalog's tool column>");
            auto t = scalar(node["tool"], "tool");
            if (!t) return std::unexpected(t.error());
            s.tool = *t;
            name += ":" + s.tool;
        }
        if (const auto cols = node["columns"]) {
            if (!cols.IsMap()) return error(cols, "columns must map column keys to headers, e.g. {email: \"Email Address\"}");
            for (const auto& kv : cols) {
                auto header = scalar(kv.second, "a column header");
                if (!header) return std::unexpected(header.error());
                s.columns[kv.first.as<std::string>()] = *header;
            }
            // Validate the keys now, with the config's line, rather than when the file is read.
            if (auto specs = connectors::column_specs(*spec, s); !specs) {
                auto e = error(cols, specs.error().message, specs.error().hint);
                return e;
            }
        }
        if (const auto opts = node["options"]) {
            if (!opts.IsMap()) return error(opts, "options must be a mapping");
            std::vector<std::string> known;
            for (const auto& doc : spec->options) known.push_back(doc.substr(0, doc.find(':')));
            for (const auto& kv : opts) {
                const auto key = kv.first.as<std::string>();
                if (std::find(known.begin(), known.end(), key) == known.end()) {
                    std::string hint = known.empty() ? "inputs." + kind + " takes no options"
                                                     : "options of inputs." + kind + ": " + join(known, ", ");
                    if (auto guess = did_you_mean(key, known); !guess.empty()) hint = "did you mean \"" + guess + "\"? " + hint;
                    return error(kv.first, "unknown option \"" + key + "\" for inputs." + kind, hint);
                }
                auto v = scalar(kv.second, "an option value");
                if (!v) return std::unexpected(v.error());
                s.options[key] = *v;
            }
        }
        s.name = std::move(name);
        return s;
    }

    Result<AuditConfig> load() const {
        YAML::Node root;
        try {
            root = YAML::LoadFile(m_file.string());
        } catch (const YAML::BadFile&) {
            return fail(ErrorCode::io, "cannot read config file " + m_file.string(), Location{.file = m_file.string()},
                        "pass the config with --config FILE; `stackaudit sample --out DIR` writes an example");
        } catch (const YAML::Exception& e) {
            return fail(ErrorCode::config_invalid, "YAML syntax error: " + e.msg,
                        Location{.source = "config", .file = m_file.string(),
                                 .line = static_cast<std::size_t>(e.mark.line + 1),
                                 .column = static_cast<std::size_t>(e.mark.column + 1)},
                        "check indentation (spaces, not tabs) and quoting around values with ':' or '#'");
        }
        AuditConfig c;
        c.file = m_file;
        c.dir = m_file.parent_path();
        if (!root.IsMap()) return error(root, "the config must be a mapping of keys such as inputs:, rules:, output:");
        if (auto ok = check_keys(root, "the config", {"company", "as_of", "usage_window_days", "on_bad_row", "inputs", "rules", "output"}); !ok)
            return std::unexpected(ok.error());
        if (root["company"]) c.company = root["company"].as<std::string>();
        if (const auto n = root["as_of"]) {
            auto ts = parse_timestamp(n.as<std::string>());
            if (!ts || !*ts) return error(n, "as_of must be a date such as 2026-11-01", "or leave it out to audit as of now");
            c.as_of = **ts;
        }
        if (const auto n = root["usage_window_days"]) {
            const auto v = to_value(n);
            if (v.type() != ValueType::integer || v.as_int() < 1 || v.as_int() > 3650)
                return error(n, "usage_window_days must be a whole number of days between 1 and 3650");
            c.window_days = static_cast<int>(v.as_int());
        }
        if (const auto n = root["on_bad_row"]) {
            auto p = parse_bad_row_policy(n.as<std::string>());
            if (!p) return error(n, p.error().message, p.error().hint);
            c.on_bad_row = *p;
        }
        const auto inputs = root["inputs"];
        if (!inputs) return error(root, "the config has no inputs:", "see docs/config.md for an example");
        std::vector<std::string> kinds;
        for (const auto& spec : connectors::registry()) kinds.push_back(spec.kind);
        if (auto ok = check_keys(inputs, "inputs", kinds); !ok) return std::unexpected(ok.error());
        for (const auto& spec : connectors::registry()) {
            const auto node = inputs[spec.kind];
            if (!node) continue;
            if (node.IsSequence()) {
                if (!spec.multiple) return error(node, "inputs." + spec.kind + " takes one source, not a list");
                for (const auto& item : node) {
                    auto s = source(item, spec.kind, spec.kind);
                    if (!s) return std::unexpected(s.error());
                    c.sources.push_back(std::move(*s));
                }
            } else {
                auto s = source(node, spec.kind, spec.kind);
                if (!s) return std::unexpected(s.error());
                c.sources.push_back(std::move(*s));
            }
        }
        for (std::size_t i = 0; i < c.sources.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (iequals(c.sources[i].name, c.sources[j].name))
                    return fail(ErrorCode::config_invalid, "input " + c.sources[i].name + " is configured twice",
                                Location{.source = "config", .file = m_file.string(), .line = c.sources[i].config_line},
                                "each seat export must name a different tool");
        if (const auto rules = root["rules"]) {
            if (auto ok = check_keys(rules, "rules", {"paths", "params", "disable", "enable", "severity"}); !ok)
                return std::unexpected(ok.error());
            if (rules["paths"]) {
                auto ps = string_list(rules["paths"], "rules.paths");
                if (!ps) return std::unexpected(ps.error());
                for (const auto& p : *ps) c.rule_paths.push_back(resolve(p));
            }
            if (const auto params = rules["params"]) {
                if (!params.IsMap()) return error(params, "rules.params must map parameter names to values");
                for (const auto& kv : params) c.params[kv.first.as<std::string>()] = to_value(kv.second);
            }
            for (const auto& [key, target] : {std::pair{"disable", &c.disabled}, std::pair{"enable", &c.enabled}}) {
                if (!rules[key]) continue;
                auto ids = string_list(rules[key], std::string("rules.") + key);
                if (!ids) return std::unexpected(ids.error());
                target->insert(ids->begin(), ids->end());
            }
            if (const auto sev = rules["severity"]) {
                if (!sev.IsMap()) return error(sev, "rules.severity must map rule ids to severities");
                for (const auto& kv : sev) {
                    auto s = parse_severity(kv.second.as<std::string>());
                    if (!s) return error(kv.second, s.error().message, s.error().hint);
                    c.severity[kv.first.as<std::string>()] = *s;
                }
            }
        }
        if (const auto out = root["output"]) {
            if (auto ok = check_keys(out, "output", {"dir"}); !ok) return std::unexpected(ok.error());
            if (out["dir"]) c.output_dir = resolve(out["dir"].as<std::string>());
        }
        return c;
    }

private:
    fs::path m_file;
};

}  // namespace

Result<AuditConfig> load_config(const std::filesystem::path& file) {
    try {
        return Loader(file).load();
    } catch (const YAML::Exception& e) {
        return fail(ErrorCode::config_invalid, "unexpected value: " + e.msg,
                    Location{.source = "config", .file = file.string(), .line = static_cast<std::size_t>(e.mark.line + 1)},
                    "see docs/config.md for the expected shape");
    }
}

std::filesystem::path builtin_rules_dir() {
    if (const char* env = std::getenv("STACKAUDIT_RULES_DIR"); env != nullptr && *env != '\0') return env;
    const std::filesystem::path source_dir = STACKAUDIT_SOURCE_RULES_DIR;
    std::error_code ec;
    if (std::filesystem::is_directory(source_dir, ec)) return source_dir;
    return std::filesystem::path(STACKAUDIT_INSTALL_RULES_DIR);
}

}  // namespace stackaudit::cli
