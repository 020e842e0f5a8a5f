#include "app/labelled_csv.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "core/utf8_scan.hpp"

namespace vokter::app {

namespace {

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back()))
        text.remove_suffix(1);
    return text;
}

std::string key_of(std::string_view text) {
    return lower_ascii(trim(text));
}

std::string at_line(std::string_view source, std::size_t line) {
    return std::string(source) + ':' + std::to_string(line);
}

// Reads `count` ASCII digits at text[pos]; advances pos. nullopt when they are not all digits.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool take(std::string_view text, std::size_t& pos, char c) {
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// Where each field of a comment comes from: an index into the record, or none.
struct Columns {
    std::size_t body = 0;
    std::size_t label = 0;
    std::optional<std::size_t> name, email, website, title, date;
};

// Finds one column by the option's rule (see LabelledCsvOptions). Adds an error when an explicitly
// named column is missing; returns nullopt when the column is not read.
std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       const std::string& option,
                                       std::initializer_list<std::string_view> recognised,
                                       std::string_view what, std::string_view source,
                                       std::size_t line, std::vector<Error>& errors) {
    if (option == kNoColumn) return std::nullopt;
    const auto index_of = [&](std::string_view name) -> std::optional<std::size_t> {
        const std::string wanted = key_of(name);
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (key_of(header[i]) == wanted) return i;
        }
        return std::nullopt;
    };
    if (!option.empty()) {
        if (auto found = index_of(option)) return found;
        errors.push_back({"csv_no_column",
                          "the header has no column named '" + option + "' (the " +
                              std::string(what) + " column)",
                          at_line(source, line)});
        return std::nullopt;
    }
    for (const std::string_view name : recognised) {
        if (auto found = index_of(name)) return found;
    }
    return std::nullopt;
}

std::string label_list(const std::vector<std::string>& labels) {
    std::string out;
    for (const std::string& label : labels) {
        if (!out.empty()) out += ", ";
        out += label;
    }
    return out.empty() ? "none" : out;
}

bool in_labels(const std::string& key, const std::vector<std::string>& labels) {
    return std::any_of(labels.begin(), labels.end(),
                       [&](const std::string& label) { return key_of(label) == key; });
}

}  // namespace

Result<std::vector<CsvRecord>> parse_csv_records(std::string_view text, std::string_view source) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<CsvRecord> records;
    CsvRecord record;
    std::string field;
    std::size_t line = 1;
    record.line = 1;
    bool blank = true;  // the record so far is only white space, outside quotes

    const auto end_record = [&] {
        if (!blank) {
            record.fields.push_back(std::move(field));
            records.push_back(std::move(record));
        }
        record = CsvRecord{};
        field.clear();
        blank = true;
    };
    // Consumes a line break at text[i] ('\n', '\r' or "\r\n"); returns false if there is none.
    const auto line_break = [&](std::size_t& i) {
        if (text[i] == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (text[i] != '\n') {
            return false;
        }
        ++line;
        return true;
    };

    for (std::size_t i = 0; i < text.size(); ++i) {
        if (record.fields.empty() && field.empty() && blank) record.line = line;
        const char c = text[i];
        if (c == '"' && trim(field).empty()) {
            // A quoted field: up to the closing quote, with "" for a quote inside.
            const std::size_t opened = line;
            field.clear();
            blank = false;
            bool closed = false;
            for (++i; i < text.size(); ++i) {
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        ++i;
                    } else {
                        closed = true;
                        break;
                    }
                } else {
                    const std::size_t before = i;
                    if (line_break(i)) {
                        field.append(text.substr(before, i - before + 1));
                    } else {
                        field += text[i];
                    }
                }
            }
            if (!closed) {
                return Error{"csv_unterminated_quote", "a quoted field opened here is never closed",
                             at_line(source, opened)};
            }
            continue;
        }
        if (c == ',') {
            record.fields.push_back(std::move(field));
            field.clear();
            blank = false;
        } else if (line_break(i)) {
            end_record();
        } else {
            field += c;
            if (!is_blank(c)) blank = false;
        }
    }
    end_record();
    return records;
}

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
    using namespace std::chrono;
    text = trim(text);
    std::size_t pos = 0;
    const auto y = digits(text, pos, 4);
    if (!y || !take(text, pos, '-')) return std::nullopt;
    const auto mo = digits(text, pos, 2);
    if (!mo || !take(text, pos, '-')) return std::nullopt;
    const auto d = digits(text, pos, 2);
    if (!d) return std::nullopt;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    std::int64_t seconds =
        duration_cast<std::chrono::seconds>(sys_days{date}.time_since_epoch()).count();
    if (pos == text.size()) return seconds;

    if (!take(text, pos, 'T') && !take(text, pos, 't') && !take(text, pos, ' '))
        return std::nullopt;
    const auto h = digits(text, pos, 2);
    if (!h || !take(text, pos, ':')) return std::nullopt;
    const auto mi = digits(text, pos, 2);
    if (!mi) return std::nullopt;
    int s = 0;
    if (take(text, pos, ':')) {
        const auto sec = digits(text, pos, 2);
        if (!sec) return std::nullopt;
        s = *sec;
        if (take(text, pos, '.') || take(text, pos, ',')) {
            const std::size_t start = pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
                ++pos;
            if (pos == start) return std::nullopt;
        }
    }
    if (*h > 23 || *mi > 59 || s > 60) return std::nullopt;  // 60: a leap second
    seconds += *h * 3600 + *mi * 60 + s;
    if (pos == text.size()) return seconds;

    if (take(text, pos, 'Z') || take(text, pos, 'z')) {
        return pos == text.size() ? std::optional<std::int64_t>(seconds) : std::nullopt;
    }
    const char sign = text[pos];
    if (sign != '+' && sign != '-') return std::nullopt;
    ++pos;
    const auto oh = digits(text, pos, 2);
    if (!oh) return std::nullopt;
    int om = 0;
    if (pos < text.size()) {
        take(text, pos, ':');
        const auto m = digits(text, pos, 2);
        if (!m) return std::nullopt;
        om = *m;
    }
    if (pos != text.size() || *oh > 23 || om > 59) return std::nullopt;
    const std::int64_t offset = *oh * 3600 + om * 60;
    return sign == '+' ? seconds - offset : seconds + offset;
}

Result<std::vector<LabelledComment>> parse_labelled_csv(std::string_view text,
                                                        std::string_view source,
                                                        const LabelledCsvOptions& options) {
    auto parsed = parse_csv_records(text, source);
    if (!parsed) return parsed.errors();
    const std::vector<CsvRecord>& records = parsed.value();
    if (records.empty()) {
        return Error{"csv_empty", "the file is empty: no header row", at_line(source, 1)};
    }
    const std::vector<std::string>& header = records[0].fields;
    const std::size_t header_line = records[0].line;

    std::vector<Error> errors;
    const auto column = [&](const std::string& option,
                            std::initializer_list<std::string_view> recognised,
                            std::string_view what) {
        return find_column(header, option, recognised, what, source, header_line, errors);
    };
    Columns cols;
    const auto body = column(options.body_column,
                             {"content", "body", "comment_content", "comment", "text"}, "body");
    cols.name = column(options.name_column, {"author", "name", "comment_author"}, "name");
    cols.email =
        column(options.email_column, {"author_email", "email", "comment_author_email"}, "e-mail");
    cols.website = column(options.website_column,
                          {"author_url", "website", "url", "comment_author_url"}, "website");
    cols.title = column(options.title_column, {"post_title", "title"}, "title");
    cols.date =
        column(options.date_column, {"date", "submitted_local", "created", "comment_date"}, "date");
    auto label = column(options.label_column, {"class", "label", "tag", "is_spam"}, "label");
    if (!label && options.label_column.empty()) label = header.size() - 1;
    if (!body && options.body_column != kNoColumn && options.body_column.empty()) {
        errors.push_back({"csv_no_column",
                          "the header has no body column (content, body, comment_content, comment "
                          "or text); name it with the body column option",
                          at_line(source, header_line)});
    } else if (options.body_column == kNoColumn) {
        errors.push_back(
            {"csv_no_column", "the body column cannot be left out", at_line(source, header_line)});
    }
    if (!label && options.label_column == kNoColumn) {
        errors.push_back(
            {"csv_no_column", "the label column cannot be left out", at_line(source, header_line)});
    }
    if (!errors.empty()) return errors;
    cols.body = *body;
    cols.label = *label;

    std::vector<LabelledComment> comments;
    comments.reserve(records.size() - 1);
    std::size_t left_out = 0;
    const auto fail = [&](std::string code, std::string message, std::size_t line) {
        if (errors.size() < kMaxCsvErrors) {
            errors.push_back({std::move(code), std::move(message), at_line(source, line)});
        } else {
            ++left_out;
        }
    };
    const auto text_of = [&](const std::string& cell) {
        return options.clean_text ? clean_exported_text(cell) : cell;
    };
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& record = records[r];
        if (record.fields.size() != header.size()) {
            fail("csv_field_count",
                 "the record has " + std::to_string(record.fields.size()) + " fields, the header " +
                     std::to_string(header.size()),
                 record.line);
            continue;
        }
        LabelledComment c;
        c.line = record.line;
        c.source = std::string(source);
        const std::string key = key_of(record.fields[cols.label]);
        if (in_labels(key, options.spam_labels)) {
            c.spam = true;
        } else if (!in_labels(key, options.ham_labels)) {
            fail("csv_label",
                 "unknown label '" + std::string(trim(record.fields[cols.label])) +
                     "' (spam: " + label_list(options.spam_labels) +
                     "; ham: " + label_list(options.ham_labels) + ")",
                 record.line);
            continue;
        }
        if (cols.date) {
            const std::string_view cell = trim(record.fields[*cols.date]);
            if (!cell.empty()) {
                const auto created = parse_iso8601(cell);
                if (!created) {
                    fail("csv_date",
                         "date '" + std::string(core::truncate_utf8(cell, 40)) +
                             "' is not ISO 8601 (YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM])",
                         record.line);
                    continue;
                }
                c.created = *created;
            }
        }
        core::Submission& s = c.submission;
        s.body = text_of(record.fields[cols.body]);
        if (cols.name) s.name = text_of(record.fields[*cols.name]);
        if (cols.title) s.title = text_of(record.fields[*cols.title]);
        if (cols.email) s.email = std::string(trim(record.fields[*cols.email]));
        if (cols.website) s.website = std::string(trim(record.fields[*cols.website]));
        comments.push_back(std::move(c));
    }
    if (left_out > 0) {
        errors.push_back({"csv_too_many_errors", "and " + std::to_string(left_out) + " more errors",
                          std::string(source)});
    }
    if (!errors.empty()) return errors;
    return comments;
}

Result<std::vector<LabelledComment>> read_labelled_csv(const std::filesystem::path& path,
                                                       const LabelledCsvOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"file_unreadable", "cannot open " + path.string(), path.string()};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return Error{"file_unreadable", "cannot read " + path.string(), path.string()};
    return parse_labelled_csv(text.str(), path.string(), options);
}

std::string clean_exported_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, 3, "\xEF\xBB\xBF") == 0) {  // U+FEFF
            i += 3;
            continue;
        }
        if (text[i] == '<') {
            const auto close = text.find('>', i);
            if (close != std::string_view::npos) {
                std::string tag = lower_ascii(text.substr(i, close - i + 1));
                tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
                if (tag == "<br>" || tag == "<br/>") {
                    out += '\n';
                    i = close + 1;
                    continue;
                }
            }
        }
        if (text[i] == '&') {
            const auto semi = text.find(';', i);
            if (semi != std::string_view::npos && semi - i <= 10) {
                const std::string_view entity = text.substr(i + 1, semi - i - 1);
                std::optional<std::uint32_t> cp;
                if (entity == "amp")
                    cp = '&';
                else if (entity == "lt")
                    cp = '<';
                else if (entity == "gt")
                    cp = '>';
                else if (entity == "quot")
                    cp = '"';
                else if (entity == "apos")
                    cp = '\'';
                else if (entity == "nbsp")
                    cp = ' ';
                else if (entity.size() > 1 && entity[0] == '#') {
                    const bool hex = entity[1] == 'x' || entity[1] == 'X';
                    const std::string digits_text(entity.substr(hex ? 2 : 1));
                    if (!digits_text.empty() && digits_text.size() <= 7 &&
                        digits_text.find_first_not_of(hex ? "0123456789abcdefABCDEF"
                                                          : "0123456789") == std::string::npos) {
                        cp = static_cast<std::uint32_t>(
                            std::stoul(digits_text, nullptr, hex ? 16 : 10));
                    }
                }
                if (cp) {
                    if (*cp != 0xFEFF) core::append_utf8(out, static_cast<char32_t>(*cp));
                    i = semi + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

}  // namespace vokter::app
