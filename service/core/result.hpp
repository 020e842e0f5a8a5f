#pragma once
// Errors are values inside the core: a failing operation returns a Result holding one or more
// Errors instead of throwing. Exceptions are used only at the edges (http, app).

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vokter {

struct Error {
    std::string code;     // stable machine-readable kind, e.g. "invalid_regex", "toml_syntax"
    std::string message;  // what is wrong, for a person
    std::string where;    // where it is: "rules.toml:12:3 rule PHARMA_WORDS", a field name, or ""
};

// Either a value or a non-empty list of errors (loaders report every error at once).
template <class T>
class Result {
  public:
    Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : state_(std::vector<Error>{std::move(error)}) {}  // NOLINT
    Result(std::vector<Error> errors) : state_(std::move(errors)) {}       // NOLINT

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    // Precondition: ok().
    T& value() & { return std::get<T>(state_); }
    const T& value() const& { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }

    // Precondition: !ok().
    const std::vector<Error>& errors() const { return std::get<std::vector<Error>>(state_); }

  private:
    std::variant<T, std::vector<Error>> state_;
};

}  // namespace vokter
