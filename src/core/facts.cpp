// Lookups in the fact catalog.
#include "stackaudit/core/facts.hpp"

namespace stackaudit {

std::optional<std::size_t> FrameType::slot(std::string_view fact) const {
    for (std::size_t i = 0; i < facts.size(); ++i)
        if (facts[i].name == fact) return i;
    return std::nullopt;
}

const FrameType* FactCatalog::frame(std::string_view name) const {
    for (const auto& f : frame_types)
        if (f.name == name) return &f;
    return nullptr;
}

const SubjectKind* FactCatalog::kind(std::string_view name) const {
    for (const auto& k : subject_kinds)
        if (k.name == name) return &k;
    return nullptr;
}

const Value& FrameReader::get(const std::vector<Value>& values, std::string_view fact) const {
    static const Value k_null;
    const auto slot = m_frame ? m_frame->slot(fact) : std::nullopt;
    return slot && *slot < values.size() ? values[*slot] : k_null;
}

std::string FrameReader::text(const std::vector<Value>& values, std::string_view fact) const {
    const auto& x = get(values, fact);
    return x.type() == ValueType::string ? x.as_string() : std::string();
}

std::optional<std::int64_t> FrameReader::integer(const std::vector<Value>& values, std::string_view fact) const {
    const auto& x = get(values, fact);
    if (x.type() == ValueType::integer) return x.as_int();
    return std::nullopt;
}

std::optional<double> FrameReader::number(const std::vector<Value>& values, std::string_view fact) const {
    const auto& x = get(values, fact);
    if (x.type() == ValueType::integer || x.type() == ValueType::number) return x.as_number();
    return std::nullopt;
}

bool FrameReader::flag(const std::vector<Value>& values, std::string_view fact) const {
    const auto& x = get(values, fact);
    return x.type() == ValueType::boolean && x.as_bool();
}

std::vector<std::string> FrameReader::strings(const std::vector<Value>& values, std::string_view fact) const {
    std::vector<std::string> out;
    const auto& x = get(values, fact);
    if (x.type() != ValueType::list) return out;
    for (const auto& item : x.as_list())
        if (item.type() == ValueType::string) out.push_back(item.as_string());
    return out;
}

}  // namespace stackaudit
