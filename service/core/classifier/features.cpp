#include "core/classifier/features.hpp"

#include <algorithm>

#include "core/links.hpp"
#include "core/text.hpp"

namespace vokter::core {

namespace {

constexpr std::size_t kMaxWordBytes = 40;
constexpr std::size_t kMaxBodyWords = 1000;

// Adds features to a FeatureSet; their texts go into its one buffer.
class Collector {
  public:
    explicit Collector(FeatureSet& set) : set_(set) {}

    void add(std::string_view prefix, std::string_view a, std::string_view b = {}) {
        const std::size_t offset = set_.texts.size();
        set_.texts.append(prefix);
        set_.texts.append(a);
        if (!b.empty()) {
            set_.texts += ' ';
            set_.texts.append(b);
        }
        const std::string_view text(set_.texts.data() + offset, set_.texts.size() - offset);
        set_.features.push_back(Feature{feature_hash(text), static_cast<std::uint32_t>(offset),
                                        static_cast<std::uint32_t>(text.size())});
    }

    void add_host(std::string_view prefix, std::string_view host) {
        std::string lower = ascii_lower(host);
        std::string_view h = lower;
        while (!h.empty() && h.back() == '.')
            h.remove_suffix(1);
        if (h.starts_with("www.")) h.remove_prefix(4);
        if (!h.empty()) add(prefix, h);
    }

  private:
    FeatureSet& set_;
};

std::string_view bucket(std::size_t n, std::size_t cap, std::string& scratch) {
    scratch = n >= cap ? std::to_string(cap) + "+" : std::to_string(n);
    return scratch;
}

// Length classes of a body: short praise ("Great post!") and pasted advertising stand apart.
std::string_view length_class(std::size_t chars) {
    if (chars < 20) return "<20";
    if (chars < 50) return "<50";
    if (chars < 100) return "<100";
    if (chars < 250) return "<250";
    if (chars < 1000) return "<1000";
    return "1000+";
}

}  // namespace

std::uint64_t feature_hash(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    // A finaliser spreads FNV's weak low bits, which index the count tables.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h == 0 ? 1 : h;
}

std::vector<std::uint64_t> FeatureSet::hashes() const {
    std::vector<std::uint64_t> out;
    out.reserve(features.size());
    for (const Feature& f : features)
        out.push_back(f.hash);
    return out;
}

FeatureSet extract_features(const Submission& submission, const NormalisedSubmission& normalised) {
    FeatureSet set;
    set.texts.reserve(normalised.body.folded.size() * 3 + 256);
    set.features.reserve(normalised.body.folded.size() / 3 + 32);
    Collector add(set);
    std::string scratch;

    const std::vector<std::string_view> body = words(normalised.body.folded);
    std::string_view previous;
    std::size_t counted = 0;
    for (const std::string_view word : body) {
        if (++counted > kMaxBodyWords) break;
        if (word.size() > kMaxWordBytes) {
            previous = {};
            continue;
        }
        add.add("w:", word);
        if (!previous.empty()) add.add("b:", previous, word);
        previous = word;
    }

    const std::vector<std::string_view> name = words(normalised.name.folded);
    for (const std::string_view word : name) {
        if (word.size() <= kMaxWordBytes) add.add("n:", word);
    }
    add.add("m:name-words=", bucket(name.size(), 5, scratch));

    const std::vector<Link> links = find_links(submission.body);
    for (const Link& link : links)
        add.add_host("u:", link.host);
    add.add("m:links=", bucket(links.size(), 3, scratch));

    if (submission.website.empty()) {
        add.add("m:no-website", "");
    } else {
        add.add("m:website", "");
        add.add_host("s:", url_host(submission.website));
    }
    if (submission.email.empty()) {
        add.add("m:no-email", "");
    } else {
        add.add_host("e:", email_domain(submission.email));
    }
    add.add("m:length", length_class(count_code_points(submission.body)));

    std::sort(set.features.begin(), set.features.end(),
              [](const Feature& a, const Feature& b) { return a.hash < b.hash; });
    set.features.erase(
        std::unique(set.features.begin(), set.features.end(),
                    [](const Feature& a, const Feature& b) { return a.hash == b.hash; }),
        set.features.end());
    return set;
}

FeatureSet extract_features(const Submission& submission) {
    return extract_features(submission, normalise_submission(submission));
}

}  // namespace vokter::core
