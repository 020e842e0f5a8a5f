// The moderator queue: filters, sorts, keyset pagination, and one comment in full.

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "http/moderation_fixture.hpp"

using namespace vokter::test;
using json = nlohmann::json;
using Ids = std::vector<std::int64_t>;

namespace {

constexpr std::int64_t kT0 = 1'790'000'000'000;  // 2026-09-21, fixed so orders are known

const std::string kLongBody =
    "Blåbærsyltetøy er best med vafler – det har jeg alltid ment, og jeg står ved det. "
    "Men denne oppskriften på rømmevafler fikk meg til å tenke meg om to ganger. Takk! 👍🙂";

// A known queue over two threads. Fields are ids in the order stored.
struct Dataset {
    explicit Dataset(ModerationServer& s) {
        a1 = s.seed({.thread = "/blogg/a", .score = 7.0, .body = "Første", .created = kT0 + 5000});
        a2 = s.seed({.thread = "/blogg/a", .score = 9.5, .body = "Andre", .created = kT0 + 1000});
        a3 = s.seed({.thread = "/blogg/a", .score = 7.0, .body = "Tredje", .created = kT0 + 3000});
        a4 = s.seed(
            {.thread = "/blogg/a",
             .score = 5.5,
             .body = "Fjerde",
             .name = "Spammer",
             .email = "spam@casino.example",
             .website = "https://casino.example/bonus",
             .created = kT0 + 3000,
             .hits = {{"CASINO", 4.0, "website", "casino"}, {"LINK_ANY", 1.5, "", "1 link"}}});
        b5 = s.seed({.thread = "/blogg/b",
                     .score = 8.0,
                     .body = "100% gratis_tilbud",
                     .created = kT0 + 4000});
        b6 = s.seed({.thread = "/blogg/b", .status = "spam", .score = 15, .created = kT0 + 100});
        b7 = s.seed({.thread = "/blogg/b",
                     .status = "approved",
                     .score = 0,
                     .body = kLongBody,
                     .created = kT0 + 200});
        b8 = s.seed({.thread = "/blogg/b", .status = "rejected", .score = 6, .created = kT0 + 300});
        reply = s.seed({.thread = "/blogg/b",
                        .score = 6.0,
                        .body = "Svar på vaffelinnlegget",
                        .parent = b7,
                        .created = kT0 + 6000});
    }
    std::int64_t a1, a2, a3, a4, b5, b6, b7, b8, reply;
};

json queue(const ModerationServer& s, const std::string& query) {
    return s.get_ok("/api/moderation/queue?" + query);
}

void check_422(const httplib::Result& res, const std::string& field) {
    REQUIRE(res);
    CHECK_MESSAGE(res->status == 422, res->body);
    const json doc = json_of(res);
    REQUIRE(doc["errors"].size() >= 1);
    CHECK(doc["errors"][0]["field"] == field);
}

// Every page of `query` (which must not hold cursor or limit), `limit` at a time, calling
// `between` after each page.
template <class Between>
Ids all_pages(const ModerationServer& s, const std::string& query, int limit, Between between) {
    Ids ids;
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
        std::string q = query + "&limit=" + std::to_string(limit);
        if (!cursor.empty()) q += "&cursor=" + cursor;
        const json doc = queue(s, q);
        const Ids got = ids_of(doc);
        CHECK(static_cast<int>(got.size()) <= limit);
        ids.insert(ids.end(), got.begin(), got.end());
        if (doc["next_cursor"].is_null()) return ids;
        cursor = doc["next_cursor"].get<std::string>();
        between();
    }
    FAIL("pagination did not end");
    return ids;
}

}  // namespace

TEST_CASE("the queue sorts pending comments by score, newest or oldest, ties by id") {
    ModerationServer s;
    const Dataset d(s);
    // score DESC, id DESC: a3 and a1 tie at 7.0, the later id first.
    CHECK(ids_of(queue(s, "")) == Ids{d.a2, d.b5, d.a3, d.a1, d.reply, d.a4});
    CHECK(ids_of(queue(s, "status=pending&sort=score")) ==
          Ids{d.a2, d.b5, d.a3, d.a1, d.reply, d.a4});
    // created DESC, id DESC: a3 and a4 were created in the same millisecond.
    CHECK(ids_of(queue(s, "sort=newest")) == Ids{d.reply, d.a1, d.b5, d.a4, d.a3, d.a2});
    CHECK(ids_of(queue(s, "sort=oldest")) == Ids{d.a2, d.a3, d.a4, d.b5, d.a1, d.reply});
}

TEST_CASE("the queue filters by status") {
    ModerationServer s;
    const Dataset d(s);
    CHECK(ids_of(queue(s, "status=spam")) == Ids{d.b6});
    CHECK(ids_of(queue(s, "status=approved")) == Ids{d.b7});
    CHECK(ids_of(queue(s, "status=rejected")) == Ids{d.b8});
    check_422(s.get("/api/moderation/queue?status=deleted"), "status");
    check_422(s.get("/api/moderation/queue?status=all"), "status");
}

TEST_CASE("the queue filters by thread, as the widget names it") {
    ModerationServer s;
    const Dataset d(s);
    CHECK(ids_of(queue(s, "thread=/blogg/b/")) == Ids{d.b5, d.reply});
    CHECK(ids_of(queue(s, "thread=/blogg/b&sort=oldest")) == Ids{d.b5, d.reply});
    CHECK(ids_of(queue(s, "thread=/blogg/b/&status=spam")) == Ids{d.b6});
    CHECK(ids_of(queue(s, "thread=/blogg/a/&sort=newest")) == Ids{d.a1, d.a4, d.a3, d.a2});
    CHECK(queue(s, "thread=/finnes/ikke/")["items"].empty());
    check_422(s.get("/api/moderation/queue?thread=javascript:alert(1)"), "thread");
}

TEST_CASE("the queue finds free text in body, name, email and website; wildcards are literal") {
    ModerationServer s;
    const Dataset d(s);
    CHECK(ids_of(queue(s, "q=casino")) == Ids{d.a4});       // email and website
    CHECK(ids_of(queue(s, "q=SPAMMER")) == Ids{d.a4});      // name, ASCII case folded
    CHECK(ids_of(queue(s, "q=vaffel")) == Ids{d.reply});    // body
    CHECK(ids_of(queue(s, "q=100%25")) == Ids{d.b5});       // "100%"
    CHECK(ids_of(queue(s, "q=%25")) == Ids{d.b5});          // "%" is not a wildcard
    CHECK(ids_of(queue(s, "q=_")) == Ids{d.b5});            // neither is "_"
    CHECK(queue(s, "q=gratis%25tilbud")["items"].empty());  // "%" matches only itself
    CHECK(ids_of(queue(s, "q=dje&thread=/blogg/a/&sort=oldest")) == Ids{d.a3});
    CHECK(ids_of(queue(s, "q=e&thread=/blogg/a/&sort=oldest")) == Ids{d.a2, d.a3, d.a4, d.a1});
    CHECK(queue(s, "q=casino&thread=/blogg/b/")["items"].empty());
    CHECK(ids_of(queue(s, "q=bl%C3%A5b%C3%A6r&status=approved")) == Ids{d.b7});  // "blåbær"
    check_422(s.get("/api/moderation/queue?q=" + std::string(201, 'x')), "q");
}

TEST_CASE("a queue item carries what a moderator needs") {
    ModerationServer s;
    const Dataset d(s);
    const json items = queue(s, "thread=/blogg/a/&q=casino")["items"];
    REQUIRE(items.size() == 1);
    const json& a4 = items[0];
    CHECK(a4["id"] == d.a4);
    CHECK(a4["thread"] == "/blogg/a");
    CHECK(a4["parent"].is_null());
    CHECK(a4["parent_excerpt"].is_null());
    CHECK(a4["name"] == "Spammer");
    CHECK(a4["email"] == "spam@casino.example");
    CHECK(a4["website"] == "https://casino.example/bonus");
    CHECK(a4["ip"] == "192.0.2.1");
    CHECK(a4["user_agent"] == "TestAgent/1.0");
    CHECK(a4["body"] == "Fjerde");
    CHECK(a4["status"] == "pending");
    CHECK(a4["score"] == 5.5);
    CHECK(a4["ruleset_version"] == "test-1");
    CHECK(a4["created"] == "2026-09-21T14:13:23Z");
    REQUIRE(a4["hits"].size() == 2);
    CHECK(a4["hits"][0] ==
          json{{"rule", "CASINO"}, {"score", 4.0}, {"field", "website"}, {"detail", "casino"}});
    CHECK(a4["hits"][1]["rule"] == "LINK_ANY");

    // A reply shows the start of its parent: 140 characters, not bytes.
    const json reply = queue(s, "q=vaffelinnlegget")["items"][0];
    CHECK(reply["parent"] == d.b7);
    const std::string excerpt = reply["parent_excerpt"];
    CHECK(kLongBody.starts_with(excerpt));
    std::size_t chars = 0;
    for (const char c : excerpt)
        chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    CHECK(chars == 140);
}

TEST_CASE("queue pages follow each other without gaps; bad paging parameters get 422") {
    ModerationServer s;
    const Dataset d(s);
    const auto none = [] {};
    CHECK(all_pages(s, "sort=score", 2, none) == ids_of(queue(s, "sort=score")));
    CHECK(all_pages(s, "sort=newest", 4, none) == ids_of(queue(s, "sort=newest")));
    CHECK(all_pages(s, "sort=oldest", 1, none) == ids_of(queue(s, "sort=oldest")));
    CHECK(all_pages(s, "sort=oldest&thread=/blogg/a/", 3, none) == Ids{d.a2, d.a3, d.a4, d.a1});
    const json first = queue(s, "sort=score&limit=6");
    CHECK(first["next_cursor"].is_null());  // exactly one full page

    check_422(s.get("/api/moderation/queue?limit=0"), "limit");
    check_422(s.get("/api/moderation/queue?limit=201"), "limit");
    check_422(s.get("/api/moderation/queue?sort=riskiest"), "sort");
    check_422(s.get("/api/moderation/queue?cursor=garbage"), "cursor");
    // A cursor belongs to its sort.
    const std::string cursor = queue(s, "sort=score&limit=1")["next_cursor"];
    CHECK(cursor.starts_with("s_"));
    check_422(s.get("/api/moderation/queue?sort=newest&cursor=" + cursor), "cursor");
}

TEST_CASE("approved comments of one thread page by score, ties by id, like the other statuses") {
    ModerationServer s;
    const Dataset d(s);
    const auto c1 = s.seed({.thread = "/blogg/c", .status = "approved", .score = 2.5});
    const auto c2 = s.seed({.thread = "/blogg/c", .status = "approved", .score = 4.0});
    const auto c3 = s.seed({.thread = "/blogg/c", .status = "approved", .score = 2.5});
    const auto c4 = s.seed({.thread = "/blogg/c", .status = "approved", .score = -1.0});
    s.seed({.thread = "/blogg/c", .status = "pending", .score = 9.0});
    s.seed({.thread = "/blogg/d", .status = "approved", .score = 3.0});
    const auto none = [] {};
    const Ids expected{c2, c3, c1, c4};
    CHECK(ids_of(queue(s, "status=approved&thread=/blogg/c")) == expected);
    CHECK(all_pages(s, "status=approved&thread=/blogg/c&sort=score", 1, none) == expected);
    CHECK(all_pages(s, "status=approved&thread=/blogg/b&sort=score", 1, none) == Ids{d.b7});
}

TEST_CASE("paging while new comments arrive neither skips nor repeats a comment") {
    for (const char* sort : {"score", "newest", "oldest"}) {
        CAPTURE(sort);
        ModerationServer s;
        std::set<std::int64_t> original;
        for (int i = 0; i < 40; ++i) {
            // Scores with many ties, created times with ties, so both tie-breaks are used.
            original.insert(s.seed({.thread = i % 2 ? "/t/odd" : "/t/even",
                                    .score = 5.0 + (i * 7 % 5),
                                    .body = "Kommentar " + std::to_string(i),
                                    .created = kT0 + (i * 13 % 9) * 1000}));
        }
        int added = 0;
        const auto add_some = [&] {
            // Riskier and newer than everything, as risky as a page boundary, and less risky.
            for (const double score : {50.0, 7.0, 6.0, 5.0, 1.0}) {
                s.seed({.score = score, .body = "Ny " + std::to_string(added++)});
            }
        };
        const Ids seen = all_pages(s, std::string("sort=") + sort, 6, add_some);
        const std::set<std::int64_t> unique(seen.begin(), seen.end());
        CHECK(unique.size() == seen.size());  // no repeats
        for (const std::int64_t id : original)
            CHECK(unique.contains(id));  // no skips
    }
}

TEST_CASE("one comment in full, with an empty history before any decision") {
    ModerationServer s;
    const Dataset d(s);
    const json one = s.get_ok("/api/moderation/comments/" + std::to_string(d.a4));
    CHECK(one["id"] == d.a4);
    CHECK(one["email"] == "spam@casino.example");
    CHECK(one["hits"].size() == 2);
    CHECK(one["history"] == json::array());
    const auto missing = s.get("/api/moderation/comments/999999");
    REQUIRE(missing);
    CHECK(missing->status == 404);
}
