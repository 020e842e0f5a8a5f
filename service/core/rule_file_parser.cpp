#include "core/rule_file_parser.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <initializer_list>
#include <memory>
#include <set>

#include "core/language.hpp"
#include "core/toml_limits.hpp"
#include "core/word_boundary.hpp"

namespace vokter::core {

namespace {

std::string location(std::string_view source, const toml::source_region& region) {
    return std::string(source) + ':' + std::to_string(region.begin.line) + ':' +
           std::to_string(region.begin.column);
}

// Collects errors with a location prefix and an optional "rule ID" / "heuristic ID" suffix.
class ErrorSink {
  public:
    explicit ErrorSink(std::string_view source) : source_(source) {}

    void add(std::string code, std::string message, const toml::source_region& region,
             std::string_view subject = {}) {
        std::string where = location(source_, region);
        if (!subject.empty()) where += ' ', where += subject;
        errors.push_back(Error{std::move(code), std::move(message), std::move(where)});
    }

    std::string where(const toml::source_region& region, std::string_view subject) const {
        std::string out = location(source_, region);
        if (!subject.empty()) out += ' ', out += subject;
        return out;
    }

    std::vector<Error> errors;

  private:
    std::string_view source_;
};

std::optional<double> number_of(const toml::node& node) {
    if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
    if (const auto* f = node.as_floating_point()) {
        if (std::isfinite(f->get())) return f->get();
    }
    return std::nullopt;
}

// Reads the keys of one [[rule]] or [[heuristic]] table against a list of allowed keys.
class TableReader {
  public:
    TableReader(const toml::table& table, ErrorSink& sink, std::string subject,
                std::vector<std::string_view> allowed)
        : table_(table), sink_(sink), subject_(std::move(subject)), allowed_(std::move(allowed)) {}

    void set_subject(std::string subject) { subject_ = std::move(subject); }
    const std::string& subject() const { return subject_; }

    // Reports every key that is not allowed.
    void check_unknown_keys(std::string_view what) {
        for (auto&& [key, node] : table_) {
            bool known = false;
            for (std::string_view a : allowed_)
                known = known || a == key.str();
            if (!known) {
                sink_.add("unknown_key",
                          "unknown key '" + std::string(key.str()) + "' in " + std::string(what),
                          key.source(), subject_);
            }
        }
    }

    const toml::node* node(std::string_view key) const { return table_.get(key); }

    std::optional<std::string> string(std::string_view key) {
        const toml::node* n = node(key);
        if (!n) return std::nullopt;
        if (const auto* s = n->as_string()) return s->get();
        type_error(key, *n, "a string");
        return std::nullopt;
    }

    std::optional<double> number(std::string_view key) {
        const toml::node* n = node(key);
        if (!n) return std::nullopt;
        if (auto v = number_of(*n)) return v;
        type_error(key, *n, "a finite number");
        return std::nullopt;
    }

    // An integer within [lo, hi].
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
        const toml::node* n = node(key);
        if (!n) return std::nullopt;
        const auto* i = n->as_integer();
        if (!i || i->get() < lo || i->get() > hi) {
            type_error(key, *n,
                       "an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
            return std::nullopt;
        }
        return i->get();
    }

    std::optional<double> ratio(std::string_view key) {
        auto v = number(key);
        if (v && (*v < 0.0 || *v > 1.0)) {
            type_error(key, *node(key), "a number from 0 to 1");
            return std::nullopt;
        }
        return v;
    }

    std::optional<bool> boolean(std::string_view key) {
        const toml::node* n = node(key);
        if (!n) return std::nullopt;
        if (const auto* b = n->as_boolean()) return b->get();
        type_error(key, *n, "true or false");
        return std::nullopt;
    }

    std::optional<std::vector<std::string>> strings(const toml::node* n, std::string_view key) {
        if (!n) return std::nullopt;
        const auto* array = n->as_array();
        std::vector<std::string> out;
        bool ok = array != nullptr;
        if (array) {
            for (const toml::node& item : *array) {
                if (const auto* s = item.as_string()) {
                    out.push_back(s->get());
                } else {
                    ok = false;
                }
            }
        }
        if (!ok) {
            type_error(key, *n, "an array of strings");
            return std::nullopt;
        }
        return out;
    }
    std::optional<std::vector<std::string>> strings(std::string_view key) {
        return strings(node(key), key);
    }

    void error(std::string code, std::string message, std::string_view key) {
        const toml::node* n = node(key);
        sink_.add(std::move(code), std::move(message), n ? n->source() : table_.source(), subject_);
    }

    void required(std::string_view key) {
        if (!node(key)) {
            sink_.add("missing_" + std::string(key),
                      "missing required key '" + std::string(key) + "'", table_.source(), subject_);
        }
    }

    ErrorSink& sink() { return sink_; }
    const toml::table& table() const { return table_; }

  private:
    void type_error(std::string_view key, const toml::node& n, std::string expected) {
        std::string message = "'";
        message.append(key).append("' must be ").append(expected);
        sink_.add("invalid_value", std::move(message), n.source(), subject_);
    }

    const toml::table& table_;
    ErrorSink& sink_;
    std::string subject_;
    std::vector<std::string_view> allowed_;
};

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (const char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok) return false;
    }
    return true;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    }
    return out;
}

void read_action(TableReader& r, std::optional<Action>& action) {
    if (auto name = r.string("action")) {
        action = parse_action(*name);
        if (!action) {
            r.error("invalid_action",
                    "action must be \"approve\", \"hold\" or \"spam\", not \"" + *name + "\"",
                    "action");
        }
    }
}

void check_id(TableReader& r, const std::string& id, std::set<std::string>& seen) {
    if (!valid_id(id)) {
        r.error("invalid_id", "id '" + id + "' must be 1-64 letters, digits, '_', '-' or '.'",
                "id");
    } else if (!seen.insert(id).second) {
        r.error("duplicate_id", "id '" + id + "' is used more than once", "id");
    }
}

RuleSpec parse_rule(const toml::table& table, ErrorSink& sink, std::set<std::string>& seen) {
    RuleSpec rule;
    TableReader r(table, sink, "rule ?",
                  {"id", "description", "fields", "pattern", "words", "score", "action", "enabled",
                   "examples"});
    if (auto id = r.string("id")) {
        rule.id = *id;
        r.set_subject("rule " + rule.id);
    }
    rule.where = sink.where(table.source(), r.subject());
    r.check_unknown_keys("a [[rule]]");
    if (!r.node("id")) r.required("id");
    if (!rule.id.empty() || r.node("id")) check_id(r, rule.id, seen);
    rule.description = r.string("description").value_or("");

    if (const toml::node* fields = r.node("fields")) {
        if (auto names = r.strings("fields")) {
            if (names->empty())
                r.error("unknown_field", "fields must name at least one field", "fields");
            for (const std::string& name : *names) {
                if (auto field = parse_field(name)) {
                    rule.fields.push_back(*field);
                } else {
                    r.error(
                        "unknown_field",
                        "unknown field '" + name +
                            "' (known: body, name, email, website, thread, ip, user_agent, links)",
                        "fields");
                }
            }
        }
        (void)fields;
    } else {
        rule.fields.push_back(Field::body);
    }

    const toml::node* pattern = r.node("pattern");
    const toml::node* words = r.node("words");
    if (pattern && words) {
        r.error("pattern_and_words", "a rule has either 'pattern' or 'words', not both", "words");
    } else if (!pattern && !words) {
        sink.add("missing_pattern", "missing 'pattern' or 'words'", table.source(), r.subject());
    } else if (pattern) {
        rule.pattern_where = sink.where(pattern->source(), r.subject());
        rule.pattern = r.string("pattern").value_or("");
        if (pattern->is_string() && rule.pattern.empty()) {
            r.error("empty_pattern", "pattern is empty", "pattern");
        }
    } else if (auto list = r.strings("words")) {
        rule.pattern_where = sink.where(words->source(), r.subject());
        auto built = words_pattern(*list);
        if (built) {
            rule.pattern = std::move(built).value();
            rule.from_words = true;
        } else {
            r.error(built.errors().front().code, built.errors().front().message, "words");
        }
    }
    if (rule.pattern.size() > kMaxPatternBytes) {
        r.error("pattern_too_long",
                "pattern is " + std::to_string(rule.pattern.size()) + " bytes; the limit is " +
                    std::to_string(kMaxPatternBytes),
                pattern ? "pattern" : "words");
        rule.pattern.clear();
    }

    if (auto score = r.number("score")) {
        rule.score = *score;
    } else if (!r.node("score")) {
        r.required("score");
    }
    read_action(r, rule.action);
    rule.enabled = r.boolean("enabled").value_or(true);

    if (const toml::node* examples = r.node("examples")) {
        if (const auto* ex = examples->as_table()) {
            TableReader er(*ex, sink, r.subject(), {"match", "no_match"});
            er.check_unknown_keys("examples");
            rule.examples_match = er.strings("match").value_or(std::vector<std::string>{});
            rule.examples_no_match = er.strings("no_match").value_or(std::vector<std::string>{});
        } else {
            r.error("invalid_value", "'examples' must be a table with 'match' and 'no_match'",
                    "examples");
        }
    }
    return rule;
}

// Reads the phrase list file a heuristic's `list` names into `name`; reports an unreadable list
// at the key. Returns null when there is no list to use.
std::shared_ptr<const PhraseList> read_phrase_list(TableReader& r, const ListReader& read_list,
                                                   std::string& name) {
    name = r.string("list").value_or("");
    if (name.empty()) return nullptr;
    Result<std::string> text =
        read_list ? read_list(name)
                  : Result<std::string>(Error{"no_list_reader", "lists cannot be read here", ""});
    if (!text) {
        r.error("list_unreadable",
                "cannot read list '" + name + "': " + text.errors().front().message, "list");
        return nullptr;
    }
    return std::make_shared<const PhraseList>(PhraseList::parse(text.value()));
}

// The classifier's min_ham, min_spam and bands = [{ min = …, score = … }, …].
void read_classifier(TableReader& r, const toml::table& table, ErrorSink& sink,
                     const std::string& subject, ClassifierSettings& settings) {
    constexpr std::int64_t kBig = 1'000'000'000;
    settings.min_ham = r.integer("min_ham", 1, kBig).value_or(settings.min_ham);
    settings.min_spam = r.integer("min_spam", 1, kBig).value_or(settings.min_spam);
    const toml::node* bands = r.node("bands");
    if (!bands) {
        r.required("bands");
        return;
    }
    const auto* array = bands->as_array();
    if (!array) {
        r.error("invalid_value", "'bands' must be an array of { min = …, score = … } tables",
                "bands");
        return;
    }
    bool shaped = true;
    for (const toml::node& item : *array) {
        const auto* band = item.as_table();
        std::optional<double> min, score;
        bool other = false;
        if (band) {
            for (auto&& [key, value] : *band) {
                if (key.str() == "min") {
                    min = number_of(value);
                } else if (key.str() == "score") {
                    score = number_of(value);
                } else {
                    other = true;
                }
            }
        }
        if (!band || !min || !score || other) {
            sink.add("invalid_value",
                     "each band must be { min = NUMBER, score = NUMBER } and nothing else",
                     item.source(), subject);
            shaped = false;
            continue;
        }
        settings.bands.push_back(ClassifierBand{*min, *score});
    }
    if (!shaped) return;
    for (const std::string& message : validate_classifier(settings))
        sink.add("invalid_value", message, table.source(), subject);
}

void parse_heuristic(const toml::table& table, ErrorSink& sink, std::set<std::string>& seen,
                     std::string_view source_name, const ListReader& read_list, RuleFileSpec& out) {
    Heuristic h;
    const auto kind_node = table.get("kind");
    const auto* kind_text = kind_node ? kind_node->as_string() : nullptr;
    std::optional<HeuristicKind> kind;
    if (kind_text) kind = parse_heuristic_kind(kind_text->get());
    std::string id;
    if (const auto* id_node = table.get("id"); id_node && id_node->is_string()) {
        id = id_node->as_string()->get();
    } else if (kind_text) {
        id = upper(kind_text->get());
    }
    const std::string subject = "heuristic " + (id.empty() ? std::string("?") : id);

    // Keys every heuristic has, plus the kind's own parameters.
    std::vector<std::string_view> allowed = {"kind",  "id",     "description",
                                             "score", "action", "enabled"};
    auto allow = [&](std::initializer_list<std::string_view> keys) {
        allowed.insert(allowed.end(), keys.begin(), keys.end());
    };
    switch (kind.value_or(HeuristicKind::honeypot)) {
        case HeuristicKind::link_count:
            allow({"min"});
            break;
        case HeuristicKind::caps_ratio:
            allow({"min_ratio", "min_letters"});
            break;
        case HeuristicKind::repeated_chars:
            allow({"min_run"});
            break;
        case HeuristicKind::repeated_words:
            allow({"min_repeats"});
            break;
        case HeuristicKind::body_length:
            allow({"min", "max"});
            break;
        case HeuristicKind::time_trap:
            allow({"min_seconds", "score_missing"});
            break;
        case HeuristicKind::flood:
            allow({"max", "window_seconds"});
            break;
        case HeuristicKind::duplicate_body:
            allow({"window_seconds"});
            break;
        case HeuristicKind::blocked_domain:
            allow({"list", "fields"});
            break;
        case HeuristicKind::disposable_email:
            allow({"list"});
            break;
        case HeuristicKind::script_mix:
            allow({"scripts", "min_ratio", "min_letters"});
            break;
        case HeuristicKind::known_author:
            allow({"min_approved"});
            break;
        case HeuristicKind::language:
            allow({"min_letters"});
            break;
        case HeuristicKind::keyword_name:
            allow({"list", "min_words", "match_website", "require_website"});
            break;
        case HeuristicKind::generic_praise:
            allow({"list", "max_words", "require_website"});
            break;
        case HeuristicKind::classifier:
            allow({"min_ham", "min_spam", "bands"});
            break;
        default:
            break;
    }

    TableReader r(table, sink, subject, {});
    // Unknown keys: checked by hand because the allowed list depends on the kind.
    if (kind) {
        for (auto&& [key, node] : table) {
            bool known = false;
            for (std::string_view a : allowed)
                known = known || a == key.str();
            if (!known) {
                sink.add("unknown_key",
                         "unknown key '" + std::string(key.str()) + "' for heuristic kind '" +
                             std::string(to_string(*kind)) + "'",
                         key.source(), subject);
            }
        }
    }
    if (!kind_node) {
        r.required("kind");
        return;
    }
    if (!kind_text) {
        r.error("invalid_value", "'kind' must be a string", "kind");
        return;
    }
    if (!kind) {
        r.error("unknown_heuristic",
                "unknown heuristic kind '" + std::string(kind_text->get()) + "'", "kind");
        return;
    }
    h.kind = kind.value_or(HeuristicKind::honeypot);
    h.id = id;
    if (table.get("id") && !table.get("id")->is_string()) {
        r.error("invalid_value", "'id' must be a string", "id");
    } else {
        check_id(r, h.id, seen);
    }
    h.description = r.string("description").value_or("");
    if (h.kind == HeuristicKind::classifier) {
        if (r.node("score")) {
            r.error("invalid_value", "a classifier's scores are given per band in 'bands'",
                    "score");
        }
    } else if (auto score = r.number("score")) {
        h.score = *score;
    } else if (!r.node("score")) {
        r.required("score");
    }
    read_action(r, h.action);
    h.enabled = r.boolean("enabled").value_or(true);

    constexpr std::int64_t kBig = 1'000'000'000;
    auto need = [&](std::string_view key) {
        if (!r.node(key)) r.required(key);
    };
    switch (h.kind) {
        case HeuristicKind::link_count:
            need("min");
            h.min = r.integer("min", 1, kBig).value_or(1);
            break;
        case HeuristicKind::caps_ratio:
            need("min_ratio");
            h.min_ratio = r.ratio("min_ratio").value_or(1.0);
            h.min_letters = r.integer("min_letters", 1, kBig).value_or(10);
            break;
        case HeuristicKind::repeated_chars:
            need("min_run");
            h.min_run = r.integer("min_run", 2, kBig).value_or(kBig);
            break;
        case HeuristicKind::repeated_words:
            need("min_repeats");
            h.min_repeats = r.integer("min_repeats", 2, kBig).value_or(kBig);
            break;
        case HeuristicKind::body_length:
            h.min = r.integer("min", 0, kBig).value_or(0);
            h.max = r.integer("max", 0, kBig).value_or(0);
            if (!r.node("min") && !r.node("max")) {
                sink.add("missing_min", "body_length needs 'min', 'max' or both", table.source(),
                         subject);
            }
            break;
        case HeuristicKind::time_trap:
            need("min_seconds");
            h.min_seconds = r.integer("min_seconds", 1, kBig).value_or(0);
            h.score_missing = r.number("score_missing").value_or(0.0);
            break;
        case HeuristicKind::flood:
            need("max");
            h.max = r.integer("max", 1, kBig).value_or(kBig);
            h.window_seconds = r.integer("window_seconds", 1, 86400 * 30).value_or(60);
            break;
        case HeuristicKind::duplicate_body:
            h.window_seconds = r.integer("window_seconds", 1, 86400 * 365).value_or(86400);
            break;
        case HeuristicKind::blocked_domain:
        case HeuristicKind::disposable_email: {
            need("list");
            h.list = r.string("list").value_or("");
            if (h.kind == HeuristicKind::disposable_email) {
                h.fields = {Field::email};
            } else if (auto names = r.strings("fields")) {
                for (const std::string& name : *names) {
                    const auto field = parse_field(name);
                    if (field == Field::links || field == Field::website || field == Field::email) {
                        h.fields.push_back(*field);
                    } else {
                        r.error("unknown_field",
                                "blocked_domain fields are links, website and email, not '" + name +
                                    "'",
                                "fields");
                    }
                }
            } else {
                h.fields = {Field::links, Field::website};
            }
            if (!h.list.empty()) {
                Result<std::string> text =
                    read_list ? read_list(h.list)
                              : Result<std::string>(
                                    Error{"no_list_reader", "lists cannot be read here", ""});
                if (text) {
                    h.domains = std::make_shared<DomainList>(DomainList::parse(text.value()));
                } else {
                    r.error("list_unreadable",
                            "cannot read list '" + h.list + "': " + text.errors().front().message,
                            "list");
                }
            }
            break;
        }
        case HeuristicKind::script_mix:
            need("scripts");
            need("min_ratio");
            if (auto names = r.strings("scripts")) {
                for (const std::string& name : *names) {
                    if (auto script = parse_script(name)) {
                        h.scripts.push_back(*script);
                    } else {
                        r.error("unknown_script",
                                "unknown script '" + name +
                                    "' (known: latin, greek, cyrillic, armenian, hebrew, arabic, "
                                    "devanagari, thai, georgian, hangul, kana, cjk)",
                                "scripts");
                    }
                }
            }
            h.min_ratio = r.ratio("min_ratio").value_or(1.0);
            h.min_letters = r.integer("min_letters", 1, kBig).value_or(10);
            break;
        case HeuristicKind::known_author:
            h.min_approved = r.integer("min_approved", 1, kBig).value_or(1);
            break;
        case HeuristicKind::language:
            h.min_letters = r.integer("min_letters", 1, kBig).value_or(40);
            break;  // `languages` comes from the top level: see parse_rule_file()
        case HeuristicKind::keyword_name:
            h.min_words = r.integer("min_words", 2, 1000).value_or(0);
            h.match_website = r.boolean("match_website").value_or(false);
            h.require_website = r.boolean("require_website").value_or(true);
            if (r.node("list")) h.phrases = read_phrase_list(r, read_list, h.list);
            if (!r.node("list") && !r.node("min_words") && !h.match_website) {
                sink.add("missing_list",
                         "keyword_name needs 'list', 'min_words' or match_website = true",
                         table.source(), subject);
            }
            break;
        case HeuristicKind::generic_praise:
            need("list");
            h.max_words = r.integer("max_words", 1, 100000).value_or(80);
            h.require_website = r.boolean("require_website").value_or(true);
            if (r.node("list")) h.phrases = read_phrase_list(r, read_list, h.list);
            break;
        case HeuristicKind::classifier:
            read_classifier(r, table, sink, subject, h.classifier);
            break;
        case HeuristicKind::url_or_email_in_name:
        case HeuristicKind::honeypot:
            break;
    }
    (void)source_name;
    out.heuristic_where.push_back(sink.where(table.source(), subject));
    out.heuristics.push_back(std::move(h));
}

}  // namespace

std::optional<Action> parse_action(std::string_view name) {
    if (name == "approve") return Action::approve;
    if (name == "hold") return Action::hold;
    if (name == "spam") return Action::spam;
    return std::nullopt;
}

Result<RuleFileSpec> parse_rule_file(std::string_view toml_text, std::string_view source_name,
                                     const ListReader& read_list) {
    // Before toml++ sees it: a file nested deep enough would overflow the parser's stack.
    if (auto refused = check_toml_limits(toml_text, source_name)) return *std::move(refused);
    toml::table doc;
    try {
        doc = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& e) {
        return Error{"toml_syntax", std::string(e.description()),
                     location(source_name, e.source())};
    }
    ErrorSink sink(source_name);
    RuleFileSpec spec;
    TableReader top(doc, sink, "",
                    {"version", "description", "thresholds", "languages", "rule", "heuristic"});
    top.check_unknown_keys("the rule file");
    if (auto version = top.string("version")) {
        spec.version = *version;
        if (spec.version.empty())
            top.error("missing_version", "version must not be empty", "version");
    } else if (!top.node("version")) {
        sink.add("missing_version", "the rule file needs version = \"…\"", doc.source());
    }
    top.string("description");

    if (const toml::node* t = top.node("thresholds")) {
        if (const auto* table = t->as_table()) {
            TableReader tr(*table, sink, "thresholds", {"hold", "spam"});
            tr.check_unknown_keys("[thresholds]");
            spec.thresholds.hold = tr.number("hold").value_or(spec.thresholds.hold);
            spec.thresholds.spam = tr.number("spam").value_or(spec.thresholds.spam);
            if (spec.thresholds.hold > spec.thresholds.spam) {
                sink.add("invalid_thresholds", "thresholds.hold must not be above thresholds.spam",
                         table->source(), "thresholds");
            }
        } else {
            top.error("invalid_value", "'thresholds' must be a table", "thresholds");
        }
    }

    // languages = ["nb", "nn", "en"]: the languages the blog is written in (language heuristic).
    std::optional<std::vector<std::string>> languages;  // in CLD2's spelling
    if (top.node("languages")) {
        if (auto codes = top.strings("languages")) {
            languages.emplace();
            if (codes->empty()) {
                top.error("invalid_value", "languages must name at least one language",
                          "languages");
            }
            for (const std::string& code : *codes) {
                if (auto cld2 = language_code(code)) {
                    spec.languages.push_back(code);
                    languages->push_back(*cld2);
                } else {
                    top.error("unknown_language",
                              "unknown language code '" + code +
                                  "' (lower-case ISO 639-1 codes such as nb, nn, en, sv, de)",
                              "languages");
                }
            }
        }
    }

    std::set<std::string> seen;
    if (const toml::node* rules = top.node("rule")) {
        const auto* array = rules->as_array();
        if (!array || !array->is_array_of_tables()) {
            top.error("invalid_value", "rules are written as [[rule]] tables", "rule");
        } else {
            for (const toml::node& item : *array) {
                spec.rules.push_back(parse_rule(*item.as_table(), sink, seen));
            }
        }
    }
    if (const toml::node* heuristics = top.node("heuristic")) {
        const auto* array = heuristics->as_array();
        if (!array || !array->is_array_of_tables()) {
            top.error("invalid_value", "heuristics are written as [[heuristic]] tables",
                      "heuristic");
        } else {
            for (const toml::node& item : *array) {
                parse_heuristic(*item.as_table(), sink, seen, source_name, read_list, spec);
            }
        }
    }
    for (std::size_t i = 0; i < spec.heuristics.size(); ++i) {
        Heuristic& h = spec.heuristics[i];
        if (h.kind != HeuristicKind::language) continue;
        if (languages) {
            h.languages = accepted_languages(*languages);
        } else if (!top.node("languages")) {
            sink.errors.push_back({"missing_languages",
                                   "a language heuristic needs the top-level list of the blog's "
                                   "languages, e.g. languages = [\"nb\", \"nn\", \"en\"]",
                                   spec.heuristic_where[i]});
        }
    }
    spec.errors = std::move(sink.errors);
    return spec;
}

}  // namespace vokter::core
