// The guard in front of the TOML parser: deep nesting and huge files are refused with a located
// error before toml++ sees them (it recurses per level: 31,500 dotted keys crashed the service),
// while strings, comments and quoted keys full of brackets and dots pass.
#include "core/toml_limits.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/rule_set.hpp"

namespace vokter::core {

namespace {

std::string repeat(std::string_view part, std::size_t n) {
    std::string out;
    out.reserve(part.size() * n);
    for (std::size_t i = 0; i < n; ++i)
        out += part;
    return out;
}

ListReader no_lists() {
    return [](std::string_view name) -> Result<std::string> {
        return Error{"list_not_found", "no list " + std::string(name), ""};
    };
}

// A dotted key of `parts` parts: a.a.a…
std::string dotted(std::size_t parts) {
    return "a" + repeat(".a", parts - 1);
}

const std::string kVersion = "version = \"v1\"\n";

// Loads `text` as a rule file and returns its one error (the file must fail with exactly one).
Error only_error(const std::string& text) {
    auto result = load_ruleset(text, "t.toml", no_lists());
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.errors().size() == 1);
    return result.errors().front();
}

}  // namespace

TEST_CASE("31,500 dotted keys are refused before parsing, with file:line:col, not a crash") {
    const Error e = only_error(kVersion + dotted(31500) + " = 1\n");
    CHECK(e.code == "too_deep");
    CHECK(e.where == "t.toml:2:64");  // the dot that opens the 33rd level
    CHECK(e.message.find("32 levels") != std::string::npos);
}

TEST_CASE("deep table headers, arrays, inline tables and mixtures are refused") {
    const std::string deep_header = kVersion + "[" + dotted(31500) + "]\nx = 1\n";
    const std::string deep_array_table = kVersion + "[[" + dotted(31500) + "]]\n";
    const std::string deep_array = kVersion + "a = " + repeat("[", 31500) + repeat("]", 31500);
    const std::string deep_inline =
        kVersion + "a = " + repeat("{a=", 31500) + "1" + repeat("}", 31500) + "\n";
    const std::string inline_dotted = kVersion + "a = {" + dotted(31500) + " = 1}\n";
    const std::string arrays_of_inline =
        kVersion + "a = " + repeat("[{b=", 20000) + "1" + repeat("}]", 20000) + "\n";
    std::string multi_line = kVersion + "a = [\n";
    for (int i = 0; i < 40; ++i)
        multi_line += "  [ # a comment [[[\n";
    const std::initializer_list<const std::string*> texts = {
        &deep_header,   &deep_array_table, &deep_array, &deep_inline,
        &inline_dotted, &arrays_of_inline, &multi_line};
    for (const std::string* text : texts) {
        const auto refused = check_toml_limits(*text, "t.toml");
        REQUIRE(refused);
        CHECK(refused->code == "too_deep");
        CHECK(refused->where.starts_with("t.toml:"));
        CHECK(only_error(*text).code == "too_deep");  // the loader reports it the same way
    }
    const auto refused = check_toml_limits(multi_line, "t.toml");
    CHECK(refused->where == "t.toml:33:3");  // the bracket that opens the 33rd level
}

TEST_CASE("nesting up to the limit passes; one level more is refused") {
    TomlLimits limits;
    limits.max_depth = 32;
    CHECK_FALSE(check_toml_limits(dotted(32) + " = 1\n", "t", limits));
    CHECK(check_toml_limits(dotted(33) + " = 1\n", "t", limits));
    // key (1) + 31 arrays = 32
    CHECK_FALSE(check_toml_limits("a = " + repeat("[", 31) + repeat("]", 31) + "\n", "t", limits));
    CHECK(check_toml_limits("a = " + repeat("[", 32) + repeat("]", 32) + "\n", "t", limits));
    // A header counts twice: [[rule]] then examples.match = ["x"] is 2 + 2 + 1.
    limits.max_depth = 5;
    CHECK_FALSE(check_toml_limits("[[rule]]\nexamples.match = [\"x\"]\n", "t", limits));
    limits.max_depth = 4;
    CHECK(check_toml_limits("[[rule]]\nexamples.match = [\"x\"]\n", "t", limits));
    // A new line at the top level starts over: many shallow keys are no deeper than one.
    limits.max_depth = 3;
    CHECK_FALSE(check_toml_limits(repeat("a.b.c = 1\n", 1000), "t", limits));
}

TEST_CASE("brackets, braces and dots inside strings, quoted keys and comments do not count") {
    const std::string text =
        kVersion + "pattern = '" + repeat("[{.", 200) + "'\n" + "basic = \"\\\"" +
        repeat("[", 200) + "\"\n" + "\"" + repeat("a.", 200) + "\" = 1\n" + "multi = '''\n" +
        repeat("[[[[\n", 100) + "'''\n" + "multi_basic = \"\"\"\n\\\"\"\"" + repeat("{a.", 100) +
        "\"\"\"\n" + "# " + repeat("[", 200) + "\n" + "quoted = \"\"\"a\"\"\"\"\n";
    CHECK_FALSE(check_toml_limits(text, "t.toml"));
    // A closing run of five quotes ends the string: what follows on the line is counted.
    const auto refused =
        check_toml_limits("a = [\"\"\"x\"\"\"\"\", {" + dotted(100) + " = 1}]\n", "t.toml");
    REQUIRE(refused);
    CHECK(refused->code == "too_deep");
}

TEST_CASE("the shipped rule file is well within the limits") {
    std::ifstream in(std::string(VOKTER_SOURCE_DIR) + "/rules/default.toml", std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    TomlLimits tight;
    tight.max_depth = 8;
    tight.max_bytes = 256 * 1024;
    const auto refused = check_toml_limits(text.str(), "default.toml", tight);
    CHECK_MESSAGE(!refused, (refused ? refused->where + ": " + refused->message : ""));
}

TEST_CASE("a file over the size limit is refused at once with its size") {
    const std::string huge = kVersion + "description = \"" + std::string(5u << 20, 'x') + "\"\n";
    const Error e = only_error(huge);
    CHECK(e.code == "too_large");
    CHECK(e.where == "t.toml:1:1");
    CHECK(e.message.find(std::to_string(huge.size()) + " bytes") != std::string::npos);
    CHECK(e.message.find("4194304") != std::string::npos);
}

}  // namespace vokter::core
