// Handlers for operators: GET /healthz and GET /metrics.

#include <malloc.h>

#include <chrono>
#include <cmath>

#include "http/operations/metrics.hpp"
#include "http/server_impl.hpp"
#include "store/classifier/classifier_repository.hpp"
#include "store/migrations.hpp"
#include "store/moderation_stats.hpp"
#include "store/notifications.hpp"

namespace vokter::http {

void Server::Impl::handle_health(const httplib::Request&, httplib::Response& res) {
    const RulesStatus status = rules_status();
    int schema = 0;
    std::string backend;
    const auto asked = std::chrono::steady_clock::now();
    {
        auto db = store.read();
        schema = store::schema_version(*db);
        backend = db->dialect() == store::Dialect::postgresql ? "postgresql" : "sqlite";
    }
    // A round trip to the database, a lease from the pool included: a few microseconds on
    // SQLite, a network's and a server's time on PostgreSQL.
    const double latency_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - asked).count();
    // Not writable (a full disk, a lock, …): 503, so that `vokter healthcheck` and container
    // health checks see it; reads still work and are still answered.
    const store::WriteHealth write = store.write_health();
    nlohmann::json doc = {{"status", write.writable ? "ok" : "degraded"},
                          {"schema_version", schema},
                          {"ruleset_version", status.version},
                          {"store", backend},
                          {"store_latency_ms", std::round(latency_ms * 1000) / 1000},
                          {"store_writable", write.writable}};
    if (!write.writable) doc["store_error"] = write.error;
    if (!status.last_error.empty()) doc["rules_error"] = status.last_error;
    res.set_header("Cache-Control", "no-store");
    if (!write.writable) res.set_header("Retry-After", "5");
    send_json(res, write.writable ? 200 : 503, doc);
}

namespace {

void write_http_metrics(MetricsText& out, const Metrics& metrics, const RequestMetrics& requests,
                        std::size_t open_connections) {
    out.family("vokter_http_requests_total", "counter", "HTTP requests received.");
    out.sample("vokter_http_requests_total", {}, metrics.requests.load());
    out.family("vokter_http_client_errors_total", "counter", "Responses with a 4xx status.");
    out.sample("vokter_http_client_errors_total", {}, metrics.responses_4xx.load());
    out.family("vokter_http_server_errors_total", "counter", "Responses with a 5xx status.");
    out.sample("vokter_http_server_errors_total", {}, metrics.responses_5xx.load());
    out.family("vokter_http_refused_total", "counter",
               "Requests and connections refused before routing (framing, limits, deadlines).");
    out.sample("vokter_http_refused_total", {}, metrics.refused.load());
    out.family("vokter_http_connections_open", "gauge", "Client connections open.");
    out.sample("vokter_http_connections_open", {}, static_cast<std::uint64_t>(open_connections));
    requests.write(out);
}

void write_writer_metrics(MetricsText& out, store::Store& store) {
    store::Writer& writer = store.writer();
    out.family("vokter_store_commits_total", "counter",
               "Write transactions committed (group commits).");
    out.sample("vokter_store_commits_total", {}, writer.commits());
    const store::WriterTimings t = writer.timings();
    out.family("vokter_store_batches_total", "counter", "Transactions the writer ran its jobs in.");
    out.sample("vokter_store_batches_total", {}, t.batches);
    out.family("vokter_store_syncs_total", "counter",
               "fsyncs of the WAL that made commits durable (several batches may share one).");
    out.sample("vokter_store_syncs_total", {}, t.syncs);
    out.family("vokter_store_batch_jobs_total", "counter",
               "Jobs those transactions held (a posted comment is one): jobs / batches is the "
               "mean batch.");
    out.sample("vokter_store_batch_jobs_total", {}, t.jobs);
    out.family("vokter_store_conflicts_total", "counter",
               "Batches run again because the database aborted them for another session's sake "
               "(a deadlock or a serialization failure between replicas on PostgreSQL).");
    out.sample("vokter_store_conflicts_total", {}, t.conflicts);
    out.family("vokter_store_writer_seconds_total", "counter",
               "Where the writer's time goes: jobs waiting for a batch (summed over jobs), running "
               "a batch's statements, its COMMIT, the WAL's fsync that makes commits durable (on "
               "a thread of its own), the writer's own WAL checkpoints, and all its busy time.");
    for (const auto& [phase, us] : {std::pair{"queue_wait", t.queue_wait_us},
                                    {"statements", t.statements_us},
                                    {"commit", t.commit_us},
                                    {"sync", t.sync_us},
                                    {"checkpoint", t.checkpoint_us},
                                    {"busy", t.busy_us}}) {
        out.sample("vokter_store_writer_seconds_total", {{"phase", phase}},
                   static_cast<double>(us) / 1e6);
    }
    out.family("vokter_store_batch_size", "histogram",
               "Jobs per write transaction (a posted comment is one job).");
    out.histogram("vokter_store_batch_size", {}, writer.batch_sizes());
    out.family("vokter_store_commit_duration_seconds", "histogram",
               "Time from a batch's COMMIT until its jobs are durable and answered (the WAL's "
               "fsync included).");
    out.histogram("vokter_store_commit_duration_seconds", {}, writer.commit_latency());
    if (const auto files = store.file_sizes()) {
        out.family("vokter_store_file_bytes", "gauge",
                   "Size of the SQLite database file and of its write-ahead log.");
        out.sample("vokter_store_file_bytes", {{"file", "database"}}, files->database);
        out.sample("vokter_store_file_bytes", {{"file", "wal"}}, files->wal);
    }
    out.family("vokter_store_page_cache_bytes", "gauge",
               "SQLite page cache memory: the writer's and the idle read connections'.");
    out.sample("vokter_store_page_cache_bytes", {{"connection", "writer"}},
               static_cast<std::uint64_t>(writer.page_cache_bytes()));
    out.sample("vokter_store_page_cache_bytes", {{"connection", "readers"}},
               static_cast<std::uint64_t>(store.reader_page_cache_bytes()));
}

// Seconds from `created` (Unix ms) to `now`; 0 when there is nothing (or a clock went back).
double age_seconds(const std::optional<std::int64_t>& created, std::int64_t now) {
    return created ? static_cast<double>(std::max<std::int64_t>(0, now - *created)) / 1000.0 : 0.0;
}

void write_queue_and_classifier_metrics(MetricsText& out, store::Store& store, std::int64_t now) {
    store::QueueFigures queue;
    store::OutboxFigures outbox;
    std::int64_t training_pending = 0;
    {
        auto db = store.read();
        queue = store::queue_figures(*db);
        training_pending = store::pending_training_count(*db);
        outbox = store::outbox_figures(*db);
    }
    out.family("vokter_outbox_deliveries", "gauge",
               "Notification deliveries by state: pending (not yet acknowledged; failing ones "
               "included), failing (failed at least once, retried) and abandoned (retried for 24 "
               "hours in vain, kept 7 days).");
    out.sample("vokter_outbox_deliveries", {{"state", "pending"}},
               static_cast<std::uint64_t>(outbox.pending));
    out.sample("vokter_outbox_deliveries", {{"state", "failing"}},
               static_cast<std::uint64_t>(outbox.failing));
    out.sample("vokter_outbox_deliveries", {{"state", "abandoned"}},
               static_cast<std::uint64_t>(outbox.abandoned));
    out.family("vokter_outbox_oldest_pending_age_seconds", "gauge",
               "Age of the oldest event with a delivery pending; 0 when none is.");
    out.sample("vokter_outbox_oldest_pending_age_seconds", {},
               age_seconds(outbox.oldest_pending_created, now));
    out.family("vokter_comments", "gauge",
               "Comments stored now, by status (pending ones wait in the moderators' queue).");
    for (const auto& [status, n] : queue.by_status)
        out.sample("vokter_comments", {{"status", status}}, static_cast<std::uint64_t>(n));
    out.family("vokter_queue_oldest_pending_age_seconds", "gauge",
               "Age of the oldest comment waiting for a moderator; 0 when none waits.");
    out.sample("vokter_queue_oldest_pending_age_seconds", {},
               age_seconds(queue.oldest_pending_created, now));

    const core::ModelPtr model = store.classifier().current();
    out.family("vokter_classifier_learned", "gauge",
               "Comments the classifier has learned, by label.");
    out.sample("vokter_classifier_learned", {{"label", "ham"}},
               static_cast<std::uint64_t>(model->ham_messages()));
    out.sample("vokter_classifier_learned", {{"label", "spam"}},
               static_cast<std::uint64_t>(model->spam_messages()));
    out.family("vokter_classifier_features", "gauge", "Features the classifier has counts for.");
    out.sample("vokter_classifier_features", {}, static_cast<std::uint64_t>(model->features()));
    out.family("vokter_classifier_model_bytes", "gauge",
               "Memory of the classifier's count tables.");
    out.sample("vokter_classifier_model_bytes", {},
               static_cast<std::uint64_t>(model->memory_bytes()));
    out.family("vokter_classifier_training_pending", "gauge",
               "Training jobs not yet applied to the model.");
    out.sample("vokter_classifier_training_pending", {},
               static_cast<std::uint64_t>(training_pending));
}

}  // namespace

void Server::Impl::handle_metrics(const httplib::Request&, httplib::Response& res) {
    MetricsText out;
    write_http_metrics(out, metrics, requests, http.open_connections());
    out.family("vokter_comments_total", "counter",
               "Comments stored through the comment and Isso APIs since the start, by the "
               "status their verdict gave.");
    out.sample("vokter_comments_total", {{"status", "approved"}}, metrics.comments_approved.load());
    out.sample("vokter_comments_total", {{"status", "pending"}}, metrics.comments_pending.load());
    out.sample("vokter_comments_total", {{"status", "spam"}}, metrics.comments_spam.load());
    verdicts.write(out);
    const RulesStatus rules_now = rules_status();
    out.family("vokter_rules_reload_failures_total", "counter",
               "Rule file reloads refused since the start (the rules in force stayed).");
    out.sample("vokter_rules_reload_failures_total", {}, rules_now.reload_failures);
    out.family("vokter_rules_last_reload_failed", "gauge",
               "1 while the last reload of the rule file was refused, else 0.");
    out.sample("vokter_rules_last_reload_failed", {},
               std::uint64_t{rules_now.last_error.empty() ? 0u : 1u});
    write_queue_and_classifier_metrics(out, store, now_ms());
    write_writer_metrics(out, store);
    // The allocator's view (glibc mallinfo2): memory in use by the process's data, and memory
    // freed but still held. Resident memory that grows with `in_use` is data (a cache filling,
    // or a leak); growth in `free` only is the allocator keeping freed memory.
    const struct mallinfo2 heap = mallinfo2();
    out.family("vokter_heap_bytes", "gauge",
               "Heap memory by state: in use (small blocks and mmap'ed large ones) or freed and "
               "held by the allocator.");
    out.sample("vokter_heap_bytes", {{"state", "in_use"}},
               static_cast<std::uint64_t>(heap.uordblks + heap.hblkhd));
    out.sample("vokter_heap_bytes", {{"state", "free"}}, static_cast<std::uint64_t>(heap.fordblks));
    write_process_metrics(out);
    res.set_header("Cache-Control", "no-store");
    res.set_content(out.text(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace vokter::http
