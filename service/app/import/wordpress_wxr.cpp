#include "app/import/wordpress_wxr.hpp"

#include <string_view>

#include "app/import/xml_stream.hpp"
#include "app/labelled_csv.hpp"
#include "core/text.hpp"
#include "core/utf8_scan.hpp"

namespace vokter::app {

namespace {

bool is_wp_namespace(std::string_view uri) {
    return uri.substr(0, 28) == "http://wordpress.org/export/";
}

class WxrPass : public XmlPass {
  public:
    WxrPass(const std::string& path, const WxrOptions& options, const ImportVisitor& visit)
        : XmlPass(path), path_(path), options_(options), visit_(visit) {}

    Result<ReadOutcome> run() {
        if (auto error = walk()) return *error;
        if (!seen_version_) {
            return Error{"import_format",
                         "no <wp:wxr_version> in the channel: not a WordPress export", path_};
        }
        std::string site = site_.empty() ? channel_link_ : site_;
        ReadOutcome outcome;
        outcome.source = "wordpress " + site;
        return outcome;
    }

  private:
    std::string text() { return xml_.text(); }

    void element_start() override {
        const int depth = xml_.depth();
        const std::string_view name = xml_.name();
        const bool wp = is_wp_namespace(xml_.namespace_uri());
        if (depth == 0) {
            if (name != "rss" || wp) {
                fail("import_format",
                     "the root element is <" + std::string(name) +
                         ">, not <rss>: not a WordPress export",
                     name);
            }
            return;
        }
        if (depth == 1) {
            if (name != "channel") fail("import_format", "expected <channel> in <rss>", name);
            return;
        }
        if (depth == 2) {  // the channel's own elements
            if (name == "item") {
                in_item_ = true;
                item_link_.clear();
                item_title_.clear();
            } else if (wp && name == "wxr_version") {
                seen_version_ = true;
            } else if (wp && name == "base_site_url") {
                site_ = std::string(core::trim_ascii_space(text()));
            } else if (!wp && name == "link") {
                channel_link_ = std::string(core::trim_ascii_space(text()));
            }
            return;
        }
        if (depth == 3 && in_item_) {
            if (!wp && name == "title") item_title_ = text();
            if (!wp && name == "link") item_link_ = text();
            if (wp && name == "comment") {
                in_comment_ = true;
                comment_ = ImportedComment{};
                comment_.where = path_ + ":" + std::to_string(xml_.line()) + " <wp:comment>";
                type_.clear();
                approved_.clear();
                date_gmt_.clear();
                date_.clear();
            }
            return;
        }
        if (depth == 3 && wp && name == "comment")
            fail("import_format", "a comment outside an <item>", "wp:comment");
        if (depth == 4 && in_comment_ && wp) comment_field(name);
    }

    void comment_field(std::string_view name) {
        if (name == "comment_id")
            comment_.external_id = std::string(core::trim_ascii_space(text()));
        else if (name == "comment_parent") {
            const std::string parent(core::trim_ascii_space(text()));
            comment_.parent_external_id = parent == "0" ? "" : parent;
        } else if (name == "comment_author")
            comment_.name = text();
        else if (name == "comment_author_email")
            comment_.email = text();
        else if (name == "comment_author_url")
            comment_.website = text();
        else if (name == "comment_author_IP")
            comment_.ip = text();
        else if (name == "comment_agent")
            comment_.user_agent = text();
        else if (name == "comment_content")
            comment_.body = text();
        else if (name == "comment_approved")
            approved_ = std::string(core::trim_ascii_space(text()));
        else if (name == "comment_type")
            type_ = std::string(core::trim_ascii_space(text()));
        else if (name == "comment_date_gmt")
            date_gmt_ = text();
        else if (name == "comment_date")
            date_ = text();
    }

    void element_end() override {
        const int depth = xml_.depth();
        if (depth == 2 && in_item_) {
            in_item_ = false;
        } else if (depth == 3 && in_comment_) {
            in_comment_ = false;
            finish_comment();
        }
    }

    void finish_comment() {
        if (type_ == "pingback" || type_ == "trackback") {
            comment_.skip = type_;
        } else if (!type_.empty() && type_ != "comment") {
            comment_.skip = "comment type " + std::string(core::truncate_utf8(type_, 40));
        }
        if (!comment_.skip.empty()) return visit_(std::move(comment_));

        if (approved_ == "1")
            comment_.status = "approved";
        else if (approved_ == "0")
            comment_.status = "pending";
        else if (approved_ == "spam")
            comment_.status = "spam";
        else if (approved_ == "trash" || approved_ == "post-trashed")
            comment_.status = "rejected";
        else {
            return fail("import_status",
                        "unknown <wp:comment_approved> '" +
                            std::string(core::truncate_utf8(approved_, 40)) +
                            "' (1, 0, spam, trash or post-trashed)",
                        "wp:comment_approved");
        }
        auto created = parse_iso8601(date_gmt_);
        if (!created && core::trim_ascii_space(date_gmt_).substr(0, 4) == "0000")
            created = parse_iso8601(date_);
        if (!created) {
            return fail("import_date",
                        "comment " + comment_.external_id +
                            " has no date (<wp:comment_date_gmt> '" +
                            std::string(core::truncate_utf8(date_gmt_, 40)) + "')",
                        "wp:comment");
        }
        comment_.created_ms = *created * 1000;
        if (item_link_.empty()) {
            return fail("import_no_thread", "the comment's <item> has no <link> before it",
                        "wp:comment");
        }
        const auto thread = thread_from_link(item_link_, options_.full_urls);
        if (!thread) {
            return fail("import_thread",
                        "the post's <link> '" + std::string(core::truncate_utf8(item_link_, 80)) +
                            "' is not an http(s) URL",
                        "link");
        }
        comment_.thread_uri = *thread;
        comment_.thread_title = std::string(core::trim_ascii_space(item_title_));
        visit_(std::move(comment_));
    }

    const std::string& path_;
    const WxrOptions& options_;
    const ImportVisitor& visit_;
    bool seen_version_ = false;
    std::string site_, channel_link_;
    bool in_item_ = false;
    std::string item_link_, item_title_;
    bool in_comment_ = false;
    ImportedComment comment_;
    std::string type_, approved_, date_gmt_, date_;
};

}  // namespace

ExportReader wordpress_wxr_reader(std::string path, WxrOptions options) {
    return [path = std::move(path), options](const ImportVisitor& visit) {
        return WxrPass(path, options, visit).run();
    };
}

}  // namespace vokter::app
