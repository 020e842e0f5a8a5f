#include "app/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <type_traits>

#include "app/api_key_cli.hpp"
#include "app/config.hpp"
#include "app/healthcheck.hpp"
#include "app/import/disqus.hpp"
#include "app/import/import_cli.hpp"
#include "app/import/isso_db.hpp"
#include "app/import/vokter_export.hpp"
#include "app/import/wordpress_sql.hpp"
#include "app/import/wordpress_wxr.hpp"
#include "app/learn_cli.hpp"
#include "app/moderator_cli.hpp"
#include "app/privacy_cli.hpp"
#include "app/rules_cli.hpp"
#include "app/serve.hpp"
#include "app/store_copy.hpp"
#include "app/version.hpp"
#include "store/backup.hpp"
#include "store/comment_repository.hpp"
#include "store/migrations.hpp"

namespace vokter::app {

namespace {

// Flags for every setting of the option table, plus --config. Values land in `given`.
void add_config_flags(CLI::App& command, std::string& config_file,
                      std::map<std::string, std::string>& given) {
    command.add_option("--config", config_file, "TOML config file (env VOKTER_CONFIG)")
        ->envname("VOKTER_CONFIG");
    const Config defaults;
    for (const auto& option : config_options()) {
        const std::string shown = option.show(defaults);
        command
            .add_option_function<std::string>(
                flag_name(option.key),
                [&given, key = option.key](const std::string& value) { given[key] = value; },
                option.help + " [default: " + (shown.empty() ? "none" : shown) + "; env " +
                    env_name(option.key) + ", config key " + option.key + "]")
            ->type_name("VALUE");
    }
}

// Loads the config or prints every error; returns nullopt on failure.
std::optional<Config> config_or_report(const std::string& file,
                                       const std::map<std::string, std::string>& given) {
    auto config = load_config(file, given);
    if (config) return std::move(config).value();
    std::cerr << "vokter: invalid configuration:\n";
    for (const auto& e : config.errors())
        std::cerr << "  " << e.where << ": " << e.message << "\n";
    return std::nullopt;
}

// Opens the store for a one-off command; prints why when it cannot. `classifier`: load the
// classifier and run its trainer (only commands that learn need it).
std::unique_ptr<store::Store> open_store(const Config& config, int& exit_code, bool classifier) {
    try {
        store::StoreOptions options = store_options(config);
        options.classifier = classifier;
        return std::make_unique<store::Store>(options);
    } catch (const store::SchemaTooNew& e) {
        std::cerr << "vokter: " << store::printable_location(config.db) << ": " << e.what() << "\n";
        exit_code = 3;
    } catch (const std::exception& e) {
        std::cerr << "vokter: cannot use the database " << store::printable_location(config.db)
                  << ": " << e.what() << "\n";
        exit_code = 1;
    }
    return nullptr;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{
        "Vokter: self-hosted comment moderation. Stores comments in SQLite, scores them "
        "with the rules of a rule file, and publishes, holds or files each as spam."};
    app.set_version_flag("--version", std::string(version()));
    app.require_subcommand(1);
    int exit_code = 0;

    std::string config_file;
    std::map<std::string, std::string> given;
    // For one-off commands on the database: loads the config, opens the store and runs `run`
    // on it, whose result is the exit code; reports a bad config or database itself.
    // `run` may take the config too: run(store, config).
    const auto with_store = [&](auto run, bool classifier = false) {
        return [&, run, classifier] {
            auto config = config_or_report(config_file, given);
            if (!config) return void(exit_code = 1);
            auto store = open_store(*config, exit_code, classifier);
            if (!store) return;
            try {
                if constexpr (std::is_invocable_v<decltype(run), store::Store&, const Config&>) {
                    exit_code = run(*store, *config);
                } else {
                    exit_code = run(*store);
                }
            } catch (const store::StoreError& e) {  // a storage fault, or a refusal (backup)
                std::cerr << "vokter: " << e.what() << "\n";
                exit_code = 1;
            }
        };
    };

    auto* serve_cmd = app.add_subcommand("serve",
                                         "Run the HTTP service (defaults: 127.0.0.1:8080, "
                                         "./vokter.db, embedded rules)");
    add_config_flags(*serve_cmd, config_file, given);
    serve_cmd->callback([&] {
        limit_thread_caches(argv);  // starts this program again, before any thread
        if (auto config = config_or_report(config_file, given)) {
            exit_code = serve(*config);
        } else {
            exit_code = 1;
        }
    });

    bool purge_dry_run = false;
    auto* purge_cmd = app.add_subcommand(
        "purge",
        "Apply the retention periods now: cut old IP addresses, drop old user agents, delete old "
        "spam and rejected comments (the service does it hourly; safe while it runs)");
    add_config_flags(*purge_cmd, config_file, given);
    purge_cmd->add_flag("--dry-run", purge_dry_run, "print what would be done, change nothing");
    purge_cmd->callback(with_store([&](store::Store& store, const Config& config) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        return run_purge(store, retention_policy(config), purge_dry_run, now.count(), std::cout,
                         std::cerr);
    }));

    std::string privacy_email;
    bool privacy_bodies = false;
    auto* privacy_cmd = app.add_subcommand(
        "privacy", "A reader's rights: export or erase what is stored with an e-mail address");
    privacy_cmd->require_subcommand(1);
    auto* privacy_export = privacy_cmd->add_subcommand(
        "export", "Print every stored comment and Akismet report of the address as JSON");
    add_config_flags(*privacy_export, config_file, given);
    privacy_export->add_option("--email", privacy_email, "the reader's e-mail address")->required();
    privacy_export->callback(with_store([&](store::Store& store) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        return run_privacy_export(store, privacy_email, now.count(), std::cout, std::cerr);
    }));
    auto* privacy_erase = privacy_cmd->add_subcommand(
        "erase",
        "Erase the address's name, e-mail, website, IP and user agent from every comment and "
        "Akismet report (tombstones keep threads intact)");
    add_config_flags(*privacy_erase, config_file, given);
    privacy_erase->add_option("--email", privacy_email, "the reader's e-mail address")->required();
    privacy_erase->add_flag("--bodies", privacy_bodies,
                            "erase the comments' text too (they become tombstones)");
    privacy_erase->callback(with_store([&](store::Store& store) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        return run_privacy_erase(store, privacy_email, privacy_bodies, now.count(), std::cout,
                                 std::cerr);
    }));

    auto* migrate_cmd =
        app.add_subcommand("migrate", "Create the database or bring its schema up to date");
    add_config_flags(*migrate_cmd, config_file, given);
    migrate_cmd->callback(with_store([&](store::Store& store) {
        auto db = store.read();
        std::cout << store::printable_location(store.options().path) << ": schema version "
                  << store::schema_version(*db) << "\n";
        return 0;
    }));

    std::string backup_to;
    auto* backup_cmd = app.add_subcommand(
        "backup", "Write a consistent copy of the database (safe while the service runs)");
    add_config_flags(*backup_cmd, config_file, given);
    backup_cmd->add_option("--to", backup_to, "file to write (must not exist)")->required();
    backup_cmd->callback(with_store([&](store::Store& store) {
        if (std::filesystem::exists(backup_to)) {
            std::cerr << "vokter: " << backup_to << " exists already\n";
            return 1;
        }
        auto db = store.read();
        store::backup_to(*db, backup_to);
        std::cout << "backup written to " << backup_to << "\n";
        return 0;
    }));

    std::string thread_action;
    std::string thread_uri;
    auto* thread_cmd = app.add_subcommand("thread", "Close or reopen a page's comments");
    add_config_flags(*thread_cmd, config_file, given);
    thread_cmd->add_option("action", thread_action, "close or open")
        ->required()
        ->check(CLI::IsMember({"close", "open"}));
    thread_cmd->add_option("uri", thread_uri, "the page's URI as the widget sends it")->required();
    thread_cmd->callback(with_store([&](store::Store& store) {
        const bool found = store.writer().run([&](store::Connection& db) {
            return store::set_thread_closed(db, thread_uri, thread_action == "close");
        });
        if (found) return 0;
        std::cerr << "vokter: no thread " << thread_uri << "\n";
        return 1;
    }));

    LearnOptions learn;
    auto* learn_cmd = app.add_subcommand(
        "learn", "Teach the classifier labelled comments from CSV files (as rules backtest reads)");
    add_config_flags(*learn_cmd, config_file, given);
    learn_cmd->add_option("--csv", learn.csv_files, "Labelled CSV file (repeatable)")->required();
    add_labelled_csv_flags(*learn_cmd, learn.csv);
    learn_cmd->callback(with_store(
        [&](store::Store& store) { return run_learn(store, learn, std::cout, std::cerr); }, true));

    ImportCommand import;
    std::string import_source;
    bool full_urls = false;
    auto* import_cmd = app.add_subcommand(
        "import", "Bring comments with their moderation labels from another system (idempotent)");
    import_cmd->require_subcommand(1);
    // The classifier is opened for --learn; without it, its trainer has nothing to do.
    const auto add_import = [&](const char* format, const char* description, const char* what,
                                auto reader_of) {
        CLI::App& command = *import_cmd->add_subcommand(format, description);
        add_config_flags(command, config_file, given);
        command.add_option("file", import.file, what)->required()->check(CLI::ExistingFile);
        command.add_flag("--learn", import.options.learn,
                         "Teach the classifier the imported approved (ham) and spam comments");
        command.add_option("--source", import_source,
                           "Name of the export's origin, which tells a re-import from a new one "
                           "(default: the format and the site the file names)");
        command.callback(with_store(
            [&, reader_of](store::Store& store, const Config& config) {
                if (!import_source.empty()) import.options.source = import_source;
                import.options.max_depth = config.max_depth;
                import.options.progress = isatty(STDERR_FILENO) == 1;
                return run_import(store, reader_of(), import, std::cout, std::cerr);
            },
            true));
        return &command;
    };
    const auto add_full_urls = [&](CLI::App* command) {
        command->add_flag("--full-urls", full_urls,
                          "Key threads by the pages' whole URLs (default: their paths, as the "
                          "widget keys a page)");
    };
    add_full_urls(
        add_import("wordpress", "A WordPress export (WXR 1.0-1.2: Tools > Export, or wp export)",
                   "the export's .xml file",
                   [&] { return wordpress_wxr_reader(import.file, WxrOptions{full_urls}); }));
    std::string wordpress_site;
    CLI::App* wordpress_sql = add_import(
        "wordpress-sql", "A WordPress database dump (mysqldump: wp_comments, wp_posts, wp_options)",
        "the dump's .sql file", [&] {
            return wordpress_sql_reader(import.file,
                                        WordpressSqlOptions{full_urls, wordpress_site});
        });
    add_full_urls(wordpress_sql);
    wordpress_sql->add_option("--site", wordpress_site,
                              "The blog's address, https://...: names the source, and starts the "
                              "threads with --full-urls (default: the dump's home option)");
    add_full_urls(add_import("disqus",
                             "A Disqus export (Moderation > Export, the .xml.gz unpacked)",
                             "the export's .xml file",
                             [&] { return disqus_reader(import.file, DisqusOptions{full_urls}); }));
    add_import("vokter",
               "A Vokter export (vokter export): ids kept when the database has no comments yet",
               "the export's .jsonl file", [&] { return vokter_export_reader(import.file); });
    add_import(
        "isso", "An Isso database (schema version 5: Isso 0.13 and later), read without change",
        "Isso's SQLite file (its [general] dbpath)", [&] { return isso_db_reader(import.file); });

    std::string export_path;
    auto* export_cmd = app.add_subcommand(
        "export", "Write every comment with its verdict and moderation log as JSON Lines");
    add_config_flags(*export_cmd, config_file, given);
    export_cmd->add_option("--out", export_path, "The file to write (default: standard output)");
    export_cmd->callback(with_store(
        [&](store::Store& store) { return run_export(store, export_path, std::cout, std::cerr); }));

    StoreCopyOptions copy;
    auto* store_cmd = app.add_subcommand("store", "Move a database between SQLite and PostgreSQL");
    store_cmd->require_subcommand(1);
    auto* copy_cmd = store_cmd->add_subcommand(
        "copy",
        "Copy everything from one database into another (SQLite file or PostgreSQL), "
        "then compare every table's rows; stop the services on both first");
    copy_cmd->add_option("--from", copy.from, "the database to copy (a file or postgresql://…)")
        ->required();
    copy_cmd->add_option("--to", copy.to, "the database to fill (created or migrated)")->required();
    copy_cmd->add_flag("--replace", copy.replace,
                       "Empty a target that holds data first (refused without it)");
    copy_cmd->callback([&] { exit_code = copy_store(copy, std::cout, std::cerr); });

    auto* health_cmd =
        app.add_subcommand("healthcheck", "Exit 0 when the configured service answers /healthz");
    add_config_flags(*health_cmd, config_file, given);
    health_cmd->callback([&] {
        auto config = config_or_report(config_file, given);
        exit_code = config ? healthcheck(*config) : 1;
    });

    std::string moderator_name;
    int moderator_days = 0;  // 0: not given
    bool moderator_no_expiry = false;
    const auto days_given = [&]() -> std::optional<int> {
        return moderator_days > 0 ? std::optional<int>(moderator_days) : std::nullopt;
    };
    auto* moderator_cmd = app.add_subcommand("moderator", "Moderator accounts and their tokens");
    moderator_cmd->require_subcommand(1);
    auto* moderator_add = moderator_cmd->add_subcommand(
        "add", "Add a moderator and print their new token (shown only once)");
    add_config_flags(*moderator_add, config_file, given);
    moderator_add->add_option("name", moderator_name, "the moderator's name")->required();
    moderator_add
        ->add_option("--expires-days", moderator_days,
                     "The token stops working after this many days (default: never)")
        ->check(CLI::Range(1, kMaxTokenDays));
    moderator_add->callback(with_store([&](store::Store& store) {
        return run_moderator_add(store, moderator_name, std::cout, std::cerr, days_given());
    }));
    auto* moderator_rotate = moderator_cmd->add_subcommand(
        "rotate",
        "Give a moderator a new token (shown only once); the old one stops working at once");
    add_config_flags(*moderator_rotate, config_file, given);
    moderator_rotate->add_option("name", moderator_name, "the moderator's name")->required();
    auto* rotate_days =
        moderator_rotate
            ->add_option("--expires-days", moderator_days,
                         "The new token stops working after this many days (default: the old "
                         "token's lifetime, or never)")
            ->check(CLI::Range(1, kMaxTokenDays));
    moderator_rotate->add_flag("--no-expiry", moderator_no_expiry, "The new token never expires")
        ->excludes(rotate_days);
    moderator_rotate->callback(with_store([&](store::Store& store) {
        return run_moderator_rotate(store, moderator_name,
                                    TokenExpiry{days_given(), moderator_no_expiry}, std::cout,
                                    std::cerr);
    }));
    auto* moderator_list = moderator_cmd->add_subcommand(
        "list", "List the moderators: added, token expiry, last use (to a minute)");
    add_config_flags(*moderator_list, config_file, given);
    moderator_list->callback(
        with_store([&](store::Store& store) { return run_moderator_list(store, std::cout); }));
    auto* moderator_remove = moderator_cmd->add_subcommand(
        "remove", "Remove a moderator; their token stops working at once");
    add_config_flags(*moderator_remove, config_file, given);
    moderator_remove->add_option("name", moderator_name, "the moderator's name")->required();
    moderator_remove->callback(with_store([&](store::Store& store) {
        return run_moderator_remove(store, moderator_name, std::cout, std::cerr);
    }));

    std::string apikey_name;
    std::string apikey_blog;
    auto* apikey_cmd =
        app.add_subcommand("apikey", "API keys for the Akismet-compatible API (/1.1/…)");
    apikey_cmd->require_subcommand(1);
    auto* apikey_add = apikey_cmd->add_subcommand(
        "add", "Add an API key for a blog and print it (shown only once)");
    add_config_flags(*apikey_add, config_file, given);
    apikey_add->add_option("name", apikey_name, "the key's name")->required();
    apikey_add->add_option("--blog", apikey_blog, "the blog's URL (https://…)")->required();
    apikey_add->callback(with_store([&](store::Store& store) {
        return run_apikey_add(store, apikey_name, apikey_blog, std::cout, std::cerr);
    }));
    auto* apikey_list = apikey_cmd->add_subcommand("list", "List the API keys and their blogs");
    add_config_flags(*apikey_list, config_file, given);
    apikey_list->callback(
        with_store([&](store::Store& store) { return run_apikey_list(store, std::cout); }));
    auto* apikey_remove =
        apikey_cmd->add_subcommand("remove", "Remove an API key; it stops working at once");
    add_config_flags(*apikey_remove, config_file, given);
    apikey_remove->add_option("name", apikey_name, "the key's name")->required();
    apikey_remove->callback(with_store([&](store::Store& store) {
        return run_apikey_remove(store, apikey_name, std::cout, std::cerr);
    }));

    add_rules_commands(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return exit_code;
}

}  // namespace vokter::app
