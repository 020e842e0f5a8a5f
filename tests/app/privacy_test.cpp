// Retention as an operator meets it: the settings and their limits, `vokter purge` with and
// without --dry-run, and `vokter serve` applying it on its own at start.

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <thread>
#include <vector>

#include "app/config.hpp"
#include "store/comment_repository.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter;
using vokter::test::Process;
using vokter::test::TempDir;

namespace {

constexpr std::int64_t kDay = 86'400'000;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

store::StoreOptions options_for(const TempDir& dir) {
    store::StoreOptions options{test::location(dir / "vokter.db"), store::Durability::normal};
    options.classifier = false;
    return options;
}

// Comments `age_days` old with the given status, from 192.0.2.77 with a browser's user agent.
void seed(const TempDir& dir, const std::vector<std::pair<std::string, int>>& comments) {
    store::Store store(options_for(dir));
    const std::int64_t now = now_ms();
    store.writer().run([&](store::Connection& db) {
        for (const auto& [status, age_days] : comments) {
            store::NewComment c;
            c.submission.thread = "/blogg/personvern";
            c.submission.name = "Kåre";
            c.submission.body =
                "Hei fra Bodø – " + status + " for " + std::to_string(age_days) + " dager siden";
            c.submission.ip = "192.0.2.77";
            c.submission.user_agent = "Mozilla/5.0 Firefox/128.0";
            c.status = status;
            c.created = now - age_days * kDay;
            c.updated = c.created;
            store::insert_comment(db, c);
        }
    });
}

struct Counts {
    std::int64_t comments = 0, full_addresses = 0, user_agents = 0;
};

Counts counts(const TempDir& dir) {
    store::Store store(options_for(dir));
    auto db = store.read();
    auto& stmt = db->prepare(
        "SELECT count(*), coalesce(sum(CASE WHEN ip = '192.0.2.77' THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN user_agent <> '' THEN 1 ELSE 0 END), 0) FROM comments");
    REQUIRE(stmt.step());
    Counts c{stmt.int64(0), stmt.int64(1), stmt.int64(2)};
    stmt.reset();
    return c;
}

}  // namespace

TEST_CASE("retention periods default to 30 and 60 days; out of range is refused at start") {
    const auto defaults = app::load_config("", {});
    REQUIRE(defaults);
    CHECK(app::retention_policy(defaults.value()).address_days == 30);
    CHECK(app::retention_policy(defaults.value()).spam_days == 60);
    const auto set =
        app::load_config("", {{"ip_retention_days", "7"}, {"spam_retention_days", "14"}});
    REQUIRE(set);
    CHECK(app::retention_policy(set.value()).address_days == 7);
    CHECK(app::retention_policy(set.value()).spam_days == 14);
    for (const auto& setting :  // no bindings: clang 14's doctest macros cannot use them
         std::vector<std::pair<std::string, std::string>>{{"ip_retention_days", "0"},
                                                          {"ip_retention_days", "366"},
                                                          {"ip_retention_days", "forever"},
                                                          {"spam_retention_days", "0"},
                                                          {"spam_retention_days", "3651"}}) {
        const auto refused = app::load_config("", {{setting.first, setting.second}});
        REQUIRE_FALSE(refused);
        CHECK(refused.errors()[0].message.find(setting.first) != std::string::npos);
    }
    TempDir dir;
    const auto serve = test::run_vokter_command(dir, {"serve", "--ip-retention-days", "0"});
    CHECK(serve.code == 1);
    CHECK(serve.output.find("ip_retention_days") != std::string::npos);
}

TEST_CASE("vokter purge --dry-run tells what vokter purge then does") {
    TempDir dir;
    seed(dir, {{store::kApproved, 45},
               {store::kApproved, 3},
               {store::kSpam, 70},
               {store::kRejected, 61},
               {store::kSpam, 20}});
    const Counts before = counts(dir);
    CHECK(before.comments == 5);

    const auto dry = test::run_vokter_command(dir, {"purge", "--dry-run"});
    CHECK_MESSAGE(dry.code == 0, dry.output);
    CHECK(dry.output.find("would do: 3 addresses cut (3 comments, 0 Akismet reports), 2 spam "
                          "and rejected comments deleted") != std::string::npos);
    const Counts unchanged = counts(dir);
    CHECK(unchanged.comments == before.comments);
    CHECK(unchanged.full_addresses == before.full_addresses);

    const auto done = test::run_vokter_command(dir, {"purge"});
    CHECK_MESSAGE(done.code == 0, done.output);
    CHECK(done.output.find("done: 3 addresses cut (3 comments, 0 Akismet reports), 2 spam and "
                           "rejected comments deleted") != std::string::npos);
    const Counts after = counts(dir);
    CHECK(after.comments == 3);        // the two old spam and rejected ones went
    CHECK(after.full_addresses == 2);  // the comments of 3 and 20 days ago
    CHECK(after.user_agents == 2);

    const auto again = test::run_vokter_command(dir, {"purge"});
    CHECK(again.output.find("done: nothing past its retention period") != std::string::npos);
    // Shorter periods from the configuration, as the service would use them.
    const auto shorter = test::run_vokter_command(dir, {"purge", "--ip-retention-days", "2"});
    CHECK(shorter.output.find("done: 2 addresses cut") != std::string::npos);
    CHECK(counts(dir).full_addresses == 0);
}

TEST_CASE("vokter serve applies the retention periods on its own, and logs what it did") {
    TempDir dir;
    seed(dir, {{store::kPending, 31}, {store::kSpam, 61}, {store::kApproved, 1}});
    Process server({VOKTER_BINARY, "serve", "--listen", "127.0.0.1:0", "--db",
                    test::location(dir / "vokter.db")},
                   dir / "server.log");
    REQUIRE_MESSAGE(server.wait_for_port() > 0, server.log());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (server.log().find("retention: ") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(server.log().find("retention: 2 addresses cut (2 comments, 0 Akismet reports), 1 spam "
                            "or rejected comment deleted") != std::string::npos);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
    const Counts after = counts(dir);
    CHECK(after.comments == 2);
    CHECK(after.full_addresses == 1);
}

TEST_CASE("vokter privacy export prints a reader's data; erase removes it; unknown says so") {
    TempDir dir;
    {
        store::Store store(options_for(dir));
        store.writer().run([&](store::Connection& db) {
            store::NewComment c;
            c.submission.thread = "/blogg/innsyn";
            c.submission.name = "Bjørn Ås";
            c.submission.email = "bjorn@example.no";
            c.submission.body = "Kommentar med æøå og 🐻";
            c.submission.ip = "203.0.113.61";
            c.status = store::kApproved;
            c.created = now_ms();
            store::insert_comment(db, c);
        });
    }
    const auto exported =
        test::run_vokter_command(dir, {"privacy", "export", "--email", "bjorn@example.no"});
    CHECK_MESSAGE(exported.code == 0, exported.output);
    CHECK(exported.output.find("\"body\": \"Kommentar med æøå og 🐻\"") != std::string::npos);
    CHECK(exported.output.find("\"ip\": \"203.0.113.61\"") != std::string::npos);
    CHECK(exported.output.find("\"name\": \"Bjørn Ås\"") != std::string::npos);

    const auto unknown =
        test::run_vokter_command(dir, {"privacy", "erase", "--email", "nobody@example.no"});
    CHECK(unknown.code == 1);
    CHECK(unknown.output.find("no comment or Akismet report holds the address nobody@example.no") !=
          std::string::npos);

    const auto erased =
        test::run_vokter_command(dir, {"privacy", "erase", "--email", "bjorn@example.no"});
    CHECK_MESSAGE(erased.code == 0, erased.output);
    CHECK(erased.output.find("erased the personal data of 1 comment and 0 Akismet reports") !=
          std::string::npos);
    const auto after =
        test::run_vokter_command(dir, {"privacy", "export", "--email", "bjorn@example.no"});
    CHECK(after.code == 1);
    store::Store store(options_for(dir));
    auto db = store.read();
    auto& row = db->prepare("SELECT name, email, ip, body FROM comments");
    REQUIRE(row.step());
    CHECK(row.text(0).empty());
    CHECK(row.text(1).empty());
    CHECK(row.text(2).empty());
    CHECK(row.text(3) == "Kommentar med æøå og 🐻");  // kept: --bodies was not given
    row.reset();
}
