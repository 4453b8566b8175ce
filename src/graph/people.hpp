// How the graph module judges a directory person, in one place so that facts (subjects.cpp)
// and query snapshots (snapshot.cpp) never disagree on who has left.
#pragma once

#include "stackaudit/core/model.hpp"

namespace stackaudit::graph {

// Suspended or deprovisioned in the directory, or terminated on or before the audit date.
[[nodiscard]] inline bool person_departed(const Person& person, Date as_of) noexcept {
    return person.status == PersonStatus::suspended || person.status == PersonStatus::deprovisioned ||
           (person.termination_date && *person.termination_date <= as_of);
}

}  // namespace stackaudit::graph
