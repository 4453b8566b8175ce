// The stackaudit.yaml loader (format documented in docs/config.md).
#include <sys/stat.h>

#include "config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

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
        if (spec->needs_tool || !spec->default_tool.empty()) allowed.push_back("tool");
        if (spec->api) allowed.push_back("api");
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
        if (const auto api = node["api"]) {
            auto a = api_config(api, *spec, kind);
            if (!a) return std::unexpected(a.error());
            s.api = std::move(*a);
        }
        if (s.paths.empty() && !s.api)
            return error(node, "input " + kind + " has no path",
                         spec->api ? "add  path: <file or saved pages folder>  or an  api:  section to pull it live"
                                   : "add  path: <file>  (relative to " + m_file.parent_path().string() + ")");
        if (!s.paths.empty() && s.api)
            return error(node, "input " + kind + " has both path and api",
                         "use api: to pull live (the audit reads the latest snapshot) or path: for saved files, not both");
        if (spec->needs_tool) {
            if (!node["tool"])
                return error(node, "a " + kind + " input needs the catalog tool it belongs to",
                             "add  tool: <name as in the catalog's tool column>");
            auto t = scalar(node["tool"], "tool");
            if (!t) return std::unexpected(t.error());
            s.tool = *t;
        }
        if (spec->needs_tool) name += ":" + s.tool;
        else if (!spec->default_tool.empty() && !s.tool.empty() && !iequals(s.tool, spec->default_tool)) name += ":" + s.tool;
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

    // api: {base_url, credentials: {name: {env: VAR} | {file: path}}, options, ca_file, timeouts}
    Result<connectors::ApiSourceConfig> api_config(const YAML::Node& node, const connectors::ConnectorSpec& spec,
                                                   const std::string& kind) const {
        if (auto ok = check_keys(node, "inputs." + kind + ".api",
                                 {"base_url", "credentials", "options", "ca_file", "timeout_seconds",
                                  "connect_timeout_seconds", "max_attempts", "budget_seconds"});
            !ok)
            return std::unexpected(ok.error());
        connectors::ApiSourceConfig a;
        a.base_url = spec.api->default_base_url;
        if (node["base_url"]) a.base_url = node["base_url"].as<std::string>();
        std::vector<std::string> names;
        for (const auto& c : spec.api->credentials) names.push_back(c.name);
        if (const auto creds = node["credentials"]) {
            if (!creds.IsMap()) return error(creds, "credentials must map each credential to {env: VAR} or {file: PATH}");
            for (const auto& kv : creds) {
                const auto name = kv.first.as<std::string>();
                if (std::find(names.begin(), names.end(), name) == names.end()) {
                    std::string hint = "credentials of " + kind + ": " + join(names, ", ");
                    if (auto guess = did_you_mean(name, names); !guess.empty()) hint = "did you mean \"" + guess + "\"? " + hint;
                    return error(kv.first, "unknown credential \"" + name + "\" for " + kind, hint);
                }
                if (!kv.second.IsMap())
                    return error(kv.second, "credential " + name + " must come from {env: VAR} or {file: PATH}",
                                 "secrets never go in the config itself: export the token in an environment variable "
                                 "or keep it in a file readable only by the user that runs stackaudit");
                if (auto ok = check_keys(kv.second, "credentials." + name, {"env", "file"}); !ok) return std::unexpected(ok.error());
                connectors::CredentialSource src;
                if (kv.second["env"]) src.env = kv.second["env"].as<std::string>();
                if (kv.second["file"]) src.file = resolve(kv.second["file"].as<std::string>());
                if (src.env.empty() && src.file.empty())
                    return error(kv.second, "credential " + name + " names neither env nor file");
                a.credentials[name] = std::move(src);
            }
        }
        for (const auto& c : spec.api->credentials)
            if (!a.credentials.contains(c.name))
                return error(node, "inputs." + kind + ".api needs credential \"" + c.name + "\"",
                             "add  credentials: {" + c.name + ": {env: " + to_upper_snake(kind + "_" + c.name) + "}}  (" +
                                 c.description + ")");
        if (const auto opts = node["options"]) {
            if (!opts.IsMap()) return error(opts, "api.options must be a mapping");
            for (const auto& kv : opts) a.options[kv.first.as<std::string>()] = kv.second.as<std::string>();
        }
        if (node["ca_file"]) a.transport.ca_file = resolve(node["ca_file"].as<std::string>()).string();
        auto seconds = [&](const char* key, auto apply) -> Result<void> {
            if (!node[key]) return {};
            const auto v = to_value(node[key]);
            if (v.type() != ValueType::integer || v.as_int() < 1 || v.as_int() > 86400)
                return error(node[key], std::string(key) + " must be a whole number from 1 to 86400");
            apply(v.as_int());
            return {};
        };
        using std::chrono::milliseconds;
        if (auto r = seconds("timeout_seconds", [&](std::int64_t v) { a.transport.total_timeout = milliseconds(v * 1000); }); !r)
            return std::unexpected(r.error());
        if (auto r = seconds("connect_timeout_seconds", [&](std::int64_t v) { a.transport.connect_timeout = milliseconds(v * 1000); }); !r)
            return std::unexpected(r.error());
        if (auto r = seconds("budget_seconds", [&](std::int64_t v) { a.retry.budget = std::chrono::seconds(v); }); !r)
            return std::unexpected(r.error());
        if (auto r = seconds("max_attempts", [&](std::int64_t v) { a.retry.max_attempts = static_cast<int>(std::min<std::int64_t>(v, 20)); }); !r)
            return std::unexpected(r.error());
        return a;
    }

    static std::string to_upper_snake(std::string s) {
        for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : (c == '-' ? '_' : c);
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
        if (auto ok = check_keys(root, "the config", {"company", "as_of", "usage_window_days", "on_bad_row", "inputs", "rules",
                                                      "output", "snapshots", "history", "waivers", "scorecard"});
            !ok)
            return std::unexpected(ok.error());
        c.snapshots_dir = c.dir / "snapshots";
        if (root["snapshots"]) c.snapshots_dir = resolve(root["snapshots"].as<std::string>());
        if (const auto history = root["history"]) {
            if (auto ok = check_keys(history, "history", {"db"}); !ok) return std::unexpected(ok.error());
            if (history["db"]) c.history_db = resolve(history["db"].as<std::string>());
        }
        if (root["waivers"]) c.waivers_file = resolve(root["waivers"].as<std::string>());
        if (const auto card = root["scorecard"]) {
            if (auto ok = check_keys(card, "scorecard", {"utilisation_floor"}); !ok) return std::unexpected(ok.error());
            if (card["utilisation_floor"]) {
                const auto v = to_value(card["utilisation_floor"]);
                const bool number = v.type() == ValueType::integer || v.type() == ValueType::number;
                if (!number || v.as_number() < 0 || v.as_number() > 1)
                    return error(card["utilisation_floor"], "scorecard.utilisation_floor must be a number from 0 to 1", "e.g. 0.5 for 50%");
                c.utilisation_floor = v.as_number();
            }
        }
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

std::vector<std::string> permission_warnings(const AuditConfig& config) {
    std::vector<std::string> out;
    auto mode_of = [](const std::filesystem::path& path) -> std::optional<mode_t> {
        struct stat st {};
        if (path.empty() || ::stat(path.c_str(), &st) != 0) return std::nullopt;
        return st.st_mode;
    };
    for (const auto& [path, what] : {std::pair{config.file, "config"}, std::pair{config.waivers_file, "waivers file"}}) {
        const auto mode = mode_of(path);
        if (mode && (*mode & (S_IWGRP | S_IWOTH)) != 0)
            out.push_back(std::string(what) + " " + path.string() + " is writable by " +
                          ((*mode & S_IWOTH) != 0 ? "everyone" : "its group") +
                          ": whoever can edit it decides what stackaudit trusts; restrict it with: chmod go-w " +
                          path.string());
    }
    const bool live = std::any_of(config.sources.begin(), config.sources.end(),
                                  [](const connectors::SourceConfig& s) { return s.api.has_value(); });
    if (const auto mode = mode_of(config.file); live && mode && (*mode & S_IROTH) != 0)
        out.push_back("config " + config.file.string() +
                      " is readable by everyone and says where the live sources' credentials are kept; "
                      "restrict it with: chmod o-r " + config.file.string());
    return out;
}

std::filesystem::path history_path(const AuditConfig& config, const std::filesystem::path& out_dir) {
    if (!config.history_db.empty()) return config.history_db;
    const std::filesystem::path dir = !out_dir.empty() ? out_dir : !config.output_dir.empty() ? config.output_dir : "out";
    return dir / "stackaudit.db";
}

std::filesystem::path builtin_rules_dir() {
    if (const char* env = std::getenv("STACKAUDIT_RULES_DIR"); env != nullptr && *env != '\0') return env;
    const std::filesystem::path source_dir = STACKAUDIT_SOURCE_RULES_DIR;
    std::error_code ec;
    if (std::filesystem::is_directory(source_dir, ec)) return source_dir;
    return std::filesystem::path(STACKAUDIT_INSTALL_RULES_DIR);
}

}  // namespace stackaudit::cli
