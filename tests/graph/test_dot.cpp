// to_dot: node and edge counts on the fixture, each filter, escaping of hostile names,
// determinism, and (when Graphviz is installed) that `dot -Tsvg` accepts the output.
#include "fixture.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using namespace graph_test;
using stackaudit::graph::AuditGraph;
using stackaudit::graph::DotFilter;
using stackaudit::graph::to_dot;

// One DOT statement, with its quoted strings unescaped.
struct Statement {
    bool edge = false;
    std::string from;  // node id, or the edge's tail
    std::string to;
    std::string label;
    std::string shape;
    std::string style;
    std::string color;
    std::string fontcolor;
};

// Reads a DOT quoted string starting at text[i] == '"'; leaves i after the closing quote.
// Unescapes \" and \\ and \n the way a label shows them.
std::string read_quoted(const std::string& text, std::size_t& i) {
    REQUIRE(text[i] == '"');
    std::string out;
    for (++i; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            ++i;
            return out;
        }
        if (c == '\\' && i + 1 < text.size()) {
            const char n = text[++i];
            if (n == 'n') out += '\n';
            else out += n;
            continue;
        }
        REQUIRE(c != '\n');  // a raw newline inside a quoted string
        out += c;
    }
    FAIL("unterminated quoted string");
    return out;
}

// A strict reader of the subset of DOT that to_dot writes: every line is one statement
// (graph header, attribute defaults, subgraph open/close, cluster attributes, node, edge),
// every id is quoted, and attribute values are quoted or a bare word. Anything else fails the
// test, which is what proves a hostile name cannot inject syntax.
std::vector<Statement> parse_dot(const std::string& dot) {
    std::vector<Statement> out;
    std::istringstream lines(dot);
    std::string line;
    int depth = 0;
    bool first = true;
    const std::regex bare("[A-Za-z0-9_.#,]+");
    auto attributes = [&](const std::string& text, std::size_t& i, Statement* st, char close) {
        while (true) {
            while (i < text.size() && text[i] == ' ') ++i;
            REQUIRE(i < text.size());
            if (text[i] == close) {
                ++i;
                return;
            }
            std::size_t eq = text.find('=', i);
            REQUIRE(eq != std::string::npos);
            const std::string key = text.substr(i, eq - i);
            CHECK(std::regex_match(key, std::regex("[a-z]+")));
            i = eq + 1;
            std::string value;
            if (text[i] == '"') value = read_quoted(text, i);
            else {
                std::size_t end = text.find_first_of(",;]", i);
                REQUIRE(end != std::string::npos);
                value = text.substr(i, end - i);
                CHECK(std::regex_match(value, bare));
                i = end;
            }
            if (st != nullptr) {
                if (key == "label") st->label = value;
                if (key == "shape") st->shape = value;
                if (key == "style") st->style = value;
                if (key == "color") st->color = value;
                if (key == "fontcolor") st->fontcolor = value;
            }
            if (i < text.size() && (text[i] == ',' || text[i] == ';')) ++i;
        }
    };
    while (std::getline(lines, line)) {
        INFO("line: " << line);
        std::size_t i = line.find_first_not_of(' ');
        REQUIRE(i != std::string::npos);
        if (first) {
            REQUIRE(line == "digraph \"stackaudit\" {");
            first = false;
            ++depth;
            continue;
        }
        if (line.substr(i) == "}") {
            --depth;
            continue;
        }
        if (line.compare(i, 9, "subgraph ") == 0) {
            i += 9;
            (void)read_quoted(line, i);
            REQUIRE(line.substr(i) == " {");
            ++depth;
            continue;
        }
        if (line.compare(i, 7, "graph [") == 0 || line.compare(i, 6, "node [") == 0 ||
            line.compare(i, 6, "edge [") == 0) {
            i = line.find('[') + 1;
            attributes(line, i, nullptr, ']');
            REQUIRE(line.substr(i) == ";");
            continue;
        }
        if (line[i] != '"') {  // cluster attributes: key=value; key=value;
            std::string rest = line.substr(i) + "\n";
            std::size_t k = 0;
            attributes(rest, k, nullptr, '\n');
            continue;
        }
        Statement st;
        st.from = read_quoted(line, i);
        if (line.compare(i, 4, " -> ") == 0) {
            i += 4;
            st.edge = true;
            st.to = read_quoted(line, i);
        }
        REQUIRE(line.compare(i, 2, " [") == 0);
        i += 2;
        attributes(line, i, &st, ']');
        REQUIRE(line.substr(i) == ";");
        out.push_back(std::move(st));
    }
    CHECK(depth == 0);
    return out;
}

bool legend(const Statement& s) { return s.from.rfind("legend:", 0) == 0; }

struct Counts {
    std::size_t tools = 0, capabilities = 0, people = 0, nodes = 0;
    std::size_t owner_edges = 0, provides = 0, feeds = 0, edges = 0;
};

Counts count(const std::vector<Statement>& statements) {
    Counts c;
    for (const auto& s : statements) {
        if (legend(s)) continue;
        if (!s.edge) {
            ++c.nodes;
            if (s.from.rfind("tool:", 0) == 0) ++c.tools;
            if (s.from.rfind("capability:", 0) == 0) ++c.capabilities;
            if (s.from.rfind("person:", 0) == 0) ++c.people;
            continue;
        }
        ++c.edges;
        if (s.from.rfind("person:", 0) == 0) ++c.owner_edges;
        else if (s.to.rfind("capability:", 0) == 0) ++c.provides;
        else ++c.feeds;
    }
    return c;
}

const Statement* node(const std::vector<Statement>& statements, std::string_view id) {
    for (const auto& s : statements)
        if (!s.edge && s.from == id) return &s;
    return nullptr;
}

std::vector<const Statement*> edges(const std::vector<Statement>& statements, std::string_view from,
                                    std::string_view to) {
    std::vector<const Statement*> out;
    for (const auto& s : statements)
        if (s.edge && s.from == from && s.to == to) out.push_back(&s);
    return out;
}

std::string dot_of(const Dataset& data, const DotFilter& filter = {}) {
    return to_dot(AuditGraph::build(data), data, filter);
}

}  // namespace

TEST_CASE("to_dot: nodes, edges and styles of the fixture", "[unit][graph][dot]") {
    const Dataset data = fixture();
    const std::string dot = dot_of(data);
    const auto st = parse_dot(dot);
    const Counts c = count(st);
    // Salesforce, HubSpot Marketing Hub, Marketo, Canva, and Zapier from the integrations.
    CHECK(c.tools == 5);
    CHECK(c.capabilities == 4);  // crm, reporting, email marketing, design
    CHECK(c.people == 6);        // bob, frank, erin, ghost, alice, carol: owners only
    CHECK(c.nodes == 15);
    CHECK(c.owner_edges == 7);
    CHECK(c.provides == 6);
    CHECK(c.feeds == 4);
    CHECK(c.edges == 17);

    const auto* salesforce = node(st, "tool:Salesforce");
    REQUIRE(salesforce != nullptr);
    CHECK(salesforce->shape == "box");
    CHECK(salesforce->style == "filled");
    const auto* zapier = node(st, "tool:Zapier");
    REQUIRE(zapier != nullptr);
    CHECK(zapier->style == "dashed");
    CHECK(zapier->label == "Zapier\n(not in catalog)");
    const auto* crm = node(st, "capability:crm");
    REQUIRE(crm != nullptr);
    CHECK(crm->shape == "ellipse");

    // Departed owners are marked: bob is suspended, carol left on 2026-10-20.
    const auto* bob = node(st, "person:bob@x.com");
    REQUIRE(bob != nullptr);
    CHECK(bob->shape == "plaintext");
    CHECK(bob->label == "Bob Brown\nbob@x.com (left)");
    CHECK_FALSE(bob->fontcolor.empty());
    const auto* carol = node(st, "person:carol@x.com");
    REQUIRE(carol != nullptr);
    CHECK(carol->label.ends_with("(left)"));
    const auto* frank = node(st, "person:frank@x.com");
    REQUIRE(frank != nullptr);
    CHECK(frank->label == "Frank Fox\nfrank@x.com");
    CHECK(frank->fontcolor.empty());
    const auto* ghost = node(st, "person:ghost@x.com");
    REQUIRE(ghost != nullptr);
    CHECK(ghost->label == "ghost@x.com\n(not in directory)");

    // Frank is both business (solid) and technical (dashed) owner of Salesforce.
    auto frank_edges = edges(st, "person:frank@x.com", "tool:Salesforce");
    REQUIRE(frank_edges.size() == 2);
    std::vector<std::string> styles{frank_edges[0]->style, frank_edges[1]->style};
    std::sort(styles.begin(), styles.end());
    CHECK(styles == std::vector<std::string>{"dashed", "solid"});
    auto bob_edges = edges(st, "person:bob@x.com", "tool:Salesforce");
    REQUIRE(bob_edges.size() == 1);
    CHECK_FALSE(bob_edges[0]->color.empty());  // a departed owner's edge is red

    // Flows are labelled with their data categories; two integrations give two edges.
    auto flows = edges(st, "tool:Salesforce", "tool:HubSpot Marketing Hub");
    REQUIRE(flows.size() == 2);
    std::vector<std::string> labels{flows[0]->label, flows[1]->label};
    std::sort(labels.begin(), labels.end());
    CHECK(labels == std::vector<std::string>{"Contacts, Leads", "contacts"});
    auto back = edges(st, "tool:Zapier", "tool:Salesforce");
    REQUIRE(back.size() == 1);
    CHECK(back[0]->label.empty());

    // Tools are grouped by owning department, one colour each; Marketo and HubSpot share one.
    CHECK(dot.find("label=\"Marketing\"") != std::string::npos);
    CHECK(dot.find("label=\"Sales\"") != std::string::npos);
    CHECK(dot.find("label=\"no owning department\"") != std::string::npos);
    CHECK(dot.find("cluster_legend") != std::string::npos);
}

TEST_CASE("to_dot: filters keep the matching tools and what is one edge away", "[unit][graph][dot]") {
    const Dataset data = fixture();

    SECTION("tool, case-insensitive") {
        DotFilter f;
        f.tool = "  SALESFORCE ";
        const auto st = parse_dot(dot_of(data, f));
        const Counts c = count(st);
        CHECK(c.tools == 3);  // Salesforce, and HubSpot and Zapier through flows
        CHECK(c.capabilities == 2);
        CHECK(c.people == 4);
        CHECK(c.owner_edges == 5);
        CHECK(c.provides == 2);  // HubSpot's own capabilities are not shown
        CHECK(c.feeds == 3);
        CHECK(node(st, "tool:Marketo") == nullptr);
        CHECK(node(st, "person:alice@x.com") == nullptr);
        CHECK(node(st, "capability:email marketing") == nullptr);
    }
    SECTION("capability") {
        DotFilter f;
        f.capability = "Email Marketing";
        const auto st = parse_dot(dot_of(data, f));
        const Counts c = count(st);
        CHECK(c.tools == 4);  // HubSpot, Marketo; Salesforce and Zapier through flows
        CHECK(c.capabilities == 2);
        CHECK(c.people == 2);
        CHECK(c.owner_edges == 2);
        CHECK(c.provides == 3);
        CHECK(c.feeds == 3);
        CHECK(node(st, "tool:Canva") == nullptr);
        CHECK(node(st, "person:bob@x.com") == nullptr);
    }
    SECTION("department: owned by it") {
        DotFilter f;
        f.department = "MARKETING";
        const auto st = parse_dot(dot_of(data, f));
        CHECK(node(st, "tool:HubSpot Marketing Hub") != nullptr);
        CHECK(node(st, "tool:Marketo") != nullptr);
        // Salesforce's seat holders are two Marketing and two Sales people: a tie counts for both.
        CHECK_FALSE(edges(st, "person:bob@x.com", "tool:Salesforce").empty());
        CHECK(node(st, "tool:Canva") == nullptr);
    }
    SECTION("department: used mostly by it") {
        DotFilter f;
        f.department = "engineering";  // Canva has no owning department; Dave (Engineering) holds its seat
        const auto st = parse_dot(dot_of(data, f));
        const Counts c = count(st);
        CHECK(c.tools == 1);
        CHECK(node(st, "tool:Canva") != nullptr);
        CHECK(c.capabilities == 1);
        CHECK(c.people == 0);
        CHECK(c.edges == 1);
    }
    SECTION("filters combine") {
        DotFilter f;
        f.department = "marketing";
        f.capability = "crm";
        const auto st = parse_dot(dot_of(data, f));
        CHECK(node(st, "tool:Marketo") == nullptr);  // Marketing, but no crm
        CHECK(node(st, "person:alice@x.com") != nullptr);
    }
    SECTION("no match gives a valid graph with the legend only") {
        DotFilter f;
        f.tool = "Nothing Like It";
        const auto st = parse_dot(dot_of(data, f));
        CHECK(count(st).nodes == 0);
        CHECK(count(st).edges == 0);
    }
    SECTION("without people") {
        DotFilter f;
        f.include_people = false;
        const std::string dot = dot_of(data, f);
        const auto st = parse_dot(dot);
        const Counts c = count(st);
        CHECK(c.people == 0);
        CHECK(c.owner_edges == 0);
        CHECK(c.tools == 5);
        CHECK(c.capabilities == 4);
        CHECK(c.edges == 10);
        CHECK(dot.find("person:") == std::string::npos);
        CHECK(dot.find("legend:owner") == std::string::npos);
    }
}

TEST_CASE("to_dot: hostile names stay inside their quotes", "[unit][graph][dot]") {
    const std::string evil = "\"; rankdir=LR; x [label=\"evil";
    const std::string backslash = "C:\\tools\\";
    const std::string multiline = "Two\nLines\r\nTool";
    Dataset data;
    data.as_of = at(2026, 11, 1);
    Person p;
    p.user_id = "u1";
    p.email = "o\"wner\\@x.com";
    p.display_name = "Robert\"); DROP {";
    p.department = "R&D \"}\" {";
    data.people = {p};
    Tool a;
    a.name = evil;
    a.owning_department = "R&D \"}\" {";
    a.capabilities = {"cap \\\" ]"};
    a.business_owners = {p.email};
    a.technical_owners = {"x\ny@x.com"};
    Tool b;
    b.name = backslash;
    Tool c;
    c.name = multiline;
    c.owning_department = "bad \xff utf8";
    data.tools = {a, b, c};
    data.integrations = {Integration{evil, backslash, {"a\"b", "c\\"}, 1},
                         Integration{backslash, "uncat\\\"alogued", {}, 2}};

    const std::string dot = dot_of(data);
    INFO(dot);
    const auto st = parse_dot(dot);  // fails on anything outside the expected statement shapes
    CHECK(dot.find("\xff") == std::string::npos);
    const auto* evil_node = node(st, "tool:" + evil);
    REQUIRE(evil_node != nullptr);
    CHECK(evil_node->label == evil);
    REQUIRE(node(st, "tool:" + backslash) != nullptr);
    CHECK(node(st, "tool:" + backslash)->label == backslash);
    const auto* multi = node(st, "tool:Two\nLines\nTool");
    REQUIRE(multi != nullptr);
    CHECK(multi->label == "Two\nLines\nTool");
    REQUIRE(node(st, "person:" + p.email) != nullptr);
    CHECK(node(st, "person:" + p.email)->label == "Robert\"); DROP {\n" + p.email);
    REQUIRE(node(st, "capability:cap \\\" ]") != nullptr);
    auto flow = edges(st, "tool:" + evil, "tool:" + backslash);
    REQUIRE(flow.size() == 1);
    CHECK(flow[0]->label == "a\"b, c\\");
    CHECK(edges(st, "tool:" + backslash, "tool:uncat\\\"alogued").size() == 1);
    CHECK(dot.find("label=\"R&D \\\"}\\\" {\"") != std::string::npos);  // the cluster label, escaped
}

TEST_CASE("to_dot: the same data gives the same bytes", "[unit][graph][dot]") {
    Dataset data = fixture();
    const std::string first = dot_of(data);
    CHECK(dot_of(data) == first);
    // Row order of the catalog and the directory does not change the output.
    std::reverse(data.tools.begin(), data.tools.end());
    std::reverse(data.people.begin(), data.people.end());
    CHECK(dot_of(data) == first);
    // An empty dataset is still a valid graph.
    const auto st = parse_dot(dot_of(Dataset{}));
    CHECK(count(st).nodes == 0);
}

TEST_CASE("to_dot: Graphviz accepts the output", "[unit][graph][dot]") {
    if (std::system("command -v dot >/dev/null 2>&1") != 0) {
        WARN("skipped: Graphviz `dot` is not installed (it is optional; `apt-get install graphviz` to run this check)");
        return;
    }
    const auto dir = std::filesystem::temp_directory_path() / ("stackaudit-dot-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    Dataset hostile = fixture();
    Tool evil;
    evil.name = "\"; rankdir=LR; x [label=\"evil";
    evil.owning_department = "Sales";
    evil.capabilities = {"back\\slash"};
    hostile.tools.push_back(evil);
    hostile.integrations.push_back(Integration{evil.name, "Salesforce", {"a\"b", "multi\nline"}, 9});
    DotFilter no_people;
    no_people.include_people = false;
    DotFilter by_tool;
    by_tool.tool = evil.name;
    int i = 0;
    for (const std::string& dot : {dot_of(fixture()), dot_of(hostile), dot_of(hostile, no_people), dot_of(hostile, by_tool)}) {
        const auto file = dir / ("graph" + std::to_string(i++) + ".dot");
        std::ofstream(file) << dot;
        const std::string command = "dot -Tsvg '" + file.string() + "' -o '" + file.string() + ".svg' 2>'" +
                                    file.string() + ".err'";
        INFO(dot);
        CHECK(std::system(command.c_str()) == 0);
        CHECK(std::filesystem::file_size(file.string() + ".svg") > 0);
    }
    std::filesystem::remove_all(dir);
}
