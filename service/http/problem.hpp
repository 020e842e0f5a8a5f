#pragma once
// Errors as the API answers them: RFC 9457 problem details
// ({"type","title","status","detail","errors":[{"field","message"}]}). Handlers throw ApiError;
// the one barrier in the server turns it into a response. Anything else is logged and becomes
// a 500, or a 503 for a storage fault (unexpected_problem).

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

// The answer to an exception other than ApiError (the caller logs it): a storage fault
// (store::StoreError::is_unavailable(): a full disk, a lock held past the busy timeout, a
// read-only or damaged file) is 503 with Retry-After; anything else a 500 "internal error".
Problem unexpected_problem(const std::exception& e);

// Shorthands for the common cases.
[[noreturn]] void fail(int status, std::string detail);
[[noreturn]] void fail_fields(std::vector<FieldError> errors);  // 422

}  // namespace vokter::http
