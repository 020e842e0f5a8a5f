#pragma once
// The database a test runs on. The store and HTTP suites run once per backend: on SQLite by
// default, and on PostgreSQL when VOKTER_TEST_POSTGRESQL holds a libpq connection string in the
// key=value form (ctest's store_postgresql and http_postgresql set it, for the throwaway cluster
// scripts/pg-cluster.sh starts). On PostgreSQL each database file a test names becomes a schema
// of its own on that server, so tests share no data; the cluster goes with its folder.
// Tests that only mean something for one backend (a SQLite file's WAL, a full disk under it)
// are in doctest's test suite "sqlite", which the PostgreSQL runs leave out by name.

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.hpp"

namespace vokter::test {

// True when the tests run on PostgreSQL (VOKTER_TEST_POSTGRESQL is set).
bool testing_postgresql();

// Where StoreOptions::path and `vokter --db` point for the database file `file`: the file's
// path, or on PostgreSQL a connection string whose search path is a schema of that file's own
// (made on the first call; the same file always gives the same schema).
std::string location(const std::filesystem::path& file);

// Everything the database of `file` holds, as bytes to search for a secret that must not be
// there: SQLite's file and its WAL; on PostgreSQL every row of every table of its schema, as
// text (bytea in hex, which a token in hex would match too).
std::string stored_bytes(const std::filesystem::path& file);

// A connection to a new database with no schema yet (SQLite: in memory; PostgreSQL: a new
// schema of its own).
std::unique_ptr<store::Connection> fresh_connection();

// A new, migrated, empty database and one connection to it (SQLite: in memory), for repository
// tests on a bare connection.
struct TestConnection {
    TestConnection();
    std::unique_ptr<store::Connection> owner;
    store::Connection& db;
};

}  // namespace vokter::test
