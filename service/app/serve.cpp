#include "app/serve.hpp"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "app/notify/message.hpp"
#include "app/notify/sender.hpp"
#include "app/privacy_cli.hpp"
#include "app/rule_file.hpp"
#include "app/rule_file_control.hpp"
#include "app/shared_rules.hpp"
#include "app/version.hpp"
#include "http/crypto.hpp"
#include "http/log.hpp"
#include "store/comment_repository.hpp"
#include "store/migrations.hpp"
#include "store/notifications.hpp"

namespace vokter::app {

namespace {

// The key that signs form tokens: made once per database and kept in it, so tokens survive a
// restart and several processes on one database agree.
std::string form_token_key(store::Store& store) {
    return store.writer().run([](store::Connection& db) {
        if (auto key = store::get_setting(db, "form_token_key")) return *key;
        const std::string key = http::random_hex(32);
        store::put_setting(db, "form_token_key", key);
        return key;
    });
}

// Every client connection is a file descriptor: raises the soft limit (up to the hard one) so
// max_connections fit beside the database's files. Logs when they cannot.
void make_room_for_connections(const Config& config) {
    const auto wanted = static_cast<rlim_t>(config.max_connections) + 256;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    setrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < wanted) {
        http::log_line("warning: only " + std::to_string(limit.rlim_cur) +
                       " open files allowed (ulimit -n); max_connections=" +
                       std::to_string(config.max_connections) + " will not all fit");
    }
}

// glibc's allocator gives each thread that allocates under contention an arena of its own (up to
// 8 per core) and keeps what is freed inside an arena for reuse; it returns memory to the system
// only from the top of an arena. With 64 worker threads a soak of posts, reads and reloads held
// 95 MB of which 26 MB were in use (malloc_stats, bench/soak.sh): the rest was freed memory kept
// in 16 arenas. So: one arena per core, large blocks (the rule engine's programs, long answers)
// mmap'ed at a fixed threshold so that freeing them returns them at once, and, every
// kTrimSeconds, malloc_trim(0), which hands the free pages inside every arena back.
constexpr int kTrimSeconds = 30;

void tune_allocator() {
    const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
    mallopt(M_ARENA_MAX, static_cast<int>(cores));
    mallopt(M_MMAP_THRESHOLD, 256 << 10);  // fixed: no longer raised by each large free
    mallopt(M_TRIM_THRESHOLD, 1 << 20);
}

}  // namespace

void limit_thread_caches(char** argv) {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    std::string value = tunables ? tunables : "";
    if (value.find("glibc.malloc.tcache_count") != std::string::npos) return;
    value += (value.empty() ? "" : ":") + std::string("glibc.malloc.tcache_count=2");
    setenv("GLIBC_TUNABLES", value.c_str(), 1);
    execv("/proc/self/exe", argv);
    // Still here: keep going on the default caches (and do not try again in a child).
    http::log_line(std::string("warning: cannot limit the allocator's thread caches: ") +
                   std::strerror(errno));
}

int serve(const Config& config) {
    // Signals are taken by one thread with sigwait; block them before any thread starts so
    // every thread inherits the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A peer that closed its connection (a webhook receiver, a mail server, a client) is an
    // error of the write, not the process's end.
    signal(SIGPIPE, SIG_IGN);
    tune_allocator();

    http::log_line("vokter " + std::string(version()) + " starting: " + describe(config));
    make_room_for_connections(config);
    std::unique_ptr<store::Store> store;
    const std::string db_name = store::printable_location(config.db);  // no password in logs
    try {
        store::StoreOptions options = store_options(config);
        options.verify_on_open = true;  // read-only and damaged files are refused here
        store = std::make_unique<store::Store>(options);
    } catch (const store::SchemaTooNew& e) {
        std::cerr << "vokter: " << db_name << ": " << e.what() << "\n";
        return 3;
    } catch (const store::StoreError& e) {
        // A server that cannot be reached (not one that refuses writes: exit code 5 below).
        if (store::is_postgresql_location(config.db) && e.is_unreachable()) {
            std::cerr << "vokter: cannot reach the PostgreSQL database " << db_name << ": "
                      << e.what() << "\n";
            return 6;
        }
        if (e.is_damaged()) {
            std::cerr << "vokter: refusing the damaged database " << db_name << ": " << e.what()
                      << "\nRestore a backup (vokter backup makes one); the sqlite3 shell's "
                         ".recover may save what is left on a copy.\n";
            return 4;
        }
        if (e.is_read_only()) {
            std::cerr << "vokter: refusing the read-only database " << db_name << ": " << e.what()
                      << "\n";
            return 5;
        }
        std::cerr << "vokter: cannot use the database " << db_name << ": " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "vokter: cannot use the database " << db_name << ": " << e.what() << "\n";
        return 1;
    }
    for (const std::string& note : store->open_notes())
        http::log_line("warning: " + note);

    RuleFile rule_file(config.rules);
    core::ActiveRuleset rules(core::approve_all_ruleset());
    if (!rule_file.reload(rules, http::now_ms())) {
        std::cerr << "vokter: the rule file "
                  << (config.rules.empty() ? "(embedded)" : config.rules) << " is invalid:\n"
                  << rule_file.status().last_error << "\n";
        return 1;
    }
    http::log_line("rules " + rule_file.status().version + " in force");
    // Moderators told: a refused rule file is an event of its own (the comment services record
    // theirs in the transactions of the comments, store/notifications.hpp). Set before another
    // replica's rule file can be adopted (on_announcement below).
    const notify::NotifyOptions notify_settings = notify_options(config);
    if (notify_settings.any()) {
        store::Store& events = *store;
        rule_file.on_refused([&events](const std::string& errors) {
            try {
                events.writer().run([&](store::Connection& db) {
                    store::record_event(db, store::kEventRulesFailed, std::nullopt,
                                        notify::utf8_prefix(errors, 4000), http::now_ms());
                });
            } catch (const std::exception& e) {
                http::log_line(std::string("notify: cannot record the refused rule file: ") +
                               e.what());
            }
        });
        if (config.public_url.empty()) {
            http::log_line("warning: public_url is not set: links in notifications are relative");
        }
        if (!notify_settings.webhooks.empty() && notify_settings.webhook_secret.empty()) {
            http::log_line("warning: webhook_secret is not set: webhooks are not signed");
        }
    }

    SharedRules shared_rules(*store, rule_file, rules);  // replicas on PostgreSQL
    // Followed from before the join, so that no other replica's change falls between the two.
    store->on_announcement([&shared_rules](const std::string&) { shared_rules.follow(); });
    struct Unsubscribe {  // before shared_rules goes: the listener's thread may be in follow()
        store::Store& store;
        ~Unsubscribe() { store.on_announcement({}); }
    } unsubscribe{*store};
    try {
        if (std::string joined = shared_rules.join(); !joined.empty()) http::log_line(joined);
    } catch (const std::exception& e) {
        std::cerr << "vokter: cannot share the rule file through the database " << db_name << ": "
                  << e.what() << "\n";
        return 1;
    }

    std::string form_key;
    try {
        form_key = form_token_key(*store);  // the first start writes it
    } catch (const store::StoreError& e) {
        std::cerr << "vokter: cannot write to the database " << db_name << ": " << e.what() << "\n";
        return 1;
    }
    http::Server server(
        server_options(config), *store, rules, std::move(form_key),
        [&rule_file] { return rule_file.status(); },
        rule_file_control(rule_file, rules, [&shared_rules] { shared_rules.publish(); }));
    const int port = server.bind();
    if (port < 0) {
        std::cerr << "vokter: cannot listen on " << config.listen << "\n";
        return 2;
    }
    http::log_line("listening on http://" + server_options(config).host + ":" +
                   std::to_string(port));

    // Personal data past its retention period goes: a pass now, then one an hour, beside the
    // comments coming in (store/retention.hpp). Stopped before the server and the store.
    store::RetentionTask retention(*store, retention_policy(config),
                                   [](const store::RetentionReport& report) {
                                       http::log_line("retention: " + describe(report));
                                   });

    // Notifications: delivered from the outbox by a thread of their own, stopped before the
    // server and the store (notify/sender.hpp).
    notify::Sender sender(*store, notify_settings);

    // The signal thread is also the housekeeper: between signals it trims the allocator.
    std::thread signal_thread([&] {
        const timespec trim_interval{kTrimSeconds, 0};
        for (;;) {
            const int signal = sigtimedwait(&signals, nullptr, &trim_interval);
            if (signal < 0) {
                if (errno == EAGAIN) malloc_trim(0);
                continue;
            }
            if (signal == SIGHUP) {
                if (rule_file.reload(rules, http::now_ms())) {
                    http::log_line("SIGHUP: rules " + rule_file.status().version + " in force");
                    shared_rules.publish();
                } else {
                    http::log_line("SIGHUP: rule file refused, the old rules stay in force:\n" +
                                   rule_file.status().last_error);
                }
                continue;
            }
            http::log_line(signal == SIGINT ? "SIGINT: stopping" : "SIGTERM: stopping");
            server.stop();
            return;
        }
    });
    const bool served = server.listen();
    // listen() also returns when the server fails; make sure the signal thread ends then too.
    pthread_kill(signal_thread.native_handle(), SIGTERM);
    signal_thread.join();
    http::log_line("stopped");
    return served ? 0 : 2;
}

}  // namespace vokter::app
