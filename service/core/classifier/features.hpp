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
#include <string>
#include <string_view>
#include <vector>

#include "core/normalise.hpp"
#include "core/submission.hpp"

namespace vokter::core {

// Bump when the features of a comment change (tokenizer, prefixes, hash): counts learned under
// another version no longer match the features of the comments they came from.
inline constexpr int kFeatureVersion = 1;

struct Feature {
    std::uint64_t hash = 0;    // feature_hash(its text); never 0
    std::uint32_t offset = 0;  // its text in FeatureSet::texts
    std::uint32_t length = 0;
};

// The features of one comment. Texts share one buffer, so extracting them allocates a few
// times per comment, not once per feature.
struct FeatureSet {
    std::vector<Feature> features;  // distinct, sorted by hash
    std::string texts;

    std::string_view text(const Feature& f) const { return {texts.data() + f.offset, f.length}; }
    std::vector<std::uint64_t> hashes() const;
};

// A stable 64-bit hash of a feature's text (FNV-1a, then mixed); never 0.
std::uint64_t feature_hash(std::string_view text);

// Every distinct feature of a submission. `normalised` must be normalise_submission(submission).
// Words longer than 40 bytes are skipped (pasted junk rarely repeats), and at most the first
// 1,000 words of the body are read.
FeatureSet extract_features(const Submission& submission, const NormalisedSubmission& normalised);

// The same, normalising the submission itself.
FeatureSet extract_features(const Submission& submission);

}  // namespace vokter::core
