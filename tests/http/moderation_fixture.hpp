#pragma once
// A test server with a moderator account, helpers to call the moderator API with its token, and
// a way to store comments with a chosen status, score, time and rule hits directly (as the rules
// would have) so that queue, decision and statistics tests work on a known data set.

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "http/crypto.hpp"
#include "http/log.hpp"
#include "http/test_server.hpp"
#include "store/comment_repository.hpp"
#include "store/moderators.hpp"

namespace vokter::test {

inline std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Seed {
    std::string thread = "/blogg/innlegg";  // normalised, as the API stores it
    std::string status = "pending";
    double score = 0;
    std::string body = "En kommentar";
    std::string name = "Kari";
    std::string email = "";
    std::string website = "";
    std::string ip = "192.0.2.1";
    std::optional<std::int64_t> parent = std::nullopt;
    std::int64_t created = 0;  // 0: now
    std::vector<core::Hit> hits = {};
};

// Adds moderator `name` to `store` and returns their new token.
inline std::string add_moderator(store::Store& store, const std::string& name) {
    const std::string token = http::random_hex(32);
    store.writer().run([&](store::Connection& db) {
        store::add_moderator(db, name, http::sha256(token), wall_ms());
    });
    return token;
}

// Stores a comment as `seed` describes; returns its id.
inline std::int64_t seed_comment(store::Store& store, const Seed& seed) {
    store::NewComment comment;
    comment.submission.thread = seed.thread;
    comment.submission.body = seed.body;
    comment.submission.name = seed.name;
    comment.submission.email = seed.email;
    comment.submission.website = seed.website;
    comment.submission.ip = seed.ip;
    comment.submission.user_agent = "TestAgent/1.0";
    comment.submission.parent = seed.parent;
    comment.status = seed.status;
    comment.verdict.score = seed.score;
    comment.verdict.hits = seed.hits;
    comment.verdict.ruleset_version = "test-1";
    comment.created = seed.created ? seed.created : wall_ms();
    return store.writer().run([&](store::Connection& db) {
        if (seed.parent) {
            const auto parent = store::find_parent(db, *seed.parent);
            comment.root_id = parent->root_id;
            comment.depth = parent->depth + 1;
        }
        return store::insert_comment(db, comment);
    });
}

struct ModerationServer : TestServer {
    explicit ModerationServer(http::ServerOptions options = quiet_options(), bool classifier = true)
        : TestServer(std::move(options), core::approve_all_ruleset(), classifier),
          token(add_moderator(store, "kari")) {}

    httplib::Headers auth(const std::string& with = "") const {
        return {{"Authorization", "Bearer " + (with.empty() ? token : with)}};
    }

    httplib::Result get(const std::string& path) const { return client().Get(path, auth()); }

    // GET that must answer 200; returns the JSON body.
    nlohmann::json get_ok(const std::string& path) const {
        const auto res = get(path);
        REQUIRE(res);
        REQUIRE_MESSAGE(res->status == 200, std::string(path + " -> " + res->body));
        return json_of(res);
    }

    httplib::Result post_json(const std::string& path, const nlohmann::json& doc) const {
        return client().Post(path, auth(), doc.dump(), "application/json");
    }

    // POST /api/moderation/decisions that must answer 200; returns the results.
    nlohmann::json decide(const std::vector<std::int64_t>& ids, const std::string& action,
                          const std::string& note = "") const {
        nlohmann::json doc = {{"ids", ids}, {"action", action}};
        if (!note.empty()) doc["note"] = note;
        const auto res = post_json("/api/moderation/decisions", doc);
        REQUIRE(res);
        REQUIRE_MESSAGE(res->status == 200, res->body);
        return json_of(res)["results"];
    }

    std::int64_t seed(const Seed& s) { return seed_comment(store, s); }

    std::string token;
};

// The ids of a queue answer's items, in order.
inline std::vector<std::int64_t> ids_of(const nlohmann::json& page) {
    std::vector<std::int64_t> ids;
    for (const auto& item : page["items"])
        ids.push_back(item["id"].get<std::int64_t>());
    return ids;
}

}  // namespace vokter::test
