// The /metrics building blocks: route labels from router patterns, Prometheus's text format,
// histograms and the bounded rule-id labels.

#include <doctest/doctest.h>

#include "core/rule_set.hpp"
#include "http/operations/metrics.hpp"

using vokter::http::MetricsText;
using vokter::http::RequestMetrics;
using vokter::http::route_label;
using vokter::http::VerdictMetrics;

TEST_CASE("a route's label is its pattern with ids and wildcards named, never a path") {
    CHECK(route_label(R"(/api/comments/(\d+))") == "/api/comments/{id}");
    CHECK(route_label(R"(/isso/id/(\d+))") == "/isso/id/{id}");
    CHECK(route_label(R"(/api/.*)") == "/api/*");
    CHECK(route_label(R"(/widget\.js)") == "/widget.js");
    CHECK(route_label("/api/counts") == "/api/counts");
}

TEST_CASE("label values are escaped; HELP escapes backslashes and line feeds") {
    MetricsText out;
    out.family("vokter_x_total", "counter", "A \\ line\nand more.");
    out.sample("vokter_x_total", {{"rule", "A\"B\\C\nD"}}, std::uint64_t{3});
    CHECK(out.text() ==
          "# HELP vokter_x_total A \\\\ line\\nand more.\n# TYPE vokter_x_total counter\n"
          "vokter_x_total{rule=\"A\\\"B\\\\C\\nD\"} 3\n");
}

TEST_CASE("a histogram is written with cumulative buckets, +Inf, sum and count") {
    static constexpr double bounds[] = {0.5, 1, 2};
    vokter::store::Histogram h(bounds);
    for (const double value : {0.1, 0.5, 0.7, 3.0, 9.0})
        h.observe(value);
    MetricsText out;
    out.histogram("vokter_h", {{"route", "/a"}}, h.snapshot());
    CHECK(out.text() ==
          "vokter_h_bucket{route=\"/a\",le=\"0.5\"} 2\n"
          "vokter_h_bucket{route=\"/a\",le=\"1\"} 3\n"
          "vokter_h_bucket{route=\"/a\",le=\"2\"} 3\n"
          "vokter_h_bucket{route=\"/a\",le=\"+Inf\"} 5\n"
          "vokter_h_sum{route=\"/a\"} 13.3\n"
          "vokter_h_count{route=\"/a\"} 5\n");
}

TEST_CASE("requests count by route and status; an unknown index counts on the last route") {
    RequestMetrics requests;
    const std::size_t posts = requests.add("POST", "/api/comments");
    requests.observe(posts, 201, 0.002);
    requests.observe(posts, 201, 0.004);
    requests.observe(RequestMetrics::kRefused, 431, -1);
    MetricsText out;
    requests.write(out);
    const std::string& text = out.text();
    CHECK(text.find("vokter_http_responses_total{route=\"/api/comments\",method=\"POST\","
                    "status=\"201\"} 2\n") != std::string::npos);
    CHECK(text.find("vokter_http_responses_total{route=\"refused\",method=\"\",status=\"431\"} "
                    "1\n") != std::string::npos);
    CHECK(text.find("vokter_http_request_duration_seconds_count{route=\"/api/comments\","
                    "method=\"POST\"} 2\n") != std::string::npos);
    // A refusal has no latency: no histogram for it.
    CHECK(text.find("duration_seconds_count{route=\"refused\"") == std::string::npos);
    REQUIRE(requests.routes().size() == 1);
    CHECK(requests.routes()[0].route == "/api/comments");
}

TEST_CASE("rule ids beyond the bound count as other") {
    VerdictMetrics verdicts;
    vokter::core::Verdict verdict;
    verdict.action = vokter::core::Action::hold;
    for (std::size_t i = 0; i < VerdictMetrics::kMaxRuleIds + 5; ++i)
        verdict.hits.push_back({"RULE_" + std::to_string(i), 1.0, "body", ""});
    verdicts.record("comments", verdict, nullptr);
    MetricsText out;
    verdicts.write(out);
    const std::string& text = out.text();
    CHECK(text.find("vokter_rule_hits_total{rule=\"other\"} 5\n") != std::string::npos);
    CHECK(text.find("vokter_verdicts_total{api=\"comments\",action=\"hold\"} 1\n") !=
          std::string::npos);
    // Without the ruleset the classifier's part is not known: no decision counted.
    CHECK(text.find("vokter_classifier_decisions_total{decision=\"abstained\"} 0\n") !=
          std::string::npos);
}
