#include "http/connection_reactor.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace vokter::http {

namespace {

constexpr std::size_t kReadChunk = 16384;
// A request's bytes read in one go before the reactor turns to the other connections.
constexpr std::size_t kReadBudget = 256 * 1024;
// Refused connections are drained for this long, and for at most this many bytes, at most this
// many at a time; past that they are closed at once.
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr std::size_t kDrainBytes = 1 << 20;
constexpr std::size_t kMaxDraining = 256;
constexpr auto kSweepInterval = std::chrono::milliseconds(100);

void address_of(int fd, bool peer, std::string& ip, int& port) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length)
                        : getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (rc != 0 || getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host,
                               service, sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return;
    }
    ip = host;
    port = std::atoi(service);
}

// Sends what the socket takes now; an answer to a refused request is small, and a client that
// does not read it loses it.
void send_now(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n =
            ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            return;
        }
    }
}

}  // namespace

// --- Connection -------------------------------------------------------------------------------

Connection::Connection(int fd, ConnectionReactor* owner) : fd_(fd), owner_(owner) {
    address_of(fd, true, peer_ip_, peer_port_);
    address_of(fd, false, local_ip_, local_port_);
}

Connection::~Connection() {
    ::close(fd_);
    if (reserved_ > 0) owner_->release_unsent(reserved_);
    if (counted) owner_->forget(peer_ip_);
}

bool Connection::write(const char* data, std::size_t size, std::chrono::milliseconds timeout) {
    const auto wait_writable = [&] {
        pollfd watch{fd_, POLLOUT, 0};
        int ready;
        do {
            ready = ::poll(&watch, 1, static_cast<int>(timeout.count()));
        } while (ready < 0 && errno == EINTR);
        return ready > 0 && (watch.revents & (POLLERR | POLLHUP)) == 0;
    };
    const auto keep = [&](const char* rest, std::size_t length) {
        if (!owner_->reserve_unsent(length)) return false;
        unsent_.append(rest, length);
        reserved_ += length;
        return true;
    };
    // Behind bytes already kept, in order; or, over the budget, once those have gone.
    while (has_unsent()) {
        if (keep(data, size)) return true;
        if (!send_unsent()) return false;
        if (has_unsent() && !wait_writable()) return false;
    }
    std::size_t sent = 0;
    while (sent < size) {
        const ssize_t n = ::send(fd_, data + sent, size - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (keep(data + sent, size - sent)) return true;
            if (!wait_writable()) return false;
        } else {
            return false;
        }
    }
    return true;
}

bool Connection::write(std::string_view first, std::string_view second,
                       std::chrono::milliseconds timeout) {
    std::size_t sent = 0;
    if (!has_unsent()) {
        iovec parts[2] = {{const_cast<char*>(first.data()), first.size()},
                          {const_cast<char*>(second.data()), second.size()}};
        msghdr message{};
        message.msg_iov = parts;
        message.msg_iovlen = 2;
        ssize_t n;
        do {
            n = ::sendmsg(fd_, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        } while (n < 0 && errno == EINTR);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
        if (n > 0) sent = static_cast<std::size_t>(n);
    }
    // What the socket did not take goes the way of any write.
    if (sent < first.size()) {
        return write(first.data() + sent, first.size() - sent, timeout) &&
               write(second.data(), second.size(), timeout);
    }
    sent -= first.size();
    return sent == second.size() || write(second.data() + sent, second.size() - sent, timeout);
}

bool Connection::send_unsent() {
    while (has_unsent()) {
        const ssize_t n = ::send(fd_, unsent_.data() + unsent_offset_,
                                 unsent_.size() - unsent_offset_, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            unsent_offset_ += static_cast<std::size_t>(n);
            last_output = Clock::now();
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return true;
        } else {
            return false;
        }
    }
    unsent_.clear();
    unsent_.shrink_to_fit();
    unsent_offset_ = 0;
    owner_->release_unsent(reserved_);
    reserved_ = 0;
    return true;
}

Connection::Progress Connection::refuse(Refusal refusal) {
    refusal_ = std::move(refusal);
    return Progress::refused;
}

Connection::Progress Connection::pump(const FramingLimits& limits, Clock::time_point now) {
    char buffer[kReadChunk];
    for (std::size_t budget = kReadBudget; budget > 0;) {
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            input_.append(buffer, static_cast<std::size_t>(n));
            budget -= std::min(budget, static_cast<std::size_t>(n));
            if (const Progress p = advance(limits, now); p != Progress::more) return p;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return Progress::more;
        } else {
            peer_closed_ = true;
            return Progress::closed;
        }
    }
    return Progress::more;
}

Connection::Progress Connection::advance(const FramingLimits& limits, Clock::time_point now) {
    if (!begun_) {
        if (input_.empty()) return Progress::more;
        begun_ = true;
        request_started = now;
    }
    if (!head_complete_) {
        HeadParse parse = parse_request_head(input_, limits, scanned_);
        if (parse.state == HeadParse::State::incomplete) return Progress::more;
        if (parse.head_read) {
            head_ = std::move(parse.head);
            head_complete_ = true;  // so that a refusal is answered in the route's dialect
        }
        if (parse.state == HeadParse::State::refused) return refuse(std::move(parse.refusal));
        if (head_.framing != BodyFraming::chunked && !head_.expect_continue) {
            std::size_t start = 0;  // the empty lines before a request are not passed on
            while (input_.compare(start, 2, "\r\n") == 0)
                start += 2;
            raw_head_.assign(input_, start, parse.size - start);
        }
        input_.erase(0, parse.size);
        if (head_.framing == BodyFraming::chunked) chunked_.emplace(limits);
        const bool body_missing =
            head_.framing == BodyFraming::chunked
                ? input_.empty()
                : head_.framing == BodyFraming::length && input_.size() < head_.content_length;
        if (head_.expect_continue && body_missing) send_now(fd_, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    switch (head_.framing) {
        case BodyFraming::none:
            return Progress::complete;
        case BodyFraming::length:
            if (input_.size() < head_.content_length) return Progress::more;
            body_.assign(input_, 0, head_.content_length);
            input_.erase(0, head_.content_length);
            return Progress::complete;
        case BodyFraming::chunked:
            switch (chunked_->feed(input_, body_)) {
                case ChunkedDecoder::Status::more:
                    return Progress::more;
                case ChunkedDecoder::Status::refused:
                    return refuse(chunked_->refusal());
                case ChunkedDecoder::Status::done:
                    return Progress::complete;
            }
    }
    return Progress::more;
}

std::string Connection::request_for_library() const {
    return (raw_head_.empty() ? head_.for_library(body_.size()) : raw_head_) + body_;
}

void Connection::next_request(Clock::time_point now) {
    head_ = RequestHead();
    raw_head_.clear();
    body_.clear();
    chunked_.reset();
    refusal_ = Refusal();
    scanned_ = 0;
    begun_ = false;
    head_complete_ = false;
    waiting_since = now;
}

// --- ConnectionReactor ------------------------------------------------------------------------

ConnectionReactor::ConnectionReactor(ConnectionLimits limits, Answer answer)
    : limits_(std::move(limits)), answer_(std::move(answer)) {}

ConnectionReactor::~ConnectionReactor() {
    stop();
}

void ConnectionReactor::start(Dispatch dispatch) {
    dispatch_ = std::move(dispatch);
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wake_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
    std::lock_guard lock(mutex_);
    running_ = true;
    thread_ = std::thread([this] { run(); });
}

void ConnectionReactor::stop() {
    {
        std::lock_guard lock(mutex_);
        if (!thread_.joinable()) return;
        running_ = false;
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto ignored = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    ::close(epoll_fd_);
    ::close(wake_fd_);
    epoll_fd_ = wake_fd_ = -1;
}

std::size_t ConnectionReactor::open_connections() const {
    std::lock_guard lock(mutex_);
    return open_;
}

void ConnectionReactor::forget(const std::string& peer_ip) {
    std::lock_guard lock(mutex_);
    --open_;
    if (auto it = per_ip_.find(peer_ip); it != per_ip_.end() && --it->second == 0) {
        per_ip_.erase(it);
    }
}

void ConnectionReactor::adopt(int fd) {
    auto connection = std::make_shared<Connection>(fd, this);
    connection->waiting_since = Clock::now();
    std::optional<Refusal> refusal;
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;  // closes the socket, outside the lock
        const std::string& ip = connection->peer_ip();
        const auto it = per_ip_.find(ip);
        const bool unlimited =
            std::find(limits_.unlimited_peers.begin(), limits_.unlimited_peers.end(), ip) !=
            limits_.unlimited_peers.end();
        if (open_ >= limits_.max_connections) {
            refusal = Refusal{503, "the server has " + std::to_string(open_) +
                                       " connections open; try again shortly"};
        } else if (!unlimited && it != per_ip_.end() &&
                   it->second >= limits_.max_connections_per_ip) {
            refusal = Refusal{429, "more than " + std::to_string(limits_.max_connections_per_ip) +
                                       " connections from one address"};
        } else {
            ++open_;
            ++per_ip_[ip];
            connection->counted = true;
        }
    }
    if (refusal) {
        refuse(std::move(connection), *refusal);
    } else {
        hand_over(std::move(connection));
    }
}

void ConnectionReactor::resume(std::shared_ptr<Connection> connection) {
    hand_over(std::move(connection));
}

void ConnectionReactor::flush(std::shared_ptr<Connection> connection) {
    connection->flushing = true;
    connection->last_output = Clock::now();
    hand_over(std::move(connection));
}

bool ConnectionReactor::reserve_unsent(std::size_t bytes) {
    if (unsent_bytes_.fetch_add(bytes) + bytes <= limits_.max_unsent_bytes) return true;
    unsent_bytes_.fetch_sub(bytes);
    return false;
}

void ConnectionReactor::release_unsent(std::size_t bytes) {
    unsent_bytes_.fetch_sub(bytes);
}

void ConnectionReactor::refuse(std::shared_ptr<Connection> connection, const Refusal& refusal) {
    send_now(connection->fd(), answer_(connection->parsed_head(), refusal));
    ::shutdown(connection->fd(), SHUT_WR);
    connection->draining = true;
    connection->drained = 0;
    connection->drain_until = Clock::now() + kDrainTime;
    hand_over(std::move(connection));
}

void ConnectionReactor::hand_over(std::shared_ptr<Connection> connection) {
    // Once stopped, `connection` closes when it goes out of scope, after the lock: its
    // destructor takes the lock to update the counts. The wake-up is written under the lock, so
    // stop() cannot close the eventfd in between.
    std::lock_guard lock(mutex_);
    if (!running_) return;
    incoming_.push_back(std::move(connection));
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto ignored = ::write(wake_fd_, &one, sizeof one);
}

void ConnectionReactor::watch(std::shared_ptr<Connection> connection) {
    if (connection->draining) {
        if (draining_ >= kMaxDraining) return;  // closed now
        ++draining_;
    }
    epoll_event event{};
    event.events = connection->flushing ? EPOLLOUT : EPOLLIN | EPOLLRDHUP;
    event.data.fd = connection->fd();
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, connection->fd(), &event) != 0) {
        if (connection->draining) --draining_;
        return;
    }
    watched_[connection->fd()] = std::move(connection);
}

void ConnectionReactor::unwatch(int fd) {
    const auto it = watched_.find(fd);
    if (it == watched_.end()) return;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    if (it->second->draining) --draining_;
    watched_.erase(it);
}

void ConnectionReactor::drain(const std::shared_ptr<Connection>& connection) {
    char buffer[kReadChunk];
    for (;;) {
        const ssize_t n = ::recv(connection->fd(), buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            connection->drained += static_cast<std::size_t>(n);
            if (connection->drained <= kDrainBytes) continue;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        }
        unwatch(connection->fd());
        return;
    }
}

void ConnectionReactor::on_writable(const std::shared_ptr<Connection>& connection) {
    if (!connection->send_unsent() ||
        (!connection->has_unsent() && connection->close_after_flush)) {
        unwatch(connection->fd());
        return;
    }
    if (connection->has_unsent()) return;
    // The answer is out: wait for the next request, which may be here already (pipelined).
    connection->flushing = false;
    const auto now = Clock::now();
    connection->waiting_since = now;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = connection->fd();
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection->fd(), &event);
    switch (connection->advance(limits_.framing, now)) {
        case Connection::Progress::complete:
            unwatch(connection->fd());
            dispatch_(connection);
            return;
        case Connection::Progress::refused:
            unwatch(connection->fd());
            refuse(connection, connection->refusal());
            return;
        default:
            return;
    }
}

void ConnectionReactor::on_readable(const std::shared_ptr<Connection>& connection) {
    if (connection->draining) {
        drain(connection);
        return;
    }
    switch (connection->pump(limits_.framing, Clock::now())) {
        case Connection::Progress::more:
            return;
        case Connection::Progress::complete:
            unwatch(connection->fd());
            dispatch_(connection);
            return;
        case Connection::Progress::refused:
            unwatch(connection->fd());
            refuse(connection, connection->refusal());
            return;
        case Connection::Progress::closed:
            unwatch(connection->fd());
            return;
    }
}

void ConnectionReactor::sweep(Clock::time_point now) {
    std::vector<int> expired;
    std::vector<std::shared_ptr<Connection>> late;
    for (const auto& [fd, connection] : watched_) {
        if (connection->draining) {
            if (now >= connection->drain_until) expired.push_back(fd);
        } else if (connection->flushing) {
            if (now - connection->last_output >= limits_.write_timeout) expired.push_back(fd);
        } else if (!connection->request_begun()) {
            if (now - connection->waiting_since >= limits_.idle_timeout) expired.push_back(fd);
        } else if (now - connection->request_started >= limits_.request_timeout) {
            late.push_back(connection);
        }
    }
    for (const int fd : expired)
        unwatch(fd);
    const auto seconds =
        std::chrono::duration_cast<std::chrono::duration<double>>(limits_.request_timeout).count();
    char detail[96];
    std::snprintf(detail, sizeof detail, "the request was not complete within %g seconds", seconds);
    for (const auto& connection : late) {
        unwatch(connection->fd());
        refuse(connection, Refusal{408, detail});
    }
}

void ConnectionReactor::run() {
    epoll_event events[64];
    auto next_sweep = Clock::now() + kSweepInterval;
    for (;;) {
        const int ready =
            epoll_wait(epoll_fd_, events, 64, static_cast<int>(kSweepInterval.count()));
        for (int i = 0; i < ready; ++i) {
            const int fd = events[i].data.fd;
            if (fd == wake_fd_) {
                std::uint64_t count = 0;
                [[maybe_unused]] const auto ignored = ::read(wake_fd_, &count, sizeof count);
                continue;
            }
            const auto it = watched_.find(fd);
            if (it == watched_.end()) continue;
            const std::shared_ptr<Connection> connection = it->second;
            if (connection->flushing) {
                on_writable(connection);
            } else {
                on_readable(connection);
            }
        }
        std::vector<std::shared_ptr<Connection>> arrived;
        bool running = true;
        {
            std::lock_guard lock(mutex_);
            arrived.swap(incoming_);
            running = running_;
        }
        if (!running) break;
        for (auto& connection : arrived)
            watch(std::move(connection));
        arrived.clear();  // connections watch() did not keep close here, outside the lock
        if (const auto now = Clock::now(); now >= next_sweep) {
            sweep(now);
            next_sweep = now + kSweepInterval;
        }
    }
    watched_.clear();
    draining_ = 0;
    std::vector<std::shared_ptr<Connection>> left;
    {
        std::lock_guard lock(mutex_);
        left.swap(incoming_);
    }
}

}  // namespace vokter::http
