#include "http/public/form_token.hpp"

#include "http/crypto.hpp"

namespace vokter::http {

namespace {
std::string signature(std::string_view key, std::string_view time, std::string_view thread) {
    std::string message(time);
    message += '\n';
    message += thread;
    return to_hex(hmac_sha256(key, message));
}
}  // namespace

std::string FormTokens::issue(std::string_view thread, std::int64_t now) const {
    const std::string time = std::to_string(now);
    return time + "." + signature(key_, time, thread);
}

std::optional<std::int64_t> FormTokens::verify(std::string_view token,
                                               std::string_view thread) const {
    const auto dot = token.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 12) return std::nullopt;
    const std::string_view time = token.substr(0, dot);
    std::int64_t issued = 0;
    for (const char c : time) {
        if (c < '0' || c > '9') return std::nullopt;
        issued = issued * 10 + (c - '0');
    }
    if (!constant_time_equal(token.substr(dot + 1), signature(key_, time, thread))) {
        return std::nullopt;
    }
    return issued;
}

}  // namespace vokter::http
