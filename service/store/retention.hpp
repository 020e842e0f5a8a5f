#pragma once
// How long Vokter keeps personal data it no longer needs, and the task that enforces it.
//
//  - Client addresses and user agents: once a comment (or an Akismet report kept as training
//    data) is older than RetentionPolicy::address_days, its IP is cut to its network
//    (core::truncate_address: /24, /48) and its user agent dropped. The rules' facts read recent
//    rows only (a flood is minutes, a duplicate a day), so they see the same facts as before.
//  - Spam and rejected comments older than RetentionPolicy::spam_days are deleted with their
//    rule hits. One that something still points at (a reply, an entry of the audit log, an
//    Akismet report) becomes a tombstone instead, as a moderator's delete leaves it: status
//    'deleted', no body, no personal data, its place in the thread and the log kept.
//
// The work goes in batches of at most kRetentionBatch rows: each read on a read connection,
// then applied by jobs of the writer that stop after kRetentionJobBudget (a deletion takes
// about 80 µs with its indexes, hits, counts and foreign keys; cutting an address a few), with a
// pause between two, so that the comments coming in wait at most that long for a retention job
// while a million old ones go. Every change is checked
// again inside its write (a comment decided meanwhile is left alone), and a pass cut short
// (a crash, a stop) is simply run again: cutting a cut address changes nothing.
//
// The address pass remembers how far it got (the setting retention.addresses_through: every
// comment created before it is cut), so that each pass reads only the comments that aged since.
// Whatever stores comments created before that time (an import) calls retention_rewind.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "store/database.hpp"

namespace vokter::store {

class Store;

struct RetentionPolicy {
    int address_days = 30;  // IPs cut, user agents dropped after this many days
    int spam_days = 60;     // spam and rejected comments deleted after this many days
};

// What a pass did (or, for retention_due, would do).
struct RetentionReport {
    std::int64_t addresses = 0;   // comments whose IP was cut and user agent dropped
    std::int64_t reports = 0;     // Akismet reports (akismet_labels) likewise
    std::int64_t deleted = 0;     // spam and rejected comments deleted
    std::int64_t tombstoned = 0;  // spam and rejected comments kept as tombstones
    std::string error;            // a pass that failed: why (the work done so far stays done)
    bool complete = true;         // false for a pass stopped before its end (the service stops)

    bool empty() const { return addresses + reports + deleted + tombstoned == 0; }
};

constexpr std::int64_t kRetentionBatch = 200;                   // rows read at a time
constexpr std::chrono::microseconds kRetentionJobBudget{1000};  // a writer job's time, at most
// Between two jobs. What a job changes costs more than its statements' time: its pages go into
// the WAL, each commit's fsync grows with them, and checkpoints come sooner. So the pass keeps
// to a small share of the writer (a millisecond in 26) and takes its time: a first pass over a
// million old comments takes about an hour, an hourly one afterwards seconds.
constexpr std::chrono::milliseconds kRetentionPause{25};

// What a pass would change at `now_ms`; changes nothing (the dry run).
// The address counts are of the rows the pass would read: since its last pass, with an IP or
// a user agent.
RetentionReport retention_due(Connection& db, const RetentionPolicy& policy, std::int64_t now_ms);

// Runs a pass at `now_ms`: batches as described above, `pause` between two, until nothing is
// left or `stopping()` says so. Throws StoreError when the database fails (what was done stays).
RetentionReport apply_retention(Store& store, const RetentionPolicy& policy, std::int64_t now_ms,
                                std::chrono::milliseconds pause,
                                const std::function<bool()>& stopping = {});

// In the caller's write transaction: comments created at `created_ms` were stored, so the
// address pass must read from there again. A no-op when it has not got that far.
void retention_rewind(Connection& db, std::int64_t created_ms);

// The service's background task: a pass at start, then one every `interval`, on a thread of its
// own (vokter-retention). `done` is called after each pass that changed something or failed.
class RetentionTask {
  public:
    RetentionTask(Store& store, RetentionPolicy policy,
                  std::function<void(const RetentionReport&)> done,
                  std::chrono::milliseconds interval = std::chrono::hours(1),
                  std::chrono::milliseconds pause = kRetentionPause);
    ~RetentionTask();  // stops a pass between two batches and joins the thread
    RetentionTask(const RetentionTask&) = delete;
    RetentionTask& operator=(const RetentionTask&) = delete;

    std::uint64_t passes() const { return passes_.load(std::memory_order_acquire); }

  private:
    void loop();
    bool stopping();

    Store& store_;
    RetentionPolicy policy_;
    std::function<void(const RetentionReport&)> done_;
    std::chrono::milliseconds interval_;
    std::chrono::milliseconds pause_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
    std::atomic<std::uint64_t> passes_{0};
    std::thread thread_;
};

}  // namespace vokter::store
