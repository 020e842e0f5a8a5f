#include "store/comment_repository.hpp"

#include <doctest/doctest.h>

#include "store/migrations.hpp"
#include "store/moderation_repository.hpp"
#include "support/test_database.hpp"

using namespace vokter;
using namespace vokter::store;

namespace {

struct Db {
    Db() : db(test.db) {}
    std::int64_t add(const std::string& thread, const std::string& body, const char* status,
                     std::int64_t created, std::optional<std::int64_t> parent = std::nullopt,
                     const std::string& email = "", const std::string& ip = "10.0.0.1") {
        NewComment c;
        c.submission.thread = thread;
        c.submission.body = body;
        c.submission.email = email;
        c.submission.ip = ip;
        c.submission.parent = parent;
        if (parent) {
            const auto p = find_parent(db, *parent);
            c.root_id = p->root_id;
            c.depth = p->depth + 1;
        }
        c.status = status;
        c.created = created;
        c.verdict.score = 1.5;
        c.verdict.ruleset_version = "v1";
        c.verdict.hits = {{"LINKS", 1.5, "body", "2 links"}};
        return insert_comment(db, c);
    }
    vokter::test::TestConnection test;
    Connection& db;
};

}  // namespace

TEST_CASE("a stored comment reads back byte-exact with its verdict and hits") {
    Db d;
    const std::string body = "Blåbærsyltetøy 🫐\r\n\tmed tab";
    const auto id = d.add("/a", body, kPending, 1000, std::nullopt, "k@example.no");
    const auto stored = find_comment(d.db, id);
    REQUIRE(stored);
    CHECK(stored->body == body);
    CHECK(stored->thread == "/a");
    CHECK(stored->root_id == id);
    CHECK(stored->status == "pending");
    CHECK(stored->ruleset_version == "v1");
    const auto hits = comment_hits(d.db, id);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].rule == "LINKS");
    CHECK(hits[0].detail == "2 links");
}

TEST_CASE("a comment's hits keep every byte of their texts, riskiest first") {
    Db d;
    NewComment c;
    c.submission.thread = "/a";
    c.submission.body = "Kjøp nå";
    c.status = kPending;
    c.created = 1000;
    c.verdict.hits = {{"A_RULE", 2.5, "body", R"(quotes " and \ backslash, {braces}, commas)"},
                      {"B", -0.125, "name", "æøå 🫐 NULL"},
                      {"C", 1e-3, "", ""},
                      {"A_RULE", 3, "website", "the same rule again"}};
    const auto id = insert_comment(d.db, c);
    const auto hits = comment_hits(d.db, id);
    const std::vector<std::size_t> order = {3, 0, 2, 1};  // by score, highest first
    REQUIRE(hits.size() == order.size());
    for (std::size_t i = 0; i < hits.size(); ++i) {
        CAPTURE(i);
        const core::Hit& want = c.verdict.hits[order[i]];
        CHECK(hits[i].rule == want.rule);
        CHECK(hits[i].score == want.score);
        CHECK(hits[i].field == want.field);
        CHECK(hits[i].detail == want.detail);
    }
    c.verdict.hits.clear();  // none at all
    CHECK(comment_hits(d.db, insert_comment(d.db, c)).empty());
}

TEST_CASE("the thread page shows approved comments only, keeping hidden parents as placeholders") {
    Db d;
    const auto root = d.add("/t", "rot", kApproved, 1);
    const auto held = d.add("/t", "holdt", kPending, 2, root);
    d.add("/t", "svar under holdt", kApproved, 3, held);
    d.add("/t", "spam", kSpam, 4);
    d.add("/t", "spam-svar", kSpam, 5, root);
    const auto page = thread_page(d.db, "/t", SortOrder::oldest, 10, std::nullopt);
    CHECK(page.total == 2);
    REQUIRE(page.comments.size() == 1);
    REQUIRE(page.comments[0].replies.size() == 1);
    const auto& placeholder = page.comments[0].replies[0];
    CHECK(placeholder.removed);
    CHECK(placeholder.body.empty());
    REQUIRE(placeholder.replies.size() == 1);
    CHECK(placeholder.replies[0].body == "svar under holdt");
}

TEST_CASE("removed roots with approved replies page in order with the approved roots") {
    Db d;
    // Roots at times 1..6: approved, removed (rejected, spam, deleted) with an approved reply,
    // and a spam root without one, which never shows.
    const auto a1 = d.add("/p", "a1", kApproved, 1);
    const auto r2 = d.add("/p", "r2", kRejected, 2);
    const auto a3 = d.add("/p", "a3", kApproved, 3);
    const auto s4 = d.add("/p", "s4", kSpam, 4);
    const auto d5 = d.add("/p", "d5", kApproved, 5);
    const auto a6 = d.add("/p", "a6", kApproved, 6);
    d.add("/p", "hidden", kSpam, 7);
    d.add("/p", "svar", kApproved, 10, r2);
    d.add("/p", "svar", kApproved, 11, s4);
    d.add("/p", "svar", kApproved, 12, d5);
    REQUIRE(tombstone_comment(d.db, d5, 13));
    const auto walk = [&](SortOrder sort) {
        std::vector<std::int64_t> ids;
        std::vector<bool> removed;
        std::optional<ThreadCursor> cursor;
        for (int pages = 0; pages < 10; ++pages) {
            const auto page = thread_page(d.db, "/p", sort, 2, cursor);
            for (const auto& root : page.comments) {
                ids.push_back(root.id);
                removed.push_back(root.removed);
                CHECK(root.replies.size() == (root.removed ? 1u : 0u));
            }
            if (!page.next) break;
            cursor = page.next;
        }
        return std::make_pair(ids, removed);
    };
    const auto [oldest, oldest_removed] = walk(SortOrder::oldest);
    CHECK(oldest == std::vector<std::int64_t>{a1, r2, a3, s4, d5, a6});
    CHECK(oldest_removed == std::vector<bool>{false, true, false, true, true, false});
    const auto [newest, newest_removed] = walk(SortOrder::newest);
    CHECK(newest == std::vector<std::int64_t>{a6, d5, s4, a3, r2, a1});
    CHECK(newest_removed == std::vector<bool>{false, true, true, false, true, false});
}

TEST_CASE("a thread's approved count follows every way a comment's status changes") {
    Db d;
    const auto counted = [&](const std::string& uri) {
        auto& stmt = d.db.prepare(
            "SELECT count(*) FROM comments c JOIN threads t ON t.id = c.thread_id "
            "WHERE t.uri = ?1 AND c.status = 'approved'");
        stmt.bind(1, uri);
        stmt.step();
        const std::int64_t n = stmt.int64(0);
        const auto kept = find_thread(d.db, uri);
        REQUIRE(kept);
        CHECK(kept->approved == n);
        CHECK(approved_counts(d.db, {uri}).at(0).second == n);
        CHECK(thread_page(d.db, uri, SortOrder::oldest, 10, std::nullopt).total == n);
        return n;
    };
    const auto a = d.add("/n", "en", kApproved, 1);
    const auto b = d.add("/n", "to", kPending, 2);
    d.add("/annen", "tre", kApproved, 3);
    CHECK(counted("/n") == 1);
    CHECK(counted("/annen") == 1);
    CHECK(apply_decision(d.db, b, Decision::approve, "m", "", 10).ok);
    CHECK(counted("/n") == 2);
    CHECK(apply_decision(d.db, b, Decision::approve, "m", "", 11).ok);  // no change
    CHECK(counted("/n") == 2);
    CHECK(apply_decision(d.db, a, Decision::spam, "m", "", 12).ok);
    CHECK(counted("/n") == 1);
    core::Submission edited;
    edited.body = "endret";
    CHECK(update_comment(d.db, b, edited, core::Verdict{}, kPending, 13));
    CHECK(counted("/n") == 0);
    CHECK(apply_decision(d.db, a, Decision::approve, "m", "", 14).ok);
    CHECK(counted("/n") == 1);
    CHECK(tombstone_comment(d.db, a, 15));
    CHECK(counted("/n") == 0);
    CHECK(counted("/annen") == 1);
    CHECK(approved_counts(d.db, {"/finnes-ikke"}).at(0).second == 0);
}

TEST_CASE("facts for the rules: flood counts, duplicates, known authors") {
    Db d;
    d.add("/a", "Hei  på DEG", kApproved, 10'000, std::nullopt, "kjent@example.no", "1.2.3.4");
    d.add("/b", "noe annet", kApproved, 50'000, std::nullopt, "kjent@example.no", "1.2.3.4");
    d.add("/b", "gammelt", kApproved, 1'000, std::nullopt, "", "1.2.3.4");
    core::Submission s;
    s.thread = "/c";
    s.body = "hei på deg";
    s.email = "kjent@example.no";
    s.ip = "1.2.3.4";
    const auto context = gather_context(d.db, s, {60, 3600}, 70'000);
    CHECK(context.same_ip_recent == 2);  // 10 s and 50 s are within 60 s of 70 s; 1 s is not
    CHECK(context.same_email_recent == 2);
    CHECK(context.duplicate_body);
    CHECK(context.author_approved == 2);
    s.body = "helt ny tekst";
    CHECK_FALSE(gather_context(d.db, s, {60, 3600}, 70'000).duplicate_body);
    // Counts stop at the limit the rules need.
    const auto capped = gather_context(d.db, s, {60, 3600, 1}, 70'000);
    CHECK(capped.same_ip_recent == 1);
    CHECK(capped.author_approved == 1);
}

TEST_CASE("a new comment's thread, resubmission and facts read together as they read apart") {
    Db d;
    d.add("/a", "Hei  på DEG", kApproved, 10'000, std::nullopt, "kjent@example.no", "1.2.3.4");
    d.add("/b", "noe annet", kPending, 50'000, std::nullopt, "kjent@example.no", "1.2.3.4");
    const core::FactWindows windows{60, 3600};
    const auto same = [&](const core::Submission& s, std::int64_t since) {
        const SubmissionFacts facts = submission_facts(d.db, s, since, windows, 70'000);
        const auto thread = find_thread(d.db, s.thread);
        REQUIRE(facts.thread.has_value() == thread.has_value());
        if (thread) {
            CHECK(facts.thread->id == thread->id);
            CHECK(facts.thread->uri == thread->uri);
            CHECK(facts.thread->approved == thread->approved);
            CHECK(facts.thread->closed == thread->closed);
        }
        CHECK(facts.resubmission == is_resubmission(d.db, s, since));
        const core::Context context = gather_context(d.db, s, windows, 70'000);
        CHECK(facts.context.same_ip_recent == context.same_ip_recent);
        CHECK(facts.context.same_email_recent == context.same_email_recent);
        CHECK(facts.context.author_approved == context.author_approved);
        CHECK(facts.context.duplicate_body == context.duplicate_body);
        return facts;
    };
    core::Submission s;
    s.thread = "/a";
    s.body = "hei på deg";  // the first comment's body, as the fingerprint sees it
    s.email = "kjent@example.no";
    s.ip = "1.2.3.4";
    auto facts = same(s, 5'000);
    CHECK(facts.thread);
    CHECK(facts.thread->approved == 1);
    CHECK(facts.resubmission);
    CHECK(facts.context.same_ip_recent == 2);
    CHECK(facts.context.duplicate_body);
    CHECK_FALSE(same(s, 20'000).resubmission);  // posted before the window
    s.ip = "5.6.7.8";
    CHECK(same(s, 5'000).resubmission);  // the same e-mail address
    s.email = "";
    CHECK_FALSE(same(s, 5'000).resubmission);
    s.thread = "/ny-side";  // a page with no comments yet: no thread, yet the facts count
    s.email = "kjent@example.no";
    facts = same(s, 5'000);
    CHECK_FALSE(facts.thread);
    CHECK_FALSE(facts.resubmission);
    CHECK(facts.context.same_email_recent == 2);
    CHECK(facts.context.duplicate_body);
}

TEST_CASE("a tombstone erases personal data and body but keeps the row") {
    Db d;
    const auto id = d.add("/a", "hemmelig", kApproved, 1, std::nullopt, "p@example.no");
    CHECK(tombstone_comment(d.db, id, 2));
    const auto stored = find_comment(d.db, id);
    REQUIRE(stored);
    CHECK(stored->status == "deleted");
    CHECK(stored->body.empty());
    CHECK(stored->email.empty());
    CHECK(stored->ip.empty());
    CHECK_FALSE(tombstone_comment(d.db, 999, 2));
}

TEST_CASE("settings round-trip") {
    Db d;
    CHECK_FALSE(get_setting(d.db, "k"));
    put_setting(d.db, "k", "v1");
    put_setting(d.db, "k", "v2");
    CHECK(get_setting(d.db, "k") == "v2");
}
