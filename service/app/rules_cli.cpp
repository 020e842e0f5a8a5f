#include "app/rules_cli.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/learn_cli.hpp"
#include "app/learning_backtest.hpp"
#include "core/default_rules.hpp"
#include "core/evaluate.hpp"
#include "core/utf8_scan.hpp"
#include "http/log.hpp"

namespace vokter::app {

namespace {

Result<std::string> read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"file_unreadable", "cannot open " + path.string(), path.string()};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return Error{"file_unreadable", "cannot read " + path.string(), path.string()};
    return text.str();
}

std::string format_score(double score) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%+.1f", score);
    return buffer;
}

std::string percent(std::size_t part, std::size_t whole) {
    char buffer[32];
    std::snprintf(
        buffer, sizeof buffer, "%5.1f%%",
        whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return buffer;
}

void print_errors(const std::vector<Error>& errors, std::ostream& err) {
    for (const Error& e : errors) {
        err << (e.where.empty() ? "" : e.where + ": ") << e.message << " [" << e.code << "]\n";
    }
}

const std::string& describe(const core::Ruleset& rs, const std::string& id) {
    static const std::string empty;
    for (const core::RuleSummary& r : rs.rules()) {
        if (r.id == id) return r.description;
    }
    return empty;
}

}  // namespace

core::ListReader folder_list_reader(std::filesystem::path folder) {
    return [folder = std::move(folder)](std::string_view name) -> Result<std::string> {
        const std::filesystem::path relative(name);
        bool escapes = relative.empty() || relative.is_absolute();
        for (const auto& part : relative)
            escapes = escapes || part == "..";
        if (escapes) {
            return Error{"list_path", "list names must be relative paths inside the rule folder",
                         std::string(name)};
        }
        return read_text_file(folder / relative);
    };
}

Result<core::RulesetPtr> load_rules_file(const std::string& path) {
    if (path.empty() || path == "-") return core::load_default_ruleset();
    Result<std::string> text = read_text_file(path);
    if (!text) return text.errors();
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    return core::load_ruleset(text.value(), path,
                              folder_list_reader(folder.empty() ? "." : folder));
}

int run_rules_check(const std::string& path, std::ostream& out, std::ostream& err) {
    const std::string shown = (path.empty() || path == "-") ? "embedded default.toml" : path;
    auto result = load_rules_file(path);
    if (!result) {
        print_errors(result.errors(), err);
        err << shown << ": " << result.errors().size()
            << (result.errors().size() == 1 ? " error" : " errors") << ", rules not loaded\n";
        return 1;
    }
    const core::Ruleset& rs = *result.value();
    std::size_t examples = 0;
    for (const core::RuleSummary& r : rs.rules())
        examples += r.examples_match.size() + r.examples_no_match.size();
    out << shown << ": OK, version " << rs.version() << ", " << rs.rule_count()
        << " rules and heuristics enabled, " << examples
        << " examples passed (hold >= " << rs.thresholds().hold
        << ", spam >= " << rs.thresholds().spam << ")\n";
    return 0;
}

int run_rules_test(const std::string& path, const core::Submission& submission,
                   const core::Context& context, std::int64_t now, std::ostream& out,
                   std::ostream& err) {
    auto result = load_rules_file(path);
    if (!result) {
        print_errors(result.errors(), err);
        return 1;
    }
    const core::Ruleset& rs = *result.value();
    const core::Verdict v = core::evaluate(rs, submission, context, now);
    out << "verdict: " << core::to_string(v.action) << "  score " << format_score(v.score)
        << "  (hold >= " << rs.thresholds().hold << ", spam >= " << rs.thresholds().spam
        << ")  ruleset " << v.ruleset_version << "\n";
    if (v.hits.empty()) out << "no rule hit\n";
    for (const core::Hit& hit : v.hits) {
        out << "  " << std::setw(6) << format_score(hit.score) << "  " << hit.rule;
        if (!hit.field.empty()) out << " [" << hit.field << "]";
        out << "  \"" << hit.detail << "\"";
        const std::string& description = describe(rs, hit.rule);
        if (!description.empty()) out << "  - " << description;
        out << "\n";
    }
    return 0;
}

Result<std::pair<core::Submission, core::Context>> parse_test_comment(const std::string& json,
                                                                      std::int64_t now) {
    const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return Error{"invalid_json", "the comment must be a JSON object", "stdin"};
    }
    core::Submission s;
    core::Context c;
    c.form_rendered_at = now - 60;
    std::vector<Error> errors;
    const auto text = [&](const char* key, std::string& field) {
        if (!doc.contains(key)) return;
        if (doc[key].is_string()) {
            field = doc[key].get<std::string>();
        } else {
            errors.push_back({"invalid_value", std::string(key) + " must be a string", key});
        }
    };
    text("body", s.body);
    text("name", s.name);
    text("email", s.email);
    text("website", s.website);
    text("thread", s.thread);
    text("title", s.title);
    text("ip", s.ip);
    text("user_agent", s.user_agent);
    text("honeypot", s.honeypot);
    if (doc.contains("context")) {
        const nlohmann::json& ctx = doc["context"];
        const auto integer = [&](const char* key, auto& target) {
            if (!ctx.contains(key)) return;
            if (ctx[key].is_number_integer()) {
                target = ctx[key].get<std::int64_t>();
            } else {
                errors.push_back(
                    {"invalid_value", std::string("context.") + key + " must be an integer", key});
            }
        };
        int ip = 0, email = 0, approved = 0;
        std::int64_t age = 60;
        integer("same_ip_recent", ip);
        integer("same_email_recent", email);
        integer("author_approved", approved);
        integer("form_age_seconds", age);
        c.same_ip_recent = ip;
        c.same_email_recent = email;
        c.author_approved = approved;
        c.form_rendered_at = now - age;
        if (ctx.contains("form_age_seconds") && ctx["form_age_seconds"].is_null())
            c.form_rendered_at.reset();
        if (ctx.contains("duplicate_body"))
            c.duplicate_body =
                ctx["duplicate_body"].is_boolean() && ctx["duplicate_body"].get<bool>();
    }
    if (!errors.empty()) return errors;
    return std::make_pair(std::move(s), c);
}

int run_rules_backtest(const std::string& path, const BacktestOptions& options, std::ostream& out,
                       std::ostream& err) {
    auto loaded = load_rules_file(path);
    if (!loaded) {
        print_errors(loaded.errors(), err);
        return 1;
    }
    const core::Ruleset& rs = *loaded.value();
    if (options.csv_files.empty()) {
        err << "backtest needs at least one --csv file\n";
        return 1;
    }

    struct Count {
        std::size_t spam = 0;
        std::size_t ham = 0;
    };
    std::array<Count, 3> by_action{};  // approve, hold, spam
    std::map<std::string, Count> rule_hits;
    std::size_t total_spam = 0;
    std::size_t total_ham = 0;
    const std::int64_t now = 1'800'000'000;
    core::Context context;
    context.form_rendered_at = now - 3600;
    std::ostringstream misses;

    for (const std::string& file : options.csv_files) {
        auto corpus = read_labelled_csv(file, options.csv);
        if (!corpus) {
            print_errors(corpus.errors(), err);
            return 1;
        }
        for (const LabelledComment& comment : corpus.value()) {
            const bool is_spam = comment.spam;
            const core::Submission& s = comment.submission;
            const core::Verdict v = core::evaluate(rs, s, context, now);
            auto& cell = by_action[static_cast<std::size_t>(v.action)];
            (is_spam ? cell.spam : cell.ham) += 1;
            (is_spam ? total_spam : total_ham) += 1;
            for (const core::Hit& hit : v.hits)
                (is_spam ? rule_hits[hit.rule].spam : rule_hits[hit.rule].ham) += 1;
            const bool missed =
                is_spam ? v.action == core::Action::approve : v.action != core::Action::approve;
            if (options.show_misses && missed) {
                misses << comment.source << ':' << comment.line << ' '
                       << (is_spam ? "spam approved"
                                   : (v.action == core::Action::spam ? "ham as SPAM" : "ham held"))
                       << " " << format_score(v.score) << " ";
                for (const core::Hit& hit : v.hits)
                    misses << hit.rule << ' ';
                std::string body(core::truncate_utf8(s.body, 160));
                std::replace(body.begin(), body.end(), '\n', ' ');
                misses << "| " << body << "\n";
            }
        }
    }

    const auto& [approve, hold, spam] = by_action;
    out << "ruleset " << rs.version() << " on " << total_spam + total_ham << " comments ("
        << total_spam << " spam, " << total_ham << " ham) from " << options.csv_files.size()
        << (options.csv_files.size() == 1 ? " file\n\n" : " files\n\n");
    out << "              approved      held      spam\n";
    out << "  spam " << std::setw(16) << approve.spam << std::setw(10) << hold.spam << std::setw(10)
        << spam.spam << "\n";
    out << "  ham  " << std::setw(16) << approve.ham << std::setw(10) << hold.ham << std::setw(10)
        << spam.ham << "\n\n";
    out << "  spam filed as spam     " << std::setw(6) << spam.spam << "  "
        << percent(spam.spam, total_spam) << "\n";
    out << "  spam held              " << std::setw(6) << hold.spam << "  "
        << percent(hold.spam, total_spam) << "\n";
    out << "  spam held or spam      " << std::setw(6) << hold.spam + spam.spam << "  "
        << percent(hold.spam + spam.spam, total_spam) << "\n";
    out << "  spam approved (missed) " << std::setw(6) << approve.spam << "  "
        << percent(approve.spam, total_spam) << "\n";
    out << "  ham held               " << std::setw(6) << hold.ham << "  "
        << percent(hold.ham, total_ham) << "\n";
    out << "  ham filed as spam      " << std::setw(6) << spam.ham << "  "
        << percent(spam.ham, total_ham) << "\n\n";

    std::vector<std::pair<std::string, Count>> ordered(rule_hits.begin(), rule_hits.end());
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
        return a.second.spam + a.second.ham > b.second.spam + b.second.ham;
    });
    out << "  rule hit frequencies      spam%     ham%   precision   hits(spam/ham)\n";
    for (const auto& [id, count] : ordered) {
        const std::size_t hits = count.spam + count.ham;
        out << "  " << std::left << std::setw(24) << id << std::right << std::setw(7)
            << percent(count.spam, total_spam) << "  " << std::setw(7)
            << percent(count.ham, total_ham) << "  " << std::setw(9) << percent(count.spam, hits)
            << "   " << count.spam << "/" << count.ham << "\n";
    }
    if (options.show_misses) out << "\nmisses:\n" << misses.str();
    return 0;
}

void add_rules_commands(CLI::App& app) {
    CLI::App* rules = app.add_subcommand("rules", "Check, try and backtest rule files");
    rules->require_subcommand(1);

    // Shared so the callbacks can read the parsed values; they live as long as the App.
    struct State {
        std::string check_file = "-";
        std::string test_file = "-";
        std::string backtest_file = "-";
        core::Submission submission;
        bool body_given = false;
        std::int64_t form_age = 60;
        bool no_form_token = false;
        core::Context context;
        BacktestOptions backtest;
        LearningBacktestOptions learning;
    };
    auto state = std::make_shared<State>();

    CLI::App* check = rules->add_subcommand(
        "check", "Validate a rule file: exit 0, or 1 listing every error with line and rule id");
    check->add_option("file", state->check_file, "Rule file (omit or - for the embedded default)");
    check->callback([state] {
        const int code = run_rules_check(state->check_file, std::cout, std::cerr);
        if (code != 0) throw CLI::RuntimeError(code);
    });

    CLI::App* test = rules->add_subcommand(
        "test", "Score one comment given by flags, or as JSON on stdin when --body is absent");
    test->add_option("file", state->test_file, "Rule file (omit or - for the embedded default)");
    test->add_option("--body", state->submission.body, "Comment text");
    test->add_option("--name", state->submission.name, "Author name");
    test->add_option("--email", state->submission.email, "Author e-mail");
    test->add_option("--website", state->submission.website, "Author website");
    test->add_option("--thread", state->submission.thread, "Page URI");
    test->add_option("--title", state->submission.title, "Page title");
    test->add_option("--ip", state->submission.ip, "Client IP");
    test->add_option("--user-agent", state->submission.user_agent, "Client User-Agent");
    test->add_option("--honeypot", state->submission.honeypot, "Hidden form field value");
    test->add_option("--same-ip-recent", state->context.same_ip_recent,
                     "Recent comments from the IP");
    test->add_option("--same-email-recent", state->context.same_email_recent,
                     "Recent comments with the e-mail");
    test->add_flag("--duplicate", state->context.duplicate_body,
                   "The same body was stored recently");
    test->add_option("--author-approved", state->context.author_approved,
                     "Approved comments with the e-mail");
    test->add_option("--form-age", state->form_age,
                     "Seconds since the form was shown (default 60)");
    test->add_flag("--no-form-token", state->no_form_token, "The comment had no valid form token");
    test->callback([state, test] {
        const std::int64_t now = http::now_ms() / 1000;
        core::Submission submission = state->submission;
        core::Context context = state->context;
        if (test->count("--body") == 0) {
            std::ostringstream json;
            json << std::cin.rdbuf();
            auto parsed = parse_test_comment(json.str(), now);
            if (!parsed) {
                print_errors(parsed.errors(), std::cerr);
                throw CLI::RuntimeError(2);
            }
            submission = parsed.value().first;
            context = parsed.value().second;
        } else {
            context.form_rendered_at = now - state->form_age;
        }
        if (state->no_form_token) context.form_rendered_at.reset();
        const int code =
            run_rules_test(state->test_file, submission, context, now, std::cout, std::cerr);
        if (code != 0) throw CLI::RuntimeError(code);
    });

    CLI::App* backtest = rules->add_subcommand(
        "backtest", "Run a labelled CSV corpus: confusion table and per-rule hit frequencies");
    backtest->add_option("file", state->backtest_file,
                         "Rule file (omit or - for the embedded default)");
    backtest->add_option("--csv", state->backtest.csv_files, "Labelled CSV file (repeatable)")
        ->required();
    add_labelled_csv_flags(*backtest, state->backtest.csv);
    backtest->add_flag("--show-misses", state->backtest.show_misses,
                       "List spam that was approved and ham that was held or filed as spam");
    backtest->add_option("--learn", state->learning.learn_files,
                         "Teach the classifier this labelled file first, then score --csv "
                         "(repeatable; see learning_backtest.hpp)");
    backtest->add_flag("--online", state->learning.online,
                       "Score the --csv comments in date order, learning each label after it "
                       "is scored (a moderator correcting every verdict)");
    backtest->callback([state] {
        int code = 0;
        if (state->learning.online || !state->learning.learn_files.empty()) {
            state->learning.csv_files = state->backtest.csv_files;
            state->learning.csv = state->backtest.csv;
            state->learning.show_misses = state->backtest.show_misses;
            auto rules = load_rules_file(state->backtest_file);
            if (!rules) {
                print_errors(rules.errors(), std::cerr);
                throw CLI::RuntimeError(1);
            }
            code = run_learning_backtest(*rules.value(), state->learning, std::cout, std::cerr);
        } else {
            code = run_rules_backtest(state->backtest_file, state->backtest, std::cout, std::cerr);
        }
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace vokter::app
