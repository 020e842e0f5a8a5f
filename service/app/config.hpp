#pragma once
// The service's configuration: one struct with defaults, filled from a TOML file, then from
// VOKTER_* environment variables, then from command-line flags (each later source wins).
// Every setting is described once, in the option table of config.cpp, which drives all three.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/notify/sender.hpp"
#include "core/result.hpp"
#include "http/server.hpp"
#include "store/retention.hpp"
#include "store/store.hpp"

namespace vokter::app {

struct Config {
    std::string listen = "127.0.0.1:8080";
    std::string db = "vokter.db";
    std::string rules;  // empty: the rule file embedded in the binary
    int threads = 64;
    std::string durability = "full";  // full | normal
    std::int64_t max_request_bytes = 262144;
    std::int64_t max_header_bytes = 32768;
    int max_connections = 1024;
    int max_connections_per_ip = 128;
    int request_timeout_seconds = 10;
    std::int64_t max_body_chars = 10000;
    int max_depth = 5;
    std::int64_t edit_window_seconds = 900;
    std::vector<std::string> cors_origins;
    std::string isso_prefix = "/isso";
    std::vector<std::string> trusted_proxies;
    int rate_limit_per_minute = 30;
    bool reveal_spam = false;
    bool log_requests = true;
    double akismet_discard_margin = 5.0;  // Akismet API: blatant spam is spam threshold + this
    int ip_retention_days = 30;    // then IPs are cut to their network and user agents dropped
    int spam_retention_days = 60;  // then spam and rejected comments are deleted
    // Notifications to moderators (app/notify/sender.hpp).
    std::vector<std::string> webhooks;
    std::string webhook_secret;
    // comment.spam on request: a spam run would send one each; the burst says it once.
    std::vector<std::string> webhook_events = {"comment.held", "spam.burst", "rules.failed"};
    std::string smtp_url;  // smtp://host:587 (STARTTLS) or smtps://host:465
    std::string smtp_user;
    std::string smtp_password;
    std::string smtp_tls = "required";  // required | off (a relay on this machine only)
    std::string smtp_ca_file;
    std::string mail_from;
    std::vector<std::string> mail_to;
    int mail_digest_minutes = 0;
    std::string public_url;  // where /moderate is, for the links in notifications
    int notify_retry_seconds = 10;
    int spam_burst_count = 20;  // 0: no burst events
    int spam_burst_minutes = 10;
};

// One setting: its TOML key, environment variable, flag and help text.
struct ConfigOption {
    std::string key;  // "listen"; the flag is "--listen", the variable "VOKTER_LISTEN"
    std::string help;
    // Parses `text` into the config; returns an error message, or "" when it is valid.
    std::string (*set)(Config& config, const std::string& text);
    std::string (*show)(const Config& config);
};

const std::vector<ConfigOption>& config_options();

std::string env_name(const std::string& key);   // "max_depth" -> "VOKTER_MAX_DEPTH"
std::string flag_name(const std::string& key);  // "max_depth" -> "--max-depth"

// Builds the config: defaults, then the TOML file at `config_file` (if not empty), then the
// environment, then `flags` (key -> text, as given on the command line). Returns every error:
// unknown keys in the file, values of the wrong kind, and where each came from.
Result<Config> load_config(const std::string& config_file,
                           const std::map<std::string, std::string>& flags);

// "listen=127.0.0.1:8080 db=vokter.db …": the effective config for the start-up log.
std::string describe(const Config& config);

// The layers' own option structs, derived from the config.
http::ServerOptions server_options(const Config& config);
store::StoreOptions store_options(const Config& config);
store::RetentionPolicy retention_policy(const Config& config);
notify::NotifyOptions notify_options(const Config& config);

}  // namespace vokter::app
