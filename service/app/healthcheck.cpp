#include "app/healthcheck.hpp"

#include <httplib.h>

#include <iostream>

namespace vokter::app {

int healthcheck(const Config& config) {
    http::ServerOptions options = server_options(config);
    if (options.host == "0.0.0.0" || options.host.empty()) options.host = "127.0.0.1";
    if (options.host == "::") options.host = "::1";
    httplib::Client client(options.host, options.port);
    client.set_connection_timeout(2);
    client.set_read_timeout(2);
    const auto res = client.Get("/healthz");
    if (!res) {
        std::cerr << "vokter: no answer from " << options.host << ":" << options.port << "\n";
        return 1;
    }
    std::cout << res->body << "\n";
    return res->status == 200 ? 0 : 1;
}

}  // namespace vokter::app
