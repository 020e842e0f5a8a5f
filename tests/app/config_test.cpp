#include "app/config.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>

#include "support/test_support.hpp"

using namespace vokter::app;

namespace {
// Sets an environment variable for the scope of one test.
struct ScopedEnv {
    ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
    ~ScopedEnv() { unsetenv(name_); }
    const char* name_;
};
}  // namespace

TEST_CASE("defaults serve on 127.0.0.1:8080 with ./vokter.db and the embedded rules") {
    const auto config = load_config("", {});
    REQUIRE(config);
    CHECK(config.value().listen == "127.0.0.1:8080");
    CHECK(config.value().db == "vokter.db");
    CHECK(config.value().rules.empty());
    const auto options = server_options(config.value());
    CHECK(options.host == "127.0.0.1");
    CHECK(options.port == 8080);
}

TEST_CASE("the file, then the environment, then flags: each later source wins") {
    vokter::test::TempDir dir;
    const auto file = dir / "vokter.toml";
    vokter::test::write_file(file,
                             "listen = \"0.0.0.0:9000\"\nthreads = 16\nmax_depth = 3\n"
                             "cors_origins = [\"https://a.example\", \"https://b.example\"]\n"
                             "reveal_spam = true\n");
    ScopedEnv threads("VOKTER_THREADS", "24");
    ScopedEnv depth("VOKTER_MAX_DEPTH", "4");
    const auto config = load_config(file.string(), {{"max_depth", "2"}});
    REQUIRE(config);
    const Config& c = config.value();
    CHECK(c.listen == "0.0.0.0:9000");  // file only
    CHECK(c.threads == 24);             // environment over file
    CHECK(c.max_depth == 2);            // flag over environment
    CHECK(c.reveal_spam);
    CHECK(c.cors_origins == std::vector<std::string>{"https://a.example", "https://b.example"});
}

TEST_CASE("every bad setting is reported with where it came from") {
    vokter::test::TempDir dir;
    const auto file = dir / "vokter.toml";
    vokter::test::write_file(file, "listen = \"nowhere\"\nthreds = 4\n");
    ScopedEnv durability("VOKTER_DURABILITY", "sometimes");
    const auto config = load_config(file.string(), {{"threads", "0"}});
    REQUIRE_FALSE(config);
    const auto& errors = config.errors();
    REQUIRE(errors.size() == 4);
    CHECK(errors[0].where == file.string() + ":1");
    CHECK(errors[0].message.find("HOST:PORT") != std::string::npos);
    CHECK(errors[1].message == "unknown setting threds");
    CHECK(errors[2].where == "VOKTER_DURABILITY");
    CHECK(errors[3].where == "--threads");
}

TEST_CASE("a config file with a TOML syntax error names the line") {
    vokter::test::TempDir dir;
    const auto file = dir / "vokter.toml";
    vokter::test::write_file(file, "listen = \"127.0.0.1:1\"\ndb = \n");
    const auto config = load_config(file.string(), {});
    REQUIRE_FALSE(config);
    CHECK(config.errors()[0].where.starts_with(file.string() + ":2"));
}

TEST_CASE("a config file nested deeper than rule files may be is refused, not parsed") {
    vokter::test::TempDir dir;
    const auto file = dir / "vokter.toml";
    std::string deep = "a";
    for (int i = 0; i < 30000; ++i)
        deep += ".a";
    vokter::test::write_file(file, "listen = \"127.0.0.1:1\"\n" + deep + " = 1\n");
    const auto config = load_config(file.string(), {});  // would overflow the stack in toml++
    REQUIRE_FALSE(config);
    CHECK(config.errors()[0].code == "too_deep");
    CHECK(config.errors()[0].where.starts_with(file.string() + ":2:"));
}

TEST_CASE("names of flags and environment variables follow the keys") {
    CHECK(env_name("max_body_chars") == "VOKTER_MAX_BODY_CHARS");
    CHECK(flag_name("max_body_chars") == "--max-body-chars");
    CHECK(describe(load_config("", {}).value()).find("listen=127.0.0.1:8080") != std::string::npos);
}

TEST_CASE("akismet_discard_margin takes a decimal from the file, the environment or a flag") {
    CHECK(load_config("", {}).value().akismet_discard_margin == 5.0);
    vokter::test::TempDir dir;
    const auto file = dir / "vokter.toml";
    vokter::test::write_file(file, "akismet_discard_margin = 2.5\n");
    const auto from_file = load_config(file.string(), {});
    REQUIRE(from_file);
    CHECK(from_file.value().akismet_discard_margin == 2.5);
    CHECK(server_options(from_file.value()).akismet.discard_margin == 2.5);
    vokter::test::write_file(file, "akismet_discard_margin = 7\n");
    CHECK(load_config(file.string(), {}).value().akismet_discard_margin == 7.0);
    CHECK(load_config("", {{"akismet_discard_margin", "0"}}).value().akismet_discard_margin == 0);
    CHECK(!load_config("", {{"akismet_discard_margin", "-1"}}));
    CHECK(!load_config("", {{"akismet_discard_margin", "mye"}}));
}

TEST_CASE("connection limits and the request deadline reach the server's options") {
    const auto defaults = server_options(load_config("", {}).value());
    CHECK(defaults.max_header_bytes == 32768);
    CHECK(defaults.max_connections == 1024);
    CHECK(defaults.max_connections_per_ip == 128);
    CHECK(defaults.request_timeout_ms == 10000);
    const auto config = load_config("", {{"max_header_bytes", "16384"},
                                         {"max_connections", "300"},
                                         {"max_connections_per_ip", "16"},
                                         {"request_timeout_seconds", "4"}});
    REQUIRE(config);
    const auto options = server_options(config.value());
    CHECK(options.max_header_bytes == 16384);
    CHECK(options.max_connections == 300);
    CHECK(options.max_connections_per_ip == 16);
    CHECK(options.request_timeout_ms == 4000);
    const auto wrong = load_config("", {{"max_connections_per_ip", "0"},
                                        {"request_timeout_seconds", "0"},
                                        {"max_header_bytes", "100"}});
    REQUIRE_FALSE(wrong);
    CHECK(wrong.errors().size() == 3);
}

TEST_CASE("isso_prefix: /isso by default, another path, empty for none, nothing else") {
    CHECK(server_options(load_config("", {}).value()).isso_prefix == "/isso");
    const auto moved = load_config("", {{"isso_prefix", "/kommentarer/isso-api"}});
    REQUIRE(moved);
    CHECK(server_options(moved.value()).isso_prefix == "/kommentarer/isso-api");
    const auto off = load_config("", {{"isso_prefix", ""}});
    REQUIRE(off);
    CHECK(server_options(off.value()).isso_prefix.empty());
    for (const char* wrong :
         {"isso", "/isso/", "/is so", "/isso(.*)", "//isso", "/api", "/api/isso", "/1.1/isso"}) {
        CAPTURE(wrong);
        const auto refused = load_config("", {{"isso_prefix", wrong}});
        REQUIRE_FALSE(refused);
        CHECK(refused.errors().front().where == "--isso-prefix");
    }
}
