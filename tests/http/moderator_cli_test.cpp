// `vokter moderator add | list | remove` through the real binary, and the token it prints
// against a real `vokter serve`.

#include <doctest/doctest.h>
#include <httplib.h>

#include <csignal>

#include "http/log.hpp"
#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter::test;

TEST_CASE("moderator add prints a fresh 256-bit token once; list and remove manage accounts") {
    TempDir dir;
    const CommandResult kari = run_vokter_command(dir, {"moderator", "add", "kari"});
    REQUIRE_MESSAGE(kari.code == 0, kari.output);
    const std::string token = second_line(kari.output);
    CHECK(token.size() == 64);
    CHECK(token.find_first_not_of("0123456789abcdef") == std::string::npos);
    const CommandResult ola = run_vokter_command(dir, {"moderator", "add", "ola"});
    REQUIRE(ola.code == 0);
    CHECK(second_line(ola.output) != token);

    const CommandResult again = run_vokter_command(dir, {"moderator", "add", "kari"});
    CHECK(again.code == 1);
    CHECK(again.output.find("already") != std::string::npos);
    CHECK(run_vokter_command(dir, {"moderator", "add", "kari nordmann"}).code == 1);

    const CommandResult list = run_vokter_command(dir, {"moderator", "list"});
    CHECK(list.code == 0);
    CHECK(list.output.find("kari") != std::string::npos);
    CHECK(list.output.find("ola") != std::string::npos);
    CHECK(list.output.find(token) == std::string::npos);  // never shown again

    // Only the hash is stored.
    const std::string db = stored_bytes(dir / "vokter.db");
    CHECK(db.find(token) == std::string::npos);

    CHECK(run_vokter_command(dir, {"moderator", "remove", "ola"}).code == 0);
    CHECK(run_vokter_command(dir, {"moderator", "remove", "ola"}).code == 1);
    const CommandResult after = run_vokter_command(dir, {"moderator", "list"});
    CHECK(after.output.find("ola") == std::string::npos);
}

TEST_CASE("the printed token opens the moderator API of a running server until removed") {
    TempDir dir;
    const std::string token =
        second_line(run_vokter_command(dir, {"moderator", "add", "kari"}).output);
    Process serve(
        {VOKTER_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", location(dir / "vokter.db")},
        dir / "serve.log");
    const int port = serve.wait_for_port();
    REQUIRE_MESSAGE(port > 0, serve.log());
    httplib::Client client("127.0.0.1", port);
    const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
    const auto ok = client.Get("/api/moderation/queue", auth);
    REQUIRE(ok);
    CHECK(ok->status == 200);

    CHECK(run_vokter_command(dir, {"moderator", "remove", "kari"}).code == 0);
    const auto refused = client.Get("/api/moderation/queue", auth);
    REQUIRE(refused);
    CHECK(refused->status == 401);

    serve.signal(SIGTERM);
    CHECK(serve.wait() == 0);
    CHECK(serve.log().find(token) == std::string::npos);  // tokens are never logged
}

TEST_CASE("moderator rotate gives a new token and the old one stops working at once") {
    TempDir dir;
    const std::string old_token =
        second_line(run_vokter_command(dir, {"moderator", "add", "kari"}).output);
    Process serve(
        {VOKTER_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", location(dir / "vokter.db")},
        dir / "serve.log");
    const int port = serve.wait_for_port();
    REQUIRE_MESSAGE(port > 0, serve.log());
    httplib::Client client("127.0.0.1", port);
    const auto status_with = [&](const std::string& token) {
        const auto res = client.Get("/api/moderation/me", {{"Authorization", "Bearer " + token}});
        REQUIRE(res);
        return res->status;
    };
    CHECK(status_with(old_token) == 200);

    const CommandResult rotated = run_vokter_command(dir, {"moderator", "rotate", "kari"});
    REQUIRE_MESSAGE(rotated.code == 0, rotated.output);
    const std::string new_token = second_line(rotated.output);
    CHECK(new_token.size() == 64);
    CHECK(new_token != old_token);
    CHECK(rotated.output.find("never expires") != std::string::npos);
    CHECK(status_with(old_token) == 401);
    CHECK(status_with(new_token) == 200);
    CHECK(run_vokter_command(dir, {"moderator", "rotate", "nobody"}).code == 1);

    // The last use shows in the list (the server wrote it on the first request).
    const CommandResult list = run_vokter_command(dir, {"moderator", "list"});
    CHECK(list.output.find("kari\tadded ") != std::string::npos);
    CHECK(list.output.find("last used 20") != std::string::npos);
    CHECK(list.output.find("never expires") != std::string::npos);
    serve.signal(SIGTERM);
    CHECK(serve.wait() == 0);
    CHECK(serve.log().find(new_token) == std::string::npos);
}

TEST_CASE("tokens that expire: --expires-days on add and rotate, kept by a plain rotate") {
    TempDir dir;
    const CommandResult added =
        run_vokter_command(dir, {"moderator", "add", "kari", "--expires-days", "30"});
    REQUIRE_MESSAGE(added.code == 0, added.output);
    CHECK(added.output.find("It expires at 20") != std::string::npos);
    const auto expiry_of = [&](const CommandResult& result) {
        const auto at = result.output.find("expires at ");
        REQUIRE(at != std::string::npos);
        return result.output.substr(at + 11, 10);  // the date
    };
    const auto days_from_now = [](int days) {
        return vokter::http::iso_time(vokter::http::now_ms() + days * 86'400'000LL).substr(0, 10);
    };
    CHECK(expiry_of(added) == days_from_now(30));
    CHECK(run_vokter_command(dir, {"moderator", "list"})
              .output.find("expires " + days_from_now(30)) != std::string::npos);

    // A plain rotation gives the new token the old one's lifetime; --expires-days a new one;
    // --no-expiry none.
    CHECK(expiry_of(run_vokter_command(dir, {"moderator", "rotate", "kari"})) == days_from_now(30));
    CHECK(expiry_of(run_vokter_command(
              dir, {"moderator", "rotate", "kari", "--expires-days", "7"})) == days_from_now(7));
    const CommandResult forever =
        run_vokter_command(dir, {"moderator", "rotate", "kari", "--no-expiry"});
    REQUIRE(forever.code == 0);
    CHECK(forever.output.find("It never expires.") != std::string::npos);
    CHECK(
        run_vokter_command(dir, {"moderator", "rotate", "kari"}).output.find("It never expires.") !=
        std::string::npos);

    // Out of range, or both at once: refused, nothing changed.
    for (const char* days : {"0", "3651", "-1", "tretti"}) {
        CAPTURE(days);
        CHECK(run_vokter_command(dir, {"moderator", "add", "ola", "--expires-days", days}).code !=
              0);
    }
    CHECK(run_vokter_command(dir,
                             {"moderator", "rotate", "kari", "--expires-days", "3", "--no-expiry"})
              .code != 0);
    CHECK(run_vokter_command(dir, {"moderator", "list"}).output.find("ola") == std::string::npos);
}
