// The labelled-comment CSV reader behind `vokter learn --csv` and `vokter rules backtest`: the
// one import reader Vokter has today, with its date parser and export-text cleaner. A file is
// read or refused with located errors; what is read is valid UTF-8 when the file was.

#include <cstdint>
#include <string_view>

#include "app/labelled_csv.hpp"
#include "core/text.hpp"
#include "fuzz/fuzz_input.hpp"

namespace app = vokter::app;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto records = app::parse_csv_records(text, "fuzz.csv");
    if (!records) FUZZ_CHECK(records.errors().size() == 1);
    const auto comments = app::parse_labelled_csv(text, "fuzz.csv");
    if (!comments) {
        FUZZ_CHECK(!comments.errors().empty());
        for (const vokter::Error& e : comments.errors())
            FUZZ_CHECK(e.where.starts_with("fuzz.csv"));
    } else if (vokter::core::is_valid_utf8(text)) {
        for (const app::LabelledComment& c : comments.value())
            FUZZ_CHECK(vokter::core::is_valid_utf8(c.submission.body));
    }
    const auto line = text.substr(0, text.find('\n'));
    (void)app::parse_iso8601(line);
    const std::string cleaned = app::clean_exported_text(text);
    FUZZ_CHECK(cleaned.size() <= text.size() * 4 + 4);
    return 0;
}
