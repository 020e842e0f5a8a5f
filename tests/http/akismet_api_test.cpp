// HTTP tests of the Akismet-compatible API (/1.1/…) with plain form posts against a real server
// on loopback: both ways of passing the key, bad keys, missing user_ip, administrators, tests,
// the honeypot, blatant spam, oversized bodies, character sets, and spam/ham reports.

#include <doctest/doctest.h>

#include "core/classifier/features.hpp"
#include "http/crypto.hpp"
#include "http/moderation_fixture.hpp"
#include "http/test_server.hpp"
#include "store/akismet_labels.hpp"
#include "store/api_keys.hpp"
#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"

using namespace vokter::test;
using json = nlohmann::json;
namespace core = vokter::core;
namespace store = vokter::store;
namespace http = vokter::http;

namespace {

constexpr const char* kRules = R"(
version = "akismet-test-1"
[thresholds]
hold = 5.0
spam = 10.0

[[rule]]
id = "HOLD_WORD"
description = "holds"
words = ["kasino"]
score = 6.0

[[rule]]
id = "SPAM_WORD"
description = "spam, but not blatant"
words = ["viagra"]
score = 12.0

[[rule]]
id = "BLATANT_WORD"
description = "blatant spam"
words = ["pillepris"]
score = 20.0

[[heuristic]]
kind = "honeypot"
score = 1.0
action = "spam"
)";

const std::string kThanks = "Thanks for making the web a better place.";

core::RulesetPtr test_rules() {
    auto loaded = core::load_ruleset(kRules, "akismet.toml", nullptr);
    REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.errors().front().message));
    return loaded.value();
}

// A server with the test rules and one API key for https://blogg.example.no.
struct AkismetServer : TestServer {
    explicit AkismetServer(http::ServerOptions options = quiet_options())
        : TestServer(std::move(options), test_rules()), key(add_key("blogg")) {}

    std::string add_key(const std::string& name) {
        const std::string k = http::random_hex(24);
        store.writer().run([&](store::Connection& db) {
            store::add_api_key(db, name, http::sha256(k), "https://blogg.example.no", wall_ms());
        });
        return k;
    }

    // POSTs `form` (already encoded) to `path` with the key as the first label of the Host.
    httplib::Result post_host(const std::string& path, const std::string& form,
                              const std::string& with_key = "") const {
        const httplib::Headers headers = {
            {"Host", (with_key.empty() ? key : with_key) + ".localhost:" + std::to_string(port)}};
        return client().Post(path, headers, form, "application/x-www-form-urlencoded");
    }

    // POSTs `form` to `path` with the key as the api_key field.
    httplib::Result post_field(const std::string& path, const std::string& form) const {
        return client().Post(path, "api_key=" + key + "&" + form,
                             "application/x-www-form-urlencoded");
    }

    std::int64_t comment_count() {
        auto db = store.read();
        auto& stmt = db->prepare("SELECT count(*) FROM comments");
        stmt.step();
        const auto n = stmt.int64(0);
        stmt.reset();
        return n;
    }

    // The newest stored comment.
    store::StoredComment newest() {
        auto db = store.read();
        auto& stmt = db->prepare("SELECT max(id) FROM comments");
        stmt.step();
        const auto id = stmt.int64(0);
        stmt.reset();
        return *store::find_comment(*db, id);
    }

    std::string key;
};

// A form field, percent-encoded.
std::string enc(const std::string& text) {
    return httplib::detail::encode_query_param(text);
}

std::string form(const std::string& body, const std::string& extra = "") {
    return "blog=" + enc("https://blogg.example.no") +
           "&user_ip=192.0.2.10&user_agent=" + enc("Mozilla/5.0 (X11; Linux x86_64)") +
           "&referrer=" + enc("https://blogg.example.no/innlegg/1") +
           "&permalink=" + enc("https://blogg.example.no/innlegg/1/") +
           "&comment_type=comment&comment_author=Kari&comment_author_email=" +
           enc("kari@example.no") + "&comment_content=" + enc(body) +
           (extra.empty() ? "" : "&" + extra);
}

void check_plain(const httplib::Result& res, const std::string& body) {
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type").starts_with("text/plain"));
    CHECK(res->body == body);
}

}  // namespace

TEST_CASE("verify-key answers valid for a known key and invalid with a debug header otherwise") {
    AkismetServer server;
    const std::string blog = "&blog=" + enc("https://blogg.example.no");
    check_plain(server.client().Post("/1.1/verify-key", "key=" + server.key + blog,
                                     "application/x-www-form-urlencoded"),
                "valid");
    check_plain(server.client().Post("/1.1/verify-key", "api_key=" + server.key + blog,
                                     "application/x-www-form-urlencoded"),
                "valid");
    check_plain(server.post_host("/1.1/verify-key", blog.substr(1)), "valid");

    const auto bad = server.client().Post("/1.1/verify-key", "key=0123456789ab" + blog,
                                          "application/x-www-form-urlencoded");
    check_plain(bad, "invalid");
    CHECK(!bad->get_header_value("X-akismet-debug-help").empty());
    check_plain(server.client().Post("/1.1/verify-key", blog.substr(1),
                                     "application/x-www-form-urlencoded"),
                "invalid");
}

TEST_CASE("comment-check with the key in the Host header: ham is false, stored but never public") {
    AkismetServer server;
    const auto res =
        server.post_host("/1.1/comment-check", form("Takk for et godt innlegg – særlig ææ!"));
    check_plain(res, "false");
    CHECK(!res->has_header("X-akismet-pro-tip"));

    const store::StoredComment stored = server.newest();
    CHECK(stored.source == "akismet");
    CHECK(stored.status == "approved");
    CHECK(stored.thread == "akismet:https://blogg.example.no/innlegg/1");
    CHECK(stored.ip == "192.0.2.10");  // user_ip, not the caller's address
    CHECK(stored.name == "Kari");
    CHECK(stored.email == "kari@example.no");
    CHECK(stored.user_agent == "Mozilla/5.0 (X11; Linux x86_64)");
    CHECK(stored.referrer == "https://blogg.example.no/innlegg/1");
    CHECK(stored.body == "Takk for et godt innlegg – særlig ææ!");
    CHECK(stored.ruleset_version == "akismet-test-1");

    // The public API never lists or counts it, under either thread name.
    for (const std::string thread :
         {"https://blogg.example.no/innlegg/1", "akismet:https://blogg.example.no/innlegg/1"}) {
        const auto page = server.client().Get("/api/comments?thread=" + enc(thread));
        REQUIRE(page);
        if (page->status == 200) CHECK(json_of(page)["total"] == 0);
        const auto counts = server.client().Get("/api/counts?thread=" + enc(thread));
        REQUIRE(counts);
        if (counts->status == 200) CHECK(json_of(counts)[thread] == 0);
    }
}

TEST_CASE("comment-check with the api_key field: spam is true, held is false, both in the queue") {
    AkismetServer server;
    const std::string token = add_moderator(server.store, "kari");
    const auto spam = server.post_field("/1.1/comment-check", form("Billig viagra her"));
    check_plain(spam, "true");
    CHECK(!spam->has_header("X-akismet-pro-tip"));  // 12 < 10 + 5: spam, not blatant
    store::StoredComment stored = server.newest();
    CHECK(stored.status == "spam");
    CHECK(stored.score == doctest::Approx(12.0));
    {
        auto db = server.store.read();
        const auto hits = store::comment_hits(*db, stored.id);
        REQUIRE(!hits.empty());
        CHECK(hits[0].rule == "SPAM_WORD");
    }

    check_plain(server.post_field("/1.1/comment-check", form("Beste kasino i Norge")), "false");
    CHECK(server.newest().status == "pending");

    const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
    const auto queue = server.client().Get("/api/moderation/queue?status=pending", auth);
    REQUIRE(queue);
    REQUIRE(queue->status == 200);
    CHECK(ids_of(json_of(queue)) == std::vector<std::int64_t>{server.newest().id});
    const auto spam_queue = server.client().Get("/api/moderation/queue?status=spam", auth);
    CHECK(ids_of(json_of(spam_queue)) == std::vector<std::int64_t>{stored.id});
}

TEST_CASE("a bad key answers invalid and stores nothing") {
    AkismetServer server;
    const auto host = server.post_host("/1.1/comment-check", form("viagra"), "deadbeef00");
    check_plain(host, "invalid");
    CHECK(!host->get_header_value("X-akismet-debug-help").empty());
    const auto field = server.client().Post("/1.1/comment-check", "api_key=nope&" + form("hei"),
                                            "application/x-www-form-urlencoded");
    check_plain(field, "invalid");
    const auto none = server.client().Post("/1.1/comment-check", form("hei"),
                                           "application/x-www-form-urlencoded");
    check_plain(none, "invalid");
    check_plain(server.post_host("/1.1/submit-spam", form("hei"), "deadbeef00"), "invalid");
    CHECK(server.comment_count() == 0);
}

TEST_CASE("a removed key stops working at once") {
    AkismetServer server;
    check_plain(server.post_host("/1.1/comment-check", form("hei")), "false");
    server.store.writer().run(
        [&](store::Connection& db) { CHECK(store::remove_api_key(db, "blogg")); });
    check_plain(server.post_host("/1.1/comment-check", form("hei")), "invalid");
}

TEST_CASE("a request without user_ip is answered as Akismet does, with a debug header") {
    AkismetServer server;
    const std::string without_ip = "blog=" + enc("https://blogg.example.no") +
                                   "&comment_author=Kari&comment_content=" + enc("Hei");
    for (const char* path : {"/1.1/comment-check", "/1.1/submit-spam", "/1.1/submit-ham"}) {
        CAPTURE(path);
        const auto res = server.post_field(path, without_ip);
        check_plain(res, "Missing required field: user_ip.");
        CHECK(res->get_header_value("X-akismet-debug-help") == "Empty \"user_ip\" value");
        const auto blank = server.post_field(path, without_ip + "&user_ip=%20");
        check_plain(blank, "Missing required field: user_ip.");
    }
    CHECK(server.comment_count() == 0);
}

TEST_CASE("user_role=administrator is ham without scoring; is_test scores but stores nothing") {
    AkismetServer server;
    check_plain(
        server.post_host("/1.1/comment-check", form("pillepris viagra", "user_role=Administrator")),
        "false");
    CHECK(server.comment_count() == 0);

    const auto test = server.post_host("/1.1/comment-check", form("pillepris", "is_test=1"));
    check_plain(test, "true");
    CHECK(test->get_header_value("X-akismet-pro-tip") == "discard");
    check_plain(server.post_host("/1.1/comment-check", form("Hei", "is_test=true")), "false");
    check_plain(server.post_host("/1.1/submit-spam", form("Hei", "is_test=1")), kThanks);
    CHECK(server.comment_count() == 0);
    auto db = server.store.read();
    CHECK(store::count_akismet_labels(*db, "spam") == 0);
}

TEST_CASE("a filled honeypot is spam with the discard tip, whatever its score") {
    AkismetServer server;
    const auto res = server.post_host(
        "/1.1/comment-check",
        form("Et helt vanlig innlegg", "honeypot_field_name=hp_felt&hp_felt=http://x.example"));
    check_plain(res, "true");
    CHECK(res->get_header_value("X-akismet-pro-tip") == "discard");
    CHECK(server.newest().status == "spam");
    // The named field empty: not a robot.
    const auto empty = server.post_host(
        "/1.1/comment-check", form("Et annet innlegg", "honeypot_field_name=hp_felt&hp_felt="));
    check_plain(empty, "false");
}

TEST_CASE("blatant spam carries the discard tip; the margin is configurable") {
    {
        AkismetServer server;
        const auto res = server.post_host("/1.1/comment-check", form("Se pillepris her"));
        check_plain(res, "true");
        CHECK(res->get_header_value("X-akismet-pro-tip") == "discard");  // 20 >= 10 + 5
    }
    {
        auto options = TestServer::quiet_options();
        options.akismet.discard_margin = 100;
        AkismetServer server(options);
        const auto res = server.post_host("/1.1/comment-check", form("Se pillepris her"));
        check_plain(res, "true");
        CHECK(!res->has_header("X-akismet-pro-tip"));
        // A rule with action = "spam" is blatant whatever the margin.
        const auto trap =
            server.post_host("/1.1/comment-check", form("Hei", "honeypot_field_name=a&a=b"));
        CHECK(trap->get_header_value("X-akismet-pro-tip") == "discard");
    }
}

TEST_CASE("a body over max_request_bytes is answered 413") {
    auto options = TestServer::quiet_options();
    options.max_request_bytes = 2048;
    AkismetServer server(options);
    const auto res = server.post_host("/1.1/comment-check", form(std::string(4000, 'a')));
    REQUIRE(res);
    CHECK(res->status == 413);
    CHECK(server.comment_count() == 0);
}

TEST_CASE(
    "text is stored as valid UTF-8: invalid bytes replaced, Latin-1 and Windows-1252 converted") {
    AkismetServer server;
    check_plain(
        server.post_host("/1.1/comment-check", form("x", "comment_content=Bl%E5b%E6r%FF%C3")),
        "false");
    CHECK(server.newest().body == "Bl\uFFFDb\uFFFDr\uFFFD\uFFFD");

    check_plain(server.post_host("/1.1/comment-check",
                                 form("x",
                                      "blog_charset=ISO-8859-1&comment_content=bl%E5b%E6r+%F8l"
                                      "&comment_author=%C6sa")),
                "false");
    CHECK(server.newest().body == "blåbær øl");
    CHECK(server.newest().name == "Æsa");

    check_plain(
        server.post_host("/1.1/comment-check",
                         form("x", "blog_charset=windows-1252&comment_content=%80+5+%93sitat%94")),
        "false");
    CHECK(server.newest().body == "€ 5 “sitat”");

    // Declared Latin-1 but sent as UTF-8 (a common misconfiguration): kept as it is.
    check_plain(server.post_host("/1.1/comment-check",
                                 form("x", "blog_charset=latin1&comment_content=bl%C3%A5b%C3%A6r")),
                "false");
    CHECK(server.newest().body == "blåbær");

    // The `akismet` npm client sends "Content-Type: charset=utf-8": still a form.
    const httplib::Headers headers = {{"Host", server.key + ".localhost"}};
    check_plain(
        server.client().Post("/1.1/comment-check", headers, form("Fin tekst"), "charset=utf-8"),
        "false");
    CHECK(server.newest().body == "Fin tekst");
}

TEST_CASE("submit-spam and submit-ham record labels and move a matching comment like a moderator") {
    AkismetServer server;
    check_plain(server.post_host("/1.1/comment-check", form("Kjøp billig her")), "false");
    const std::int64_t ham_id = server.newest().id;
    check_plain(server.post_host("/1.1/comment-check", form("Beste kasino")), "false");
    const std::int64_t held_id = server.newest().id;

    // The blog says the approved one was spam, and the held one was fine.
    check_plain(server.post_host("/1.1/submit-spam", form("Kjøp billig her")), kThanks);
    check_plain(server.post_field("/1.1/submit-ham", form("Beste kasino")), kThanks);
    // A report about a comment Vokter never saw is kept as a label only.
    check_plain(server.post_host("/1.1/submit-spam", form("Aldri sett før")), kThanks);

    auto db = server.store.read();
    CHECK(store::find_comment(*db, ham_id)->status == "spam");
    CHECK(store::find_comment(*db, held_id)->status == "approved");
    const auto history = store::comment_history(*db, ham_id);
    REQUIRE(history.size() == 1);
    CHECK(history[0].moderator == "akismet:blogg");
    CHECK(history[0].action == "spam");
    CHECK(history[0].old_status == "approved");
    CHECK(store::comment_history(*db, held_id).at(0).new_status == "approved");
    CHECK(store::count_akismet_labels(*db, "spam") == 2);
    CHECK(store::count_akismet_labels(*db, "ham") == 1);
    auto& unmatched = db->prepare(
        "SELECT count(*) FROM akismet_labels WHERE comment_id IS NULL AND body = 'Aldri sett før' "
        "AND ip = '192.0.2.10' AND email = 'kari@example.no' AND api_key = 'blogg'");
    unmatched.step();
    CHECK(unmatched.int64(0) == 1);
    unmatched.reset();
    // Still never public.
    CHECK(store::approved_counts(*db, {"https://blogg.example.no/innlegg/1"})[0].second == 0);
}

TEST_CASE("submit-spam and submit-ham teach the classifier, matched or not") {
    AkismetServer server;
    check_plain(server.post_host("/1.1/comment-check", form("Kjøp billig her")), "false");
    check_plain(server.post_host("/1.1/submit-spam", form("Kjøp billig her")), kThanks);
    check_plain(server.post_host("/1.1/submit-spam", form("Aldri sett før")), kThanks);
    check_plain(server.post_host("/1.1/submit-ham", form("Takk for et godt innlegg")), kThanks);
    server.store.wait_for_training();
    const core::ModelPtr model = server.store.classifier().current();
    CHECK(model->spam_messages() == 2);
    CHECK(model->ham_messages() == 1);
    CHECK(model->counts(core::feature_hash_of("w:billig")).spam == 1);
    CHECK(model->counts(core::feature_hash_of("w:aldri")).spam == 1);
    CHECK(model->counts(core::feature_hash_of("w:innlegg")).ham == 1);
    // A second report of the matched comment changes nothing: it already taught spam.
    check_plain(server.post_host("/1.1/submit-spam", form("Kjøp billig her")), kThanks);
    server.store.wait_for_training();
    CHECK(server.store.classifier().current()->counts(core::feature_hash_of("w:billig")).spam == 1);
}

TEST_CASE("a recheck of a stored comment is scored again without storing a second copy") {
    AkismetServer server;
    check_plain(server.post_host("/1.1/comment-check", form("Hei fra Bergen")), "false");
    check_plain(
        server.post_host("/1.1/comment-check", form("Hei fra Bergen", "recheck_reason=edit")),
        "false");
    CHECK(server.comment_count() == 1);
}

TEST_CASE("unknown fields are ignored and other routes keep answering problem+json") {
    AkismetServer server;
    check_plain(server.post_host("/1.1/comment-check",
                                 form("Hei",
                                      "POST_foo=bar&blog_lang=nb_NO&comment_parent=7"
                                      "&comment_date_gmt=2026-11-26T10:00:00Z&x=%ZZ")),
                "false");
    const auto missing = server.client().Post("/1.1/nope", "", "application/x-www-form-urlencoded");
    REQUIRE(missing);
    CHECK(missing->status == 404);
}
