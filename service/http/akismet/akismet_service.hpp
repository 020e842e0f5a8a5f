#pragma once
// The use cases of the Akismet-compatible API, independent of HTTP: look up an API key, check a
// comment, record a spam or ham report. Checking uses the same facts (store::gather_context),
// the same ruleset snapshot and core::evaluate as POST /api/comments.
//
// Storage: a checked comment is stored with its verdict, hits and ruleset version, source
// 'akismet', with the status its verdict gives (approved, pending or spam), so moderators see it
// in the queue and the stats. It is never published: it is filed under the thread
// "akismet:" + its page URI, which the public API cannot ask for (public thread URIs start with
// "/" or "http"), so GET /api/comments and /api/counts never show it, even after a moderator
// approves it. Thread-safe: one instance serves every request thread.

#include <cstdint>
#include <optional>
#include <string>

#include "core/active_ruleset.hpp"
#include "core/verdict.hpp"
#include "http/akismet/akismet_mapping.hpp"
#include "store/api_keys.hpp"
#include "store/store.hpp"

namespace vokter::http {

struct AkismetOptions {
    // A spam verdict is "blatant" (answered with `X-akismet-pro-tip: discard`) when its score is
    // at least the ruleset's spam threshold plus this margin, or when a rule with
    // `action = "spam"` hit (the honeypot heuristic, for one).
    double discard_margin = 5.0;
};

struct AkismetCheck {
    bool spam = false;                      // answer "true"
    bool discard = false;                   // blatant: add X-akismet-pro-tip: discard
    bool scored = false;                    // false for administrators, who are never scored
    std::optional<std::int64_t> stored_id;  // the comment stored, if one was
    core::Verdict verdict;
};

// The thread a comment checked through the Akismet API is stored under (see above).
std::string akismet_thread(const std::string& thread);

// True when `verdict` (from `ruleset`) is blatant spam as AkismetOptions describes.
bool is_blatant(const core::Ruleset& ruleset, const core::Verdict& verdict, double margin);

class AkismetService {
  public:
    AkismetService(store::Store& store, core::ActiveRuleset& rules, AkismetOptions options)
        : store_(store), rules_(rules), options_(options) {}

    // The key whose value is `key` (compared by SHA-256, in constant time), or empty. Empty keys
    // and keys longer than 256 bytes are never valid.
    std::optional<store::ApiKey> find_key(std::string_view key);

    // Scores `comment` and stores it (see above) unless it is a test (is_test), comes from an
    // administrator (answered ham without scoring), or is a recheck of a comment stored already
    // (recheck_reason, same body, IP and author). Returns after the comment is durable. Throws
    // StoreError when the database fails.
    AkismetCheck check(const AkismetComment& comment, std::int64_t now_ms);

    // Records a label (`spam` true for submit-spam, false for submit-ham) with the comment's
    // fields, reported through `key`. When a comment checked earlier matches (same body, IP and
    // author), its status moves to spam or approved through the moderators' path, logged as
    // moderator "akismet:KEYNAME", so it counts in the stats and the rules' agreement figures.
    // A test (is_test) records nothing. Returns the matched comment's id, if any.
    std::optional<std::int64_t> report(const AkismetComment& comment, const store::ApiKey& key,
                                       bool spam, std::int64_t now_ms);

    const AkismetOptions& options() const { return options_; }

  private:
    store::Store& store_;
    core::ActiveRuleset& rules_;
    AkismetOptions options_;
};

}  // namespace vokter::http
