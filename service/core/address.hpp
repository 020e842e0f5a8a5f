#pragma once
// Client addresses kept past their retention period (store/retention.hpp) are cut to the network
// they came from: enough for a moderator to see a flood's origin, too little to name a reader.

#include <string>
#include <string_view>

namespace vokter::core {

// The address with its host part zeroed: IPv4 to its /24 ("192.0.2.77" -> "192.0.2.0"), IPv6 to
// its /48 ("2001:db8:4a:1::7" -> "2001:db8:4a::"), an IPv4-mapped IPv6 address as IPv4 within it
// ("::ffff:192.0.2.77" -> "::ffff:192.0.2.0"). Cutting a cut address changes nothing. Text that
// is no address (or empty) gives "": nothing is kept that might name someone.
std::string truncate_address(std::string_view address);

}  // namespace vokter::core
