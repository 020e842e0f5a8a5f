#include "store/migrations.hpp"

#include <string>

#include "core/embedded_file.hpp"

namespace vokter::store {

namespace {

// "0003_queue_index.sql" -> 3; 0 when the name does not start with a number.
int version_of(std::string_view name) {
    int version = 0;
    for (const char c : name) {
        if (c < '0' || c > '9') break;
        version = version * 10 + (c - '0');
    }
    return version;
}

}  // namespace

int latest_schema_version() {
    int latest = 0;
    for (const auto& file : schema_files())
        latest = std::max(latest, version_of(file.name));
    return latest;
}

int schema_version(Connection& db) {
    auto& stmt = db.prepare("PRAGMA user_version");
    stmt.step();
    const int version = static_cast<int>(stmt.int64(0));
    stmt.reset();  // a stepped statement would keep the schema locked (DROP INDEX would fail)
    return version;
}

int migrate(Connection& db) {
    const int current = schema_version(db);
    const int latest = latest_schema_version();
    if (current > latest) {
        throw SchemaTooNew("the database has schema version " + std::to_string(current) +
                           " but this vokter knows versions up to " + std::to_string(latest) +
                           ": it was written by a newer Vokter; upgrade vokter or use a backup");
    }
    int applied = 0;
    for (const auto& file : schema_files()) {  // sorted by name, so by version
        const int version = version_of(file.name);
        if (version <= current) continue;
        Transaction tx(db);
        try {
            db.exec(file.data);
        } catch (const StoreError& e) {
            throw StoreError("migration " + std::string(file.name) + " failed: " + e.what(),
                             e.code());
        }
        db.exec("PRAGMA user_version = " + std::to_string(version));
        tx.commit();
        ++applied;
    }
    return applied;
}

}  // namespace vokter::store
