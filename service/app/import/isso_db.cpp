#include "app/import/isso_db.hpp"

#include <cmath>
#include <optional>

#include "core/utf8_scan.hpp"
#include "http/crypto.hpp"
#include "http/submission_parser.hpp"
#include "store/comment_repository.hpp"
#include "store/database.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace vokter::app {

namespace {

std::optional<std::string> status_of_mode(std::int64_t mode) {
    switch (mode) {
        case 1:
            return std::string(store::kApproved);
        case 2:
            return std::string(store::kPending);
        case 4:
            return std::string(store::kDeleted);
        default:
            return std::nullopt;
    }
}

bool has_table(store::Connection& db, const char* name) {
    auto& stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
    stmt.bind(1, name);
    const bool found = stmt.step();
    stmt.reset();
    return found;
}

std::string source_of(store::Connection& db) {
    auto& stmt = db.prepare("SELECT value FROM preferences WHERE key = 'session-key'");
    std::string source = "isso";
    if (stmt.step() && !stmt.is_null(0))
        source += " " + http::to_hex(http::sha256(stmt.text_view(0))).substr(0, 16);
    stmt.reset();
    return source;
}

Result<ReadOutcome> read_isso(const std::string& path, const ImportVisitor& visit) {
    std::optional<store::SqliteConnection> db;
    try {
        db.emplace(path, store::Durability::normal, true);
        for (const char* table : {"threads", "comments", "preferences"}) {
            if (!has_table(*db, table)) {
                return Error{
                    "import_format",
                    std::string("the file has no table '") + table + "': not an Isso database",
                    path};
            }
        }
    } catch (const store::StoreError& e) {
        return Error{"import_open", "cannot read it as an SQLite database: " + e.reason(), path};
    }
    auto& version = db->prepare("PRAGMA user_version");
    const std::int64_t schema = version.step() ? version.int64(0) : 0;
    version.reset();
    if (schema != kIssoSchemaVersion) {
        return Error{"import_version",
                     "the Isso database has schema version " + std::to_string(schema) +
                         "; Vokter reads version " + std::to_string(kIssoSchemaVersion) +
                         " (Isso 0.13 and later): start Isso of that version once on the file "
                         "to migrate it, then import",
                     path};
    }
    const std::string source = source_of(*db);
    auto& rows = db->prepare(
        "SELECT c.id, c.parent, c.tid, t.uri, t.title, c.created, c.mode, c.remote_addr, c.text, "
        "c.author, c.email, c.website FROM comments c LEFT JOIN threads t ON t.id = c.tid "
        "ORDER BY c.id");
    const auto column = [&](int i) { return rows.is_null(i) ? std::string() : rows.text(i); };
    while (rows.step()) {
        ImportedComment c;
        c.external_id = rows.text(0);
        c.where = path + ": comments.id " + c.external_id;
        if (!rows.is_null(1)) c.parent_external_id = rows.text(1);
        if (rows.is_null(3)) {
            rows.reset();
            return Error{"import_no_thread",
                         "the comment's thread " + column(2) + " is not in the threads table",
                         c.where};
        }
        const auto uri = http::normalise_thread_uri(rows.text(3), kThreadUriBytes);
        if (!uri) {
            rows.reset();
            return Error{"import_thread",
                         "the thread URI '" + std::string(core::truncate_utf8(rows.text(3), 80)) +
                             "' is no path or URL",
                         c.where};
        }
        c.thread_uri = *uri;
        c.thread_title = column(4);
        const double created = rows.real(5);
        if (rows.is_null(5) || !std::isfinite(created) || created < 0) {
            rows.reset();
            return Error{"import_date", "the comment has no creation time", c.where};
        }
        c.created_ms = static_cast<std::int64_t>(std::llround(created * 1000.0));
        const auto status = status_of_mode(rows.int64(6));
        if (!status) {
            const std::string mode = column(6);
            rows.reset();
            return Error{
                "import_status",
                "unknown mode '" + mode + "' (Isso's are 1 published, 2 pending, 4 deleted)",
                c.where};
        }
        c.status = *status;
        c.ip = column(7);
        c.body = column(8);
        c.name = column(9);
        c.email = column(10);
        c.website = column(11);
        visit(std::move(c));
    }
    rows.reset();
    ReadOutcome outcome;
    outcome.source = source;
    return outcome;
}

}  // namespace

ExportReader isso_db_reader(std::string path) {
    return [path = std::move(path)](const ImportVisitor& visit) -> Result<ReadOutcome> {
        try {
            return read_isso(path, visit);
        } catch (const store::StoreError& e) {
            return Error{"import_open", "reading the Isso database failed: " + e.reason(), path};
        }
    };
}

}  // namespace vokter::app
