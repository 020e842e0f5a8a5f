#include "core/address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace vokter::core {

std::string truncate_address(std::string_view address) {
    if (address.empty() || address.size() >= INET6_ADDRSTRLEN) return "";
    const std::string text(address);  // inet_pton needs a terminated string
    char out[INET6_ADDRSTRLEN] = {};
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        auto* bytes = reinterpret_cast<unsigned char*>(&v4);
        bytes[3] = 0;
        return inet_ntop(AF_INET, &v4, out, sizeof out) ? out : "";
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return "";
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6.s6_addr, kMapped, sizeof kMapped) == 0) {
        v6.s6_addr[15] = 0;  // the IPv4 address inside, to its /24
    } else {
        std::memset(v6.s6_addr + 6, 0, 10);  // the first 48 bits stay
    }
    return inet_ntop(AF_INET6, &v6, out, sizeof out) ? out : "";
}

}  // namespace vokter::core
