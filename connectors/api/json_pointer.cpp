// JSON pointer lookups on simdjson's DOM (see json_pointer.hpp).
#include "api/json_pointer.hpp"

#include <string>

namespace stackaudit::connectors::api {

std::optional<simdjson::dom::element> at_pointer(simdjson::dom::element root, std::string_view pointer) {
    if (pointer.empty()) return root;
    std::string normalized;
    if (!pointer.starts_with('/')) {
        normalized = "/";
        normalized += pointer;
        pointer = normalized;
    }
    simdjson::dom::element found;
    if (root.at_pointer(pointer).get(found) != simdjson::SUCCESS) return std::nullopt;
    return found;
}

std::optional<std::string> pointer_text(simdjson::dom::element root, std::string_view pointer) {
    const auto e = at_pointer(root, pointer);
    if (!e) return std::nullopt;
    switch (e->type()) {
        case simdjson::dom::element_type::STRING: return std::string(e->get_string().value_unsafe());
        case simdjson::dom::element_type::INT64: return std::to_string(e->get_int64().value_unsafe());
        case simdjson::dom::element_type::UINT64: return std::to_string(e->get_uint64().value_unsafe());
        default: return std::nullopt;
    }
}

std::optional<bool> pointer_bool(simdjson::dom::element root, std::string_view pointer) {
    const auto e = at_pointer(root, pointer);
    if (!e) return std::nullopt;
    if (e->is_bool()) return e->get_bool().value_unsafe();
    if (e->is_string()) {
        const auto s = e->get_string().value_unsafe();
        if (s == "true") return true;
        if (s == "false") return false;
    }
    return std::nullopt;
}

std::optional<std::int64_t> pointer_int(simdjson::dom::element root, std::string_view pointer) {
    const auto e = at_pointer(root, pointer);
    if (!e) return std::nullopt;
    std::int64_t v = 0;
    if (e->get_int64().get(v) == simdjson::SUCCESS) return v;
    // A number written with a fraction or exponent ("3.0", "1e2"), when it fits: converting one
    // beyond the range of int64 (or NaN) is undefined (found by fuzz_http_headers).
    double d = 0;
    if (e->get_double().get(d) == simdjson::SUCCESS && d >= -0x1p63 && d < 0x1p63) return static_cast<std::int64_t>(d);
    return std::nullopt;
}

std::size_t pointer_count(simdjson::dom::element root, std::string_view pointer) {
    const auto e = at_pointer(root, pointer);
    if (!e) return 0;
    if (e->is_array()) return e->get_array().value_unsafe().size();
    if (e->is_object()) return e->get_object().value_unsafe().size();
    return 0;
}

}  // namespace stackaudit::connectors::api
