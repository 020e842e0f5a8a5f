#include "store/backup.hpp"

namespace vokter::store {

void backup_to(Connection& db, const std::string& destination) {
    db.prepare("VACUUM INTO ?1").bind(1, destination).run();
}

}  // namespace vokter::store
