// Fuzz target `time`: the one timestamp parser (core parse_timestamp) and parse_date. Whatever
// they accept must print with format_timestamp / format_date and read back as the same instant
// (for years 1..9999, which the printed forms can spell).
#include <chrono>
#include <cstdlib>

#include "fuzz_support.hpp"
#include "stackaudit/core/time.hpp"

namespace {

using namespace stackaudit;

constexpr auto k_first = std::chrono::sys_days{std::chrono::year{1} / 1 / 1};
constexpr auto k_last = std::chrono::sys_days{std::chrono::year{9999} / 12 / 31};

void check_timestamp(std::string_view text) {
    const auto parsed = parse_timestamp(text);
    if (!parsed) {
        fuzz::touch(parsed.error());
        return;
    }
    if (!*parsed) return;
    const Timestamp ts = **parsed;
    const auto printed = format_timestamp(ts);
    if (ts < k_first || ts > k_last) return;
    const auto again = parse_timestamp(printed);
    if (!again || !*again || **again != ts) std::abort();  // what we print must read back
}

void check_date(std::string_view text) {
    const auto parsed = parse_date(text);
    if (!parsed) {
        fuzz::touch(parsed.error());
        return;
    }
    if (!*parsed) return;
    const Date day = **parsed;
    const auto printed = format_date(day);
    // 1970-01-01 is how Google spells "never", so that one day does not read back.
    if (day < k_first || day > k_last || day == Date{}) return;
    const auto again = parse_date(printed);
    if (!again || !*again || **again != day) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = fuzz::as_text(data, size);
    check_timestamp(text);
    check_date(text);
    return 0;
}
