#include "core/address.hpp"

#include <doctest/doctest.h>

using vokter::core::truncate_address;

TEST_CASE("an IPv4 address is cut to its /24") {
    CHECK(truncate_address("192.0.2.77") == "192.0.2.0");
    CHECK(truncate_address("10.1.2.255") == "10.1.2.0");
    CHECK(truncate_address("192.0.2.0") == "192.0.2.0");  // cutting again changes nothing
}

TEST_CASE("an IPv6 address is cut to its /48, in its shortest form") {
    CHECK(truncate_address("2001:db8:4a:1::7") == "2001:db8:4a::");
    CHECK(truncate_address("2001:0DB8:004A:FFFF:1:2:3:4") == "2001:db8:4a::");
    CHECK(truncate_address("2001:db8:4a::") == "2001:db8:4a::");
    CHECK(truncate_address("::1") == "::");
}

TEST_CASE("an IPv4-mapped IPv6 address keeps its /24 inside the mapping") {
    CHECK(truncate_address("::ffff:192.0.2.77") == "::ffff:192.0.2.0");
}

TEST_CASE("what is no address is dropped, not kept") {
    CHECK(truncate_address("") == "");
    CHECK(truncate_address("unknown") == "");
    CHECK(truncate_address("192.0.2.77, 10.0.0.1") == "");
    CHECK(truncate_address("192.0.2.777") == "");
    CHECK(truncate_address("fe80::1%eth0") == "");  // a zone names a host's interface
    CHECK(truncate_address(std::string(200, '1')) == "");
}
