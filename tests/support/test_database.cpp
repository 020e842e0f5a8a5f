#include "support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <vector>

#include "store/migrations.hpp"
#include "support/test_support.hpp"

namespace vokter::test {

namespace {

const char* server() {
    const char* conninfo = std::getenv("VOKTER_TEST_POSTGRESQL");
    return conninfo && *conninfo ? conninfo : nullptr;
}

// A schema named `schema` on the test server, and the connection string that uses it.
std::string schema_location(const std::string& schema) {
    const std::string base = server();
    if (base.starts_with("postgres")) {
        throw std::runtime_error(
            "VOKTER_TEST_POSTGRESQL: give the key=value form (host=… dbname=…), not a URI");
    }
    store::open_connection(base, store::Durability::full)
        ->exec("CREATE SCHEMA IF NOT EXISTS " + schema);
    return base + " options='-c search_path=" + schema + "'";
}

}  // namespace

std::unique_ptr<store::Connection> fresh_connection() {
    if (!server()) return store::open_connection(":memory:", store::Durability::normal);
    static std::atomic<int> next{0};
    const std::string schema =
        "test_" + std::to_string(::getpid()) + "_memory_" + std::to_string(++next);
    return store::open_connection(schema_location(schema), store::Durability::normal);
}

bool testing_postgresql() {
    return server() != nullptr;
}

std::string location(const std::filesystem::path& file) {
    if (!server()) return file.string();
    // Temporary folders have unique names, so a hash of the path names the schema.
    const std::size_t hash = std::hash<std::string>{}(std::filesystem::absolute(file).string());
    char name[32];
    std::snprintf(name, sizeof name, "test_%016zx", hash);
    return schema_location(name);
}

std::string stored_bytes(const std::filesystem::path& file) {
    if (!server()) {
        std::string bytes = read_file(file);
        if (std::filesystem::exists(file.string() + "-wal"))
            bytes += read_file(file.string() + "-wal");
        return bytes;
    }
    const auto db = store::open_connection(location(file), store::Durability::normal);
    std::vector<std::string> tables;
    {
        auto& names = db->prepare(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
        while (names.step())
            tables.push_back(names.text(0));
    }
    std::string bytes;
    db->exec("SET xmlbinary = hex");
    for (const std::string& table : tables) {
        auto& rows = db->prepare(
            "SELECT query_to_xml(format('SELECT * FROM %I', CAST(?1 AS TEXT)), true, false, '')");
        rows.bind(1, table).step();
        bytes += rows.text(0);
    }
    return bytes;
}

TestConnection::TestConnection() : owner(fresh_connection()), db(*owner) {
    store::migrate(db);
}

}  // namespace vokter::test
