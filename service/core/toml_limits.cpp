#include "core/toml_limits.hpp"

#include <string>
#include <vector>

namespace vokter::core {

namespace {

// One open array or inline table of the value being scanned.
struct Frame {
    bool array;         // else an inline table
    std::size_t depth;  // array: the depth of its elements; inline table: the table's own depth
};

// The flat scan behind check_toml_limits(): one pass, a stack of at most max_depth frames.
class Scanner {
  public:
    Scanner(std::string_view text, std::string_view source, const TomlLimits& limits)
        : text_(text), source_(source), limits_(limits) {}

    std::optional<Error> run() {
        enum class Mode { line_start, header, trailer, key, value };
        Mode mode = Mode::line_start;
        std::size_t table_depth = 0;  // of the table the last [header] opened
        std::size_t parts = 0;        // parts of the key or header being read
        bool header_array = false;
        std::size_t value_depth = 0;  // of the value being read
        std::vector<Frame> stack;
        const auto key_base = [&] { return stack.empty() ? table_depth : stack.back().depth; };
        // After a closing bracket or brace: back in the enclosing array, table or line.
        const auto pop = [&] {
            stack.pop_back();
            mode = Mode::value;
            if (!stack.empty() && stack.back().array) value_depth = stack.back().depth;
        };

        for (std::size_t i = 0; i < text_.size();) {
            const char c = text_[i];
            if (c == '\n') {
                new_line(i);
                if (stack.empty()) mode = Mode::line_start;  // inside arrays lines go on
                ++i;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                ++i;
                continue;
            }
            if (c == '#') {
                while (i < text_.size() && text_[i] != '\n')
                    ++i;
                continue;
            }
            if (mode == Mode::line_start) {
                if (c == '[') {
                    header_array = at(i + 1) == '[';
                    i += header_array ? 2 : 1;
                    mode = Mode::header;
                    parts = 1;
                    continue;
                }
                mode = Mode::key;
                parts = 1;
            }
            if (c == '"' || c == '\'') {
                i = skip_string(i);
                continue;
            }
            switch (mode) {
                case Mode::header:
                    if (c == '.' && deeper_than_limit(2 * ++parts, i)) return error_;
                    if (c == ']') {
                        table_depth = 2 * parts;
                        mode = Mode::trailer;
                        if (header_array && at(i + 1) == ']') ++i;
                    }
                    break;
                case Mode::key:
                    if (c == '.' && deeper_than_limit(key_base() + ++parts, i)) return error_;
                    if (c == '=') {
                        value_depth = key_base() + parts;
                        if (deeper_than_limit(value_depth, i)) return error_;
                        mode = Mode::value;
                    } else if (c == '}' && !stack.empty() && !stack.back().array) {
                        pop();  // `{}`, or a trailing comma
                    }
                    break;
                case Mode::value:
                    if (c == '[') {
                        if (deeper_than_limit(value_depth + 1, i)) return error_;
                        stack.push_back({true, ++value_depth});
                    } else if (c == '{') {
                        if (deeper_than_limit(value_depth + 1, i)) return error_;
                        stack.push_back({false, value_depth});
                        mode = Mode::key;
                        parts = 1;
                    } else if (c == ',' && !stack.empty()) {
                        if (stack.back().array) {
                            value_depth = stack.back().depth;
                        } else {
                            mode = Mode::key;
                            parts = 1;
                        }
                    } else if ((c == ']' || c == '}') && !stack.empty() &&
                               stack.back().array == (c == ']')) {
                        pop();
                    }
                    break;
                case Mode::line_start:
                case Mode::trailer:  // after a header: a comment, or an error for the parser
                    break;
            }
            ++i;
        }
        return std::nullopt;
    }

  private:
    char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

    void new_line(std::size_t i) {
        ++line_;
        line_start_ = i + 1;
    }

    bool deeper_than_limit(std::size_t depth, std::size_t i) {
        if (depth <= limits_.max_depth) return false;
        error_ = Error{"too_deep",
                       "keys, tables and arrays are nested deeper than " +
                           std::to_string(limits_.max_depth) + " levels here; flatten the file",
                       std::string(source_) + ':' + std::to_string(line_) + ':' +
                           std::to_string(i - line_start_ + 1)};
        return true;
    }

    // `i` is at an opening quote; returns the index after the closing one, or at the newline
    // that ends an unterminated one-line string. Counts the lines of multi-line strings.
    std::size_t skip_string(std::size_t i) {
        const char quote = text_[i];
        const bool escapes = quote == '"';  // basic strings; literal ones ('…') have none
        std::size_t j = i + 1;
        if (at(i + 1) != quote || at(i + 2) != quote) {
            while (j < text_.size() && text_[j] != quote && text_[j] != '\n') {
                if (escapes && text_[j] == '\\' && at(j + 1) != '\n') ++j;
                ++j;
            }
            return j < text_.size() && text_[j] == quote ? j + 1 : j;
        }
        for (j = i + 3; j < text_.size(); ++j) {
            if (escapes && text_[j] == '\\') {  // skips the escaped character, even a quote
                if (at(++j) == '\n') new_line(j);
                continue;
            }
            if (text_[j] == '\n') {
                new_line(j);
            } else if (text_[j] == quote && at(j + 1) == quote && at(j + 2) == quote) {
                j += 3;
                while (j < text_.size() && text_[j] == quote)  // """a"""" ends in a quote
                    ++j;
                return j;
            }
        }
        return text_.size();
    }

    std::string_view text_;
    std::string_view source_;
    const TomlLimits& limits_;
    std::size_t line_ = 1;
    std::size_t line_start_ = 0;
    std::optional<Error> error_;
};

}  // namespace

std::optional<Error> check_toml_limits(std::string_view text, std::string_view source_name,
                                       const TomlLimits& limits) {
    if (text.size() > limits.max_bytes) {
        return Error{"too_large",
                     "the file is " + std::to_string(text.size()) + " bytes; at most " +
                         std::to_string(limits.max_bytes) + " bytes are allowed",
                     std::string(source_name) + ":1:1"};
    }
    return Scanner(text, source_name, limits).run();
}

}  // namespace vokter::core
