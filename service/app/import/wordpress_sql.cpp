#include "app/import/wordpress_sql.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/labelled_csv.hpp"
#include "core/text.hpp"
#include "core/utf8_scan.hpp"

namespace vokter::app {

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr int kEnd = -1;
constexpr std::size_t kMaxNameBytes = 256;  // a table or column name, a keyword
// A kept value: WordPress's comment columns are TEXT (64 KiB) at most; anything longer is no
// WordPress comment, and the limit keeps a broken file from filling memory.
constexpr std::size_t kMaxValueBytes = 16 * 1024 * 1024;
constexpr std::size_t kMaxTitleBytes = 64 * 1024;  // post_title is TEXT
constexpr std::size_t kMaxOptionBytes = 4 * 1024;  // home and siteurl; longer ones are others
constexpr std::size_t kMaxDelimiterBytes = 16;

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

bool iends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool is_space(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_word_char(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
}

bool is_quote(int c) {
    return c == '\'' || c == '"' || c == '`';
}

// A byte as an error message shows it.
std::string describe(int c) {
    if (c == kEnd) return "the end of the file";
    if (c > ' ' && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[(c >> 4) & 0xf] + kHex[c & 0xf];
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The position of `name` in `columns` (MySQL compares column names without case), or -1.
int index_of(const std::vector<std::string>& columns, std::string_view name) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (iequals(columns[i], name)) return static_cast<int>(i);
    }
    return -1;
}

bool is_comments_table(const std::string& table, const std::vector<std::string>& columns) {
    return iends_with(table, "comments") && index_of(columns, "comment_ID") >= 0;
}

// The dump's bytes, read 64 KiB at a time, and the line of the next one.
class DumpInput {
  public:
    explicit DumpInput(std::istream& in) : in_(in), buffer_(kChunkBytes) {}

    // The byte `ahead` places on (less than kChunkBytes), or kEnd past the end of the file.
    int peek(std::size_t ahead = 0) {
        if (end_ - pos_ <= ahead && !fill(ahead + 1)) return kEnd;
        return static_cast<unsigned char>(buffer_[pos_ + ahead]);
    }

    int get() {
        const int c = peek();
        if (c == kEnd) return kEnd;
        ++pos_;
        if (c == '\n') ++line_;
        return c;
    }

    // The bytes read from the file and not consumed yet: at least one unless at its end.
    std::string_view buffered() {
        if (pos_ == end_) fill(1);
        return {buffer_.data() + pos_, end_ - pos_};
    }

    // Consumes `n` bytes of buffered().
    void advance(std::size_t n) {
        line_ += static_cast<std::size_t>(
            std::count(buffer_.data() + pos_, buffer_.data() + pos_ + n, '\n'));
        pos_ += n;
    }

    std::size_t line() const { return line_; }
    bool read_failed() const { return in_.bad(); }

  private:
    // Keeps the unconsumed bytes and reads after them until `need` are there or the file ends.
    bool fill(std::size_t need) {
        std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
        while (end_ < need && in_) {
            in_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
            end_ += static_cast<std::size_t>(in_.gcount());
        }
        return end_ >= need;
    }

    std::istream& in_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0, end_ = 0, line_ = 1;
};

// One value of a row, as kept.
struct Value {
    std::string text;
    bool null = false;
    bool cut = false;  // longer than its slot's limit: the rest was dropped
};

// Where an INSERT's values go: column i's value into slot[i] of the row's values, or nowhere
// (-1: read and dropped), each slot keeping at most limit[slot] bytes.
struct RowShape {
    std::vector<int> slot;
    std::vector<std::size_t> limit;

    explicit RowShape(std::size_t columns = 0) : slot(columns, -1) {}
    // Keeps `column` (if the table has it: column >= 0); returns its slot or -1.
    int keep(int column, std::size_t max_bytes) {
        if (column < 0) return -1;
        slot[static_cast<std::size_t>(column)] = static_cast<int>(limit.size());
        limit.push_back(max_bytes);
        return slot[static_cast<std::size_t>(column)];
    }
};

// One pass over a dump, statement by statement in file order: the column names of each CREATE
// TABLE kept, the rows of the INSERTs a subclass asks for parsed value by value, everything else
// skipped (strings, quoted names and comments respected, so a ';' inside them ends nothing).
// The first error stops the pass.
class SqlPass {
  public:
    explicit SqlPass(const std::string& path) : path_(path) {}
    virtual ~SqlPass() = default;
    SqlPass(const SqlPass&) = delete;
    SqlPass& operator=(const SqlPass&) = delete;

    // Reads the file from its start. Returns the first error: the file cannot be read
    // ("import_open"), is no SQL ("import_format"), is truncated or malformed ("import_sql"),
    // or what a subclass reported.
    std::optional<Error> walk() {
        std::ifstream file(path_, std::ios::binary);
        if (!file) {
            return Error{"import_open",
                         std::string("cannot open the file: ") + std::strerror(errno), path_};
        }
        DumpInput input(file);
        in_ = &input;
        set_delimiter(";");
        if (input.peek() == 0xef && input.peek(1) == 0xbb && input.peek(2) == 0xbf) {
            input.advance(3);  // a byte order mark, as Windows editors leave one
        }
        while (!failed()) {
            skip_space();
            if (failed() || input.peek() == kEnd) break;
            if (at_delimiter()) {
                consume_delimiter();
                continue;
            }
            statement();
        }
        if (!failed() && input.read_failed())
            fail("import_open", "reading the file failed", where(input.line()));
        in_ = nullptr;
        return error_;
    }

  protected:
    // A CREATE TABLE, with its column names in order.
    virtual void table_created(const std::string& table, const std::vector<std::string>& columns) {
        (void)table;
        (void)columns;
    }
    // An INSERT into `table` at `line`, whose values are of `columns` (the INSERT's own column
    // list, else its CREATE TABLE's; empty when the dump has neither): true, with `shape`
    // filled, to be given its rows.
    virtual bool wants_rows(const std::string& table, const std::vector<std::string>& columns,
                            std::size_t line, RowShape& shape) = 0;
    // One row of such an INSERT, which starts on `line`: `values` by slot.
    virtual void row(std::vector<Value>& values, std::size_t line) = 0;

    void fail(std::string code, std::string message, std::string at) {
        if (!error_) error_ = Error{std::move(code), std::move(message), std::move(at)};
    }
    bool failed() const { return error_.has_value(); }
    std::string where(std::size_t line) const { return path_ + ":" + std::to_string(line); }

    const std::string& path_;

  private:
    void set_delimiter(std::string delimiter) {
        delimiter_ = std::move(delimiter);
        special_.fill(false);
        for (const char c : std::string_view("'\"`/-#"))
            special_[static_cast<unsigned char>(c)] = true;
        special_[static_cast<unsigned char>(delimiter_.front())] = true;
    }

    bool at_delimiter() {
        for (std::size_t i = 0; i < delimiter_.size(); ++i) {
            if (in_->peek(i) != static_cast<unsigned char>(delimiter_[i])) return false;
        }
        return true;
    }
    void consume_delimiter() {
        for (std::size_t i = 0; i < delimiter_.size(); ++i)
            in_->get();
    }

    bool at_comment() {
        const int c = in_->peek();
        if (c == '#') return true;
        if (c == '/') return in_->peek(1) == '*';
        if (c == '-' && in_->peek(1) == '-') {
            const int after = in_->peek(2);
            return after == kEnd || after <= ' ';  // "--" then a space or control character
        }
        return false;
    }

    // Precondition: at_comment(). Skips the comment, /* … */ (/*!40101 … */ included: what a
    // dump hides in them sets up the server, no table's rows) or to the end of the line.
    void skip_comment() {
        const std::size_t line = in_->line();
        if (in_->peek() != '/') {
            for (;;) {
                const std::string_view bytes = in_->buffered();
                if (bytes.empty()) return;
                const std::size_t newline = bytes.find('\n');
                if (newline != std::string_view::npos) return in_->advance(newline + 1);
                in_->advance(bytes.size());
            }
        }
        in_->advance(2);
        for (;;) {
            const std::string_view bytes = in_->buffered();
            if (bytes.empty()) {
                return fail("import_sql",
                            "the dump ends inside a /* comment */ that starts here (is it "
                            "truncated?)",
                            where(line));
            }
            const std::size_t star = bytes.find('*');
            if (star == std::string_view::npos) {
                in_->advance(bytes.size());
                continue;
            }
            in_->advance(star + 1);
            if (in_->peek() == '/') return in_->advance(1);
        }
    }

    // White space and comments.
    void skip_space() {
        while (!failed()) {
            const int c = in_->peek();
            if (is_space(c)) {
                in_->get();
            } else if (at_comment()) {
                skip_comment();
            } else {
                return;
            }
        }
    }

    // Letters, digits, '_' and '$' (a keyword, an unquoted name); empty when there are none.
    std::string read_word() {
        std::string word;
        while (is_word_char(in_->peek())) {
            if (word.size() == kMaxNameBytes) {
                fail("import_sql", "a word of more than 256 letters: not a WordPress dump",
                     where(in_->line()));
                return {};
            }
            word += static_cast<char>(in_->get());
        }
        return word;
    }

    // A name, `quoted` (as mysqldump writes them), "quoted" (ANSI_QUOTES) or bare; empty when
    // none is there.
    std::string read_name() {
        const int c = in_->peek();
        if (c != '`' && c != '"') return read_word();
        in_->get();
        Value name;
        read_string(c, &name, kMaxNameBytes);
        if (name.cut) {
            fail("import_sql", "a name of more than 256 bytes: not a WordPress dump",
                 where(in_->line()));
        }
        return name.text;
    }

    // A table's name after the words before it (IF NOT EXISTS, INTO, …), without the database
    // if the dump names one (`blog`.`wp_comments`); nullopt when there is none.
    std::optional<std::string> read_table_name(std::initializer_list<std::string_view> before) {
        for (;;) {
            skip_space();
            if (failed()) return std::nullopt;
            const bool quoted = in_->peek() == '`' || in_->peek() == '"';
            std::string name = read_name();
            if (failed() || (name.empty() && !quoted)) return std::nullopt;
            const bool keyword =
                !quoted && std::any_of(before.begin(), before.end(),
                                       [&](std::string_view word) { return iequals(word, name); });
            if (keyword) continue;
            skip_space();
            if (in_->peek() == '.') {
                in_->get();
                skip_space();
                name = read_name();
            }
            if (failed()) return std::nullopt;
            return name;
        }
    }

    static void keep(Value* out, std::string_view bytes, std::size_t limit) {
        if (out == nullptr || out->cut) return;
        if (out->text.size() + bytes.size() > limit) {
            out->text.append(bytes.substr(0, limit - out->text.size()));
            out->cut = true;
            return;
        }
        out->text.append(bytes);
    }

    // The rest of a string after its opening `quote` (or of a `quoted` name), decoded as MySQL
    // reads it: '' for a quote, and in strings the backslash escapes \0 \b \n \r \t \Z, \% and
    // \_ kept with their backslash (as MySQL keeps them), any other \x for x. Kept in `out`
    // (nullptr: dropped) up to `limit` bytes.
    void read_string(int quote, Value* out, std::size_t limit) {
        const std::size_t line = in_->line();
        const bool escapes = quote != '`';
        for (;;) {
            const std::string_view bytes = in_->buffered();
            if (bytes.empty()) {
                return fail("import_sql",
                            std::string("the dump ends inside a ") +
                                (escapes ? "string" : "`name`") +
                                " that starts on this line (is it truncated?)",
                            where(line));
            }
            std::size_t plain = 0;
            while (plain < bytes.size() && bytes[plain] != quote &&
                   !(escapes && bytes[plain] == '\\'))
                ++plain;
            keep(out, bytes.substr(0, plain), limit);
            in_->advance(plain);
            if (plain == bytes.size()) continue;
            if (in_->get() == quote) {
                if (in_->peek() != quote) return;
                in_->get();
                const char q = static_cast<char>(quote);
                keep(out, std::string_view(&q, 1), limit);
                continue;
            }
            const int escaped = in_->get();
            if (escaped == kEnd) continue;  // reported above, at the end
            char decoded = static_cast<char>(escaped);
            switch (escaped) {
                case '0':
                    decoded = '\0';
                    break;
                case 'b':
                    decoded = '\b';
                    break;
                case 'n':
                    decoded = '\n';
                    break;
                case 'r':
                    decoded = '\r';
                    break;
                case 't':
                    decoded = '\t';
                    break;
                case 'Z':
                    decoded = '\x1a';
                    break;
                case '%':
                case '_':
                    keep(out, "\\", limit);
                    break;
                default:
                    break;
            }
            keep(out, std::string_view(&decoded, 1), limit);
        }
    }

    // To the end of the statement (its delimiter).
    void skip_statement(std::size_t line) {
        while (!failed()) {
            const std::string_view bytes = in_->buffered();
            if (bytes.empty()) {
                return fail("import_sql",
                            "the dump ends inside the statement that starts here, before its '" +
                                delimiter_ + "' (is it truncated?)",
                            where(line));
            }
            std::size_t plain = 0;
            while (plain < bytes.size() && !special_[static_cast<unsigned char>(bytes[plain])])
                ++plain;
            in_->advance(plain);
            if (plain == bytes.size()) continue;
            const int c = in_->peek();
            if (is_quote(c)) {
                in_->get();
                read_string(c, nullptr, 0);
            } else if (at_comment()) {
                skip_comment();
            } else if (at_delimiter()) {
                return consume_delimiter();
            } else {
                in_->get();
            }
        }
    }

    void statement() {
        const std::size_t line = in_->line();
        if (!is_word_char(in_->peek())) {
            if (!seen_statement_) {
                return fail("import_format",
                            "the file starts with " + describe(in_->peek()) +
                                ": not an SQL dump (mysqldump's .sql file)",
                            where(line));
            }
            return skip_statement(line);
        }
        seen_statement_ = true;
        const std::string word = read_word();
        if (iequals(word, "DELIMITER")) return delimiter_line(line);
        if (iequals(word, "CREATE")) {
            skip_space();
            std::string what = read_word();
            if (iequals(what, "OR")) {  // MariaDB's CREATE OR REPLACE TABLE
                skip_space();
                read_word();
                skip_space();
                what = read_word();
            }
            if (iequals(what, "TEMPORARY")) {
                skip_space();
                what = read_word();
            }
            if (failed()) return;
            if (!iequals(what, "TABLE")) return skip_statement(line);
            const auto table = read_table_name({"IF", "NOT", "EXISTS"});
            if (failed()) return;
            if (!table) return skip_statement(line);
            return create_table(*table, line);
        }
        if (iequals(word, "INSERT") || iequals(word, "REPLACE")) return insert(line);
        skip_statement(line);
    }

    // DELIMITER ;; (the client's command around triggers and routines): to the end of the line.
    void delimiter_line(std::size_t line) {
        while (in_->peek() == ' ' || in_->peek() == '\t')
            in_->get();
        std::string delimiter;
        while (in_->peek() != kEnd && !is_space(in_->peek()) &&
               delimiter.size() <= kMaxDelimiterBytes)
            delimiter += static_cast<char>(in_->get());
        if (delimiter.empty() || delimiter.size() > kMaxDelimiterBytes) {
            return fail("import_sql", "DELIMITER without a delimiter of 1 to 16 bytes",
                        where(line));
        }
        set_delimiter(std::move(delimiter));
    }

    // After CREATE TABLE name: the column names, the first word of each definition in the list
    // that is no KEY, INDEX, PRIMARY KEY, UNIQUE, FULLTEXT, SPATIAL, CONSTRAINT, FOREIGN KEY or
    // CHECK.
    void create_table(const std::string& table, std::size_t line) {
        skip_space();
        if (failed()) return;
        if (in_->peek() != '(') return skip_statement(line);  // CREATE TABLE … LIKE / AS SELECT
        in_->get();
        std::vector<std::string> columns;
        for (bool last = false; !last;) {
            skip_space();
            if (failed()) return;
            const int first = in_->peek();
            if (first == '`' || first == '"') {
                columns.push_back(read_name());
            } else if (is_word_char(first)) {
                std::string word = read_word();
                static constexpr std::array<std::string_view, 10> kNotColumns = {
                    "KEY",     "INDEX",      "PRIMARY", "UNIQUE", "FULLTEXT",
                    "SPATIAL", "CONSTRAINT", "FOREIGN", "CHECK",  "PERIOD"};
                if (std::none_of(kNotColumns.begin(), kNotColumns.end(),
                                 [&](std::string_view w) { return iequals(w, word); }))
                    columns.push_back(std::move(word));
            }
            // The rest of the definition: to the ',' before the next or the ')' after the last.
            for (int depth = 0; !failed();) {
                const int c = in_->peek();
                if (c == kEnd) {
                    return fail(
                        "import_sql",
                        "the dump ends inside CREATE TABLE `" + table + "` (is it truncated?)",
                        where(line));
                }
                if (is_quote(c)) {
                    in_->get();
                    read_string(c, nullptr, 0);
                    continue;
                }
                if (at_comment()) {
                    skip_comment();
                    continue;
                }
                in_->get();
                if (c == '(') {
                    ++depth;
                } else if (c == ')' && depth > 0) {
                    --depth;
                } else if (c == ')') {
                    last = true;
                    break;
                } else if (c == ',' && depth == 0) {
                    break;
                }
            }
            if (failed()) return;
        }
        auto& kept = created_[table];
        kept = std::move(columns);
        table_created(table, kept);
        if (!failed()) skip_statement(line);
    }

    // After INSERT (or REPLACE): the table, its column list if any, then the rows when the
    // subclass wants them.
    void insert(std::size_t line) {
        const auto table =
            read_table_name({"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"});
        if (failed()) return;
        if (!table) return skip_statement(line);
        skip_space();
        listed_.clear();
        const bool has_list = in_->peek() == '(';
        if (has_list) {
            in_->get();
            for (;;) {
                skip_space();
                std::string name = read_name();
                if (failed()) return;
                if (name.empty()) {
                    return fail("import_sql",
                                "INSERT INTO `" + *table + "` (…): " + describe(in_->peek()) +
                                    " where a column's name should be",
                                where(in_->line()));
                }
                listed_.push_back(std::move(name));
                skip_space();
                const int c = in_->get();
                if (c == ')') break;
                if (c != ',') {
                    return fail("import_sql",
                                "INSERT INTO `" + *table + "` (…): " + describe(c) +
                                    " in the list of columns",
                                where(in_->line()));
                }
            }
        }
        skip_space();
        const std::string values = read_word();
        if (failed()) return;
        if (!iequals(values, "VALUES") && !iequals(values, "VALUE"))
            return skip_statement(line);  // INSERT … SELECT, INSERT … SET
        static const std::vector<std::string> kUnknown;
        const auto created = created_.find(*table);
        const std::vector<std::string>& columns = has_list                    ? listed_
                                                  : created != created_.end() ? created->second
                                                                              : kUnknown;
        RowShape shape;
        if (!wants_rows(*table, columns, line, shape)) return skip_statement(line);
        values_.resize(shape.limit.size());
        for (;;) {
            skip_space();
            if (failed()) return;
            const std::size_t row_line = in_->line();
            const int open = in_->peek();
            if (open != '(') {
                return fail("import_sql",
                            open == kEnd ? "the dump ends inside INSERT INTO `" + *table +
                                               "` (is it truncated?)"
                                         : "INSERT INTO `" + *table + "`: " + describe(open) +
                                               " where a row's '(' should be",
                            where(row_line));
            }
            if (!read_row(shape, *table, row_line)) return;
            row(values_, row_line);
            skip_space();
            if (failed()) return;
            if (at_delimiter()) return consume_delimiter();
            const int next = in_->get();
            if (next == ',') continue;
            if (is_word_char(next)) return skip_statement(line);  // ON DUPLICATE KEY UPDATE …
            return fail("import_sql",
                        next == kEnd
                            ? "the dump ends after a row of INSERT INTO `" + *table +
                                  "`, before its '" + delimiter_ + "' (is it truncated?)"
                            : "INSERT INTO `" + *table + "`: " + describe(next) + " after a row",
                        where(in_->line()));
        }
    }

    // Precondition: at the row's '('. Reads it into values_; false after an error.
    bool read_row(const RowShape& shape, const std::string& table, std::size_t line) {
        in_->get();
        for (Value& v : values_) {
            v.text.clear();
            v.null = false;
            v.cut = false;
        }
        std::size_t count = 0;
        skip_space();
        if (in_->peek() == ')') {
            in_->get();
        } else {
            for (;;) {
                Value* out = nullptr;
                std::size_t limit = 0;
                if (count < shape.slot.size() && shape.slot[count] >= 0) {
                    const auto slot = static_cast<std::size_t>(shape.slot[count]);
                    out = &values_[slot];
                    limit = shape.limit[slot];
                }
                read_value(out, limit, table);
                ++count;
                skip_space();
                if (failed()) return false;
                const int c = in_->get();
                if (c == ',') {
                    skip_space();
                    continue;
                }
                if (c == ')') break;
                fail("import_sql",
                     c == kEnd ? "the dump ends inside a row of `" + table + "` (is it truncated?)"
                               : "a row of `" + table + "`: " + describe(c) + " after a value",
                     where(line) + " " + table + " row");
                return false;
            }
        }
        if (!failed() && count != shape.slot.size()) {
            fail("import_sql",
                 "a row of `" + table + "` has " + std::to_string(count) +
                     " values, but the table has " + std::to_string(shape.slot.size()) + " columns",
                 where(line) + " " + table + " row");
        }
        return !failed();
    }

    // One value: 'string', NULL, a number, 0x… or X'…' hex, b'…' bits (kept as written),
    // _charset 'string'.
    void read_value(Value* out, std::size_t limit, const std::string& table) {
        int c = in_->peek();
        if (c == '\'' || c == '"') {
            in_->get();
            return read_string(c, out, limit);
        }
        if (!is_word_char(c) && c != '-' && c != '+' && c != '.') {
            return fail(
                "import_sql",
                c == kEnd ? "the dump ends inside a row of `" + table + "` (is it truncated?)"
                          : "a row of `" + table + "`: " + describe(c) + " where a value should be",
                where(in_->line()));
        }
        read_token();
        if (token_.front() == '_') {  // a character set: _binary '…', _utf8mb4 0x…
            skip_space();
            c = in_->peek();
            if (c == '\'' || c == '"') {
                in_->get();
                return read_string(c, out, limit);
            }
            read_token();
            if (token_.empty()) {
                return fail("import_sql",
                            "a row of `" + table + "`: " + describe(in_->peek()) +
                                " after a character set where a value should be",
                            where(in_->line()));
            }
        }
        if (in_->peek() == '\'' && (iequals(token_, "x") || iequals(token_, "b"))) {
            in_->get();
            if (iequals(token_, "b")) return read_string('\'', out, limit);
            Value digits;
            read_string('\'', out != nullptr ? &digits : nullptr, 2 * kMaxValueBytes);
            return keep_hex(digits.text, out, limit);
        }
        if (iequals(token_, "NULL")) {
            if (out != nullptr) out->null = true;
            return;
        }
        if (token_.size() >= 2 && token_[0] == '0' && (token_[1] == 'x' || token_[1] == 'X'))
            return keep_hex(std::string_view(token_).substr(2), out, limit);
        keep(out, token_, limit);  // a number as written
    }

    void read_token() {
        token_.clear();
        for (int c = in_->peek(); is_word_char(c) || c == '-' || c == '+' || c == '.';
             c = in_->peek())
            token_ += static_cast<char>(in_->get());
    }

    void keep_hex(std::string_view digits, Value* out, std::size_t limit) {
        if (out == nullptr) return;
        if (digits.size() % 2 != 0) {
            return fail("import_sql", "a hexadecimal value with an odd number of digits",
                        where(in_->line()));
        }
        for (std::size_t i = 0; i < digits.size(); i += 2) {
            const int high = hex_digit(digits[i]), low = hex_digit(digits[i + 1]);
            if (high < 0 || low < 0) {
                return fail("import_sql", "a hexadecimal value with a non-hexadecimal digit",
                            where(in_->line()));
            }
            const char byte = static_cast<char>(high * 16 + low);
            keep(out, std::string_view(&byte, 1), limit);
        }
    }

    std::optional<Error> error_;
    DumpInput* in_ = nullptr;
    std::string delimiter_;
    std::array<bool, 256> special_{};  // the bytes skip_statement stops at
    bool seen_statement_ = false;
    std::unordered_map<std::string, std::vector<std::string>> created_;  // table → columns
    std::vector<std::string> listed_;  // the current INSERT's column list
    std::vector<Value> values_;        // the current row's kept values
    std::string token_;
};

// What the first scan keeps of a dump, tables by their lower-case names.
struct DumpIndex {
    std::vector<std::string> comments_tables;  // in the order the dump names them
    std::unordered_map<std::string, std::unordered_map<std::string, std::string>> titles;
    std::unordered_map<std::string, std::string> home, siteurl;  // by options table
};

// The first scan: which comments tables the dump has; the ID and post_title of every row of
// each `…posts` table, and the `home` and `siteurl` rows of each `…options` table (which prefix
// is the comments table's is known only at the end).
class IndexPass : public SqlPass {
  public:
    using SqlPass::SqlPass;
    DumpIndex& index() { return index_; }

  private:
    void note_comments(const std::string& table) {
        std::string name = lowercase(table);
        auto& tables = index_.comments_tables;
        if (std::find(tables.begin(), tables.end(), name) == tables.end())
            tables.push_back(std::move(name));
    }

    void table_created(const std::string& table, const std::vector<std::string>& columns) override {
        if (is_comments_table(table, columns)) note_comments(table);
    }

    bool wants_rows(const std::string& table, const std::vector<std::string>& columns, std::size_t,
                    RowShape& shape) override {
        current_ = lowercase(table);
        if (is_comments_table(table, columns)) {
            note_comments(table);
            return false;
        }
        shape = RowShape(columns.size());
        if (iends_with(table, "posts")) {
            const int id = index_of(columns, "ID"), title = index_of(columns, "post_title");
            if (id < 0 || title < 0) return false;
            kind_ = Kind::posts;
            shape.keep(id, kMaxNameBytes);
            shape.keep(title, kMaxTitleBytes);
            return true;
        }
        if (iends_with(table, "options")) {
            const int name = index_of(columns, "option_name");
            const int value = index_of(columns, "option_value");
            if (name < 0 || value < 0) return false;
            kind_ = Kind::options;
            shape.keep(name, kMaxNameBytes);
            shape.keep(value, kMaxOptionBytes);
            return true;
        }
        return false;
    }

    void row(std::vector<Value>& values, std::size_t) override {
        const Value& key = values[0];
        const Value& value = values[1];
        if (key.null || key.cut) return;
        if (kind_ == Kind::posts) {
            std::string_view title = core::trim_ascii_space(value.text);
            if (value.cut) title = core::truncate_utf8(title, kMaxTitleBytes - 4);
            index_.titles[current_][key.text] = std::string(title);
        } else if (!value.cut && !value.null && (key.text == "home" || key.text == "siteurl")) {
            (key.text == "home" ? index_.home : index_.siteurl)[current_] =
                std::string(core::trim_ascii_space(value.text));
        }
    }

    enum class Kind { posts, options };
    DumpIndex index_;
    std::string current_;
    Kind kind_ = Kind::posts;
};

// The comments table's columns that become a record's fields.
enum Field {
    kId,
    kPostId,
    kAuthor,
    kEmail,
    kUrl,
    kIp,
    kDate,
    kDateGmt,
    kContent,
    kApproved,
    kAgent,
    kType,
    kParent,
    kFieldCount
};
constexpr std::array<std::string_view, kFieldCount> kFieldColumns = {
    "comment_ID",         "comment_post_ID",   "comment_author", "comment_author_email",
    "comment_author_url", "comment_author_IP", "comment_date",   "comment_date_gmt",
    "comment_content",    "comment_approved",  "comment_agent",  "comment_type",
    "comment_parent"};
constexpr std::array<Field, 5> kRequired = {kId, kPostId, kDateGmt, kContent, kApproved};

// The second scan: the chosen comments table's rows as records, in file order.
class CommentPass : public SqlPass {
  public:
    CommentPass(const std::string& path, const std::string& table, bool full_urls,
                const std::string& site, const std::unordered_map<std::string, std::string>* titles,
                const ImportVisitor& visit)
        : SqlPass(path),
          table_(table),
          full_urls_(full_urls),
          site_(site),
          titles_(titles),
          visit_(visit) {}

  private:
    bool wants_rows(const std::string& table, const std::vector<std::string>& columns,
                    std::size_t line, RowShape& shape) override {
        if (lowercase(table) != table_) return false;
        name_ = table;
        if (columns.empty()) {
            fail("import_format",
                 "INSERT INTO `" + table +
                     "` without a list of columns and before its CREATE TABLE: the dump does "
                     "not say which value is which",
                 where(line));
            return false;
        }
        for (const Field required : kRequired) {
            if (index_of(columns, kFieldColumns[required]) < 0) {
                fail("import_format",
                     "the rows of `" + table + "` have no column " +
                         std::string(kFieldColumns[required]),
                     where(line));
                return false;
            }
        }
        shape = RowShape(columns.size());
        for (std::size_t f = 0; f < kFieldCount; ++f)
            slot_[f] = shape.keep(index_of(columns, kFieldColumns[f]), kMaxValueBytes);
        return true;
    }

    void row(std::vector<Value>& values, std::size_t line) override {
        static const std::string kNone;
        const auto field = [&](Field f) -> const std::string& {
            return slot_[f] < 0 ? kNone : values[static_cast<std::size_t>(slot_[f])].text;
        };
        ImportedComment c;
        c.external_id = std::string(core::trim_ascii_space(field(kId)));
        c.where = where(line) + " " + name_ + " row " + c.external_id;
        for (std::size_t f = 0; f < kFieldCount; ++f) {
            if (slot_[f] >= 0 && values[static_cast<std::size_t>(slot_[f])].cut) {
                return fail("import_sql",
                            std::string(kFieldColumns[f]) +
                                " is longer than 16 MiB: not a WordPress comment",
                            c.where);
            }
        }
        const std::string type(core::trim_ascii_space(field(kType)));
        if (type == "pingback" || type == "trackback") {
            c.skip = type;
        } else if (!type.empty() && type != "comment") {
            c.skip = "comment type " + std::string(core::truncate_utf8(type, 40));
        }
        if (!c.skip.empty()) return visit_(std::move(c));

        const std::string approved(core::trim_ascii_space(field(kApproved)));
        if (approved == "1") {
            c.status = "approved";
        } else if (approved == "0") {
            c.status = "pending";
        } else if (approved == "spam") {
            c.status = "spam";
        } else if (approved == "trash" || approved == "post-trashed") {
            c.status = "rejected";
        } else {
            return fail("import_status",
                        "unknown comment_approved '" +
                            std::string(core::truncate_utf8(approved, 40)) +
                            "' (1, 0, spam, trash or post-trashed)",
                        c.where);
        }
        const std::string& date_gmt = field(kDateGmt);
        auto created = parse_iso8601(date_gmt);
        if (!created && core::trim_ascii_space(date_gmt).substr(0, 4) == "0000")
            created = parse_iso8601(field(kDate));
        if (!created) {
            return fail("import_date",
                        "comment " + c.external_id + " has no date (comment_date_gmt '" +
                            std::string(core::truncate_utf8(date_gmt, 40)) + "')",
                        c.where);
        }
        c.created_ms = *created * 1000;

        const std::string post(core::trim_ascii_space(field(kPostId)));
        const bool digits = !post.empty() && std::all_of(post.begin(), post.end(), [](char d) {
            return d >= '0' && d <= '9';
        });
        const auto thread =
            digits ? thread_from_link((full_urls_ ? site_ : "") + "/?p=" + post, full_urls_)
                   : std::nullopt;
        if (!thread) {
            return fail("import_thread",
                        "comment_post_ID '" + std::string(core::truncate_utf8(post, 40)) +
                            "' is no post's ID",
                        c.where);
        }
        c.thread_uri = *thread;
        if (titles_ != nullptr) {
            const auto title = titles_->find(post);
            if (title != titles_->end()) c.thread_title = title->second;
        }

        const std::string parent(core::trim_ascii_space(field(kParent)));
        if (parent != "0") c.parent_external_id = parent;
        c.name = field(kAuthor);
        c.email = field(kEmail);
        c.website = field(kUrl);
        c.ip = field(kIp);
        c.user_agent = field(kAgent);
        c.body = field(kContent);
        visit_(std::move(c));
    }

    const std::string& table_;
    bool full_urls_;
    const std::string& site_;
    const std::unordered_map<std::string, std::string>* titles_;
    const ImportVisitor& visit_;
    std::string name_;  // the table as the dump spells it
    std::array<int, kFieldCount> slot_{};
};

std::string without_trailing_slashes(std::string_view site) {
    site = core::trim_ascii_space(site);
    while (!site.empty() && site.back() == '/')
        site.remove_suffix(1);
    return std::string(site);
}

template <class Map>
const typename Map::mapped_type* find_in(const Map& map, const std::string& key) {
    const auto found = map.find(key);
    return found == map.end() ? nullptr : &found->second;
}

Result<ReadOutcome> read_dump(const std::string& path, const WordpressSqlOptions& options,
                              const ImportVisitor& visit) {
    IndexPass scan(path);
    if (auto error = scan.walk()) return *error;
    const DumpIndex& index = scan.index();
    if (index.comments_tables.empty()) {
        return Error{"import_format",
                     "no wp_comments table in the dump (CREATE TABLE … with comment_ID)", path};
    }
    if (index.comments_tables.size() > 1) {
        std::string tables;
        for (const auto& table : index.comments_tables)
            tables += (tables.empty() ? "" : ", ") + table;
        return Error{"import_format",
                     "the dump has several comments tables (" + tables +
                         "): a multisite network or several blogs; dump one site's tables "
                         "(mysqldump DATABASE wp_2_comments wp_2_posts wp_2_options) and import "
                         "each with its own --site",
                     path};
    }
    const std::string& table = index.comments_tables.front();
    const std::string prefix = table.substr(0, table.size() - std::string_view("comments").size());

    std::string site = without_trailing_slashes(options.site);
    if (site.empty()) {
        const std::string* home = find_in(index.home, prefix + "options");
        const std::string* siteurl = find_in(index.siteurl, prefix + "options");
        site = without_trailing_slashes(home ? *home : siteurl ? *siteurl : std::string());
    }
    if (options.full_urls) {
        if (site.empty()) {
            return Error{"import_site",
                         "--full-urls needs the blog's address, and the dump has no " + prefix +
                             "options table with home or siteurl: give it with --site https://…",
                         path};
        }
        if (!thread_from_link(site + "/?p=1", true)) {
            return Error{"import_site",
                         "the site '" + std::string(core::truncate_utf8(site, 80)) +
                             "' is not an http(s) URL",
                         path};
        }
    }

    CommentPass comments(path, table, options.full_urls, site,
                         find_in(index.titles, prefix + "posts"), visit);
    if (auto error = comments.walk()) return *error;
    ReadOutcome outcome;
    outcome.source = site.empty() ? std::string("wordpress-sql") : "wordpress " + site;
    return outcome;
}

}  // namespace

ExportReader wordpress_sql_reader(std::string path, WordpressSqlOptions options) {
    return [path = std::move(path), options = std::move(options)](const ImportVisitor& visit) {
        return read_dump(path, options, visit);
    };
}

}  // namespace vokter::app
