#include "http/static_assets.hpp"

#include "core/embedded_file.hpp"
#include "http/crypto.hpp"

namespace vokter::http {

namespace {

// Only the moderator page and its files: no inline script or style, nothing from elsewhere, and
// never framed (clickjacking of the approve buttons).
constexpr const char* kModeratorPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

StaticAsset make_asset(const EmbeddedFile& file) {
    StaticAsset asset;
    const std::string name(file.name);
    asset.path = name == "moderate.html" ? "/moderate" : "/" + name;
    for (const char c : asset.path) {
        if (c == '.' || c == '+' || c == '(' || c == ')' || c == '[' || c == ']')
            asset.route += '\\';
        asset.route += c;
    }
    asset.body = file.data;
    asset.content_type = content_type_for(name);
    asset.etag = "\"" + to_hex(sha256(file.data)).substr(0, 32) + "\"";
    auto& h = asset.headers;
    h.emplace_back("X-Content-Type-Options", "nosniff");
    if (name.starts_with("widget.") || name == "isso.css") {
        // Blogs embed these (and Isso pages the stylesheet of Isso's client) from another
        // origin; a short max-age lets a new release reach
        // readers within minutes, the ETag makes the revalidation cheap.
        h.emplace_back("Cache-Control", "public, max-age=300");
        h.emplace_back("Cross-Origin-Resource-Policy", "cross-origin");
    } else {
        h.emplace_back("Cache-Control", "no-cache");
        h.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
    }
    if (ends_with(name, ".html")) {
        h.emplace_back("Content-Security-Policy", kModeratorPolicy);
        h.emplace_back("X-Frame-Options", "DENY");
        h.emplace_back("Referrer-Policy", "no-referrer");
    }
    return asset;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

}  // namespace

std::string content_type_for(std::string_view name) {
    static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".html", "text/html; charset=utf-8"},
        {".svg", "image/svg+xml; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
    };
    for (const auto& [extension, type] : kTypes) {
        if (ends_with(name, extension)) return std::string(type);
    }
    return "application/octet-stream";
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    if (trim(if_none_match) == "*") return true;
    while (!if_none_match.empty()) {
        const auto comma = if_none_match.find(',');
        std::string_view tag = trim(if_none_match.substr(0, comma));
        if_none_match =
            comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == etag) return true;
    }
    return false;
}

const std::vector<StaticAsset>& static_assets() {
    static const std::vector<StaticAsset> assets = [] {
        std::vector<StaticAsset> out;
        for (const EmbeddedFile& file : web_files())
            out.push_back(make_asset(file));
        return out;
    }();
    return assets;
}

}  // namespace vokter::http
