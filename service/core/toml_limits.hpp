#pragma once
// A guard in front of the TOML parser. toml++ descends recursively into nested keys, tables and
// arrays: a file nested deeply enough (31,500 dotted keys `a.a.a…` fit in 63 KB) overflows the
// stack of the thread parsing it and kills the process. check_toml_limits() measures a text's
// size and nesting with one flat scan, before anything parses it.

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace vokter::core {

struct TomlLimits {
    std::size_t max_bytes = 4u << 20;  // 4 MiB: a thousand rules with long patterns fit
    std::size_t max_depth = 32;        // nested levels, counted as described below
};

// The nesting depth counted: every part of a dotted key is one level, every array and inline
// table one more; a [table] header counts each part of its name twice, since any of them may be
// an array of tables. `a.b = [1]` reaches depth 3, `[[rule]]` then `examples.match = ["x"]` 5.

// Returns nullopt when `text` is within `limits`; otherwise one Error: code "too_large" (where
// "SOURCE:1:1") or "too_deep" (where "SOURCE:LINE:COL" of the first key part, bracket or brace
// past the limit). Linear in the size, no recursion, no allocation beyond a few words: safe on
// any input. The scan follows TOML's strings, comments and quoted keys only as far as nesting
// needs, so a text that passes may still be invalid TOML (the parser reports that), but no text
// the parser would nest deeper than max_depth passes.
std::optional<Error> check_toml_limits(std::string_view text, std::string_view source_name,
                                       const TomlLimits& limits = {});

}  // namespace vokter::core
