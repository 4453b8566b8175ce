// The single-run lock: flock on "<db>.lock". The kernel drops it when the descriptor closes,
// so a killed run never leaves a stale lock behind; the file's text only says who holds it.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <string>
#include <utility>

#include "impl.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/time.hpp"

namespace stackaudit::store {

namespace {

std::string read_all(int fd) {
    std::string text;
    char buf[256];
    off_t offset = 0;
    for (;;) {
        const ssize_t n = ::pread(fd, buf, sizeof buf, offset);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        offset += n;
        if (text.size() > 4096) break;
    }
    return text;
}

// "pid=123 started=2026-11-01T02:00:00Z" -> the value after "key=".
std::string field(const std::string& text, std::string_view key) {
    const std::string needle = std::string(key) + "=";
    const auto at = text.find(needle);
    if (at == std::string::npos) return {};
    const auto start = at + needle.size();
    const auto end = text.find_first_of(" \n", start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Whether the lock file names a process that is still running (a killed run leaves its text
// behind; the lock itself may then be held by some other process).
bool recorded_holder_alive(const std::string& pid_text) {
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) return false;
    const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
    if (pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

RunLock::RunLock(RunLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        RunLock released(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

RunLock::~RunLock() {
    if (m_fd >= 0) {
        // Clear who held it, so a later conflict never names a run that ended long ago.
        (void)!::ftruncate(m_fd, 0);
        ::close(m_fd);
    }
}

Result<RunLock> Store::lock() {
    const std::string db_path = m_impl->path;
    const std::string lock_path = db_path + ".lock";
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int err = errno;
        return fail(ErrorCode::io, "cannot open the run lock file: " + std::string(std::strerror(err)),
                    Location{.source = "history", .file = lock_path},
                    "the lock file lives beside the history database; check that its directory is writable");
    }
    RunLock held(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err == EWOULDBLOCK) {
            const std::string owner = read_all(fd);
            const std::string pid = field(owner, "pid");
            const std::string who = recorded_holder_alive(pid)
                                        ? " (pid " + pid + ", started " + field(owner, "started") + ")"
                                        : " (" + lock_path + " is locked by a process that did not record itself)";
            return fail(ErrorCode::source_failed, "another stackaudit run is using " + db_path + who,
                        Location{.source = "history", .file = lock_path},
                        "wait for that run to finish (the lock is released when it exits, also if it is killed), "
                        "or give this run its own history.db");
        }
        return fail(ErrorCode::io, "cannot lock " + lock_path + ": " + std::string(std::strerror(err)),
                    Location{.source = "history", .file = lock_path},
                    "the history database must be on a local file system that supports flock");
    }
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::string text =
        "pid=" + std::to_string(::getpid()) + " started=" + format_timestamp(Timestamp{now.time_since_epoch()}) + "\n";
    // Who holds the lock is advisory text for the next run's message; failing to write it does
    // not weaken the lock itself.
    if (::ftruncate(fd, 0) == 0) {
        (void)!::pwrite(fd, text.data(), text.size(), 0);
    }
    return held;
}

}  // namespace stackaudit::store
