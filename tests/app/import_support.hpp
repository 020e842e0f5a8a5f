#pragma once
// What the import tests share: a store in a temporary folder, one-value SQL reads, imports in
// small batches.
// (SQL text is literal throughout: Connection::prepare keys its cache by the text's address.)

#include <doctest/doctest.h>

#include <cstdint>
#include <sstream>
#include <string>

#include "app/import/importer.hpp"
#include "store/store.hpp"
#include "support/test_support.hpp"

namespace vokter::test {

inline std::int64_t count(store::Store& store, const char* sql) {
    auto db = store.read();
    auto& stmt = db->prepare(sql);
    REQUIRE(stmt.step());
    const std::int64_t n = stmt.int64(0);
    stmt.reset();
    return n;
}

inline std::string text(store::Store& store, const char* sql) {
    auto db = store.read();
    auto& stmt = db->prepare(sql);
    if (!stmt.step()) return "<none>";
    std::string s = stmt.is_null(0) ? "<null>" : stmt.text(0);
    stmt.reset();
    return s;
}

inline store::StoreOptions options_for(const TempDir& dir) {
    store::StoreOptions options;
    options.path = (dir / "vokter.db").string();
    return options;
}

// Imports through `reader` in batches of 2: several transactions even for the tests' small files.
inline Result<app::ImportSummary> import_in_batches(store::Store& store,
                                                    const app::ExportReader& reader,
                                                    app::ImportOptions options = {}) {
    options.batch = 2;
    std::ostringstream err;
    return app::import_comments(store, reader, options, err);
}

}  // namespace vokter::test
