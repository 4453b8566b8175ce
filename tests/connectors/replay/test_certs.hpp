// Throwaway TLS material for the loopback tests, made with the `openssl` CLI (Debian package
// `openssl`): a CA and a server certificate for 127.0.0.1 signed by it, in a folder of your choice.
#pragma once

#include <filesystem>
#include <string>

namespace stackaudit::test::replay {

struct TestCertificates {
    std::filesystem::path ca_file;    // PEM CA certificate: what TransportOptions::ca_file points at
    std::filesystem::path cert_file;  // PEM server certificate (SAN IP:127.0.0.1), signed by the CA
    std::filesystem::path key_file;   // PEM server key
};

// Whether the openssl CLI can be run at all (tests skip TLS cases with a warning otherwise).
[[nodiscard]] bool openssl_available();

// Creates the CA and server certificate under `dir` (created if missing). `name` prefixes the
// files so one folder can hold several unrelated CAs. Throws std::runtime_error with openssl's
// output when a step fails.
[[nodiscard]] TestCertificates make_test_certificates(const std::filesystem::path& dir, const std::string& name = "test");

}  // namespace stackaudit::test::replay
