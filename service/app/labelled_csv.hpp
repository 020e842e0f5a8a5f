#pragma once
// Labelled comment corpora in CSV, for `vokter rules backtest` and anything else that learns from
// or measures on comments a person has labelled spam or ham. Two layouts are recognised by their
// headers (any case):
//
//   YouTube Spam Collection  COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS   (some copies call CLASS "TAG")
//   WordPress export         comment_number,author,author_url,author_email,submitted_local,
//                            post_title,content,label
//
// and any other CSV whose columns are named in LabelledCsvOptions. Reading is strict, because a
// silently misread corpus gives wrong figures: an unknown label, a record whose field count differs
// from the header's, an unterminated quoted field, a date that is not ISO 8601, an empty file or a
// header without a body column is an error naming "file:line". Pure apart from
// read_labelled_csv(), which reads one file; thread-safe.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/submission.hpp"

namespace vokter::app {

// One labelled comment.
struct LabelledComment {
    // body, name, email, website and title, those the file has columns for; the rest stay empty.
    core::Submission submission;
    bool spam = false;
    // Unix seconds from the date column (ISO 8601; a time without zone is read as UTC); 0 when the
    // file has no date column or the cell is empty.
    std::int64_t created = 0;
    std::size_t line = 0;  // the line of the file the record starts on (the header is line 1)
    std::string source;    // the file, as it was named to the reader
};

// How a file is read. Every column option is a header name compared without regard to case or
// surrounding white space, with two special values:
//   ""  (default) recognise the column: the first of the names listed below that the header has;
//       a column that is not found is not read (the body is required, see below);
//   "-" do not read this column even if the header has it.
// A column named explicitly must exist.
//
//   option          recognised names
//   body_column     content, body, comment_content, comment, text    (required)
//   name_column     author, name, comment_author
//   email_column    author_email, email, comment_author_email
//   website_column  author_url, website, url, comment_author_url
//   title_column    post_title, title
//   date_column     date, submitted_local, created, comment_date
//   label_column    class, label, tag, is_spam; when none is found, the last column
//
// Labels are compared without regard to ASCII case or surrounding white space; a label in neither
// list is an error.
struct LabelledCsvOptions {
    std::string body_column;
    std::string name_column;
    std::string email_column;
    std::string website_column;
    std::string title_column;
    std::string date_column;
    std::string label_column;
    std::vector<std::string> spam_labels = {"1", "spam"};
    std::vector<std::string> ham_labels = {"0", "ham"};
    // Apply clean_exported_text() to the body, name and title (HTML-escaped exports such as the
    // YouTube collection); e-mail and website are taken as they are.
    bool clean_text = true;
};

// The column option value that turns a column off.
inline constexpr std::string_view kNoColumn = "-";

// At most this many errors are reported for one file; one more error says how many were left out.
inline constexpr std::size_t kMaxCsvErrors = 20;

// Reads and parses one file (see parse_labelled_csv); `source` of each comment and the file part
// of each error location is path.string(). A file that cannot be read is an error
// ("file_unreadable").
Result<std::vector<LabelledComment>> read_labelled_csv(const std::filesystem::path& path,
                                                       const LabelledCsvOptions& options = {});

// Parses CSV text named `source`. Returns the comments in file order, or every error found (up to
// kMaxCsvErrors), each with `where` = "source:line". A header without data rows gives no comments
// and no error. Error codes: csv_empty, csv_no_column, csv_unterminated_quote, csv_field_count,
// csv_label, csv_date, csv_too_many_errors.
Result<std::vector<LabelledComment>> parse_labelled_csv(std::string_view text,
                                                        std::string_view source,
                                                        const LabelledCsvOptions& options = {});

// One CSV record and the line it starts on (1-based).
struct CsvRecord {
    std::vector<std::string> fields;
    std::size_t line = 0;
};

// Splits CSV text into records (RFC 4180: fields separated by commas, records by LF, CRLF or CR;
// a field that starts with '"' is quoted and may hold commas, line breaks and '""' for a quote;
// text after a closing quote is kept as it is). A leading UTF-8 byte order mark is dropped and
// lines holding only white space are skipped. Fails only on a quoted field that is never closed:
// one error "csv_unterminated_quote" at "source:line" where the field opens.
Result<std::vector<CsvRecord>> parse_csv_records(std::string_view text, std::string_view source);

// Unix seconds of an ISO 8601 date or date-time: YYYY-MM-DD, optionally followed by 'T' or a space
// and hh:mm, hh:mm:ss or hh:mm:ss.fraction (the fraction is dropped), optionally followed by 'Z'
// or an offset ±hh:mm / ±hhmm / ±hh. Without a zone the time is read as UTC. nullopt when the text
// is anything else or names no real date or time (2017-02-30, 24:00).
std::optional<std::int64_t> parse_iso8601(std::string_view text);

// Turns a comment from an HTML-escaped export into plain text: <br> tags become newlines,
// entities (&amp; &lt; &gt; &quot; &apos; &nbsp; &#NNN; &#xHH;) are decoded, U+FEFF is removed.
// Anything else is kept byte for byte.
std::string clean_exported_text(std::string_view text);

}  // namespace vokter::app
