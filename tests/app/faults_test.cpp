// The real `vokter` binary against hostile files: rule files nested deep enough to overflow
// toml++'s recursion (they crashed every entry point with SIGSEGV), and database files that are
// damaged, read-only or empty. Each is refused with a clear message and exit code, or logged.
#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "store/moderation_repository.hpp"
#include "store/store.hpp"
#include "support/storage_faults.hpp"
#include "support/test_support.hpp"

using vokter::test::Process;
using vokter::test::TempDir;
using json = nlohmann::json;

namespace {

std::vector<std::string> serve_args(const std::filesystem::path& db,
                                    std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {VOKTER_BINARY, "serve", "--listen",
                                     "127.0.0.1:0", "--db",  db.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// 31,500 dotted keys: 63 KB.
std::string deep_rule_file() {
    std::string key = "a";
    for (int i = 1; i < 31500; ++i)
        key += ".a";
    return "version = \"deep\"\n" + key + " = 1\n";
}

const std::string kGoodRules =
    "version = \"v1\"\n[thresholds]\nhold = 5.0\nspam = 10.0\n\n[[rule]]\nid = \"WORD\"\n"
    "description = \"a test word\"\nwords = [\"kjøp\"]\nscore = 6.0\n"
    "examples.match = [\"kjøp nå\"]\nexamples.no_match = [\"noe annet\"]\n";

// A database whose last pages hold the moderation log, which nothing reads at start-up: damage
// there let the service start and write into the damaged file. Closed cleanly (no WAL left).
void make_database(const std::filesystem::path& path) {
    vokter::store::Store store(vokter::store::StoreOptions{path.string()});
    store.writer().run([](vokter::store::Connection& db) {
        for (int i = 0; i < 300; ++i) {
            vokter::store::append_log(db, {0, std::nullopt, "kari", "rules.replace", "v1", "v2",
                                           std::string(1000, 'n'), i});
        }
    });
}

// Overwrites the last `count` pages of the file with garbage.
void damage_last_pages(const std::filesystem::path& path, int count) {
    const auto pages = static_cast<int>(std::filesystem::file_size(path) / 4096);
    vokter::test::damage_pages(path, pages - count + 1, count);
}

}  // namespace

TEST_CASE("rules check refuses a deeply nested rule file with its location instead of crashing") {
    TempDir dir;
    vokter::test::write_file(dir / "deep.toml", deep_rule_file());
    Process check({VOKTER_BINARY, "rules", "check", (dir / "deep.toml").string()},
                  dir / "check.log");
    CHECK(check.wait() == 1);  // a crash would be 139
    CHECK(check.log().find((dir / "deep.toml").string() + ":2:64:") != std::string::npos);
    CHECK(check.log().find("[too_deep]") != std::string::npos);
}

TEST_CASE("serve refuses a deep rule file at start; SIGHUP with one keeps the old rules") {
    TempDir dir;
    const auto rules = dir / "rules.toml";
    vokter::test::write_file(rules, deep_rule_file());
    Process refused(serve_args(dir / "vokter.db", {"--rules", rules.string()}),
                    dir / "refused.log");
    CHECK(refused.wait() == 1);
    CHECK(refused.log().find("nested deeper than 32 levels") != std::string::npos);

    vokter::test::write_file(rules, kGoodRules);
    Process server(serve_args(dir / "vokter.db", {"--rules", rules.string()}), dir / "server.log");
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());
    vokter::test::write_file(rules, deep_rule_file());
    server.signal(SIGHUP);
    httplib::Client client("127.0.0.1", port);
    bool reported = false;
    for (int i = 0; i < 500 && !reported; ++i) {
        const auto res = client.Get("/healthz");
        REQUIRE_MESSAGE(res, server.log());  // alive
        reported = json::parse(res->body).contains("rules_error");
        if (!reported) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(reported);
    const json health = json::parse(client.Get("/healthz")->body);
    CHECK(health["ruleset_version"] == "v1");
    CHECK(health["rules_error"].get<std::string>().find(":2:64") != std::string::npos);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}

TEST_CASE("serve refuses a damaged database with exit code 4 and the damage found") {
    TempDir dir;
    make_database(dir / "vokter.db");
    damage_last_pages(dir / "vokter.db", 8);
    Process server(serve_args(dir / "vokter.db"), dir / "server.log");
    CHECK(server.wait() == 4);
    CHECK(server.log().find("refusing the damaged database") != std::string::npos);
    CHECK(server.log().find("quick_check") != std::string::npos);
    CHECK(server.log().find("listening") == std::string::npos);
}

TEST_CASE("serve refuses a read-only database file with exit code 5") {
    TempDir dir;
    make_database(dir / "vokter.db");
    vokter::test::ReadOnlyFile read_only(dir / "vokter.db");
    if (!read_only.done()) {
        MESSAGE("SKIPPED: the file could not be made read-only: " << read_only.why());
        return;
    }
    Process server(serve_args(dir / "vokter.db"), dir / "server.log");
    CHECK(server.wait() == 5);
    CHECK(server.log().find("refusing the read-only database") != std::string::npos);
}

TEST_CASE("serve refuses a database on a read-only file system with exit code 5") {
    TempDir dir;
    vokter::test::TmpfsMount disk(dir / "disk", 4u << 20);
    if (!disk.mounted()) {
        MESSAGE("SKIPPED: the read-only mount test needs a tmpfs: " << disk.why());
        return;
    }
    make_database(disk.path() / "vokter.db");
    REQUIRE(disk.remount_read_only());
    Process server(serve_args(disk.path() / "vokter.db"), dir / "server.log");
    CHECK(server.wait() == 5);
    CHECK(server.log().find("cannot be written") != std::string::npos);
}

TEST_CASE("serve logs that a 0-byte database file becomes a new database") {
    TempDir dir;
    vokter::test::write_file(dir / "vokter.db", "");
    Process server(serve_args(dir / "vokter.db"), dir / "server.log");
    REQUIRE_MESSAGE(server.wait_for_port() > 0, server.log());
    CHECK(server.log().find("is empty (0 bytes): it becomes a new, empty database") !=
          std::string::npos);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}
