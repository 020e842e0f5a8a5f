#include "app/import/html_text.hpp"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <memory>

#include "core/text.hpp"
#include "http/submission_parser.hpp"

namespace vokter::app {

namespace {

std::string_view name_of(const xmlNode* node) {
    return node->name ? std::string_view(reinterpret_cast<const char*>(node->name))
                      : std::string_view();
}

bool is_block(std::string_view name) {
    for (const char* block : {"p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3",
                              "h4", "h5", "h6", "table", "tr", "hr", "section", "article"})
        if (name == block) return true;
    return false;
}

bool is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

class TextWriter {
  public:
    void text(std::string_view s, bool preformatted) {
        for (char ch : s) {
            if (!preformatted && is_space(ch)) {
                pending_space_ = true;
                continue;
            }
            if (pending_space_ && !out_.empty() && out_.back() != '\n') out_ += ' ';
            pending_space_ = false;
            out_ += ch;
        }
    }
    void line_break() {
        trim_trailing_spaces();
        out_ += '\n';
        pending_space_ = false;
    }
    void block() {
        trim_trailing_spaces();
        pending_space_ = false;
        if (out_.empty() || ends_with_blank_line()) return;
        out_ += out_.back() == '\n' ? "\n" : "\n\n";
    }
    const std::string& str() const { return out_; }
    std::size_t size() const { return out_.size(); }
    std::string finish() {
        while (!out_.empty() && is_space(out_.back()))
            out_.pop_back();
        return std::move(out_);
    }

  private:
    bool ends_with_blank_line() const {
        return out_.size() >= 2 && out_[out_.size() - 1] == '\n' && out_[out_.size() - 2] == '\n';
    }
    void trim_trailing_spaces() {
        while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t'))
            out_.pop_back();
    }
    std::string out_;
    bool pending_space_ = false;
};

std::string attribute(const xmlNode* node, const char* name) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    std::string s = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return s;
}

void walk(const xmlNode* node, TextWriter& out, bool preformatted) {
    for (const xmlNode* child = node; child != nullptr; child = child->next) {
        if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
            if (child->content)
                out.text(reinterpret_cast<const char*>(child->content), preformatted);
            continue;
        }
        if (child->type != XML_ELEMENT_NODE) continue;
        const std::string_view name = name_of(child);
        if (name == "script" || name == "style") continue;
        if (name == "br") {
            out.line_break();
            continue;
        }
        const bool block = is_block(name);
        if (block) out.block();
        const std::size_t before = out.size();
        walk(child->children, out, preformatted || name == "pre");
        if (name == "a") {
            const std::string href =
                unwrap_disqus_link(core::trim_ascii_space(attribute(child, "href")));
            // The writer may have dropped a space it held before the link (a block inside
            // it): the text can be shorter now than when the link began.
            const std::string_view written = out.str();
            const std::string_view shown =
                core::trim_ascii_space(written.substr(std::min(before, written.size())));
            if (!href.empty() && shown != href) {
                if (shown.empty()) {
                    out.text(href, true);
                } else {
                    out.text(" (", true);
                    out.text(href, true);
                    out.text(")", true);
                }
            }
        }
        if (block) out.block();
    }
}

struct DocDeleter {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

bool is_token_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_';
}

}  // namespace

std::string unwrap_disqus_link(std::string_view href) {
    for (std::string_view prefix :
         {"https://disq.us/url?", "http://disq.us/url?", "https://disq.us/?", "http://disq.us/?"}) {
        if (href.substr(0, prefix.size()) != prefix) continue;
        std::string_view query = href.substr(prefix.size());
        while (!query.empty()) {
            const std::size_t amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            if (pair.substr(0, 4) == "url=") {
                auto target = http::url_decode(pair.substr(4));
                if (!target) break;
                // Disqus appends ":" and a token of its own to the address it wraps.
                const std::size_t colon = target->rfind(':');
                if (colon != std::string::npos && target->size() - colon > 20) {
                    bool token = true;
                    for (std::size_t i = colon + 1; i < target->size(); ++i)
                        token = token && is_token_char((*target)[i]);
                    if (token) target->resize(colon);
                }
                if (target->rfind("http://", 0) == 0 || target->rfind("https://", 0) == 0)
                    return *target;
                break;
            }
            if (amp == std::string_view::npos) break;
            query.remove_prefix(amp + 1);
        }
    }
    return std::string(href);
}

std::string html_to_text(std::string_view html) {
    if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos)
        return std::string(core::trim_ascii_space(html));
    const std::string wrapped = "<html><body>" + std::string(html) + "</body></html>";
    std::unique_ptr<xmlDoc, DocDeleter> doc(
        htmlReadMemory(wrapped.data(), static_cast<int>(wrapped.size()), nullptr, "UTF-8",
                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
    if (!doc) return std::string(core::trim_ascii_space(html));
    TextWriter out;
    walk(xmlDocGetRootElement(doc.get()), out, false);
    return out.finish();
}

}  // namespace vokter::app
