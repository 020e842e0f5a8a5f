#include "http/problem.hpp"

#include <nlohmann/json.hpp>

#include "store/database.hpp"

namespace vokter::http {

std::string status_title(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 413:
            return "Content Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Content";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 503:
            return "Service Unavailable";
        default:
            return status >= 500 ? "Internal Server Error" : "Error";
    }
}

std::string Problem::to_json() const {
    nlohmann::json doc = {{"type", "about:blank"},
                          {"title", title.empty() ? status_title(status) : title},
                          {"status", status},
                          {"detail", detail}};
    if (!errors.empty()) {
        auto& list = doc["errors"] = nlohmann::json::array();
        for (const auto& e : errors)
            list.push_back({{"field", e.field}, {"message", e.message}});
    }
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void fail(int status, std::string detail) {
    throw ApiError(Problem{status, status_title(status), std::move(detail), {}, {}});
}

Problem unexpected_problem(const std::exception& e) {
    const auto* store_error = dynamic_cast<const store::StoreError*>(&e);
    if (!store_error || !store_error->is_unavailable()) {
        return {500, status_title(500), "internal error", {}, {}};
    }
    // A lock is usually released within seconds; a full disk or a damaged file needs a person.
    const char* retry_after = store_error->is_busy() ? "5" : "60";
    return {503,
            status_title(503),
            "the comment store cannot write right now (" + store_error->reason() +
                "); nothing was changed, try again later",
            {},
            {{"Retry-After", retry_after}}};
}

void fail_fields(std::vector<FieldError> errors) {
    std::string detail = errors.size() == 1 ? errors.front().field + ": " + errors.front().message
                                            : std::to_string(errors.size()) + " fields are invalid";
    throw ApiError(Problem{422, status_title(422), std::move(detail), std::move(errors), {}});
}

}  // namespace vokter::http
