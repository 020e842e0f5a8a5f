#include "app/notify/transport.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "http/crypto.hpp"

namespace vokter::app::notify {

namespace {

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Curl = std::unique_ptr<CURL, CurlDeleter>;
using List = std::unique_ptr<curl_slist, ListDeleter>;

size_t discard(char*, size_t size, size_t count, void*) {
    return size * count;
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// A header's value as RFC 2047 wants it when it is not ASCII.
std::string encoded_word(const std::string& text) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\r' || c == '\n')
            return "=?UTF-8?B?" + base64(text) + "?=";
    }
    return text;
}

// Bytes a header may not carry (a line break would start a header of its own).
std::string one_line(std::string text) {
    for (char& c : text) {
        if (c == '\r' || c == '\n') c = ' ';
    }
    return text;
}

std::string rfc5322_date(long long now_ms) {
    const std::time_t seconds = static_cast<std::time_t>(now_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return text;
}

std::string curl_failure(CURLcode code, const char* detail) {
    std::string text = curl_easy_strerror(code);
    if (detail && *detail) text += std::string(": ") + detail;
    return text;
}

// Upload source for the SMTP message.
struct Upload {
    std::string_view data;
    std::size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
    std::copy_n(upload->data.data() + upload->offset, n, buffer);
    upload->offset += n;
    return n;
}

}  // namespace

WebhookClient::WebhookClient() : curl_(curl_easy_init()) {}

WebhookClient::~WebhookClient() {
    if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Attempt WebhookClient::post(const WebhookRequest& request, long timeout_seconds) {
    if (!curl_) return {false, "cannot start libcurl", true};
    CURL* c = static_cast<CURL*>(curl_);
    curl_easy_reset(c);  // the options of the last request go; its open connection stays
    List headers(curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8"));
    for (const std::string& header : request.headers)
        headers.reset(curl_slist_append(headers.release(), header.c_str()));
    char detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Vokter-Webhook/1");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(timeout_seconds, 5L));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    const CURLcode code = curl_easy_perform(c);
    const std::string failure = code == CURLE_OK ? "" : curl_failure(code, detail);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);  // `detail` goes with this call
    if (code != CURLE_OK) return {false, failure, true};
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) return {true, "", false};
    return {false, "answered HTTP " + std::to_string(status), status >= 500 || status == 429};
}

std::string mail_text(const MailMessage& message, long long now_ms) {
    std::string to;
    for (const std::string& address : message.to)
        to += (to.empty() ? "" : ", ") + one_line(address);
    std::string text = "Date: " + rfc5322_date(now_ms) + "\r\n";
    text += "From: " + one_line(message.from) + "\r\n";
    text += "To: " + to + "\r\n";
    text += "Subject: " + encoded_word(one_line(message.subject)) + "\r\n";
    const std::string domain = message.from.substr(message.from.rfind('@') + 1);
    text += "Message-ID: <" + http::random_hex(16) + "@" + one_line(domain) + ">\r\n";
    text +=
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n";
    // Lines of 76 characters, as MIME asks of base64.
    std::string body;
    for (std::size_t i = 0; i < message.text.size(); ++i) {
        if (message.text[i] == '\n' && (i == 0 || message.text[i - 1] != '\r')) body += '\r';
        body += message.text[i];
    }
    const std::string encoded = base64(body);
    for (std::size_t i = 0; i < encoded.size(); i += 76)
        text += encoded.substr(i, 76) + "\r\n";
    return text;
}

Attempt send_mail(const SmtpServer& server, const MailMessage& message, long timeout_seconds) {
    Curl curl(curl_easy_init());
    if (!curl) return {false, "cannot start libcurl", true};
    List recipients;
    for (const std::string& address : message.to)
        recipients.reset(curl_slist_append(recipients.release(), ("<" + address + ">").c_str()));
    const std::string text = mail_text(message, static_cast<long long>(std::time(nullptr)) * 1000);
    Upload upload{text};
    const std::string from = "<" + message.from + ">";
    char detail[CURL_ERROR_SIZE] = "";
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, server.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (server.require_tls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!server.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, server.ca_file.c_str());
    if (!server.user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, server.user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, server.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(timeout_seconds, 10L));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    const CURLcode code = curl_easy_perform(c);
    if (code == CURLE_OK) return {true, "", false};
    // libcurl does not tell a refused message from a refusing server well enough: both count
    // as the server's (the next pass tries the least attempted deliveries first).
    return {false, curl_failure(code, detail), true};
}

}  // namespace vokter::app::notify
