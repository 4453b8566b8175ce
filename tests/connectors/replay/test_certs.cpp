// Runs the openssl CLI (no shell) to make a throwaway CA and a 127.0.0.1 server certificate.
// EC P-256 keys keep it fast; certificates last two days, which is plenty for one test run.
#include "test_certs.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <vector>

namespace stackaudit::test::replay {
namespace {

// Runs argv with stdout and stderr into `output_file`; returns the exit status (-1 if not run).
int run(std::vector<std::string> args, const std::filesystem::path& output_file) {
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    const int out = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (null_in >= 0) {
            ::dup2(null_in, 0);
        }
        if (out >= 0) {
            ::dup2(out, 1);
            ::dup2(out, 2);
        }
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    if (out >= 0) {
        ::close(out);
    }
    if (null_in >= 0) {
        ::close(null_in);
    }
    if (pid < 0) {
        return -1;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void openssl(std::vector<std::string> args, const std::filesystem::path& dir) {
    args.insert(args.begin(), "openssl");
    const auto log = dir / "openssl.log";
    if (run(args, log) != 0) {
        std::ifstream in(log);
        const std::string output{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        std::string command;
        for (const auto& arg : args) {
            command += arg + " ";
        }
        throw std::runtime_error("openssl failed: " + command + "\n" + output);
    }
}

}  // namespace

bool openssl_available() {
    const auto log = std::filesystem::temp_directory_path() / ("stackaudit-openssl-probe-" + std::to_string(::getpid()));
    const bool ok = run({"openssl", "version"}, log) == 0;
    std::error_code ec;
    std::filesystem::remove(log, ec);
    return ok;
}

TestCertificates make_test_certificates(const std::filesystem::path& dir, const std::string& name) {
    std::filesystem::create_directories(dir);
    const auto file = [&](const std::string& suffix) { return (dir / (name + suffix)).string(); };
    TestCertificates certs{file("-ca.pem"), file("-server.pem"), file("-server.key")};
    const std::vector<std::string> ec_key = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};

    std::vector<std::string> ca = {"req", "-x509"};
    ca.insert(ca.end(), ec_key.begin(), ec_key.end());
    ca.insert(ca.end(), {"-keyout", file("-ca.key"), "-out", certs.ca_file.string(), "-days", "2", "-subj",
                         "/O=stackaudit tests/CN=stackaudit throwaway " + name + " CA", "-addext",
                         "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
    openssl(ca, dir);

    std::vector<std::string> csr = {"req"};
    csr.insert(csr.end(), ec_key.begin(), ec_key.end());
    csr.insert(csr.end(), {"-keyout", certs.key_file.string(), "-out", file("-server.csr"), "-subj",
                           "/O=stackaudit tests/CN=127.0.0.1"});
    openssl(csr, dir);

    {
        std::ofstream ext(file("-server.ext"));
        ext << "basicConstraints=CA:FALSE\n"
               "keyUsage=critical,digitalSignature,keyEncipherment\n"
               "extendedKeyUsage=serverAuth\n"
               "subjectAltName=IP:127.0.0.1\n";
    }
    openssl({"x509", "-req", "-in", file("-server.csr"), "-CA", certs.ca_file.string(), "-CAkey", file("-ca.key"),
             "-CAcreateserial", "-out", certs.cert_file.string(), "-days", "2", "-extfile", file("-server.ext")},
            dir);
    return certs;
}

}  // namespace stackaudit::test::replay
