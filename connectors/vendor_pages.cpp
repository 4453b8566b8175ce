// Saved vendor API pages and export files: the page walk (simdjson On-Demand), record field
// extraction and the export CSV loop shared by the vendor connectors.
//
// A page is walked member by member to its end rather than jumping to the records with a JSON
// pointer: On-Demand only notices a page cut short when it gets there, and a truncated download
// must fail the source, not silently drop the records after the cut. Each record is copied out
// as raw JSON and parsed again on its own, so a record of the wrong shape is rejected alone and
// the rejects file can show it as it stood.
#include "vendor_pages.hpp"

#include <simdjson.h>

#include <algorithm>
#include <system_error>
#include <utility>

#include "csv_source.hpp"
#include "json/json_pages.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/connectors/http.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/text.hpp"

namespace stackaudit::connectors::pages {

namespace {

namespace od = simdjson::ondemand;

std::unexpected<Error> malformed(const std::string& source, const std::filesystem::path& file, std::string what) {
    return fail(ErrorCode::json_malformed, cat("saved page ", file.string(), " ", what),
                Location{.source = source, .file = file.string()},
                "save the page again (or run `stackaudit pull` again): a page cut short by a dropped "
                "connection or edited by hand shows up this way");
}

std::string describe(simdjson::error_code code) { return std::string(simdjson::error_message(code)); }

// The raw JSON text of any value; objects and arrays are consumed whole.
simdjson::simdjson_result<std::string_view> raw_text(od::value& value, od::json_type type) {
    if (type == od::json_type::object) {
        od::object object;
        if (auto error = value.get_object().get(object); error) {
            return error;
        }
        return object.raw_json();
    }
    if (type == od::json_type::array) {
        od::array array;
        if (auto error = value.get_array().get(array); error) {
            return error;
        }
        return array.raw_json();
    }
    return value.raw_json_token();
}

// Reads one value into a JsonField. Objects and arrays keep their raw JSON.
simdjson::error_code read_field(od::value& value, JsonField& out) {
    od::json_type type{};
    if (auto error = value.type().get(type); error) {
        return error;
    }
    switch (type) {
    case od::json_type::null:
        out.kind = JsonField::Kind::null;
        return simdjson::SUCCESS;
    case od::json_type::boolean: {
        bool flag = false;
        if (auto error = value.get_bool().get(flag); error) {
            return error;
        }
        out.kind = JsonField::Kind::boolean;
        out.flag = flag;
        out.text = flag ? "true" : "false";
        return simdjson::SUCCESS;
    }
    case od::json_type::string: {
        std::string_view text;
        if (auto error = value.get_string().get(text); error) {
            return error;
        }
        out.kind = JsonField::Kind::string;
        out.text = std::string(text);
        return simdjson::SUCCESS;
    }
    case od::json_type::number: {
        out.kind = JsonField::Kind::number;
        out.text = std::string(trim(value.raw_json_token()));
        return simdjson::SUCCESS;
    }
    case od::json_type::object:
    case od::json_type::array: {
        std::string_view raw;
        if (auto error = raw_text(value, type).get(raw); error) {
            return error;
        }
        out.kind = type == od::json_type::object ? JsonField::Kind::object : JsonField::Kind::array;
        out.text = std::string(raw);
        return simdjson::SUCCESS;
    }
    }
    return simdjson::INCORRECT_TYPE;
}

bool is_scalar(od::json_type type) { return type != od::json_type::object && type != od::json_type::array; }

// Errors of a pointer that leads nowhere in this record, as opposed to a record that is broken.
bool is_absent(simdjson::error_code code) {
    return code == simdjson::NO_SUCH_FIELD || code == simdjson::INCORRECT_TYPE ||
           code == simdjson::INDEX_OUT_OF_BOUNDS || code == simdjson::INVALID_JSON_POINTER;
}

std::unexpected<Error> bad_record(simdjson::error_code code) {
    return fail(ErrorCode::json_malformed, cat("record is not valid JSON: ", describe(code)));
}

}  // namespace

std::string_view kind_name(JsonField::Kind kind) noexcept {
    switch (kind) {
    case JsonField::Kind::missing: return "missing";
    case JsonField::Kind::null: return "null";
    case JsonField::Kind::string: return "a string";
    case JsonField::Kind::boolean: return "a boolean";
    case JsonField::Kind::number: return "a number";
    case JsonField::Kind::object: return "an object";
    case JsonField::Kind::array: return "an array";
    }
    return "unknown";
}

Result<Page> load_page(const std::filesystem::path& file, const std::string& source, std::string_view records_key) {
    // Limits (docs/inputs.md): a page bigger than a live pull accepts is refused unread, and one
    // nested deeper than k_max_json_depth before On-Demand (which skips without counting) walks it.
    if (auto fits = json_pages::check_page_size(file, source); !fits) return std::unexpected(fits.error());
    simdjson::padded_string text;
    if (auto error = simdjson::padded_string::load(file.string()).get(text); error) {
        return fail(ErrorCode::io, cat("cannot read saved page ", file.string(), ": ", describe(error)),
                    Location{.source = source, .file = file.string()}, "check that the file exists and is readable");
    }
    if (const auto deep = json_too_deep_at(std::string_view(text.data(), text.size())); deep != std::string_view::npos) {
        const auto line = 1 + std::count(text.data(), text.data() + deep, '\n');
        return malformed(source, file, cat("is nested deeper than ", k_max_json_depth, " levels (line ",
                                           static_cast<std::size_t>(line), ")"));
    }
    Page page;
    page.file = file;
    od::parser parser;
    od::document doc;
    if (auto error = parser.iterate(text).get(doc); error) {
        return malformed(source, file, cat("is not valid JSON: ", describe(error)));
    }
    od::object root;
    if (auto error = doc.get_object().get(root); error) {
        return malformed(source, file,
                         error == simdjson::INCORRECT_TYPE ? std::string("is not a JSON object (expected the API's response object)")
                                                           : cat("is not valid JSON: ", describe(error)));
    }
    for (auto member : root) {
        od::field field;
        std::string_view key_view;
        if (auto error = std::move(member).get(field); error) {
            return malformed(source, file, cat("is not valid JSON: ", describe(error)));
        }
        if (auto error = field.unescaped_key().get(key_view); error) {
            return malformed(source, file, cat("is not valid JSON: ", describe(error)));
        }
        const std::string key(key_view);
        od::value value = field.value();
        od::json_type type{};
        if (auto error = value.type().get(type); error) {
            return malformed(source, file, cat("is not valid JSON at \"", key, "\": ", describe(error)));
        }
        if (key == records_key) {
            page.has_records = true;
            if (type == od::json_type::null) {
                continue;
            }
            if (type == od::json_type::array) {
                od::array array;
                if (auto error = value.get_array().get(array); error) {
                    return malformed(source, file, cat("is not valid JSON in \"", key, "\": ", describe(error)));
                }
                std::size_t index = 0;
                for (auto element : array) {
                    od::value item;
                    od::json_type item_type{};
                    std::string_view raw;
                    if (auto error = std::move(element).get(item); error) {
                        return malformed(source, file, cat("is not valid JSON at $.", key, "[", index, "]: ", describe(error)));
                    }
                    if (auto error = item.type().get(item_type); error) {
                        return malformed(source, file, cat("is not valid JSON at $.", key, "[", index, "]: ", describe(error)));
                    }
                    if (auto error = raw_text(item, item_type).get(raw); error) {
                        return malformed(source, file, cat("is not valid JSON at $.", key, "[", index, "]: ", describe(error)));
                    }
                    page.records.push_back(PageRecord{.index = index, .key = {}, .raw = std::string(trim(raw))});
                    ++index;
                }
                continue;
            }
            if (type == od::json_type::object) {
                od::object object;
                if (auto error = value.get_object().get(object); error) {
                    return malformed(source, file, cat("is not valid JSON in \"", key, "\": ", describe(error)));
                }
                std::size_t index = 0;
                for (auto entry : object) {
                    od::field item_field;
                    std::string_view item_key;
                    if (auto error = std::move(entry).get(item_field); error) {
                        return malformed(source, file, cat("is not valid JSON in $.", key, ": ", describe(error)));
                    }
                    if (auto error = item_field.unescaped_key().get(item_key); error) {
                        return malformed(source, file, cat("is not valid JSON in $.", key, ": ", describe(error)));
                    }
                    std::string record_key(item_key);
                    od::value item = item_field.value();
                    od::json_type item_type{};
                    std::string_view raw;
                    if (auto error = item.type().get(item_type); error) {
                        return malformed(source, file, cat("is not valid JSON at $.", key, ".", record_key, ": ", describe(error)));
                    }
                    if (auto error = raw_text(item, item_type).get(raw); error) {
                        return malformed(source, file, cat("is not valid JSON at $.", key, ".", record_key, ": ", describe(error)));
                    }
                    page.records.push_back(PageRecord{.index = index, .key = std::move(record_key), .raw = std::string(trim(raw))});
                    ++index;
                }
                continue;
            }
            return malformed(source, file, cat("has \"", key, "\" as ", type == od::json_type::string ? "a string" : "a scalar",
                                               ", expected a list of records"));
        }
        if (is_scalar(type)) {
            JsonField scalar;
            if (auto error = read_field(value, scalar); error) {
                return malformed(source, file, cat("is not valid JSON at \"", key, "\": ", describe(error)));
            }
            page.top.insert_or_assign(key, std::move(scalar));
        } else {
            // Skipped members are still scanned, so damage inside them is caught here.
            std::string_view ignored;
            if (auto error = raw_text(value, type).get(ignored); error) {
                return malformed(source, file, cat("is not valid JSON in \"", key, "\": ", describe(error)));
            }
        }
    }
    // Past the last token current_location() reports OUT_OF_BOUNDS; anything else is left over.
    if (const auto rest = doc.current_location(); rest.error() != simdjson::OUT_OF_BOUNDS) {
        return malformed(source, file, "has text after the end of the JSON document");
    }
    return page;
}

Result<std::vector<JsonField>> record_fields(std::string_view raw, std::span<const std::string_view> pointers) {
    const simdjson::padded_string text(raw);
    od::parser parser;
    od::document doc;
    if (auto error = parser.iterate(text).get(doc); error) {
        return bad_record(error);
    }
    std::vector<JsonField> fields(pointers.size());
    for (std::size_t i = 0; i < pointers.size(); ++i) {
        od::value value;
        if (auto error = doc.at_pointer(pointers[i]).get(value); error) {
            if (is_absent(error)) {
                continue;
            }
            return bad_record(error);
        }
        if (auto error = read_field(value, fields[i]); error) {
            return bad_record(error);
        }
    }
    return fields;
}

Result<std::vector<std::string>> record_array(std::string_view raw, std::string_view pointer) {
    const std::string_view pointers[] = {pointer};
    auto fields = record_fields(raw, pointers);
    if (!fields) {
        return std::unexpected(fields.error());
    }
    const JsonField& field = fields->front();
    std::vector<std::string> elements;
    if (!field.present()) {
        return elements;
    }
    if (field.kind != JsonField::Kind::array) {
        return fail(ErrorCode::invalid_value, cat("is ", kind_name(field.kind), ", expected a list"));
    }
    const simdjson::padded_string text(field.text);
    od::parser parser;
    od::document doc;
    od::array array;
    if (auto error = parser.iterate(text).get(doc); error) {
        return bad_record(error);
    }
    if (auto error = doc.get_array().get(array); error) {
        return bad_record(error);
    }
    for (auto element : array) {
        od::value item;
        od::json_type type{};
        std::string_view item_raw;
        if (auto error = std::move(element).get(item); error) {
            return bad_record(error);
        }
        if (auto error = item.type().get(type); error) {
            return bad_record(error);
        }
        if (auto error = raw_text(item, type).get(item_raw); error) {
            return bad_record(error);
        }
        elements.emplace_back(trim(item_raw));
    }
    return elements;
}

std::string json_path(std::string_view records_key, const PageRecord& record, std::string_view pointer) {
    std::string path = record.key.empty() ? cat("$.", records_key, "[", record.index, "]")
                                          : cat("$.", records_key, ".", record.key);
    for (const char c : pointer) {
        path += c == '/' ? '.' : c;
    }
    return path;
}

Error record_error(const std::string& source, const std::filesystem::path& file, std::string path, std::string message,
                   std::string hint) {
    return Error{.code = ErrorCode::invalid_value,
                 .message = std::move(message),
                 .where = Location{.source = source, .file = file.string(), .json_path = std::move(path)},
                 .hint = std::move(hint)};
}

Result<std::optional<std::string>> as_text(const JsonField& field) {
    if (!field.present()) {
        return std::optional<std::string>{};
    }
    if (field.kind != JsonField::Kind::string) {
        return fail(ErrorCode::invalid_value, cat("is ", kind_name(field.kind), " (", field.text, "), expected text"));
    }
    return std::optional<std::string>{field.text};
}

Result<std::string> as_email(const JsonField& field) {
    auto text = as_text(field);
    if (!text) {
        return std::unexpected(text.error());
    }
    if (!*text) {
        return fail(ErrorCode::invalid_value, "is missing");
    }
    return parse_email(**text);
}

Result<std::optional<bool>> as_bool(const JsonField& field) {
    if (!field.present()) {
        return std::optional<bool>{};
    }
    if (field.kind != JsonField::Kind::boolean) {
        return fail(ErrorCode::invalid_value, cat("is ", kind_name(field.kind), " (", field.text, "), expected true or false"));
    }
    return std::optional<bool>{field.flag};
}

Result<std::optional<std::int64_t>> as_count(const JsonField& field) {
    if (!field.present()) {
        return std::optional<std::int64_t>{};
    }
    if (field.kind != JsonField::Kind::number && field.kind != JsonField::Kind::string) {
        return fail(ErrorCode::invalid_value, cat("is ", kind_name(field.kind), ", expected a whole number"));
    }
    return parse_count(field.text);
}

Result<std::optional<Timestamp>> as_timestamp(const JsonField& field) {
    if (!field.present()) {
        return std::optional<Timestamp>{};
    }
    if (field.kind != JsonField::Kind::string && field.kind != JsonField::Kind::number) {
        return fail(ErrorCode::invalid_value, cat("is ", kind_name(field.kind), ", expected a timestamp"));
    }
    return parse_timestamp(field.text);
}

Result<std::optional<Date>> as_date(const JsonField& field) {
    if (!field.present()) {
        return std::optional<Date>{};
    }
    if (field.kind != JsonField::Kind::string && field.kind != JsonField::Kind::number) {
        return fail(ErrorCode::invalid_value, cat("is ", kind_name(field.kind), ", expected a date"));
    }
    return parse_date(field.text);
}

Result<InputForm> input_form(const SourceConfig& source, const std::filesystem::path& path, std::string_view export_name) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) {
        return fail(ErrorCode::io, cat("input ", path.string(), " does not exist"),
                    Location{.source = source.name, .file = source.config_file, .line = source.config_line},
                    "point `path:` at a folder of saved API pages (a `stackaudit pull` snapshot)");
    }
    if (std::filesystem::is_directory(status)) {
        return InputForm::pages;
    }
    if (!export_name.empty() && iequals(path.extension().string(), ".csv")) {
        return InputForm::export_csv;
    }
    return fail(ErrorCode::config_invalid,
                cat(source.kind, " reads a folder of saved API pages",
                    export_name.empty() ? std::string() : cat(" or ", export_name), "; ", path.string(), " is neither"),
                Location{.source = source.name, .file = source.config_file, .line = source.config_line},
                cat("point `path:` at a snapshot folder (<folder>/<endpoint>/page-00001.json)",
                    export_name.empty() ? std::string() : cat(" or at ", export_name)));
}

Result<std::vector<std::filesystem::path>> required_pages(const SourceConfig& source, const std::filesystem::path& dir,
                                                          const std::string& endpoint) {
    auto found = endpoint_pages(dir, endpoint);
    if (found.empty()) {
        return fail(ErrorCode::not_found, cat("no saved pages of endpoint '", endpoint, "' in ", dir.string()),
                    Location{.source = source.name, .file = dir.string()},
                    cat("a saved-pages folder holds ", (dir / endpoint / "page-00001.json").string(),
                        " and so on; run `stackaudit pull` or save the API's pages in that layout"));
    }
    return found;
}

Result<void> read_export(const ConnectorSpec& spec, const SourceConfig& source, const std::filesystem::path& file,
                         ReadContext& context, SourceReport& report, const ExportRowHandler& handle) {
    auto columns = column_specs(spec, source);
    if (!columns) {
        return std::unexpected(columns.error());
    }
    auto delimiter = csv_delimiter(source);
    if (!delimiter) {
        return std::unexpected(delimiter.error());
    }
    auto table = CsvTable::open(file, source.name, *columns, CsvOptions{.delimiter = *delimiter});
    if (!table) {
        Error error = table.error();
        if (error.code == ErrorCode::csv_missing_column && !source.config_file.empty()) {
            error.hint += cat(error.hint.empty() ? "" : " ", "(this input is configured at ", source.config_file, ":",
                              source.config_line, ")");
        }
        return std::unexpected(std::move(error));
    }
    while (true) {
        auto row = table->next();
        if (!row) {
            if (row.error().code == ErrorCode::io) {
                return std::unexpected(row.error());
            }
            if (auto verdict = reject_row(context, report, row.error(), table->last_raw()); !verdict) {
                return verdict;
            }
            continue;
        }
        if (!row->has_value()) {
            break;
        }
        const CsvTable::Row& current = **row;
        auto kept = handle(*table, current, *columns);
        if (!kept) {
            if (auto verdict = reject_row(context, report, kept.error(), current.raw); !verdict) {
                return verdict;
            }
            continue;
        }
        if (*kept) {
            ++report.records;
        } else {
            ++report.ignored;
        }
    }
    return {};
}

}  // namespace stackaudit::connectors::pages
