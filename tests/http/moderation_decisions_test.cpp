// Decisions: bulk approve/reject/spam/delete with per-id results, idempotency, what the public
// then sees, and the audit trail each leaves.

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "http/moderation_fixture.hpp"
#include "store/moderation_stats.hpp"

using namespace vokter::test;
using json = nlohmann::json;
using Ids = std::vector<std::int64_t>;

namespace {

const std::string kThread = "/blogg/vafler";

json public_thread(const ModerationServer& s) {
    const auto res = s.client().Get("/api/comments?thread=" + kThread);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json_of(res);
}

Ids public_ids(const ModerationServer& s) {
    Ids ids;
    const json page = public_thread(s);
    for (const auto& c : page["comments"])
        ids.push_back(c["id"].get<std::int64_t>());
    return ids;
}

std::size_t log_size(const ModerationServer& s) {
    return s.get_ok("/api/moderation/log?limit=500")["entries"].size();
}

}  // namespace

TEST_CASE("a bulk decision applies every known id and reports unknown ones, in one transaction") {
    // Without the classifier's trainer, whose transactions would count in the commits (and
    // may share a group commit with the decision's).
    ModerationServer s(TestServer::quiet_options(), /*classifier=*/false);
    const auto p1 = s.seed({.thread = kThread, .score = 6, .body = "Én"});
    const auto p2 = s.seed({.thread = kThread, .score = 7, .body = "To"});
    const auto p3 = s.seed({.thread = kThread, .status = "spam", .score = 12, .body = "Tre"});
    CHECK(public_ids(s).empty());
    // … after the moderator's first request, whose last use is written (once a minute) …
    s.get_ok("/api/moderation/me");
    // … and once the store's folder has counted the new comments and gone quiet (its jobs,
    // the last of which finds nothing left, would count too).
    for (int i = 0; i < 100; ++i) {
        const std::uint64_t before = s.store.writer().commits();
        std::this_thread::sleep_for(std::chrono::milliseconds(60));
        if (s.store.writer().commits() == before &&
            !vokter::store::moderation_counts_behind(*s.store.read()))
            break;
    }

    const std::uint64_t commits = s.store.writer().commits();
    const json results = s.decide({p1, 999999, p2, p3}, "approve", "ser greit ut");
    CHECK(s.store.writer().commits() == commits + 1);  // one transaction for every id
    REQUIRE(results.size() == 4);
    CHECK(results[0] == json{{"id", p1},
                             {"ok", true},
                             {"old_status", "pending"},
                             {"new_status", "approved"},
                             {"changed", true}});
    CHECK(results[1] == json{{"id", 999999}, {"ok", false}, {"error", "no such comment"}});
    CHECK(results[2]["ok"] == true);
    CHECK(results[3]["old_status"] == "spam");
    CHECK(results[3]["new_status"] == "approved");

    // Approved comments are public at once, in thread order.
    CHECK(public_ids(s) == Ids{p1, p2, p3});

    const json log = s.get_ok("/api/moderation/log");
    REQUIRE(log["entries"].size() == 3);
    const json& newest = log["entries"][0];  // newest first
    CHECK(newest["comment"] == p3);
    CHECK(newest["moderator"] == "kari");
    CHECK(newest["action"] == "approve");
    CHECK(newest["old_status"] == "spam");
    CHECK(newest["new_status"] == "approved");
    CHECK(newest["note"] == "ser greit ut");
    CHECK(!newest["created"].get<std::string>().empty());
}

TEST_CASE("a decision is idempotent: the same status again changes and logs nothing") {
    ModerationServer s;
    const auto id = s.seed({.thread = kThread, .score = 6});
    s.decide({id}, "approve");
    const std::size_t logged = log_size(s);
    const json again = s.decide({id, id}, "approve");
    CHECK(again[0]["ok"] == true);
    CHECK(again[0]["changed"] == false);
    CHECK(again[0]["old_status"] == "approved");
    CHECK(again[1]["changed"] == false);
    CHECK(log_size(s) == logged);
    CHECK(s.get_ok("/api/moderation/comments/" + std::to_string(id))["history"].size() == 1);
}

TEST_CASE("spam and reject take a published comment off the public page") {
    ModerationServer s;
    const auto posted = s.post({{"thread", kThread}, {"name", "Ola"}, {"body", "Gode vafler!"}});
    REQUIRE(posted->status == 201);
    const auto a = json_of(posted)["id"].get<std::int64_t>();
    const auto b = s.seed({.thread = kThread, .status = "approved", .body = "Enig"});
    CHECK(public_ids(s) == Ids{a, b});
    CHECK(s.decide({a}, "spam")[0]["new_status"] == "spam");
    CHECK(public_ids(s) == Ids{b});
    CHECK(s.decide({b}, "reject")[0]["new_status"] == "rejected");
    CHECK(public_ids(s).empty());
    CHECK(public_thread(s)["total"] == 0);
    CHECK(s.get_ok("/api/moderation/queue?status=spam")["items"][0]["id"] == a);
    CHECK(s.get_ok("/api/moderation/queue?status=rejected")["items"][0]["id"] == b);
}

TEST_CASE("delete erases personal data and body but keeps the place of the replies") {
    ModerationServer s;
    const auto parent = s.seed({.thread = kThread,
                                .status = "approved",
                                .body = "Hemmelig innhold",
                                .name = "Per",
                                .email = "per@example.no",
                                .website = "https://per.example.no",
                                .hits = {{"LINK_ANY", 1.0, "body", "per.example.no"}}});
    const auto reply =
        s.seed({.thread = kThread, .status = "approved", .body = "Svar", .parent = parent});
    const json results = s.decide({parent}, "delete", "personvern");
    CHECK(results[0]["new_status"] == "deleted");

    const json page = public_thread(s);
    REQUIRE(page["comments"].size() == 1);
    CHECK(page["comments"][0]["id"] == parent);
    CHECK(page["comments"][0]["removed"] == true);
    CHECK(page["comments"][0]["replies"][0]["id"] == reply);

    const json item = s.get_ok("/api/moderation/comments/" + std::to_string(parent));
    CHECK(item["status"] == "deleted");
    for (const char* field : {"body", "name", "email", "website", "ip", "user_agent"})
        CHECK(item[field] == "");
    CHECK(item["hits"][0]["detail"] == "");  // the hit quoted the comment
    CHECK(item["history"][0]["action"] == "delete");
    CHECK(item["history"][0]["note"] == "personvern");

    // A tombstone stays a tombstone.
    const json undelete = s.decide({parent}, "approve");
    CHECK(undelete[0]["ok"] == false);
    CHECK(undelete[0]["error"] == "the comment is deleted");
    CHECK(s.decide({parent}, "delete")[0]["changed"] == false);
}

TEST_CASE("the audit trail records each change, by whom, and can be filtered and paged") {
    ModerationServer s;
    const std::string ola = add_moderator(s.store, "ola");
    const auto id = s.seed({.thread = kThread, .score = 6});
    const auto other = s.seed({.thread = kThread, .score = 8});
    s.decide({id}, "approve", "første vurdering");
    s.decide({other}, "spam");
    const auto res =
        s.client().Post("/api/moderation/decisions", s.auth(ola),
                        json{{"ids", {id}}, {"action", "spam"}}.dump(), "application/json");
    REQUIRE(res->status == 200);

    const json history = s.get_ok("/api/moderation/comments/" + std::to_string(id))["history"];
    REQUIRE(history.size() == 2);
    CHECK(history[0]["moderator"] == "kari");
    CHECK(history[0]["old_status"] == "pending");
    CHECK(history[0]["new_status"] == "approved");
    CHECK(history[0]["note"] == "første vurdering");
    CHECK(history[1]["moderator"] == "ola");
    CHECK(history[1]["old_status"] == "approved");
    CHECK(history[1]["new_status"] == "spam");

    CHECK(s.get_ok("/api/moderation/log?moderator=ola")["entries"].size() == 1);
    CHECK(s.get_ok("/api/moderation/log?moderator=kari")["entries"].size() == 2);
    CHECK(s.get_ok("/api/moderation/log?comment=" + std::to_string(id))["entries"].size() == 2);
    CHECK(
        s.get_ok("/api/moderation/log?comment=" + std::to_string(id) + "&moderator=kari")["entries"]
            .size() == 1);

    const json first = s.get_ok("/api/moderation/log?limit=2");
    REQUIRE(first["entries"].size() == 2);
    const std::string cursor = first["next_cursor"];
    const json second = s.get_ok("/api/moderation/log?limit=2&cursor=" + cursor);
    REQUIRE(second["entries"].size() == 1);
    CHECK(second["next_cursor"].is_null());
    CHECK(second["entries"][0]["action"] == "approve");  // the oldest
    CHECK(first["entries"][1]["id"].get<std::int64_t>() >
          second["entries"][0]["id"].get<std::int64_t>());
}

TEST_CASE("a malformed decision is refused as a whole") {
    ModerationServer s;
    const auto id = s.seed({.thread = kThread, .score = 6});
    const auto status_of = [&](const std::string& body, const char* type = "application/json") {
        const auto res = s.client().Post("/api/moderation/decisions", s.auth(), body, type);
        REQUIRE(res);
        return res->status;
    };
    CHECK(status_of(R"({"ids":[],"action":"approve"})") == 422);
    CHECK(status_of(R"({"ids":[1],"action":"publish"})") == 422);
    CHECK(status_of(R"({"ids":["1"],"action":"approve"})") == 422);
    CHECK(status_of(R"({"ids":[1],"action":"approve","note":7})") == 422);
    CHECK(status_of(R"({"action":"approve"})") == 422);
    Ids many(501, id);
    CHECK(status_of(json{{"ids", many}, {"action", "approve"}}.dump()) == 422);
    CHECK(status_of("{not json") == 400);
    CHECK(status_of(R"({"ids":[1],"action":"approve"})", "text/plain") == 415);
    CHECK(s.get_ok("/api/moderation/comments/" + std::to_string(id))["status"] == "pending");
    // 500 ids at once are fine.
    Ids five_hundred(500, id);
    CHECK(s.decide(five_hundred, "approve").size() == 500);
}

TEST_CASE("ids are answered in the order given, a repeated id decided and logged once") {
    ModerationServer s;
    const auto a = s.seed({.thread = kThread, .score = 6, .body = "A"});
    const auto b = s.seed({.thread = kThread, .score = 6, .body = "B"});
    const std::size_t before = log_size(s);
    const json results = s.decide({b, a, b}, "spam", "");
    REQUIRE(results.size() == 3);
    CHECK(results[0]["id"] == b);
    CHECK(results[1]["id"] == a);
    CHECK(results[2]["id"] == b);
    CHECK(results[2]["new_status"] == "spam");
    CHECK(log_size(s) == before + 2);
}
