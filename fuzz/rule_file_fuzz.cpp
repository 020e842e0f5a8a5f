// Loading a rule file as POST /api/rules/check, PUT /api/rules, SIGHUP and `vokter rules check`
// do: TOML parsing (with the size and depth limits), validation, RE2 compilation of every
// pattern, the examples, list files. A file is loaded or refused with errors; a loaded ruleset
// must then evaluate a comment. The first part of the input is the text a list file named by a
// heuristic holds; a list named "missing" cannot be read.

#include <cstdint>
#include <string>

#include "core/evaluate.hpp"
#include "core/rule_set.hpp"
#include "fuzz/fuzz_input.hpp"

namespace core = vokter::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vokter::fuzz::FuzzInput input(data, size);
    const std::string list(input.next());
    const std::string_view toml = input.rest();
    const core::ListReader read_list = [&](std::string_view name) -> vokter::Result<std::string> {
        if (name == "missing") return vokter::Error{"list_unreadable", "no such list", "missing"};
        return list;
    };
    const auto loaded = core::load_ruleset(toml, "fuzz.toml", read_list);
    if (!loaded) {
        FUZZ_CHECK(!loaded.errors().empty());
        for (const vokter::Error& e : loaded.errors())
            FUZZ_CHECK(!e.code.empty() && !e.message.empty());
        return 0;
    }
    core::Submission s;
    s.thread = "/innlegg";
    s.name = "Kari";
    s.body = "Takk for innlegget! Se https://example.no/side og skriv til kari@example.no";
    const core::Verdict verdict = core::evaluate(*loaded.value(), s, core::Context{}, 1767225600);
    FUZZ_CHECK(verdict.score == verdict.score);  // not NaN
    return 0;
}
