#pragma once
// Errors as the API answers them: RFC 9457 problem details
// ({"type","title","status","detail","errors":[{"field","message"}]}). Handlers throw ApiError;
// the one barrier in the server turns it into a response. Anything else becomes a logged 500.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vokter::http {

struct FieldError {
    std::string field;
    std::string message;
};

struct Problem {
    int status = 500;
    std::string title;
    std::string detail;
    std::vector<FieldError> errors;
    std::vector<std::pair<std::string, std::string>> headers;  // e.g. Retry-After

    std::string to_json() const;
};

class ApiError : public std::runtime_error {
  public:
    explicit ApiError(Problem problem)
        : std::runtime_error(problem.detail), problem_(std::move(problem)) {}
    const Problem& problem() const { return problem_; }

  private:
    Problem problem_;
};

// The standard title of an HTTP status ("Unprocessable Content", …).
std::string status_title(int status);

// Shorthands for the common cases.
[[noreturn]] void fail(int status, std::string detail);
[[noreturn]] void fail_fields(std::vector<FieldError> errors);  // 422

}  // namespace vokter::http
