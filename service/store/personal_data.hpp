#pragma once
// A reader's rights over what Vokter stores about them, found by their e-mail address (the one
// field a reader can prove is theirs): every stored field of their comments and of the Akismet
// reports that carry their address (GDPR art. 15), and their erasure (art. 17). The address is
// compared without regard to ASCII case (PostgreSQL: any case).
//
// Erasing empties name, e-mail, website, IP, user agent and referrer, and the rule hits' details
// (they quote the comment), of every such comment and report, and of training not yet applied
// (the classifier keeps counts of hashed features, never the text). With `bodies` the comments
// also lose their text and become tombstones ('deleted'), as a moderator's delete leaves them:
// their replies keep their place. Each comment erased gets an entry in the moderation log, and
// an export one entry of its own; no entry holds the address or any other erased data.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace vokter::store {

struct PersonalComment {
    std::int64_t id = 0;
    std::string thread;  // its page's URI
    std::optional<std::int64_t> parent;
    std::string name, email, website, body, ip, user_agent, referrer, status, source;
    std::int64_t created = 0;
    std::int64_t updated = 0;
};

struct PersonalReport {  // an Akismet submit-spam or submit-ham report, kept as training data
    std::int64_t id = 0;
    std::string label, blog, permalink, comment_type, name, email, website, body, ip, user_agent,
        referrer;
    std::optional<std::int64_t> comment_id;
    std::int64_t created = 0;
};

struct PersonalData {
    std::vector<PersonalComment> comments;  // oldest first
    std::vector<PersonalReport> reports;    // oldest first
    bool empty() const { return comments.empty() && reports.empty(); }
};

// Everything stored with `email`.
PersonalData personal_data(Connection& db, const std::string& email);

struct Erasure {
    std::int64_t comments = 0;
    std::int64_t reports = 0;
    std::int64_t training = 0;  // training jobs not yet applied
    bool empty() const { return comments + reports + training == 0; }
};

// Erases what is stored with `email` (see above), in the caller's write transaction; the log
// entries name `moderator`. Nothing is found (an empty Erasure) for an unknown address.
Erasure erase_personal_data(Connection& db, const std::string& email, bool bodies,
                            const std::string& moderator, std::int64_t now_ms);

// The moderation log's entry for an export: who asked and how much it held, not for whom.
void log_personal_data_export(Connection& db, const PersonalData& data,
                              const std::string& moderator, std::int64_t now_ms);

}  // namespace vokter::store
