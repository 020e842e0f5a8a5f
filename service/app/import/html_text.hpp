#pragma once
// A comment that an export keeps as HTML (Disqus writes every message as <p>…</p>) turned into
// the plain text Vokter stores, read with libxml2's HTML parser: paragraphs and other blocks become
// blank-line-separated, <br> a line break, runs of white space one space (kept inside <pre>),
// entities decoded, scripts and styles dropped. A link keeps its text and, when the text is not
// the address itself, the address in brackets after it: "docs (https://example.com/docs)", so the
// rules still see every link. A link through Disqus's redirector (disq.us/url?url=…) is given as
// the address it leads to.

#include <string>
#include <string_view>

namespace vokter::app {

std::string html_to_text(std::string_view html);

// The address behind a Disqus redirect link, or `href` itself when it is none.
std::string unwrap_disqus_link(std::string_view href);

}  // namespace vokter::app
