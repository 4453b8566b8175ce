// Test harness for the loopback replay server (replay_server.py): starts it as a child process
// on a free 127.0.0.1 port, talks to its control API, and stops it when the harness goes away.
// Failures to start or to reach the server throw std::runtime_error (test code only).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace stackaudit::test::replay {

struct ServerOptions {
    std::vector<std::filesystem::path> roots;  // folders holding routes.json, searched in order
    std::filesystem::path tls_cert;             // both set: serve HTTPS
    std::filesystem::path tls_key;
    std::filesystem::path control_ca_file;      // CA the harness trusts for its own control calls over HTTPS
};

// One request as the server saw it (control calls excluded). Header names are lower-cased;
// a repeated query parameter's values are joined with ",".
struct RecordedRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> headers;
    std::string outcome;  // what the server did: "200", "429 (fault)", "hung, closed without a response", ...
    [[nodiscard]] bool has_header(const std::string& name) const { return headers.contains(name); }
    [[nodiscard]] std::string header(const std::string& name) const {
        const auto found = headers.find(name);
        return found == headers.end() ? std::string() : found->second;
    }
};

class ReplayServer {
public:
    explicit ReplayServer(ServerOptions options);
    explicit ReplayServer(const std::filesystem::path& root) : ReplayServer(ServerOptions{.roots = {root}}) {}
    ~ReplayServer();
    ReplayServer(const ReplayServer&) = delete;
    ReplayServer& operator=(const ReplayServer&) = delete;

    [[nodiscard]] const std::string& base_url() const { return m_base_url; }  // "http://127.0.0.1:PORT"
    [[nodiscard]] int port() const { return m_port; }

    // Replaces the fault list with `faults_json`: the body of POST /__control/faults, i.e.
    // {"faults": [...]} (see docs/connectors/testing.md).
    void set_faults(const std::string& faults_json);
    [[nodiscard]] std::vector<RecordedRequest> requests();
    // Requests to one path (any query), in arrival order.
    [[nodiscard]] std::vector<RecordedRequest> requests_to(const std::string& path);
    void reset();  // clears faults and the request log
    // The server's own log lines (one per request; never headers or secret query values).
    [[nodiscard]] std::vector<std::string> log_lines() const;

private:
    void start();
    std::string control(const std::string& method, const std::string& name, const std::string& body);
    void stop() noexcept;

    ServerOptions m_options;
    std::filesystem::path m_work_dir;
    pid_t m_pid = -1;
    int m_stdin_fd = -1;
    int m_stdout_fd = -1;
    int m_port = 0;
    std::string m_base_url;
};

// Path of a fixture folder under tests/connectors/data/api/.
[[nodiscard]] std::filesystem::path api_data(const std::string& name);

}  // namespace stackaudit::test::replay
