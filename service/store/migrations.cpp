#include "store/migrations.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/embedded_file.hpp"

namespace vokter::store {

namespace {

// The folder of schema/ holding the migrations of a dialect.
std::string_view folder_of(Dialect dialect) {
    return dialect == Dialect::postgresql ? "postgresql/" : "sqlite/";
}

// "sqlite/0003_queue_index.sql" -> 3; 0 when the file name does not start with a number.
int version_of(std::string_view name) {
    if (const auto slash = name.rfind('/'); slash != std::string_view::npos)
        name.remove_prefix(slash + 1);
    int version = 0;
    for (const char c : name) {
        if (c < '0' || c > '9') break;
        version = version * 10 + (c - '0');
    }
    return version;
}

// The embedded migrations of `dialect`, sorted by name, so by version.
std::vector<EmbeddedFile> migrations_of(Dialect dialect) {
    std::vector<EmbeddedFile> files;
    for (const auto& file : schema_files())
        if (file.name.starts_with(folder_of(dialect))) files.push_back(file);
    return files;
}

// PostgreSQL keeps the version in a one-row table (SQLite in PRAGMA user_version). Replicas
// starting together take this transaction-scoped advisory lock first, so one of them migrates
// and the others then find the schema current. The key is arbitrary but fixed ("vokter" in
// ASCII, as a decimal: PostgreSQL 15 reads no hexadecimal literals).
constexpr const char* kPgPrepare =
    "SELECT pg_advisory_xact_lock(130220916237682);"
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
    "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)";

void set_version(Connection& db, int version) {
    if (db.dialect() == Dialect::postgresql) {
        db.exec("UPDATE schema_version SET version = " + std::to_string(version));
    } else {
        db.exec("PRAGMA user_version = " + std::to_string(version));
    }
}

}  // namespace

int latest_schema_version(Dialect dialect) {
    int latest = 0;
    for (const auto& file : migrations_of(dialect))
        latest = std::max(latest, version_of(file.name));
    return latest;
}

int schema_version(Connection& db) {
    if (db.dialect() == Dialect::postgresql) {
        auto& exists = db.prepare("SELECT to_regclass('schema_version') IS NOT NULL");
        exists.step();
        const bool found = exists.int64(0) != 0;
        exists.reset();
        if (!found) return 0;
    }
    auto& stmt = db.prepare(db.dialect() == Dialect::postgresql
                                ? "SELECT coalesce(max(version), 0) FROM schema_version"
                                : "PRAGMA user_version");
    stmt.step();
    const int version = static_cast<int>(stmt.int64(0));
    stmt.reset();  // a stepped statement would keep the schema locked (DROP INDEX would fail)
    return version;
}

int migrate(Connection& db) {
    const int latest = latest_schema_version(db.dialect());
    int applied = 0;
    for (bool current_checked = false;;) {
        Transaction tx(db);
        if (db.dialect() == Dialect::postgresql) db.exec(kPgPrepare);
        const int current = schema_version(db);
        if (!current_checked && current > latest) {
            throw SchemaTooNew("the database has schema version " + std::to_string(current) +
                               " but this vokter knows versions up to " + std::to_string(latest) +
                               ": it was written by a newer Vokter; upgrade vokter or use a "
                               "backup");
        }
        current_checked = true;
        // The next migration above the current version, each in its own transaction.
        const auto files = migrations_of(db.dialect());
        const auto next = std::find_if(files.begin(), files.end(), [&](const EmbeddedFile& f) {
            return version_of(f.name) > current;
        });
        if (next == files.end()) {
            tx.commit();
            return applied;
        }
        try {
            db.exec(next->data);
        } catch (const StoreError& e) {
            throw StoreError("migration " + std::string(next->name) + " failed: " + e.what(),
                             e.code());
        }
        set_version(db, version_of(next->name));
        tx.commit();
        ++applied;
    }
}

}  // namespace vokter::store
