// The API key table: add, look up by hash, list and remove.

#include "store/api_keys.hpp"

#include <doctest/doctest.h>

#include "store/migrations.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "support/test_database.hpp"

using namespace vokter::store;

TEST_CASE("api keys are stored by hash, unique by name, and removed at once") {
    vokter::test::TestConnection test;
    Connection& db = test.db;
    const std::string hash(32, '\x01');
    CHECK(add_api_key(db, "blogg", hash, "https://blogg.example.no", 1000));
    CHECK(!add_api_key(db, "blogg", std::string(32, '\x02'), "https://annen.example", 2000));
    CHECK(add_api_key(db, "forum", std::string(32, '\x03'), "https://forum.example", 3000));

    const auto found = find_api_key_by_hash(db, hash);
    REQUIRE(found);
    CHECK(found->name == "blogg");
    CHECK(found->blog == "https://blogg.example.no");
    CHECK(found->created == 1000);
    CHECK(!find_api_key_by_hash(db, std::string(32, '\x09')));

    const auto keys = list_api_keys(db);
    REQUIRE(keys.size() == 2);
    CHECK(keys[0].name == "blogg");
    CHECK(keys[1].name == "forum");

    CHECK(remove_api_key(db, "blogg"));
    CHECK(!remove_api_key(db, "blogg"));
    CHECK(!find_api_key_by_hash(db, hash));
}
