#include "store/classifier/trainer.hpp"

#include <pthread.h>

#include <chrono>
#include <utility>
#include <vector>

#include "core/classifier/features.hpp"
#include "store/classifier/classifier_repository.hpp"

namespace vokter::store {

namespace {

constexpr int kJobsPerPass = 32;

core::TrainingDelta delta_of(const TrainingJob& job) {
    core::Submission s;
    s.name = job.name;
    s.email = job.email;
    s.website = job.website;
    s.body = job.body;
    const std::vector<std::uint64_t> hashes = core::extract_features(s).hashes();
    core::TrainingDelta delta;
    if (job.forget) delta.add(hashes, *job.forget, -1);
    if (job.learn) delta.add(hashes, *job.learn, +1);
    return delta;
}

}  // namespace

Trainer::Trainer(const std::string& path, Durability durability, Writer& writer,
                 core::LiveModel& model, int poll_ms)
    : db_(open_connection(path, durability)), writer_(writer), model_(model), poll_ms_(poll_ms) {
    reload();
    thread_ = std::thread([this] {
        pthread_setname_np(pthread_self(), "vokter-learn");
        loop();
    });
}

Trainer::~Trainer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Trainer::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

void Trainer::drain() {
    std::unique_lock lock(mutex_);
    // A pass under way may have read the outbox before the caller's jobs were committed: wait
    // for one that begins after this call and finds it empty.
    const std::uint64_t begun = passes_started_;
    woken_ = true;
    wake_.notify_all();
    idle_.wait(lock, [&] { return stopping_ || last_idle_pass_ > begun; });
}

std::uint64_t Trainer::jobs_applied() const {
    std::lock_guard lock(mutex_);
    return jobs_applied_;
}

std::uint64_t Trainer::commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
}

void Trainer::reload() {
    StoredModel stored = load_model(*db_);
    generation_ = stored.generation;
    model_.reset(std::move(stored.counts), stored.ham_messages, stored.spam_messages);
}

bool Trainer::pass() {
    std::vector<TrainingJob> jobs = pending_training(*db_, kJobsPerPass);
    db_->reset_statements();
    if (jobs.empty()) {
        if (model_generation(*db_) != generation_) reload();  // another process trained
        return false;
    }
    std::vector<core::TrainingDelta> deltas;
    deltas.reserve(jobs.size());
    for (const TrainingJob& job : jobs)
        deltas.push_back(delta_of(job));

    auto [applied, generation] = writer_.run([&](Connection& db) {
        core::TrainingDelta taken;
        std::uint64_t count = 0;
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            if (!take_training_job(db, jobs[i].id)) continue;
            taken.append(deltas[i]);
            ++count;
        }
        const std::int64_t gen = apply_training(db, taken);
        return std::pair{std::pair{std::move(taken), count}, gen};
    });
    if (generation == generation_ + 1) {
        model_.apply(applied.first);
        generation_ = generation;
    } else {
        reload();
    }
    std::lock_guard lock(mutex_);
    jobs_applied_ += applied.second;
    ++commits_;
    return true;
}

void Trainer::loop() {
    while (true) {
        std::uint64_t number;
        {
            std::lock_guard lock(mutex_);
            number = ++passes_started_;
            woken_ = false;  // this pass reads every job committed before now
        }
        bool more = false;
        try {
            more = pass();
        } catch (const std::exception&) {
            // A full disk or a locked database: the jobs stay in the outbox; try again later.
            more = false;
        }
        std::unique_lock lock(mutex_);
        if (!more) {
            last_idle_pass_ = number;
            idle_.notify_all();
        }
        if (stopping_) return;
        if (more) continue;
        wake_.wait_for(lock, std::chrono::milliseconds(poll_ms_),
                       [this] { return woken_ || stopping_; });
        if (stopping_) return;
    }
}

}  // namespace vokter::store
