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

TEST_CASE("temp files of writers that died are removed, live ones kept", "[unit][io]") {
    const auto dir = fs::temp_directory_path() / ("stackaudit-stale-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    // A pid that cannot exist (above the kernel's pid_max) stands for a killed writer.
    REQUIRE(write_file_atomic(dir / "findings.csv.tmp.999999999", "half").has_value());
    REQUIRE(write_file_atomic(dir / ("report.html.tmp." + std::to_string(::getpid())), "mine").has_value());
    REQUIRE(write_file_atomic(dir / "notes.tmp.txt", "not a temp file of ours").has_value());
    CHECK(remove_stale_temp_files(dir) == 1);
    CHECK_FALSE(fs::exists(dir / "findings.csv.tmp.999999999"));
    CHECK(fs::exists(dir / ("report.html.tmp." + std::to_string(::getpid()))));
    CHECK(fs::exists(dir / "notes.tmp.txt"));
    CHECK(remove_stale_temp_files(dir / "missing") == 0);
    fs::remove_all(dir);
}
