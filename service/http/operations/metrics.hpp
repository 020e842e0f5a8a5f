#pragma once
// The figures /metrics shows (operations/metrics_handler.cpp), kept by the request threads:
// answers and latency per route, verdicts, rule hits and the classifier's decisions, and the
// process's own resources. Every label value comes from a bounded set: a route's pattern (never
// the path asked for), a status code, a verdict's action, a rule id of the rule files loaded
// (kMaxRuleIds at most). Written in Prometheus's text format by MetricsText.

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/rule_set.hpp"
#include "core/verdict.hpp"
#include "store/histogram.hpp"

namespace vokter::http {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Prometheus's text exposition format, version 0.0.4: each family's HELP and TYPE once, then
// its samples; label values escaped.
class MetricsText {
  public:
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, Labels labels, double value);
    void sample(std::string_view name, Labels labels, std::uint64_t value);
    // A histogram's series: cumulative `_bucket`s (le="+Inf" last), `_sum` and `_count`.
    void histogram(std::string_view name, Labels labels, const store::HistogramSnapshot& h);
    const std::string& text() const { return text_; }

  private:
    void series(std::string_view name, Labels labels, std::string_view extra_label,
                std::string_view extra_value);
    std::string text_;
};

// A route the router answers, as the metrics name it: its method and its pattern with each
// number group written {id} ("/api/comments/{id}").
struct RouteName {
    std::string method;
    std::string route;
};

// Turns a router pattern into a RouteName's route: "(\d+)" becomes "{id}", ".*" becomes "*",
// an escaped character itself ("\." a dot).
std::string route_label(std::string_view pattern);

class RequestMetrics {
  public:
    // Two routes that are not the router's: requests no route matched, and requests the
    // connection layer refused before routing (framing, limits, deadlines).
    static constexpr std::size_t kUnmatched = 0;
    static constexpr std::size_t kRefused = 1;

    RequestMetrics();
    RequestMetrics(const RequestMetrics&) = delete;
    RequestMetrics& operator=(const RequestMetrics&) = delete;

    // Adds a route before serving begins (not thread-safe) and returns its index.
    std::size_t add(std::string method, std::string route);
    // An answer with `status` on route `index`, `seconds` after routing began (refusals have
    // no latency: pass a negative value). Thread-safe.
    void observe(std::size_t index, int status, double seconds);
    // The routes added, in order (the two above not included).
    std::vector<RouteName> routes() const;
    void write(MetricsText& out) const;

  private:
    struct Route {
        RouteName name;
        std::array<std::atomic<std::uint64_t>, 500> by_status{};  // statuses 100 to 599
        store::Histogram latency;
        explicit Route(RouteName n);
    };
    std::vector<std::unique_ptr<Route>> routes_;
};

// Verdicts by API and action, rule and heuristic hits by id, and what the classifier decided.
class VerdictMetrics {
  public:
    // Rule ids beyond this many distinct ones count under rule="other" (a rule file is not
    // expected to have that many; the bound keeps the series finite whatever is loaded).
    static constexpr std::size_t kMaxRuleIds = 1000;

    // A verdict given on `api` ("comments", "isso" or "akismet") by `ruleset`, the ruleset
    // in force when it was given (its classifier heuristics tell which hits were the
    // classifier's; skipped when null or of another version). Thread-safe.
    void record(std::string_view api, const core::Verdict& verdict,
                const core::RulesetPtr& ruleset);
    void write(MetricsText& out) const;

  private:
    static constexpr std::array<std::string_view, 3> kApis = {"comments", "isso", "akismet"};
    static constexpr std::array<std::string_view, 4> kDecisions = {"spam", "ham", "neutral",
                                                                   "abstained"};
    std::array<std::array<std::atomic<std::uint64_t>, 3>, kApis.size()> verdicts_{};
    std::array<std::atomic<std::uint64_t>, kDecisions.size()> decisions_{};
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::uint64_t> hits_;  // guarded by mutex_
    std::uint64_t other_hits_ = 0;                         // guarded by mutex_
    core::RulesetPtr classified_;                          // the ruleset classifier_ids_ are of
    std::vector<std::string> classifier_ids_;              // its enabled classifier heuristics
};

// The process's resources from /proc/self and getrusage(): resident and virtual memory, CPU
// time, threads, open and allowed file descriptors, start time (process_* series).
void write_process_metrics(MetricsText& out);

}  // namespace vokter::http
