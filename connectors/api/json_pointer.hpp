// RFC 6901 JSON pointer lookups on a simdjson DOM, in the forms the puller needs: the next URL
// or token, an end flag, a page count, and the size of the record array.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stackaudit::connectors::api {

// The element at `pointer` ("" = the root; a missing leading '/' is tolerated); nullopt when absent.
[[nodiscard]] std::optional<simdjson::dom::element> at_pointer(simdjson::dom::element root, std::string_view pointer);

// A string (numbers are given as their text, so numeric tokens work); nullopt for absent or null.
[[nodiscard]] std::optional<std::string> pointer_text(simdjson::dom::element root, std::string_view pointer);

// A boolean; the strings "true"/"false" are accepted too. nullopt when absent or of another type.
[[nodiscard]] std::optional<bool> pointer_bool(simdjson::dom::element root, std::string_view pointer);

[[nodiscard]] std::optional<std::int64_t> pointer_int(simdjson::dom::element root, std::string_view pointer);

// Elements of the array at `pointer`, members if it is an object (Slack's billable_info is keyed
// by user id), 0 when absent or null.
[[nodiscard]] std::size_t pointer_count(simdjson::dom::element root, std::string_view pointer);

}  // namespace stackaudit::connectors::api
