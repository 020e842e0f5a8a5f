#pragma once
// The comments the write-path benchmarks post: the mix of bench/wrk/post_comments.lua
// (Norwegian and English ham, and spam the default rules hold or file), shared by
// submit_bench and sqlite_limit so that their figures compare.

#include <cstdint>
#include <iterator>
#include <string>

#include "core/submission.hpp"

namespace vokter::bench {

// The same mix as bench/wrk/post_comments.lua: Norwegian and English ham, and spam.
inline const char* const kBodies[] = {
    "Takk for en god oppsummering – særlig punkt 3! Jeg har prøvd det samme på jobben, og det "
    "fungerte bra.",
    "Blåbærpaien ble en suksess i helgen. Neste gang prøver jeg med mindre sukker og litt mer "
    "kanel.",
    "Interessant lesning. Jeg er ikke helt enig i konklusjonen, men argumentene dine er gode. Hva "
    "med vinterdekk?",
    "Great write-up, thanks! The part about WAL mode and group commit finally made it click for "
    "me.",
    "I tried this on my own blog and the numbers matched yours. Any plans for a follow-up on "
    "caching?",
    "Hei! Fint innlegg 😊 Jeg delte det med kollegene mine. Gleder meg til neste del av serien.",
    "Kan du forklare punkt 4 litt nærmere? Jeg forstår ikke helt hvordan det henger sammen med "
    "resten.",
    "Check out my channel for the best crypto tips!!! Subscribe to me and win a free iPhone "
    "http://spam.example/win",
    "Lån uten sikkerhet, svar på 5 minutter! Besøk nettsiden min www.raskelan.example i dag",
    "We offer high quality backlinks and guest posts for your website. Cheap viagra and cialis "
    "too: http://a.example http://b.example http://c.example",
};

// The n-th comment of poster `thread`: its body is unique (no resubmission), its thread one of
// 200 and its e-mail one of 500, as in the wrk script.
inline core::Submission submission(int thread, std::int64_t n) {
    core::Submission s;
    s.thread = "/blogg/innlegg-" + std::to_string(n % 200);
    s.name = "Leser " + std::to_string(thread);
    s.email = "leser" + std::to_string(n % 500) + "@example.no";
    s.ip = "127.0.0.1";
    s.user_agent = "submit_bench";
    s.body = std::string(kBodies[n % std::size(kBodies)]) + " (" + std::to_string(thread) + "-" +
             std::to_string(n) + ")";
    return s;
}

}  // namespace vokter::bench
