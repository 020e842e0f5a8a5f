#pragma once
// A comment's Markdown as the HTML Isso's client shows (it inserts the text with innerHTML):
// CommonMark through Debian's libcmark in its safe mode, so no HTML of the writer's survives (raw
// HTML is left out) and no link or image points at javascript:, vbscript:, file: or data:. Images
// become links (a comment shows no pictures from elsewhere: no tracking pixels, nothing
// hot-linked), every link carries rel="nofollow noopener ugc", and a line break is kept as one.
// Stored text stays the Markdown the commenter wrote; this is only how it is shown.

#include <string>
#include <string_view>

namespace vokter::http {

std::string render_markdown(std::string_view text);

}  // namespace vokter::http
