// GET /openapi.json: the OpenAPI 3.1 document of every route (operations/openapi.json, embedded
// in the binary at build time), with the Isso-compatible API's paths under the configured
// prefix, so that the document served always matches the router.

#include <map>
#include <mutex>
#include <span>

#include "core/embedded_file.hpp"
#include "http/crypto.hpp"
#include "http/server_impl.hpp"
#include "http/static_assets.hpp"

namespace vokter {
// Defined by the code cmake/embed.cmake generates from service/http/operations/openapi.json
// (the `vokter_embed(OPENAPI_CPP openapi_files …)` of CMakeLists.txt).
std::span<const EmbeddedFile> openapi_files();
}  // namespace vokter

namespace vokter::http {

namespace {

// The file writes the Isso-compatible paths under Isso's own default prefix.
constexpr std::string_view kDocumentIssoPrefix = "/isso";
constexpr std::string_view kIssoTag = "isso";

struct ServedDocument {
    std::string body;  // compact JSON
    std::string etag;  // quoted strong validator over `body`
};

// The embedded document, parsed once. ordered_json keeps the file's order (public routes
// first, components last) in what is served. Throws if the embedded file is not JSON, a
// build error the tests catch.
const nlohmann::ordered_json& embedded_document() {
    static const nlohmann::ordered_json doc = [] {
        const auto files = openapi_files();
        if (files.empty()) throw std::runtime_error("the OpenAPI document was not embedded");
        return nlohmann::ordered_json::parse(files.front().data);
    }();
    return doc;
}

bool is_isso_path(std::string_view path) {
    return path.starts_with(kDocumentIssoPrefix) && path.size() > kDocumentIssoPrefix.size() &&
           path[kDocumentIssoPrefix.size()] == '/';
}

// The document as a server with Isso prefix `prefix` answers it: each Isso path moved under
// `prefix`, or, when it is empty (the Isso API off), every Isso path and the Isso tag left out.
ServedDocument document_for(const std::string& prefix) {
    nlohmann::ordered_json doc = embedded_document();
    nlohmann::ordered_json paths = nlohmann::ordered_json::object();
    for (auto item = doc["paths"].begin(); item != doc["paths"].end(); ++item) {
        const std::string& path = item.key();
        if (!is_isso_path(path)) {
            paths[path] = std::move(item.value());
        } else if (!prefix.empty()) {
            paths[prefix + path.substr(kDocumentIssoPrefix.size())] = std::move(item.value());
        }
    }
    doc["paths"] = std::move(paths);
    if (prefix.empty() && doc.contains("tags")) {
        auto& tags = doc["tags"];
        for (auto tag = tags.begin(); tag != tags.end();) {
            tag = tag->value("name", "") == kIssoTag ? tags.erase(tag) : tag + 1;
        }
    }
    ServedDocument served;
    served.body = doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    served.etag = "\"" + to_hex(sha256(served.body)).substr(0, 32) + "\"";
    return served;
}

// The document for `prefix`, made on its first request and kept: one per Isso prefix the
// process serves (one per server configuration). The entries are never changed or removed,
// so a reference stays valid after the lock is released. Thread-safe.
const ServedDocument& served_document(const std::string& prefix) {
    static std::mutex mutex;
    static std::map<std::string, ServedDocument, std::less<>> documents;  // guarded by mutex
    const std::lock_guard lock(mutex);
    auto found = documents.find(prefix);
    if (found == documents.end()) found = documents.emplace(prefix, document_for(prefix)).first;
    return found->second;
}

}  // namespace

// The document changes only with the binary and its configuration: `no-cache` has clients
// revalidate each time, which the ETag makes a 304 without a body.
void Server::Impl::handle_openapi(const httplib::Request& req, httplib::Response& res) {
    const ServedDocument& doc = served_document(options.isso_prefix);
    res.set_header("Cache-Control", "no-cache");
    res.set_header("ETag", doc.etag);
    if (etag_matches(req.get_header_value("If-None-Match"), doc.etag)) {
        res.status = 304;
        return;
    }
    res.status = 200;
    res.set_content(doc.body, "application/json; charset=utf-8");
}

}  // namespace vokter::http
