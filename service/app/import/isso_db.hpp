#pragma once
// An Isso database (the SQLite file its `[general] dbpath` names, schema version 5: Isso 0.13 and
// later) as records for the importer. The file is opened read-only and never changed, so it can be
// imported while Isso still runs on it.
//
// Threads: `threads.uri` as Isso keys them (the page's path, or data-isso-id), normalised as the
// public API normalises thread URIs, and `threads.title`. Comments: `text` as written (Isso keeps
// the Markdown the reader typed, not its HTML), `author`, `email`, `website`, `remote_addr` (Isso
// stores it already truncated: 192.0.2.0, 2001:db8::), `created` (Unix time as a float) and
// `parent`. `mode` 1 approved, 2 pending, 4 deleted (Isso keeps a deleted comment that has
// replies as an empty row; Vokter keeps it as its own deleted marker); any other mode stops the
// import. The source is "isso" with a digest of the database's own session key, so two Isso
// sites stay apart and the key itself goes nowhere.
// Refused: a file that is not an SQLite database, or one without Isso's tables, or of another
// schema version (PRAGMA user_version), a comment whose thread is missing.

#include <string>

#include "app/import/importer.hpp"

namespace vokter::app {

inline constexpr int kIssoSchemaVersion = 5;

ExportReader isso_db_reader(std::string path);

}  // namespace vokter::app
