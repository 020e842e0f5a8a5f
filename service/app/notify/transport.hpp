#pragma once
// The two ways a notification leaves Vokter, both through libcurl: a webhook POST and an SMTP
// message. Each makes one attempt with bounded connect and total times and says how it went;
// retrying is the sender's business (sender.hpp). Callable from any thread after
// curl_global_init (the Sender makes that call).

#include <string>
#include <vector>

namespace vokter::app::notify {

struct Attempt {
    bool delivered = false;  // the receiver acknowledged it (a 2xx; SMTP's 250 after DATA)
    std::string error;       // why not, for the log and the delivery's last_error
    // Not delivered for the receiver's sake, not the message's: unreachable, timed out, a 5xx or
    // a 429 (an HTTP 4xx else is about this one message, and the next may pass).
    bool receiver_down = false;
};

struct WebhookRequest {
    std::string url;
    std::string body;                  // JSON
    std::vector<std::string> headers;  // "Name: value"
};

// POSTs webhook requests (Content-Type: application/json), keeping the connection to the
// receiver open between them. Redirects are not followed: a webhook's address is configured,
// and a redirect elsewhere is an error to see. One thread at a time.
class WebhookClient {
  public:
    WebhookClient();
    ~WebhookClient();
    WebhookClient(const WebhookClient&) = delete;
    WebhookClient& operator=(const WebhookClient&) = delete;

    Attempt post(const WebhookRequest& request, long timeout_seconds = 10);

  private:
    void* curl_;  // CURL*
};

struct SmtpServer {
    std::string url;          // smtp://host:587 (STARTTLS) or smtps://host:465 (TLS from the start)
    std::string user;         // empty: no AUTH
    std::string password;     // never logged
    bool require_tls = true;  // smtp:// upgrades with STARTTLS, or the message is not sent
    std::string ca_file;      // the CA bundle to verify the server with; empty: the system's
};

struct MailMessage {
    std::string from;
    std::vector<std::string> to;
    std::string subject;  // UTF-8; encoded for the header (RFC 2047) here
    std::string text;     // UTF-8 plain text
};

// Sends `message` through `server` as one SMTP transaction.
Attempt send_mail(const SmtpServer& server, const MailMessage& message, long timeout_seconds = 30);

// The message as it goes on the wire (headers and a base64 UTF-8 body, CRLF line
// ends, a Date and a Message-ID): what send_mail uploads. For tests.
std::string mail_text(const MailMessage& message, long long now_ms);

}  // namespace vokter::app::notify
