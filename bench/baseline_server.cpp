// The no-op baseline: cpp-httplib with exactly the settings Vokter's server uses (TCP_NODELAY,
// long keep-alive, the same thread pool size, the widened listen backlog), answering every request
// with a tiny JSON body and doing no work. Measured in the same run as Vokter, it gives what this
// machine can do, so every Vokter figure is reported as a ratio to it.
//
//   baseline_server PORT [THREADS] [PATH=FILE ...]   (PORT 0: any free port, printed on stderr)
//
// PATH=FILE: GET PATH answers the bytes of FILE instead (200), read once at start. bench/run.sh
// gives it Vokter's own answers for the read benchmarks (a thread page of 50 comments is 10 KB),
// so that the no-op sends the same bytes and the ratio counts only the work Vokter does.
#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace {
// Vokter widens the listen backlog that Debian's cpp-httplib compiles in as 5 (see
// service/http/server_impl.hpp); the baseline does the same, so both start equal.
class HttpServer : public httplib::Server {
  public:
    void widen_backlog(int backlog) { ::listen(svr_sock_, backlog); }
};

httplib::Server* running = nullptr;
void stop(int) {
    if (running) running->stop();
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: baseline_server PORT [THREADS]\n");
        return 2;
    }
    const int port = std::atoi(argv[1]);
    const std::size_t threads = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 64;
    std::map<std::string, std::string> bodies;  // GET path -> its fixed answer
    for (int i = 3; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto eq = arg.find('=');
        std::ifstream file(eq == std::string::npos ? "" : arg.substr(eq + 1), std::ios::binary);
        if (!file) {
            std::fprintf(stderr, "baseline_server: %s is not PATH=FILE of a readable file\n",
                         arg.c_str());
            return 2;
        }
        std::ostringstream text;
        text << file.rdbuf();
        bodies[arg.substr(0, eq)] = text.str();
    }
    HttpServer server;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(100000);
    server.set_keep_alive_timeout(5);
    const auto answer = [](const httplib::Request&, httplib::Response& res) {
        res.status = 201;
        res.set_content(R"({"id":1,"status":"approved"})", "application/json; charset=utf-8");
    };
    const auto get = [&bodies, answer](const httplib::Request& req, httplib::Response& res) {
        const auto body = bodies.find(req.path);
        if (body == bodies.end()) return answer(req, res);
        res.status = 200;
        res.set_content(body->second, "application/json; charset=utf-8");
    };
    server.Post("/api/comments", answer);
    server.Get("/api/comments", get);
    server.Get("/api/counts", get);
    running = &server;
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1")
                                : (server.bind_to_port("127.0.0.1", port) ? port : -1);
    if (bound < 0) {
        std::fprintf(stderr, "baseline_server: cannot bind 127.0.0.1:%d\n", port);
        return 1;
    }
    server.widen_backlog(SOMAXCONN);
    std::fprintf(stderr, "listening on http://127.0.0.1:%d\n", bound);
    return server.listen_after_bind() ? 0 : 1;
}
