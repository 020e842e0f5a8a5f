#include "app/version.hpp"

namespace vokter::app {
std::string_view version() {
    return VOKTER_VERSION;
}
}  // namespace vokter::app
