#include "core/classifier/features.hpp"

#include <array>
#include <bit>
#include <cstring>

#include "core/text.hpp"

namespace vokter::core {

namespace {

constexpr std::size_t kMaxWordBytes = 40;
constexpr std::size_t kMaxBodyWords = 1000;

constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;

// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
std::uint64_t fmix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

// Up to eight bytes as a little-endian number (missing high bytes 0), whatever the machine's
// byte order.
std::uint64_t load_le(const char* p, std::size_t n) {
    std::uint64_t v = 0;
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(&v, p, n);
    } else {
        for (std::size_t i = 0; i < n; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    }
    return v;
}

// The shape values are static strings, so features may view them.
constexpr std::array<std::string_view, 6> kCounts = {"0", "1", "2", "3", "4", "5"};
std::string_view bucket(std::size_t n, std::size_t cap) {
    static const std::array<std::string_view, 6> capped = {"0+", "1+", "2+", "3+", "4+", "5+"};
    return n >= cap ? capped[cap] : kCounts[n];
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

// Collects features, each hash once (in the order first seen), through a small open-addressing
// set of the hashes taken.
class Collector {
  public:
    explicit Collector(FeatureSet& set, std::size_t expected) : set_(set) {
        std::size_t slots = 64;
        while (slots < expected + expected / 2)
            slots <<= 1;
        seen_.assign(slots, 0);
        set_.features.reserve(expected);
    }

    // `prefix_hash` is text_hash(prefix); `first_hash` and `second_hash` those of the parts.
    void add(std::string_view prefix, std::uint64_t prefix_hash, std::string_view first,
             std::uint64_t first_hash, std::string_view second = {},
             std::uint64_t second_hash = 0) {
        const std::uint64_t hash = feature_hash(prefix_hash, first_hash, second_hash);
        if (set_.features.size() * 4 >= seen_.size() * 3) grow();  // at most 3/4 full
        std::size_t i = static_cast<std::size_t>(hash) & (seen_.size() - 1);
        while (seen_[i] != 0) {
            if (seen_[i] == hash) return;
            i = (i + 1) & (seen_.size() - 1);
        }
        seen_[i] = hash;
        set_.features.push_back(Feature{hash, prefix, first, second});
    }

    void add(std::string_view prefix, std::string_view first) {
        add(prefix, text_hash(prefix), first, text_hash(first));
    }

    // A host lower-cased, without a trailing dot and a leading "www.".
    void add_host(std::string_view prefix, std::string_view host) {
        auto lower = std::make_unique<std::string>(ascii_lower(host));
        std::string_view h = *lower;
        while (!h.empty() && h.back() == '.')
            h.remove_suffix(1);
        if (h.starts_with("www.")) h.remove_prefix(4);
        if (h.empty()) return;
        set_.owned.push_back(std::move(lower));
        add(prefix, h);
    }

  private:
    void grow() {
        std::vector<std::uint64_t> old;
        old.swap(seen_);
        seen_.assign(old.size() * 2, 0);
        for (const std::uint64_t hash : old) {
            if (hash == 0) continue;
            std::size_t i = static_cast<std::size_t>(hash) & (seen_.size() - 1);
            while (seen_[i] != 0)
                i = (i + 1) & (seen_.size() - 1);
            seen_[i] = hash;
        }
    }

    FeatureSet& set_;
    std::vector<std::uint64_t> seen_;
};

}  // namespace

std::uint64_t text_hash(std::string_view text) {
    std::uint64_t h = 0x243F6A8885A308D3ull ^ (text.size() * kMul);
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        h = (h ^ load_le(text.data() + i, 8)) * kMul;
        h ^= h >> 29;
    }
    if (i < text.size()) {
        h = (h ^ load_le(text.data() + i, text.size() - i)) * kMul;
        h ^= h >> 29;
    }
    return fmix(h);
}

std::uint64_t feature_hash(std::uint64_t prefix, std::uint64_t first, std::uint64_t second) {
    std::uint64_t h = fmix(prefix ^ std::rotl(first, 21));
    if (second != 0) h = fmix(h ^ (second * kMul));
    return h == 0 ? 1 : h;
}

std::uint64_t feature_hash_of(std::string_view text) {
    std::string_view prefix, first, second;
    if (text.starts_with("m:")) {
        const auto eq = text.find('=');
        prefix = eq == std::string_view::npos ? text : text.substr(0, eq + 1);
        first = eq == std::string_view::npos ? std::string_view{} : text.substr(eq + 1);
    } else {
        prefix = text.substr(0, std::min<std::size_t>(2, text.size()));
        first = text.substr(prefix.size());
        if (prefix == "b:") {
            const auto space = first.find(' ');
            if (space != std::string_view::npos) {
                second = first.substr(space + 1);
                first = first.substr(0, space);
            }
        }
    }
    return feature_hash(text_hash(prefix), text_hash(first),
                        second.empty() ? 0 : text_hash(second));
}

std::string feature_text(const Feature& f) {
    std::string out;
    out.reserve(f.prefix.size() + f.first.size() + f.second.size() + 1);
    out.append(f.prefix).append(f.first);
    if (!f.second.empty()) out.append(" ").append(f.second);
    return out;
}

std::vector<std::uint64_t> FeatureSet::hashes() const {
    std::vector<std::uint64_t> out;
    out.reserve(features.size());
    for (const Feature& f : features)
        out.push_back(f.hash);
    return out;
}

FeatureSet extract_features(const FeatureSource& source) {
    static const std::uint64_t kWord = text_hash("w:");
    static const std::uint64_t kPair = text_hash("b:");
    static const std::uint64_t kName = text_hash("n:");
    const Submission& submission = source.submission;
    FeatureSet set;
    const std::size_t body_words = std::min(source.body_words.size(), kMaxBodyWords);
    Collector add(set, 2 * body_words + source.name_words.size() + source.links.size() + 8);

    std::string_view previous;
    std::uint64_t previous_hash = 0;
    for (std::size_t i = 0; i < body_words; ++i) {
        const std::string_view word = source.body_words[i];
        if (word.size() > kMaxWordBytes) {
            previous = {};
            continue;
        }
        const std::uint64_t hash = text_hash(word);
        add.add("w:", kWord, word, hash);
        if (!previous.empty()) add.add("b:", kPair, previous, previous_hash, word, hash);
        previous = word;
        previous_hash = hash;
    }

    for (const std::string_view word : source.name_words) {
        if (word.size() <= kMaxWordBytes) add.add("n:", kName, word, text_hash(word));
    }
    add.add("m:name-words=", bucket(source.name_words.size(), 5));

    for (const Link& link : source.links)
        add.add_host("u:", link.host);
    add.add("m:links=", bucket(source.links.size(), 3));

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
    add.add("m:length=", length_class(count_code_points(submission.body)));
    return set;
}

FeatureSet extract_features(const Submission& submission) {
    auto normalised =
        std::make_unique<const NormalisedSubmission>(normalise_submission(submission));
    std::vector<std::string_view> body = words(normalised->body.folded);
    std::vector<std::string_view> name = words(normalised->name.folded);
    const std::vector<Link> links = find_links(submission.body);
    FeatureSet set = extract_features(FeatureSource{submission, *normalised, body, name, links});
    set.normalised = std::move(normalised);
    set.body_words = std::move(body);
    set.name_words = std::move(name);
    return set;
}

}  // namespace vokter::core
