// Person statuses as Okta spells them.
#include "stackaudit/core/model.hpp"

#include "stackaudit/core/strings.hpp"

namespace stackaudit {

PersonStatus parse_person_status(std::string_view text) noexcept {
    const auto t = trim(text);
    struct Name {
        std::string_view text;
        PersonStatus status;
    };
    static constexpr Name k_names[] = {
        {"ACTIVE", PersonStatus::active},
        {"STAGED", PersonStatus::staged},
        {"PROVISIONED", PersonStatus::provisioned},
        {"RECOVERY", PersonStatus::recovery},
        {"LOCKED_OUT", PersonStatus::locked_out},
        {"PASSWORD_EXPIRED", PersonStatus::password_expired},
        {"SUSPENDED", PersonStatus::suspended},
        {"DEPROVISIONED", PersonStatus::deprovisioned},
    };
    for (const auto& n : k_names)
        if (iequals(t, n.text)) return n.status;
    return PersonStatus::other;
}

std::string_view to_string(PersonStatus status) noexcept {
    switch (status) {
    case PersonStatus::active: return "ACTIVE";
    case PersonStatus::staged: return "STAGED";
    case PersonStatus::provisioned: return "PROVISIONED";
    case PersonStatus::recovery: return "RECOVERY";
    case PersonStatus::locked_out: return "LOCKED_OUT";
    case PersonStatus::password_expired: return "PASSWORD_EXPIRED";
    case PersonStatus::suspended: return "SUSPENDED";
    case PersonStatus::deprovisioned: return "DEPROVISIONED";
    case PersonStatus::other: return "OTHER";
    }
    return "OTHER";
}

}  // namespace stackaudit
