#include "app/import/vokter_export.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <unordered_map>

#include "core/utf8_scan.hpp"
#include "http/crypto.hpp"
#include "http/submission_parser.hpp"
#include "store/comment_repository.hpp"

namespace vokter::app {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kMaxLineBytes = 16 << 20;

std::string origin_of(store::Store& store) {
    return store.writer().run([](store::Connection& db) {
        if (auto origin = store::get_setting(db, "instance")) return *origin;
        std::string origin = http::random_hex(8);
        store::put_setting(db, "instance", origin);
        return origin;
    });
}

std::string column(store::Statement& stmt, int i) {
    return std::string(stmt.text_view(i));
}

void write_line(std::ostream& out, const Json& record) {
    // Stored text is valid UTF-8 (checked as it came in): strict, so nothing is changed silently.
    out << record.dump(-1, ' ', false, Json::error_handler_t::strict) << '\n';
}

Json hits_of(store::Connection& db, std::int64_t id) {
    Json hits = Json::array();
    auto& stmt = db.prepare(
        "SELECT rule, score, field, detail FROM rule_hits WHERE comment_id = ?1 ORDER BY seq");
    stmt.bind(1, id);
    while (stmt.step()) {
        hits.push_back(Json{{"rule", column(stmt, 0)},
                            {"score", stmt.real(1)},
                            {"field", column(stmt, 2)},
                            {"detail", column(stmt, 3)}});
    }
    return hits;
}

Json history_of(store::Connection& db, std::int64_t id) {
    Json log = Json::array();
    auto& stmt = db.prepare(
        "SELECT created, moderator, action, old_status, new_status, note FROM moderation_log "
        "WHERE comment_id = ?1 ORDER BY id");
    stmt.bind(1, id);
    while (stmt.step()) {
        log.push_back(Json{{"at", stmt.int64(0)},
                           {"moderator", column(stmt, 1)},
                           {"action", column(stmt, 2)},
                           {"from", column(stmt, 3)},
                           {"to", column(stmt, 4)},
                           {"note", column(stmt, 5)}});
    }
    return log;
}

void write_snapshot(store::Connection& db, const std::string& origin, std::ostream& out,
                    ExportSummary& summary) {
    write_line(out,
               Json{{"type", "vokter-export"}, {"version", kExportVersion}, {"origin", origin}});
    auto& threads = db.prepare(
        "SELECT t.uri, t.title, t.closed FROM threads t "
        "WHERE EXISTS (SELECT 1 FROM comments c WHERE c.thread_id = t.id) ORDER BY t.id");
    while (threads.step()) {
        write_line(out, Json{{"type", "thread"},
                             {"uri", column(threads, 0)},
                             {"title", column(threads, 1)},
                             {"closed", threads.int64(2) != 0}});
        ++summary.threads;
    }
    threads.reset();
    auto& comments = db.prepare(
        "SELECT c.id, t.uri, c.parent_id, c.status, c.score, c.ruleset_version, c.source, c.name, "
        "c.email, c.website, c.ip, c.user_agent, c.referrer, c.body, c.created, c.updated "
        "FROM comments c JOIN threads t ON t.id = c.thread_id ORDER BY c.id");
    while (comments.step()) {
        const std::int64_t id = comments.int64(0);
        Json record{{"type", "comment"}, {"id", id}, {"thread", column(comments, 1)}};
        record["parent"] = comments.is_null(2) ? Json(nullptr) : Json(comments.int64(2));
        record["status"] = column(comments, 3);
        record["score"] = comments.real(4);
        record["ruleset"] = column(comments, 5);
        record["source"] = column(comments, 6);
        record["name"] = column(comments, 7);
        record["email"] = column(comments, 8);
        record["website"] = column(comments, 9);
        record["ip"] = column(comments, 10);
        record["user_agent"] = column(comments, 11);
        record["referrer"] = column(comments, 12);
        record["body"] = column(comments, 13);
        record["created"] = comments.int64(14);
        record["updated"] = comments.int64(15);
        record["hits"] = hits_of(db, id);
        record["moderation"] = history_of(db, id);
        write_line(out, record);
        ++summary.comments;
    }
    comments.reset();
}

// One line of at most kMaxLineBytes; false at the end of the file, or when the line is longer
// (then `too_long`).
bool read_line(std::istream& in, std::string& line, bool& too_long) {
    line.clear();
    std::streambuf& buffer = *in.rdbuf();
    for (;;) {
        const int ch = buffer.sbumpc();
        if (ch == std::char_traits<char>::eof()) return !line.empty();
        if (ch == '\n') return true;
        if (line.size() == kMaxLineBytes) {
            too_long = true;
            return false;
        }
        line.push_back(static_cast<char>(ch));
    }
}

// Typed fields of one record, the first wrong one kept as the error.
class Record {
  public:
    Record(const Json& json, std::string where) : json_(json), where_(std::move(where)) {}

    std::string text(const char* key, bool required = false) {
        const Json* value = find(key, required);
        if (!value) return "";
        if (!value->is_string()) return wrong(key, "a string"), "";
        return value->get<std::string>();
    }
    std::int64_t integer(const char* key, bool required = false) {
        const Json* value = find(key, required);
        if (!value) return 0;
        if (!value->is_number_integer()) return wrong(key, "a whole number"), 0;
        return value->get<std::int64_t>();
    }
    double number(const char* key) {
        const Json* value = find(key, false);
        if (!value) return 0;
        if (!value->is_number()) return wrong(key, "a number"), 0;
        return value->get<double>();
    }
    bool boolean(const char* key) {
        const Json* value = find(key, false);
        if (!value) return false;
        if (!value->is_boolean()) return wrong(key, "true or false"), false;
        return value->get<bool>();
    }
    // Each object of the array `key` (absent: none), as a Record of its own.
    template <class Visit>
    void each(const char* key, Visit visit) {
        const Json* value = find(key, false);
        if (!value) return;
        if (!value->is_array()) return wrong(key, "an array");
        for (const Json& item : *value) {
            if (!item.is_object()) return wrong(key, "an array of objects");
            Record inner(item, where_);
            visit(inner);
            if (inner.error_) {
                error_ = inner.error_;
                return;
            }
        }
    }
    bool has(const char* key) const { return json_.contains(key) && !json_[key].is_null(); }
    const std::optional<Error>& error() const { return error_; }
    const std::string& where() const { return where_; }

  private:
    const Json* find(const char* key, bool required) {
        const auto it = json_.find(key);
        if (it == json_.end() || it->is_null()) {
            if (required && !error_)
                error_ = Error{"import_format", std::string("the record has no \"") + key + "\"",
                               where_};
            return nullptr;
        }
        return &*it;
    }
    void wrong(const char* key, const char* what) {
        if (!error_)
            error_ = Error{"import_format", std::string("\"") + key + "\" must be " + what, where_};
    }

    const Json& json_;
    std::string where_;
    std::optional<Error> error_;
};

struct ThreadLine {
    std::string title;
    bool closed = false;
};

Result<ReadOutcome> read_export(const std::string& path, const ImportVisitor& visit) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"import_open", "cannot open the file", path};
    ReadOutcome outcome;
    outcome.vokter_ids = true;
    std::unordered_map<std::string, ThreadLine> threads;
    std::string line;
    bool too_long = false;
    for (std::int64_t number = 1;; ++number) {
        const std::string where = path + ":" + std::to_string(number);
        if (!read_line(in, line, too_long)) {
            if (too_long) return Error{"import_format", "the line is longer than 16 MiB", where};
            if (number == 1) return Error{"import_format", "the file is empty", path};
            break;
        }
        if (line.empty() && number > 1) continue;
        const Json json = Json::parse(line, nullptr, false);
        if (json.is_discarded() || !json.is_object())
            return Error{"import_json", "the line is no JSON object", where};
        Record record(json, where);
        const std::string type = record.text("type", true);
        if (number == 1) {
            if (type != "vokter-export")
                return Error{"import_format", "no export header: not a Vokter export", where};
            const std::int64_t version = record.integer("version", true);
            if (record.error()) return *record.error();
            if (version != kExportVersion) {
                return Error{"import_version",
                             "export version " + std::to_string(version) + "; this Vokter reads " +
                                 "version " + std::to_string(kExportVersion),
                             where};
            }
            outcome.origin = record.text("origin");
            outcome.source = "vokter " + (outcome.origin.empty() ? path : outcome.origin);
        } else if (type == "thread") {
            const std::string uri = record.text("uri", true);
            ThreadLine thread{record.text("title"), record.boolean("closed")};
            if (record.error()) return *record.error();
            const auto key = http::normalise_thread_uri(uri, kThreadUriBytes);
            if (!key) {
                return Error{"import_thread",
                             "'" + std::string(core::truncate_utf8(uri, 80)) + "' is no thread URI",
                             where};
            }
            threads[*key] = std::move(thread);
        } else if (type == "comment") {
            ImportedComment c;
            c.where = where;
            const std::int64_t id = record.integer("id", true);
            if (!record.error() && id <= 0)
                return Error{"import_format", "\"id\" must be a positive number", where};
            c.external_id = std::to_string(id);
            if (record.has("parent"))
                c.parent_external_id = std::to_string(record.integer("parent"));
            const std::string thread = record.text("thread", true);
            c.status = record.text("status", true);
            c.verdict.score = record.number("score");
            c.verdict.ruleset_version = record.text("ruleset");
            c.origin = record.text("source");
            c.name = record.text("name");
            c.email = record.text("email");
            c.website = record.text("website");
            c.ip = record.text("ip");
            c.user_agent = record.text("user_agent");
            c.referrer = record.text("referrer");
            c.body = record.text("body");
            c.created_ms = record.integer("created", true);
            c.updated_ms = record.integer("updated");
            record.each("hits", [&](Record& hit) {
                c.verdict.hits.push_back(core::Hit{hit.text("rule", true), hit.number("score"),
                                                   hit.text("field"), hit.text("detail")});
            });
            record.each("moderation", [&](Record& entry) {
                store::LogEntry log;
                log.created = entry.integer("at", true);
                log.moderator = entry.text("moderator", true);
                log.action = entry.text("action", true);
                log.old_status = entry.text("from");
                log.new_status = entry.text("to");
                log.note = entry.text("note");
                c.history.push_back(std::move(log));
            });
            if (record.error()) return *record.error();
            const auto found = threads.find(thread);
            if (found == threads.end()) {
                return Error{"import_no_thread",
                             "comment " + c.external_id + "'s thread '" +
                                 std::string(core::truncate_utf8(thread, 80)) +
                                 "' is not on a line before it",
                             where};
            }
            c.thread_uri = found->first;
            c.thread_title = found->second.title;
            c.thread_closed = found->second.closed;
            visit(std::move(c));
        } else {
            if (record.error()) return *record.error();
            return Error{"import_format",
                         "unknown record type '" + std::string(core::truncate_utf8(type, 40)) + "'",
                         where};
        }
    }
    return outcome;
}

}  // namespace

ExportSummary export_comments(store::Store& store, std::ostream& out) {
    ExportSummary summary;
    summary.origin = origin_of(store);
    auto db = store.read();
    // One snapshot: threads and comments of the same moment (PostgreSQL's default isolation,
    // read committed, takes one per statement).
    db->exec(db->dialect() == store::Dialect::postgresql ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                                         : "BEGIN");
    try {
        write_snapshot(*db, summary.origin, out, summary);
        db->reset_statements();
        db->exec("COMMIT");
    } catch (...) {
        db->reset_statements();
        db->exec("ROLLBACK");
        throw;
    }
    return summary;
}

ExportReader vokter_export_reader(std::string path) {
    return
        [path = std::move(path)](const ImportVisitor& visit) { return read_export(path, visit); };
}

}  // namespace vokter::app
