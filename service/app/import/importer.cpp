#include "app/import/importer.hpp"

#include <algorithm>
#include <limits>
#include <ostream>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "http/log.hpp"
#include "http/submission_parser.hpp"
#include "store/classifier/classifier_repository.hpp"
#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"
#include "store/retention.hpp"

namespace vokter::app {

namespace {

constexpr std::size_t kBatchBytes = 32 << 20;  // text per write transaction, at most about

bool known_status(const std::string& status) {
    return status == store::kApproved || status == store::kPending || status == store::kSpam ||
           status == store::kRejected || status == store::kDeleted;
}

// The first pass: every record checked, the ids of the comments to import kept (a reply whose
// parent comes later in the file waits for it instead of becoming an orphan).
struct Checked {
    std::vector<Error> errors;
    std::unordered_set<std::string> ids;
    std::int64_t comments = 0;
    std::int64_t max_id = 0;  // the largest id made of digits only (a Vokter export's are)
};

// What is wrong with a record to import, apart from its id being repeated; nullopt for nothing.
std::optional<Error> problem_of(const ImportedComment& c) {
    const auto error = [&](const char* code, std::string message) {
        return Error{code, std::move(message), c.where};
    };
    if (c.external_id.empty()) return error("import_no_id", "the comment has no id");
    if (!known_status(c.status)) return error("import_status", "unknown status '" + c.status + "'");
    for (const auto& [field, value] :
         {std::pair<const char*, const std::string&>{"thread", c.thread_uri},
          {"thread title", c.thread_title},
          {"name", c.name},
          {"e-mail", c.email},
          {"website", c.website},
          {"IP address", c.ip},
          {"user agent", c.user_agent},
          {"referrer", c.referrer},
          {"text", c.body}}) {
        if (!core::is_valid_utf8(value))
            return error("import_utf8", std::string("the comment's ") + field +
                                            " is not valid UTF-8 (the export's encoding is wrong)");
    }
    if (c.thread_uri.empty()) return error("import_no_thread", "the comment has no thread");
    return std::nullopt;
}

void check(const ImportedComment& c, Checked& checked) {
    if (!c.skip.empty()) return;
    const auto fail = [&](Error error) {
        if (checked.errors.size() < 20) checked.errors.push_back(std::move(error));
    };
    if (auto problem = problem_of(c)) return fail(std::move(*problem));
    if (!checked.ids.insert(c.external_id).second) {
        return fail(
            {"import_duplicate_id", "comment id " + c.external_id + " appears twice", c.where});
    }
    if (c.external_id.size() <= 18 &&
        c.external_id.find_first_not_of("0123456789") == std::string::npos) {
        checked.max_id = std::max<std::int64_t>(checked.max_id, std::stoll(c.external_id));
    }
    ++checked.comments;
}

// A website as the public sees it (Isso's client puts it in an href): an http(s) URL, as a
// posted comment's is, or none. An export's may be anything ("javascript:…").
std::string safe_website(const std::string& website) {
    if (website.empty()) return "";
    return http::normalise_website(website).value_or("");
}

// What one write transaction did; applied to the summary only after it committed (the writer
// may run a job again after a failed batch).
struct BatchOutcome {
    std::map<std::string, std::int64_t> imported;
    std::int64_t already = 0;
    std::int64_t orphans = 0;
    std::int64_t learned = 0;
    std::vector<ImportedComment> waiting;  // replies whose parent comes later in the file
    std::vector<std::string> released;     // parents whose waiting replies this batch wrote
    std::optional<bool> keep_ids;          // decided by the first batch
    std::optional<bool> same_origin;       // the export is this database's own (decided too)
    std::int64_t renumbered = 0;
};

class Importer {
  public:
    Importer(store::Store& store, const ImportOptions& options, std::string source,
             const ReadOutcome& read, const Checked& checked, std::ostream& err)
        : store_(store), options_(options), read_(read), checked_(checked), err_(err) {
        summary_.source = std::move(source);
    }

    void add(ImportedComment&& c) {
        if (!c.skip.empty()) {
            ++summary_.skipped[c.skip];
            return;
        }
        // The source changed between the passes (an Isso database in use): what was not checked
        // is left out, and counted.
        if (!checked_.ids.count(c.external_id) || problem_of(c)) {
            ++summary_.skipped["changed after the check"];
            return;
        }
        batch_bytes_ += c.body.size() + c.name.size() + c.user_agent.size() + c.thread_title.size();
        batch_.push_back(std::move(c));
        if (batch_.size() >= options_.batch || batch_bytes_ >= kBatchBytes) flush();
    }

    // Written so far: when the second pass fails, the batches before it stay.
    std::int64_t written() const { return summary_.total_imported(); }

    // Writes what is left. Replies still waiting then have parents that never came: a cycle
    // (a comment whose parent's parent is itself), which the file's ids alone do not show. They
    // become top-level comments of their threads, counted as orphans like any missing parent.
    ImportSummary finish(std::ostream& err) {
        flush();
        for (auto& [parent, replies] : waiting_) {
            for (auto& reply : replies) {
                reply.parent_external_id.clear();
                batch_.push_back(std::move(reply));
                ++summary_.orphans;
            }
        }
        waiting_.clear();
        flush();
        if (options_.progress) err << "\n";
        return std::move(summary_);
    }

  private:
    void flush() {
        if (batch_.empty()) return;
        BatchOutcome outcome =
            store_.writer().run([&](store::Connection& db) { return write(db, batch_); });
        for (const auto& [status, n] : outcome.imported)
            summary_.imported[status] += n;
        summary_.already_imported += outcome.already;
        summary_.orphans += outcome.orphans;
        summary_.learned += outcome.learned;
        summary_.renumbered += outcome.renumbered;
        if (outcome.keep_ids) keep_ids_ = outcome.keep_ids;
        if (outcome.same_origin) same_origin_ = outcome.same_origin;
        if (outcome.learned > 0) store_.training_enqueued();
        for (const std::string& parent : outcome.released)
            waiting_.erase(parent);
        for (auto& reply : outcome.waiting) {
            std::string parent = reply.parent_external_id;
            waiting_[parent].push_back(std::move(reply));
        }
        done_ += static_cast<std::int64_t>(batch_.size());
        batch_.clear();
        batch_bytes_ = 0;
        if (options_.progress) show_progress();
    }

    void show_progress() {
        const std::int64_t total = std::max<std::int64_t>(checked_.comments, 1);
        const std::int64_t percent = std::min<std::int64_t>(100, done_ * 100 / total);
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(percent * kWidth / 100);
        err_ << "\rimporting [" + std::string(static_cast<std::size_t>(filled), '#') +
                    std::string(static_cast<std::size_t>(kWidth - filled), ' ') + "] " +
                    std::to_string(done_) + " of " + std::to_string(checked_.comments) +
                    " comments (" + std::to_string(percent) + "%)"
             << std::flush;
    }

    std::optional<std::int64_t> imported_id(store::Connection& db, const std::string& external) {
        auto& stmt =
            db.prepare("SELECT comment_id FROM import_keys WHERE source = ?1 AND external_id = ?2");
        stmt.bind(1, summary_.source).bind(2, external);
        std::optional<std::int64_t> id;
        if (stmt.step()) id = stmt.int64(0);
        stmt.reset();
        return id;
    }

    // A Vokter id (digits only, as the reader checked) that no comment has yet.
    static bool id_is_free(store::Connection& db, const std::string& external) {
        auto& stmt = db.prepare("SELECT 1 FROM comments WHERE id = ?1");
        stmt.bind(1, std::int64_t{std::stoll(external)});
        const bool taken = stmt.step();
        stmt.reset();
        return !taken;
    }

    BatchOutcome write(store::Connection& db, const std::vector<ImportedComment>& batch) {
        BatchOutcome outcome;
        const std::int64_t now = http::now_ms();
        bool keep_ids = keep_ids_.value_or(false);
        bool same_origin = same_origin_.value_or(false);
        if (read_.vokter_ids && !keep_ids_) {
            auto& any = db.prepare("SELECT EXISTS (SELECT 1 FROM comments)");
            keep_ids = any.step() && any.int64(0) == 0;
            any.reset();
            // The database's own export brought back (a restore, a retry): its comments are
            // those with the same ids here.
            same_origin = !keep_ids && !read_.origin.empty() &&
                          store::get_setting(db, "instance") == read_.origin;
            if (keep_ids && !read_.origin.empty()) store::put_setting(db, "instance", read_.origin);
            if (keep_ids) store::reserve_comment_ids(db, checked_.max_id);
            outcome.keep_ids = keep_ids;
            outcome.same_origin = same_origin;
        }
        // Records in file order, then the replies each written comment was keeping waiting:
        // those of earlier batches (waiting_) and of this one (here, moved to the outcome when
        // their parent is not in this batch either).
        std::unordered_map<std::string, std::vector<ImportedComment>> here;
        std::unordered_set<std::string> released_here;
        std::vector<const ImportedComment*> work;
        std::int64_t oldest =
            std::numeric_limits<std::int64_t>::max();  // created, of those written
        for (const auto& c : batch)
            work.push_back(&c);
        for (std::size_t i = 0; i < work.size(); ++i) {
            const ImportedComment& c = *work[i];
            if (imported_id(db, c.external_id) || (same_origin && !id_is_free(db, c.external_id))) {
                ++outcome.already;
                continue;
            }
            store::NewComment comment;
            if (!c.parent_external_id.empty()) {
                const auto parent_id = imported_id(db, c.parent_external_id);
                const auto parent = parent_id ? store::find_parent(db, *parent_id) : std::nullopt;
                if (parent && parent->thread_uri == c.thread_uri) {
                    // Too deep: under the ancestor at the deepest allowed level, as a post is.
                    auto above = parent;
                    while (above->depth + 1 > options_.max_depth && above->parent)
                        above = store::find_parent(db, *above->parent);
                    comment.submission.parent = above->id;
                    comment.root_id = above->root_id;
                    comment.depth = above->depth + 1;
                } else if (!parent_id && checked_.ids.count(c.parent_external_id)) {
                    here[c.parent_external_id].push_back(c);  // its parent is further on
                    continue;
                } else {
                    ++outcome.orphans;
                }
            }
            core::Submission& s = comment.submission;
            s.thread = c.thread_uri;
            s.title = c.thread_title;
            s.name = c.name;
            s.email = c.email;
            s.website = safe_website(c.website);
            s.body = c.body;
            s.ip = c.ip;
            s.user_agent = c.user_agent;
            s.referrer = c.referrer;
            if (c.status == store::kDeleted) {
                // Kept only as the place of its replies, as a moderator's delete leaves it.
                s.name.clear();
                s.email.clear();
                s.website.clear();
                s.body.clear();
                s.ip.clear();
                s.user_agent.clear();
                s.referrer.clear();
            }
            comment.status = c.status;
            comment.source = c.origin.empty() ? "import" : c.origin;
            comment.verdict = c.verdict;
            comment.created = c.created_ms;
            comment.updated = c.updated_ms;
            if (keep_ids) {
                // An id written meanwhile (a running service) takes one above the export's own,
                // so that the ids still to come stay free.
                if (id_is_free(db, c.external_id)) {
                    comment.id = std::int64_t{std::stoll(c.external_id)};
                } else {
                    auto& top = db.prepare("SELECT coalesce(max(id), 0) FROM comments");
                    top.step();
                    comment.id = std::max(top.int64(0), checked_.max_id) + 1;
                    top.reset();
                    ++outcome.renumbered;
                }
            }
            const std::int64_t id = store::insert_comment(db, comment);
            oldest = std::min(oldest, comment.created);
            if (c.thread_closed) store::set_thread_closed(db, c.thread_uri, true);
            for (store::LogEntry entry : c.history) {
                entry.comment_id = id;
                store::append_log(db, entry);
            }
            db.prepare(
                  "INSERT INTO import_keys (source, external_id, comment_id) VALUES (?1, ?2, ?3)")
                .bind(1, summary_.source)
                .bind(2, c.external_id)
                .bind(3, id)
                .run();
            ++outcome.imported[c.status];
            if (options_.learn && (c.status == store::kApproved || c.status == store::kSpam)) {
                const auto label = c.status == store::kSpam ? core::Label::spam : core::Label::ham;
                if (store::relabel_comment(db, id, label, now)) ++outcome.learned;
            }
            const auto replies = waiting_.find(c.external_id);
            if (replies != waiting_.end()) {
                for (const auto& reply : replies->second)
                    work.push_back(&reply);
                outcome.released.push_back(c.external_id);
            }
            const auto waiting_here = here.find(c.external_id);
            if (waiting_here != here.end()) {
                for (const auto& reply : waiting_here->second)
                    work.push_back(&reply);
                released_here.insert(c.external_id);
            }
        }
        for (auto& [parent, replies] : here) {
            if (released_here.count(parent)) continue;
            for (auto& reply : replies)
                outcome.waiting.push_back(std::move(reply));
        }
        // Comments older than the retention pass has got to: its next pass reads them too.
        if (oldest != std::numeric_limits<std::int64_t>::max()) store::retention_rewind(db, oldest);
        return outcome;
    }

    store::Store& store_;
    const ImportOptions& options_;
    const ReadOutcome& read_;
    const Checked& checked_;
    std::optional<bool> keep_ids_;
    std::optional<bool> same_origin_;
    std::size_t batch_bytes_ = 0;
    ImportSummary summary_;
    std::vector<ImportedComment> batch_;
    std::unordered_map<std::string, std::vector<ImportedComment>> waiting_;
    std::int64_t done_ = 0;
    std::ostream& err_;
};

}  // namespace

std::optional<std::string> thread_from_link(std::string_view link, bool full_urls) {
    link = core::trim_ascii_space(link);
    if (!full_urls) {
        const std::size_t scheme = link.find("://");
        if (scheme != std::string_view::npos) {
            const std::size_t path = link.find_first_of("/?#", scheme + 3);
            link = path == std::string_view::npos ? std::string_view("/") : link.substr(path);
            if (!link.empty() && link.front() != '/') return std::nullopt;
        }
    }
    return http::normalise_thread_uri(link, kThreadUriBytes);
}

std::int64_t ImportSummary::total_imported() const {
    std::int64_t n = 0;
    for (const auto& [status, count] : imported)
        n += count;
    return n;
}

Result<ImportSummary> import_comments(store::Store& store, const ExportReader& reader,
                                      const ImportOptions& options, std::ostream& err) {
    Checked checked;
    auto first = reader([&](ImportedComment&& c) { check(c, checked); });
    if (!first) return first.errors();
    if (!checked.errors.empty()) return checked.errors;

    const std::string source = options.source ? *options.source : first.value().source;
    Importer importer(store, options, source, first.value(), checked, err);
    auto second = reader([&](ImportedComment&& c) { importer.add(std::move(c)); });
    if (!second) {  // the file changed between the passes
        std::vector<Error> errors = second.errors();
        const std::int64_t written = importer.written();
        if (written > 0) {
            errors.push_back({"import_partial",
                              std::to_string(written) +
                                  " comments were written before the file changed; importing it "
                                  "again when it is whole adds the rest",
                              errors.front().where});
        }
        return errors;
    }
    return importer.finish(err);
}

void print_summary(const ImportSummary& summary, std::ostream& out) {
    out << "imported " << summary.total_imported() << " comments from " << summary.source;
    if (!summary.imported.empty()) {
        out << " (";
        const char* separator = "";
        for (const auto& [status, n] : summary.imported) {
            out << separator << n << " " << status;
            separator = ", ";
        }
        out << ")";
    }
    out << "\n";
    if (summary.already_imported > 0)
        out << "already imported before, left alone: " << summary.already_imported << "\n";
    if (summary.renumbered > 0)
        out << "ids already taken (written meanwhile), given new ones: " << summary.renumbered
            << "\n";
    if (summary.orphans > 0)
        out << "replies whose parent is not in the export, attached to their thread: "
            << summary.orphans << "\n";
    for (const auto& [reason, n] : summary.skipped)
        out << "skipped (" << reason << "): " << n << "\n";
    if (summary.learned > 0)
        out << "taught the classifier: " << summary.learned << " labelled comments\n";
}

}  // namespace vokter::app
