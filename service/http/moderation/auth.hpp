#pragma once
// Bearer-token authentication of moderators, and the brake on guessing: a small in-memory
// counter of failed attempts per client IP.
//
// A request is authenticated by `Authorization: Bearer TOKEN`: the token's SHA-256 is looked up
// in the moderators table and compared in constant time. Tokens are never logged or kept.
//
// Only wrong tokens count as failures; a request without one does not. A client IP with
// `max_failures` wrong tokens within `window_seconds` has further wrong tokens answered 429
// (with Retry-After) for the rest of that window instead of 401. A right token is always
// accepted and clears the IP's count: the brake must never lock out a moderator who shares an
// address with a guesser. Tokens are 256 random bits (`vokter moderator add`), so the brake does
// not protect the odds of a guess (they are nil either way); it keeps guessers out of the 401
// log and tells them to back off. A restart forgets the counts. Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/moderators.hpp"
#include "store/store.hpp"

namespace vokter::http {

struct AuthLimits {
    int max_failures = 10;         // failures per IP per window before 429; 0 = never slow down
    int window_seconds = 300;      // how long failures count, and the longest wait
    std::size_t max_ips = 100000;  // tracked IPs; the oldest windows are dropped beyond it
};

class ModeratorAuth {
  public:
    ModeratorAuth(store::Store& store, AuthLimits limits) : store_(store), limits_(limits) {}

    // The name of the moderator whose token `authorization` (the header's value) carries.
    // Throws ApiError 401 with `WWW-Authenticate: Bearer realm="vokter"` when the header is
    // missing, malformed or the token unknown, and 429 with Retry-After instead when the token
    // is unknown and `ip` has sent too many unknown tokens.
    // A token past its expiry is answered 401 too, saying so. Each authenticated moderator's
    // last use is written to the store at most once every kUseResolutionMs.
    std::string authenticate(std::string_view authorization, const std::string& ip,
                             std::int64_t now_ms);

    static constexpr std::int64_t kUseResolutionMs = 60'000;

  private:
    struct Failures {
        int count = 0;
        std::int64_t window_start_ms = 0;
    };

    // Seconds `ip` must still wait, or 0.
    int blocked_for(const std::string& ip, std::int64_t now_ms);
    void record_failure(const std::string& ip, std::int64_t now_ms);
    void clear(const std::string& ip);
    void note_use(const store::Moderator& moderator, std::int64_t now_ms);

    store::Store& store_;
    AuthLimits limits_;
    std::mutex mutex_;
    std::unordered_map<std::string, Failures> failures_;
    std::unordered_map<std::int64_t, std::int64_t> last_noted_;  // moderator id → ms written
};

}  // namespace vokter::http
