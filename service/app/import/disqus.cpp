#include "app/import/disqus.hpp"

#include <string_view>
#include <unordered_map>

#include "app/import/html_text.hpp"
#include "app/import/xml_stream.hpp"
#include "app/labelled_csv.hpp"
#include "core/text.hpp"
#include "core/utf8_scan.hpp"

namespace vokter::app {

namespace {

constexpr const char* kInternals = "http://disqus.com/disqus-internals";

struct Thread {
    std::string link, title;
};

class DisqusPass : public XmlPass {
  public:
    DisqusPass(const std::string& path, const DisqusOptions& options, const ImportVisitor& visit)
        : XmlPass(path), path_(path), options_(options), visit_(visit) {}

    Result<ReadOutcome> run() {
        if (auto error = walk()) return *error;
        ReadOutcome outcome;
        outcome.source = forum_.empty() ? std::string("disqus") : "disqus " + forum_;
        return outcome;
    }

  private:
    void element_start() override {
        const int depth = xml_.depth();
        const std::string_view name = xml_.name();
        if (depth == 0) {
            if (name != "disqus") {
                fail("import_format",
                     "the root element is <" + std::string(core::truncate_utf8(name, 40)) +
                         ">, not <disqus>: not a Disqus export",
                     name);
            }
            return;
        }
        if (depth == 1) {
            section_ = name == "thread" ? Section::thread
                       : name == "post" ? Section::post
                                        : Section::other;
            if (section_ == Section::thread) {
                thread_id_ = xml_.attribute("id", kInternals);
                thread_ = Thread{};
            } else if (section_ == Section::post) {
                post_ = ImportedComment{};
                post_.external_id = xml_.attribute("id", kInternals);
                post_.where = path_ + ":" + std::to_string(xml_.line()) + " <post>";
                post_thread_.clear();
                created_.clear();
                spam_.clear();
                deleted_.clear();
                username_.clear();
            }
            return;
        }
        if (section_ == Section::thread && depth == 2) {
            if (name == "link") thread_.link = xml_.text();
            if (name == "title") thread_.title = std::string(core::trim_ascii_space(xml_.text()));
            if (name == "forum" && forum_.empty())
                forum_ = std::string(core::trim_ascii_space(xml_.text()));
            return;
        }
        if (section_ != Section::post) return;
        if (depth == 2) {
            if (name == "message")
                post_.body = html_to_text(xml_.text());
            else if (name == "createdAt")
                created_ = xml_.text();
            else if (name == "isSpam")
                spam_ = std::string(core::trim_ascii_space(xml_.text()));
            else if (name == "isDeleted")
                deleted_ = std::string(core::trim_ascii_space(xml_.text()));
            else if (name == "ipAddress")
                post_.ip = std::string(core::trim_ascii_space(xml_.text()));
            else if (name == "thread")
                post_thread_ = xml_.attribute("id", kInternals);
            else if (name == "parent")
                post_.parent_external_id = xml_.attribute("id", kInternals);
            in_author_ = name == "author";
        } else if (depth == 3 && in_author_) {
            if (name == "name") post_.name = std::string(core::trim_ascii_space(xml_.text()));
            if (name == "email") post_.email = std::string(core::trim_ascii_space(xml_.text()));
            if (name == "username") username_ = std::string(core::trim_ascii_space(xml_.text()));
        }
    }

    void element_end() override {
        const int depth = xml_.depth();
        if (depth == 2 && xml_.name() == "author") in_author_ = false;
        if (depth != 1) return;
        if (section_ == Section::thread && !thread_id_.empty())
            threads_[thread_id_] = std::move(thread_);
        if (section_ == Section::post) finish_post();
        section_ = Section::other;
    }

    // "true"/"false" as Disqus writes them; nullopt for anything else.
    static std::optional<bool> flag(const std::string& value) {
        if (value == "true" || value == "1") return true;
        if (value == "false" || value == "0" || value.empty()) return false;
        return std::nullopt;
    }

    void finish_post() {
        const auto spam = flag(spam_);
        const auto deleted = flag(deleted_);
        if (!spam || !deleted) {
            return fail(
                "import_status",
                "post " + post_.external_id + ": <isSpam> and <isDeleted> are true or false",
                !spam ? "isSpam" : "isDeleted");
        }
        post_.status = *spam ? "spam" : *deleted ? "rejected" : "approved";
        if (post_.name.empty()) post_.name = username_;
        const auto created = parse_iso8601(created_);
        if (!created) {
            return fail("import_date",
                        "post " + post_.external_id + " has no date (<createdAt> '" +
                            std::string(core::truncate_utf8(core::trim_ascii_space(created_), 40)) +
                            "')",
                        "post");
        }
        post_.created_ms = *created * 1000;
        const auto thread = threads_.find(post_thread_);
        if (thread == threads_.end()) {
            return fail("import_no_thread",
                        "post " + post_.external_id + " belongs to thread '" +
                            std::string(core::truncate_utf8(post_thread_, 40)) +
                            "', which is not in the export before it",
                        "post");
        }
        const auto uri = thread_from_link(thread->second.link, options_.full_urls);
        if (!uri) {
            return fail("import_thread",
                        "thread " + thread->first + ": <link> '" +
                            std::string(core::truncate_utf8(
                                core::trim_ascii_space(thread->second.link), 80)) +
                            "' is not an http(s) URL",
                        "post");
        }
        post_.thread_uri = *uri;
        post_.thread_title = thread->second.title;
        visit_(std::move(post_));
    }

    enum class Section { other, thread, post };

    const std::string& path_;
    const DisqusOptions& options_;
    const ImportVisitor& visit_;
    std::string forum_;
    Section section_ = Section::other;
    std::unordered_map<std::string, Thread> threads_;
    std::string thread_id_;
    Thread thread_;
    ImportedComment post_;
    bool in_author_ = false;
    std::string post_thread_, created_, spam_, deleted_, username_;
};

}  // namespace

ExportReader disqus_reader(std::string path, DisqusOptions options) {
    return [path = std::move(path), options](const ImportVisitor& visit) {
        return DisqusPass(path, options, visit).run();
    };
}

}  // namespace vokter::app
