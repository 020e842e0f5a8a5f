#pragma once
// Vokter's comments as Isso's client reads them (Isso 0.13-0.14's HTTP API), and what it sends,
// without HTTP. The client inserts `author`, `website` and `text` into the page as HTML, so they
// leave here escaped (author, website) or rendered from Markdown to safe HTML (text). E-mails and
// addresses never leave: `hash`, from which the client draws an author's picture, is a keyed
// digest of the author's (public) name.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "store/comment_repository.hpp"

namespace vokter::http {

// Isso's modes: 1 published, 2 waiting for a moderator, 4 deleted (kept for its replies).
inline constexpr int kIssoPublished = 1;
inline constexpr int kIssoQueued = 2;
inline constexpr int kIssoDeleted = 4;

// One comment as the client shows it.
struct IssoComment {
    std::int64_t id = 0;
    std::optional<std::int64_t> parent;
    std::string author, website, text;  // as stored: plain name and URL, Markdown text
    int mode = kIssoPublished;
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;  // equal to created_ms when never edited
};

IssoComment isso_comment(const store::PublicComment& comment);
// A stored comment as its author sees it: pending and spam are "waiting" (mode 2).
IssoComment isso_comment(const store::StoredComment& comment);

// `plain`: the text as written instead of rendered (the client asks for it to edit).
nlohmann::json isso_comment_json(const IssoComment& comment, std::string_view hash_key,
                                 bool plain = false);

// GET / with its query: the thread's top-level comments from `offset` (at most `limit`), each
// with its first `nested_limit` replies, or with `parent`, the replies of that top-level comment.
struct IssoFetch {
    std::optional<std::int64_t> parent;
    std::int64_t offset = 0;
    std::optional<std::int64_t> limit;         // none: all
    std::optional<std::int64_t> nested_limit;  // none: all
    bool plain = false;
};

// `page`: every top-level comment of the thread with its replies (store::thread_page). Replies
// of any depth come flat under their top-level comment, oldest first, each naming its parent,
// as Isso lists them.
nlohmann::json isso_thread_json(const store::ThreadPage& page, const IssoFetch& fetch,
                                std::string_view hash_key);

// What GET /config tells the client; it overrides the page's data-isso-* settings.
nlohmann::json isso_config_json();

}  // namespace vokter::http
