// Handler of the embedded web assets: the widget (/widget.js, /widget.css) and the moderator
// page (/moderate and its files). Routes are made in setup_routes, one per asset.

#include "http/problem.hpp"
#include "http/server_impl.hpp"
#include "http/static_assets.hpp"

namespace vokter::http {

void Server::Impl::handle_static(const httplib::Request& req, httplib::Response& res,
                                 const StaticAsset& asset) {
    for (const auto& [name, value] : asset.headers)
        res.set_header(name, value);
    res.set_header("ETag", asset.etag);
    if (etag_matches(req.get_header_value("If-None-Match"), asset.etag)) {
        res.status = 304;
        return;
    }
    res.status = 200;
    res.set_content(asset.body.data(), asset.body.size(), asset.content_type);
}

}  // namespace vokter::http
