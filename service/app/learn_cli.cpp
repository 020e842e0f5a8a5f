#include "app/learn_cli.hpp"

#include <ostream>

#include "http/log.hpp"
#include "store/classifier/classifier_repository.hpp"

namespace vokter::app {

namespace {

constexpr std::size_t kRowsPerTransaction = 500;

}  // namespace

void add_labelled_csv_flags(CLI::App& command, LabelledCsvOptions& csv) {
    const auto column = [&](const char* flag, std::string& target, const char* what) {
        command.add_option(flag, target,
                           std::string("Column of the ") + what +
                               " (default: recognised from the header; - for none)");
    };
    column("--body-column", csv.body_column, "comment text");
    column("--name-column", csv.name_column, "author name");
    column("--email-column", csv.email_column, "author e-mail");
    column("--website-column", csv.website_column, "author website");
    column("--title-column", csv.title_column, "post title");
    column("--date-column", csv.date_column, "date (ISO 8601)");
    column("--label-column", csv.label_column, "label (when none is recognised: the last column)");
    command
        .add_option("--spam-label", csv.spam_labels,
                    "Label meaning spam, any case (repeatable; default 1 and spam)")
        ->capture_default_str();
    command
        .add_option("--ham-label", csv.ham_labels,
                    "Label meaning ham, any case (repeatable; default 0 and ham)")
        ->capture_default_str();
}

int run_learn(store::Store& store, const LearnOptions& options, std::ostream& out,
              std::ostream& err) {
    if (options.csv_files.empty()) {
        err << "vokter learn: give at least one --csv file\n";
        return 1;
    }
    std::vector<LabelledComment> comments;
    bool ok = true;
    for (const std::string& file : options.csv_files) {
        auto read = read_labelled_csv(file, options.csv);
        if (!read) {
            for (const Error& e : read.errors())
                err << e.where << ": " << e.message << " [" << e.code << "]\n";
            ok = false;
        } else if (read.value().empty()) {
            err << file << ": no labelled comments [csv_no_rows]\n";
            ok = false;
        } else {
            for (auto& c : read.value())
                comments.push_back(std::move(c));
        }
    }
    if (!ok) {
        err << "vokter learn: nothing was learned\n";
        return 1;
    }

    std::size_t spam = 0;
    const std::int64_t now = http::now_ms();
    for (std::size_t start = 0; start < comments.size(); start += kRowsPerTransaction) {
        const std::size_t end = std::min(comments.size(), start + kRowsPerTransaction);
        store.writer().run([&](store::Connection& db) {
            for (std::size_t i = start; i < end; ++i) {
                const core::Submission& s = comments[i].submission;
                store::TrainingJob job;
                job.learn = comments[i].spam ? core::Label::spam : core::Label::ham;
                job.name = s.name;
                job.email = s.email;
                job.website = s.website;
                job.body = s.body;
                job.created = now;
                store::enqueue_training(db, job);
            }
        });
        store.training_enqueued();
    }
    for (const auto& c : comments)
        spam += c.spam;
    store.wait_for_training();
    const core::ModelPtr model = store.classifier().current();
    out << "learned " << comments.size() - spam << " ham and " << spam << " spam from "
        << options.csv_files.size() << (options.csv_files.size() == 1 ? " file" : " files")
        << "; the classifier now knows " << model->ham_messages() << " ham and "
        << model->spam_messages() << " spam comments, " << model->features() << " features\n";
    return 0;
}

}  // namespace vokter::app
