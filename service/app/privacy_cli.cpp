#include "app/privacy_cli.hpp"

#include <chrono>
#include <ostream>

#include "http/moderation/moderation_codecs.hpp"
#include "store/personal_data.hpp"

namespace vokter::app {

namespace {

constexpr const char* kOperator = "cli";  // the moderation log's name for the command line

std::string counted(std::int64_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string describe(const store::RetentionReport& report) {
    std::string text;
    const auto add = [&text](const std::string& part) {
        text += (text.empty() ? "" : ", ") + part;
    };
    if (report.addresses + report.reports > 0) {
        add(counted(report.addresses + report.reports, "address", "addresses") + " cut (" +
            counted(report.addresses, "comment", "comments") + ", " +
            counted(report.reports, "Akismet report", "Akismet reports") + ")");
    }
    if (report.deleted > 0)
        add(counted(report.deleted, "spam or rejected comment", "spam and rejected comments") +
            " deleted");
    if (report.tombstoned > 0) {
        add(counted(report.tombstoned, "spam or rejected comment", "spam and rejected comments") +
            " kept as " + (report.tombstoned == 1 ? "a tombstone" : "tombstones") +
            " (a reply, the audit log or an Akismet report points at " +
            (report.tombstoned == 1 ? "it)" : "them)"));
    }
    if (text.empty()) text = "nothing past its retention period";
    if (!report.error.empty()) {
        text += "; stopped: " + report.error;
    } else if (!report.complete) {
        text += "; stopped before the end (the next pass goes on from there)";
    }
    return text;
}

int run_purge(store::Store& store, const store::RetentionPolicy& policy, bool dry_run,
              std::int64_t now_ms, std::ostream& out, std::ostream& err) {
    out << "retention: IP addresses and user agents " << policy.address_days
        << " days, spam and rejected comments " << policy.spam_days << " days\n";
    if (dry_run) {
        auto db = store.read();
        out << "would do: " << describe(store::retention_due(*db, policy, now_ms)) << "\n";
        return 0;
    }
    store::RetentionReport report;
    try {
        report = store::apply_retention(store, policy, now_ms, store::kRetentionPause);
    } catch (const store::StoreError& e) {
        err << "vokter: purge stopped: " << e.what() << "\n";
        return 1;
    }
    out << "done: " << describe(report) << "\n";
    return 0;
}

int run_privacy_export(store::Store& store, const std::string& email, std::int64_t now_ms,
                       std::ostream& out, std::ostream& err) {
    store::PersonalData data;
    {
        auto db = store.read();
        data = store::personal_data(*db, email);
    }
    if (data.empty()) {
        err << "vokter: no comment or Akismet report holds the address " << email << "\n";
        return 1;
    }
    store.writer().run([&](store::Connection& db) {
        store::log_personal_data_export(db, data, kOperator, now_ms);
    });
    out << http::personal_data_json(data, email, now_ms).dump(2) << "\n";
    return 0;
}

int run_privacy_erase(store::Store& store, const std::string& email, bool bodies,
                      std::int64_t now_ms, std::ostream& out, std::ostream& err) {
    const store::Erasure erased = store.writer().run([&](store::Connection& db) {
        return store::erase_personal_data(db, email, bodies, kOperator, now_ms);
    });
    if (erased.empty()) {
        err << "vokter: no comment or Akismet report holds the address " << email
            << "; nothing was erased\n";
        return 1;
    }
    out << "erased " << (bodies ? "the personal data and text" : "the personal data") << " of "
        << counted(erased.comments, "comment", "comments") << " and "
        << counted(erased.reports, "Akismet report", "Akismet reports");
    if (erased.training > 0)
        out << " (and " << counted(erased.training, "training job", "training jobs")
            << " not yet applied)";
    out << "; the moderation log records it without the address\n";
    return 0;
}

}  // namespace vokter::app
