// Atomic writes: the target is replaced whole, parents are created, failures are errors.
#include <catch2/catch.hpp>

#include <filesystem>

#include "stackaudit/core/io.hpp"

using namespace stackaudit;
namespace fs = std::filesystem;

TEST_CASE("write_file_atomic creates, replaces and leaves no temp files", "[unit][io]") {
    const auto dir = fs::temp_directory_path() / ("stackaudit-io-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const auto path = dir / "nested" / "findings.csv";
    REQUIRE(write_file_atomic(path, "first\n").has_value());
    CHECK(read_file(path).value() == "first\n");
    REQUIRE(write_file_atomic(path, "second\n").has_value());
    CHECK(read_file(path).value() == "second\n");
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(path.parent_path())) {
        (void)e;
        ++files;
    }
    CHECK(files == 1);
    fs::remove_all(dir);
}

TEST_CASE("write_file_atomic reports an unwritable place", "[unit][io]") {
    auto r = write_file_atomic("/proc/stackaudit-cannot-write/x.csv", "x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::io);
    CHECK_FALSE(read_file("/nonexistent-stackaudit/file").has_value());
}
