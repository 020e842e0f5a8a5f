#pragma once
// `vokter export` and `vokter import vokter`: a Vokter database as JSON Lines, to move it to
// another machine, another store or another blog, and to keep outside the database.
//
// One JSON object per line (UTF-8, byte-exact text), in this order:
//   {"type":"vokter-export","version":1,"origin":"<16 hex>"}
//     origin: the database's own id (store setting "instance", made by its first export), which
//     tells a re-import of the same database's export from another one.
//   {"type":"thread","uri":"/2024/05/post","title":"…","closed":false}
//     each thread that has comments, in the order they were created.
//   {"type":"comment","id":12,"thread":"/2024/05/post","parent":null,"status":"approved",
//    "score":-1.5,"ruleset":"…","source":"api","name":"…","email":"…","website":"…","ip":"…",
//    "user_agent":"…","referrer":"…","body":"…","created":1714557600000,"updated":…,
//    "hits":[{"rule":"LINK_COUNT","score":2.0,"field":"body","detail":"3 links"}],
//    "moderation":[{"at":…,"moderator":"kari","action":"approve","from":"pending",
//                   "to":"approved","note":"…"}]}
//     every comment by id (a reply after its parent), with its verdict's rule hits and its
//     moderation log, oldest first. Times are Unix milliseconds (UTC).
// Not exported: edit tokens (secrets, and their windows are minutes long), what the classifier
// learned (its labels are the statuses and the log; `--learn` teaches them again), moderators and
// their tokens, Akismet API keys, and log entries of no comment.
//
// Importing into a database with no comments keeps every id, the origin and each comment's
// source, so export → import → export gives the same file byte for byte; into one with comments,
// the comments get new ids and keep their tree through import_keys, as any import.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "app/import/importer.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace vokter::app {

inline constexpr int kExportVersion = 1;

struct ExportSummary {
    std::string origin;
    std::int64_t threads = 0;
    std::int64_t comments = 0;
};

// Writes the whole database to `out` from one read snapshot (a running service keeps writing
// meanwhile; what it writes after the snapshot is not in the export).
ExportSummary export_comments(store::Store& store, std::ostream& out);

// Reads an export written by export_comments, from its start each time it is called. Refused
// with its line: no export header, a version this Vokter does not know, a line that is no JSON
// object or longer than 16 MiB, a field of the wrong type, a comment whose thread is not on a
// line before it.
ExportReader vokter_export_reader(std::string path);

}  // namespace vokter::app
