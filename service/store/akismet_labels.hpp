#pragma once
// SQL for the Akismet-compatible API beyond API keys: finding the stored comment a client's
// report is about, and keeping the labels clients report (submit-spam, submit-ham). Readers take
// a connection from Store::read(); writers run inside Writer::run(). Times are Unix ms.

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace vokter::store {

// The source stored with comments checked through the Akismet-compatible API.
inline constexpr const char* kAkismetSource = "akismet";

// The newest comment stored through the Akismet API (source 'akismet', not deleted) with exactly
// this body, IP and author name; empty when there is none. Uses the body fingerprint index.
std::optional<std::int64_t> find_akismet_comment(Connection& db, const std::string& body,
                                                 const std::string& ip, const std::string& name);

struct AkismetLabel {
    std::string api_key;                     // the key's name
    std::string label;                       // "spam" or "ham"
    std::optional<std::int64_t> comment_id;  // the stored comment it matched, if any
    std::string blog, permalink, comment_type;
    std::string name, email, website, body, ip, user_agent, referrer;
    std::int64_t created = 0;
};

// Stores one label; returns its id. Throws StoreError for a label other than spam or ham.
std::int64_t insert_akismet_label(Connection& db, const AkismetLabel& label);

// How many labels are stored with `label` ("spam" or "ham"), for tests and reports.
std::int64_t count_akismet_labels(Connection& db, const std::string& label);

}  // namespace vokter::store
