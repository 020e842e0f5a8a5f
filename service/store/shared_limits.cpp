#include "store/shared_limits.hpp"

namespace vokter::store {

int take_rate_token(Connection& db, const std::string& key, int per_minute) {
    auto& stmt = db.prepare("SELECT take_rate_token(CAST(?1 AS TEXT), CAST(?2 AS INTEGER))");
    stmt.bind(1, key).bind(2, per_minute);
    stmt.step();
    return static_cast<int>(stmt.int64(0));
}

}  // namespace vokter::store
