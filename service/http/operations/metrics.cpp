#include "http/operations/metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace vokter::http {

namespace {

// Request latency bounds, seconds: a cached page answers in well under a millisecond, a durable
// post in a few, a moderator's 500-id decision in tens.
constexpr double kLatencyBounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                     0.1,    0.25,  0.5,    1,     2.5,  5,     10};

std::string number(double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

void escape_into(std::string& out, std::string_view value) {
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

}  // namespace

void MetricsText::family(std::string_view name, std::string_view type, std::string_view help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    for (const char c : help) {  // HELP escapes backslashes and line feeds only
        if (c == '\\') {
            text_ += "\\\\";
        } else if (c == '\n') {
            text_ += "\\n";
        } else {
            text_ += c;
        }
    }
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type;
    text_ += '\n';
}

void MetricsText::series(std::string_view name, Labels labels, std::string_view extra_label,
                         std::string_view extra_value) {
    text_ += name;
    if (labels.size() == 0 && extra_label.empty()) return;
    char separator = '{';
    for (const auto& [label, value] : labels) {
        text_ += separator;
        text_ += label;
        text_ += "=\"";
        escape_into(text_, value);
        text_ += '"';
        separator = ',';
    }
    if (!extra_label.empty()) {
        text_ += separator;
        text_ += extra_label;
        text_ += "=\"";
        text_ += extra_value;
        text_ += '"';
    }
    text_ += '}';
}

void MetricsText::sample(std::string_view name, Labels labels, double value) {
    series(name, labels, {}, {});
    text_ += ' ';
    text_ += number(value);
    text_ += '\n';
}

void MetricsText::sample(std::string_view name, Labels labels, std::uint64_t value) {
    series(name, labels, {}, {});
    text_ += ' ';
    text_ += std::to_string(value);
    text_ += '\n';
}

void MetricsText::histogram(std::string_view name, Labels labels,
                            const store::HistogramSnapshot& h) {
    const std::string bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        cumulative += h.counts[i];
        series(bucket, labels, "le", i < h.bounds.size() ? number(h.bounds[i]) : "+Inf");
        text_ += ' ' + std::to_string(cumulative) + '\n';
    }
    sample(std::string(name) + "_sum", labels, h.sum);
    sample(std::string(name) + "_count", labels, cumulative);
}

std::string route_label(std::string_view pattern) {
    std::string label;
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern.substr(i).starts_with(R"((\d+))")) {
            label += "{id}";
            i += 5;
        } else if (pattern.substr(i).starts_with(".*")) {
            label += '*';
            i += 2;
        } else if (pattern[i] == '\\' && i + 1 < pattern.size()) {  // "\." is a dot
            label += pattern[i + 1];
            i += 2;
        } else {
            label += pattern[i++];
        }
    }
    return label;
}

RequestMetrics::Route::Route(RouteName n) : name(std::move(n)), latency(kLatencyBounds) {}

RequestMetrics::RequestMetrics() {
    add("", "unmatched");
    add("", "refused");
}

std::size_t RequestMetrics::add(std::string method, std::string route) {
    routes_.push_back(std::make_unique<Route>(RouteName{std::move(method), std::move(route)}));
    return routes_.size() - 1;
}

void RequestMetrics::observe(std::size_t index, int status, double seconds) {
    Route& route = *routes_[std::min(index, routes_.size() - 1)];
    const auto at = static_cast<std::size_t>(std::clamp(status, 100, 599) - 100);
    route.by_status[at].fetch_add(1, std::memory_order_relaxed);
    if (seconds >= 0) route.latency.observe(seconds);
}

std::vector<RouteName> RequestMetrics::routes() const {
    std::vector<RouteName> names;
    for (std::size_t i = kRefused + 1; i < routes_.size(); ++i)
        names.push_back(routes_[i]->name);
    return names;
}

void RequestMetrics::write(MetricsText& out) const {
    // Only the series that have happened: a route never asked for adds no lines.
    out.family("vokter_http_responses_total", "counter",
               "Answers by route (the router's pattern; \"unmatched\" when none matched, "
               "\"refused\" when the connection layer refused the request before routing), "
               "method and status.");
    for (const auto& route : routes_) {
        for (std::size_t i = 0; i < route->by_status.size(); ++i) {
            const std::uint64_t n = route->by_status[i].load(std::memory_order_relaxed);
            if (n == 0) continue;
            const std::string status = std::to_string(i + 100);
            out.sample(
                "vokter_http_responses_total",
                {{"route", route->name.route}, {"method", route->name.method}, {"status", status}},
                n);
        }
    }
    out.family("vokter_http_request_duration_seconds", "histogram",
               "Time from routing a request to its answer, by route and method.");
    for (const auto& route : routes_) {
        const store::HistogramSnapshot latency = route->latency.snapshot();
        if (latency.count == 0) continue;
        out.histogram("vokter_http_request_duration_seconds",
                      {{"route", route->name.route}, {"method", route->name.method}}, latency);
    }
}

void VerdictMetrics::record(std::string_view api, const core::Verdict& verdict,
                            const core::RulesetPtr& ruleset) {
    const auto api_at =
        static_cast<std::size_t>(std::find(kApis.begin(), kApis.end(), api) - kApis.begin());
    if (api_at < kApis.size()) {
        verdicts_[api_at][static_cast<std::size_t>(verdict.action)].fetch_add(
            1, std::memory_order_relaxed);
    }
    std::lock_guard lock(mutex_);
    for (const core::Hit& hit : verdict.hits) {
        auto found = hits_.find(hit.rule);
        if (found != hits_.end()) {
            ++found->second;
        } else if (hits_.size() < kMaxRuleIds) {
            hits_.emplace(hit.rule, 1);
        } else {
            ++other_hits_;
        }
    }
    if (!ruleset || ruleset->version() != verdict.ruleset_version) return;
    if (ruleset != classified_) {
        classified_ = ruleset;
        classifier_ids_.clear();
        for (const core::RuleSummary& rule : ruleset->rules()) {
            if (rule.kind == "classifier" && rule.enabled) classifier_ids_.push_back(rule.id);
        }
    }
    for (const std::string& id : classifier_ids_) {
        const auto hit = std::find_if(verdict.hits.begin(), verdict.hits.end(),
                                      [&](const core::Hit& h) { return h.rule == id; });
        const std::size_t decision = hit == verdict.hits.end() ? 3
                                     : hit->score > 0          ? 0
                                     : hit->score < 0          ? 1
                                                               : 2;
        decisions_[decision].fetch_add(1, std::memory_order_relaxed);
    }
}

void VerdictMetrics::write(MetricsText& out) const {
    out.family("vokter_verdicts_total", "counter",
               "Verdicts the rules gave, by API (comments, isso, akismet) and action (approve, "
               "hold, spam).");
    for (std::size_t api = 0; api < kApis.size(); ++api) {
        for (const core::Action action :
             {core::Action::approve, core::Action::hold, core::Action::spam}) {
            out.sample(
                "vokter_verdicts_total", {{"api", kApis[api]}, {"action", core::to_string(action)}},
                verdicts_[api][static_cast<std::size_t>(action)].load(std::memory_order_relaxed));
        }
    }
    out.family("vokter_classifier_decisions_total", "counter",
               "What the classifier heuristic said of each verdict it took part in: toward spam "
               "(a positive score), toward ham (a negative one), neutral (a band scoring 0), or "
               "abstained (not yet learned enough, or below every band).");
    for (std::size_t i = 0; i < kDecisions.size(); ++i) {
        out.sample("vokter_classifier_decisions_total", {{"decision", kDecisions[i]}},
                   decisions_[i].load(std::memory_order_relaxed));
    }
    std::vector<std::pair<std::string, std::uint64_t>> hits;
    std::uint64_t other = 0;
    {
        std::lock_guard lock(mutex_);
        hits.assign(hits_.begin(), hits_.end());
        other = other_hits_;
    }
    std::sort(hits.begin(), hits.end());
    if (other > 0) hits.emplace_back("other", other);
    out.family("vokter_rule_hits_total", "counter",
               "Hits of each rule and heuristic, by id (ids of every rule file loaded since the "
               "start; beyond 1000 distinct ids, \"other\").");
    for (const auto& [rule, n] : hits)
        out.sample("vokter_rule_hits_total", {{"rule", rule}}, n);
}

void write_process_metrics(MetricsText& out) {
    const long page = sysconf(_SC_PAGESIZE);
    const long ticks = sysconf(_SC_CLK_TCK);
    std::uint64_t virtual_pages = 0;
    std::uint64_t resident_pages = 0;
    std::ifstream("/proc/self/statm") >> virtual_pages >> resident_pages;

    // /proc/self/stat: the fields after the command's closing parenthesis, the state first
    // (field 3); threads are field 20, the start time (ticks after boot) field 22.
    std::uint64_t threads = 0;
    std::uint64_t started_ticks = 0;
    {
        std::ifstream stat("/proc/self/stat");
        const std::string line((std::istreambuf_iterator<char>(stat)),
                               std::istreambuf_iterator<char>());
        std::istringstream fields(line.substr(std::min(line.size(), line.rfind(')') + 1)));
        std::string field;
        for (int number_of = 3; fields >> field; ++number_of) {
            if (number_of == 20) threads = std::strtoull(field.c_str(), nullptr, 10);
            if (number_of == 22) {
                started_ticks = std::strtoull(field.c_str(), nullptr, 10);
                break;
            }
        }
    }
    std::uint64_t boot_time = 0;
    {
        std::ifstream stat("/proc/stat");
        std::string key;
        while (stat >> key) {
            if (key == "btime") {
                stat >> boot_time;
                break;
            }
            stat.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
        }
    }
    std::uint64_t open_fds = 0;
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error))
        ++open_fds;
    struct rlimit files {};
    getrlimit(RLIMIT_NOFILE, &files);
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;

    out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out.sample("process_resident_memory_bytes", {},
               resident_pages * static_cast<std::uint64_t>(page));
    out.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
    out.sample("process_virtual_memory_bytes", {},
               virtual_pages * static_cast<std::uint64_t>(page));
    out.family("process_cpu_seconds_total", "counter", "User and system CPU time spent.");
    out.sample("process_cpu_seconds_total", {}, cpu);
    out.family("process_threads", "gauge", "Threads of the process.");
    out.sample("process_threads", {}, threads);
    out.family("process_open_fds", "gauge", "Open file descriptors.");
    out.sample("process_open_fds", {}, open_fds);
    out.family("process_max_fds", "gauge", "The limit of open file descriptors.");
    out.sample("process_max_fds", {}, static_cast<std::uint64_t>(files.rlim_cur));
    out.family("process_start_time_seconds", "gauge",
               "Start time of the process since the Unix epoch, in seconds.");
    out.sample("process_start_time_seconds", {},
               static_cast<double>(boot_time) +
                   static_cast<double>(started_ticks) / static_cast<double>(ticks));
}

}  // namespace vokter::http
