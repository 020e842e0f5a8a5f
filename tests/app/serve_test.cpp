// Tests of the real `vokter` binary: start-up, clean shutdown, crash safety, rule reloads.

#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "store/database.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "support/test_support.hpp"

using vokter::test::Process;
using vokter::test::TempDir;
using json = nlohmann::json;

namespace {

std::vector<std::string> serve_args(const TempDir& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {VOKTER_BINARY, "serve", "--listen",
                                     "127.0.0.1:0", "--db",  (dir / "vokter.db").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

httplib::Result post(int port, const json& doc) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(10);
    return client.Post("/api/comments", doc.dump(), "application/json");
}

// The ids of `acknowledged` that the database has no comment for.
std::vector<long> missing_comments(vokter::store::Connection& db,
                                   const std::set<long>& acknowledged) {
    std::set<long> stored;
    auto& stmt = db.prepare("SELECT id FROM comments");
    while (stmt.step())
        stored.insert(stmt.int64(0));
    stmt.reset();
    std::vector<long> lost;
    for (const long id : acknowledged) {
        if (!stored.contains(id)) lost.push_back(id);
    }
    return lost;
}

}  // namespace

TEST_CASE("--help explains every command and option") {
    TempDir dir;
    Process help({VOKTER_BINARY, "--help"}, dir / "help.log");
    CHECK(help.wait() == 0);
    for (const char* command : {"serve", "rules", "migrate", "backup", "thread", "healthcheck"}) {
        CHECK_MESSAGE(help.log().find(command) != std::string::npos, command);
    }
    Process serve_help({VOKTER_BINARY, "serve", "--help"}, dir / "serve-help.log");
    CHECK(serve_help.wait() == 0);
    for (const char* option :
         {"--listen", "--db", "--rules", "--config", "VOKTER_LISTEN", "--threads", "--cors-origins",
          "VOKTER_TRUSTED_PROXIES", "[default: 127.0.0.1:8080;"}) {
        CHECK_MESSAGE(serve_help.log().find(option) != std::string::npos, option);
    }
}

TEST_CASE("serve answers, logs requests and stops cleanly on SIGTERM") {
    TempDir dir;
    Process server(serve_args(dir), dir / "server.log", {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"}});
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());
    const auto res = post(port, {{"thread", "/blogg/fem-laeringspunkter"},
                                 {"name", "Kari"},
                                 {"body", "Takk for en god oppsummering – særlig punkt 3!"}});
    REQUIRE(res);
    CHECK((res->status == 201 || res->status == 202));
    CHECK(json::parse(res->body)["id"].get<long>() > 0);
    const std::string address = "127.0.0.1:" + std::to_string(port);
    Process healthy({VOKTER_BINARY, "healthcheck", "--listen", address}, dir / "health.log");
    CHECK(healthy.wait() == 0);
    CHECK(healthy.log().find("\"status\":\"ok\"") != std::string::npos);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
    Process gone({VOKTER_BINARY, "healthcheck", "--listen", address}, dir / "gone.log");
    CHECK(gone.wait() == 1);
    const std::string log = server.log();
    CHECK(log.find("POST /api/comments 20") != std::string::npos);
    CHECK(log.find("listen=127.0.0.1:0") != std::string::npos);  // the effective config
    CHECK(log.find("SIGTERM: stopping") != std::string::npos);
    CHECK(log.find("stopped") != std::string::npos);
}

namespace {

// The environment the process `pid` was started with (/proc/PID/environ: the strings as execve
// passed them, NUL-separated; glibc's loader may cut GLIBC_TUNABLES there where it parsed it).
std::string environment_of(pid_t pid) {
    return vokter::test::read_file("/proc/" + std::to_string(pid) + "/environ");
}

}  // namespace

TEST_CASE("serve limits glibc's thread caches unless the operator set them") {
    TempDir dir;
    SUBCASE("unset: started again with two blocks a size, on the same pid") {
        Process server(serve_args(dir), dir / "server.log",
                       {{"GLIBC_TUNABLES", "glibc.malloc.arena_test=4"}});
        REQUIRE_MESSAGE(server.wait_for_port() > 0, server.log());
        const std::string env = environment_of(server.pid());
        CHECK(env.find("GLIBC_TUNABLES=glibc.malloc.arena_test=4") != std::string::npos);
        CHECK(env.find("glibc.malloc.tcache_count=2") != std::string::npos);
        CHECK(server.log().find("cannot limit") == std::string::npos);
    }
    SUBCASE("set by the operator: kept as it is") {
        Process server(serve_args(dir), dir / "server.log",
                       {{"GLIBC_TUNABLES", "glibc.malloc.tcache_count=7"}});
        REQUIRE_MESSAGE(server.wait_for_port() > 0, server.log());
        const std::string env = environment_of(server.pid());
        CHECK(env.find("GLIBC_TUNABLES=glibc.malloc.tcache_count=7") != std::string::npos);
        CHECK(env.find("tcache_count=2") == std::string::npos);
    }
}

TEST_CASE("every acknowledged comment survives kill -9 of the server") {
    TempDir dir;
    std::set<long> acknowledged;
    {
        Process server(serve_args(dir), dir / "server.log",
                       {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"}, {"VOKTER_LOG_REQUESTS", "false"}});
        const int port = server.wait_for_port();
        REQUIRE_MESSAGE(port > 0, server.log());
        std::mutex mutex;
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        for (int c = 0; c < 4; ++c) {
            clients.emplace_back([&, c] {
                httplib::Client client("127.0.0.1", port);
                client.set_read_timeout(5);
                for (int i = 0; !stop.load(); ++i) {
                    const json doc = {{"thread", "/krasj/" + std::to_string(c)},
                                      {"body", "Kommentar " + std::to_string(c) + "-" +
                                                   std::to_string(i) + " æøå"}};
                    const auto res = client.Post("/api/comments", doc.dump(), "application/json");
                    if (!res) continue;  // the server is gone: the request was not acknowledged
                    if (res->status == 201 || res->status == 202) {
                        std::lock_guard lock(mutex);
                        acknowledged.insert(json::parse(res->body)["id"].get<long>());
                    }
                }
            });
        }
        // Kill while the clients are busy writing.
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
    REQUIRE(acknowledged.size() >= 200);
    // The restarted server recovers the database (WAL) and serves again.
    Process restarted(serve_args(dir), dir / "restarted.log");
    REQUIRE_MESSAGE(restarted.wait_for_port() > 0, restarted.log());
    restarted.signal(SIGTERM);
    CHECK(restarted.wait() == 0);

    vokter::store::SqliteConnection db((dir / "vokter.db").string(),
                                       vokter::store::Durability::full);
    const std::vector<long> lost = missing_comments(db, acknowledged);
    CHECK_MESSAGE(lost.empty(), lost.size(), " acknowledged comments were lost");
}

TEST_CASE("kill -9 in the middle of large batches loses no acknowledged write and splits none") {
    TempDir dir;
    const auto added = vokter::test::run_vokter_command(dir, {"moderator", "add", "kari"});
    REQUIRE(added.code == 0);
    const httplib::Headers auth = {
        {"Authorization", "Bearer " + vokter::test::second_line(added.output)}};
    const std::vector<std::string> decisions = {"spam", "approve"};  // each flips every id
    std::vector<long> decided_ids;  // 500 comments, decided together again and again
    std::set<long> acknowledged;
    int decisions_answered = 0;
    std::atomic<bool> decision_in_flight{false};
    {
        Process server(serve_args(dir), dir / "server.log",
                       {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"}, {"VOKTER_LOG_REQUESTS", "false"}});
        const int port = server.wait_for_port();
        REQUIRE_MESSAGE(port > 0, server.log());
        httplib::Client control("127.0.0.1", port);
        control.set_read_timeout(10);
        for (int i = 0; i < 500; ++i) {
            const auto res = post(port, {{"thread", "/krasj/moderert"},
                                         {"body", "Til moderering " + std::to_string(i)}});
            REQUIRE(res);
            REQUIRE(res->status / 100 == 2);
            decided_ids.push_back(json::parse(res->body)["id"].get<long>());
        }
        const auto metrics = [&] {
            const auto res = control.Get("/metrics");
            REQUIRE(res);
            return std::make_pair(
                vokter::test::metric_value(res->body, "vokter_store_batches_total").value_or(0),
                vokter::test::metric_value(res->body, "vokter_store_batch_jobs_total").value_or(0));
        };
        const auto before = metrics();

        // 48 posting clients keep the writer's batches large; a moderator decides on the 500
        // comments in one transaction after another.
        std::mutex mutex;
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        for (int c = 0; c < 48; ++c) {
            clients.emplace_back([&, c] {
                httplib::Client client("127.0.0.1", port);
                client.set_read_timeout(5);
                for (int i = 0; !stop.load(); ++i) {
                    const json doc = {{"thread", "/krasj/" + std::to_string(c % 8)},
                                      {"body", "Stor batch " + std::to_string(c) + "-" +
                                                   std::to_string(i) + " æøå"}};
                    const auto res = client.Post("/api/comments", doc.dump(), "application/json");
                    if (!res) continue;  // the server is gone: not acknowledged
                    if (res->status == 201 || res->status == 202) {
                        std::lock_guard lock(mutex);
                        acknowledged.insert(json::parse(res->body)["id"].get<long>());
                    }
                }
            });
        }
        std::thread moderator([&] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(10);
            for (int round = 0; !stop.load(); ++round) {
                const json doc = {{"ids", decided_ids}, {"action", decisions[round % 2]}};
                decision_in_flight = true;
                const auto res =
                    client.Post("/api/moderation/decisions", auth, doc.dump(), "application/json");
                if (!res) return;  // killed while in flight
                decision_in_flight = false;
                if (res->status == 200) {
                    std::lock_guard lock(mutex);
                    decisions_answered = round + 1;
                }
            }
        });
        // Kill once the load is well under way, while a decision is in flight.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            std::lock_guard lock(mutex);
            if (acknowledged.size() >= 1500 && decisions_answered >= 3 && decision_in_flight) break;
        }
        const auto during = metrics();
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        server.signal(SIGKILL);
        CHECK(server.wait() == 128 + SIGKILL);
        stop = true;
        for (auto& client : clients)
            client.join();
        moderator.join();
        // The writer was committing many jobs to a transaction when it was killed.
        const double batches = during.first - before.first;
        const double jobs = during.second - before.second;
        REQUIRE(batches > 0);
        MESSAGE("killed after " << acknowledged.size() << " comments and " << decisions_answered
                                << " decisions answered; mean batch " << jobs / batches);
        CHECK(jobs / batches >= 4);
    }
    REQUIRE(acknowledged.size() >= 1500);
    REQUIRE(decisions_answered >= 3);

    Process restarted(serve_args(dir), dir / "restarted.log");
    REQUIRE_MESSAGE(restarted.wait_for_port() > 0, restarted.log());
    restarted.signal(SIGTERM);
    CHECK(restarted.wait() == 0);

    vokter::store::SqliteConnection db((dir / "vokter.db").string(),
                                       vokter::store::Durability::full);
    auto& check = db.prepare("PRAGMA integrity_check");
    REQUIRE(check.step());
    CHECK(check.text(0) == "ok");
    check.reset();
    const std::vector<long> lost = missing_comments(db, acknowledged);
    CHECK_MESSAGE(lost.empty(), lost.size(), " acknowledged comments were lost");
    // Each decision is one transaction: the 500 comments all carry the last answered one's
    // status, or all the one in flight at the kill; never a mix.
    auto& statuses = db.prepare(
        "SELECT status, count(*) FROM comments WHERE thread_id = "
        "(SELECT id FROM threads WHERE uri = '/krasj/moderert') GROUP BY status");
    std::vector<std::pair<std::string, long>> found;
    while (statuses.step())
        found.emplace_back(statuses.text(0), statuses.int64(1));
    REQUIRE(found.size() == 1);
    CHECK(found[0].second == 500);
    const std::string answered =
        decisions[(decisions_answered - 1) % 2] == "spam" ? "spam" : "approved";
    const std::string in_flight = decisions[decisions_answered % 2] == "spam" ? "spam" : "approved";
    CHECK((found[0].first == answered || found[0].first == in_flight));
    auto& log = db.prepare("SELECT count(*) FROM moderation_log");
    REQUIRE(log.step());
    const long entries = log.int64(0);
    CHECK((entries == 500L * decisions_answered || entries == 500L * (decisions_answered + 1)));
}

TEST_CASE("a database written by a newer Vokter is refused with exit code 3") {
    TempDir dir;
    {
        vokter::store::SqliteConnection db((dir / "vokter.db").string(),
                                           vokter::store::Durability::full);
        db.exec("PRAGMA user_version = 9999");
    }
    Process server(serve_args(dir), dir / "server.log");
    CHECK(server.wait() == 3);
    CHECK(server.log().find("newer Vokter") != std::string::npos);
}

TEST_CASE("an invalid configuration stops start-up with every error") {
    TempDir dir;
    Process server(serve_args(dir, {"--threads", "0", "--durability", "maybe"}),
                   dir / "server.log");
    CHECK(server.wait() == 1);
    CHECK(server.log().find("--threads") != std::string::npos);
    CHECK(server.log().find("--durability") != std::string::npos);
}

namespace {

std::string rule_file(const std::string& version, const std::string& word) {
    return "version = \"" + version +
           "\"\n[thresholds]\nhold = 5.0\nspam = 10.0\n\n[[rule]]\nid = \"WORD\"\n"
           "description = \"a test word\"\nwords = [\"" +
           word + "\"]\nscore = 6.0\nexamples.match = [\"" + word +
           " nå\"]\n"
           "examples.no_match = [\"noe annet\"]\n";
}

json health(int port) {
    httplib::Client client("127.0.0.1", port);
    return json::parse(client.Get("/healthz")->body);
}

// Waits until /healthz reports `check` true (the reload runs on the signal thread).
template <class Check>
bool eventually(int port, Check check) {
    for (int i = 0; i < 500; ++i) {
        if (check(health(port))) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace

TEST_CASE("SIGHUP reloads the rule file; a broken file leaves the old rules in force") {
    TempDir dir;
    const auto rules = dir / "rules.toml";
    vokter::test::write_file(rules, rule_file("v1", "kjøp"));
    Process server(serve_args(dir, {"--rules", rules.string()}), dir / "server.log",
                   {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"}});
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());
    CHECK(health(port)["ruleset_version"] == "v1");
    CHECK(post(port, {{"thread", "/a"}, {"body", "Kjøp nå"}})->status == 202);
    CHECK(post(port, {{"thread", "/a"}, {"body", "Selg nå"}})->status == 201);

    vokter::test::write_file(rules, rule_file("v2", "selg"));
    server.signal(SIGHUP);
    REQUIRE(eventually(port, [](const json& h) { return h["ruleset_version"] == "v2"; }));
    CHECK(post(port, {{"thread", "/b"}, {"body", "Kjøp nå"}})->status == 201);
    CHECK(post(port, {{"thread", "/b"}, {"body", "Selg nå"}})->status == 202);

    vokter::test::write_file(rules,
                             "version = \"v3\"\n[[rule]]\nid = \"BAD\"\npattern = '(unclosed'\n");
    server.signal(SIGHUP);
    REQUIRE(eventually(port, [](const json& h) { return h.contains("rules_error"); }));
    const json h = health(port);
    CHECK(h["ruleset_version"] == "v2");
    CHECK(h["rules_error"].get<std::string>().find("BAD") != std::string::npos);
    CHECK(post(port, {{"thread", "/c"}, {"body", "Selg nå"}})->status == 202);
    CHECK(server.log().find("rule file refused, the old rules stay in force") != std::string::npos);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}

TEST_CASE("backup writes a consistent copy; thread close makes the page refuse comments") {
    TempDir dir;
    const std::string db = (dir / "vokter.db").string();
    Process migrate({VOKTER_BINARY, "migrate", "--db", db}, dir / "migrate.log");
    CHECK(migrate.wait() == 0);
    CHECK(migrate.log().find("schema version") != std::string::npos);
    {
        Process server(serve_args(dir), dir / "server.log");
        const int port = server.wait_for_port();
        REQUIRE(port > 0);
        REQUIRE(post(port, {{"thread", "/stengt"}, {"body", "første"}})->status == 201);
        Process close({VOKTER_BINARY, "thread", "close", "/stengt", "--db", db}, dir / "close.log");
        CHECK(close.wait() == 0);
        CHECK(post(port, {{"thread", "/stengt"}, {"body", "andre"}})->status == 403);
        Process unknown({VOKTER_BINARY, "thread", "close", "/finnes-ikke", "--db", db},
                        dir / "unknown.log");
        CHECK(unknown.wait() == 1);
        Process backup({VOKTER_BINARY, "backup", "--db", db, "--to", (dir / "copy.db").string()},
                       dir / "backup.log");
        CHECK(backup.wait() == 0);
        Process again({VOKTER_BINARY, "backup", "--db", db, "--to", (dir / "copy.db").string()},
                      dir / "again.log");
        CHECK(again.wait() == 1);  // never overwrites
        server.signal(SIGTERM);
        CHECK(server.wait() == 0);
    }
    vokter::store::SqliteConnection copy((dir / "copy.db").string(),
                                         vokter::store::Durability::full);
    auto& stmt = copy.prepare("SELECT body FROM comments");
    REQUIRE(stmt.step());
    CHECK(stmt.text(0) == "første");
}
