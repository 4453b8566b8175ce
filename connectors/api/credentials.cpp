// Credentials for live connectors: read from an environment variable or a file named in the
// config, never from the config itself. Errors name where the value was looked for, never the
// value; a credential file others can read earns a warning.
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "csv_source.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors {

namespace {

std::string what_to_create(const CredentialSpec& spec) {
    return spec.description.empty() ? std::string{} : cat(" (", spec.description, ")");
}

std::string config_example(const CredentialSpec& spec) {
    return cat("credentials: {", spec.name, ": {env: VARIABLE}} or {", spec.name, ": {file: /path/to/file}}");
}

}  // namespace

std::string ResolvedCredentials::describe(const std::string& name) const {
    const auto it = origin.find(name);
    return it == origin.end() ? cat("credential ", name) : it->second;
}

Result<ResolvedCredentials> resolve_credentials(const ApiSpec& spec, const ApiSourceConfig& config) {
    ResolvedCredentials resolved;
    for (const auto& credential : spec.credentials) {
        const auto it = config.credentials.find(credential.name);
        if (it == config.credentials.end() || (it->second.env.empty() && it->second.file.empty())) {
            return fail(ErrorCode::config_invalid,
                        cat("credential '", credential.name, "' is not configured"), {},
                        cat("add under api: ", config_example(credential), what_to_create(credential)));
        }
        const auto& source = it->second;
        if (!source.env.empty()) {
            const char* value = std::getenv(source.env.c_str());
            const std::string_view text = value == nullptr ? std::string_view{} : trim(value);
            if (!text.empty()) {
                resolved.values[credential.name] = std::string(text);
                resolved.origin[credential.name] = cat("env ", source.env);
                continue;
            }
            if (source.file.empty()) {
                return fail(ErrorCode::config_invalid,
                            cat("credential '", credential.name, "': environment variable ", source.env,
                                value == nullptr ? " is not set" : " is empty"),
                            {}, cat("export ", source.env, " with the credential", what_to_create(credential)));
            }
        }
        const auto& path = source.file;
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            const int err = errno;
            return fail(ErrorCode::config_invalid,
                        cat("credential '", credential.name, "': cannot read file ", path.string(), ": ", std::strerror(err)),
                        Location{.file = path.string()},
                        cat("create the file with the credential on its first line, readable only by the user that "
                            "runs stackaudit (chmod 600)",
                            what_to_create(credential)));
        }
        std::string line;
        std::getline(in, line);
        const auto text = trim(line);
        if (text.empty()) {
            return fail(ErrorCode::config_invalid,
                        cat("credential '", credential.name, "': file ", path.string(), " is empty"),
                        Location{.file = path.string()},
                        cat("put the credential on the file's first line", what_to_create(credential)));
        }
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
            resolved.warnings.push_back(cat("credential file ", path.string(), " is readable by ",
                                            (st.st_mode & S_IROTH) != 0 ? "everyone" : "its group",
                                            "; restrict it with: chmod 600 ", path.string()));
        }
        resolved.values[credential.name] = std::string(text);
        resolved.origin[credential.name] = cat("file ", path.string());
    }
    return resolved;
}

}  // namespace stackaudit::connectors
