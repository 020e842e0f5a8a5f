#include "store/backup.hpp"

namespace vokter::store {

void backup_to(Connection& db, const std::string& destination) {
    if (db.dialect() != Dialect::sqlite) {
        throw StoreError(
            "vokter backup copies a SQLite file; back a PostgreSQL database up with pg_dump "
            "(README: Running on PostgreSQL)",
            21);  // SQLITE_MISUSE
    }
    db.prepare("VACUUM INTO ?1").bind(1, destination).run();
}

}  // namespace vokter::store
