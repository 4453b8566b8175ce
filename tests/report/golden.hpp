// Approval ("golden") checks: compare rendered output with tests/report/golden/<name>.approved.<ext>
// after normalising volatile text; on a mismatch write <name>.received.<ext> beside it and fail
// with the commands to review and approve it (scripts/approve-golden.sh).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

namespace stackaudit::test {

inline std::filesystem::path golden_dir() {
    return std::filesystem::path(STACKAUDIT_SOURCE_DIR) / "tests" / "report" / "golden";
}

// Volatile bits: the version string, which changes with every release.
inline std::string normalise(std::string text, std::string_view version) {
    const std::string_view placeholder = "{{VERSION}}";
    for (auto pos = text.find(version); !version.empty() && pos != std::string::npos;
         pos = text.find(version, pos + placeholder.size())) {
        text.replace(pos, version.size(), placeholder);
    }
    return text;
}

inline std::string first_difference(const std::string& approved, const std::string& received) {
    std::istringstream a(approved);
    std::istringstream b(received);
    std::string line_a;
    std::string line_b;
    for (std::size_t line = 1;; ++line) {
        const bool more_a = static_cast<bool>(std::getline(a, line_a));
        const bool more_b = static_cast<bool>(std::getline(b, line_b));
        if (!more_a && !more_b) return "the files differ only in line ends";
        if (!more_a || !more_b || line_a != line_b) {
            return "first difference at line " + std::to_string(line) + ":\n  approved: " +
                   (more_a ? line_a : std::string("<end of file>")) + "\n  received: " +
                   (more_b ? line_b : std::string("<end of file>"));
        }
    }
}

inline void check_golden(const std::string& name, const std::string& ext, const std::string& rendered,
                         std::string_view version) {
    const std::string actual = normalise(rendered, version);
    const auto approved_path = golden_dir() / (name + ".approved." + ext);
    const auto received_path = golden_dir() / (name + ".received." + ext);
    std::string approved;
    bool have_approved = false;
    if (std::ifstream in(approved_path, std::ios::binary); in) {
        approved.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        have_approved = true;
    }
    if (have_approved && approved == actual) {
        std::error_code ignored;
        std::filesystem::remove(received_path, ignored);
        SUCCEED(name << "." << ext << " matches");
        return;
    }
    {
        std::ofstream out(received_path, std::ios::binary | std::ios::trunc);
        out << actual;
    }
    const std::string why = have_approved ? first_difference(approved, actual)
                                          : std::string("no approved file yet");
    FAIL("golden mismatch for " << approved_path.string() << ": " << why << "\n"
         << "review:  diff -u " << approved_path.string() << " " << received_path.string() << "\n"
         << "approve: scripts/approve-golden.sh tests/report/golden");
}

}  // namespace stackaudit::test
