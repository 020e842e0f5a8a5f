#include "app/shared_rules.hpp"

#include <fstream>
#include <sstream>

#include "app/atomic_file.hpp"
#include "http/crypto.hpp"
#include "http/log.hpp"
#include "store/comment_repository.hpp"

namespace vokter::app {

namespace {

constexpr const char* kTextKey = "rules_text";
constexpr const char* kShaKey = "rules_sha256";

std::string sha_of(const std::string& text) {
    return http::to_hex(http::sha256(text));
}

struct Published {
    std::string sha;
    std::string text;
};

std::optional<Published> published(store::Store& store) {
    auto db = store.read();
    auto sha = store::get_setting(*db, kShaKey);
    auto text = store::get_setting(*db, kTextKey);
    if (!sha || !text) return std::nullopt;
    return Published{std::move(*sha), std::move(*text)};
}

}  // namespace

SharedRules::SharedRules(store::Store& store, RuleFile& file, core::ActiveRuleset& active)
    : store_(store), file_(file), rules_(active) {}

bool SharedRules::active() const {
    return store_.shared() && !file_.path().empty();
}

std::string SharedRules::file_text() const {
    std::ifstream in(file_.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string SharedRules::join() {
    if (!active()) return {};
    std::lock_guard lock(mutex_);
    const std::string ours = file_text();
    in_force_sha_ = sha_of(ours);
    const auto theirs = published(store_);
    if (theirs && theirs->sha == in_force_sha_) return {};
    if (!theirs) {
        store_.writer().run([&](store::Connection& db) {
            store::put_setting(db, kTextKey, ours);
            store::put_setting(db, kShaKey, in_force_sha_);
        });
        store_.announce("rules");
        return "rules: " + file_.path() + " published to the database for the other replicas";
    }
    if (!adopt(theirs->text, ours)) {
        return "rules: the database's rule file does not load here, the file's stay in force:\n" +
               file_.status().last_error;
    }
    in_force_sha_ = theirs->sha;
    return "rules: the database's rule file (the other replicas') written to " + file_.path() +
           " (the old one kept as .bak) and in force";
}

bool SharedRules::adopt(const std::string& text, const std::string& ours) {
    replace_file_atomically(file_.path(), text, file_.path() + ".bak");
    if (file_.reload(rules_, http::now_ms())) return true;
    // The file must stay one that loads: a restart would refuse it otherwise.
    replace_file_atomically(file_.path(), ours, file_.path() + ".bak");
    return false;
}

bool SharedRules::publish() {
    if (!active()) return true;
    std::lock_guard lock(mutex_);
    const std::string text = file_text();
    const std::string sha = sha_of(text);
    try {
        store_.writer().run([&](store::Connection& db) {
            store::put_setting(db, kTextKey, text);
            store::put_setting(db, kShaKey, sha);
        });
        in_force_sha_ = sha;
        store_.announce("rules");
        return true;
    } catch (const std::exception& e) {
        http::log_line(std::string("rules: cannot publish the new rule file to the other "
                                   "replicas: ") +
                       e.what());
        return false;
    }
}

void SharedRules::follow() {
    if (!active()) return;
    std::lock_guard lock(mutex_);
    try {
        const auto theirs = published(store_);
        if (!theirs || theirs->sha == in_force_sha_) return;
        if (!adopt(theirs->text, file_text())) {
            http::log_line(
                "rules: another replica's rule file does not load here, ours stay "
                "in force:\n" +
                file_.status().last_error);
            return;
        }
        in_force_sha_ = theirs->sha;
        http::log_line("rules: " + file_.status().version + " in force (from another replica)");
    } catch (const std::exception& e) {
        http::log_line(std::string("rules: cannot follow another replica's rule file: ") +
                       e.what());
    }
}

}  // namespace vokter::app
