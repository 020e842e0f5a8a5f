#include "app/moderator_cli.hpp"

#include <algorithm>
#include <chrono>
#include <ostream>

#include "http/crypto.hpp"
#include "http/log.hpp"
#include "store/moderators.hpp"

namespace vokter::app {

bool valid_moderator_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-';
        if (!ok) return false;
    }
    return true;
}

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

bool valid_days(const std::optional<int>& days, std::ostream& err) {
    if (!days || (*days >= 1 && *days <= kMaxTokenDays)) return true;
    err << "vokter: --expires-days takes 1 to " << kMaxTokenDays << " days\n";
    return false;
}

std::optional<std::int64_t> expiry_after(const std::optional<int>& days, std::int64_t now) {
    if (!days) return std::nullopt;
    return now + *days * kDayMs;
}

void print_token(std::ostream& out, const std::string& token,
                 const std::optional<std::int64_t>& expires) {
    out << token << "\n"
        << "Send it as 'Authorization: Bearer TOKEN'. "
        << (expires ? "It expires at " + http::iso_time(*expires) + "." : "It never expires.")
        << "\n";
}

}  // namespace

int run_moderator_add(store::Store& store, const std::string& name, std::ostream& out,
                      std::ostream& err, std::optional<int> expires_days) {
    if (!valid_moderator_name(name)) {
        err << "vokter: a moderator name is 1 to 64 of A-Z a-z 0-9 . _ @ -\n";
        return 1;
    }
    if (!valid_days(expires_days, err)) return 1;
    const std::string token = http::random_hex(32);  // 256 bits
    const std::int64_t now = http::now_ms();
    const auto expires = expiry_after(expires_days, now);
    const bool added = store.writer().run([&](store::Connection& db) {
        return store::add_moderator(db, name, http::sha256(token), now, expires);
    });
    if (!added) {
        err << "vokter: there is already a moderator called " << name << "\n";
        return 1;
    }
    out << "moderator " << name << " added. Their token (shown only this once):\n";
    print_token(out, token, expires);
    return 0;
}

int run_moderator_rotate(store::Store& store, const std::string& name, TokenExpiry expiry,
                         std::ostream& out, std::ostream& err) {
    if (!valid_days(expiry.days, err)) return 1;
    const std::string token = http::random_hex(32);
    const std::int64_t now = http::now_ms();
    // Read and written in one writer job: a rotation running beside another sees its result.
    const auto rotated = store.writer().run(
        [&](store::Connection& db) -> std::optional<std::optional<std::int64_t>> {
            const auto account = store::find_moderator(db, name);
            if (!account) return std::nullopt;
            std::optional<std::int64_t> expires = expiry_after(expiry.days, now);
            if (!expiry.days && !expiry.never && account->expires) {
                expires = now + std::max<std::int64_t>(kDayMs,
                                                       *account->expires - account->token_created);
            }
            store::rotate_moderator_token(db, name, http::sha256(token), now, expires);
            return expires;
        });
    if (!rotated) {
        err << "vokter: no moderator called " << name << "\n";
        return 1;
    }
    out << "moderator " << name
        << " has a new token (shown only this once); the old one no longer works:\n";
    print_token(out, token, *rotated);
    return 0;
}

int run_moderator_list(store::Store& store, std::ostream& out) {
    auto db = store.read();
    const auto moderators = store::list_moderators(*db);
    if (moderators.empty()) out << "no moderators; add one with `vokter moderator add NAME`\n";
    const std::int64_t now = http::now_ms();
    for (const auto& m : moderators) {
        out << m.name << "\tadded " << http::iso_time(m.created) << "\t"
            << (!m.expires       ? std::string("never expires")
                : m.expired(now) ? "expired " + http::iso_time(*m.expires)
                                 : "expires " + http::iso_time(*m.expires))
            << "\t"
            << (m.last_used ? "last used " + http::iso_time(*m.last_used)
                            : std::string("never used"))
            << "\n";
    }
    return 0;
}

int run_moderator_remove(store::Store& store, const std::string& name, std::ostream& out,
                         std::ostream& err) {
    const bool removed = store.writer().run(
        [&](store::Connection& db) { return store::remove_moderator(db, name); });
    if (!removed) {
        err << "vokter: no moderator called " << name << "\n";
        return 1;
    }
    out << "moderator " << name << " removed; their token no longer works\n";
    return 0;
}

}  // namespace vokter::app
