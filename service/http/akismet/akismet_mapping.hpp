#pragma once
// Maps the fields of an Akismet REST API request onto the Submission the rules score, the same
// struct POST /api/comments builds, so Akismet clients get the same rules, facts and verdicts.
// Lenient where the public API is strict (Akismet clients cannot show a 422 to anyone), but the
// contract of core::Submission holds: every string is valid UTF-8 within its length limit.

#include <string>
#include <string_view>

#include "core/submission.hpp"
#include "http/akismet/akismet_form.hpp"
#include "http/submission_parser.hpp"

namespace vokter::http {

struct AkismetComment {
    // thread:   permalink normalised as threads are, else the blog URL, else the key's blog,
    //           else "/";
    // body:     comment_content; name, email, website: comment_author, comment_author_email,
    //           comment_author_url (normalised when it is an http(s) URL);
    // ip:       user_ip (the commenter's, not the caller's address); user_agent, referrer;
    // honeypot: the value of the field that honeypot_field_name names.
    // parent stays empty: comment_parent is an id of the client's own database.
    core::Submission submission;
    std::string blog;            // as sent (UTF-8)
    std::string permalink;       // as sent (UTF-8)
    std::string comment_type;    // "comment", "forum-post", …
    bool is_test = false;        // is_test given and not "0"/"false": score, but store nothing
    bool administrator = false;  // user_role=administrator: never spam, not scored
    bool recheck = false;        // recheck_reason given: the client asks about it again
};

// Builds the comment from `fields`. Text is converted to UTF-8 from the charset the request
// declares (blog_charset, else `content_type_charset`, else UTF-8; see to_utf8()), control
// characters are dropped (the body keeps tab and newlines), surrounding spaces are trimmed from
// one-line fields, and over-long fields are cut at a character boundary to `limits` (user agent
// 512 bytes, referrer 1024, IP 64). Never throws.
AkismetComment map_akismet_comment(const AkismetFields& fields,
                                   std::string_view content_type_charset,
                                   const SubmissionLimits& limits, const std::string& key_blog);

// True when `value` turns an Akismet flag on: not empty and not "0", "false" or "no".
bool akismet_flag(std::string_view value);

}  // namespace vokter::http
