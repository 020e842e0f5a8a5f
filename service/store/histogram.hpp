#pragma once
// A histogram with fixed bucket bounds, counted with atomics: any thread observes, any thread
// reads a snapshot. The writer's batch sizes and commit latency keep one each, the HTTP layer
// one per route; /metrics shows them in Prometheus's histogram form (cumulative buckets, a sum
// and a count). Neither copyable nor movable: keep it in place, or behind a pointer.

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace vokter::store {

struct HistogramSnapshot {
    std::vector<double> bounds;         // upper bounds, rising; +Inf is implied after the last
    std::vector<std::uint64_t> counts;  // per bucket, not cumulative: bounds.size() + 1 of them
    double sum = 0.0;
    std::uint64_t count = 0;
};

class Histogram {
  public:
    // `bounds` must rise strictly and outlive the histogram (a static array).
    explicit Histogram(std::span<const double> bounds)
        : bounds_(bounds),
          counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}
    Histogram(const Histogram&) = delete;
    Histogram& operator=(const Histogram&) = delete;

    void observe(double value) {
        std::size_t bucket = 0;
        while (bucket < bounds_.size() && value > bounds_[bucket])
            ++bucket;
        counts_[bucket].fetch_add(1, std::memory_order_relaxed);
        sum_.fetch_add(value, std::memory_order_relaxed);
    }

    // The buckets, sum and count as of now (each read on its own: a snapshot taken while others
    // observe may be off by the observations in flight, never more).
    HistogramSnapshot snapshot() const {
        HistogramSnapshot s;
        s.bounds.assign(bounds_.begin(), bounds_.end());
        for (std::size_t i = 0; i <= bounds_.size(); ++i) {
            s.counts.push_back(counts_[i].load(std::memory_order_relaxed));
            s.count += s.counts.back();
        }
        s.sum = sum_.load(std::memory_order_relaxed);
        return s;
    }

  private:
    std::span<const double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
    std::atomic<double> sum_{0.0};
};

}  // namespace vokter::store
