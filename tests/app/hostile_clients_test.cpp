// The real `vokter serve` against hostile clients (issue 14): memory bombs with a bound on the
// server process's peak RSS, and slow or idle clients with a probe that must still be answered.

#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/raw_client.hpp"
#include "support/test_support.hpp"

using vokter::test::proc_status_kb;
using vokter::test::Process;
using vokter::test::RawClient;
using vokter::test::TempDir;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> serve_args(const TempDir& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {VOKTER_BINARY, "serve", "--listen",
                                     "127.0.0.1:0", "--db",  (dir / "vokter.db").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// 200 MiB of zeros, gzip-compressed (about 200 KB): what the bomb.gz holds.
std::string gzip_bomb() {
    httplib::detail::gzip_compressor compressor;
    std::string out;
    const std::string zeros(1 << 20, '\0');
    for (int i = 0; i < 200; ++i) {
        compressor.compress(zeros.data(), zeros.size(), i == 199, [&](const char* d, size_t n) {
            out.append(d, n);
            return true;
        });
    }
    return out;
}

// The time until `GET /healthz` on a new connection is answered 200, or -1 s after 5 s.
std::chrono::duration<double> probe(int port, const char* from = nullptr) {
    const auto start = std::chrono::steady_clock::now();
    RawClient client(port, from);
    client.send("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto answer = client.answer(5s);
    if (!answer || answer->status != 200) return std::chrono::duration<double>(-1);
    return std::chrono::steady_clock::now() - start;
}

}  // namespace

TEST_CASE("memory bombs leave the server's memory bounded, each answered with a 4xx") {
    TempDir dir;
    Process server(serve_args(dir), dir / "server.log", {{"VOKTER_LOG_REQUESTS", "false"}});
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());
    REQUIRE(probe(port).count() > 0);
    const long peak_before = proc_status_kb(server.pid(), "VmHWM:");
    REQUIRE(peak_before > 0);

    const std::string bomb = gzip_bomb();
    const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
    const std::string block(0x10000, 'a');
    constexpr std::size_t k100MB = 100u << 20;
    struct Attack {
        const char* name;
        std::string prefix;
        const std::string& piece;
        std::size_t total;
        int status;
    };
    const std::string gzip_head =
        "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(bomb.size()) + "\r\n\r\n" +
        bomb;
    const std::string none;
    const std::vector<Attack> attacks = {
        {"gzip bomb to an unknown path", "POST /x HTTP/1.1\r\nHost: a\r\n" + gzip_head, none, 0,
         415},
        {"gzip bomb to /api/comments",
         "POST /api/comments HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n" + gzip_head,
         none, 0, 415},
        {"endless chunked body to an unknown path",
         "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", chunk, k100MB, 413},
        {"endless chunked body to /api/rules/reload, unauthenticated",
         "POST /api/rules/reload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", chunk,
         k100MB, 413},
        {"endless body without a length", "POST /api/rules/reload HTTP/1.1\r\nHost: a\r\n\r\n",
         block, k100MB, 401},
        {"Content-Length of 100 MB",
         "PUT /api/rules HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(k100MB) +
             "\r\n\r\n",
         block, k100MB, 413},
        {"a 300 MB header line", "GET /healthz HTTP/1.1\r\nX-Stor: ", block, 300u << 20, 431},
        {"a 300 MB request line", "GET /", block, 300u << 20, 414},
    };
    for (const Attack& attack : attacks) {
        RawClient client(port);
        const std::size_t sent = attack.piece.empty()
                                     ? (client.send(attack.prefix) ? attack.prefix.size() : 0)
                                     : client.flood(attack.prefix, attack.piece, attack.total);
        const auto answer = client.answer(5s);
        REQUIRE_MESSAGE(answer, std::string(attack.name));
        CHECK_MESSAGE(answer->status == attack.status, std::string(attack.name));
        CHECK_MESSAGE(sent < 8u << 20,
                      std::string(attack.name));  // the server stopped reading early
        const long rss = proc_status_kb(server.pid(), "VmRSS:");
        MESSAGE(std::string(attack.name) << ": sent " << sent << " bytes, answered "
                                         << answer->status << ", server RSS " << rss << " kB");
    }
    CHECK(probe(port).count() > 0);
    const long peak_after = proc_status_kb(server.pid(), "VmHWM:");
    MESSAGE("server peak RSS " << peak_before << " kB before, " << peak_after << " kB after");
    CHECK(peak_after - peak_before < 32 * 1024);  // cpp-httplib alone: +275 MB for one gzip bomb

    httplib::Client client("127.0.0.1", port);
    const auto metrics = client.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("vokter_http_server_errors_total 0") != std::string::npos);
}

TEST_CASE("64 slow clients and 500 idle keep-alive connections lock no one out") {
    TempDir dir;
    Process server(serve_args(dir, {"--max-connections-per-ip", "1000"}), dir / "server.log",
                   {{"VOKTER_LOG_REQUESTS", "false"}});
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());

    SUBCASE("64 clients sending a byte a second (as many as the server has workers)") {
        std::vector<std::unique_ptr<RawClient>> slow;
        for (int i = 0; i < 64; ++i) {
            slow.push_back(std::make_unique<RawClient>(port));
            slow.back()->send("G");
        }
        double worst = 0;
        for (int second = 0; second < 3; ++second) {
            std::this_thread::sleep_for(1s);
            for (auto& client : slow)
                client->send("E");
            const double latency = probe(port).count();
            CHECK(latency > 0);
            CHECK(latency < 1.0);
            worst = std::max(worst, latency);
        }
        MESSAGE("slowloris: slowest probe answered in " << worst * 1000 << " ms");
    }
    SUBCASE("500 idle keep-alive connections") {
        std::vector<std::unique_ptr<RawClient>> idle;
        for (int i = 0; i < 500; ++i) {
            idle.push_back(std::make_unique<RawClient>(port));
            idle.back()->send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
            REQUIRE(idle.back()->answer(5s));
        }
        double worst = 0;
        for (int i = 0; i < 3; ++i) {
            const double latency = probe(port).count();
            CHECK(latency > 0);
            CHECK(latency < 1.0);
            worst = std::max(worst, latency);
        }
        MESSAGE("500 idle keep-alive connections: slowest probe answered in " << worst * 1000
                                                                              << " ms");
    }
}

TEST_CASE("one address gets at most max_connections_per_ip connections; others are served") {
    TempDir dir;
    Process server(serve_args(dir, {"--max-connections-per-ip", "16"}), dir / "server.log",
                   {{"VOKTER_LOG_REQUESTS", "false"}});
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 16; ++i) {  // each answered once, so all 16 are counted before the next
        held.push_back(std::make_unique<RawClient>(port));
        held.back()->send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
        REQUIRE(held.back()->answer());
    }
    RawClient extra(port);
    const auto refused = extra.answer(2s);
    REQUIRE(refused);
    CHECK(refused->status == 429);
    CHECK(probe(port, "127.0.0.2").count() > 0);
}
