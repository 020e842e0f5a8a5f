#include "app/moderator_cli.hpp"

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

int run_moderator_add(store::Store& store, const std::string& name, std::ostream& out,
                      std::ostream& err) {
    if (!valid_moderator_name(name)) {
        err << "vokter: a moderator name is 1 to 64 of A-Z a-z 0-9 . _ @ -\n";
        return 1;
    }
    const std::string token = http::random_hex(32);  // 256 bits
    const bool added = store.writer().run([&](store::Connection& db) {
        return store::add_moderator(db, name, http::sha256(token), http::now_ms());
    });
    if (!added) {
        err << "vokter: there is already a moderator called " << name << "\n";
        return 1;
    }
    out << "moderator " << name << " added. Their token (shown only this once):\n"
        << token << "\n"
        << "Send it as 'Authorization: Bearer TOKEN'.\n";
    return 0;
}

int run_moderator_list(store::Store& store, std::ostream& out) {
    auto db = store.read();
    const auto moderators = store::list_moderators(*db);
    if (moderators.empty()) out << "no moderators; add one with `vokter moderator add NAME`\n";
    for (const auto& m : moderators)
        out << m.name << "\tadded " << http::iso_time(m.created) << "\n";
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
