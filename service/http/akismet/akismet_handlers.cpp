// The Akismet-compatible API (Akismet REST API 1.1): POST /1.1/verify-key, /1.1/comment-check,
// /1.1/submit-spam and /1.1/submit-ham. Every answer is 200 text/plain, as the real service
// answers and as its clients expect (they treat any other status as an outage), except 413 for a
// body over max_request_bytes. Problems are explained in an X-akismet-debug-help header.

#include <functional>

#include "http/akismet/akismet_form.hpp"
#include "http/akismet/akismet_mapping.hpp"
#include "http/log.hpp"
#include "http/problem.hpp"
#include "http/server_impl.hpp"

namespace vokter::http {

namespace {

constexpr const char* kThanks = "Thanks for making the web a better place.";
constexpr const char* kBadKeyHelp =
    "This API key is not valid on this Vokter. Send the key `vokter apikey add` printed as the "
    "first label of the host name (KEY.vokter.example) or as the api_key field.";

void send_text(httplib::Response& res, const std::string& body, const std::string& debug = "") {
    res.status = 200;
    res.set_content(body, "text/plain; charset=utf-8");
    if (!debug.empty()) res.set_header("X-akismet-debug-help", debug);
}

// A header value from free text: no control characters (they would split the header).
std::string header_safe(std::string text) {
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    }
    return text.substr(0, 300);
}

// The real service's answer to a request without a required field.
void send_missing(httplib::Response& res, const std::string& name) {
    send_text(res, "Missing required field: " + name + ".", "Empty \"" + name + "\" value");
}

}  // namespace

void Server::Impl::akismet_barrier(const httplib::Request& req, httplib::Response& res,
                                   const std::function<void()>& handler) {
    try {
        handler();
        res.set_header("Cache-Control", "no-store");
    } catch (const ApiError& e) {
        res = httplib::Response();
        if (e.problem().status == 413) {
            res.status = 413;
            res.set_content(e.problem().detail, "text/plain; charset=utf-8");
            res.set_header("Connection", "close");
            return;
        }
        send_text(res, "Vokter could not read this request.", header_safe(e.problem().detail));
    } catch (const std::exception& e) {
        log_line(std::string("error: ") + req.method + " " + req.path + ": " + e.what());
        res = httplib::Response();
        send_text(res, "Vokter could not answer this request.",
                  "An internal error happened; the service log has the details.");
    }
}

// The key of an Akismet request, tried in order: the `first_field` body field, the first label
// of the Host header, then `second_field`. Empty when none is a known key.
std::optional<store::ApiKey> Server::Impl::akismet_key(const httplib::Request& req,
                                                       const AkismetFields& fields,
                                                       std::string_view first_field,
                                                       std::string_view second_field) {
    for (const std::string& candidate :
         {std::string(field(fields, first_field)), key_from_host(req.get_header_value("Host")),
          std::string(field(fields, second_field))}) {
        if (auto key = akismet.find_key(candidate)) return key;
    }
    return std::nullopt;
}

void Server::Impl::handle_akismet_verify_key(const httplib::Request& req, httplib::Response& res,
                                             const httplib::ContentReader& reader) {
    const AkismetFields fields =
        parse_akismet_form(read_body(req, reader, options.max_request_bytes));
    if (!akismet_key(req, fields, "key", "api_key")) {
        send_text(res, "invalid", kBadKeyHelp);
        return;
    }
    send_text(res, "valid");
}

// Parses the request and checks its key and user_ip; answers and returns empty when either is
// missing or wrong.
std::optional<std::pair<store::ApiKey, AkismetComment>> Server::Impl::akismet_comment(
    const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    const AkismetFields fields =
        parse_akismet_form(read_body(req, reader, options.max_request_bytes));
    auto key = akismet_key(req, fields, "api_key", "key");
    if (!key) {
        send_text(res, "invalid", kBadKeyHelp);
        return std::nullopt;
    }
    AkismetComment comment = map_akismet_comment(
        fields, charset_parameter(req.get_header_value("Content-Type")), options.limits, key->blog);
    if (comment.submission.ip.empty()) {
        send_missing(res, "user_ip");
        return std::nullopt;
    }
    return std::make_pair(std::move(*key), std::move(comment));
}

void Server::Impl::handle_akismet_comment_check(const httplib::Request& req, httplib::Response& res,
                                                const httplib::ContentReader& reader) {
    const auto request = akismet_comment(req, res, reader);
    if (!request) return;
    const AkismetCheck check = akismet.check(request->second, now_ms());
    if (check.scored) verdicts.record("akismet", check.verdict, rules.current());
    send_text(res, check.spam ? "true" : "false");
    if (check.discard) res.set_header("X-akismet-pro-tip", "discard");
}

void Server::Impl::handle_akismet_submit_spam(const httplib::Request& req, httplib::Response& res,
                                              const httplib::ContentReader& reader) {
    const auto request = akismet_comment(req, res, reader);
    if (!request) return;
    akismet.report(request->second, request->first, true, now_ms());
    send_text(res, kThanks);
}

void Server::Impl::handle_akismet_submit_ham(const httplib::Request& req, httplib::Response& res,
                                             const httplib::ContentReader& reader) {
    const auto request = akismet_comment(req, res, reader);
    if (!request) return;
    akismet.report(request->second, request->first, false, now_ms());
    send_text(res, kThanks);
}

}  // namespace vokter::http
