#pragma once
// `vokter import FORMAT FILE`: moves a blog's comments to Vokter with their moderation labels
// (approved, pending, spam and rejected alike: they are what the classifier learns from).
//
// A reader of one export format (wordpress_wxr.hpp, …) streams the file's records to a visitor;
// the importer runs it twice. The first pass only checks: a malformed file (a syntax error, an
// unknown status, a record without its thread) stops the import with the line and element before
// anything is written. The second pass writes through the store's writer, one transaction per
// batch, so a running `vokter serve` on the same database keeps answering meanwhile.
// Idempotent: each imported record's source and id are kept (schema/sqlite/0010_import_keys.sql),
// and a record imported before is counted as such and left alone, so importing the same file twice,
// or a later export of the same blog, adds only what is new. Replies keep their parent when the
// parent is in the export or was imported before; a reply whose parent is in neither is attached to
// its thread as a top-level comment and counted. A reply deeper than max_depth attaches to the
// ancestor at that depth, as a posted one does. Websites that are no http(s) URL are dropped (pages
// link them). A record that differs in the second pass from the first (a database in use) is left
// out and counted; when the second pass fails, what was written stays and the error says how much
// ("import_partial"). Imported comments keep the status the source gave them; the rules do not
// score them (a verdict needs the facts of the moment the comment was posted), so they carry score
// 0 and no hits, except from a Vokter export, which keeps its verdicts and moderation log. With
// `learn`, approved comments teach ham and spam comments teach spam, through the outbox like a
// moderator's decisions (each can be unlearned by a later decision).

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/verdict.hpp"
#include "store/moderation_repository.hpp"
#include "store/store.hpp"

namespace vokter::app {

// One record of an export, as a reader gives it.
struct ImportedComment {
    std::string external_id;         // its id in the source, unique there
    std::string parent_external_id;  // empty for a top-level comment
    std::string thread_uri;          // as threads are keyed (normalise_thread_uri)
    std::string thread_title;
    std::string name, email, website, ip, user_agent, body;
    std::string status;  // approved, pending, spam, rejected or deleted (kept as an empty marker)
    std::int64_t created_ms = 0;
    std::string where;  // where it is in the file, for errors: "export.xml:120 <wp:comment>"
    // Non-empty: the record is not a comment to import, for this reason ("pingback"); counted.
    std::string skip;

    // What a Vokter export carries besides (vokter_export.hpp); other readers leave them empty.
    std::string referrer;
    std::string origin;           // how it came to Vokter there: "api", "akismet", "import"
    core::Verdict verdict;        // score, rule hits and ruleset version; empty: score 0
    std::int64_t updated_ms = 0;  // 0: when created
    bool thread_closed = false;
    std::vector<store::LogEntry> history;  // its moderation log, oldest first
};

// What a reader reports, with `visit` called once per record in file order. `source` names the
// export's origin (the format and the site it came from) for import_keys.
struct ReadOutcome {
    std::string source;
    // The records' ids are Vokter ids: kept when the database has no comments yet, so a Vokter
    // database moved through its export keeps its ids (and links to its comments). Then
    // `origin` becomes the database's own (store setting "instance"), as a move keeps it.
    bool vokter_ids = false;
    std::string origin;
};
using ImportVisitor = std::function<void(ImportedComment&&)>;
using ExportReader = std::function<Result<ReadOutcome>(const ImportVisitor&)>;

struct ImportOptions {
    bool learn = false;
    std::optional<std::string> source;  // overrides the reader's, e.g. after a blog moved
    bool progress = false;              // a progress line on `err` (the CLI: when it is a terminal)
    std::size_t batch = 500;            // records per write transaction (and 32 MiB of text)
    int max_depth = 5;                  // deeper replies attach higher up, as posted ones do
};

struct ImportSummary {
    std::string source;
    std::map<std::string, std::int64_t> imported;  // per status
    std::int64_t already_imported = 0;
    std::map<std::string, std::int64_t> skipped;  // per reason
    std::int64_t orphans = 0;                     // replies attached to their thread instead
    std::int64_t renumbered = 0;  // kept ids another writer had taken meanwhile: new ones
    std::int64_t learned = 0;
    std::int64_t total_imported() const;
};

inline constexpr std::size_t kThreadUriBytes = 1024;  // as the public API allows

// A post's link as the thread its comments belong to: its path and query, as the widget keys a
// page by default (location.pathname), or the whole URL with `full_urls`; normalised as the public
// API normalises thread URIs. nullopt when it is no http(s) URL or path.
std::optional<std::string> thread_from_link(std::string_view link, bool full_urls);

// Checks the whole export, then imports it. Errors: the reader's (nothing is written then).
Result<ImportSummary> import_comments(store::Store& store, const ExportReader& reader,
                                      const ImportOptions& options, std::ostream& err);

// The summary as the CLI prints it.
void print_summary(const ImportSummary& summary, std::ostream& out);

}  // namespace vokter::app
