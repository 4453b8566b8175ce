// Saved pages and JSON lists through simdjson On-Demand: a page is parsed once (and consumed
// completely, so a truncated page fails before any of its records is used), each record's JSON
// text is kept, and fields are then read from a record by pointer. Re-parsing a record on its
// own lets a reader ask for fields in any order, which On-Demand cannot do within one pass.
#include "json/json_pages.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>

#include "csv_source.hpp"
#include "stackaudit/connectors/api.hpp"
#include "stackaudit/connectors/http.hpp"
#include "stackaudit/core/io.hpp"
#include "stackaudit/core/strings.hpp"
#include "stackaudit/core/text.hpp"

namespace stackaudit::connectors::json_pages {

namespace od = simdjson::ondemand;

namespace {

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string unescape_token(std::string_view token) {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
            out += token[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

std::string_view type_name(od::json_type type) {
    switch (type) {
        case od::json_type::array: return "an array";
        case od::json_type::object: return "an object";
        case od::json_type::number: return "a number";
        case od::json_type::string: return "a string";
        case od::json_type::boolean: return "a boolean";
        case od::json_type::null: return "null";
    }
    return "a value";
}

std::string simdjson_reason(simdjson::error_code code) { return std::string(simdjson::error_message(code)); }

// The raw JSON text of one value, whatever its type.
simdjson::simdjson_result<std::string_view> raw_of(od::value value) {
    od::json_type type{};
    if (auto error = value.type().get(type)) {
        return error;
    }
    if (type == od::json_type::object) {
        od::object object;
        if (auto error = value.get_object().get(object)) {
            return error;
        }
        return object.raw_json();
    }
    if (type == od::json_type::array) {
        od::array array;
        if (auto error = value.get_array().get(array)) {
            return error;
        }
        return array.raw_json();
    }
    // A scalar's token runs up to the next structural character, whitespace included.
    return trim(value.raw_json_token());
}

// Reads a file whole, without a UTF-8 byte order mark (hand-saved files on Windows carry one).
// A page larger than a live pull accepts (http::k_max_response_bytes) is refused unread, so
// memory stays bounded whatever file is configured.
Result<simdjson::padded_string> load(const std::filesystem::path& file, const std::string& source) {
    if (auto fits = check_page_size(file, source); !fits) return std::unexpected(fits.error());
    auto text = read_file(file);
    if (!text) {
        Error error = text.error();
        error.where.source = source;
        return std::unexpected(std::move(error));
    }
    std::string_view view = *text;
    if (view.size() >= 3 && view.substr(0, 3) == "\xEF\xBB\xBF") {
        view.remove_prefix(3);
    }
    return simdjson::padded_string(view);
}

Error page_error(const std::filesystem::path& file, const std::string& source, std::string message,
                 std::string json_path = {}) {
    return Error{.code = ErrorCode::json_malformed,
                 .message = std::move(message),
                 .where = Location{.source = source, .file = file.string(), .json_path = std::move(json_path)},
                 .hint = "save the page exactly as the API returned it (or run `stackaudit pull` again); a page "
                         "cut short by an interrupted download has to be fetched again"};
}

// Parses the whole document once so that invalid or truncated JSON is caught up front.
Result<void> validate(od::parser& parser, simdjson::padded_string& json, const std::filesystem::path& file,
                      const std::string& source) {
    // On-Demand skips what it is not asked for without counting levels; refuse a hostile depth first.
    const std::string_view text(json.data(), json.size());
    if (const auto deep = json_too_deep_at(text); deep != std::string_view::npos) {
        const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(deep), '\n');
        Error error = page_error(file, source,
                                 cat("page is nested deeper than ", k_max_json_depth, " levels (line ",
                                     static_cast<std::size_t>(line), ")"));
        error.hint = "no API returns records nested this deep: the file is damaged or is not a saved API page; save "
                     "the page again as the API returned it (or run `stackaudit pull` again)";
        return std::unexpected(std::move(error));
    }
    od::document doc;
    if (auto error = parser.iterate(json).get(doc)) {
        return std::unexpected(page_error(file, source, cat("page is not valid JSON: ", simdjson_reason(error))));
    }
    std::string_view whole;
    if (auto error = doc.raw_json().get(whole)) {
        return std::unexpected(
            page_error(file, source, cat("page is not valid JSON (truncated?): ", simdjson_reason(error))));
    }
    // Past the end of the value there must be nothing left: current_location() fails there.
    const char* rest = nullptr;
    if (!doc.current_location().get(rest)) {
        return std::unexpected(page_error(file, source, "page has text after the end of its JSON value"));
    }
    return {};
}

}  // namespace

std::string json_path(std::string_view pointer) {
    std::string out = "$";
    if (pointer.empty()) {
        return out;
    }
    std::size_t start = pointer.front() == '/' ? 1 : 0;
    while (start <= pointer.size()) {
        const std::size_t slash = pointer.find('/', start);
        const std::string_view token = pointer.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (all_digits(token)) {
            out += cat("[", token, "]");
        } else {
            out += cat(".", unescape_token(token));
        }
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return out;
}

std::string to_pointer(std::string_view text) {
    text = trim(text);
    if (text.empty() || text.front() == '/') {
        return std::string(text);
    }
    if (text.substr(0, 2) == "$.") {
        text.remove_prefix(2);
    }
    std::string out;
    for (const char c : text) {
        if (c == '.') {
            out += '/';
        } else if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return "/" + out;
}

struct Record::Parsed {
    od::parser parser;
    simdjson::padded_string json;
    od::document doc;
    bool ready = false;
};

Record::Record(std::string raw, std::filesystem::path file, std::string path_prefix, std::size_t number)
    : m_raw(std::move(raw)), m_file(std::move(file)), m_prefix(std::move(path_prefix)), m_number(number),
      m_parsed(std::make_unique<Parsed>()) {
    m_parsed->json = simdjson::padded_string(m_raw);
    m_parsed->ready = !m_parsed->parser.iterate(m_parsed->json).get(m_parsed->doc);
}

Record::~Record() = default;
Record::Record(Record&&) noexcept = default;
Record& Record::operator=(Record&&) noexcept = default;

std::string Record::path(std::string_view pointer) const {
    const std::string field = json_path(pointer);
    return m_prefix + field.substr(1);
}

Error Record::error(const std::string& source, std::string_view pointer, std::string message, std::string hint,
                    ErrorCode code) const {
    return Error{.code = code,
                 .message = std::move(message),
                 .where = Location{.source = source, .file = m_file.string(), .json_path = path(pointer)},
                 .hint = std::move(hint)};
}

namespace {

// The value at `pointer`, or nullopt when absent or null. On-Demand checks a document only as far
// as a lookup walks it, and a lookup that meets broken JSON abandons the document: a later
// lookup would dereference its dropped parser. So the first such error clears `usable` and
// every later lookup on that document reports it is not valid JSON.
Result<std::optional<od::value>> find(od::document& doc, bool& usable, std::string_view pointer) {
    if (!usable) {
        return fail(ErrorCode::json_malformed, "record is not valid JSON");
    }
    od::value value;
    const auto error = doc.at_pointer(pointer).get(value);
    if (error == simdjson::NO_SUCH_FIELD || error == simdjson::INDEX_OUT_OF_BOUNDS ||
        error == simdjson::INCORRECT_TYPE) {
        return std::nullopt;
    }
    if (error == simdjson::INVALID_JSON_POINTER) {
        return fail(ErrorCode::invalid_value,
                    pointer.empty() ? std::string("record has no value") : cat("record is not an object, so it has no field ", pointer));
    }
    if (error) {
        usable = false;
        return fail(ErrorCode::json_malformed, cat("record is not valid JSON: ", simdjson_reason(error)));
    }
    od::json_type type{};
    if (const auto type_error = value.type().get(type)) {
        usable = false;
        return fail(ErrorCode::json_malformed, cat("record is not valid JSON: ", simdjson_reason(type_error)));
    }
    if (type == od::json_type::null) {
        return std::nullopt;
    }
    return value;
}

Result<std::string> scalar_text(od::value& value) {
    od::json_type type{};
    if (const auto error = value.type().get(type)) {
        return fail(ErrorCode::json_malformed, simdjson_reason(error));
    }
    switch (type) {
        case od::json_type::string: {
            std::string_view text;
            if (const auto error = value.get_string().get(text)) {
                return fail(ErrorCode::json_malformed, cat("holds a bad string: ", simdjson_reason(error)));
            }
            return std::string(text);
        }
        case od::json_type::number: {
            double number = 0;
            if (const auto error = value.get_double().get(number)) {
                return fail(ErrorCode::json_malformed, cat("holds a bad number: ", simdjson_reason(error)));
            }
            return std::string(trim(value.raw_json_token()));
        }
        case od::json_type::boolean: {
            bool flag = false;
            if (const auto error = value.get_bool().get(flag)) {
                return fail(ErrorCode::json_malformed, cat("holds a bad literal: ", simdjson_reason(error)));
            }
            return std::string(flag ? "true" : "false");
        }
        default:
            return fail(ErrorCode::invalid_value, cat("is ", type_name(type), ", expected a single value"));
    }
}

}  // namespace

Result<std::optional<std::string>> Record::text(std::string_view pointer) {
    auto found = find(m_parsed->doc, m_parsed->ready, pointer);
    if (!found) {
        return std::unexpected(found.error());
    }
    if (!found->has_value()) {
        return std::nullopt;
    }
    auto text = scalar_text(**found);
    if (!text) {
        if (text.error().code == ErrorCode::json_malformed) m_parsed->ready = false;  // see find()
        return std::unexpected(text.error());
    }
    return std::optional<std::string>(std::move(*text));
}

Result<std::optional<bool>> Record::boolean(std::string_view pointer) {
    auto found = find(m_parsed->doc, m_parsed->ready, pointer);
    if (!found) {
        return std::unexpected(found.error());
    }
    if (!found->has_value()) {
        return std::nullopt;
    }
    auto text = scalar_text(**found);
    if (!text) {
        if (text.error().code == ErrorCode::json_malformed) m_parsed->ready = false;  // see find()
        return std::unexpected(text.error());
    }
    if (iequals(*text, "true")) {
        return true;
    }
    if (iequals(*text, "false")) {
        return false;
    }
    return fail(ErrorCode::invalid_value, cat("has \"", *text, "\", expected true or false"));
}

Result<std::optional<std::int64_t>> Record::integer(std::string_view pointer) {
    auto found = find(m_parsed->doc, m_parsed->ready, pointer);
    if (!found) {
        return std::unexpected(found.error());
    }
    if (!found->has_value()) {
        return std::nullopt;
    }
    auto text = scalar_text(**found);
    if (!text) {
        if (text.error().code == ErrorCode::json_malformed) m_parsed->ready = false;  // see find()
        return std::unexpected(text.error());
    }
    std::string_view digits = trim(*text);
    if (digits.size() > 2 && digits.substr(digits.size() - 2) == ".0") {
        digits.remove_suffix(2);
    }
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size()) {
        return fail(ErrorCode::invalid_value, cat("has \"", *text, "\", expected a whole number"));
    }
    return number;
}

Result<std::vector<std::string>> Record::strings(std::string_view pointer) {
    auto found = find(m_parsed->doc, m_parsed->ready, pointer);
    if (!found) {
        return std::unexpected(found.error());
    }
    std::vector<std::string> out;
    if (!found->has_value()) {
        return out;
    }
    od::array array;
    if (const auto error = (**found).get_array().get(array)) {
        od::json_type type{};
        (void)(**found).type().get(type);
        return fail(ErrorCode::invalid_value, cat("is ", type_name(type), ", expected a list"));
    }
    for (auto element : array) {
        od::value item;
        if (const auto error = element.get(item)) {
            m_parsed->ready = false;  // see find()
            return fail(ErrorCode::json_malformed, cat("holds a bad list: ", simdjson_reason(error)));
        }
        auto text = scalar_text(item);
        if (!text) {
            if (text.error().code == ErrorCode::json_malformed) m_parsed->ready = false;
            return fail(ErrorCode::invalid_value, cat("has an element that ", text.error().message));
        }
        out.push_back(std::move(*text));
    }
    return out;
}

Result<Page> read_page(const std::filesystem::path& file, const std::string& source, std::string_view records_pointer) {
    auto json = load(file, source);
    if (!json) {
        return std::unexpected(json.error());
    }
    od::parser parser;
    if (auto valid = validate(parser, *json, file, source); !valid) {
        return std::unexpected(valid.error());
    }
    Page page;
    page.file = file;
    page.records_path = json_path(records_pointer);
    od::document doc;
    if (const auto error = parser.iterate(*json).get(doc)) {
        return std::unexpected(page_error(file, source, cat("page is not valid JSON: ", simdjson_reason(error))));
    }
    od::value value;
    const auto found = doc.at_pointer(records_pointer).get(value);
    od::json_type type{};
    if (found || value.type().get(type) || type != od::json_type::array) {
        const std::string what = found ? std::string("nothing") : std::string(type_name(type));
        return std::unexpected(page_error(
            file, source, cat("page holds ", what, " at ", page.records_path, " where the list of records should be"),
            page.records_path));
    }
    od::array array;
    if (const auto error = value.get_array().get(array)) {
        return std::unexpected(page_error(file, source, cat("page is not valid JSON: ", simdjson_reason(error))));
    }
    for (auto element : array) {
        od::value item;
        std::string_view raw;
        if (auto error = element.get(item); error || (error = raw_of(item).get(raw))) {
            return std::unexpected(page_error(
                file, source, cat("record ", page.records.size(), " is not valid JSON: ", simdjson_reason(error)),
                cat(page.records_path, "[", page.records.size(), "]")));
        }
        page.records.emplace_back(raw);
    }
    return page;
}

Result<std::optional<std::string>> page_value(const std::filesystem::path& file, const std::string& source,
                                              std::string_view pointer) {
    auto json = load(file, source);
    if (!json) {
        return std::unexpected(json.error());
    }
    od::parser parser;
    if (auto valid = validate(parser, *json, file, source); !valid) {
        return std::unexpected(valid.error());
    }
    od::document doc;
    if (const auto error = parser.iterate(*json).get(doc)) {
        return std::unexpected(page_error(file, source, cat("page is not valid JSON: ", simdjson_reason(error))));
    }
    bool usable = true;
    auto found = find(doc, usable, pointer);
    if (!found) {
        return std::unexpected(page_error(file, source, found.error().message, json_path(pointer)));
    }
    if (!found->has_value()) {
        return std::nullopt;
    }
    auto text = scalar_text(**found);
    if (!text) {
        return std::unexpected(page_error(file, source, cat(json_path(pointer), " ", text.error().message), json_path(pointer)));
    }
    return std::optional<std::string>(std::move(*text));
}

Result<void> for_each_record(const std::vector<std::filesystem::path>& pages, const SourceConfig& source,
                             ReadContext& context, SourceReport& report, std::string_view records_pointer,
                             std::size_t& counter, const RecordHandler& handle) {
    for (const auto& file : pages) {
        auto page = read_page(file, source.name, records_pointer);
        if (!page) {
            return std::unexpected(page.error());
        }
        for (std::size_t i = 0; i < page->records.size(); ++i) {
            Record record(std::move(page->records[i]), file, cat(page->records_path, "[", i, "]"), ++counter);
            if (auto handled = handle(record); !handled) {
                if (auto verdict = reject_row(context, report, handled.error(), record.raw()); !verdict) {
                    return verdict;
                }
            }
        }
    }
    return {};
}

Result<std::vector<std::filesystem::path>> saved_pages(const SourceConfig& source, const std::filesystem::path& dir,
                                                       const std::string& endpoint, bool required) {
    std::vector<std::filesystem::path> pages = endpoint_pages(dir, endpoint);
    if (pages.empty() && required) {
        return fail(ErrorCode::not_found,
                    cat("no saved pages of endpoint '", endpoint, "' in ", dir.string(), " (expected ",
                        (dir / endpoint / "page-00001.json").string(), ")"),
                    Location{.source = source.name, .file = dir.string()},
                    cat("run `stackaudit pull` for this source, or save the API's pages by hand as ", endpoint,
                        "/page-00001.json, page-00002.json, ... in that folder"));
    }
    return pages;
}

namespace {

std::string field_name(std::string_view pointer) {
    const std::size_t slash = pointer.rfind('/');
    return unescape_token(slash == std::string_view::npos ? pointer : pointer.substr(slash + 1));
}

const char* const k_timestamp_hint =
    "write ISO 8601 (2026-10-30T14:05:00Z, 2026-10-30T14:05:00.000+0000), epoch seconds or milliseconds, or "
    "null for never";

}  // namespace

Result<std::string> email_field(Record& record, const std::string& source, std::string_view pointer,
                                std::string_view hint) {
    auto text = record.text(pointer);
    if (!text) {
        return std::unexpected(record.error(source, pointer, cat(field_name(pointer), " ", text.error().message),
                                            std::string(hint)));
    }
    auto email = parse_email(text->value_or(""));
    if (!email) {
        return std::unexpected(record.error(source, pointer, cat(field_name(pointer), " ", email.error().message),
                                            std::string(hint)));
    }
    return std::move(*email);
}

Result<std::optional<Timestamp>> timestamp_field(Record& record, const std::string& source, std::string_view pointer) {
    auto text = record.text(pointer);
    if (!text) {
        return std::unexpected(record.error(source, pointer, cat(field_name(pointer), " ", text.error().message),
                                            k_timestamp_hint));
    }
    if (!text->has_value()) {
        return std::nullopt;
    }
    auto at = parse_timestamp(**text);
    if (!at) {
        return std::unexpected(record.error(source, pointer,
                                            cat(field_name(pointer), " is not a timestamp: ", at.error().message),
                                            k_timestamp_hint));
    }
    return *at;
}

Result<std::optional<Date>> date_field(Record& record, const std::string& source, std::string_view pointer) {
    auto text = record.text(pointer);
    if (!text) {
        return std::unexpected(record.error(source, pointer, cat(field_name(pointer), " ", text.error().message),
                                            "write a date (2026-10-30) or an ISO 8601 timestamp"));
    }
    if (!text->has_value()) {
        return std::nullopt;
    }
    auto day = parse_date(**text);
    if (!day) {
        return std::unexpected(record.error(source, pointer, cat(field_name(pointer), " is not a date: ", day.error().message),
                                            "write a date (2026-10-30) or an ISO 8601 timestamp"));
    }
    return *day;
}

Error no_export_error(const SourceConfig& source, const std::filesystem::path& path, std::string_view default_tool) {
    return Error{
        .code = ErrorCode::config_invalid,
        .message = cat("the ", source.kind, " connector reads saved API pages, not a CSV export (", path.string(), ")"),
        .where = Location{.source = source.name, .file = source.config_file, .line = source.config_line},
        .hint = cat("read the vendor's user export with the `seats` connector (`tool: ", default_tool,
                    "` and `columns:` mapping its headers), or point `path:` at a folder of saved pages"),
    };
}

InputForm input_form(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return InputForm::pages;
    }
    const std::string extension = to_lower(path.extension().string());
    if (extension == ".csv" || extension == ".tsv" || extension == ".txt") {
        return InputForm::csv;
    }
    return InputForm::json;
}

std::string tool_name(const SourceConfig& source, std::string_view default_tool) {
    const std::string_view tool = trim(source.tool);
    return std::string(tool.empty() ? default_tool : tool);
}

Result<void> read_single_endpoint(const SourceConfig& source, std::string_view default_tool, std::string_view endpoint,
                                  SourceReport& report, const PagesReader& read_pages) {
    const std::string tool = tool_name(source, default_tool);
    report.seat_tools = {tool};
    for (const auto& path : source.paths) {
        std::vector<std::filesystem::path> pages{path};
        switch (input_form(path)) {
            case InputForm::csv:
                return std::unexpected(no_export_error(source, path, default_tool));
            case InputForm::json:
                break;
            case InputForm::pages: {
                auto found = saved_pages(source, path, std::string(endpoint), true);
                if (!found) {
                    return std::unexpected(found.error());
                }
                pages = std::move(*found);
                break;
            }
        }
        if (auto read_ok = read_pages(pages, tool); !read_ok) {
            return read_ok;
        }
    }
    return {};
}

Result<void> check_page_size(const std::filesystem::path& file, const std::string& source) {
    std::error_code size_error;
    const auto size = std::filesystem::file_size(file, size_error);
    if (!size_error && size > http::k_max_response_bytes) {
        return fail(ErrorCode::io,
                    cat("saved page ", file.string(), " is ", static_cast<std::uint64_t>(size), " bytes, more than the ",
                        http::k_max_response_bytes, " bytes a response may have"),
                    Location{.source = source, .file = file.string()},
                    "this is not one page of an API response: save the pages one by one as the API returns them "
                    "(or run `stackaudit pull`), with a smaller page size if the API has one");
    }
    return {};
}

}  // namespace stackaudit::connectors::json_pages
