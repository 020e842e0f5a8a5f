// The opaque cursors the API hands out and reads back: the public thread cursor
// (GET /api/comments?after=) and the moderator queue's cursor for each sort. Any text is
// either refused or read as a position, and a position read back formats to a cursor that reads
// as the same position.

#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "http/moderation/moderation_codecs.hpp"
#include "http/public/json_codecs.hpp"

namespace http = vokter::http;
namespace store = vokter::store;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto cursor = http::parse_cursor(text)) {
        const auto again = http::parse_cursor(http::format_cursor(*cursor));
        FUZZ_CHECK(again && again->created == cursor->created && again->id == cursor->id);
    }
    for (const store::QueueSort sort :
         {store::QueueSort::score, store::QueueSort::newest, store::QueueSort::oldest}) {
        if (const auto cursor = http::parse_queue_cursor(sort, text)) {
            const auto again =
                http::parse_queue_cursor(sort, http::format_queue_cursor(sort, *cursor));
            FUZZ_CHECK(again && again->id == cursor->id);
            if (sort == store::QueueSort::score) {
                FUZZ_CHECK(again->score == cursor->score ||
                           (again->score != again->score && cursor->score != cursor->score));
            } else {
                FUZZ_CHECK(again->created == cursor->created);
            }
        }
    }
    return 0;
}
