// A reader's rights (store/personal_data.hpp) on both stores: the export holds every stored field,
// byte for byte; the erasure empties them, keeps threads and the log intact, and leaves the
// address nowhere in the database.

#include "store/personal_data.hpp"

#include <doctest/doctest.h>

#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter;
using namespace vokter::store;

namespace {

constexpr std::int64_t kNow = 1'795'000'000'000;

StoreOptions options_for(const test::TempDir& dir) {
    StoreOptions options{test::location(dir / "rights.db"), Durability::normal};
    options.classifier = false;
    return options;
}

std::int64_t post(Store& store, const std::string& email, const std::string& body,
                  const std::string& status, std::optional<std::int64_t> parent = {}) {
    return store.writer().run([&](Connection& db) {
        NewComment c;
        c.submission.thread = "/blogg/rettigheter";
        c.submission.name = "Kari Nordmann";
        c.submission.email = email;
        c.submission.website = "https://kari.example.no";
        c.submission.body = body;
        c.submission.ip = "192.0.2.44";
        c.submission.user_agent = "Mozilla/5.0 Firefox/128.0";
        c.submission.referrer = "https://blogg.example.no/rettigheter";
        c.submission.parent = parent;
        if (parent) {
            c.root_id = parent;
            c.depth = 1;
        }
        c.status = status;
        c.verdict.score = 1;
        c.verdict.hits.push_back({"epost", 1.0, "email", email});  // quotes the address
        c.created = kNow;
        return insert_comment(db, c);
    });
}

}  // namespace

TEST_CASE("the export holds every comment and report of the address, in any case, byte for byte") {
    test::TempDir dir;
    Store store(options_for(dir));
    const std::int64_t first =
        post(store, "kari@example.no", "Første kommentar – æøå ÆØÅ 🌲", kApproved);
    const std::int64_t second = post(store, "Kari@Example.NO", "Andre kommentar", kPending);
    post(store, "ola@example.no", "Ola sin kommentar", kApproved);
    store.writer().run([](Connection& db) {
        db.prepare(
              "INSERT INTO akismet_labels (api_key, label, name, email, body, ip, created) "
              "VALUES ('blogg', 'ham', 'Kari', 'kari@example.no', 'Rapportert tekst', "
              "'192.0.2.44', ?1)")
            .bind(1, kNow)
            .run();
    });
    PersonalData data;
    {
        auto db = store.read();
        data = personal_data(*db, "KARI@example.no");
    }
    REQUIRE(data.comments.size() == 2);
    CHECK(data.comments[0].id == first);
    CHECK(data.comments[0].body == "Første kommentar – æøå ÆØÅ 🌲");
    CHECK(data.comments[0].thread == "/blogg/rettigheter");
    CHECK(data.comments[0].ip == "192.0.2.44");
    CHECK(data.comments[0].user_agent == "Mozilla/5.0 Firefox/128.0");
    CHECK(data.comments[0].referrer == "https://blogg.example.no/rettigheter");
    CHECK(data.comments[0].website == "https://kari.example.no");
    CHECK(data.comments[1].id == second);
    CHECK(data.comments[1].email == "Kari@Example.NO");
    REQUIRE(data.reports.size() == 1);
    CHECK(data.reports[0].body == "Rapportert tekst");
    {
        auto db = store.read();
        CHECK(personal_data(*db, "nobody@example.no").empty());
        CHECK(personal_data(*db, "").empty());
    }
}

TEST_CASE("erasing an address empties its fields, keeps threads and the log, and leaves no trace") {
    test::TempDir dir;
    const std::string kari = "kari.erase@example.no";
    std::int64_t root = 0, reply = 0, other = 0;
    {
        Store store(options_for(dir));
        root = post(store, kari, "Hovedkommentar om blåbær", kApproved);
        reply = post(store, "ola@example.no", "Svar til Kari", kApproved, root);
        other = post(store, kari, "Enda en", kSpam);
        store.writer().run([&](Connection& db) {
            db.prepare(
                  "INSERT INTO akismet_labels (api_key, label, email, body, ip, user_agent, "
                  "created) VALUES ('blogg', 'spam', ?1, 'Rapport', '192.0.2.44', 'curl', ?2)")
                .bind(1, kari)
                .bind(2, kNow)
                .run();
        });
        const Erasure kept_bodies = store.writer().run(
            [&](Connection& db) { return erase_personal_data(db, kari, false, "kari-mod", kNow); });
        CHECK(kept_bodies.comments == 2);
        CHECK(kept_bodies.reports == 1);
        auto db = store.read();
        const auto stored = find_comment(*db, root);
        REQUIRE(stored);
        CHECK(stored->status == kApproved);
        CHECK(stored->body == "Hovedkommentar om blåbær");  // the text stays unless asked
        CHECK(stored->name.empty());
        CHECK(stored->email.empty());
        CHECK(stored->website.empty());
        CHECK(stored->ip.empty());
        CHECK(comment_hits(*db, root)[0].detail.empty());
        CHECK(find_comment(*db, reply)->email == "ola@example.no");
        const auto history = comment_history(*db, root);
        REQUIRE(history.size() == 1);
        CHECK(history[0].action == "erase");
        CHECK(history[0].moderator == "kari-mod");
        CHECK(history[0].note.find(kari) == std::string::npos);
        CHECK(personal_data(*db, kari).empty());
    }
    {
        // Asked again with the text: nothing holds the address now.
        Store store(options_for(dir));
        const Erasure again = store.writer().run(
            [&](Connection& db) { return erase_personal_data(db, kari, true, "kari-mod", kNow); });
        CHECK(again.empty());
        // The file, its WAL written back: the address is in none of its pages.
        store.writer().run_exclusive([](Connection& db) {
            if (db.dialect() == Dialect::sqlite) db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        });
    }
    CHECK(test::stored_bytes(dir / "rights.db").find(kari) == std::string::npos);
    (void)other;
}

TEST_CASE("erasing with the text makes tombstones that keep the replies in place") {
    test::TempDir dir;
    Store store(options_for(dir));
    const std::int64_t root = post(store, "per@example.no", "Per skrev dette", kApproved);
    const std::int64_t reply = post(store, "liv@example.no", "Liv svarte", kApproved, root);
    const Erasure erased = store.writer().run([&](Connection& db) {
        return erase_personal_data(db, "per@example.no", true, "cli", kNow);
    });
    CHECK(erased.comments == 1);
    auto db = store.read();
    const auto tomb = find_comment(*db, root);
    REQUIRE(tomb);
    CHECK(tomb->status == kDeleted);
    CHECK(tomb->body.empty());
    CHECK(find_comment(*db, reply)->status == kApproved);
    const auto history = comment_history(*db, root);
    REQUIRE(history.size() == 1);
    CHECK(history[0].old_status == kApproved);
    CHECK(history[0].new_status == kDeleted);
}
