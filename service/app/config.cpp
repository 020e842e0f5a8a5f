#include "app/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/toml_limits.hpp"
#include "store/database.hpp"

namespace vokter::app {

namespace {

// "5", "2.5": the shortest text that reads back as `value`.
std::string format_decimal(double value) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

template <class T>
std::string parse_number(const std::string& text, T& out, T min, T max) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
        return "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    }
    out = value;
    return "";
}

// A decimal number from `min` to `max` ("5", "2.5").
std::string parse_decimal(const std::string& text, double& out, double min, double max) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !(value >= min) ||
        !(value <= max)) {
        return "must be a number from " + format_decimal(min) + " to " + format_decimal(max);
    }
    out = value;
    return "";
}

std::string parse_bool(const std::string& text, bool& out) {
    if (text == "true" || text == "1" || text == "yes") return out = true, "";
    if (text == "false" || text == "0" || text == "no") return out = false, "";
    return "must be true or false";
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) items.push_back(item);
    }
    return items;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ",") + item;
    return out;
}

// A secret as the log and --help show it: whether it is set, never what it is.
std::string printable_secret(const std::string& secret) {
    return secret.empty() ? std::string() : std::string("(set)");
}

// host:port with a port from 0 to 65535.
std::string parse_listen(const std::string& text, std::string& out) {
    const auto colon = text.rfind(':');
    int port = 0;
    if (colon == std::string::npos || colon == 0 ||
        !parse_number(text.substr(colon + 1), port, 0, 65535).empty()) {
        return "must be HOST:PORT, e.g. 127.0.0.1:8080";
    }
    out = text;
    return "";
}

}  // namespace

const std::vector<ConfigOption>& config_options() {
    static const std::vector<ConfigOption> options = {
        {"listen", "address and port to listen on (HOST:PORT)",
         [](Config& c, const std::string& t) { return parse_listen(t, c.listen); },
         [](const Config& c) { return c.listen; }},
        {"db",
         "the database: a SQLite file (created if missing), or a PostgreSQL connection string "
         "(postgresql://user@host/dbname)",
         [](Config& c, const std::string& t) {
             return t.empty() ? std::string("must not be empty") : (c.db = t, "");
         },
         [](const Config& c) { return store::printable_location(c.db); }},
        {"rules", "path of the rule file; empty for the rules embedded in the binary",
         [](Config& c, const std::string& t) { return c.rules = t, std::string(); },
         [](const Config& c) { return c.rules.empty() ? std::string("(embedded)") : c.rules; }},
        {"threads",
         "HTTP worker threads: requests answered at once (idle and slow clients hold none)",
         [](Config& c, const std::string& t) { return parse_number(t, c.threads, 1, 1024); },
         [](const Config& c) { return std::to_string(c.threads); }},
        {"durability",
         "full: a commit survives power loss; normal: it survives a crash of the process",
         [](Config& c, const std::string& t) {
             if (t != "full" && t != "normal") return std::string("must be full or normal");
             return c.durability = t, std::string();
         },
         [](const Config& c) { return c.durability; }},
        {"max_request_bytes", "largest request body accepted (413 above)",
         [](Config& c, const std::string& t) {
             return parse_number<std::int64_t>(t, c.max_request_bytes, 1024, 64 << 20);
         },
         [](const Config& c) { return std::to_string(c.max_request_bytes); }},
        {"max_header_bytes",
         "largest request head (request line and header lines; 431 above, 414 for a request "
         "line over 8192 bytes)",
         [](Config& c, const std::string& t) {
             return parse_number<std::int64_t>(t, c.max_header_bytes, 1024, 1 << 20);
         },
         [](const Config& c) { return std::to_string(c.max_header_bytes); }},
        {"max_connections", "client connections open at once (503 above)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.max_connections, 1, 100000);
         },
         [](const Config& c) { return std::to_string(c.max_connections); }},
        {"max_connections_per_ip",
         "connections open at once from one client address, trusted proxies excepted (429 above)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.max_connections_per_ip, 1, 100000);
         },
         [](const Config& c) { return std::to_string(c.max_connections_per_ip); }},
        {"request_timeout_seconds",
         "seconds from a request's first byte to its last, head and body (408 after)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.request_timeout_seconds, 1, 3600);
         },
         [](const Config& c) { return std::to_string(c.request_timeout_seconds); }},
        {"max_body_chars", "longest comment body, in characters",
         [](Config& c, const std::string& t) {
             return parse_number<std::int64_t>(t, c.max_body_chars, 1, 1000000);
         },
         [](const Config& c) { return std::to_string(c.max_body_chars); }},
        {"max_depth", "deepest reply level; deeper replies attach to the deepest allowed parent",
         [](Config& c, const std::string& t) { return parse_number(t, c.max_depth, 0, 100); },
         [](const Config& c) { return std::to_string(c.max_depth); }},
        {"edit_window_seconds", "how long a commenter may edit or delete their comment",
         [](Config& c, const std::string& t) {
             return parse_number<std::int64_t>(t, c.edit_window_seconds, 0, 86400 * 30);
         },
         [](const Config& c) { return std::to_string(c.edit_window_seconds); }},
        {"cors_origins",
         "origins allowed to call the API from a browser (comma-separated, * for any)",
         [](Config& c, const std::string& t) {
             return c.cors_origins = split_list(t), std::string();
         },
         [](const Config& c) { return join(c.cors_origins); }},
        {"trusted_proxies", "proxy addresses whose X-Forwarded-For is believed (comma-separated)",
         [](Config& c, const std::string& t) {
             return c.trusted_proxies = split_list(t), std::string();
         },
         [](const Config& c) { return join(c.trusted_proxies); }},
        {"rate_limit_per_minute",
         "comment posts, edits and deletions allowed per client IP per minute; 0 = no limit",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.rate_limit_per_minute, 0, 1000000);
         },
         [](const Config& c) { return std::to_string(c.rate_limit_per_minute); }},
        {"reveal_spam", "tell the poster a comment was filed as spam (default: say pending)",
         [](Config& c, const std::string& t) { return parse_bool(t, c.reveal_spam); },
         [](const Config& c) { return std::string(c.reveal_spam ? "true" : "false"); }},
        {"isso_prefix",
         "path under which the Isso-compatible API answers (pages embedding Isso's client set "
         "data-isso to it); empty turns it off",
         [](Config& c, const std::string& t) {
             if (t.empty()) return c.isso_prefix = t, std::string();
             const bool path_chars =
                 t.find_first_not_of(
                     "abcdefghijklmnopqrstuvwxyz"
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/") == std::string::npos;
             if (!path_chars || t.front() != '/' || t.back() == '/' ||
                 t.find("//") != std::string::npos) {
                 return std::string(
                     "must be a path like /isso: letters, digits, - and _ between slashes, "
                     "no slash at the end");
             }
             if (t == "/api" || t.starts_with("/api/") || t == "/1.1" || t.starts_with("/1.1/"))
                 return std::string("must not be inside /api or /1.1, which Vokter answers");
             return c.isso_prefix = t, std::string();
         },
         [](const Config& c) { return c.isso_prefix; }},
        {"log_requests", "log one line per request",
         [](Config& c, const std::string& t) { return parse_bool(t, c.log_requests); },
         [](const Config& c) { return std::string(c.log_requests ? "true" : "false"); }},
        {"akismet_discard_margin",
         "Akismet API: answer `X-akismet-pro-tip: discard` when a comment scores at least the "
         "spam threshold plus this margin (or a rule with action spam hit)",
         [](Config& c, const std::string& t) {
             return parse_decimal(t, c.akismet_discard_margin, 0.0, 1000.0);
         },
         [](const Config& c) { return format_decimal(c.akismet_discard_margin); }},
        {"ip_retention_days",
         "days a comment's IP address and user agent are kept; then the address is cut to its "
         "network (IPv4 /24, IPv6 /48) and the user agent dropped (1 to 365)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.ip_retention_days, 1, 365);
         },
         [](const Config& c) { return std::to_string(c.ip_retention_days); }},
        {"spam_retention_days",
         "days spam and rejected comments are kept; then they are deleted (1 to 3650)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.spam_retention_days, 1, 3650);
         },
         [](const Config& c) { return std::to_string(c.spam_retention_days); }},
        {"webhooks",
         "URLs to POST notifications to as JSON (comma-separated; Slack and Teams incoming "
         "webhooks show their text field)",
         [](Config& c, const std::string& t) {
             for (const std::string& url : split_list(t)) {
                 if (!url.starts_with("https://") && !url.starts_with("http://"))
                     return std::string("must be http(s) URLs, comma-separated");
             }
             return c.webhooks = split_list(t), std::string();
         },
         [](const Config& c) {
             return c.webhooks.empty() ? std::string()
                                       : std::to_string(c.webhooks.size()) + " (not shown)";
         }},
        {"webhook_secret",
         "shared secret that signs each webhook body: X-Vokter-Signature: sha256=HMAC-SHA256 "
         "(set it in the environment rather than a file)",
         [](Config& c, const std::string& t) { return c.webhook_secret = t, std::string(); },
         [](const Config& c) { return printable_secret(c.webhook_secret); }},
        {"webhook_events",
         "the events webhooks get: comment.held, comment.spam, spam.burst, rules.failed",
         [](Config& c, const std::string& t) {
             const std::vector<std::string> kinds = split_list(t);
             for (const std::string& kind : kinds) {
                 if (kind != "comment.held" && kind != "comment.spam" && kind != "spam.burst" &&
                     kind != "rules.failed") {
                     return "unknown event " + kind +
                            " (comment.held, comment.spam, spam.burst, rules.failed)";
                 }
             }
             return c.webhook_events = kinds, std::string();
         },
         [](const Config& c) { return join(c.webhook_events); }},
        {"smtp_url",
         "the mail server for notifications: smtp://host:587 (STARTTLS) or smtps://host:465",
         [](Config& c, const std::string& t) {
             if (!t.empty() && !t.starts_with("smtp://") && !t.starts_with("smtps://"))
                 return std::string("must be smtp://HOST:PORT or smtps://HOST:PORT");
             if (t.find('@') != std::string::npos)
                 return std::string("must not hold credentials: use smtp_user, smtp_password");
             return c.smtp_url = t, std::string();
         },
         [](const Config& c) { return c.smtp_url; }},
        {"smtp_user", "the mail server's user name (empty: no AUTH)",
         [](Config& c, const std::string& t) { return c.smtp_user = t, std::string(); },
         [](const Config& c) { return c.smtp_user; }},
        {"smtp_password", "the mail server's password (set it in the environment)",
         [](Config& c, const std::string& t) { return c.smtp_password = t, std::string(); },
         [](const Config& c) { return printable_secret(c.smtp_password); }},
        {"smtp_tls",
         "required: smtp:// must upgrade with STARTTLS or nothing is sent; off: plain text, for a "
         "relay on this machine only",
         [](Config& c, const std::string& t) {
             if (t != "required" && t != "off") return std::string("must be required or off");
             return c.smtp_tls = t, std::string();
         },
         [](const Config& c) { return c.smtp_tls; }},
        {"smtp_ca_file", "CA certificates to verify the mail server with (default: the system's)",
         [](Config& c, const std::string& t) { return c.smtp_ca_file = t, std::string(); },
         [](const Config& c) { return c.smtp_ca_file; }},
        {"mail_from", "the From address of notification mail",
         [](Config& c, const std::string& t) {
             if (!t.empty() && (t.find('@') == std::string::npos ||
                                t.find_first_of("<>\r\n ") != std::string::npos))
                 return std::string("must be an e-mail address (no name, no <>)");
             return c.mail_from = t, std::string();
         },
         [](const Config& c) { return c.mail_from; }},
        {"mail_to", "moderators' addresses that get notification mail (comma-separated)",
         [](Config& c, const std::string& t) {
             for (const std::string& address : split_list(t)) {
                 if (address.find('@') == std::string::npos ||
                     address.find_first_of("<>\r\n ") != std::string::npos)
                     return "not an e-mail address: " + address;
             }
             return c.mail_to = split_list(t), std::string();
         },
         [](const Config& c) { return join(c.mail_to); }},
        {"mail_digest_minutes",
         "0: one message per held comment; N: one message every N minutes with what happened "
         "(0 to 1440)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.mail_digest_minutes, 0, 1440);
         },
         [](const Config& c) { return std::to_string(c.mail_digest_minutes); }},
        {"public_url",
         "where this service is reached (https://comments.example): links in notifications",
         [](Config& c, const std::string& t) {
             if (!t.empty() &&
                 ((!t.starts_with("https://") && !t.starts_with("http://")) || t.back() == '/'))
                 return std::string("must be an http(s) URL without a slash at the end");
             return c.public_url = t, std::string();
         },
         [](const Config& c) { return c.public_url; }},
        {"notify_retry_seconds",
         "the first retry of a failed notification after this many seconds, doubling to an "
         "hour, for 24 hours (1 to 3600)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.notify_retry_seconds, 1, 3600);
         },
         [](const Config& c) { return std::to_string(c.notify_retry_seconds); }},
        {"spam_burst_count",
         "this many comments filed as spam within spam_burst_minutes notify as a burst (0: "
         "never; up to 100000)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.spam_burst_count, 0, 100000);
         },
         [](const Config& c) { return std::to_string(c.spam_burst_count); }},
        {"spam_burst_minutes", "the window of spam_burst_count (1 to 1440)",
         [](Config& c, const std::string& t) {
             return parse_number(t, c.spam_burst_minutes, 1, 1440);
         },
         [](const Config& c) { return std::to_string(c.spam_burst_minutes); }},
    };
    return options;
}

std::string env_name(const std::string& key) {
    std::string name = "VOKTER_" + key;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return name;
}

std::string flag_name(const std::string& key) {
    std::string name = "--" + key;
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
}

Result<Config> load_config(const std::string& config_file,
                           const std::map<std::string, std::string>& flags) {
    Config config;
    std::vector<Error> errors;
    const auto apply = [&](const ConfigOption& option, const std::string& text,
                           const std::string& where) {
        if (auto problem = option.set(config, text); !problem.empty()) {
            errors.push_back({"invalid_setting", option.key + " " + problem, where});
        }
    };
    std::optional<Error> too_deep;
    if (!config_file.empty()) {
        // The same nesting and size limits as rule files: toml++ recurses once per level.
        std::ifstream in(config_file, std::ios::binary);
        std::ostringstream text;
        if (in) text << in.rdbuf();
        if (in) too_deep = core::check_toml_limits(text.str(), config_file);
    }
    if (too_deep) errors.push_back(*too_deep);
    if (!config_file.empty() && !too_deep) {
        try {
            const toml::table file = toml::parse_file(config_file);
            for (const auto& [key, value] : file) {
                const auto where = config_file + ":" + std::to_string(value.source().begin.line);
                const auto& options = config_options();
                const std::string_view name =
                    key.str();  // clang 14 lambdas cannot capture bindings
                const auto option = std::find_if(options.begin(), options.end(),
                                                 [&](const auto& o) { return o.key == name; });
                if (option == options.end()) {
                    errors.push_back(
                        {"unknown_setting", "unknown setting " + std::string(key.str()), where});
                    continue;
                }
                std::string text;
                if (auto s = value.value<std::string>(); s && value.is_string()) {
                    text = *s;
                } else if (value.is_integer()) {
                    text = std::to_string(*value.value<std::int64_t>());
                } else if (value.is_floating_point()) {
                    text = format_decimal(*value.value<double>());
                } else if (value.is_boolean()) {
                    text = *value.value<bool>() ? "true" : "false";
                } else if (const toml::array* list = value.as_array()) {
                    std::vector<std::string> items;
                    for (const auto& item : *list)
                        items.push_back(item.value_or(std::string()));
                    text = join(items);
                } else {
                    errors.push_back(
                        {"invalid_setting", option->key + " has a value of the wrong kind", where});
                    continue;
                }
                apply(*option, text, where);
            }
        } catch (const toml::parse_error& e) {
            errors.push_back({"config_syntax", std::string(e.description()),
                              config_file + ":" + std::to_string(e.source().begin.line) + ":" +
                                  std::to_string(e.source().begin.column)});
        }
    }
    for (const auto& option : config_options()) {
        if (const char* value = std::getenv(env_name(option.key).c_str())) {
            apply(option, value, env_name(option.key));
        }
    }
    for (const auto& [key, text] : flags) {
        const auto& options = config_options();
        const std::string& name = key;  // lambdas cannot capture bindings in clang 14
        const auto option = std::find_if(options.begin(), options.end(),
                                         [&](const auto& o) { return o.key == name; });
        if (option != options.end()) apply(*option, text, flag_name(key));
    }
    // Settings that only make sense together.
    if (!config.mail_to.empty() && (config.smtp_url.empty() || config.mail_from.empty())) {
        errors.push_back({"invalid_setting",
                          "mail_to needs smtp_url and mail_from: where to send it, and from whom",
                          "mail_to"});
    }
    if (config.smtp_password.empty() != config.smtp_user.empty()) {
        errors.push_back(
            {"invalid_setting", "smtp_user and smtp_password go together", "smtp_user"});
    }
    if (!errors.empty()) return errors;
    return config;
}

std::string describe(const Config& config) {
    std::string text;
    for (const auto& option : config_options()) {
        text += (text.empty() ? "" : " ") + option.key + "=" + option.show(config);
    }
    return text;
}

http::ServerOptions server_options(const Config& config) {
    http::ServerOptions options;
    const auto colon = config.listen.rfind(':');
    options.host = config.listen.substr(0, colon);
    if (options.host.size() > 2 && options.host.front() == '[') {  // [::1]:8080
        options.host = options.host.substr(1, options.host.size() - 2);
    }
    options.port = std::stoi(config.listen.substr(colon + 1));
    options.threads = config.threads;
    options.max_request_bytes = static_cast<std::size_t>(config.max_request_bytes);
    options.max_header_bytes = static_cast<std::size_t>(config.max_header_bytes);
    options.max_connections = static_cast<std::size_t>(config.max_connections);
    options.max_connections_per_ip = static_cast<std::size_t>(config.max_connections_per_ip);
    options.request_timeout_ms = config.request_timeout_seconds * 1000;
    options.cors_origins = config.cors_origins;
    options.isso_prefix = config.isso_prefix;
    options.trusted_proxies = config.trusted_proxies;
    options.rate_limit_per_minute = config.rate_limit_per_minute;
    options.log_requests = config.log_requests;
    options.limits.body_chars = static_cast<std::size_t>(config.max_body_chars);
    options.policy.max_depth = config.max_depth;
    options.policy.edit_window_seconds = config.edit_window_seconds;
    options.policy.reveal_spam = config.reveal_spam;
    options.akismet.discard_margin = config.akismet_discard_margin;
    return options;
}

store::RetentionPolicy retention_policy(const Config& config) {
    return {config.ip_retention_days, config.spam_retention_days};
}

store::StoreOptions store_options(const Config& config) {
    store::StoreOptions options{config.db, config.durability == "normal" ? store::Durability::normal
                                                                         : store::Durability::full};
    options.events.enabled = notify_options(config).any();
    options.events.burst_count = config.spam_burst_count;
    options.events.burst_minutes = config.spam_burst_minutes;
    return options;
}

notify::NotifyOptions notify_options(const Config& config) {
    notify::NotifyOptions options;
    options.webhooks = config.webhooks;
    options.webhook_secret = config.webhook_secret;
    options.webhook_events = config.webhook_events;
    options.smtp = {config.smtp_url, config.smtp_user, config.smtp_password,
                    config.smtp_tls == "required", config.smtp_ca_file};
    options.mail_from = config.mail_from;
    options.mail_to = config.mail_to;
    options.digest_minutes = config.mail_digest_minutes;
    options.public_url = config.public_url;
    options.retry_seconds = config.notify_retry_seconds;
    return options;
}

}  // namespace vokter::app
