#include "http/isso/markdown.hpp"

#include <cmark.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace vokter::http {

namespace {

struct NodeDeleter {
    void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IterDeleter {
    void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

// data: addresses, which cmark's safe mode lets through for images of four types, and then for
// links too: a comment links to no data of its own.
bool is_data_url(const char* url) {
    if (!url) return false;
    while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')
        ++url;
    static constexpr char kData[] = "data:";
    for (std::size_t i = 0; i + 1 < sizeof kData; ++i) {
        const char c = url[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kData[i]) return false;
    }
    return true;
}

// Each image as a link to its address, its alt text as the link's text; no data: address left.
void images_to_links(cmark_node* document) {
    std::vector<cmark_node*> images;
    {
        std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(document));
        cmark_event_type event;
        while ((event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
            cmark_node* node = cmark_iter_get_node(iter.get());
            if (event != CMARK_EVENT_ENTER) continue;
            const cmark_node_type type = cmark_node_get_type(node);
            if (type == CMARK_NODE_LINK && is_data_url(cmark_node_get_url(node)))
                cmark_node_set_url(node, "");
            if (type == CMARK_NODE_IMAGE) images.push_back(node);
        }
    }
    for (cmark_node* image : images) {
        cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
        const char* url = cmark_node_get_url(image);
        cmark_node_set_url(link, url && !is_data_url(url) ? url : "");
        while (cmark_node* child = cmark_node_first_child(image)) {
            cmark_node_unlink(child);
            cmark_node_append_child(link, child);
        }
        cmark_node_replace(image, link);
        cmark_node_free(image);
    }
}

}  // namespace

std::string render_markdown(std::string_view text) {
    // CMARK_OPT_DEFAULT is the safe mode since cmark 0.29 (CMARK_OPT_UNSAFE turns it off).
    constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_HARDBREAKS | CMARK_OPT_VALIDATE_UTF8;
    std::unique_ptr<cmark_node, NodeDeleter> document(
        cmark_parse_document(text.data(), text.size(), kOptions));
    if (!document) return "";
    images_to_links(document.get());
    char* rendered = cmark_render_html(document.get(), kOptions);
    if (!rendered) return "";
    const std::string html(rendered);
    std::free(rendered);
    // cmark escapes every character of the text it writes: the only "<a href" are its links.
    static constexpr std::string_view kLink = "<a href=\"";
    std::string out;
    out.reserve(html.size() + 64);
    std::size_t at = 0;
    for (std::size_t found; (found = html.find(kLink, at)) != std::string::npos;
         at = found + kLink.size()) {
        out.append(html, at, found - at);
        out += "<a rel=\"nofollow noopener ugc\" href=\"";
    }
    out.append(html, at, std::string::npos);
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

}  // namespace vokter::http
