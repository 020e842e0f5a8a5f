// The connection layer in front of cpp-httplib (http_server.hpp, connection_reactor.hpp), over
// the wire: framing, limits, deadlines, pipelining and slow clients, against a real server.

#include "http/http_server.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <thread>
#include <vector>

#include "http/raw_client.hpp"
#include "http/test_server.hpp"

using vokter::test::RawAnswer;
using vokter::test::RawClient;
using vokter::test::TestServer;
using namespace std::chrono_literals;

namespace {

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";

std::string hex(std::size_t n) {
    char text[32];
    std::snprintf(text, sizeof text, "%zx", n);
    return text;
}

std::string comment_json() {
    return R"({"thread":"/blogg/innlegg","body":"Takk for innlegget!"})";
}

std::string chunked(const std::string& path, const std::string& raw_body,
                    const std::string& extra = "") {
    return "POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n" + extra +
           "Transfer-Encoding: chunked\r\n\r\n" + raw_body;
}

// A probe a client that behaves would send: GET /healthz on a new connection.
bool probe_answers(int port, std::chrono::milliseconds within, const char* from = nullptr) {
    RawClient probe(port, from);
    probe.send("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto answer = probe.answer(within);
    return answer && answer->status == 200;
}

}  // namespace

TEST_CASE("pipelined requests are each answered, in order, on one connection") {
    TestServer server;
    RawClient client(server.port);
    client.send(kHealth + kHealth + "GET /api/counts?thread=/a HTTP/1.1\r\nHost: a\r\n\r\n" +
                kHealth);
    const auto answers = client.answers(4, 2s);
    REQUIRE(answers.size() == 4);
    for (const int i : {0, 1, 3})
        CHECK(answers[i].body.find("\"status\":\"ok\"") != std::string::npos);
    CHECK(answers[2].body == R"({"/a":0})");
    // The connection stays open for more.
    client.send(kHealth);
    const auto more = client.answer(2s);
    REQUIRE(more);
    CHECK(more->status == 200);
}

TEST_CASE("framing a proxy could read differently is refused with 400 and the connection ends") {
    TestServer server;
    for (const std::string& fields : {
             std::string("Content-Length: 5\r\nContent-Length: 6\r\n"),
             std::string("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n"),
             std::string("Transfer-Encoding: gzip, chunked\r\n"),
         }) {
        RawClient client(server.port);
        // Behind the body a proxy might see, a second request that must never be answered.
        client.send("POST /api/comments HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n" +
                    fields + "\r\n0\r\n\r\n" + kHealth);
        const auto answers = client.answers(2, 1s);
        REQUIRE_MESSAGE(answers.size() == 1, fields);
        CHECK(answers[0].status == 400);
        CHECK(answers[0].has("Content-Type: application/problem+json"));
        CHECK(answers[0].has("Connection: close"));
        CHECK(client.closed_within(3s));
    }
    CHECK(server.client().Get("/api/comments?thread=/blogg/innlegg")->body.find("\"total\":0") !=
          std::string::npos);
    const std::string metrics = server.client().Get("/metrics")->body;
    CHECK(metrics.find("vokter_http_refused_total 3\n") != std::string::npos);
    CHECK(metrics.find("vokter_http_server_errors_total 0\n") != std::string::npos);
}

TEST_CASE("chunked bodies are read whole, strictly and within max_request_bytes") {
    auto options = TestServer::quiet_options();
    options.max_request_bytes = 4096;
    TestServer server(options);
    SUBCASE("a valid chunked comment is stored") {
        RawClient client(server.port);
        const std::string body = comment_json();
        client.send(chunked("/api/comments", "10\r\n" + body.substr(0, 16) + "\r\n" +
                                                 hex(body.size() - 16) + "\r\n" + body.substr(16) +
                                                 "\r\n0\r\n\r\n"));
        const auto answer = client.answer();
        REQUIRE(answer);
        CHECK(answer->status == 201);
    }
    SUBCASE("a negative chunk size is 400") {
        RawClient client(server.port);
        client.send(chunked("/api/comments", "-1\r\nx\r\n0\r\n\r\n"));
        const auto answer = client.answer();
        REQUIRE(answer);
        CHECK(answer->status == 400);
    }
    SUBCASE("an endless chunked body is 413 on any route, authenticated or not") {
        for (const char* path : {"/api/comments", "/no/such/route", "/api/rules/reload"}) {
            RawClient client(server.port);
            client.send(chunked(path, ""));
            const std::string chunk = "1000\r\n" + std::string(4096, 'a') + "\r\n";
            for (int i = 0; i < 64 && client.send(chunk); ++i) {
            }
            const auto answer = client.answer();
            REQUIRE_MESSAGE(answer, path);
            CHECK(answer->status == 413);
            CHECK(client.closed_within(3s));
        }
    }
}

TEST_CASE("Content-Encoding is refused with 415 before the body is read") {
    auto options = TestServer::quiet_options();
    options.cors_origins = {"https://blogg.example"};
    TestServer server(options);
    RawClient client(server.port);
    client.send(
        "POST /api/comments HTTP/1.1\r\nHost: a\r\nOrigin: https://blogg.example\r\n"
        "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: "
        "100000\r\n\r\n");
    const auto answer = client.answer();
    REQUIRE(answer);
    CHECK(answer->status == 415);
    CHECK(answer->has("Access-Control-Allow-Origin: https://blogg.example"));  // readable in JS
    CHECK(answer->body.find("uncompressed") != std::string::npos);
    // The Akismet API answers in its own dialect.
    RawClient akismet(server.port);
    akismet.send(
        "POST /1.1/comment-check HTTP/1.1\r\nHost: a\r\nContent-Encoding: deflate\r\n"
        "Content-Length: 3\r\n\r\nabc");
    const auto plain = akismet.answer();
    REQUIRE(plain);
    CHECK(plain->status == 415);
    CHECK(plain->has("Content-Type: text/plain"));
}

TEST_CASE("a body without Content-Length or Transfer-Encoding is no body: nothing is buffered") {
    TestServer server;
    RawClient client(server.port);
    client.send("POST /api/rules/reload HTTP/1.1\r\nHost: a\r\n\r\n");
    const std::string endless(65536, 'a');
    for (int i = 0; i < 64 && client.send(endless); ++i) {
    }
    const auto answers = client.answers(2);
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].status == 401);  // the request, without a body
    CHECK(answers[1].status == 414);  // what followed, read as the next request line
    CHECK(client.closed_within(3s));
}

TEST_CASE("100 header fields are accepted and 101 are 431, as documented") {
    TestServer server;
    const auto with_fields = [](int count) {
        std::string text = "GET /healthz HTTP/1.1\r\n";
        for (int i = 0; i < count; ++i)
            text += "X-Felt-" + std::to_string(i) + ": verdi\r\n";
        return text + "\r\n";
    };
    RawClient client(server.port);
    client.send(with_fields(100));
    auto answer = client.answer();
    REQUIRE(answer);
    CHECK(answer->status == 200);
    client.send(with_fields(101));
    answer = client.answer();
    REQUIRE(answer);
    CHECK(answer->status == 431);
    CHECK(answer->body.find("more than 100 header fields") != std::string::npos);
}

TEST_CASE("every answer carries X-Content-Type-Options: nosniff") {
    TestServer server;
    auto client = server.client();
    for (const char* path :
         {"/healthz", "/api/comments?thread=/a", "/api/counts?thread=/a", "/api/comments",
          "/no/such/route", "/api/moderation/queue", "/widget.js", "/metrics"}) {
        const auto res = client.Get(path);
        REQUIRE_MESSAGE(res, path);
        CHECK_MESSAGE(res->get_header_value("X-Content-Type-Options") == "nosniff", path);
        CHECK_MESSAGE(res->get_header_value_count("X-Content-Type-Options") == 1, path);
    }
    RawClient raw(server.port);
    raw.send("GET / HTTP/1.1\r\nHost : a\r\n\r\n");
    const auto refused = raw.answer();
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(refused->has("X-Content-Type-Options: nosniff"));
}

TEST_CASE("Expect: 100-continue is answered before the body is sent") {
    auto options = TestServer::quiet_options();
    options.max_request_bytes = 4096;
    TestServer server(options);
    const std::string body = comment_json();
    RawClient client(server.port);
    client.send(
        "POST /api/comments HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
        "Expect: 100-continue\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n");
    const auto go_on = client.answer(2s);
    REQUIRE(go_on);
    CHECK(go_on->status == 100);
    client.send(body);
    const auto created = client.answer();
    REQUIRE(created);
    CHECK(created->status == 201);
    // Too large: 413 at once, instead of 100.
    RawClient large(server.port);
    large.send(
        "POST /api/comments HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
        "Expect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
    const auto refused = large.answer(2s);
    REQUIRE(refused);
    CHECK(refused->status == 413);
}

TEST_CASE("a request must arrive whole within request_timeout; idle connections close") {
    auto options = TestServer::quiet_options();
    options.request_timeout_ms = 400;
    options.keep_alive_ms = 400;
    TestServer server(options);
    RawClient slow(server.port);
    slow.send("GET /healthz HTTP/1.1\r\nHo");
    const auto started = std::chrono::steady_clock::now();
    const auto answer = slow.answer(3s);
    REQUIRE(answer);
    CHECK(answer->status == 408);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(slow.closed_within(3s));

    RawClient idle(server.port);
    CHECK(idle.closed_within(3s));  // no request begun: closed without a word
    CHECK_FALSE(idle.answer(100ms));

    RawClient kept(server.port);  // and after a request, while it keeps the connection
    kept.send(kHealth);
    REQUIRE(kept.answer());
    CHECK(kept.closed_within(3s));
}

TEST_CASE("slow and idle clients hold no worker thread") {
    auto options = TestServer::quiet_options();
    options.threads = 2;
    options.max_connections_per_ip = 1000;
    TestServer server(options);
    SUBCASE("64 clients sending their request head a byte at a time") {
        std::vector<std::unique_ptr<RawClient>> slow;
        for (int i = 0; i < 64; ++i) {
            slow.push_back(std::make_unique<RawClient>(server.port));
            slow.back()->send("G");
        }
        for (int round = 0; round < 3; ++round) {
            for (auto& client : slow)
                client->send("E");
            CHECK(probe_answers(server.port, 1s));
        }
    }
    SUBCASE("500 idle keep-alive connections") {
        std::vector<std::unique_ptr<RawClient>> idle;
        for (int i = 0; i < 500; ++i) {
            idle.push_back(std::make_unique<RawClient>(server.port));
            idle.back()->send(kHealth);
        }
        int answered = 0;
        for (auto& client : idle)
            answered += client->answer(5s) ? 1 : 0;
        CHECK(answered == 500);
        for (int round = 0; round < 3; ++round)
            CHECK(probe_answers(server.port, 1s));
    }
}

TEST_CASE("connections are limited per client address and in all") {
    auto options = TestServer::quiet_options();
    options.max_connections_per_ip = 4;
    options.max_connections = 8;
    TestServer server(options);
    // Each held connection is answered once, so that it is counted before the next one comes.
    std::vector<std::unique_ptr<RawClient>> held;
    const auto hold = [&](const char* from) {
        held.push_back(std::make_unique<RawClient>(server.port, from));
        held.back()->send(kHealth);
        const auto answer = held.back()->answer();
        REQUIRE(answer);
        REQUIRE(answer->status == 200);
    };
    for (int i = 0; i < 4; ++i)
        hold(nullptr);
    RawClient fifth(server.port);
    const auto refused = fifth.answer(2s);
    REQUIRE(refused);
    CHECK(refused->status == 429);
    CHECK(refused->has("Retry-After: "));
    CHECK(fifth.closed_within(3s));
    // Another address is still served.
    CHECK(probe_answers(server.port, 1s, "127.0.0.2"));
    std::this_thread::sleep_for(100ms);  // the server closes the probe's connection after it
    for (int i = 0; i < 4; ++i)
        hold("127.0.0.3");
    RawClient ninth(server.port, "127.0.0.4");
    const auto full = ninth.answer(2s);
    REQUIRE(full);
    CHECK(full->status == 503);
    held.clear();  // closing them makes room again
    bool served = false;
    for (int attempt = 0; attempt < 50 && !served; ++attempt) {
        served = probe_answers(server.port, 1s);
        if (!served) std::this_thread::sleep_for(20ms);
    }
    CHECK(served);
}

TEST_CASE("a trusted proxy is not limited per address") {
    auto options = TestServer::quiet_options();
    options.max_connections_per_ip = 2;
    options.trusted_proxies = {"127.0.0.1"};
    TestServer server(options);
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 10; ++i) {
        held.push_back(std::make_unique<RawClient>(server.port));
        held.back()->send(kHealth);
    }
    for (auto& client : held) {
        const auto answer = client->answer();
        REQUIRE(answer);
        CHECK(answer->status == 200);
    }
}

TEST_CASE("a client that does not read its answers holds no worker, and gets them all later") {
    auto options = TestServer::quiet_options();
    options.threads = 2;
    TestServer server(options);
    std::string requests;
    constexpr int kRequests = 600;  // 20 MB of answers each, more than socket buffers hold
    for (int i = 0; i < kRequests; ++i)
        requests += "GET /widget.js HTTP/1.1\r\nHost: a\r\n\r\n";
    std::vector<std::unique_ptr<RawClient>> readers;
    for (int i = 0; i < 4; ++i) {
        readers.push_back(std::make_unique<RawClient>(server.port));
        readers.back()->send(requests);
    }
    std::this_thread::sleep_for(300ms);  // their socket buffers fill up
    for (int round = 0; round < 3; ++round)
        CHECK(probe_answers(server.port, 1s));
    std::vector<std::size_t> received(readers.size());
    std::vector<std::thread> reading;
    for (std::size_t i = 0; i < readers.size(); ++i) {
        reading.emplace_back([&, i] {
            const auto answers = readers[i]->answers(kRequests, 30s);
            received[i] = answers.size();
        });
    }
    for (auto& thread : reading)
        thread.join();
    for (const std::size_t count : received)
        CHECK(count == kRequests);
}

TEST_CASE("a stop() that comes between bind() and listen() is not lost") {
    TestServer running;  // for its store and rules
    auto options = TestServer::quiet_options();
    options.port = 0;
    vokter::http::Server server(options, running.store, running.rules, "key",
                                [] { return vokter::http::RulesStatus{}; });
    REQUIRE(server.bind() > 0);
    server.stop();  // SIGTERM right after "listening on" is logged
    const auto started = std::chrono::steady_clock::now();
    CHECK(server.listen());
    CHECK(std::chrono::steady_clock::now() - started < 1s);
}
