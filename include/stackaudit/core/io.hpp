// File output that never leaves a half-written file behind.
#pragma once

#include <filesystem>
#include <string_view>

#include "stackaudit/core/error.hpp"

namespace stackaudit {

// Writes `content` to a temporary file beside `path`, flushes it to disk, then renames it over
// `path`. Readers see either the old file or the new one, never a partial one. Creates missing
// parent directories. Errors: io, naming the path and the system's reason.
[[nodiscard]] Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Removes "<name>.tmp.<pid>" files in `dir` left by write_file_atomic in a process that no
// longer exists (killed mid-write). Returns how many were removed; never fails.
std::size_t remove_stale_temp_files(const std::filesystem::path& dir);

// Reads a whole (small) file. Errors: io.
[[nodiscard]] Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace stackaudit
