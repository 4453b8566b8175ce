// Starts replay_server.py as a child process and drives its control API over libcurl directly
// (not through the transport under test, so a transport bug cannot hide behind the harness).
#include "replay_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <curl/curl.h>
#include <simdjson.h>

namespace stackaudit::test::replay {
namespace {

#ifndef STACKAUDIT_PYTHON3
#define STACKAUDIT_PYTHON3 "python3"
#endif

constexpr auto k_start_timeout = std::chrono::seconds(20);
constexpr auto k_stop_timeout = std::chrono::seconds(3);

std::filesystem::path script_path() {
    return std::filesystem::path(STACKAUDIT_SOURCE_DIR) / "tests" / "connectors" / "replay" / "replay_server.py";
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::string text_of(simdjson::ondemand::value value) {
    const simdjson::ondemand::json_type type = value.type();
    if (type == simdjson::ondemand::json_type::string) {
        return std::string(std::string_view(value.get_string()));
    }
    if (type == simdjson::ondemand::json_type::array) {
        std::string joined;
        for (auto item : value.get_array()) {
            if (!joined.empty()) {
                joined += ",";
            }
            joined += std::string_view(item.get_string());
        }
        return joined;
    }
    return std::string(std::string_view(simdjson::to_json_string(value)));
}

}  // namespace

std::filesystem::path api_data(const std::string& name) {
    return std::filesystem::path(STACKAUDIT_SOURCE_DIR) / "tests" / "connectors" / "data" / "api" / name;
}

ReplayServer::ReplayServer(ServerOptions options) : m_options(std::move(options)) {
    static std::atomic<int> counter{0};
    m_work_dir = std::filesystem::temp_directory_path() /
                 ("stackaudit-replay-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(m_work_dir);
    try {
        start();
    } catch (...) {
        // No destructor runs after a throwing constructor: clean up here.
        stop();
        std::error_code ec;
        std::filesystem::remove_all(m_work_dir, ec);
        throw;
    }
}

void ReplayServer::start() {
    const auto log_path = (m_work_dir / "server.log").string();
    const auto stderr_path = (m_work_dir / "server.stderr").string();

    std::vector<std::string> args = {STACKAUDIT_PYTHON3, script_path().string(), "--port", "0", "--log", log_path};
    for (const auto& root : m_options.roots) {
        args.insert(args.end(), {"--root", root.string()});
    }
    if (!m_options.tls_cert.empty()) {
        args.insert(args.end(), {"--tls-cert", m_options.tls_cert.string(), "--tls-key", m_options.tls_key.string()});
    }
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    // O_CLOEXEC keeps our pipe ends out of every other child (a second server, openssl), so
    // closing ours really gives this server end of file on stdin.
    int in_pipe[2];
    int out_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("replay server: pipe() failed: " + std::string(std::strerror(errno)));
    }
    const int err_fd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const pid_t parent = ::getpid();
    m_pid = ::fork();
    if (m_pid < 0) {
        throw std::runtime_error("replay server: fork() failed: " + std::string(std::strerror(errno)));
    }
    if (m_pid == 0) {
        // Child: only async-signal-safe calls until exec. Dies with the test process.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) {
            ::_exit(127);
        }
        ::dup2(in_pipe[0], 0);
        ::dup2(out_pipe[1], 1);
        if (err_fd >= 0) {
            ::dup2(err_fd, 2);
        }
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    if (err_fd >= 0) {
        ::close(err_fd);
    }
    m_stdin_fd = in_pipe[1];
    m_stdout_fd = out_pipe[0];

    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + k_start_timeout;
    while (line.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd poll_fd{m_stdout_fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) {
            throw std::runtime_error("replay server did not report LISTENING within 20 s; stderr: " + read_text(stderr_path));
        }
        char buffer[256];
        const auto got = ::read(m_stdout_fd, buffer, sizeof buffer);
        if (got <= 0) {
            throw std::runtime_error("replay server exited before listening; stderr: " + read_text(stderr_path));
        }
        line.append(buffer, static_cast<std::size_t>(got));
    }
    if (line.rfind("LISTENING ", 0) != 0) {
        throw std::runtime_error("replay server printed '" + line + "' instead of LISTENING <port>");
    }
    m_port = std::stoi(line.substr(10));
    m_base_url = std::string(m_options.tls_cert.empty() ? "http" : "https") + "://127.0.0.1:" + std::to_string(m_port);
}

ReplayServer::~ReplayServer() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(m_work_dir, ec);
}

void ReplayServer::stop() noexcept {
    if (m_stdin_fd >= 0) {
        ::close(m_stdin_fd);  // end of file on stdin also stops it
        m_stdin_fd = -1;
    }
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + k_stop_timeout;
        int status = 0;
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        m_pid = -1;
    }
    if (m_stdout_fd >= 0) {
        ::close(m_stdout_fd);
        m_stdout_fd = -1;
    }
}

std::string ReplayServer::control(const std::string& method, const std::string& name, const std::string& body) {
    CURL* curl = ::curl_easy_init();
    if (curl == nullptr) {
        throw std::runtime_error("replay server: curl_easy_init failed");
    }
    const auto url = m_base_url + "/__control/" + name;
    std::string response;
    curl_slist* headers = ::curl_slist_append(nullptr, "Content-Type: application/json");
    ::curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    ::curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    ::curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    ::curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10'000L);
    ::curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
    ::curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    ::curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (method == "POST") {
        ::curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        ::curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    if (!m_options.control_ca_file.empty()) {
        ::curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.control_ca_file.c_str());
    }
    const CURLcode code = ::curl_easy_perform(curl);
    long status = 0;
    ::curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    ::curl_slist_free_all(headers);
    ::curl_easy_cleanup(curl);
    if (code != CURLE_OK) {
        throw std::runtime_error("replay server control " + url + ": " + ::curl_easy_strerror(code));
    }
    if (status != 200) {
        throw std::runtime_error("replay server control " + url + " answered " + std::to_string(status) + ": " + response);
    }
    return response;
}

void ReplayServer::set_faults(const std::string& faults_json) { control("POST", "faults", faults_json); }

void ReplayServer::reset() { control("POST", "reset", "{}"); }

std::vector<RecordedRequest> ReplayServer::requests() {
    const simdjson::padded_string json(control("GET", "requests", ""));
    simdjson::ondemand::parser parser;
    auto document = parser.iterate(json);
    std::vector<RecordedRequest> out;
    for (auto item : document["requests"].get_array()) {
        RecordedRequest request;
        for (auto field : item.get_object()) {
            const std::string_view key = field.unescaped_key();
            auto value = field.value();
            if (key == "method") {
                request.method = std::string(std::string_view(value.get_string()));
            } else if (key == "path") {
                request.path = std::string(std::string_view(value.get_string()));
            } else if (key == "outcome") {
                request.outcome = std::string(std::string_view(value.get_string()));
            } else if (key == "query" || key == "headers") {
                auto& target = key == "query" ? request.query : request.headers;
                for (auto entry : value.get_object()) {
                    const std::string name(std::string_view(entry.unescaped_key()));
                    target[name] = text_of(entry.value());
                }
            }
        }
        out.push_back(std::move(request));
    }
    return out;
}

std::vector<RecordedRequest> ReplayServer::requests_to(const std::string& path) {
    std::vector<RecordedRequest> out;
    for (auto& request : requests()) {
        if (request.path == path) {
            out.push_back(std::move(request));
        }
    }
    return out;
}

std::vector<std::string> ReplayServer::log_lines() const {
    std::vector<std::string> lines;
    std::ifstream in(m_work_dir / "server.log");
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

}  // namespace stackaudit::test::replay
