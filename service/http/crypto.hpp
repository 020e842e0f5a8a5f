#pragma once
// Small cryptographic helpers over OpenSSL's libcrypto. Thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace vokter::http {

// `bytes` random bytes from the operating system's CSPRNG, as lowercase hex. Throws
// std::runtime_error if the generator fails (never returns weak randomness).
std::string random_hex(std::size_t bytes);

// SHA-256 of `data`, as 32 raw bytes.
std::string sha256(std::string_view data);

// HMAC-SHA-256 of `data` under `key`, as 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Compares in time that depends only on the lengths, not on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

std::string to_hex(std::string_view bytes);

}  // namespace vokter::http
