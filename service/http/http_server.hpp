#pragma once
// cpp-httplib's server with its connection handling replaced. The library still accepts, routes
// and writes answers; every accepted socket goes to a ConnectionReactor (connection_reactor.hpp),
// which reads each request whole, strictly framed, within its limits and deadline, and hands it
// to a worker, which runs the library's process_request() on it. What this closes in 0.11.4:
// unbounded request lines, header lines and bodies (chunked, length-less, compressed), request
// smuggling through ambiguous framing, a worker held by every slow or idle client, and
// pipelined requests dropped with the library's per-request read buffer.

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

#include "http/connection_reactor.hpp"

namespace vokter::http {

class HttpServer : public httplib::Server {
  public:
    // The answer to a request refused before routing (the status, headers and body of
    // `refusal`; HttpServer adds Content-Length and Connection: close). `head` is null when the
    // refusal came before a head was read. Called on any thread.
    using RefusalAnswer =
        std::function<httplib::Response(const RequestHead* head, const Refusal& refusal)>;

    // Call once, before listen: `threads` workers run complete requests. Also sets the library's
    // keep-alive timeout to `limits.idle_timeout`.
    void configure(ConnectionLimits limits, std::size_t threads, RefusalAnswer answer);
    // Runs on every answer the library writes, before it is sent (after routing and the error
    // handler): the place for headers every answer carries.
    void set_response_hook(Handler hook) { response_hook_ = std::move(hook); }

    // Precondition: bound. Linux applies a second listen() on a listening socket as a new
    // backlog; Debian's library is compiled with a backlog of 5, too few for a burst of
    // connections (a page view fetching widget, counts and comments, or a load test).
    void widen_backlog(int backlog);

    // Connections open now (counted against the limits); for tests and metrics.
    std::size_t open_connections() const;

  private:
    // Overrides the library's private virtual: instead of serving `sock` on this worker for the
    // connection's whole life, hand it to the reactor and return.
    bool process_and_close_socket(socket_t sock) override;
    // On a worker: answers the complete request `connection` holds, and the pipelined ones
    // after it; then gives the connection back to the reactor, or closes it.
    void serve(std::shared_ptr<Connection> connection);

    std::size_t threads_ = 8;
    std::atomic<std::size_t> queued_{0};  // requests dispatched to the pool, not yet started
    Handler response_hook_;
    std::unique_ptr<ConnectionReactor> reactor_;
};

}  // namespace vokter::http
