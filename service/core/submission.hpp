#pragma once
// What a commenter sent, after parsing and validation by the http layer: every string is valid
// UTF-8 and within its length limit. Plain data, no behaviour.

#include <cstdint>
#include <optional>
#include <string>

namespace vokter::core {

struct Submission {
    std::string thread;  // normalised page URI
    std::string title;   // page title, may be empty
    std::optional<std::int64_t> parent;
    std::string name;
    std::string email;
    std::string website;
    std::string body;
    std::string ip;
    std::string user_agent;
    std::string referrer;
    std::string honeypot;  // the hidden form field; real readers leave it empty
};

}  // namespace vokter::core
