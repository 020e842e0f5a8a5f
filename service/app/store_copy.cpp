#include "app/store_copy.hpp"

#include <string_view>
#include <vector>

#include "store/database.hpp"
#include "store/migrations.hpp"

namespace vokter::app {

namespace {

// A table as the copy sees it: its columns, each with the kind its values are bound as.
// 'i' integer, 'r' real, 't' text, 'b' blob. `order` keeps references ahead of their users
// (a reply's parent can have the larger id after an import renumbered it, never the smaller
// depth).
struct TableSpec {
    const char* name;
    std::vector<std::pair<const char*, char>> columns;
    const char* order;
};

// A table's spec and its statements, made once and kept for the statement caches (which key
// statements by their text's address).
struct Table : TableSpec {
    std::string select;
    std::string insert;
    std::string count;
    std::string erase;
};

std::vector<Table> make_tables() {
    const std::vector<TableSpec> specs = {
        {"threads",
         {{"id", 'i'}, {"uri", 't'}, {"title", 't'}, {"closed", 'i'}, {"created", 'i'}},
         "id"},
        {"comments",
         {{"id", 'i'},         {"thread_id", 'i'},
          {"parent_id", 'i'},  {"root_id", 'i'},
          {"depth", 'i'},      {"name", 't'},
          {"email", 't'},      {"website", 't'},
          {"body", 't'},       {"body_fingerprint", 'i'},
          {"ip", 't'},         {"user_agent", 't'},
          {"referrer", 't'},   {"status", 't'},
          {"score", 'r'},      {"ruleset_version", 't'},
          {"source", 't'},     {"edit_token_hash", 'b'},
          {"edit_until", 'i'}, {"created", 'i'},
          {"updated", 'i'},    {"trained_as", 't'}},
         "depth, id"},
        {"rule_hits",
         {{"comment_id", 'i'},
          {"seq", 'i'},
          {"rule", 't'},
          {"score", 'r'},
          {"field", 't'},
          {"detail", 't'}},
         "comment_id, seq"},
        {"moderators",
         {{"id", 'i'},
          {"name", 't'},
          {"token_hash", 'b'},
          {"created", 'i'},
          {"expires", 'i'},
          {"last_used", 'i'},
          {"token_created", 'i'}},
         "id"},
        {"moderation_log",
         {{"id", 'i'},
          {"comment_id", 'i'},
          {"moderator", 't'},
          {"action", 't'},
          {"old_status", 't'},
          {"new_status", 't'},
          {"note", 't'},
          {"created", 'i'}},
         "id"},
        {"settings", {{"key", 't'}, {"value", 'b'}}, "key"},
        {"api_keys",
         {{"id", 'i'}, {"name", 't'}, {"key_hash", 'b'}, {"blog", 't'}, {"created", 'i'}},
         "id"},
        {"akismet_labels",
         {{"id", 'i'},
          {"api_key", 't'},
          {"label", 't'},
          {"comment_id", 'i'},
          {"blog", 't'},
          {"permalink", 't'},
          {"comment_type", 't'},
          {"name", 't'},
          {"email", 't'},
          {"website", 't'},
          {"body", 't'},
          {"ip", 't'},
          {"user_agent", 't'},
          {"referrer", 't'},
          {"created", 'i'}},
         "id"},
        {"classifier_tokens", {{"hash", 'i'}, {"ham", 'i'}, {"spam", 'i'}}, "hash"},
        {"classifier_totals",
         {{"id", 'i'}, {"ham", 'i'}, {"spam", 'i'}, {"feature_version", 'i'}, {"generation", 'i'}},
         "id"},
        {"classifier_outbox",
         {{"id", 'i'},
          {"comment_id", 'i'},
          {"forget", 't'},
          {"learn", 't'},
          {"name", 't'},
          {"email", 't'},
          {"website", 't'},
          {"body", 't'},
          {"created", 'i'}},
         "id"},
        {"import_keys",
         {{"source", 't'}, {"external_id", 't'}, {"comment_id", 'i'}},
         "source, external_id"},
    };
    std::vector<Table> tables;
    for (const TableSpec& spec : specs) {
        Table& t = tables.emplace_back(Table{spec, {}, {}, {}, {}});
        std::string names;
        std::string marks;
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            names += (i ? ", " : "") + std::string(t.columns[i].first);
            marks += (i ? ", ?" : "?") + std::to_string(i + 1);
        }
        t.select = "SELECT " + names + " FROM " + t.name + " ORDER BY " + t.order;
        t.insert = "INSERT INTO " + std::string(t.name) + " (" + names + ") VALUES (" + marks + ")";
        // The classifier's totals are one row every new database has: replaced, not added.
        if (std::string_view(t.name) == "classifier_totals") {
            t.insert +=
                " ON CONFLICT (id) DO UPDATE SET ham = excluded.ham, spam = excluded.spam, "
                "feature_version = excluded.feature_version, "
                "generation = excluded.generation";
        }
        t.count = "SELECT count(*) FROM " + std::string(t.name);
        t.erase = "DELETE FROM " + std::string(t.name);
    }
    return tables;
}

const std::vector<Table>& tables() {
    static const std::vector<Table> all = make_tables();
    return all;
}

std::int64_t count_of(store::Connection& db, const Table& table) {
    auto& stmt = db.prepare(table.count.c_str());
    stmt.step();
    return stmt.int64(0);
}

// Rows of the tables that say a database is in use (the classifier's one row of totals and the
// settings a start writes do not).
std::int64_t rows_held(store::Connection& db) {
    std::int64_t rows = 0;
    for (const Table& t : tables()) {
        const std::string_view name = t.name;
        if (name == "classifier_totals" || name == "settings") continue;
        rows += count_of(db, t);
    }
    return rows;
}

void copy_rows(store::Connection& from, store::Connection& to, const Table& table) {
    auto& read = from.prepare(table.select.c_str());
    while (read.step()) {
        auto& write = to.prepare(table.insert.c_str());
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const int column = static_cast<int>(i);
            const int index = column + 1;
            if (read.is_null(column)) {
                write.bind_null(index);
                continue;
            }
            switch (table.columns[i].second) {
                case 'i':
                    write.bind(index, read.int64(column));
                    break;
                case 'r':
                    write.bind(index, read.real(column));
                    break;
                case 'b':
                    write.bind_blob(index, read.text_view(column));
                    break;
                default:
                    write.bind(index, read.text_view(column));
            }
        }
        write.run();
    }
    read.reset();
}

// Empties the target: the counts go with the rows, and nothing is counted any more.
void erase_all(store::Connection& db) {
    const auto& all = tables();
    for (auto t = all.rbegin(); t != all.rend(); ++t) {
        if (std::string_view(t->name) != "classifier_totals") db.exec(t->erase);
    }
    db.exec("DELETE FROM comment_counts; DELETE FROM rule_counts; DELETE FROM rate_buckets");
    // The notification outbox is not copied (its events are about the moment they happened):
    // the target's own goes, and the receivers' marks with it, so that they start afresh.
    db.exec("DELETE FROM notification_deliveries; DELETE FROM notification_events");
    db.exec("UPDATE classifier_totals SET ham = 0, spam = 0");
    db.exec("UPDATE moderation_counts_state SET counted_through = 0");
}

// PostgreSQL hands out ids from sequences, which rows copied with their ids do not advance.
void advance_sequences(store::Connection& db) {
    if (db.dialect() != store::Dialect::postgresql) return;
    for (const char* table : {"threads", "comments", "moderators", "moderation_log", "api_keys",
                              "akismet_labels", "classifier_outbox"}) {
        const std::string name = table;
        db.exec("SELECT setval(pg_get_serial_sequence('" + name + "', 'id'), " +
                "coalesce((SELECT max(id) FROM " + name + "), 0) + 1, false)");
    }
}

bool approved_counts_agree(store::Connection& from, store::Connection& to, std::ostream& err) {
    static const char* kApproved = "SELECT uri, approved FROM threads ORDER BY uri";
    std::vector<std::pair<std::string, std::int64_t>> a;
    std::vector<std::pair<std::string, std::int64_t>> b;
    for (auto [db, rows] : {std::pair{&from, &a}, std::pair{&to, &b}}) {
        auto& stmt = db->prepare(kApproved);
        while (stmt.step())
            rows->emplace_back(stmt.text(0), stmt.int64(1));
        stmt.reset();
    }
    if (a == b) return true;
    err << "vokter: the threads' approved counts differ after the copy\n";
    return false;
}

}  // namespace

int copy_store(const StoreCopyOptions& options, std::ostream& out, std::ostream& err) {
    const std::string from_name = store::printable_location(options.from);
    const std::string to_name = store::printable_location(options.to);
    if (options.from == options.to) {
        err << "vokter: --from and --to are the same database\n";
        return 1;
    }
    try {
        const auto from = store::open_connection(options.from, store::Durability::full);
        const auto to = store::open_connection(options.to, store::Durability::full);
        const int version = store::schema_version(*from);
        if (version != store::latest_schema_version(from->dialect())) {
            err << "vokter: " << from_name << " has schema version " << version
                << "; this vokter copies version " << store::latest_schema_version(from->dialect())
                << (version > store::latest_schema_version(from->dialect())
                        ? " (it was written by a newer Vokter)\n"
                        : ": run `vokter migrate --db` on it first\n");
            return version > store::latest_schema_version(from->dialect()) ? 3 : 1;
        }
        store::migrate(*to);
        store::Transaction tx(*to);
        if (const std::int64_t held = rows_held(*to); held > 0) {
            if (!options.replace) {
                err << "vokter: " << to_name << " holds data already (" << held
                    << " rows): give --replace to empty it first, or copy into an empty "
                       "database\n";
                return 1;
            }
            erase_all(*to);
        }
        {
            // One snapshot of the source for every table (PostgreSQL's transactions see one
            // only at REPEATABLE READ; SQLite's always do).
            store::Transaction snapshot(*from);
            if (from->dialect() == store::Dialect::postgresql)
                from->exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            for (const Table& t : tables()) {
                copy_rows(*from, *to, t);
                out << t.name << ": " << count_of(*to, t) << " rows\n";
            }
            advance_sequences(*to);
            for (const Table& t : tables()) {
                const std::int64_t a = count_of(*from, t);
                const std::int64_t b = count_of(*to, t);
                if (a != b) {
                    err << "vokter: " << t.name << " has " << a << " rows in " << from_name
                        << " but " << b << " after the copy: nothing was written\n";
                    return 1;
                }
            }
            if (!approved_counts_agree(*from, *to, err)) return 1;
        }
        tx.commit();
        out << "copied " << from_name << " to " << to_name << ", every table's rows checked\n";
        return 0;
    } catch (const store::SchemaTooNew& e) {
        err << "vokter: " << to_name << ": " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        err << "vokter: the copy failed, nothing was written to " << to_name << ": " << e.what()
            << "\n";
        return 1;
    }
}

}  // namespace vokter::app
