#include "app/notify/sender.hpp"

#include <curl/curl.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "app/notify/message.hpp"
#include "http/crypto.hpp"
#include "http/log.hpp"

namespace vokter::app::notify {

namespace {

// An attempt's claim: longer than the slowest attempt (a webhook's 10 s, a message's 30 s), so
// that no other sender takes a delivery while it is being made.
constexpr std::int64_t kLeaseMs = 60'000;
constexpr int kBatch = 50;            // deliveries claimed per receiver and pass
constexpr long kWebhookSeconds = 10;  // the longest a webhook attempt may take
constexpr long kMailSeconds = 30;     // and a message
constexpr std::int64_t kKeepMs = 7 * 24 * 3600 * 1000LL;  // finished events kept this long
constexpr std::int64_t kHousekeepingMs = 3600 * 1000LL;
constexpr std::int64_t kLateCheckMs = 10'000;

// A URL as the log may show it: its scheme and host, never its path (a Slack or Teams webhook's
// path is its secret) nor credentials.
std::string printable_url(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return "(a webhook)";
    auto host_start = scheme + 3;
    const auto host_end = url.find_first_of("/?#", host_start);
    std::string host = url.substr(host_start, host_end - host_start);
    if (const auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
    return url.substr(0, scheme + 3) + host + "/…";
}

}  // namespace

const std::vector<std::string>& mail_events() {
    static const std::vector<std::string> kinds = {store::kEventHeld, store::kEventSpamBurst,
                                                   store::kEventRulesFailed};
    return kinds;
}

std::string receiver_key(const std::string& kind, const std::string& address) {
    return kind + ":" + http::to_hex(http::sha256(address)).substr(0, 24);
}

std::int64_t retry_delay_ms(int attempts, int retry_seconds) {
    const int doublings = std::clamp(attempts - 1, 0, 20);
    const std::int64_t delay = static_cast<std::int64_t>(retry_seconds) * 1000 << doublings;
    return std::min<std::int64_t>(delay, 3600 * 1000LL);
}

Sender::Sender(store::Store& store, NotifyOptions options, bool run_thread)
    : store_(store), options_(std::move(options)) {
    for (const std::string& url : options_.webhooks) {
        receivers_.push_back({receiver_key("webhook", url), true, url, options_.webhook_events, -1,
                              0, std::make_unique<WebhookClient>()});
    }
    if (!options_.smtp.url.empty() && !options_.mail_to.empty()) {
        std::vector<std::string> sorted = options_.mail_to;  // the same list in any order
        std::sort(sorted.begin(), sorted.end());
        std::string addresses;
        for (const std::string& to : sorted)
            addresses += to + "\n";
        receivers_.push_back(
            {receiver_key("email", addresses), false, "", mail_events(), -1, 0, nullptr});
    }
    if (!options_.any()) return;
    curl_global_init(CURL_GLOBAL_DEFAULT);  // before the thread: not thread-safe itself
    if (run_thread) thread_ = std::thread([this] { loop(); });
}

Sender::~Sender() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Sender::loop() {
    pthread_setname_np(pthread_self(), "vokter-send");
    for (;;) {
        bool more = false;
        try {
            more = pass();
        } catch (const std::exception& e) {
            // The database away or full: the outbox keeps everything; the next pass goes on.
            http::log_line(std::string("notify: ") + e.what());
        }
        std::unique_lock lock(mutex_);
        if (stopping_) return;
        if (more) continue;  // a backlog: work through it without pausing
        if (wake_.wait_for(lock, options_.poll, [this] { return stopping_; })) return;
    }
}

bool Sender::pass() {
    const std::int64_t now = http::now_ms();
    std::int64_t newest = 0;
    {
        auto db = store_.read();
        newest = store::newest_event_id(*db);
    }
    bool more = false;
    for (Receiver& receiver : receivers_)
        more = serve(receiver, newest) || more;
    if (now - last_housekeeping_ms_ >= kHousekeepingMs) housekeeping(now);
    return more;
}

bool Sender::serve(Receiver& receiver, std::int64_t newest_event) {
    const std::int64_t now = http::now_ms();
    // On PostgreSQL also now and then with no new newest event: another replica's event may
    // have committed below it (store::enqueue_deliveries).
    const bool late_check = store_.shared() && now - receiver.enqueued_ms >= kLateCheckMs;
    if (receiver.seen != newest_event || late_check) {
        receiver.enqueued_ms = now;
        const std::int64_t delay =
            receiver.webhook ? 0 : static_cast<std::int64_t>(options_.digest_minutes) * 60'000;
        store_.writer().run([&](store::Connection& db) {
            store::enqueue_deliveries(db, receiver.key, receiver.kinds, delay);
        });
        receiver.seen = newest_event;
    }
    {
        auto db = store_.read();
        if (!store::deliveries_due(*db, receiver.key, now)) return false;
    }
    const auto claimed_at = std::chrono::steady_clock::now();  // the lease runs from about here
    const std::int64_t claim_ms = http::now_ms();
    const std::vector<store::Delivery> claimed = store_.writer().run([&](store::Connection& db) {
        return store::claim_deliveries(db, receiver.key, claim_ms, kBatch, kLeaseMs);
    });
    std::vector<EventView> events;
    {
        auto db = store_.read();
        for (const store::Delivery& delivery : claimed) {
            EventView view{delivery, std::nullopt, {}};
            if (delivery.comment_id) {
                view.comment = store::find_comment(*db, *delivery.comment_id);
                if (view.comment && view.comment->status == store::kDeleted) view.comment.reset();
                if (view.comment) view.rules = store::comment_rules(*db, view.comment->id);
            }
            events.push_back(std::move(view));
        }
    }
    const int minutes = store_.options().events.burst_minutes;
    std::vector<Outcome> outcomes;
    // The rest of a batch is given back untried when the receiver is down (it failed for its
    // own sake: unreachable, a 5xx), and when another attempt could outlast the claim's lease.
    const auto skip = [&](long attempt_seconds) {
        for (const Outcome& o : outcomes) {
            if (o.attempted && o.attempt.receiver_down) return true;
        }
        const auto elapsed = std::chrono::steady_clock::now() - claimed_at;
        return elapsed + std::chrono::seconds(attempt_seconds + 5) >
               std::chrono::milliseconds(kLeaseMs);
    };
    if (receiver.webhook) {
        for (const EventView& event : events) {
            if (skip(kWebhookSeconds)) {
                outcomes.push_back({event.delivery, {}, false});
                continue;
            }
            WebhookRequest request{
                receiver.url, webhook_body(event, options_.public_url, minutes), {}};
            request.headers.push_back("X-Vokter-Event: " + event.delivery.kind);
            request.headers.push_back("X-Vokter-Delivery: " +
                                      std::to_string(event.delivery.event_id));
            if (!options_.webhook_secret.empty()) {
                request.headers.push_back(
                    "X-Vokter-Signature: sha256=" +
                    http::to_hex(http::hmac_sha256(options_.webhook_secret, request.body)));
            }
            outcomes.push_back({event.delivery, receiver.client->post(request, kWebhookSeconds)});
        }
        record(outcomes, printable_url(receiver.url));
        return claimed.size() == static_cast<std::size_t>(kBatch);
    }
    // E-mail: a digest is one message for every event due; otherwise one each.
    const auto mail = [&](const std::vector<EventView>& part) {
        if (skip(kMailSeconds)) {
            for (const EventView& event : part)
                outcomes.push_back({event.delivery, {}, false});
            return;
        }
        const Attempt attempt = send_mail(
            options_.smtp,
            mail_for(part, options_.public_url, minutes, options_.mail_from, options_.mail_to),
            kMailSeconds);
        for (const EventView& event : part)
            outcomes.push_back({event.delivery, attempt});
    };
    if (options_.digest_minutes > 0) {
        if (!events.empty()) mail(events);
    } else {
        for (const EventView& event : events)
            mail({event});
    }
    record(outcomes, printable_url(options_.smtp.url));
    return claimed.size() == static_cast<std::size_t>(kBatch);
}

void Sender::record(const std::vector<Outcome>& outcomes, const std::string& to) {
    if (outcomes.empty()) return;
    const std::int64_t now = http::now_ms();
    // One transaction for the batch: a commit per delivery would bound the sender at the
    // writer's commit rate. An acknowledgement lost to a crash before it is recorded is repeated,
    // with the same X-Vokter-Delivery; a database that refuses the record is asked again a few
    // times first.
    std::vector<std::pair<std::int64_t, bool>> failed;  // next attempt, abandoned
    for (int attempt = 1;; ++attempt) {
        try {
            store_.writer().run([&](store::Connection& db) {
                failed.clear();  // a batch that runs again after a conflict starts afresh
                for (const Outcome& o : outcomes) {
                    if (!o.attempted) {
                        store::release_delivery(db, o.delivery, now);
                    } else if (o.attempt.delivered) {
                        store::mark_delivered(db, o.delivery.event_id, o.delivery.receiver, now);
                    } else {
                        const std::int64_t next =
                            now + retry_delay_ms(o.delivery.attempts + 1, options_.retry_seconds);
                        failed.emplace_back(
                            next, store::mark_failed(db, o.delivery, o.attempt.error, next, now));
                    }
                }
            });
            break;
        } catch (const std::exception& e) {
            if (attempt == 3) throw;
            http::log_line(std::string("notify: cannot record deliveries, again in a second: ") +
                           e.what());
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    }
    std::size_t i = 0;
    std::size_t untried = 0;
    for (const Outcome& o : outcomes) {
        if (!o.attempted) {
            ++untried;
            continue;
        }
        if (o.attempt.delivered) continue;
        const auto& [next, abandoned] = failed[i++];
        http::log_line("notify: " + o.delivery.kind + " " + std::to_string(o.delivery.event_id) +
                       " to " + to + " failed (attempt " + std::to_string(o.delivery.attempts + 1) +
                       "): " + o.attempt.error +
                       (abandoned ? "; given up, 24 hours after the event"
                                  : "; again at " + http::iso_time(next)));
    }
    if (untried > 0) {
        http::log_line("notify: " + std::to_string(untried) + " more to " + to +
                       " not attempted now: the receiver is down or the batch ran long");
    }
}

void Sender::housekeeping(std::int64_t now_ms) {
    last_housekeeping_ms_ = now_ms;
    store_.writer().run([&](store::Connection& db) {
        store::abandon_stale_deliveries(db, now_ms);
        store::delete_finished_events(db, now_ms - kKeepMs);
    });
}

}  // namespace vokter::app::notify
