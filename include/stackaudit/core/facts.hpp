// The fact model rules are written against.
//
// Facts are grouped in frames. A frame type ("tool", "seat", "person", ...) is a documented,
// ordered list of typed facts. A subject kind ("seat") is what a rule iterates over; it binds
// aliases to frame types, e.g. seat = {seat: seat, person: person, tool: tool}, so a rule on
// seats can say `tool.cost_per_seat` and `person.departed`. A tool_pair binds `a` and `b` to the
// tool frame. An expression identifier `alias.fact` resolves, at rule-load time, to a
// (frame position, slot) pair; evaluation is then an index lookup.
//
// The catalog of frames and subject kinds is defined by the graph module (it computes the
// facts) and handed to the rule loader, so rules/ never depends on graph/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stackaudit/core/value.hpp"

namespace stackaudit {

struct FactDef {
    std::string name;           // without the alias: "cost_per_seat"
    ValueType type;             // declared type; any fact may also be null unless noted
    ValueType element = ValueType::null;  // element type for lists
    std::string description;    // one line, shown by `rules facts` and in docs/facts.md
};

struct FrameType {
    std::string name;  // "tool"
    std::string description;
    std::vector<FactDef> facts;
    [[nodiscard]] std::optional<std::size_t> slot(std::string_view fact) const;
};

struct FrameBinding {
    std::string alias;  // "a"
    std::string frame;  // "tool"
};

struct SubjectKind {
    std::string name;  // "tool_pair"
    std::string description;
    std::vector<FrameBinding> frames;  // position in this list == position in Subject::frames
};

struct FactCatalog {
    std::vector<FrameType> frame_types;
    std::vector<SubjectKind> subject_kinds;
    [[nodiscard]] const FrameType* frame(std::string_view name) const;
    [[nodiscard]] const SubjectKind* kind(std::string_view name) const;
};

// One thing a rule is evaluated against.
struct Subject {
    std::string kind;  // subject kind name
    std::string key;   // stable identity, e.g. "seat:salesforce:jane.doe@northwind.example"
    // One pointer per FrameBinding of the kind, in order. Values are aligned with the frame
    // type's facts. The storage is owned by the SubjectSet that holds this subject.
    std::vector<const std::vector<Value>*> frames;
    // Defaults for the finding when a rule does not say otherwise.
    std::string tool;                 // the tool this is about ("" for none); pairs: "A + B"
    std::string department;           // department accountable (owning department, or the user's)
    std::vector<std::string> owners;  // people to talk to (emails), in order
};

// Reads a subject's facts by their documented names (docs/facts.md), for code outside the
// rules (nightly figures, query snapshots). A fact the frame lacks, or of another type, reads
// as null / empty.
class FrameReader {
public:
    FrameReader(const FactCatalog& catalog, std::string_view frame) : m_frame(catalog.frame(frame)) {}
    [[nodiscard]] const Value& get(const std::vector<Value>& values, std::string_view fact) const;
    [[nodiscard]] std::string text(const std::vector<Value>& values, std::string_view fact) const;
    [[nodiscard]] std::optional<std::int64_t> integer(const std::vector<Value>& values, std::string_view fact) const;
    [[nodiscard]] std::optional<double> number(const std::vector<Value>& values, std::string_view fact) const;
    [[nodiscard]] bool flag(const std::vector<Value>& values, std::string_view fact) const;
    [[nodiscard]] std::vector<std::string> strings(const std::vector<Value>& values, std::string_view fact) const;

private:
    const FrameType* m_frame;
};

}  // namespace stackaudit
