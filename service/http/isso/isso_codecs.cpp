#include "http/isso/isso_codecs.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "http/isso/markdown.hpp"

namespace vokter::http {

namespace {

nlohmann::json seconds(std::int64_t ms) {
    return static_cast<double>(ms) / 1000.0;
}

// The picture's seed: FNV-1a over the key and the author's name, 12 hex digits. Names are public
// (shown beside the picture); the key only makes the seeds Vokter's own. Cheaper than an HMAC,
// which a page of 50 comments would pay 50 times.
std::string picture_hash(std::string_view key, std::string_view who) {
    std::uint64_t h = 14695981039346656037ULL;
    const auto mix = [&](std::string_view bytes) {
        for (const char c : bytes) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
    };
    mix(key);
    mix(std::string_view("\0", 1));
    mix(who);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex(12, '0');
    for (int i = 11; i >= 0; --i, h >>= 4)
        hex[static_cast<std::size_t>(i)] = kDigits[h & 0xF];
    return hex;
}

// The client puts a website into an href: only http(s) addresses go there (a posted comment's
// always is one; this guards what came in by other ways).
bool is_http_url(std::string_view url) {
    const std::string head = core::ascii_lower(url.substr(0, 8));
    return head.starts_with("http://") || head.starts_with("https://");
}

// Replies of any depth below `comment`, each after its parent, siblings oldest first.
void flatten(const store::PublicComment& comment, std::vector<const store::PublicComment*>& out) {
    for (const auto& reply : comment.replies) {
        out.push_back(&reply);
        flatten(reply, out);
    }
}

// The window [offset, offset + limit) of `all`, as JSON comments.
nlohmann::json window(const std::vector<const store::PublicComment*>& all, std::int64_t offset,
                      std::optional<std::int64_t> limit, std::string_view key, bool plain) {
    nlohmann::json out = nlohmann::json::array();
    const auto size = static_cast<std::int64_t>(all.size());
    const std::int64_t end = limit ? std::min(size, offset + *limit) : size;
    for (std::int64_t i = offset; i < end; ++i)
        out.push_back(
            isso_comment_json(isso_comment(*all[static_cast<std::size_t>(i)]), key, plain));
    return out;
}

std::int64_t hidden(std::size_t total, const nlohmann::json& shown, std::int64_t offset) {
    return std::max<std::int64_t>(
        0, static_cast<std::int64_t>(total) - static_cast<std::int64_t>(shown.size()) - offset);
}

}  // namespace

IssoComment isso_comment(const store::PublicComment& comment) {
    IssoComment c;
    c.id = comment.id;
    c.parent = comment.parent;
    c.created_ms = comment.created;
    c.updated_ms = comment.edited ? comment.updated : comment.created;
    if (comment.removed) {
        c.mode = kIssoDeleted;
    } else {
        c.author = comment.name;
        c.website = comment.website;
        c.text = comment.body;
    }
    return c;
}

IssoComment isso_comment(const store::StoredComment& comment) {
    IssoComment c;
    c.id = comment.id;
    c.parent = comment.parent;
    c.created_ms = comment.created;
    c.updated_ms = comment.updated;
    c.mode = comment.status == store::kApproved  ? kIssoPublished
             : comment.status == store::kDeleted ? kIssoDeleted
                                                 : kIssoQueued;
    if (c.mode != kIssoDeleted) {
        c.author = comment.name;
        c.website = comment.website;
        c.text = comment.body;
    }
    return c;
}

nlohmann::json isso_comment_json(const IssoComment& c, std::string_view hash_key, bool plain) {
    const std::string who = c.author.empty() ? "#" + std::to_string(c.id) : c.author;
    nlohmann::json doc = {
        {"id", c.id},
        {"parent", c.parent ? nlohmann::json(*c.parent) : nullptr},
        {"text", plain ? c.text : render_markdown(c.text)},
        {"author", c.author.empty() ? nullptr : nlohmann::json(core::html_escape(c.author))},
        {"website",
         is_http_url(c.website) ? nlohmann::json(core::html_escape(c.website)) : nullptr},
        {"mode", c.mode},
        {"created", seconds(c.created_ms)},
        {"modified", c.updated_ms != c.created_ms ? seconds(c.updated_ms) : nullptr},
        {"likes", 0},
        {"dislikes", 0},
        {"hash", picture_hash(hash_key, who)},
        {"notification", 0}};
    return doc;
}

nlohmann::json isso_thread_json(const store::ThreadPage& page, const IssoFetch& fetch,
                                std::string_view key) {
    nlohmann::json doc;
    if (fetch.parent) {
        std::vector<const store::PublicComment*> replies;
        const auto root = std::find_if(page.comments.begin(), page.comments.end(),
                                       [&](const auto& c) { return c.id == *fetch.parent; });
        if (root != page.comments.end()) flatten(*root, replies);
        doc["id"] = *fetch.parent;
        doc["total_replies"] = replies.size();
        doc["replies"] = window(replies, fetch.offset, fetch.limit, key, fetch.plain);
        doc["hidden_replies"] = hidden(replies.size(), doc["replies"], fetch.offset);
        return doc;
    }
    std::vector<const store::PublicComment*> roots;
    for (const auto& comment : page.comments)
        roots.push_back(&comment);
    doc["id"] = nullptr;
    doc["total_replies"] = page.total;
    doc["replies"] = window(roots, fetch.offset, fetch.limit, key, fetch.plain);
    doc["hidden_replies"] = hidden(roots.size(), doc["replies"], fetch.offset);
    // Each top-level comment shown, with its first replies.
    for (std::size_t i = 0; i < doc["replies"].size(); ++i) {
        const store::PublicComment& root = *roots[static_cast<std::size_t>(fetch.offset) + i];
        std::vector<const store::PublicComment*> replies;
        flatten(root, replies);
        nlohmann::json& shown = doc["replies"][i];
        shown["total_replies"] = replies.size();
        shown["replies"] = window(replies, 0, fetch.nested_limit, key, fetch.plain);
        shown["hidden_replies"] = hidden(replies.size(), shown["replies"], 0);
    }
    return doc;
}

nlohmann::json isso_config_json() {
    // Votes, reply notifications, Gravatar and feeds are Isso features Vokter does not keep;
    // saying so here turns them off in the client whatever the page's attributes say.
    return {{"config",
             {{"reply-to-self", false},
              {"require-email", false},
              {"require-author", false},
              {"reply-notifications", false},
              {"gravatar", false},
              {"avatar", true},
              {"vote", false},
              {"feed", false}}}};
}

}  // namespace vokter::http
