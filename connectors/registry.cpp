// The registry: every connector's spec in one explicit list, column resolution with config
// overrides, and read_all(), which reads each configured source and keeps going past failures.
#include "stackaudit/connectors/registry.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

#include "adobe/adobe.hpp"
#include "catalog/catalog.hpp"
#include "csv_source.hpp"
#include "directory/directory.hpp"
#include "google_workspace/google_workspace.hpp"
#include "hubspot/hubspot.hpp"
#include "integrations/integrations.hpp"
#include "json/json_connector.hpp"
#include "m365/m365.hpp"
#include "okta/okta.hpp"
#include "okta_log/api.hpp"
#include "okta_log/okta_log.hpp"
#include "salesforce/salesforce.hpp"
#include "seats/seats.hpp"
#include "slack/slack.hpp"
#include "zendesk/zendesk.hpp"
#include "zoom/zoom.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors {

namespace {

const std::string k_delimiter_option =
    "delimiter: field separator of the CSV file, one character or \"tab\" (default \",\")";

std::vector<ConnectorSpec> make_registry() {
    std::vector<ConnectorSpec> specs;

    specs.push_back(ConnectorSpec{
        .kind = "directory",
        .description = "The HR or identity-provider directory as CSV: one row per person with email, status, "
                       "department and team. People are matched to seats, owners and SSO usage by email "
                       "(case-insensitive) or by user_id (the Okta user id).",
        .columns = {
            {"user_id", "user_id", false, "identity-provider user id (Okta `id`, e.g. 00u1a2b3c4D5e6F7g8h9); matches SSO log actors"},
            {"email", "email", true, "work email; the key people are matched by"},
            {"display_name", "display_name", false, "full name as people read it"},
            {"department", "department", false, "department, e.g. Marketing"},
            {"team", "team", false, "team inside the department"},
            {"status", "status", true, "Okta status: ACTIVE, STAGED, PROVISIONED, RECOVERY, LOCKED_OUT, PASSWORD_EXPIRED, SUSPENDED, DEPROVISIONED (other text is kept as is)"},
            {"termination_date", "termination_date", false, "last working day, if leaving or left; a date"},
        },
        .options = {k_delimiter_option},
        .needs_tool = false,
        .multiple = false,
        .read = directory::read,
    });

    specs.push_back(ConnectorSpec{
        .kind = "catalog",
        .description = "The software catalog as CSV: one row per tool with vendor, SSO app label, owners, "
                       "contract and cost. Lists inside a cell are separated by `;`. A tool named on several "
                       "rows is merged into one, and differing owners are reported as owner conflicts.",
        .columns = {
            {"tool", "tool", true, "tool name, the name seat sources and integrations refer to"},
            {"vendor", "vendor", false, "vendor name"},
            {"sso_app_label", "sso_app_label", false, "the app's label in Okta, to match SSO usage"},
            {"capabilities", "capabilities", false, "`;`-separated capabilities, e.g. email marketing; landing pages"},
            {"owning_department", "owning_department", false, "department that owns the tool"},
            {"intended_departments", "intended_departments", false, "`;`-separated departments meant to use it, or `*` for everyone"},
            {"business_owner", "business_owner", false, "business owner email(s), `;`- or `,`-separated"},
            {"technical_owner", "technical_owner", false, "technical owner email(s), `;`- or `,`-separated"},
            {"it_review", "it_review", false, "IT review state: approved, pending, rejected, none (or empty)"},
            {"contract_seats", "contract_seats", false, "seats bought; a whole number, \"1,200\" accepted"},
            {"annual_cost_per_seat", "annual_cost_per_seat", false, "yearly cost of one seat; \"85\", \"$85.00\", \"1,020.50\", \"USD 85\" accepted"},
            {"renewal_date", "renewal_date", false, "next contract renewal; a date"},
        },
        .options = {k_delimiter_option},
        .needs_tool = false,
        .multiple = false,
        .read = catalog::read,
    });

    specs.push_back(ConnectorSpec{
        .kind = "integrations",
        .description = "Data flows between tools as CSV: one row per integration from a source tool to a target "
                       "tool with the categories of data it carries.",
        .columns = {
            {"source_tool", "source_tool", true, "tool the data comes from"},
            {"target_tool", "target_tool", true, "tool the data goes to"},
            {"data", "data", false, "`;`-separated data categories, e.g. contacts; leads"},
        },
        .options = {k_delimiter_option},
        .needs_tool = false,
        .multiple = false,
        .read = integrations::read,
    });

    specs.push_back(ConnectorSpec{
        .kind = "seats",
        .description = "One vendor's licence export as CSV (Salesforce, Adobe Admin Console, Zoom, Slack, ...): one "
                       "row per assigned seat. `tool:` names the catalog tool; `columns:` maps the vendor's own "
                       "headers. A last-activity column, when the export has one, counts as usage.",
        .columns = {
            {"email", "email", true, "seat holder's email"},
            {"license_type", "license_type", false, "licence, product profile or user type as the vendor names it"},
            {"assigned_date", "assigned_date", false, "when the seat was assigned (or the user created); a date"},
            {"last_activity", "last_activity", false, "last sign-in or activity; any timestamp spelling, empty/never/epoch 0 for never"},
        },
        .options = {k_delimiter_option},
        .needs_tool = true,
        .multiple = true,
        .read = seats::read,
    });

    specs.push_back(ConnectorSpec{
        .kind = "okta_log",
        .description = "The Okta System Log as exported: a JSON array of events or one event per line (JSON lines), "
                       "or a folder of saved /api/v1/logs pages (logs/page-*.json, as `stackaudit pull` writes them). "
                       "Successful `user.authentication.sso` events with an AppInstance target are aggregated per "
                       "(user, app); every other event is counted as ignored. Read in a single streaming pass.",
        .columns = {},
        .options = {},
        .needs_tool = false,
        .api = okta_log::api_spec(),
        .multiple = false,
        .read = okta_log::read,
    });
    specs.push_back(okta::spec());
    specs.push_back(m365::spec());
    specs.push_back(google_workspace::spec());
    specs.push_back(salesforce::spec());
    specs.push_back(slack::spec());

    // Vendor connectors: live API (see api.hpp) and saved pages / admin-console exports.
    specs.push_back(hubspot::spec());
    specs.push_back(adobe::spec());
    specs.push_back(zoom::spec());
    specs.push_back(zendesk::spec());
    specs.push_back(json::spec());
    return specs;
}

std::vector<std::string> column_keys(const ConnectorSpec& spec) {
    std::vector<std::string> keys;
    keys.reserve(spec.columns.size());
    for (const auto& column : spec.columns) {
        keys.push_back(column.key);
    }
    return keys;
}

std::string option_name(const std::string& option) { return option.substr(0, option.find(':')); }

Location config_location(const SourceConfig& source) {
    return Location{.source = source.name, .file = source.config_file, .line = source.config_line};
}

// The config key a user edits to fix this source's path, e.g. inputs.seats (tool: Zoom).path.
std::string path_key(const SourceConfig& source) {
    const std::string field = source.paths.size() > 1 ? "paths" : "path";
    if (!source.tool.empty()) {
        return cat("inputs.", source.kind, " (tool: ", source.tool, ").", field);
    }
    return cat("inputs.", source.kind, ".", field);
}

Result<void> check_source(const ConnectorSpec& spec, const SourceConfig& source) {
    if (spec.needs_tool && trim(source.tool).empty()) {
        return fail(ErrorCode::config_invalid, cat("a ", spec.kind, " source needs `tool:`"),
                    config_location(source), "name the catalog tool these rows belong to, e.g. `tool: Salesforce`");
    }
    std::vector<std::string> known;
    for (const auto& option : spec.options) {
        known.push_back(option_name(option));
    }
    for (const auto& [name, value] : source.options) {
        if (std::find(known.begin(), known.end(), name) != known.end()) {
            continue;
        }
        const std::string suggestion = did_you_mean(name, known);
        std::string hint = known.empty() ? cat(spec.kind, " takes no options")
                                         : cat(spec.kind, " options: ", join(known, ", "));
        return fail(ErrorCode::config_invalid,
                    cat("unknown option '", name, "'", suggestion.empty() ? "" : cat(" (did you mean '", suggestion, "'?)")),
                    config_location(source), std::move(hint));
    }
    if (source.paths.empty()) {
        return fail(ErrorCode::config_invalid, cat("no input file configured"),
                    config_location(source), cat("set ", path_key(source), " to the exported file"));
    }
    for (const auto& path : source.paths) {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (!std::filesystem::exists(status)) {
            return fail(ErrorCode::io,
                        cat("input file ", path.string(), " does not exist (configured as ", path_key(source), ")"),
                        Location{.source = source.name,
                                 .file = source.config_file.empty() ? path.string() : source.config_file,
                                 .line = source.config_line},
                        cat("fix ", path_key(source), source.config_file.empty() ? "" : " in " + source.config_file, "; relative paths are resolved from the config file's folder"));
        }
        // Connectors that read saved API pages take a folder laid out like a snapshot.
        if (std::filesystem::is_directory(status) && !spec.api) {
            return fail(ErrorCode::io,
                        cat("input ", path.string(), " is a folder, not a file (configured as ", path_key(source), ")"),
                        config_location(source), cat("point ", path_key(source), " at the exported file"));
        }
    }
    return {};
}

template <class T>
void append(std::vector<T>& to, std::vector<T>& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

const std::vector<ConnectorSpec>& registry() {
    static const std::vector<ConnectorSpec> k_registry = make_registry();
    return k_registry;
}

const ConnectorSpec* find(std::string_view kind) {
    for (const auto& spec : registry()) {
        if (iequals(spec.kind, kind)) {
            return &spec;
        }
    }
    return nullptr;
}

Result<std::vector<ColumnSpec>> column_specs(const ConnectorSpec& spec, const SourceConfig& source) {
    const std::vector<std::string> keys = column_keys(spec);
    for (const auto& [key, header] : source.columns) {
        const bool known = std::any_of(spec.columns.begin(), spec.columns.end(),
                                       [&](const ColumnDoc& doc) { return doc.key == key; });
        if (known) {
            if (trim(header).empty()) {
                return fail(ErrorCode::config_invalid,
                            cat("column key '", key, "' is mapped to an empty header"),
                            config_location(source),
                            cat("write the header text of that column in the file, e.g. {", key, ": \"...\"}"));
            }
            continue;
        }
        if (spec.columns.empty()) {
            return fail(ErrorCode::config_invalid,
                        cat(spec.kind, " sources have no columns, but `columns:` maps '", key, "'"),
                        config_location(source), "remove `columns:` from this source");
        }
        const std::string suggestion = did_you_mean(key, keys);
        return fail(ErrorCode::config_invalid,
                    cat("unknown column key '", key, "'", suggestion.empty() ? "" : cat(" (did you mean '", suggestion, "'?)")),
                    config_location(source),
                    cat(spec.kind, " column keys: ", join(keys, ", "), "; the value is the header text in your file"));
    }
    std::vector<ColumnSpec> columns;
    columns.reserve(spec.columns.size());
    for (const auto& doc : spec.columns) {
        ColumnSpec column{.key = doc.key, .header = doc.default_header, .required = doc.required};
        if (const auto it = source.columns.find(doc.key); it != source.columns.end()) {
            column.header = std::string(trim(it->second));
            // Naming a header in the config is a promise that the file has it: a typo there
            // must not silently turn into "this export has no such column".
            column.required = true;
        }
        columns.push_back(std::move(column));
    }
    return columns;
}

Dataset read_all(const std::vector<SourceConfig>& sources, ReadContext& context) {
    Dataset out;
    out.as_of = context.as_of;
    out.window_days = context.window_days;
    std::vector<std::string> kinds;
    for (const auto& spec : registry()) {
        kinds.push_back(spec.kind);
    }

    for (const auto& source : sources) {
        SourceReport report;
        report.name = source.name.empty() ? source.kind : source.name;
        report.kind = source.kind;
        std::vector<std::string> paths;
        for (const auto& path : source.paths) {
            paths.push_back(path.string());
        }
        // Reports show the paths as the user wrote them, so outputs do not depend on where the
        // config happens to sit; errors keep the resolved path, which is what a user can open.
        report.path = source.display_paths.empty() ? join(paths, "; ") : join(source.display_paths, "; ");

        const ConnectorSpec* spec = find(source.kind);
        Result<void> result;
        Dataset part;
        part.as_of = out.as_of;
        part.window_days = out.window_days;
        if (spec == nullptr) {
            const std::string suggestion = did_you_mean(source.kind, kinds);
            result = fail(ErrorCode::config_invalid,
                          cat("unknown input kind '", source.kind, "'", suggestion.empty() ? "" : cat(" (did you mean '", suggestion, "'?)")),
                          config_location(source), cat("input kinds: ", join(kinds, ", ")));
        } else {
            result = check_source(*spec, source);
            if (result) {
                SourceConfig named = source;
                named.name = report.name;
                result = spec->read(named, context, part, report);
            }
        }

        if (!result) {
            report.ok = false;
            report.errors.clear();
            report.errors.push_back(result.error());
        } else {
            append(out.people, part.people);
            append(out.tools, part.tools);
            append(out.integrations, part.integrations);
            append(out.seats, part.seats);
            append(out.usage, part.usage);
            append(out.licenses, part.licenses);
        }
        out.sources.push_back(std::move(report));
    }
    return out;
}

}  // namespace stackaudit::connectors
