// A reader's rights through the moderator API (store/personal_data.hpp): the export of what is
// stored with an e-mail address, and its erasure. The address travels in a JSON body, never in
// the URL, so that it stays out of access logs.

#include "http/moderation/moderation_codecs.hpp"
#include "http/problem.hpp"
#include "http/server_impl.hpp"
#include "store/personal_data.hpp"

namespace vokter::http {

namespace {

constexpr std::size_t kMaxEmailBytes = 320;  // a local part of 64 and a domain of 255, with '@'

struct PersonalDataRequest {
    std::string email;
    bool bodies = false;
};

void require_json(const httplib::Request& req) {
    std::string type = req.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    if (type != "application/json") fail(415, "send application/json");
}

// {"email": "…"} and, for an erasure, "bodies": true|false.
PersonalDataRequest parse_request(const std::string& body, bool erase) {
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) fail(400, "the body is not a JSON object");
    std::vector<FieldError> errors;
    PersonalDataRequest request;
    const auto email = doc.find("email");
    if (email == doc.end() || !email->is_string() || email->get<std::string>().empty() ||
        email->get<std::string>().size() > kMaxEmailBytes ||
        email->get<std::string>().find('@') == std::string::npos) {
        errors.push_back({"email", "must be the reader's e-mail address"});
    } else {
        request.email = email->get<std::string>();
    }
    if (const auto bodies = doc.find("bodies"); erase && bodies != doc.end()) {
        if (!bodies->is_boolean()) {
            errors.push_back({"bodies", "must be true or false"});
        } else {
            request.bodies = bodies->get<bool>();
        }
    }
    if (!errors.empty()) fail_fields(std::move(errors));
    return request;
}

}  // namespace

void Server::Impl::handle_personal_data(const httplib::Request& req, httplib::Response& res,
                                        const std::string& moderator,
                                        const httplib::ContentReader& reader) {
    require_json(req);
    const auto request = parse_request(read_body(req, reader, options.max_request_bytes), false);
    store::PersonalData data;
    {
        auto db = store.read();
        data = store::personal_data(*db, request.email);
    }
    if (data.empty()) fail(404, "no comment or Akismet report holds that address");
    const std::int64_t now = now_ms();
    store.writer().run(
        [&](store::Connection& db) { store::log_personal_data_export(db, data, moderator, now); });
    send_json(res, 200, personal_data_json(data, request.email, now));
}

void Server::Impl::handle_erase_personal_data(const httplib::Request& req, httplib::Response& res,
                                              const std::string& moderator,
                                              const httplib::ContentReader& reader) {
    require_json(req);
    const auto request = parse_request(read_body(req, reader, options.max_request_bytes), true);
    const std::int64_t now = now_ms();
    const store::Erasure erased = store.writer().run([&](store::Connection& db) {
        return store::erase_personal_data(db, request.email, request.bodies, moderator, now);
    });
    if (erased.empty()) fail(404, "no comment or Akismet report holds that address");
    send_json(res, 200,
              {{"comments", erased.comments},
               {"akismet_reports", erased.reports},
               {"training", erased.training},
               {"bodies", request.bodies}});
}

}  // namespace vokter::http
