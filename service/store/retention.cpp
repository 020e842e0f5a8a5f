#include "store/retention.hpp"

#include <pthread.h>

#include <limits>
#include <optional>
#include <vector>

#include "core/address.hpp"
#include "store/comment_repository.hpp"
#include "store/store.hpp"

namespace vokter::store {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr const char* kAddressesThrough = "retention.addresses_through";
constexpr const char* kReportsThrough = "retention.reports_through";
constexpr const char* kStatuses[] = {"approved", "pending", "spam", "rejected", "deleted"};
constexpr const char* kPurged[] = {"spam", "rejected"};

std::int64_t setting_int(Connection& db, const char* key) {
    const auto value = get_setting(db, key);
    return value ? std::stoll(*value) : 0;
}

// A row whose address or user agent is to change, with its cut address.
struct AddressChange {
    std::int64_t id = 0;
    std::string ip;
};

// A row read for the address pass: its change, if it needs one.
std::optional<AddressChange> address_change(const Statement& row) {
    const std::string cut = core::truncate_address(row.text_view(1));
    if (cut == row.text_view(1) && row.text_view(2).empty()) return std::nullopt;
    return AddressChange{row.int64(0), cut};
}

// Sleeps for `pause` unless stopping; returns whether to go on.
bool rest(std::chrono::milliseconds pause, const std::function<bool()>& stopping) {
    if (stopping && stopping()) return false;
    if (pause.count() > 0) std::this_thread::sleep_for(pause);
    return !(stopping && stopping());
}

// What the jobs of one batch did: (changed, kept) counts.
using Counts = std::pair<std::int64_t, std::int64_t>;

// Applies `change(db, i)` to the items 0 .. n-1 of a batch in writer jobs of at most
// kRetentionJobBudget each (one item at least), resting between two, so that the comments coming
// in wait for a retention job no longer than that. `change` returns what it did to its item.
// Returns false when stopping.
template <class Change>
bool in_jobs(Store& store, std::size_t n, Change change, std::chrono::milliseconds pause,
             const std::function<bool()>& stopping, Counts& done) {
    std::size_t next = 0;
    while (next < n) {
        const auto [reached, counts] = store.writer().run([&](Connection& db) {
            const auto started = std::chrono::steady_clock::now();
            std::size_t i = next;
            Counts job{0, 0};  // a job may run twice: it counts for itself
            do {
                const Counts one = change(db, i);
                job.first += one.first;
                job.second += one.second;
                ++i;
            } while (i < n && std::chrono::steady_clock::now() - started < kRetentionJobBudget);
            return std::pair{i, job};
        });
        next = reached;
        done.first += counts.first;
        done.second += counts.second;
        if (next < n && !rest(pause, stopping)) return false;
    }
    return true;
}

// Comments created from the last pass's cut-off up to this one's, a status at a time, in
// (created, id) order: the queue's index (status, created, id) reads each range in order.
bool cut_comment_addresses(Store& store, std::int64_t since, std::int64_t before,
                           std::chrono::milliseconds pause, const std::function<bool()>& stopping,
                           RetentionReport& report) {
    for (const char* status : kStatuses) {
        std::int64_t after_created = since - 1;
        std::int64_t after_id = std::numeric_limits<std::int64_t>::max();
        for (;;) {
            std::vector<AddressChange> changes;
            std::int64_t read = 0;
            {
                auto db = store.read();
                auto& rows = db->prepare(
                    "SELECT id, ip, user_agent, created FROM comments "
                    "WHERE status = ?1 AND created < ?2 AND (created, id) > (?3, ?4) "
                    "ORDER BY created, id LIMIT ?5");
                rows.bind(1, status)
                    .bind(2, before)
                    .bind(3, after_created)
                    .bind(4, after_id)
                    .bind(5, kRetentionBatch);
                while (rows.step()) {
                    ++read;
                    after_created = rows.int64(3);
                    after_id = rows.int64(0);
                    if (auto change = address_change(rows)) changes.push_back(std::move(*change));
                }
                rows.reset();
            }
            Counts done{0, 0};
            const bool going_on = in_jobs(
                store, changes.size(),
                [&](Connection& db, std::size_t i) {
                    db.prepare(
                          "UPDATE comments SET ip = ?2, user_agent = '' "
                          "WHERE id = ?1 AND created < ?3")
                        .bind(1, changes[i].id)
                        .bind(2, changes[i].ip)
                        .bind(3, before)
                        .run();
                    if (db.changes() == 0) return Counts{0, 0};
                    // A hit on the address or the user agent quotes it.
                    db.prepare(
                          "UPDATE rule_hits SET detail = '' WHERE comment_id = ?1 "
                          "AND field IN ('ip', 'user_agent') AND detail <> ''")
                        .bind(1, changes[i].id)
                        .run();
                    return Counts{1, 0};
                },
                pause, stopping, done);
            report.addresses += done.first;
            if (!going_on) return false;
            if (read < kRetentionBatch) break;
            if (!rest(pause, stopping)) return false;
        }
    }
    return true;
}

// Akismet reports are stored as they come (created only grows with the id): read by id from
// where the last pass stopped, up to the first one still within the period.
bool cut_report_addresses(Store& store, std::int64_t before, std::chrono::milliseconds pause,
                          const std::function<bool()>& stopping, RetentionReport& report) {
    std::int64_t after_id = 0;
    {
        auto db = store.read();
        after_id = setting_int(*db, kReportsThrough);
    }
    for (;;) {
        std::vector<AddressChange> changes;
        std::int64_t read = 0;
        bool reached = false;  // a report still within the period
        {
            auto db = store.read();
            auto& rows = db->prepare(
                "SELECT id, ip, user_agent, created FROM akismet_labels WHERE id > ?1 "
                "ORDER BY id LIMIT ?2");
            rows.bind(1, after_id).bind(2, kRetentionBatch);
            while (rows.step()) {
                if (rows.int64(3) >= before) {
                    reached = true;
                    break;
                }
                ++read;
                after_id = rows.int64(0);
                if (auto change = address_change(rows)) changes.push_back(std::move(*change));
            }
            rows.reset();
        }
        Counts done{0, 0};
        const bool going_on = in_jobs(
            store, changes.size(),
            [&](Connection& db, std::size_t i) {
                db.prepare("UPDATE akismet_labels SET ip = ?2, user_agent = '' WHERE id = ?1")
                    .bind(1, changes[i].id)
                    .bind(2, changes[i].ip)
                    .run();
                return Counts{db.changes(), 0};
            },
            pause, stopping, done);
        report.reports += done.first;
        if (!going_on) return false;
        if (read > 0) {
            store.writer().run([&](Connection& db) {
                put_setting(db, kReportsThrough, std::to_string(after_id));
            });
        }
        if (reached || read < kRetentionBatch) return true;
        if (!rest(pause, stopping)) return false;
    }
}

// The oldest spam and rejected comments past the period, a batch at a time: each is deleted
// unless a reply, the audit log or an Akismet report points at it, and then made a tombstone.
// Either way it leaves the (status, created) range, so the next batch reads the next ones.
bool purge_spam(Store& store, std::int64_t before, std::int64_t now_ms,
                std::chrono::milliseconds pause, const std::function<bool()>& stopping,
                RetentionReport& report) {
    for (const char* status : kPurged) {
        for (;;) {
            std::vector<std::int64_t> ids;
            {
                auto db = store.read();
                auto& rows = db->prepare(
                    "SELECT id FROM comments WHERE status = ?1 AND created < ?2 "
                    "ORDER BY created, id LIMIT ?3");
                rows.bind(1, status).bind(2, before).bind(3, kRetentionBatch);
                while (rows.step())
                    ids.push_back(rows.int64(0));
                rows.reset();
            }
            if (ids.empty()) break;
            Counts done{0, 0};
            const bool going_on = in_jobs(
                store, ids.size(),
                [&](Connection& db, std::size_t i) {
                    const std::int64_t id = ids[i];
                    db.prepare(
                          "DELETE FROM comments WHERE id = ?1 AND status = ?2 AND created < ?3 "
                          "AND NOT EXISTS (SELECT 1 FROM comments r "
                          "  WHERE r.thread_id = comments.thread_id AND r.parent_id = comments.id) "
                          "AND NOT EXISTS (SELECT 1 FROM moderation_log l "
                          "  WHERE l.comment_id = comments.id) "
                          "AND NOT EXISTS (SELECT 1 FROM akismet_labels a "
                          "  WHERE a.comment_id = comments.id)")
                        .bind(1, id)
                        .bind(2, status)
                        .bind(3, before)
                        .run();
                    if (db.changes() > 0) return Counts{1, 0};
                    db.prepare(
                          "UPDATE comments SET name = '', email = '', website = '', body = '', "
                          "ip = '', user_agent = '', referrer = '', edit_token_hash = NULL, "
                          "edit_until = 0, status = 'deleted', updated = ?4 "
                          "WHERE id = ?1 AND status = ?2 AND created < ?3")
                        .bind(1, id)
                        .bind(2, status)
                        .bind(3, before)
                        .bind(4, now_ms)
                        .run();
                    if (db.changes() == 0) return Counts{0, 0};  // decided meanwhile
                    // Hit details quote the comment (words, links, addresses), as a delete's do.
                    db.prepare("UPDATE rule_hits SET detail = '' WHERE comment_id = ?1")
                        .bind(1, id)
                        .run();
                    return Counts{0, 1};
                },
                pause, stopping, done);
            report.deleted += done.first;
            report.tombstoned += done.second;
            if (!going_on) return false;
            // Each of them left the range it was read from: the next read begins after them.
            if (!rest(pause, stopping)) return false;
        }
    }
    return true;
}

}  // namespace

RetentionReport retention_due(Connection& db, const RetentionPolicy& policy, std::int64_t now_ms) {
    const std::int64_t address_before = now_ms - policy.address_days * kDayMs;
    const std::int64_t spam_before = now_ms - policy.spam_days * kDayMs;
    RetentionReport due;
    // Rows from the last pass's mark (a time for comments, an id for reports) to the cut-off.
    const auto rows_from = [&](const char* sql, const char* mark) {
        auto& count = db.prepare(sql);
        count.bind(1, setting_int(db, mark)).bind(2, address_before).step();
        const std::int64_t n = count.int64(0);
        count.reset();
        return n;
    };
    due.addresses = rows_from(
        "SELECT count(*) FROM comments WHERE created >= ?1 AND created < ?2 "
        "AND (ip <> '' OR user_agent <> '')",
        kAddressesThrough);
    due.reports = rows_from(
        "SELECT count(*) FROM akismet_labels WHERE id > ?1 AND created < ?2 "
        "AND (ip <> '' OR user_agent <> '')",
        kReportsThrough);
    auto& spam = db.prepare(
        "SELECT count(*), coalesce(sum(CASE WHEN "
        "  EXISTS (SELECT 1 FROM comments r WHERE r.thread_id = c.thread_id "
        "          AND r.parent_id = c.id) "
        "  OR EXISTS (SELECT 1 FROM moderation_log l WHERE l.comment_id = c.id) "
        "  OR EXISTS (SELECT 1 FROM akismet_labels a WHERE a.comment_id = c.id) "
        "  THEN 1 ELSE 0 END), 0) "
        "FROM comments c WHERE c.status IN ('spam', 'rejected') AND c.created < ?1");
    spam.bind(1, spam_before).step();
    due.tombstoned = spam.int64(1);
    due.deleted = spam.int64(0) - due.tombstoned;
    spam.reset();
    return due;
}

RetentionReport apply_retention(Store& store, const RetentionPolicy& policy, std::int64_t now_ms,
                                std::chrono::milliseconds pause,
                                const std::function<bool()>& stopping) {
    const std::int64_t address_before = now_ms - policy.address_days * kDayMs;
    const std::int64_t spam_before = now_ms - policy.spam_days * kDayMs;
    RetentionReport report;
    std::int64_t since = 0;
    {
        auto db = store.read();
        since = setting_int(*db, kAddressesThrough);
    }
    report.complete = false;  // until the last step has run
    if (since < address_before) {
        if (!cut_comment_addresses(store, since, address_before, pause, stopping, report))
            return report;
        // Only a whole pass moves the mark; an import that stored older comments meanwhile has
        // lowered it, and then it stays (the next pass reads from there).
        store.writer().run([&](Connection& db) {
            if (setting_int(db, kAddressesThrough) == since)
                put_setting(db, kAddressesThrough, std::to_string(address_before));
        });
    }
    if (!cut_report_addresses(store, address_before, pause, stopping, report)) return report;
    report.complete = purge_spam(store, spam_before, now_ms, pause, stopping, report);
    return report;
}

void retention_rewind(Connection& db, std::int64_t created_ms) {
    if (created_ms < setting_int(db, kAddressesThrough))
        put_setting(db, kAddressesThrough, std::to_string(created_ms));
}

RetentionTask::RetentionTask(Store& store, RetentionPolicy policy,
                             std::function<void(const RetentionReport&)> done,
                             std::chrono::milliseconds interval, std::chrono::milliseconds pause)
    : store_(store),
      policy_(policy),
      done_(std::move(done)),
      interval_(interval),
      pause_(pause),
      thread_([this] { loop(); }) {}

RetentionTask::~RetentionTask() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

bool RetentionTask::stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void RetentionTask::loop() {
    pthread_setname_np(pthread_self(), "vokter-retention");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        RetentionReport report;
        try {
            const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch());
            report = apply_retention(store_, policy_, now.count(), pause_,
                                     [this] { return stopping(); });
        } catch (const std::exception& e) {
            report.error = e.what();  // a storage fault: the next pass tries again
        }
        passes_.fetch_add(1, std::memory_order_acq_rel);
        if (done_ && (!report.empty() || !report.error.empty())) done_(report);
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace vokter::store
