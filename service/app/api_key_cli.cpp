#include "app/api_key_cli.hpp"

#include <chrono>
#include <ostream>

#include "app/moderator_cli.hpp"
#include "http/crypto.hpp"
#include "http/log.hpp"
#include "http/submission_parser.hpp"
#include "store/api_keys.hpp"

namespace vokter::app {

int run_apikey_add(store::Store& store, const std::string& name, const std::string& blog,
                   std::ostream& out, std::ostream& err) {
    if (!valid_moderator_name(name)) {
        err << "vokter: a key name is 1 to 64 of A-Z a-z 0-9 . _ @ -\n";
        return 1;
    }
    const auto url = http::normalise_thread_uri(blog, 1024);
    if (!url || !url->starts_with("http")) {
        err << "vokter: --blog must be the blog's http(s) URL, e.g. https://blogg.example.no\n";
        return 1;
    }
    const std::string key = http::random_hex(24);  // 192 bits
    const bool added = store.writer().run([&](store::Connection& db) {
        return store::add_api_key(db, name, http::sha256(key), *url, http::now_ms());
    });
    if (!added) {
        err << "vokter: there is already an API key called " << name << "\n";
        return 1;
    }
    out << "API key " << name << " for " << *url << " added. The key (shown only this once):\n"
        << key << "\n"
        << "Akismet clients send it as the first label of the host name (KEY.your-vokter-host) "
           "or as the api_key field.\n";
    return 0;
}

int run_apikey_list(store::Store& store, std::ostream& out) {
    auto db = store.read();
    const auto keys = store::list_api_keys(*db);
    if (keys.empty()) out << "no API keys; add one with `vokter apikey add NAME --blog URL`\n";
    for (const auto& k : keys)
        out << k.name << "\t" << k.blog << "\tadded " << http::iso_time(k.created) << "\n";
    return 0;
}

int run_apikey_remove(store::Store& store, const std::string& name, std::ostream& out,
                      std::ostream& err) {
    const bool removed =
        store.writer().run([&](store::Connection& db) { return store::remove_api_key(db, name); });
    if (!removed) {
        err << "vokter: no API key called " << name << "\n";
        return 1;
    }
    out << "API key " << name << " removed; it no longer works\n";
    return 0;
}

}  // namespace vokter::app
