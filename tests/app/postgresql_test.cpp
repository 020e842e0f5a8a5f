// The real `vokter` binary on PostgreSQL: two replicas on one database, a server restarted under
// load, a database that cannot be reached. The tests of the suite "postgresql" run in ctest's
// app_postgresql (VOKTER_TEST_POSTGRESQL names the throwaway cluster); the restart test starts a
// cluster of its own, which it may stop without disturbing the others.

#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "store/database.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using vokter::test::Process;
using vokter::test::TempDir;
using json = nlohmann::json;

namespace {

std::string rule_file(const std::string& version, const std::string& word) {
    return "version = \"" + version + R"("
[thresholds]
hold = 5.0
spam = 10.0

[[rule]]
id = "WORD"
description = "a word this test holds"
pattern = '(?i)\b)" +
           word + R"('
score = 6.0
)";  // the backslash must reach every replica as it is
}

std::vector<std::string> serve_args(const std::string& db, const std::string& rules,
                                    const std::string& per_minute = "0") {
    return {VOKTER_BINARY, "serve", "--listen",
            "127.0.0.1:0", "--db",  db,
            "--rules",     rules,   "--rate-limit-per-minute",
            per_minute};
}

httplib::Result post(int port, const std::string& thread, const std::string& body) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(15);
    return client.Post("/api/comments",
                       json{{"thread", thread}, {"name", "Kari"}, {"body", body}}.dump(),
                       "application/json");
}

json get_json(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get(path);
    REQUIRE(res);
    return json::parse(res->body);
}

// Runs `cluster` ARGS… (scripts/pg-cluster.sh); returns its standard output.
std::string cluster(const std::string& command, const std::filesystem::path& dir) {
    const std::string line =
        std::string(VOKTER_SOURCE_DIR) + "/scripts/pg-cluster.sh " + command + " " + dir.string();
    std::string out;
    FILE* pipe = ::popen(line.c_str(), "r");
    REQUIRE(pipe);
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe))
        out += buffer;
    REQUIRE(::pclose(pipe) == 0);
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

}  // namespace

TEST_CASE("two replicas on one database share comments, rules and the rate limit" *
          doctest::test_suite("postgresql")) {
    REQUIRE_MESSAGE(vokter::test::testing_postgresql(), "needs VOKTER_TEST_POSTGRESQL");
    TempDir dir;
    const std::string db = vokter::test::location(dir / "vokter.db");
    std::filesystem::create_directories(dir / "a");
    std::filesystem::create_directories(dir / "b");
    vokter::test::write_file(dir / "a" / "rules.toml", rule_file("v1", "kake"));
    vokter::test::write_file(dir / "b" / "rules.toml", rule_file("v1", "kake"));
    const auto added = vokter::test::run_vokter_command(dir, {"moderator", "add", "kari"});
    REQUIRE_MESSAGE(added.code == 0, added.output);
    const std::string token = vokter::test::second_line(added.output);

    Process a(serve_args(db, (dir / "a" / "rules.toml").string(), "8"), dir / "a.log");
    Process b(serve_args(db, (dir / "b" / "rules.toml").string(), "8"), dir / "b.log");
    const int port_a = a.wait_for_port();
    const int port_b = b.wait_for_port();
    REQUIRE_MESSAGE(port_a > 0, a.log());
    REQUIRE_MESSAGE(port_b > 0, b.log());

    // A comment posted to one is listed by the other (and B's cached page follows a post to A).
    CHECK(get_json(port_b, "/api/comments?thread=/innlegg/1")["comments"].empty());
    auto posted = post(port_a, "/innlegg/1", "Takk for et godt innlegg, æøå 🙂");
    REQUIRE(posted);
    REQUIRE_MESSAGE(posted->status == 201, posted->body);
    bool listed = false;
    for (int i = 0; i < 100 && !listed; ++i) {
        listed = get_json(port_b, "/api/comments?thread=/innlegg/1")["comments"].size() == 1;
        if (!listed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_MESSAGE(listed, "a comment posted to A is listed by B");
    CHECK(get_json(port_b, "/api/comments?thread=/innlegg/1")["comments"][0]["body"] ==
          "Takk for et godt innlegg, æøå 🙂");

    // A rule update on A is in force on B within 2 s, and B's rule file follows.
    httplib::Client moderator("127.0.0.1", port_a);
    const auto put = moderator.Put("/api/rules", {{"Authorization", "Bearer " + token}},
                                   rule_file("v2", "vaffel"), "application/toml");
    REQUIRE(put);
    REQUIRE_MESSAGE(put->status == 200, put->body);
    const auto asked = std::chrono::steady_clock::now();
    std::string version;
    while (std::chrono::steady_clock::now() - asked < std::chrono::seconds(2) && version != "v2") {
        version = get_json(port_b, "/healthz")["ruleset_version"];
        if (version != "v2") std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_MESSAGE(version == "v2", b.log());
    CHECK(vokter::test::read_file(dir / "b" / "rules.toml") == rule_file("v2", "vaffel"));
    auto held = post(port_b, "/innlegg/1", "Beste vaffel i byen");
    REQUIRE(held);
    CHECK(held->status == 202);  // held for a moderator by the new rule
    auto kept = post(port_b, "/innlegg/1", "Kake er godt");
    REQUIRE(kept);
    CHECK(kept->status == 201);  // the old rule is gone on B too

    // The 8 posts a minute of one address, spread over both replicas: 3 made above, 5 more
    // pass in turns, the next is refused by either.
    for (int i = 0; i < 5; ++i) {
        auto res =
            post(i % 2 ? port_a : port_b, "/innlegg/2", "Innlegg nummer " + std::to_string(i));
        REQUIRE(res);
        CHECK_MESSAGE(res->status == 201, res->body);
    }
    for (const int port : {port_a, port_b}) {
        auto refused = post(port, "/innlegg/2", "Ett til");
        REQUIRE(refused);
        CHECK(refused->status == 429);
        CHECK(refused->has_header("Retry-After"));
    }
    const json health = get_json(port_a, "/healthz");
    CHECK(health["store"] == "postgresql");
    CHECK(health["store_latency_ms"].get<double>() >= 0);
}

namespace {

// Posts from 4 clients while the server is stopped by `how` (pg-cluster.sh halt or crash) and
// started again.
void restart_under_load(const std::string& how) {
    TempDir dir;
    // A cluster of this test's own, so that stopping it disturbs no other test.
    const std::string folder = "/tmp/vokter-restart-" + std::to_string(::getpid()) + "-" + how;
    const std::string conninfo = cluster("start", folder);
    struct Stop {
        std::string folder;
        ~Stop() {
            const std::string line = std::string(VOKTER_SOURCE_DIR) +
                                     "/scripts/pg-cluster.sh stop " + folder + " >/dev/null 2>&1";
            if (std::system(line.c_str()) != 0)
                std::fprintf(stderr, "cannot stop %s\n", folder.c_str());
        }
    } stop{folder};
    vokter::test::write_file(dir / "rules.toml", rule_file("v1", "kake"));
    Process server(serve_args(conninfo, (dir / "rules.toml").string()), dir / "server.log");
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());

    std::atomic<bool> running{true};
    std::mutex mutex;
    std::set<long> acknowledged;
    std::atomic<int> unavailable{0}, other{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
        clients.emplace_back([&, c] {
            for (int i = 0; running; ++i) {
                auto res =
                    post(port, "/innlegg/" + std::to_string(c), "Kommentar " + std::to_string(i));
                if (!res) {
                    ++other;
                    continue;
                }
                if (res->status == 201) {
                    std::lock_guard lock(mutex);
                    acknowledged.insert(json::parse(res->body)["id"].get<long>());
                } else if (res->status == 503 && res->has_header("Retry-After")) {
                    ++unavailable;
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                } else {
                    ++other;
                    MESSAGE("unexpected answer " << res->status << ": " << res->body);
                }
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    cluster(how, folder);  // sessions are cut mid-transaction
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    cluster("start", folder);
    // Recovered on its own: posts succeed again within a few seconds.
    std::size_t before = 0;
    {
        std::lock_guard lock(mutex);
        before = acknowledged.size();
    }
    bool recovered = false;
    for (int i = 0; i < 100 && !recovered; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::lock_guard lock(mutex);
        recovered = acknowledged.size() > before + 10;
    }
    running = false;
    for (auto& client : clients)
        client.join();
    CHECK_MESSAGE(recovered, server.log());
    CHECK(unavailable.load() > 0);
    CHECK(other.load() == 0);

    const auto db = vokter::store::open_connection(conninfo, vokter::store::Durability::full);
    std::set<long> stored;
    auto& rows = db->prepare("SELECT id FROM comments");
    while (rows.step())
        stored.insert(rows.int64(0));
    for (const long id : acknowledged)
        CHECK_MESSAGE(stored.contains(id), "acknowledged comment " << id << " was lost");
    const json health = get_json(port, "/healthz");
    CHECK(health["status"] == "ok");
}

}  // namespace

// Once with a fast shutdown (sessions ended, a checkpoint), once as a crash of the server
// (immediate: no checkpoint, recovery from its WAL at the next start): what was acknowledged
// was committed with synchronous_commit = on, so it is there either way.
TEST_CASE("PostgreSQL restarted under load: 503 with Retry-After, nothing acknowledged lost" *
          doctest::test_suite("postgresql")) {
    restart_under_load("halt");
}

TEST_CASE("PostgreSQL crashed under load: 503 with Retry-After, nothing acknowledged lost" *
          doctest::test_suite("postgresql")) {
    restart_under_load("crash");
}

TEST_CASE("an unreachable PostgreSQL database fails at start with exit code 6, no password shown") {
    TempDir dir;
    Process server({VOKTER_BINARY, "serve", "--listen", "127.0.0.1:0", "--db",
                    "host=" + (dir / "nowhere").string() + " user=kari password=hemmelig dbname=x"},
                   dir / "server.log");
    CHECK(server.wait() == 6);
    const std::string log = server.log();
    CHECK(log.find("cannot reach the PostgreSQL database") != std::string::npos);
    CHECK(log.find("user=kari") != std::string::npos);
    CHECK(log.find("hemmelig") == std::string::npos);
}

TEST_CASE("store copy moves a database to PostgreSQL and back, byte-exact, refusing a full target" *
          doctest::test_suite("postgresql")) {
    TempDir dir;
    const std::string sqlite = (dir / "vokter.db").string();
    const std::string postgres = vokter::test::location(dir / "copy.db");
    const std::string back = (dir / "back.db").string();
    const auto command = [&](std::vector<std::string> args) {
        args.insert(args.begin(), VOKTER_BINARY);
        Process process(args, dir / "command.log");
        const int code = process.wait();
        return std::pair{code, process.log()};
    };
    // Something of everything: comments approved and held (æøå, emoji), a moderator, the
    // settings a start writes.
    REQUIRE(command({"moderator", "add", "kari", "--db", sqlite}).first == 0);
    vokter::test::write_file(dir / "rules.toml", rule_file("v1", "kake"));
    {
        Process server(serve_args(sqlite, (dir / "rules.toml").string()), dir / "server.log");
        const int port = server.wait_for_port();
        REQUIRE_MESSAGE(port > 0, server.log());
        REQUIRE(post(port, "/innlegg/1", "Første kommentar, blåbær 🫐")->status == 201);
        REQUIRE(post(port, "/innlegg/1", "Billig kake her")->status == 202);
        REQUIRE(post(port, "/innlegg/2", "Hei på deg")->status == 201);
        server.signal(SIGTERM);
        REQUIRE(server.wait() == 0);
    }
    const auto exported = [&](const std::string& db, const std::string& name) {
        const auto result = command({"export", "--db", db, "--out", (dir / name).string()});
        REQUIRE_MESSAGE(result.first == 0, result.second);
        return vokter::test::read_file(dir / name);
    };
    const std::string before = exported(sqlite, "before.jsonl");
    CHECK(before.find("blåbær 🫐") != std::string::npos);

    // (Not structured bindings: clang 14 lets no lambda, as doctest's macros are, refer to one.)
    int code = 0;
    std::string log;
    std::tie(code, log) = command({"store", "copy", "--from", sqlite, "--to", postgres});
    REQUIRE_MESSAGE(code == 0, log);
    CHECK(log.find("comments: 3 rows") != std::string::npos);
    CHECK(exported(postgres, "middle.jsonl") == before);

    // A target that holds data is refused, and left as it was …
    std::tie(code, log) = command({"store", "copy", "--from", sqlite, "--to", postgres});
    CHECK(code == 1);
    CHECK(log.find("holds data already") != std::string::npos);
    // … unless asked to replace it.
    std::tie(code, log) =
        command({"store", "copy", "--from", sqlite, "--to", postgres, "--replace"});
    CHECK_MESSAGE(code == 0, log);
    CHECK(exported(postgres, "replaced.jsonl") == before);

    // And back to a new SQLite file.
    std::tie(code, log) = command({"store", "copy", "--from", postgres, "--to", back});
    REQUIRE_MESSAGE(code == 0, log);
    CHECK(exported(back, "after.jsonl") == before);
}

TEST_CASE("every acknowledged comment survives kill -9 of the server on PostgreSQL" *
          doctest::test_suite("postgresql")) {
    TempDir dir;
    const std::string db = vokter::test::location(dir / "vokter.db");
    vokter::test::write_file(dir / "rules.toml", rule_file("v1", "kake"));
    std::set<long> acknowledged;
    {
        Process server(serve_args(db, (dir / "rules.toml").string()), dir / "server.log");
        const int port = server.wait_for_port();
        REQUIRE_MESSAGE(port > 0, server.log());
        std::mutex mutex;
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        for (int c = 0; c < 4; ++c) {
            clients.emplace_back([&, c] {
                for (int i = 0; !stop.load(); ++i) {
                    auto res = post(port, "/krasj/" + std::to_string(c),
                                    "Kommentar " + std::to_string(c) + "-" + std::to_string(i));
                    if (!res) continue;  // the server is gone: not acknowledged
                    if (res->status == 201 || res->status == 202) {
                        std::lock_guard lock(mutex);
                        acknowledged.insert(json::parse(res->body)["id"].get<long>());
                    }
                }
            });
        }
        while (true) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            std::lock_guard lock(mutex);
            if (acknowledged.size() >= 200) break;
        }
        server.signal(SIGKILL);
        CHECK(server.wait() == 128 + SIGKILL);
        stop = true;
        for (auto& client : clients)
            client.join();
    }
    const auto conn = vokter::store::open_connection(db, vokter::store::Durability::full);
    std::set<long> stored;
    auto& rows = conn->prepare("SELECT id FROM comments");
    while (rows.step())
        stored.insert(rows.int64(0));
    std::size_t lost = 0;
    for (const long id : acknowledged)
        lost += stored.contains(id) ? 0 : 1;
    CHECK_MESSAGE(lost == 0, lost << " acknowledged comments were lost");
    CHECK(acknowledged.size() >= 200);
}

TEST_CASE("vokter backup refuses a PostgreSQL database and names pg_dump" *
          doctest::test_suite("postgresql")) {
    TempDir dir;
    Process backup({VOKTER_BINARY, "backup", "--db", vokter::test::location(dir / "vokter.db"),
                    "--to", (dir / "copy.db").string()},
                   dir / "backup.log");
    CHECK(backup.wait() == 1);
    CHECK(backup.log().find("pg_dump") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "copy.db"));
}
