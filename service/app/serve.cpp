#include "app/serve.hpp"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "app/rule_file.hpp"
#include "app/rule_file_control.hpp"
#include "app/version.hpp"
#include "http/crypto.hpp"
#include "http/log.hpp"
#include "store/comment_repository.hpp"
#include "store/migrations.hpp"

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

}  // namespace

int serve(const Config& config) {
    // Signals are taken by one thread with sigwait; block them before any thread starts so
    // every thread inherits the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    http::log_line("vokter " + std::string(version()) + " starting: " + describe(config));
    std::unique_ptr<store::Store> store;
    try {
        store = std::make_unique<store::Store>(store_options(config));
    } catch (const store::SchemaTooNew& e) {
        std::cerr << "vokter: " << config.db << ": " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "vokter: cannot use the database " << config.db << ": " << e.what() << "\n";
        return 1;
    }

    RuleFile rule_file(config.rules);
    core::ActiveRuleset rules(core::approve_all_ruleset());
    if (!rule_file.reload(rules, http::now_ms())) {
        std::cerr << "vokter: the rule file "
                  << (config.rules.empty() ? "(embedded)" : config.rules) << " is invalid:\n"
                  << rule_file.status().last_error << "\n";
        return 1;
    }
    http::log_line("rules " + rule_file.status().version + " in force");

    http::Server server(
        server_options(config), *store, rules, form_token_key(*store),
        [&rule_file] { return rule_file.status(); }, rule_file_control(rule_file, rules));
    const int port = server.bind();
    if (port < 0) {
        std::cerr << "vokter: cannot listen on " << config.listen << "\n";
        return 2;
    }
    http::log_line("listening on http://" + server_options(config).host + ":" +
                   std::to_string(port));

    std::thread signal_thread([&] {
        for (;;) {
            int signal = 0;
            if (sigwait(&signals, &signal) != 0) continue;
            if (signal == SIGHUP) {
                if (rule_file.reload(rules, http::now_ms())) {
                    http::log_line("SIGHUP: rules " + rule_file.status().version + " in force");
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
