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

}  // namespace stackaudit
