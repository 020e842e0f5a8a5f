#pragma once
// The features the classifier learns from and scores: what a comment says and who sent it,
// each prefixed by the field it came from, so "casino" in a name and "casino" in a body are
// learned apart. Pure; the same comment always gives the same features, on every build and
// machine, because their hashes are stored (store/classifier_repository) and untraining a comment
// must find exactly the counts its training changed.
//
//   prefix  from                      example
//   w:      body words                w:auspicious
//   b:      body word pairs           b:auspicious writeup
//   n:      name words                n:cheap
//   u:      hosts of body links       u:bit.ly
//   s:      the website's host        s:fiverr.com
//   e:      the e-mail's domain       e:gmail.com
//   m:      shape of the submission   m:website, m:no-email, m:links=2, m:name-words=4
//
// Hosts and domains are lower-cased with a leading "www." dropped; words come from the
// normalised, case-folded text (core/normalise.hpp), so homoglyphs and zero-width characters do
// not make new features.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/links.hpp"
#include "core/normalise.hpp"
#include "core/submission.hpp"

namespace vokter::core {

// Bump when the features of a comment change (tokenizer, prefixes, hash): counts learned under
// another version no longer match the features of the comments they came from.
inline constexpr int kFeatureVersion = 1;

struct Feature {
    std::uint64_t hash = 0;   // feature_hash(prefix, first, second); never 0
    std::string_view prefix;  // "w:", "b:", "n:", "u:", "s:", "e:" or an "m:…=" shape name
    std::string_view first;   // the word, host, domain or shape value
    std::string_view second;  // a word pair's second word; empty otherwise
};

// The text of a feature as explanations show it: "w:word", "b:first second", "m:links=2".
std::string feature_text(const Feature& feature);

// The features of one comment. Features view the texts they came from (the normalised
// submission, and lower-cased hosts kept in `owned`), so a FeatureSet is only valid while those
// live: extract_features(FeatureSource) needs its source to outlive the set, and
// extract_features(Submission) keeps what it normalised inside the set.
struct FeatureSet {
    std::vector<Feature> features;  // distinct by hash, in the order first seen
    std::vector<std::unique_ptr<std::string>> owned;
    std::unique_ptr<const NormalisedSubmission> normalised;  // extract_features(Submission) only
    std::vector<std::string_view> body_words, name_words;    // the same

    std::vector<std::uint64_t> hashes() const;
};

// A stable 64-bit hash of a string: the same on every build and machine (8-byte chunks read in
// little-endian order, mixed with fixed constants). Stored counts depend on it.
std::uint64_t text_hash(std::string_view text);

// A feature's hash from its parts' text_hash()es; never 0. A pair's order matters.
std::uint64_t feature_hash(std::uint64_t prefix, std::uint64_t first, std::uint64_t second = 0);

// The hash of the feature whose text is `text` as feature_text() writes it ("w:viagra",
// "b:cheap pills", "m:links=2"), for tests and tools that name a feature.
std::uint64_t feature_hash_of(std::string_view text);

// What features are made of, computed once per evaluation and shared with the heuristics.
struct FeatureSource {
    const Submission& submission;
    const NormalisedSubmission& normalised;        // normalise_submission(submission)
    std::span<const std::string_view> body_words;  // words(normalised.body.folded)
    std::span<const std::string_view> name_words;  // words(normalised.name.folded)
    std::span<const Link> links;                   // find_links(submission.body)
};

// Every distinct feature of a submission. Words longer than 40 bytes are skipped (pasted junk
// rarely repeats), and at most the first 1,000 words of the body are read. `source` must outlive
// the result.
FeatureSet extract_features(const FeatureSource& source);

// The same, normalising the submission itself; the result is self-contained.
FeatureSet extract_features(const Submission& submission);

}  // namespace vokter::core
