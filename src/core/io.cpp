// Atomic file output: temp file + fsync + rename, so a crash never leaves a half-written file.
#include "stackaudit/core/io.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace stackaudit {

namespace {
std::unexpected<Error> io_error(const std::filesystem::path& path, std::string_view what, int err) {
    return fail(ErrorCode::io, std::string(what) + " " + path.string() + ": " + std::strerror(err),
                Location{.file = path.string()}, "check that the directory exists and is writable");
}
}  // namespace

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content) {
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) return io_error(path.parent_path(), "cannot create directory", ec.value());
    }
    auto tmp = path;
    tmp += ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return io_error(tmp, "cannot create", errno);
    std::size_t done = 0;
    while (done < content.size()) {
        const auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return io_error(tmp, "cannot write", err);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return io_error(tmp, "cannot flush", err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return io_error(path, "cannot replace", err);
    }
    return {};
}

std::size_t remove_stale_temp_files(const std::filesystem::path& dir) {
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const auto at = name.rfind(".tmp.");
        if (at == std::string::npos || at + 5 >= name.size()) continue;
        const std::string pid_text = name.substr(at + 5);
        if (pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
        const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
        // Alive (or not ours to signal): leave it; gone: its writer died before the rename.
        if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;
        std::error_code remove_ec;
        if (std::filesystem::remove(entry.path(), remove_ec)) ++removed;
    }
    return removed;
}

Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return io_error(path, "cannot open", errno);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return io_error(path, "cannot read", errno);
    return ss.str();
}

}  // namespace stackaudit
