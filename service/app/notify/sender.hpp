#pragma once
// The sender: a thread that delivers the notification outbox (store/notifications.hpp) to the
// configured receivers, each webhook and the moderators' e-mail. Once a second it gives each
// receiver the events recorded since it last looked, claims what is due, attempts it (outside
// any transaction: a slow or unreachable receiver holds no lock and blocks no post), and records
// the outcomes of each batch of attempts in one transaction: acknowledged, or due again after a
// backoff that doubles from retry_seconds up to
// an hour, until 24 hours after the event. Every failure is logged with the receiver's host
// (never a webhook's full address, which often is its secret).
//
// A webhook receives one JSON document per event (message.hpp), signed with the shared secret in
// `X-Vokter-Signature: sha256=HEX` (HMAC-SHA256 over the body); `X-Vokter-Event` names the event
// and `X-Vokter-Delivery` its id, the same on every attempt. E-mail goes to every address in one
// message per held comment, burst and refused rule file (spam filed as such is not mailed), or,
// with digest_minutes, one message for each interval's events.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/notify/transport.hpp"
#include "store/store.hpp"

namespace vokter::app::notify {

struct NotifyOptions {
    std::vector<std::string> webhooks;        // URLs
    std::string webhook_secret;               // empty: webhooks are not signed
    std::vector<std::string> webhook_events;  // the kinds webhooks get
    SmtpServer smtp;                          // url empty: no e-mail
    std::string mail_from;
    std::vector<std::string> mail_to;
    int digest_minutes = 0;  // 0: one message per event
    std::string public_url;  // where /moderate is, for links ("https://comments.example")
    int retry_seconds = 10;  // the first retry's delay; doubled for each one after
    std::chrono::milliseconds poll{1000};

    bool any() const { return !webhooks.empty() || (!smtp.url.empty() && !mail_to.empty()); }
};

// The kinds e-mail carries.
const std::vector<std::string>& mail_events();

// What a receiver is called in the outbox: its kind and a digest of its address
// ("webhook:3fa2…", "email:9c1e…"), so that no address is stored and a changed one starts afresh.
std::string receiver_key(const std::string& kind, const std::string& address);

// The backoff before attempt `attempts + 1` after `attempts` failed ones.
std::int64_t retry_delay_ms(int attempts, int retry_seconds);

class Sender {
  public:
    // Starts the thread when `options.any()` (and `run_thread`); otherwise does nothing.
    Sender(store::Store& store, NotifyOptions options, bool run_thread = true);
    ~Sender();  // finishes the attempt under way, then stops
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;

    // Runs one pass now, on the caller's thread (for tests; the thread must not run). Returns
    // true when a receiver had more due than one batch: the next pass should follow at once.
    bool pass();

  private:
    struct Receiver {
        std::string key;
        bool webhook = true;
        std::string url;  // webhooks
        std::vector<std::string> kinds;
        std::int64_t seen = -1;        // the newest event id given to it (-1: not read yet)
        std::int64_t enqueued_ms = 0;  // when deliveries were last made for it
        std::unique_ptr<WebhookClient> client;  // webhooks: keeps the connection open
    };
    struct Outcome {
        store::Delivery delivery;
        Attempt attempt;
        bool attempted = true;  // false: given back untried (the receiver was just down)
    };
    void loop();
    // Returns true when it claimed a full batch (more may be due).
    bool serve(Receiver& receiver, std::int64_t newest_event);
    // Records a batch's outcomes in one transaction, then logs the failures (to: the host).
    void record(const std::vector<Outcome>& outcomes, const std::string& to);
    void housekeeping(std::int64_t now_ms);

    store::Store& store_;
    NotifyOptions options_;
    std::vector<Receiver> receivers_;
    std::int64_t last_housekeeping_ms_ = 0;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace vokter::app::notify
