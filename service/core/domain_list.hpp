#pragma once
// A set of domains read from a list file (blocked domains, disposable e-mail providers). One domain
// per line; blank lines and text after '#' are ignored; entries are lower-cased. A host matches
// when it is a listed domain or any subdomain of one.

#include <string>
#include <string_view>
#include <unordered_set>

namespace vokter::core {

class DomainList {
  public:
    DomainList() = default;

    // Parses list file text. Never fails: lines that are not domain-shaped are skipped.
    static DomainList parse(std::string_view text);

    // True when `host` (any case, a trailing dot allowed) or one of its parent domains is listed.
    // Thread-safe on a const list.
    bool contains(std::string_view host) const;

    std::size_t size() const { return domains_.size(); }

  private:
    std::unordered_set<std::string> domains_;
};

}  // namespace vokter::core
