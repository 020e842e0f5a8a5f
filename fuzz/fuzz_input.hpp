#pragma once
// Splitting one fuzzer input into several strings, so a target can drive a function of many
// arguments from the flat bytes libFuzzer mutates. Parts are separated by the byte 0x1F (the
// ASCII unit separator), which no seed uses for anything else; missing parts are empty.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace vokter::fuzz {

class FuzzInput {
  public:
    FuzzInput(const std::uint8_t* data, std::size_t size)
        : rest_(reinterpret_cast<const char*>(data), size) {}

    // The next part (up to the next separator), or "" once the input is used up.
    std::string_view next() {
        const auto end = rest_.find('\x1f');
        const std::string_view part = rest_.substr(0, end);
        rest_ = end == std::string_view::npos ? std::string_view() : rest_.substr(end + 1);
        return part;
    }
    // Everything not yet taken, separators included.
    std::string_view rest() const { return rest_; }

  private:
    std::string_view rest_;
};

// Aborts, so libFuzzer records the input, when a property a target checks does not hold.
#define FUZZ_CHECK(condition)                                                                     \
    do {                                                                                          \
        if (!(condition)) {                                                                       \
            std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
            std::fflush(stderr);                                                                  \
            __builtin_trap();                                                                     \
        }                                                                                         \
    } while (false)

}  // namespace vokter::fuzz
