#include "store/classifier/classifier_repository.hpp"

#include "store/comment_repository.hpp"

namespace vokter::store {

std::string_view to_string(core::Label label) {
    return label == core::Label::ham ? "ham" : "spam";
}

std::optional<core::Label> label_from(std::string_view text) {
    if (text == "ham") return core::Label::ham;
    if (text == "spam") return core::Label::spam;
    return std::nullopt;
}

namespace {

std::optional<std::string_view> label_text(const std::optional<core::Label>& label) {
    if (!label) return std::nullopt;
    return to_string(*label);
}

void set_trained(Connection& db, std::int64_t id, const std::optional<core::Label>& label) {
    db.prepare("UPDATE comments SET trained_as = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, label_text(label))
        .run();
}

// The comment's text and what it taught, read inside the writer's transaction.
std::optional<TrainingJob> job_for(Connection& db, std::int64_t id, std::int64_t now_ms) {
    auto& stmt =
        db.prepare("SELECT trained_as, name, email, website, body FROM comments WHERE id = ?1");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    TrainingJob job;
    job.comment_id = id;
    if (!stmt.is_null(0)) job.forget = label_from(stmt.text_view(0));
    job.name = stmt.text(1);
    job.email = stmt.text(2);
    job.website = stmt.text(3);
    job.body = stmt.text(4);
    job.created = now_ms;
    stmt.reset();
    return job;
}

}  // namespace

void enqueue_training(Connection& db, const TrainingJob& job) {
    db.prepare(
          "INSERT INTO classifier_outbox (comment_id, forget, learn, name, email, website, body, "
          "created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(1, job.comment_id)
        .bind(2, label_text(job.forget))
        .bind(3, label_text(job.learn))
        .bind(4, job.name)
        .bind(5, job.email)
        .bind(6, job.website)
        .bind(7, job.body)
        .bind(8, job.created)
        .run();
}

bool relabel_comment(Connection& db, std::int64_t id, core::Label label, std::int64_t now_ms) {
    std::optional<TrainingJob> job = job_for(db, id, now_ms);
    if (!job || job->forget == label) return false;
    job->learn = label;
    enqueue_training(db, *job);
    set_trained(db, id, label);
    return true;
}

bool forget_comment(Connection& db, std::int64_t id, std::int64_t now_ms) {
    std::optional<TrainingJob> job = job_for(db, id, now_ms);
    if (!job || !job->forget) return false;
    enqueue_training(db, *job);
    set_trained(db, id, std::nullopt);
    return true;
}

std::optional<core::Label> trained_label(Connection& db, std::int64_t id) {
    auto& stmt = db.prepare("SELECT trained_as FROM comments WHERE id = ?1");
    stmt.bind(1, id);
    std::optional<core::Label> label;
    if (stmt.step() && !stmt.is_null(0)) label = label_from(stmt.text_view(0));
    stmt.reset();
    return label;
}

std::vector<TrainingJob> pending_training(Connection& db, int limit) {
    auto& stmt = db.prepare(
        "SELECT id, comment_id, forget, learn, name, email, website, body, created "
        "FROM classifier_outbox ORDER BY id LIMIT ?1");
    stmt.bind(1, limit);
    std::vector<TrainingJob> jobs;
    while (stmt.step()) {
        TrainingJob job;
        job.id = stmt.int64(0);
        if (!stmt.is_null(1)) job.comment_id = stmt.int64(1);
        if (!stmt.is_null(2)) job.forget = label_from(stmt.text_view(2));
        if (!stmt.is_null(3)) job.learn = label_from(stmt.text_view(3));
        job.name = stmt.text(4);
        job.email = stmt.text(5);
        job.website = stmt.text(6);
        job.body = stmt.text(7);
        job.created = stmt.int64(8);
        jobs.push_back(std::move(job));
    }
    return jobs;
}

std::int64_t pending_training_count(Connection& db) {
    auto& stmt = db.prepare("SELECT count(*) FROM classifier_outbox");
    stmt.step();
    const std::int64_t n = stmt.int64(0);
    stmt.reset();
    return n;
}

bool take_training_job(Connection& db, std::int64_t id) {
    db.prepare("DELETE FROM classifier_outbox WHERE id = ?1").bind(1, id).run();
    return db.changes() > 0;
}

std::int64_t apply_training(Connection& db, const core::TrainingDelta& delta) {
    core::TrainingDelta compacted = delta;
    compacted.compact();
    // Counts never fall below 0 (CASE for the larger of two: SQLite's max(a, b) is GREATEST in
    // PostgreSQL).
    auto& upsert = db.prepare(
        "INSERT INTO classifier_tokens (hash, ham, spam) VALUES (?1, "
        "CASE WHEN ?2 > 0 THEN ?2 ELSE 0 END, CASE WHEN ?3 > 0 THEN ?3 ELSE 0 END) "
        "ON CONFLICT (hash) DO UPDATE SET "
        "ham = CASE WHEN classifier_tokens.ham + ?2 > 0 THEN classifier_tokens.ham + ?2 ELSE 0 "
        "END, "
        "spam = CASE WHEN classifier_tokens.spam + ?3 > 0 THEN classifier_tokens.spam + ?3 "
        "ELSE 0 END");
    auto& prune =
        db.prepare("DELETE FROM classifier_tokens WHERE hash = ?1 AND ham = 0 AND spam = 0");
    for (const auto& change : compacted.changes) {
        const auto hash = static_cast<std::int64_t>(change.hash);
        upsert.bind(1, hash).bind(2, change.ham).bind(3, change.spam).run();
        upsert.reset();
        if (change.ham < 0 || change.spam < 0) {
            prune.bind(1, hash).run();
            prune.reset();
        }
    }
    auto& totals = db.prepare(
        "UPDATE classifier_totals SET ham = CASE WHEN ham + ?1 > 0 THEN ham + ?1 ELSE 0 END, "
        "spam = CASE WHEN spam + ?2 > 0 THEN spam + ?2 ELSE 0 END, "
        "generation = generation + 1 WHERE id = 1 RETURNING generation");
    totals.bind(1, compacted.ham_messages).bind(2, compacted.spam_messages);
    totals.step();
    const std::int64_t generation = totals.int64(0);
    totals.reset();
    return generation;
}

namespace {

StoredModel read_model(Connection& db) {
    StoredModel model;
    auto& totals = db.prepare("SELECT ham, spam, generation FROM classifier_totals WHERE id = 1");
    if (totals.step()) {
        model.ham_messages = static_cast<std::uint32_t>(totals.int64(0));
        model.spam_messages = static_cast<std::uint32_t>(totals.int64(1));
        model.generation = totals.int64(2);
    }
    totals.reset();
    auto& count = db.prepare("SELECT count(*) FROM classifier_tokens");
    count.step();
    model.counts = core::CountTable(static_cast<std::size_t>(count.int64(0)));
    count.reset();
    auto& rows = db.prepare("SELECT hash, ham, spam FROM classifier_tokens");
    while (rows.step()) {
        core::TokenCounts& c = model.counts.at(static_cast<std::uint64_t>(rows.int64(0)));
        c.ham = static_cast<std::uint32_t>(rows.int64(1));
        c.spam = static_cast<std::uint32_t>(rows.int64(2));
    }
    return model;
}

}  // namespace

StoredModel load_model(Connection& db) {
    // One snapshot for the totals and the counts (PostgreSQL's default isolation, read
    // committed, takes one per statement).
    db.exec(db.dialect() == Dialect::postgresql ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                                : "BEGIN");
    try {
        StoredModel model = read_model(db);
        db.reset_statements();
        db.exec("COMMIT");
        return model;
    } catch (...) {
        db.reset_statements();
        db.exec("ROLLBACK");
        throw;
    }
}

std::int64_t model_generation(Connection& db) {
    auto& stmt = db.prepare("SELECT generation FROM classifier_totals WHERE id = 1");
    const std::int64_t generation = stmt.step() ? stmt.int64(0) : 0;
    stmt.reset();
    return generation;
}

}  // namespace vokter::store
