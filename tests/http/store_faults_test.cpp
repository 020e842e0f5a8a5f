// Storage faults over HTTP: a full disk (a small tmpfs the test mounts as root) and a lock held
// by another connection answer 503 with Retry-After, as problem+json or, for a form post, as the
// HTML error page; /healthz says the store cannot write; reads go on; nothing acknowledged is
// lost; and the service recovers by itself once the fault is gone.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "core/active_ruleset.hpp"
#include "http/server.hpp"
#include "http/test_server.hpp"
#include "store/comment_repository.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"
#include "support/storage_faults.hpp"
#include "support/test_support.hpp"

using namespace vokter;
using vokter::test::TempDir;
using json = nlohmann::json;

namespace {

// A server over the database at `path`, with a short busy timeout.
struct FaultServer {
    explicit FaultServer(const std::filesystem::path& path)
        : store(options_for(path)),
          rules(core::approve_all_ruleset()),
          server(server_options(), store, rules, "key", [] {
              return http::RulesStatus{"approve-all", 0, ""};
          }) {
        port = server.bind();
        REQUIRE(port > 0);
        thread = std::thread([this] { server.listen(); });
        while (!server.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~FaultServer() {
        server.stop();
        thread.join();
    }

    static http::ServerOptions server_options() {
        http::ServerOptions options = test::TestServer::quiet_options();
        options.host = "127.0.0.1";
        options.port = 0;
        return options;
    }
    static store::StoreOptions options_for(const std::filesystem::path& path) {
        store::StoreOptions options{path.string(), store::Durability::normal};
        options.busy_timeout_ms = 300;
        return options;
    }

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(20);
        return c;
    }
    httplib::Result post(const std::string& body) const {
        return client().Post("/api/comments", json{{"thread", "/t"}, {"body", body}}.dump(),
                             "application/json");
    }
    httplib::Result post_form(const std::string& body) const {
        return client().Post("/api/comments", "thread=%2Ft&body=" + body,
                             "application/x-www-form-urlencoded");
    }
    // Waits up to 10 s for /healthz to answer `status`.
    bool health_becomes(int status) const {
        for (int i = 0; i < 1000; ++i) {
            const auto res = client().Get("/healthz");
            if (res && res->status == status) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    store::Store store;
    core::ActiveRuleset rules;
    http::Server server;
    int port = 0;
    std::thread thread;
};

// A 503 problem+json answer with Retry-After, whose detail names `reason`.
void check_unavailable(const httplib::Result& res, const std::string& reason) {
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(res->get_header_value("Content-Type").starts_with("application/problem+json"));
    CHECK(std::stoi(res->get_header_value("Retry-After")) > 0);
    const json doc = json::parse(res->body);
    CHECK(doc["status"] == 503);
    CHECK_MESSAGE(doc["detail"].get<std::string>().find(reason) != std::string::npos,
                  doc["detail"]);
}

// The form's HTML error page with status 503 and Retry-After.
void check_form_unavailable(const httplib::Result& res) {
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(res->get_header_value("Content-Type").starts_with("text/html"));
    CHECK_FALSE(res->get_header_value("Retry-After").empty());
    CHECK(res->body.find("Kommentaren ble ikke sendt") != std::string::npos);
}

void check_health_unwritable(const FaultServer& server, const std::string& reason) {
    const auto res = server.client().Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 503);
    const json doc = json::parse(res->body);
    CHECK(doc["status"] == "degraded");
    CHECK(doc["store_writable"] == false);
    CHECK_MESSAGE(doc["store_error"].get<std::string>().find(reason) != std::string::npos, doc);
}

}  // namespace

TEST_CASE("a lock held by another connection answers 503 with Retry-After, then recovers" *
          doctest::test_suite("sqlite")) {
    TempDir dir;
    FaultServer server(dir / "vokter.db");
    REQUIRE(server.post("før låsen")->status == 201);
    const auto healthy = server.client().Get("/healthz");
    CHECK(healthy->status == 200);
    CHECK(json::parse(healthy->body)["store_writable"] == true);

    store::SqliteConnection other((dir / "vokter.db").string(), store::Durability::normal);
    other.exec("BEGIN IMMEDIATE");
    check_unavailable(server.post("under låsen"), "locked");
    CHECK(server.post("under låsen")->get_header_value("Retry-After") == "5");
    check_form_unavailable(server.post_form("under+l%C3%A5sen"));
    check_health_unwritable(server, "locked");
    const auto page = server.client().Get("/api/comments?thread=/t");  // reads go on
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(json::parse(page->body)["total"] == 1);

    other.exec("ROLLBACK");
    CHECK(server.health_becomes(200));  // without a comment: the health probe found it writable
    CHECK(server.post("etter låsen")->status == 201);
}

TEST_CASE("a full disk answers 503 with Retry-After, loses nothing, and recovers" *
          doctest::test_suite("sqlite")) {
    TempDir dir;
    test::TmpfsMount disk(dir / "disk", 3u << 20);
    if (!disk.mounted()) {
        MESSAGE("SKIPPED: the full-disk test needs a tmpfs: " << disk.why());
        return;
    }
    std::vector<std::int64_t> acknowledged;
    {
        FaultServer server(disk.path() / "vokter.db");
        const auto first = server.post("før disken ble full");
        REQUIRE(first->status == 201);
        acknowledged.push_back(json::parse(first->body)["id"]);
        test::fill_disk(disk.path() / "filler");

        // Concurrent posters, so that full-disk failures meet batches of several comments.
        std::mutex mutex;
        std::atomic<int> unavailable{0};
        std::vector<int> others;
        std::vector<std::thread> posters;
        for (int t = 0; t < 6; ++t) {
            posters.emplace_back([&, t] {
                for (int i = 0; i < 300 && unavailable.load() < 12; ++i) {
                    const auto res = server.post("kommentar " + std::to_string(t) + "-" +
                                                 std::to_string(i) + " " + std::string(3000, 'x'));
                    std::lock_guard lock(mutex);
                    if (!res) {
                        others.push_back(-1);
                    } else if (res->status == 201) {
                        acknowledged.push_back(json::parse(res->body)["id"]);
                    } else if (res->status == 503) {
                        ++unavailable;
                        check_unavailable(res, "the disk is full");
                    } else {
                        others.push_back(res->status);
                    }
                }
            });
        }
        for (auto& poster : posters)
            poster.join();
        CHECK_MESSAGE(others.empty(), others.size() << " answers were neither 201 nor 503");
        REQUIRE(unavailable.load() > 0);
        check_form_unavailable(server.post_form("full+disk+" + std::string(3000, 'y')));
        check_health_unwritable(server, "the disk is full");
        CHECK(server.client().Get("/api/comments?thread=/t")->status == 200);

        std::filesystem::remove(disk.path() / "filler");
        CHECK(server.health_becomes(200));
        const auto after = server.post("etter at disken fikk plass");
        REQUIRE(after->status == 201);
        acknowledged.push_back(json::parse(after->body)["id"]);
    }
    store::Store reopened(FaultServer::options_for(disk.path() / "vokter.db"));
    auto db = reopened.read();
    std::size_t lost = 0;
    for (const std::int64_t id : acknowledged)
        lost += store::find_comment(*db, id) ? 0 : 1;
    CHECK_MESSAGE(lost == 0,
                  lost << " of " << acknowledged.size() << " acknowledged comments were lost");
}
