#pragma once
// The connection front of the HTTP server: one epoll thread that owns every client connection
// while it waits for a request, reads each request whole (head and body, with the limits of
// request_framing.hpp and a deadline) and only then hands it to a worker thread. Workers never
// wait for a client to send, nor (within a memory budget) for it to read: the reactor also sends
// the end of an answer the client is slow to take. A slow or idle client holds a socket and a
// little memory, never a worker. It also bounds how many connections are open, in all and per
// client address.
//
// cpp-httplib 0.11.4 gives each connection a worker for its whole life, with no deadline for a
// request head (only 5 s per read) and one read buffer per request (so pipelined requests are
// lost); HttpServer (http_server.hpp) routes every accepted socket through here instead.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/request_framing.hpp"

namespace vokter::http {

using Clock = std::chrono::steady_clock;

struct ConnectionLimits {
    std::size_t max_connections = 1024;        // open at once; more get 503
    std::size_t max_connections_per_ip = 128;  // from one client address; more get 429
    std::vector<std::string> unlimited_peers;  // addresses without a per-address limit (proxies)
    std::chrono::milliseconds idle_timeout{5000};  // closed without a word when no request starts
    std::chrono::milliseconds request_timeout{10000};  // first byte to last byte of a request; 408
    // Answers a client does not read yet are kept (up to this much for all connections) and
    // sent by the reactor, so that a slow reader holds no worker; a connection whose answer
    // does not move for write_timeout is closed.
    std::size_t max_unsent_bytes = 64u << 20;
    std::chrono::milliseconds write_timeout{10000};
    FramingLimits framing;
};

class ConnectionReactor;

// One client connection: its socket, its addresses and the request being read. Owned by one
// thread at a time: the reactor while it waits for a request, a worker while it is answered.
// Destroying it closes the socket.
class Connection {
  public:
    enum class Progress { more, complete, refused, closed };

    Connection(int fd, ConnectionReactor* owner);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Reads what the socket holds without blocking and advances the request. complete: head()
    // and body() hold it; refused: refusal() says why; closed: the peer went away (or failed)
    // before a request was complete.
    Progress pump(const FramingLimits& limits, Clock::time_point now);
    // Advances the request with the bytes received already (a pipelined request).
    Progress advance(const FramingLimits& limits, Clock::time_point now);
    // After a complete request was answered: forgets it, keeping any bytes received after it.
    void next_request(Clock::time_point now);

    // Writes part of an answer, from the worker answering it: sends what the socket takes now
    // and keeps the rest for the reactor to send, as far as the reactor's max_unsent_bytes
    // allows; past that, waits up to `timeout` for the socket. False when the connection failed.
    bool write(const char* data, std::size_t size, std::chrono::milliseconds timeout);
    // The same for two parts in order (an answer's head and its body), in one send when the
    // socket takes both: one TCP segment instead of two.
    bool write(std::string_view first, std::string_view second, std::chrono::milliseconds timeout);
    // Sends kept bytes without blocking; false when the connection failed.
    bool send_unsent();
    bool has_unsent() const { return unsent_offset_ < unsent_.size(); }

    const RequestHead& head() const { return head_; }
    const std::string& body() const { return body_; }
    // The complete request as cpp-httplib is to read it: the head as received when the library
    // reads it the same way, else RequestHead::for_library(); then the body.
    std::string request_for_library() const;
    const Refusal& refusal() const { return refusal_; }
    // The head, when the refused request got that far; for an answer in the right dialect.
    const RequestHead* parsed_head() const { return head_complete_ ? &head_ : nullptr; }
    bool request_begun() const { return begun_; }
    bool peer_closed() const { return peer_closed_; }

    int fd() const { return fd_; }
    const std::string& peer_ip() const { return peer_ip_; }
    int peer_port() const { return peer_port_; }
    const std::string& local_ip() const { return local_ip_; }
    int local_port() const { return local_port_; }

    std::size_t served = 0;             // requests answered on this connection
    Clock::time_point waiting_since;    // when it began to wait for its current request
    Clock::time_point request_started;  // the first byte of the current request
    Clock::time_point drain_until;      // refused: when draining gives up
    std::size_t drained = 0;            // refused: bytes read and dropped since
    bool counted = false;               // counts towards the limits (ConnectionReactor)
    bool draining = false;
    bool flushing = false;           // the reactor sends the kept part of an answer
    bool close_after_flush = false;  // flushing: the answer was the connection's last
    Clock::time_point last_output;   // flushing: when bytes last left

  private:
    Progress refuse(Refusal refusal);

    int fd_;
    ConnectionReactor* owner_;
    std::string peer_ip_, local_ip_;
    int peer_port_ = -1, local_port_ = -1;

    std::string input_;  // received, not yet consumed
    std::size_t scanned_ = 0;
    bool begun_ = false;
    bool head_complete_ = false;
    bool peer_closed_ = false;
    RequestHead head_;
    std::string raw_head_;  // as received, when it can be passed on as it is
    std::string body_;
    std::optional<ChunkedDecoder> chunked_;
    Refusal refusal_;

    std::string unsent_;  // the end of an answer the socket did not take yet
    std::size_t unsent_offset_ = 0;
    std::size_t reserved_ = 0;  // of the reactor's max_unsent_bytes
};

class ConnectionReactor {
  public:
    // Runs a complete request on a worker thread (the connection is the worker's until it calls
    // resume() or refuse(), or drops it to close it).
    using Dispatch = std::function<void(std::shared_ptr<Connection>)>;
    // The whole HTTP answer (status line to body, `Connection: close`) to a refused request;
    // `head` is null when the refusal came before a head was read. Called on any thread.
    using Answer = std::function<std::string(const RequestHead* head, const Refusal& refusal)>;

    ConnectionReactor(ConnectionLimits limits, Answer answer);
    ~ConnectionReactor();
    ConnectionReactor(const ConnectionReactor&) = delete;
    ConnectionReactor& operator=(const ConnectionReactor&) = delete;

    // Starts the reactor thread. Precondition: not running.
    void start(Dispatch dispatch);
    // Stops the thread and closes every connection it holds; connections handed to it later
    // are closed at once. Returns when the thread has ended. Idempotent.
    void stop();

    // A newly accepted socket, from any thread: counted against the limits (or answered 429 or
    // 503 and closed) and watched for its first request.
    void adopt(int fd);
    // From the worker that answered a request: waits for the connection's next request.
    void resume(std::shared_ptr<Connection> connection);
    // Answers `refusal` (Connection: close), then reads and drops what the client still sends for
    // up to two seconds, so it sees the answer rather than a reset, and closes. Any thread.
    void refuse(std::shared_ptr<Connection> connection, const Refusal& refusal);
    // From the worker that answered a request the client is slow to read: sends the rest of the
    // answer, then waits for the next request (or closes, with `close_after_flush`).
    void flush(std::shared_ptr<Connection> connection);

    const ConnectionLimits& limits() const { return limits_; }
    std::size_t open_connections() const;

  private:
    friend class Connection;
    void forget(const std::string& peer_ip);  // a counted connection closed
    bool reserve_unsent(std::size_t bytes);   // false when the budget is spent
    void release_unsent(std::size_t bytes);
    void on_writable(const std::shared_ptr<Connection>& connection);
    void hand_over(std::shared_ptr<Connection> connection);
    void run();
    void watch(std::shared_ptr<Connection> connection);
    void unwatch(int fd);
    void on_readable(const std::shared_ptr<Connection>& connection);
    void sweep(Clock::time_point now);
    void drain(const std::shared_ptr<Connection>& connection);

    ConnectionLimits limits_;
    Answer answer_;
    Dispatch dispatch_;

    mutable std::mutex mutex_;  // guards the fields up to thread_
    bool running_ = false;
    std::size_t open_ = 0;
    std::unordered_map<std::string, std::size_t> per_ip_;
    std::vector<std::shared_ptr<Connection>> incoming_;
    std::thread thread_;

    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    // The reactor thread's own: the connections it watches, by socket.
    std::unordered_map<int, std::shared_ptr<Connection>> watched_;
    std::size_t draining_ = 0;
    std::atomic<std::size_t> unsent_bytes_{0};
};

}  // namespace vokter::http
