// Shared by the graph tests: date helpers, fact lookup by subject key and alias, and a small
// company ("the fixture") whose every fact is worked out by hand in test_facts.cpp.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "stackaudit/graph/graph.hpp"

namespace Catch {
template <>
struct StringMaker<stackaudit::Value> {
    static std::string convert(const stackaudit::Value& value) { return value.to_json(); }
};
}  // namespace Catch

namespace graph_test {

using namespace stackaudit;

inline Date day(int y, unsigned m, unsigned d) {
    return Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

inline Timestamp at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
    return Timestamp{day(y, m, d)} + std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss);
}

// "Tool 12" (built by appending: g++ 12 -O2 warns falsely on "literal" + std::to_string()).
inline std::string numbered(std::string_view prefix, std::size_t n) {
    std::string out(prefix);
    out += std::to_string(n);
    return out;
}

inline Value strings(std::vector<std::string> items) { return Value::strings(items); }
inline Value empty_list() { return Value(Value::List{}); }

inline const Subject* find_subject(const graph::SubjectSet& set, std::string_view key) {
    for (const Subject& s : set.subjects)
        if (s.key == key) return &s;
    return nullptr;
}

inline const std::vector<Value>& frame_of(const Subject& subject, std::string_view alias) {
    const SubjectKind* kind = graph::fact_catalog().kind(subject.kind);
    REQUIRE(kind != nullptr);
    for (std::size_t i = 0; i < kind->frames.size(); ++i)
        if (kind->frames[i].alias == alias) return *subject.frames.at(i);
    FAIL("subject kind " << subject.kind << " has no alias " << alias);
    throw std::logic_error("unreachable");
}

inline const Value& fact(const graph::SubjectSet& set, std::string_view key, std::string_view alias,
                         std::string_view name) {
    const Subject* subject = find_subject(set, key);
    INFO("subject " << key);
    REQUIRE(subject != nullptr);
    const SubjectKind* kind = graph::fact_catalog().kind(subject->kind);
    for (const FrameBinding& binding : kind->frames) {
        if (binding.alias != alias) continue;
        auto slot = graph::fact_catalog().frame(binding.frame)->slot(name);
        INFO("fact " << alias << "." << name);
        REQUIRE(slot.has_value());
        return frame_of(*subject, alias).at(*slot);
    }
    FAIL("no alias " << alias << " on " << key);
    throw std::logic_error("unreachable");
}

// Checks every fact of one frame of one subject; the expectation must name them all.
inline void check_frame(const graph::SubjectSet& set, std::string_view key, std::string_view alias,
                        const std::map<std::string, Value>& expected) {
    const Subject* subject = find_subject(set, key);
    INFO("subject " << key << ", frame " << alias);
    REQUIRE(subject != nullptr);
    const SubjectKind* kind = graph::fact_catalog().kind(subject->kind);
    const FrameType* type = nullptr;
    for (const FrameBinding& binding : kind->frames)
        if (binding.alias == alias) type = graph::fact_catalog().frame(binding.frame);
    REQUIRE(type != nullptr);
    const std::vector<Value>& values = frame_of(*subject, alias);
    REQUIRE(values.size() == type->facts.size());
    for (const auto& [name, value] : expected) {
        INFO("fact " << name);
        REQUIRE(type->slot(name).has_value());
    }
    for (std::size_t i = 0; i < type->facts.size(); ++i) {
        INFO("fact " << alias << "." << type->facts[i].name);
        auto it = expected.find(type->facts[i].name);
        REQUIRE(it != expected.end());  // every fact has a hand-computed expectation
        CHECK(values[i] == it->second);
        if (!it->second.is_null()) CHECK(values[i].type() == it->second.type());
        if (!values[i].is_null()) CHECK(values[i].type() == type->facts[i].type);
    }
}

Dataset fixture();

}  // namespace graph_test
