#pragma once
// The web assets embedded in the binary (service/web/*), ready to serve: each with the URL path
// it answers, its Content-Type, a strong ETag over its bytes and its caching and security headers.
// Built once from vokter::web_files(); immutable afterwards, so safe to read from any thread.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vokter::http {

struct StaticAsset {
    std::string path;          // URL path, e.g. "/widget.js"; moderate.html answers "/moderate"
    std::string route;         // `path` as an httplib route pattern (regex, dots escaped)
    std::string_view body;     // the embedded bytes (static storage)
    std::string content_type;  // with charset for text types
    std::string etag;          // quoted strong validator, e.g. "\"3f2a…\""
    std::vector<std::pair<std::string, std::string>> headers;  // Cache-Control, CSP, nosniff …
};

// Every embedded web file as an asset, in name order. Files of unknown extension are served as
// application/octet-stream.
const std::vector<StaticAsset>& static_assets();

// The Content-Type for a file name, by its extension ("widget.js" → "text/javascript;
// charset=utf-8").
std::string content_type_for(std::string_view name);

// True when an If-None-Match header value ("*", or a comma-separated list of entity tags, weak
// or strong) matches `etag`; comparison is weak, as RFC 9110 asks for If-None-Match.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace vokter::http
