#pragma once
// SQL for the learned classifier: the durable counts, the training outbox, and what each stored
// comment has taught. Writers run inside Writer::run(); readers take Store::read(). See
// schema/sqlite/0006_classifier.sql for the tables and the learning loop.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/classifier/model.hpp"
#include "store/database.hpp"

namespace vokter::store {

std::string_view to_string(core::Label label);                 // "ham", "spam"
std::optional<core::Label> label_from(std::string_view text);  // inverse; empty otherwise

// Training to apply: unlearn `forget` and learn `learn` from this text (either may be empty).
struct TrainingJob {
    std::int64_t id = 0;  // its outbox row; ignored by enqueue_training
    std::optional<std::int64_t> comment_id;
    std::optional<core::Label> forget;
    std::optional<core::Label> learn;
    std::string name, email, website, body;
    std::int64_t created = 0;
};

// Writes a job to the outbox. Inside Writer::run, in the transaction of the change it follows
// from, so the training is as durable as the decision.
void enqueue_training(Connection& db, const TrainingJob& job);

// Makes comment `id` teach `label` (ham or spam): when it taught something else before, that is
// unlearned and the new label learned, from the comment's text as stored now. Records the label
// on the comment. Returns true when a job was enqueued (false: it already taught `label`, or the
// comment does not exist). Inside Writer::run.
bool relabel_comment(Connection& db, std::int64_t id, core::Label label, std::int64_t now_ms);

// Before a comment's text changes (an author's edit): unlearns what it taught from its current
// text and records that it teaches nothing. Returns true when a job was enqueued.
bool forget_comment(Connection& db, std::int64_t id, std::int64_t now_ms);

// What comment `id` has taught; empty for nothing or no such comment.
std::optional<core::Label> trained_label(Connection& db, std::int64_t id);

// Up to `limit` outbox jobs, oldest first.
std::vector<TrainingJob> pending_training(Connection& db, int limit);
std::int64_t pending_training_count(Connection& db);

// Removes job `id` from the outbox; false when it was already gone (another process applied it),
// in which case its delta must not be applied.
bool take_training_job(Connection& db, std::int64_t id);

// Adds `delta` (compacted) to the durable counts, deleting features whose counts both reach 0,
// and bumps the generation. Returns the new generation. Inside Writer::run.
std::int64_t apply_training(Connection& db, const core::TrainingDelta& delta);

// Every count, for the in-memory model at start-up.
struct StoredModel {
    core::CountTable counts;
    std::uint32_t ham_messages = 0;
    std::uint32_t spam_messages = 0;
    std::int64_t generation = 0;
};
StoredModel load_model(Connection& db);

std::int64_t model_generation(Connection& db);

}  // namespace vokter::store
