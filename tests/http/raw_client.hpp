#pragma once
// A raw TCP client for HTTP tests that need what a well-behaved client never sends: pipelined,
// malformed, slow, endless or half-finished requests. Loopback only; it may connect from another
// loopback address (127.0.0.2, …) to look like a second client.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vokter::test {

// One answer read off the wire.
struct RawAnswer {
    int status = 0;
    std::string head;  // status line and header lines
    std::string body;
    bool has(std::string_view header_line) const {
        return head.find(header_line) != std::string::npos;
    }
};

class RawClient {
  public:
    // Connects to 127.0.0.1:`port`, from `from` (a loopback address) when given. Throws when
    // the connection cannot be made. A send that cannot go on for 5 s fails.
    explicit RawClient(int port, const char* from = nullptr) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const timeval send_timeout{5, 0};
        setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
        if (from) {
            sockaddr_in local{};
            local.sin_family = AF_INET;
            inet_pton(AF_INET, from, &local.sin_addr);
            if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
                throw std::runtime_error(std::string("cannot bind to ") + from);
            }
        }
        sockaddr_in server{};
        server.sin_family = AF_INET;
        server.sin_port = htons(static_cast<uint16_t>(port));
        inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
            ::close(fd_);
            throw std::runtime_error("cannot connect to port " + std::to_string(port));
        }
    }
    ~RawClient() { ::close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    // Sends all of `bytes`; false once the server closed or reset the connection.
    bool send(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    // Reads `count` answers (status line, headers, Content-Length body), waiting at most
    // `timeout` for all of them. Returns those that arrived whole.
    std::vector<RawAnswer> answers(std::size_t count,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        std::vector<RawAnswer> out;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (out.size() < count) {
            if (auto answer = take_answer()) {
                out.push_back(std::move(*answer));
                continue;
            }
            if (!receive_until(deadline)) break;
        }
        return out;
    }
    std::optional<RawAnswer> answer(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        auto list = answers(1, timeout);
        if (list.empty()) return std::nullopt;
        return list.front();
    }

    // True when the server closes the connection (or resets it) within `timeout`; what it sent
    // before is kept for answers().
    bool closed_within(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!eof_) {
            if (!receive_until(deadline)) return eof_;
        }
        return true;
    }

    // Sends `prefix`, then `piece` again and again until `total` bytes went or the server
    // stops taking them (it refused and closed). Returns the bytes sent.
    std::size_t flood(std::string_view prefix, std::string_view piece, std::size_t total) {
        if (!send(prefix)) return 0;
        std::size_t sent = prefix.size();
        while (sent < total && send(piece))
            sent += piece.size();
        return sent;
    }

    int fd() const { return fd_; }

  private:
    // Receives what arrives before `deadline`; false on timeout or end of stream.
    bool receive_until(std::chrono::steady_clock::time_point deadline) {
        if (eof_) return false;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd watch{fd_, POLLIN, 0};
        if (::poll(&watch, 1, static_cast<int>(left.count())) <= 0) return false;
        char buffer[65536];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) {
            eof_ = true;
            return false;
        }
        pending_.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    std::optional<RawAnswer> take_answer() {
        const auto end = pending_.find("\r\n\r\n");
        if (end == std::string::npos) return std::nullopt;
        RawAnswer answer;
        answer.head = pending_.substr(0, end + 2);
        answer.status = std::atoi(answer.head.c_str() + 9);
        std::size_t length = 0;
        for (const char* name : {"Content-Length: ", "content-length: "}) {
            const auto at = answer.head.find(name);
            if (at != std::string::npos) length = std::stoul(answer.head.substr(at + 16));
        }
        if (answer.status / 100 == 1) length = 0;  // 100 Continue
        if (pending_.size() < end + 4 + length) return std::nullopt;
        answer.body = pending_.substr(end + 4, length);
        pending_.erase(0, end + 4 + length);
        return answer;
    }

    int fd_ = -1;
    std::string pending_;
    bool eof_ = false;
};

// VmRSS or VmHWM ("VmHWM:") of process `pid`, in kB, from /proc/PID/status; -1 if unreadable.
inline long proc_status_kb(int pid, const std::string& field) {
    FILE* file = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
    if (!file) return -1;
    char line[256];
    long value = -1;
    while (std::fgets(line, sizeof line, file)) {
        if (std::string_view(line).starts_with(field)) value = std::atol(line + field.size());
    }
    std::fclose(file);
    return value;
}

}  // namespace vokter::test
