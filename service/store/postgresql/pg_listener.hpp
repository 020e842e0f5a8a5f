#pragma once
// A session that LISTENs on one PostgreSQL channel, on a thread of its own, and hands every
// notification's payload to a callback. Replicas on one database learn this way what another
// replica committed (so their answer caches drop stale answers) and when the rules changed.
// A lost session is opened again (every second until the server answers); `on_gap` runs once it
// is back, because notifications sent meanwhile are lost: the caller then assumes anything may
// have changed.

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace vokter::store {

class PgListener {
  public:
    PgListener(std::string conninfo, std::string channel,
               std::function<void(const std::string& payload)> on_notify,
               std::function<void()> on_gap);
    ~PgListener();  // stops the thread within about 200 ms
    PgListener(const PgListener&) = delete;
    PgListener& operator=(const PgListener&) = delete;

    // True while the session listens (false before the first connection and after a loss).
    bool listening() const { return listening_.load(); }

  private:
    void loop();

    std::string conninfo_;
    std::string channel_;
    std::function<void(const std::string&)> on_notify_;
    std::function<void()> on_gap_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> listening_{false};
    std::thread thread_;
};

}  // namespace vokter::store
