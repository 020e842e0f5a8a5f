// `vokter apikey add | list | remove` through the real binary, and the key it prints against a
// real `vokter serve`.

#include <doctest/doctest.h>
#include <httplib.h>

#include <csignal>

#include "support/test_database.hpp"
#include "support/test_support.hpp"

using namespace vokter::test;

TEST_CASE("apikey add prints a fresh key once and stores only its hash; list and remove") {
    TempDir dir;
    const CommandResult blogg =
        run_vokter_command(dir, {"apikey", "add", "blogg", "--blog", "https://Blogg.no/"});
    REQUIRE_MESSAGE(blogg.code == 0, blogg.output);
    const std::string key = second_line(blogg.output);
    CHECK(key.size() == 48);  // 192 bits
    CHECK(key.find_first_not_of("0123456789abcdef") == std::string::npos);
    const CommandResult forum =
        run_vokter_command(dir, {"apikey", "add", "forum", "--blog", "https://forum.no"});
    REQUIRE(forum.code == 0);
    CHECK(second_line(forum.output) != key);

    CHECK(run_vokter_command(dir, {"apikey", "add", "blogg", "--blog", "https://x.no"}).code == 1);
    CHECK(run_vokter_command(dir, {"apikey", "add", "ny", "--blog", "/bare/en/sti"}).code == 1);
    CHECK(run_vokter_command(dir, {"apikey", "add", "ny"}).code != 0);  // --blog is required
    CHECK(run_vokter_command(dir, {"apikey", "add", "med mellomrom", "--blog", "https://x.no"})
              .code == 1);

    const CommandResult list = run_vokter_command(dir, {"apikey", "list"});
    CHECK(list.code == 0);
    CHECK(list.output.find("blogg\thttps://blogg.no/") != std::string::npos);
    CHECK(list.output.find("forum") != std::string::npos);
    CHECK(list.output.find(key) == std::string::npos);

    const std::string db = stored_bytes(dir / "vokter.db");
    CHECK(db.find(key) == std::string::npos);

    CHECK(run_vokter_command(dir, {"apikey", "remove", "forum"}).code == 0);
    CHECK(run_vokter_command(dir, {"apikey", "remove", "forum"}).code == 1);
    CHECK(run_vokter_command(dir, {"apikey", "list"}).output.find("forum") == std::string::npos);
}

TEST_CASE("the printed key works against a running server until it is removed") {
    TempDir dir;
    const std::string key = second_line(
        run_vokter_command(dir, {"apikey", "add", "blogg", "--blog", "https://blogg.example.no"})
            .output);
    Process serve(
        {VOKTER_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", location(dir / "vokter.db")},
        dir / "serve.log");
    const int port = serve.wait_for_port();
    REQUIRE_MESSAGE(port > 0, serve.log());
    httplib::Client client("127.0.0.1", port);
    const std::string form = "key=" + key + "&blog=https%3A%2F%2Fblogg.example.no";
    const auto ok = client.Post("/1.1/verify-key", form, "application/x-www-form-urlencoded");
    REQUIRE(ok);
    CHECK(ok->body == "valid");

    CHECK(run_vokter_command(dir, {"apikey", "remove", "blogg"}).code == 0);
    const auto refused = client.Post("/1.1/verify-key", form, "application/x-www-form-urlencoded");
    REQUIRE(refused);
    CHECK(refused->status == 200);
    CHECK(refused->body == "invalid");

    serve.signal(SIGTERM);
    CHECK(serve.wait() == 0);
    CHECK(serve.log().find(key) == std::string::npos);  // keys are never logged
}
