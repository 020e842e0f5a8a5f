#include "http/moderation/auth.hpp"

#include <algorithm>

#include "http/crypto.hpp"
#include "http/log.hpp"
#include "http/problem.hpp"
#include "store/moderators.hpp"

namespace vokter::http {

namespace {

[[noreturn]] void unauthorised(const std::string& detail) {
    throw ApiError(Problem{
        401, status_title(401), detail, {}, {{"WWW-Authenticate", "Bearer realm=\"vokter\""}}});
}

// The token of "Bearer TOKEN" (scheme case-insensitive), or "" when the header is not that.
std::string_view bearer_token(std::string_view header) {
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() <= kScheme.size()) return {};
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
    }
    std::string_view token = header.substr(kScheme.size());
    while (!token.empty() && token.front() == ' ')
        token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ')
        token.remove_suffix(1);
    return token.size() <= 512 ? token : std::string_view();
}

}  // namespace

std::string ModeratorAuth::authenticate(std::string_view authorization, const std::string& ip,
                                        std::int64_t now_ms) {
    // A request without a token is not a guess: it is answered 401 and not counted, so a page
    // opened before logging in, or a monitor probing the route, never locks anyone out.
    const std::string_view token = bearer_token(authorization);
    if (token.empty()) unauthorised("send a moderator token as 'Authorization: Bearer TOKEN'");
    const std::string hash = sha256(token);
    std::optional<store::Moderator> moderator;
    {
        auto db = store_.read();
        moderator = store::find_moderator_by_token_hash(*db, hash);
    }
    if (moderator && constant_time_equal(moderator->token_hash, hash)) {
        // A right token is never refused, even from an address that has guessed wrong: a
        // moderator behind the same proxy or NAT as a guesser keeps working. An expired one is
        // not a guess either: refused, and not counted.
        clear(ip);
        if (moderator->expired(now_ms)) {
            unauthorised("the moderator token of " + moderator->name + " expired at " +
                         iso_time(*moderator->expires) + "; `vokter moderator rotate " +
                         moderator->name + "` gives a new one");
        }
        note_use(*moderator, now_ms);
        return moderator->name;
    }
    if (const int wait = blocked_for(ip, now_ms); wait > 0) {
        throw ApiError(Problem{429,
                               status_title(429),
                               "too many wrong moderator tokens from your address; try again in " +
                                   std::to_string(wait) + " seconds",
                               {},
                               {{"Retry-After", std::to_string(wait)}}});
    }
    record_failure(ip, now_ms);
    unauthorised("the moderator token is not valid");
}

void ModeratorAuth::note_use(const store::Moderator& moderator, std::int64_t now_ms) {
    {
        std::lock_guard lock(mutex_);
        std::int64_t& noted = last_noted_[moderator.id];
        if (noted == 0 && moderator.last_used) noted = *moderator.last_used;
        if (now_ms - noted < kUseResolutionMs) return;
        noted = now_ms;
    }
    try {
        store_.writer().run(
            [&](store::Connection& db) { store::note_moderator_use(db, moderator.id, now_ms); });
    } catch (const std::exception& e) {
        // The request goes on: a store that cannot write now still serves a moderator's reads.
        log_line(std::string("moderator ") + moderator.name +
                 ": cannot record the last use: " + e.what());
    }
}

int ModeratorAuth::blocked_for(const std::string& ip, std::int64_t now_ms) {
    if (limits_.max_failures <= 0) return 0;
    std::lock_guard lock(mutex_);
    const auto found = failures_.find(ip);
    if (found == failures_.end() || found->second.count < limits_.max_failures) return 0;
    const std::int64_t ends = found->second.window_start_ms + limits_.window_seconds * 1000LL;
    if (now_ms >= ends) {
        failures_.erase(found);
        return 0;
    }
    return static_cast<int>(std::max<std::int64_t>(1, (ends - now_ms + 999) / 1000));
}

void ModeratorAuth::record_failure(const std::string& ip, std::int64_t now_ms) {
    if (limits_.max_failures <= 0) return;
    std::lock_guard lock(mutex_);
    if (failures_.size() >= limits_.max_ips && !failures_.contains(ip)) {
        // Drop windows that have ended; if that frees nothing, forget everyone (an attacker
        // with that many addresses is not slowed by a per-IP counter anyway).
        std::erase_if(failures_, [&](const auto& entry) {
            return now_ms >= entry.second.window_start_ms + limits_.window_seconds * 1000LL;
        });
        if (failures_.size() >= limits_.max_ips) failures_.clear();
    }
    Failures& f = failures_[ip];
    if (f.count == 0 || now_ms >= f.window_start_ms + limits_.window_seconds * 1000LL) {
        f = Failures{0, now_ms};
    }
    ++f.count;
}

void ModeratorAuth::clear(const std::string& ip) {
    std::lock_guard lock(mutex_);
    failures_.erase(ip);
}

}  // namespace vokter::http
