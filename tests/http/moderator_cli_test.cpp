// `vokter moderator add | list | remove` through the real binary, and the token it prints
// against a real `vokter serve`.

#include <doctest/doctest.h>
#include <httplib.h>

#include <csignal>

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
