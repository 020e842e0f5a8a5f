// Notifications through the real binary and real receivers: a webhook receiver in this process
// (cpp-httplib on loopback) and Debian's aiosmtpd as a mail sink that requires STARTTLS. Signed
// JSON with a Slack-style text; an unreachable receiver retried, logged and in the metrics while
// posts go on; kill -9 with undelivered events, then each delivered once; mail per held comment
// and as a digest.

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "app/notify/sender.hpp"
#include "http/crypto.hpp"
#include "http/log.hpp"
#include "store/comment_repository.hpp"
#include "support/test_support.hpp"

using vokter::test::metric_value;
using vokter::test::Process;
using vokter::test::TempDir;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kRules = R"(version = "notify-test"
[thresholds]
hold = 5.0
spam = 10.0

[[rule]]
id = "HOLD_WORD"
words = ["kjøp"]
score = 6.0

[[rule]]
id = "SPAM_WORD"
words = ["casino"]
score = 12.0
)";
constexpr const char* kSecret = "delt-hemmelighet-for-test";

// A webhook receiver: answers `failing` with 503 while it is set, else 200; keeps every request.
struct Receiver {
    struct Request {
        std::string body, signature, event, delivery;
        int answered = 0;
    };
    Receiver() {
        server.Post("/hook/T0-hemmelig",
                    [this](const httplib::Request& req, httplib::Response& res) {
                        std::lock_guard lock(mutex);
                        res.status = failing ? 503 : 200;
                        requests.push_back({req.body, req.get_header_value("X-Vokter-Signature"),
                                            req.get_header_value("X-Vokter-Event"),
                                            req.get_header_value("X-Vokter-Delivery"), res.status});
                    });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running())
            std::this_thread::sleep_for(1ms);
    }
    ~Receiver() {
        server.stop();
        thread.join();
    }
    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(port) + "/hook/T0-hemmelig";
    }
    std::vector<Request> taken() {
        std::lock_guard lock(mutex);
        return requests;
    }
    // Acknowledged requests per delivery id.
    std::map<std::string, int> acknowledged() {
        std::map<std::string, int> ids;
        for (const Request& r : taken()) {
            if (r.answered == 200) ++ids[r.delivery];
        }
        return ids;
    }
    void set_failing(bool value) {
        std::lock_guard lock(mutex);
        failing = value;
    }

    httplib::Server server;
    int port = 0;
    std::thread thread;
    std::mutex mutex;
    std::vector<Request> requests;  // guarded by mutex
    bool failing = false;           // guarded by mutex
};

// A loopback port nothing listens on (bound, then released).
int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

std::vector<std::string> serve_args(const TempDir& dir) {
    return {VOKTER_BINARY, "serve",
            "--listen",    "127.0.0.1:0",
            "--db",        (dir / "vokter.db").string(),
            "--rules",     (dir / "rules.toml").string()};
}

std::int64_t post(int port, const std::string& body, int expected) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(20);
    const json doc = {{"thread", "/blogg/varsler"},
                      {"name", "Kari Nordmann"},
                      {"email", "kari@example.no"},
                      {"body", body}};
    const auto res = client.Post("/api/comments", doc.dump(), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == expected, res->body);
    return json::parse(res->body)["id"].get<std::int64_t>();
}

template <class Done>
bool eventually(Done done, std::chrono::seconds limit = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return done();
}

double metric(int port, const std::string& series) {
    httplib::Client client("127.0.0.1", port);
    const auto res = client.Get("/metrics");
    REQUIRE(res);
    const auto value = metric_value(res->body, series);
    REQUIRE_MESSAGE(value.has_value(), "no series " << series);
    return *value;
}

std::string base64_decoded(const std::string& text) {
    std::string clean;
    for (const char c : text) {
        if (c != '\r' && c != '\n') clean += c;
    }
    std::string out(clean.size(), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(clean.data()),
                                  static_cast<int>(clean.size()));
    REQUIRE(n >= 0);
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '\0')  // the padding's bytes
        out.pop_back();
    return out;
}

// aiosmtpd on loopback, requiring STARTTLS with a certificate made here, filing each message
// in a maildir.
struct MailSink {
    explicit MailSink(const TempDir& dir) : maildir(dir / "maildir") {
        const auto cert = dir / "cert.pem";
        const auto key = dir / "key.pem";
        const std::string make_cert =
            "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
            "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
            key.string() + "' -out '" + cert.string() + "' 2>/dev/null";
        REQUIRE_MESSAGE(std::system(make_cert.c_str()) == 0, "openssl cannot make a certificate");
        ca_file = cert.string();
        port = closed_port();
        process = std::make_unique<Process>(
            std::vector<std::string>{"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                                     "127.0.0.1:" + std::to_string(port), "--tlscert",
                                     cert.string(), "--tlskey", key.string(), "-c",
                                     "aiosmtpd.handlers.Mailbox", maildir.string()},
            dir / "aiosmtpd.log");
        REQUIRE_MESSAGE(eventually([&] { return up(); }, 20s),
                        "aiosmtpd did not start: " << process->log());
    }
    // Whether a TCP connection to the sink succeeds.
    bool up() const {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool connected =
            ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        return connected;
    }
    std::vector<std::string> messages() const {
        std::vector<std::string> texts;
        std::error_code error;
        for (auto it = std::filesystem::directory_iterator(maildir / "new", error);
             !error && it != std::filesystem::directory_iterator(); it.increment(error))
            texts.push_back(vokter::test::read_file(it->path()));
        return texts;
    }
    // The decoded text of a message (its base64 body).
    static std::string body_of(const std::string& message) {
        const auto blank = message.find("\n\n");
        REQUIRE(blank != std::string::npos);
        return base64_decoded(message.substr(blank + 2));
    }

    std::filesystem::path maildir;
    std::string ca_file;
    int port = 0;
    std::unique_ptr<Process> process;
};

}  // namespace

TEST_CASE("held and spam comments reach a webhook signed; an unreachable one never blocks a post") {
    TempDir dir;
    vokter::test::write_file(dir / "rules.toml", kRules);
    Receiver receiver;
    receiver.set_failing(true);  // its first attempts fail, then it recovers
    const std::string dead = "http://127.0.0.1:" + std::to_string(closed_port()) + "/hook/dead";
    Process server(serve_args(dir), dir / "server.log",
                   {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"},
                    {"VOKTER_WEBHOOKS", receiver.url() + "," + dead},
                    {"VOKTER_WEBHOOK_SECRET", kSecret},
                    {"VOKTER_WEBHOOK_EVENTS", "comment.held,comment.spam"},
                    {"VOKTER_NOTIFY_RETRY_SECONDS", "1"},
                    {"VOKTER_PUBLIC_URL", "https://kommentarer.example.no"}});
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());

    const std::int64_t held = post(port, "Kjøp billige klokker her <!channel>", 202);
    const std::int64_t spam = post(port, "Beste casino bonus", 202);
    post(port, "Fin tur i marka i dag", 201);  // approved: no event
    REQUIRE(eventually([&] { return receiver.taken().size() >= 2; }));
    receiver.set_failing(false);
    REQUIRE(eventually([&] { return receiver.acknowledged().size() == 2; }));
    // Posts went on while both receivers failed: every one was answered (above), and more now.
    for (int i = 0; i < 5; ++i)
        post(port, "Fin tur nummer " + std::to_string(i), 201);

    std::map<std::string, json> events;
    for (const Receiver::Request& r : receiver.taken()) {
        CHECK(r.signature ==
              "sha256=" + vokter::http::to_hex(vokter::http::hmac_sha256(kSecret, r.body)));
        const json doc = json::parse(r.body);
        CHECK(doc["event"] == r.event);
        CHECK(std::to_string(doc["id"].get<std::int64_t>()) == r.delivery);
        events[r.event] = doc;
        // Names and excerpts only: never the e-mail address or the IP.
        CHECK(r.body.find("kari@example.no") == std::string::npos);
        CHECK(r.body.find("127.0.0.1") == std::string::npos);
    }
    REQUIRE(events.size() == 2);
    const json& h = events["comment.held"];
    CHECK(h["comment"]["id"] == held);
    CHECK(h["comment"]["name"] == "Kari Nordmann");
    CHECK(h["comment"]["rules"] == json::array({"HOLD_WORD"}));
    CHECK(h["comment"]["url"] ==
          "https://kommentarer.example.no/moderate#comment-" + std::to_string(held));
    const std::string text = h["text"];
    CHECK(text.find("Kari Nordmann") != std::string::npos);
    CHECK(text.find("/blogg/varsler") != std::string::npos);
    CHECK(text.find("Kjøp billige klokker her") != std::string::npos);
    // What a reader wrote cannot call the whole channel: Slack's markup is written as entities.
    CHECK(text.find("&lt;!channel&gt;") != std::string::npos);
    CHECK(text.find("<!channel>") == std::string::npos);
    CHECK(h["comment"]["excerpt"] == "Kjøp billige klokker her <!channel>");  // the data as is
    CHECK(events["comment.spam"]["comment"]["id"] == spam);
    // Each event acknowledged once, after the failed attempts.
    for (const auto& acknowledged_id : receiver.acknowledged())
        CHECK_MESSAGE(acknowledged_id.second == 1, "event " << acknowledged_id.first);
    CHECK(receiver.taken().size() >= 4);

    // The unreachable receiver: retried, logged by host only, and counted.
    const bool counted = eventually(
        [&] { return metric(port, R"(vokter_outbox_deliveries{state="failing"})") == 2; });
    REQUIRE_MESSAGE(counted, server.log()
                                 << httplib::Client("127.0.0.1", port).Get("/metrics")->body);
    CHECK(metric(port, R"(vokter_outbox_deliveries{state="pending"})") == 2);
    CHECK(metric(port, "vokter_outbox_oldest_pending_age_seconds") > 0);
    REQUIRE(eventually([&] { return server.log().find("(attempt 2)") != std::string::npos; }));
    const std::string log = server.log();
    CHECK(log.find("notify: comment.held") != std::string::npos);
    CHECK(log.find("failed") != std::string::npos);
    CHECK(log.find("/hook/") == std::string::npos);  // a webhook's path is its secret
    CHECK(log.find(kSecret) == std::string::npos);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}

TEST_CASE("kill -9 with undelivered events: after the restart each is delivered once") {
    TempDir dir;
    vokter::test::write_file(dir / "rules.toml", kRules);
    Receiver receiver;
    receiver.set_failing(true);
    const std::map<std::string, std::string> env = {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"},
                                                    {"VOKTER_WEBHOOKS", receiver.url()},
                                                    {"VOKTER_WEBHOOK_SECRET", kSecret},
                                                    {"VOKTER_NOTIFY_RETRY_SECONDS", "1"}};
    std::set<std::int64_t> held;
    {
        Process server(serve_args(dir), dir / "server1.log", env);
        const int port = server.wait_for_port();
        REQUIRE_MESSAGE(port > 0, server.log());
        for (int i = 0; i < 5; ++i)
            held.insert(post(port, "Kjøp nummer " + std::to_string(i), 202));
        post(port, "Beste casino bonus", 202);  // comment.spam: not a webhook's by default
        // Every event attempted and refused at least once, none acknowledged.
        REQUIRE(eventually(
            [&] { return metric(port, R"(vokter_outbox_deliveries{state="failing"})") == 5; }));
        server.signal(SIGKILL);
        CHECK(server.wait() == 128 + SIGKILL);
    }
    CHECK(receiver.acknowledged().empty());
    receiver.set_failing(false);
    Process server(serve_args(dir), dir / "server2.log", env);
    const int port = server.wait_for_port();
    REQUIRE_MESSAGE(port > 0, server.log());
    // An attempt under way at the kill keeps its claim for the lease (60 s) before it is retried.
    REQUIRE(eventually([&] { return receiver.acknowledged().size() == 5; }, 90s));
    // Some more passes of the sender: nothing comes again.
    std::this_thread::sleep_for(3s);
    const auto acknowledged = receiver.acknowledged();
    CHECK(acknowledged.size() == 5);
    std::set<std::int64_t> comments;
    for (const Receiver::Request& r : receiver.taken()) {
        if (r.answered == 200)
            comments.insert(json::parse(r.body)["comment"]["id"].get<std::int64_t>());
    }
    CHECK(comments == held);
    for (const auto& acknowledged_id : acknowledged)
        CHECK_MESSAGE(acknowledged_id.second == 1, "event " << acknowledged_id.first);
    CHECK(metric(port, R"(vokter_outbox_deliveries{state="pending"})") == 0);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
}

TEST_CASE("a held comment is mailed through STARTTLS with its link; a digest is one message") {
    TempDir dir;
    vokter::test::write_file(dir / "rules.toml", kRules);
    MailSink sink(dir);
    {
        Process server(serve_args(dir), dir / "server.log",
                       {{"VOKTER_RATE_LIMIT_PER_MINUTE", "0"},
                        {"VOKTER_SMTP_URL", "smtp://127.0.0.1:" + std::to_string(sink.port)},
                        {"VOKTER_SMTP_CA_FILE", sink.ca_file},
                        {"VOKTER_MAIL_FROM", "vokter@kommentarer.example.no"},
                        {"VOKTER_MAIL_TO", "kari@example.no,ola@example.no"},
                        {"VOKTER_PUBLIC_URL", "https://kommentarer.example.no"}});
        const int port = server.wait_for_port();
        REQUIRE_MESSAGE(port > 0, server.log());
        const std::int64_t held = post(port, "Kjøp billige klokker her – særlig i dag", 202);
        post(port, "Beste casino bonus", 202);  // spam is not mailed
        REQUIRE_MESSAGE(eventually([&] { return sink.messages().size() == 1; }),
                        server.log() << sink.process->log());
        std::this_thread::sleep_for(2s);
        REQUIRE(sink.messages().size() == 1);
        const std::string message = sink.messages().front();
        CHECK(message.find("To: kari@example.no, ola@example.no") != std::string::npos);
        CHECK(message.find("From: vokter@kommentarer.example.no") != std::string::npos);
        CHECK(message.find("Subject: ") != std::string::npos);
        const std::string body = MailSink::body_of(message);
        CHECK(body.find("Kari Nordmann") != std::string::npos);
        CHECK(body.find("Kjøp billige klokker her – særlig i dag") != std::string::npos);
        CHECK(body.find("https://kommentarer.example.no/moderate#comment-" +
                        std::to_string(held)) != std::string::npos);
        server.signal(SIGTERM);
        CHECK(server.wait() == 0);
    }

    // A digest: events already older than the interval go out together, in one message.
    vokter::store::StoreOptions options{(dir / "vokter.db").string(),
                                        vokter::store::Durability::normal};
    options.classifier = false;
    vokter::store::Store store(options);
    vokter::app::notify::NotifyOptions notify;
    notify.smtp = {"smtp://127.0.0.1:" + std::to_string(sink.port), "", "", true, sink.ca_file};
    notify.mail_from = "vokter@kommentarer.example.no";
    notify.mail_to = {"kari@example.no"};
    notify.digest_minutes = 1;
    notify.public_url = "https://kommentarer.example.no";
    vokter::app::notify::Sender sender(store, notify, /*run_thread=*/false);
    sender.pass();  // a new receiver (another address list): from now on
    // Four events 50 s apart within one minute of the clock, five minutes ago: one digest.
    const std::int64_t minute_start = (std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                               .count() /
                                           60'000 -
                                       5) *
                                      60'000;
    store.writer().run([&](vokter::store::Connection& db) {
        for (int i = 0; i < 3; ++i)
            vokter::store::record_event(db, vokter::store::kEventHeld, std::nullopt, "",
                                        minute_start + 1000 + i * 20'000);
        vokter::store::record_event(db, vokter::store::kEventRulesFailed, std::nullopt,
                                    "rules.toml:3:1 rule X: an unclosed pattern",
                                    minute_start + 59'000);
    });
    sender.pass();
    REQUIRE(sink.messages().size() == 2);
    bool digest = false;
    for (const std::string& m : sink.messages()) {
        if (m.find("To: kari@example.no\r\n") == std::string::npos &&
            m.find("To: kari@example.no\n") == std::string::npos)
            continue;
        const std::string body = MailSink::body_of(m);
        digest = body.find("rules.toml:3:1 rule X") != std::string::npos;
        CHECK(m.find("Subject: Vokter: 4 notifications") != std::string::npos);
    }
    CHECK(digest);
    sender.pass();  // acknowledged: nothing again
    CHECK(sink.messages().size() == 2);
}

TEST_CASE("an unreachable mail server: the delivery fails, is retried later, and nothing throws") {
    TempDir dir;
    vokter::store::StoreOptions options{(dir / "vokter.db").string(),
                                        vokter::store::Durability::normal};
    options.classifier = false;
    vokter::store::Store store(options);
    vokter::app::notify::NotifyOptions notify;
    notify.smtp = {"smtp://127.0.0.1:" + std::to_string(closed_port()), "", "", true, ""};
    notify.mail_from = "vokter@kommentarer.example.no";
    notify.mail_to = {"kari@example.no"};
    notify.retry_seconds = 60;
    vokter::app::notify::Sender sender(store, notify, /*run_thread=*/false);
    sender.pass();  // the receiver is seen: events from now on
    store.writer().run([&](vokter::store::Connection& db) {
        vokter::store::record_event(db, vokter::store::kEventRulesFailed, std::nullopt, "feil",
                                    vokter::http::now_ms());
    });
    CHECK_NOTHROW(sender.pass());
    vokter::store::OutboxFigures figures;
    {
        auto db = store.read();
        figures = vokter::store::outbox_figures(*db);
    }
    CHECK(figures.pending == 1);
    CHECK(figures.failing == 1);
    CHECK(figures.abandoned == 0);
    sender.pass();  // not due again for a minute: no second attempt
    auto db = store.read();
    auto& attempts = db->prepare("SELECT attempts, last_error FROM notification_deliveries");
    REQUIRE(attempts.step());
    CHECK(attempts.int64(0) == 1);
    CHECK(attempts.text(1).find("onnect") != std::string::npos);  // "Couldn't connect …"
    attempts.reset();
}
