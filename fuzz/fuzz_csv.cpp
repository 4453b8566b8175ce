// Fuzz target `csv`: the RFC 4180 reader and the CSV inputs built on it. Byte 0 picks:
//   0 CsvReader over the text (byte 1: delimiter and tight size limits), every record read
//     even after errors, as --on-bad-row skip does
//   1 CsvTable with two required and one optional column (header matching, width checks)
//   2 directory   3 catalog   4 integrations   5 seats   (connector_support.hpp payloads)
// Records must hold no more fields than the limit, and what csv_line() writes must read back
// as the same fields.
#include <cstdlib>

#include "connector_support.hpp"
#include "fuzz_support.hpp"
#include "stackaudit/core/csv.hpp"

namespace {

using namespace stackaudit;

constexpr char k_delimiters[] = {',', ';', '\t', '|'};

void reader(std::string_view payload) {
    const auto [setting, text] = fuzz::select(payload, 8);
    CsvOptions options;
    options.delimiter = k_delimiters[setting % 4];
    if (setting >= 4) {  // limits small enough for the fuzzer to reach
        options.max_field_bytes = 16;
        options.max_record_bytes = 64;
        options.max_columns = 4;
    }
    auto csv = CsvReader::from_string(std::string(text), "fuzz.csv", "fuzz", options);
    for (int guard = 0; guard < 100'000; ++guard) {
        auto record = csv.next();
        if (!record) {
            fuzz::touch(record.error());
            continue;
        }
        if (!*record) return;
        const auto& fields = (*record)->fields;
        if (fields.empty() || fields.size() > options.max_columns) std::abort();
        // Writing the record (after a header line, as every writer does) and reading it back
        // gives the same fields; a lone empty field is written as a blank line, which is skipped.
        if (fields.size() == 1 && fields[0].empty()) continue;
        auto again = CsvReader::from_string("h\r\n" + csv_line(fields, options.delimiter), "again.csv", "fuzz",
                                            CsvOptions{.delimiter = options.delimiter});
        auto header = again.next();
        auto reread = again.next();
        if (!header || !reread || !*reread || (*reread)->fields != fields) std::abort();
    }
    std::abort();  // the reader must reach the end
}

void table(std::string_view text) {
    const std::vector<ColumnSpec> columns{
        {"email", "Email", true}, {"name", "name", true}, {"last", "Last Login", false}};
    auto opened = CsvTable::from_reader(CsvReader::from_string(std::string(text), "fuzz.csv", "fuzz"), columns);
    if (!opened) {
        fuzz::touch(opened.error());
        return;
    }
    for (int guard = 0; guard < 100'000; ++guard) {
        auto row = opened->next();
        if (!row) {
            fuzz::touch(row.error());
            continue;
        }
        if (!*row) return;
        for (std::size_t spec = 0; spec < columns.size(); ++spec) (void)(**row)[spec];
    }
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [choice, rest] = fuzz::select(fuzz::as_text(data, size), 6);
    switch (choice) {
        case 0: reader(rest); break;
        case 1: table(rest); break;
        case 2: fuzz::run_connector({"directory", {"directory.csv"}, false}, rest); break;
        case 3: fuzz::run_connector({"catalog", {"catalog.csv"}, false}, rest); break;
        case 4: fuzz::run_connector({"integrations", {"integrations.csv"}, false}, rest); break;
        default: fuzz::run_connector({"seats", {"seats.csv"}, false}, rest); break;
    }
    return 0;
}
