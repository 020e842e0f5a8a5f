#pragma once
// Finds the links a comment body carries, however they are written: with a scheme
// (https://x.no/a), starting with www. (www.x.no), as a bare domain with a common top-level domain
// (x.com/offer), inside BBCode ([url=…]…[/url], [url]…[/url]) or an HTML anchor
// (<a href="…">). E-mail addresses are not links.

#include <string_view>
#include <vector>

namespace vokter::core {

struct Link {
    std::string_view text;  // the link as written, without surrounding quotes or punctuation
    std::string_view host;  // its host name as written (case kept), e.g. "www.Example.com"
};

// Every distinct link in `body`, in order of first appearance; views into `body`. The same link
// written twice (e.g. [url=X]X[/url]) is listed once. Allocates only the result.
std::vector<Link> find_links(std::string_view body);

// True when `host` (any case) is `domain` or a subdomain of it. `domain` must be lower case.
bool host_in_domain(std::string_view host, std::string_view domain);

// The host of a URL as written: "https://user@Host.example:80/path" -> "Host.example",
// "www.x.no/a" -> "www.x.no"; empty when there is none.
std::string_view url_host(std::string_view url);

// The domain of an e-mail address (after the last '@'); empty when there is no '@'.
std::string_view email_domain(std::string_view email);

// True when `tld` (any case) is one of the top-level domains a bare domain is recognised with.
bool is_common_tld(std::string_view tld);

}  // namespace vokter::core
