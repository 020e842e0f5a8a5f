// The production front: Debian's nginx with deploy/nginx.conf (its paths and ports rewritten
// into a temporary folder, no root needed) in front of the real `vokter serve`, shown to keep
// answering a normal client under slow clients and memory bombs. Fails, never skips, without
// nginx: scripts/install-deps.sh installs it with the packages `make test` needs.

#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "http/raw_client.hpp"
#include "support/test_support.hpp"

using vokter::test::proc_status_kb;
using vokter::test::Process;
using vokter::test::RawClient;
using vokter::test::TempDir;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string find_nginx() {
    for (const char* path : {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"}) {
        if (::access(path, X_OK) == 0) return path;
    }
    return "";
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

// Replaces `from` with `to` in `text`; fails the test when `from` is not there, so a change to
// deploy/nginx.conf that this test no longer understands shows.
void rewrite(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "deploy/nginx.conf no longer has: " << from);
    text.replace(at, from.size(), to);
}

// deploy/nginx.conf for a test: nginx listening on 127.0.0.1:`port`, passing to Vokter on
// `upstream`, with its pid, logs and temporary files in `dir`.
std::string test_config(const std::filesystem::path& dir, int port, int upstream) {
    std::string conf =
        vokter::test::read_file(std::filesystem::path(VOKTER_SOURCE_DIR) / "deploy" / "nginx.conf");
    rewrite(conf, "user www-data;\n", "");
    rewrite(conf, "pid /run/nginx.pid;", "pid " + (dir / "nginx.pid").string() + ";");
    rewrite(conf, "/var/log/nginx/error.log", (dir / "error.log").string());
    rewrite(conf, "/var/log/nginx/access.log", (dir / "access.log").string());
    for (const char* temp : {"body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
        rewrite(conf, std::string("/var/lib/nginx/") + temp, (dir / temp).string());
    }
    rewrite(conf, "listen 80;", "listen 127.0.0.1:" + std::to_string(port) + ";");
    rewrite(conf, "listen [::]:80;", "");
    rewrite(conf, "server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(upstream) + ";");
    return conf;
}

// The time until `GET /healthz` through nginx is answered 200 on a new connection; -1 s when it
// is not within 5 s.
double probe(int port, const char* from = nullptr) {
    const auto start = std::chrono::steady_clock::now();
    RawClient client(port, from);
    client.send("GET /healthz HTTP/1.1\r\nHost: comments.example\r\nConnection: close\r\n\r\n");
    const auto answer = client.answer(5s);
    if (!answer || answer->status != 200) return -1;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// nginx in the foreground, a single process (so that killing it leaves no workers behind).
struct Nginx {
    Nginx(const std::string& binary, const TempDir& dir)
        : process({binary, "-p", dir.path().string(), "-c", (dir / "nginx.conf").string(), "-g",
                   "daemon off; master_process off;"},
                  dir / "nginx.log") {}
    ~Nginx() {
        process.signal(SIGQUIT);
        process.wait(5s);
    }
    Process process;
};

}  // namespace

TEST_CASE("behind deploy/nginx.conf, normal clients are answered through slow clients and bombs") {
    const std::string nginx = find_nginx();
    REQUIRE_MESSAGE(!nginx.empty(),
                    "nginx is not installed: run scripts/install-deps.sh build bench "
                    "(Debian's nginx package), as `make test` does");
    TempDir dir;
    Process vokter({VOKTER_BINARY, "serve", "--listen", "127.0.0.1:0", "--db",
                    (dir / "vokter.db").string(), "--trusted-proxies", "127.0.0.1"},
                   dir / "vokter.log", {{"VOKTER_LOG_REQUESTS", "false"}});
    const int upstream = vokter.wait_for_port();
    REQUIRE_MESSAGE(upstream > 0, vokter.log());

    const int port = free_port();
    vokter::test::write_file(dir / "nginx.conf", test_config(dir.path(), port, upstream));
    Process check({nginx, "-t", "-p", dir.path().string(), "-c", (dir / "nginx.conf").string()},
                  dir / "nginx-t.log");
    REQUIRE_MESSAGE(check.wait() == 0, check.log());
    Nginx front(nginx, dir);
    bool up = false;
    for (int i = 0; i < 250 && !up; ++i) {
        try {
            up = probe(port) > 0;
        } catch (const std::exception&) {
            std::this_thread::sleep_for(20ms);
        }
    }
    REQUIRE_MESSAGE(up, front.process.log() << vokter::test::read_file(dir / "error.log"));
    const long vokter_peak = proc_status_kb(vokter.pid(), "VmHWM:");

    SUBCASE("a comment posted through nginx is stored with the client's own address") {
        RawClient client(port, "127.0.0.2");
        const std::string body = R"({"thread":"/blogg/innlegg","body":"Takk for innlegget!"})";
        client.send(
            "POST /api/comments HTTP/1.1\r\nHost: comments.example\r\n"
            "Content-Type: application/json\r\nX-Forwarded-For: 203.0.113.9\r\n"
            "Content-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body);
        const auto created = client.answer();
        REQUIRE(created);
        REQUIRE(created->status / 100 == 2);
        const long id = json::parse(created->body)["id"].get<long>();
        const auto added = vokter::test::run_vokter_command(dir, {"moderator", "add", "kari"});
        REQUIRE(added.code == 0);
        httplib::Client moderator("127.0.0.1", port);
        const auto item =
            moderator.Get("/api/moderation/comments/" + std::to_string(id),
                          {{"Authorization", "Bearer " + vokter::test::second_line(added.output)}});
        REQUIRE(item);
        REQUIRE(item->status == 200);
        // nginx replaced the claimed X-Forwarded-For with the peer it saw.
        CHECK(item->body.find("\"ip\":\"127.0.0.2\"") != std::string::npos);
    }
    SUBCASE("/metrics is not served to the internet") {
        httplib::Client outside("127.0.0.1", port);
        const auto metrics = outside.Get("/metrics");
        REQUIRE(metrics);
        CHECK(metrics->status == 404);
        CHECK(metrics->body.find("vokter_") == std::string::npos);
    }
    SUBCASE("64 slow clients") {
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
            const double latency = probe(port);
            CHECK(latency > 0);
            CHECK(latency < 1.0);
            worst = std::max(worst, latency);
        }
        MESSAGE("through nginx, slowloris: slowest probe answered in " << worst * 1000 << " ms");
    }
    SUBCASE("500 idle keep-alive connections") {
        std::vector<std::unique_ptr<RawClient>> idle;
        for (int i = 0; i < 500; ++i) {
            idle.push_back(std::make_unique<RawClient>(port));
            idle.back()->send("GET /healthz HTTP/1.1\r\nHost: comments.example\r\n\r\n");
        }
        int limited = 0;
        for (auto& client : idle) {
            const auto answer = client->answer(5s);
            REQUIRE(answer);
            CHECK((answer->status == 200 || answer->status == 429));
            limited += answer->status == 429;
        }
        // 500 requests at once from one address pass nginx's rate (50/s, bursts of 200): the
        // rest are told 429. Any other address is served as usual.
        CHECK(limited > 0);
        for (int i = 0; i < 3; ++i) {
            const double latency = probe(port, "127.0.0.2");
            CHECK(latency > 0);
            CHECK(latency < 1.0);
        }
    }
    SUBCASE("memory bombs") {
        httplib::detail::gzip_compressor compressor;
        std::string bomb;
        const std::string zeros(1 << 20, '\0');
        for (int i = 0; i < 200; ++i) {
            compressor.compress(zeros.data(), zeros.size(), i == 199,
                                [&](const char* d, size_t n) { return bomb.append(d, n), true; });
        }
        const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
        const std::string block(0x10000, 'a');
        struct Attack {
            std::string prefix;
            const std::string* piece;
            std::size_t total;
        };
        const std::vector<Attack> attacks = {
            {"POST /x HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: " +
                 std::to_string(bomb.size()) + "\r\n\r\n" + bomb,
             nullptr, 0},
            {"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", &chunk,
             100u << 20},
            {"POST /api/rules/reload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
             &chunk, 100u << 20},
            {"POST /api/rules/reload HTTP/1.1\r\nHost: a\r\nContent-Length: 104857600\r\n\r\n",
             &block, 100u << 20},
            {"GET /healthz HTTP/1.1\r\nHost: a\r\nX-Stor: ", &block, 300u << 20},
            {"GET /", &block, 300u << 20},
        };
        for (const Attack& attack : attacks) {
            RawClient client(port);
            if (attack.piece) {
                client.flood(attack.prefix, *attack.piece, attack.total);
            } else {
                client.send(attack.prefix);
            }
            const auto answer = client.answer(15s);
            const std::string name = attack.prefix.substr(0, attack.prefix.find('\r'));
            REQUIRE_MESSAGE(answer, name);
            CHECK_MESSAGE(answer->status / 100 == 4, name << ": " << answer->status);
            MESSAGE("through nginx, " << name << "…: " << answer->status);
            CHECK(probe(port) > 0);
        }
        const long peak = proc_status_kb(vokter.pid(), "VmHWM:");
        CHECK(peak - vokter_peak < 32 * 1024);
    }
    // No answer, whatever came in, was a 5xx from Vokter (nginx would pass it on as such).
    httplib::Client direct("127.0.0.1", upstream);
    const auto metrics = direct.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("vokter_http_server_errors_total 0") != std::string::npos);
}
