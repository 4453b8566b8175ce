// The stackaudit.yaml loader: strict keys, clear errors, paths relative to the config, and the
// examples in docs/config.md.
#include <catch2/catch.hpp>

#include <fstream>
#include <algorithm>
#include <regex>
#include <sstream>

#include "cli/config.hpp"
#include "stackaudit/core/io.hpp"

using namespace stackaudit;
namespace fs = std::filesystem;

namespace {
fs::path write_config(const std::string& name, const std::string& text) {
    const auto dir = fs::temp_directory_path() / ("stackaudit-config-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto path = dir / name;
    REQUIRE(write_file_atomic(path, text).has_value());
    return path;
}
}  // namespace

TEST_CASE("a full config loads with paths relative to its directory", "[unit][cli][config]") {
    const auto path = write_config("full.yaml", R"(company: Northwind Labs
as_of: 2026-11-01
usage_window_days: 45
on_bad_row: collect
inputs:
  directory: {path: directory.csv, columns: {user_id: "Okta ID"}}
  catalog: {path: /abs/catalog.csv}
  seats:
    - {tool: Salesforce, path: seats/sf.csv, columns: {email: Email, last_activity: "Last Login"}}
    - {tool: Zoom, path: seats/zoom.csv}
  okta_log: {paths: [a.jsonl, b.jsonl]}
rules:
  params: {idle_days: 90, low-utilisation.floor: 0.4, tags: [a, b], label: "60"}
  disable: [owner-outside-using-department]
  severity: {over-contract: critical}
output: {dir: results}
)");
    auto c = cli::load_config(path);
    REQUIRE(c.has_value());
    CHECK(c->company == "Northwind Labs");
    CHECK(format_timestamp(*c->as_of) == "2026-11-01T00:00:00Z");
    CHECK(c->window_days == 45);
    CHECK(*c->on_bad_row == BadRowPolicy::collect);
    REQUIRE(c->sources.size() == 5);
    CHECK(c->sources[0].name == "directory");
    CHECK(c->sources[0].paths[0] == path.parent_path() / "directory.csv");
    CHECK(c->sources[0].columns.at("user_id") == "Okta ID");
    CHECK(c->sources[1].paths[0] == "/abs/catalog.csv");
    CHECK(c->sources[2].name == "seats:Salesforce");
    CHECK(c->sources[2].tool == "Salesforce");
    CHECK(c->sources[3].name == "seats:Zoom");
    CHECK(c->sources[4].paths.size() == 2);
    CHECK(c->params.at("idle_days") == Value(90));
    CHECK(c->params.at("low-utilisation.floor") == Value(0.4));
    CHECK(c->params.at("tags") == Value::strings({"a", "b"}));
    CHECK(c->params.at("label") == Value("60"));
    CHECK(c->disabled.contains("owner-outside-using-department"));
    CHECK(c->severity.at("over-contract") == Severity::critical);
    CHECK(c->output_dir == path.parent_path() / "results");
}

TEST_CASE("config errors name the line and suggest the fix", "[unit][cli][config]") {
    using Row = std::tuple<std::string, std::string, std::size_t>;
    auto [text, expected, line] = GENERATE(table<std::string, std::string, std::size_t>({
        Row{"inputs:\n  directory: {path: d.csv}\n  catalgo: {path: c.csv}\n", "did you mean \"catalog\"", 3},
        Row{"compnay: x\ninputs: {}\n", "did you mean \"company\"", 1},
        Row{"inputs:\n  seats:\n    - path: s.csv\n", "needs the catalog tool", 3},
        Row{"inputs:\n  directory: {columns: {email: E}}\n", "has no path", 2},
        Row{"inputs:\n  directory: {path: d.csv, columns: {emial: E}}\n", "emial", 2},
        Row{"on_bad_row: ignore\ninputs: {}\n", "unknown bad-row policy", 1},
        Row{"usage_window_days: -3\ninputs: {}\n", "usage_window_days", 1},
        Row{"as_of: someday\ninputs: {}\n", "as_of must be a date", 1},
        Row{"company: x\n", "no inputs", 1},
        Row{"inputs:\n  directory: [unclosed\n", "YAML syntax error", 3},
        Row{"inputs:\n  catalog: {path: c.csv}\n  catalog: {path: d.csv}\n", "", 0},
        Row{"inputs:\n  seats:\n    - {tool: Zoom, path: a.csv}\n    - {tool: zoom, path: b.csv}\n", "configured twice", 4},
        Row{"rules: {severity: {idle-seat: urgent}}\ninputs: {}\n", "unknown severity", 1},
        Row{"inputs:\n  catalog: {path: c.csv, options: {delimeter: tab}}\n", "did you mean \"delimiter\"", 2},
    }));
    INFO(text);
    const auto path = write_config("bad.yaml", text);
    auto c = cli::load_config(path);
    if (expected.empty()) {
        // yaml-cpp keeps the last of two equal keys; either outcome is acceptable, but it must not crash.
        SUCCEED();
        return;
    }
    REQUIRE_FALSE(c.has_value());
    const auto message = c.error().to_string();
    INFO(message);
    CHECK(message.find(expected) != std::string::npos);
    if (line > 0) CHECK(c.error().where.line == line);
    CHECK(c.error().where.file == path.string());
}

TEST_CASE("a missing config file says how to get one", "[unit][cli][config]") {
    auto c = cli::load_config("/nonexistent/stackaudit.yaml");
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().code == ErrorCode::io);
    CHECK(c.error().hint.find("stackaudit sample") != std::string::npos);
}

TEST_CASE("every yaml example in docs/config.md loads", "[unit][cli][config][docs]") {
    const auto doc = read_file(fs::path(STACKAUDIT_SOURCE_DIR) / "docs" / "config.md");
    REQUIRE(doc.has_value());
    const std::regex block("```yaml\n([\\s\\S]*?)```");
    std::size_t examples = 0;
    for (std::sregex_iterator it(doc->begin(), doc->end(), block), end; it != end; ++it) {
        const auto path = write_config("doc-example-" + std::to_string(examples) + ".yaml", (*it)[1].str());
        auto c = cli::load_config(path);
        INFO((*it)[1].str());
        REQUIRE(c.has_value());
        ++examples;
    }
    CHECK(examples >= 1);
}

TEST_CASE("every input snippet in docs/inputs.md loads inside a config", "[unit][cli][config][docs]") {
    const auto doc = read_file(fs::path(STACKAUDIT_SOURCE_DIR) / "docs" / "inputs.md");
    REQUIRE(doc.has_value());
    // Snippets show one part of a config; wrap each in just enough to make a whole one.
    const std::regex block("( *)```yaml\n([\\s\\S]*?)\\1```");
    std::size_t examples = 0;
    for (std::sregex_iterator it(doc->begin(), doc->end(), block), end; it != end; ++it) {
        std::string snippet;
        std::istringstream lines((*it)[2].str());
        const auto indent = (*it)[1].length();
        for (std::string line; std::getline(lines, line);) snippet += line.substr(std::min<std::size_t>(indent, line.size())) + "\n";
        auto indented = [](const std::string& text, const std::string& pad) {
            std::string out;
            std::istringstream in(text);
            for (std::string line; std::getline(in, line);) out += pad + line + "\n";
            return out;
        };
        std::string config = "inputs:\n";
        if (snippet.rfind("columns:", 0) == 0) config += "  directory:\n    path: d.csv\n" + indented(snippet, "    ");
        else if (snippet.rfind("  - tool:", 0) == 0) config += "  seats:\n" + indented(snippet, "  ");
        else config += indented(snippet, "  ");
        const auto path = write_config("inputs-example-" + std::to_string(examples) + ".yaml", config);
        auto c = cli::load_config(path);
        INFO(config);
        if (!c) INFO(c.error().to_string());
        CHECK(c.has_value());
        ++examples;
    }
    CHECK(examples >= 5);
}

TEST_CASE("an api: section becomes the source's live settings", "[unit][cli][config]") {
    const auto path = write_config("api.yaml", R"(snapshots: snaps
inputs:
  salesforce:
    api:
      base_url: https://northwind.my.salesforce.com
      credentials: {token: {env: SF_TOKEN}}
      options: {api_version: v61.0}
      ca_file: certs/ca.pem
      timeout_seconds: 30
      max_attempts: 3
  adobe:
    tool: Adobe Creative Cloud
    api:
      credentials: {token: {file: secrets/adobe}, api_key: {env: ADOBE_KEY}}
      options: {org_id: X@AdobeOrg}
)");
    auto c = cli::load_config(path);
    REQUIRE(c.has_value());
    CHECK(c->snapshots_dir == path.parent_path() / "snaps");
    REQUIRE(c->sources.size() == 2);
    const auto& sf = c->sources[0];
    CHECK(sf.name == "salesforce");
    REQUIRE(sf.api.has_value());
    CHECK(sf.api->base_url == "https://northwind.my.salesforce.com");
    CHECK(sf.api->credentials.at("token").env == "SF_TOKEN");
    CHECK(sf.api->options.at("api_version") == "v61.0");
    CHECK(sf.api->transport.ca_file == (path.parent_path() / "certs/ca.pem").string());
    CHECK(sf.api->transport.total_timeout == std::chrono::milliseconds(30000));
    CHECK(sf.api->retry.max_attempts == 3);
    const auto& adobe = c->sources[1];
    CHECK(adobe.name == "adobe");  // the default tool adds no suffix
    CHECK(adobe.api->credentials.at("token").file == path.parent_path() / "secrets/adobe");
    CHECK(adobe.api->base_url.find("usermanagement") != std::string::npos);  // the connector's default
}

TEST_CASE("api: errors keep secrets out of the config and name the fix", "[unit][cli][config]") {
    using Row = std::tuple<std::string, std::string>;
    auto [text, expected] = GENERATE(table<std::string, std::string>({
        Row{"inputs:\n  slack:\n    api: {credentials: {token: xoxb-123}}\n", "never go in the config"},
        Row{"inputs:\n  slack:\n    api: {credentials: {tokne: {env: X}}}\n", "did you mean \"token\""},
        Row{"inputs:\n  adobe:\n    api: {credentials: {token: {env: X}}}\n", "needs credential \"api_key\""},
        Row{"inputs:\n  slack:\n    path: saved/slack\n    api: {credentials: {token: {env: X}}}\n", "both path and api"},
        Row{"inputs:\n  slack:\n    api: {credentials: {token: {env: X}}, timeout: 3}\n", "did you mean \"timeout_seconds\""},
        Row{"inputs:\n  slack:\n    api: {credentials: {token: {env: X}}, timeout_seconds: 0}\n", "from 1 to 86400"},
        Row{"inputs:\n  directory:\n    api: {credentials: {token: {env: X}}}\n", "unknown key \"api\""},
        Row{"inputs:\n  slack:\n    api: {credentials: {token: {}}}\n", "neither env nor file"},
    }));
    INFO(text);
    auto c = cli::load_config(write_config("api-bad.yaml", text));
    REQUIRE_FALSE(c.has_value());
    INFO(c.error().to_string());
    CHECK(c.error().to_string().find(expected) != std::string::npos);
    CHECK(c.error().to_string().find("xoxb-123") == std::string::npos);
}

TEST_CASE("every configuration example in docs/connectors loads", "[unit][cli][config][docs]") {
    const fs::path dir = fs::path(STACKAUDIT_SOURCE_DIR) / "docs";
    std::vector<fs::path> docs{dir / "connectors.md"};
    for (const auto& e : fs::directory_iterator(dir / "connectors"))
        if (e.path().extension() == ".md") docs.push_back(e.path());
    std::sort(docs.begin(), docs.end());
    const std::regex block("```yaml\n([\\s\\S]*?)```");
    std::size_t examples = 0;
    for (const auto& doc_path : docs) {
        const auto doc = read_file(doc_path);
        REQUIRE(doc.has_value());
        for (std::sregex_iterator it(doc->begin(), doc->end(), block), end; it != end; ++it) {
            std::string text = (*it)[1].str();
            // Only whole configurations (or their inputs: part) are checked here.
            if (text.rfind("inputs:", 0) != 0 && text.find("\ninputs:") == std::string::npos) continue;
            auto c = cli::load_config(write_config("connectors-doc-" + std::to_string(examples) + ".yaml", text));
            INFO(doc_path.filename().string() << ":\n" << text);
            if (!c) INFO(c.error().to_string());
            CHECK(c.has_value());
            ++examples;
        }
    }
    CHECK(examples >= 10);
}
