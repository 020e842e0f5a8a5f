#pragma once
#include <string_view>

namespace vokter::app {
// The version of this build, e.g. "0.1.0".
std::string_view version();
}  // namespace vokter::app
