#pragma once
// A Disqus export (Admin → Moderation → Export: the .xml.gz unpacked) as records for the importer,
// streamed with libxml2's reader.
//
// The file lists <thread>s, then <post>s, each keyed by its dsq:id attribute. Threads: <link>
// reduced to its path (and query) as for WordPress, or kept whole with `full_urls`; <title>.
// Posts: <message> (HTML, turned into plain text by html_to_text), <createdAt> (UTC), <author>
// <name> (or <username>) and <email>, <ipAddress>, <thread dsq:id>, <parent dsq:id> when it is a
// reply. <isSpam>true</isSpam> → spam, else <isDeleted>true</isDeleted> → rejected, else approved
// (a Disqus export holds no pending comments). Refused with line and element: XML that is not
// well-formed, another root than <disqus>, a post whose thread is not in the file before it, a
// date that is no date, an <isSpam> or <isDeleted> that is neither true nor false.

#include <string>

#include "app/import/importer.hpp"

namespace vokter::app {

struct DisqusOptions {
    bool full_urls = false;  // threads keyed by the page's whole URL instead of its path
};

ExportReader disqus_reader(std::string path, DisqusOptions options = {});

}  // namespace vokter::app
