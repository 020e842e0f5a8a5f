#include "http/http_server.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "http/problem.hpp"

namespace vokter::http {

namespace {

// How long a worker that answered a request waits for the next one on the same connection
// before giving the connection back to the reactor, while no other request waits for a worker:
// a busy keep-alive client (a page loading, a load test) sends its next request within this,
// and skips a trip through the reactor (measured: a third of the throughput on 2 cores).
constexpr int kLingerSliceMs = 2;
constexpr int kLingerSlices = 10;

// Set by the response hook when an answer says `Connection: close`; read by serve() on the
// same worker thread after process_request().
thread_local bool answer_closes = false;

// What the library reads and writes for one request: it reads the request (head and body, as
// the reactor read and checked them) from memory and writes its answer to the socket.
class RequestStream : public httplib::Stream {
  public:
    RequestStream(Connection& connection, std::string request, time_t write_timeout_sec)
        : connection_(connection),
          request_(std::move(request)),
          write_timeout_(std::chrono::seconds(write_timeout_sec)) {}

    bool is_readable() const override { return true; }
    // Writes never wait for the client (Connection::write keeps what it does not take yet).
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override {
        const std::size_t n = std::min(size, request_.size() - offset_);
        std::copy_n(request_.data() + offset_, n, ptr);
        offset_ += n;
        return static_cast<ssize_t>(n);
    }
    // The library writes an answer's head, then its body: a short first write is held and
    // sent with the next one, or by flush() when no body follows.
    ssize_t write(const char* ptr, size_t size) override {
        if (failed_) return -1;
        if (!held_ && size <= kHoldBytes) {
            head_.assign(ptr, size);
            held_ = true;
            return static_cast<ssize_t>(size);
        }
        const std::string_view data(ptr, size);
        failed_ = !(held_ ? connection_.write(head_, data, write_timeout_)
                          : connection_.write(ptr, size, write_timeout_));
        held_ = false;
        return failed_ ? -1 : static_cast<ssize_t>(size);
    }
    // Sends a held write; false when the connection failed (now or before).
    bool flush() {
        if (held_ && !failed_)
            failed_ = !connection_.write(head_.data(), head_.size(), write_timeout_);
        held_ = false;
        return !failed_;
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = connection_.peer_ip();
        port = connection_.peer_port();
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = connection_.local_ip();
        port = connection_.local_port();
    }
    // The library asks for the socket only to refuse (500) sockets that its select() cannot
    // watch (FD_SETSIZE and above); this stream never selects, so such sockets are not reported.
    socket_t socket() const override {
        return connection_.fd() < FD_SETSIZE ? connection_.fd() : INVALID_SOCKET;
    }

  private:
    Connection& connection_;
    static constexpr std::size_t kHoldBytes = 4096;
    std::string request_;
    std::size_t offset_ = 0;
    std::chrono::milliseconds write_timeout_;
    std::string head_;
    bool held_ = false;
    bool failed_ = false;
};

// The library's thread pool, which also stops the reactor before its workers: once shutdown()
// begins, no request is dispatched to a pool about to be destroyed.
class ServingQueue : public httplib::TaskQueue {
  public:
    ServingQueue(std::size_t threads, ConnectionReactor& reactor)
        : pool_(threads), reactor_(reactor) {}
    void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
    void shutdown() override {
        reactor_.stop();
        pool_.shutdown();
    }

  private:
    httplib::ThreadPool pool_;
    ConnectionReactor& reactor_;
};

std::string serialize(const httplib::Response& res) {
    std::string text =
        "HTTP/1.1 " + std::to_string(res.status) + " " + status_title(res.status) + "\r\n";
    for (const auto& [name, value] : res.headers) {
        if (name == "Content-Length" || name == "Connection") continue;
        text += name + ": " + value + "\r\n";
    }
    text += "Content-Length: " + std::to_string(res.body.size()) + "\r\nConnection: close\r\n\r\n";
    return text + res.body;
}

}  // namespace

void HttpServer::configure(ConnectionLimits limits, std::size_t threads, RefusalAnswer answer) {
    threads_ = std::max<std::size_t>(1, threads);
    set_keep_alive_timeout(std::max<time_t>(
        1, std::chrono::duration_cast<std::chrono::seconds>(limits.idle_timeout).count()));
    reactor_ = std::make_unique<ConnectionReactor>(
        std::move(limits),
        [answer = std::move(answer)](const RequestHead* head, const Refusal& refusal) {
            return serialize(answer(head, refusal));
        });
    set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (response_hook_) response_hook_(req, res);
        if (res.get_header_value("Connection") == "close") answer_closes = true;
    });
    new_task_queue = [this] {
        auto* queue = new ServingQueue(threads_, *reactor_);
        reactor_->start([this, queue](std::shared_ptr<Connection> connection) {
            queued_.fetch_add(1, std::memory_order_relaxed);
            queue->enqueue([this, connection] {
                queued_.fetch_sub(1, std::memory_order_relaxed);
                serve(connection);
            });
        });
        return queue;
    };
}

void HttpServer::widen_backlog(int backlog) {
    ::listen(svr_sock_, backlog);
}

std::size_t HttpServer::open_connections() const {
    return reactor_ ? reactor_->open_connections() : 0;
}

bool HttpServer::process_and_close_socket(socket_t sock) {
    reactor_->adopt(sock);
    return true;
}

void HttpServer::serve(std::shared_ptr<Connection> connection) {
    const FramingLimits& framing = reactor_->limits().framing;
    try {
        for (;;) {
            const RequestHead& head = connection->head();
            const bool last = head.close || connection->served + 1 >= keep_alive_max_count_ ||
                              svr_sock_ == INVALID_SOCKET;
            RequestStream stream(*connection, connection->request_for_library(),
                                 write_timeout_sec_);
            bool closed = false;
            answer_closes = false;
            const bool processed = process_request(stream, last, closed, nullptr);
            const bool written = stream.flush() && processed;  // a held head goes out either way
            ++connection->served;
            const bool closing = !written || last || closed || answer_closes ||
                                 connection->peer_closed() || svr_sock_ == INVALID_SOCKET;
            if (written && connection->has_unsent()) {  // a slow reader: the reactor sends it
                connection->next_request(Clock::now());
                connection->close_after_flush = closing;
                reactor_->flush(std::move(connection));
                return;
            }
            if (closing) return;  // closes the connection
            connection->next_request(Clock::now());
            auto progress = connection->advance(framing, Clock::now());
            for (int slice = 0; progress == Connection::Progress::more && slice < kLingerSlices &&
                                queued_.load(std::memory_order_relaxed) == 0;
                 ++slice) {
                pollfd watch{connection->fd(), POLLIN, 0};
                if (::poll(&watch, 1, kLingerSliceMs) > 0) {
                    progress = connection->pump(framing, Clock::now());
                }
            }
            switch (progress) {
                case Connection::Progress::complete:
                    continue;
                case Connection::Progress::refused: {
                    const Refusal refusal = connection->refusal();
                    reactor_->refuse(std::move(connection), refusal);
                    return;
                }
                case Connection::Progress::closed:
                    return;
                case Connection::Progress::more:
                    reactor_->resume(std::move(connection));
                    return;
            }
        }
    } catch (...) {
        // The library failed on this connection (out of memory, say): close it, keep the
        // worker.
    }
}

}  // namespace vokter::http
