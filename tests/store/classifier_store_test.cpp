// The classifier's durable side: decisions enqueue training in their own transaction, the
// trainer applies it exactly once, reversals unlearn exactly, and the counts survive a restart.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/classifier/features.hpp"
#include "store/classifier/classifier_repository.hpp"
#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter;
using namespace vokter::store;

namespace {

std::int64_t add_comment(Store& store, const std::string& body, const std::string& name) {
    NewComment c;
    c.submission.thread = "/blogg/innlegg";
    c.submission.body = body;
    c.submission.name = name;
    c.submission.email = "kari@example.no";
    c.status = kPending;
    c.created = 1000;
    return store.writer().run([&](Connection& db) { return insert_comment(db, c); });
}

void decide(Store& store, std::int64_t id, Decision d) {
    store.writer().run([&](Connection& db) { apply_decision(db, id, d, "kari", "", 2000); });
    store.training_enqueued();
    store.wait_for_training();
}

core::TokenCounts counts_of(Store& store, const std::string& feature) {
    return store.classifier().current()->counts(core::feature_hash_of(feature));
}

// The durable counts of a feature, read from the database itself.
core::TokenCounts stored_counts(Store& store, const std::string& feature) {
    auto db = store.read();
    auto& stmt = db->prepare("SELECT ham, spam FROM classifier_tokens WHERE hash = ?1");
    stmt.bind(1, static_cast<std::int64_t>(core::feature_hash_of(feature)));
    core::TokenCounts c;
    if (stmt.step()) {
        c.ham = static_cast<std::uint32_t>(stmt.int64(0));
        c.spam = static_cast<std::uint32_t>(stmt.int64(1));
    }
    stmt.reset();
    return c;
}

std::int64_t token_rows(Store& store) {
    auto db = store.read();
    auto& stmt = db->prepare("SELECT count(*) FROM classifier_tokens");
    stmt.step();
    const std::int64_t n = stmt.int64(0);
    stmt.reset();
    return n;
}

}  // namespace

TEST_CASE("approve teaches ham, spam teaches spam, reject and delete teach nothing") {
    test::TempDir dir;
    Store store(StoreOptions{vokter::test::location(dir / "c.db"), Durability::normal});
    const auto a = add_comment(store, "Takk for turforslaget", "Kari");
    const auto b = add_comment(store, "Cheap pills online", "Best Pills");
    const auto c = add_comment(store, "Off topic rant", "Troll");

    decide(store, a, Decision::approve);
    decide(store, b, Decision::spam);
    decide(store, c, Decision::reject);
    const core::ModelPtr m = store.classifier().current();
    CHECK(m->ham_messages() == 1);
    CHECK(m->spam_messages() == 1);
    CHECK(counts_of(store, "w:turforslaget").ham == 1);
    CHECK(counts_of(store, "w:pills").spam == 1);
    CHECK(counts_of(store, "w:rant").ham == 0);
    CHECK(counts_of(store, "w:rant").spam == 0);
    CHECK(stored_counts(store, "w:pills").spam == 1);
    {
        auto db = store.read();
        CHECK(trained_label(*db, a) == core::Label::ham);
        CHECK(trained_label(*db, b) == core::Label::spam);
        CHECK_FALSE(trained_label(*db, c));
        CHECK(pending_training_count(*db) == 0);
    }

    // Deleting keeps what the comment taught: its body is gone, its lesson stays.
    decide(store, b, Decision::remove);
    CHECK(counts_of(store, "w:pills").spam == 1);
    CHECK(store.classifier().current()->spam_messages() == 1);
}

TEST_CASE("a reversed decision unlearns the old label exactly; repeating it changes nothing") {
    test::TempDir dir;
    Store store(StoreOptions{vokter::test::location(dir / "c.db"), Durability::normal});
    const auto id = add_comment(store, "Flott innlegg, besøk bloggen min", "Ola");
    decide(store, id, Decision::spam);
    const auto rows_after_spam = token_rows(store);
    CHECK(counts_of(store, "w:flott").spam == 1);

    decide(store, id, Decision::approve);  // the moderator changes their mind
    CHECK(counts_of(store, "w:flott").spam == 0);
    CHECK(counts_of(store, "w:flott").ham == 1);
    CHECK(stored_counts(store, "w:flott").spam == 0);
    CHECK(stored_counts(store, "w:flott").ham == 1);
    CHECK(store.classifier().current()->spam_messages() == 0);
    CHECK(store.classifier().current()->ham_messages() == 1);
    CHECK(token_rows(store) == rows_after_spam);

    decide(store, id, Decision::approve);  // again: nothing more is learned
    CHECK(counts_of(store, "w:flott").ham == 1);
    CHECK(store.classifier().current()->ham_messages() == 1);

    decide(store, id, Decision::spam);
    decide(store, id, Decision::approve);
    decide(store, id, Decision::spam);
    decide(store, id, Decision::reject);  // teaches nothing, keeps spam
    CHECK(counts_of(store, "w:flott").spam == 1);
    CHECK(counts_of(store, "w:flott").ham == 0);
    CHECK(stored_counts(store, "w:flott").ham == 0);
}

TEST_CASE("untraining everything leaves no counts behind") {
    test::TempDir dir;
    Store store(StoreOptions{vokter::test::location(dir / "c.db"), Durability::normal});
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 10; ++i) {
        ids.push_back(add_comment(store, "kommentar nummer " + std::to_string(i), "Navn"));
        decide(store, ids.back(), Decision::spam);
    }
    CHECK(token_rows(store) > 10);
    // Editing unlearns; an author's edit is the one way a trained comment loses its label.
    for (const auto id : ids) {
        store.writer().run([&](Connection& db) { forget_comment(db, id, 3000); });
    }
    store.training_enqueued();
    store.wait_for_training();
    CHECK(token_rows(store) == 0);
    CHECK(store.classifier().current()->spam_messages() == 0);
    CHECK(store.classifier().current()->features() == 0);
}

TEST_CASE("the counts survive a restart, and jobs left in the outbox are trained at start") {
    test::TempDir dir;
    const std::string path = vokter::test::location(dir / "c.db");
    std::int64_t id = 0;
    {
        Store store(StoreOptions{path, Durability::full});
        id = add_comment(store, "Kjempefin oppskrift på lefser", "Kari");
        decide(store, id, Decision::approve);
    }
    {
        // A store without the trainer: the decision's job waits in the outbox.
        StoreOptions options{path, Durability::full};
        options.classifier = false;
        Store store(options);
        const auto other = add_comment(store, "Buy followers cheap", "SEO Expert");
        store.writer().run(
            [&](Connection& db) { apply_decision(db, other, Decision::spam, "kari", "", 2000); });
        auto db = store.read();
        CHECK(pending_training_count(*db) == 1);
    }
    Store store(StoreOptions{path, Durability::full});
    store.wait_for_training();
    CHECK(counts_of(store, "w:lefser").ham == 1);
    CHECK(counts_of(store, "w:followers").spam == 1);
    CHECK(store.classifier().current()->ham_messages() == 1);
    CHECK(store.classifier().current()->spam_messages() == 1);
    auto db = store.read();
    CHECK(pending_training_count(*db) == 0);
}

TEST_CASE("counts another process trained are picked up") {
    test::TempDir dir;
    const std::string path = vokter::test::location(dir / "c.db");
    Store serving(StoreOptions{path, Durability::normal});
    {
        Store learner(StoreOptions{path, Durability::normal});
        learner.writer().run([&](Connection& db) {
            TrainingJob job;
            job.learn = core::Label::spam;
            job.body = "casino bonus";
            enqueue_training(db, job);
        });
        learner.training_enqueued();
        learner.wait_for_training();
    }
    serving.wait_for_training();  // a pass sees the generation move and reloads
    CHECK(counts_of(serving, "w:casino").spam == 1);
}
