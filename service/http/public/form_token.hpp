#pragma once
// Signed form tokens for the time-trap heuristic: the widget asks for one when it renders the
// form; the token carries the time and is signed (HMAC-SHA-256) for one thread, so a bot can
// neither forge an old one nor reuse one across pages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vokter::http {

class FormTokens {
  public:
    explicit FormTokens(std::string key) : key_(std::move(key)) {}

    // "<unix seconds>.<hex signature>" for `thread`, issued at `now`.
    std::string issue(std::string_view thread, std::int64_t now) const;

    // The time the token was issued, when its signature for `thread` is valid; empty otherwise.
    std::optional<std::int64_t> verify(std::string_view token, std::string_view thread) const;

  private:
    std::string key_;
};

}  // namespace vokter::http
