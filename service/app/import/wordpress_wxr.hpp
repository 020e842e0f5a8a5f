#pragma once
// A WordPress export (WXR 1.0–1.2, Tools → Export in wp-admin, or `wp export`) as records for
// the importer, streamed with libxml2's reader: memory stays bounded whatever the file's size.
//
// Threads: each <item>'s <link>, reduced to its path (and query) as the widget keys a page by
// default (location.pathname), or kept whole with `full_urls`; its <title> becomes the thread's.
// Comments: <wp:comment> with its id, parent (0: none), author, e-mail, URL, IP, user agent when
// the export has one (<wp:comment_agent>), <wp:comment_date_gmt> (or <wp:comment_date> read as
// UTC when the GMT date is 0000-00-00, as WordPress leaves it on some held comments) and the text
// of <wp:comment_content> byte for byte. <wp:comment_approved>: 1 approved, 0 pending, spam
// spam, trash and post-trashed (a comment of a post in the trash) rejected; any other value stops
// the import. Pingbacks, trackbacks and other types than comments are skipped and counted.
// Refused with line and element: a file that is not well-formed XML (truncated, invalid UTF-8),
// another root than <rss> with a <channel>, no <wp:wxr_version>, a comment outside an item, a date
// that is no date. Entities are not loaded from outside the file and nothing is fetched.

#include <string>

#include "app/import/importer.hpp"

namespace vokter::app {

struct WxrOptions {
    bool full_urls = false;  // threads keyed by the post's whole URL instead of its path
};

// Reads `path` from its start each time it is called (the importer's two passes).
ExportReader wordpress_wxr_reader(std::string path, WxrOptions options = {});

}  // namespace vokter::app
