// vokter import disqus and vokter import isso: a Disqus export and an Isso database written here
// (no real people's data), imported into real SQLite files and read back with SQL; and the HTML
// of Disqus messages as the plain text Vokter keeps.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "app/import/disqus.hpp"
#include "app/import/html_text.hpp"
#include "app/import/importer.hpp"
#include "app/import/isso_db.hpp"
#include "import_support.hpp"
#include "store/database.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace {

using namespace vokter;
using test::count;
using test::options_for;
using test::TempDir;
using test::text;

Result<app::ImportSummary> import_with(store::Store& store, const app::ExportReader& reader,
                                       app::ImportOptions options = {}) {
    return test::import_in_batches(store, reader, options);
}

struct DisqusPost {
    std::string id, thread, parent, message, created = "2024-05-01T10:00:00Z", spam = "false",
                                             deleted = "false", name, email, username, ip;
};

std::string disqus_export(const std::vector<DisqusPost>& posts) {
    std::string x =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<disqus xmlns=\"http://disqus.com\" "
        "xmlns:dsq=\"http://disqus.com/disqus-internals\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
        "  <category dsq:id=\"7\"><forum>bloggen</forum><title>General</title>"
        "<isDefault>true</isDefault></category>\n"
        "  <thread dsq:id=\"100\">\n    <id>wp-1 https://blogg.example.no/?p=1</id>\n"
        "    <forum>bloggen</forum>\n    <category dsq:id=\"7\"/>\n"
        "    <link>https://blogg.example.no/2024/05/syltetoy/</link>\n"
        "    <title>Blåbærsyltetøy</title>\n    <message/>\n"
        "    <createdAt>2024-05-01T09:00:00Z</createdAt>\n"
        "    <author><name>Bloggeren</name><isAnonymous>false</isAnonymous></author>\n"
        "    <isClosed>false</isClosed>\n    <isDeleted>false</isDeleted>\n  </thread>\n"
        "  <thread dsq:id=\"200\">\n    <forum>bloggen</forum>\n"
        "    <link>https://blogg.example.no/om/</link>\n    <title>Om meg</title>\n"
        "  </thread>\n";
    for (const auto& p : posts) {
        x += "  <post dsq:id=\"" + p.id + "\">\n    <id/>\n    <message><![CDATA[" + p.message +
             "]]></message>\n    <createdAt>" + p.created + "</createdAt>\n    <isDeleted>" +
             p.deleted + "</isDeleted>\n    <isSpam>" + p.spam +
             "</isSpam>\n    <author>\n      <email>" + p.email + "</email>\n      <name>" +
             p.name + "</name>\n      <isAnonymous>false</isAnonymous>\n      <username>" +
             p.username + "</username>\n    </author>\n    <ipAddress>" + p.ip +
             "</ipAddress>\n    <thread dsq:id=\"" + p.thread + "\"/>\n";
        if (!p.parent.empty()) x += "    <parent dsq:id=\"" + p.parent + "\"/>\n";
        x += "  </post>\n";
    }
    return x + "</disqus>\n";
}

// Every status Disqus has, a reply before its parent, a reply to a post not in the file, HTML
// with a link Disqus wrapped in its redirector.
std::string sample_disqus() {
    return disqus_export({
        {"1002", "100", "1001", "<p>Enig 😀</p>", "2024-05-01T10:05:00Z", "false", "false", "Ola",
         "ola@example.no", "ola", "192.0.2.7"},
        {"1001", "100", "",
         "<p>Blåbær, <b>æøå</b> &amp; godt</p><p>Se "
         "<a href=\"https://disq.us/url?url=https%3A%2F%2Fkari.example.no%2F%3A"
         "AbCdEfGhIjKlMnOpQrStUv12&amp;cuid=42\" rel=\"nofollow noopener\">kari.example.no</a>"
         "<br>Hilsen Kari</p>",
         "2024-05-01T10:00:00Z", "false", "false", "Kari Østby", "kari@example.no", "kari",
         "192.0.2.1"},
        {"1003", "100", "",
         "<p>buy cheap pills <a href=\"http://pills.example\">"
         "http://pills.example</a></p>",
         "2024-05-02T03:00:00Z", "true", "false", "", "", "pillsdealer", "198.51.100.9"},
        {"1004", "100", "", "<p>Dette ble slettet</p>", "2024-05-03T08:00:00Z", "false", "true",
         "Troll", "", "troll", ""},
        {"2001", "200", "999", "<p>Svar på noe som ikke finnes</p>", "2024-06-01T10:00:00Z",
         "false", "false", "Per", "", "per", ""},
    });
}

}  // namespace

TEST_CASE("Disqus messages become plain text: paragraphs, breaks, links with their address") {
    CHECK(app::html_to_text("Bare tekst  ") == "Bare tekst");
    CHECK(app::html_to_text("<p>En</p><p>To\n  og   tre</p>") == "En\n\nTo og tre");
    CHECK(app::html_to_text("linje<br>neste<br/>siste") == "linje\nneste\nsiste");
    CHECK(app::html_to_text("<b>æøå</b> &amp; &lt;b&gt; 😀") == "æøå & <b> 😀");
    CHECK(app::html_to_text("<a href=\"https://x.example/\">https://x.example/</a>") ==
          "https://x.example/");
    CHECK(app::html_to_text("<a href=\"https://x.example/side\">her</a>") ==
          "her (https://x.example/side)");
    CHECK(app::html_to_text("<p>før</p><script>alert(1)</script><style>p{}</style><p>etter</p>") ==
          "før\n\netter");
    CHECK(app::html_to_text("<pre>a  b\n  c</pre>") == "a  b\n  c");
    CHECK(app::html_to_text("<blockquote>sitat</blockquote>svar") == "sitat\n\nsvar");
    // Disqus's redirector unwrapped, its own token after the address dropped.
    CHECK(app::unwrap_disqus_link("https://disq.us/url?url=https%3A%2F%2Fa.example%2Fb%3Fc%3D1%3A"
                                  "AbCdEfGhIjKlMnOpQrStUv12&cuid=1") == "https://a.example/b?c=1");
    CHECK(app::unwrap_disqus_link("https://disq.us/url?url=javascript%3Aalert(1)") ==
          "https://disq.us/url?url=javascript%3Aalert(1)");
    CHECK(app::unwrap_disqus_link("https://other.example/url?url=x") ==
          "https://other.example/url?url=x");
}

TEST_CASE("a Disqus export imports with threads, replies, spam and deleted posts as text") {
    TempDir dir;
    test::write_file(dir / "disqus.xml", sample_disqus());
    store::Store store(options_for(dir));

    const auto summary = import_with(store, app::disqus_reader((dir / "disqus.xml").string()));
    REQUIRE(summary.ok());
    const app::ImportSummary& s = summary.value();
    CHECK(s.source == "disqus bloggen");
    CHECK(s.imported.at("approved") == 3);
    CHECK(s.imported.at("spam") == 1);
    CHECK(s.imported.at("rejected") == 1);
    CHECK(s.imported.count("pending") == 0);
    CHECK(s.orphans == 1);

    CHECK(text(store,
               "SELECT group_concat(uri || '=' || title, ' ') FROM "
               "(SELECT uri, title FROM threads ORDER BY uri)") ==
          "/2024/05/syltetoy=Blåbærsyltetøy /om=Om meg");
    CHECK(text(store, "SELECT body FROM comments WHERE name = 'Kari Østby'") ==
          "Blåbær, æøå & godt\n\nSe kari.example.no (https://kari.example.no/)\nHilsen Kari");
    CHECK(text(store,
               "SELECT p.name || ' > ' || c.name || ' depth ' || c.depth FROM comments c "
               "JOIN comments p ON p.id = c.parent_id WHERE c.name = 'Ola'") ==
          "Kari Østby > Ola depth 1");
    CHECK(text(store, "SELECT email || ' ' || ip FROM comments WHERE name = 'Kari Østby'") ==
          "kari@example.no 192.0.2.1");
    CHECK(count(store, "SELECT created FROM comments WHERE name = 'Kari Østby'") == 1714557600000);
    // No display name: the username stands in.
    CHECK(text(store, "SELECT status FROM comments WHERE name = 'pillsdealer'") == "spam");
    CHECK(text(store, "SELECT status FROM comments WHERE name = 'Troll'") == "rejected");
    CHECK(count(store, "SELECT count(*) FROM comments WHERE name = 'Per' AND parent_id IS NULL") ==
          1);

    const auto again = import_with(store, app::disqus_reader((dir / "disqus.xml").string()));
    REQUIRE(again.ok());
    CHECK(again.value().total_imported() == 0);
    CHECK(again.value().already_imported == 5);
    CHECK(count(store, "SELECT count(*) FROM comments") == 5);

    // --full-urls keys threads by the whole address (another store: the same posts otherwise).
    TempDir other;
    store::Store full(options_for(other));
    app::DisqusOptions whole;
    whole.full_urls = true;
    REQUIRE(import_with(full, app::disqus_reader((dir / "disqus.xml").string(), whole)).ok());
    CHECK(count(full,
                "SELECT count(*) FROM threads WHERE uri = "
                "'https://blogg.example.no/2024/05/syltetoy'") == 1);
}

TEST_CASE("a malformed Disqus export is refused with its line and element, nothing imported") {
    TempDir dir;
    store::Store store(options_for(dir));
    const std::string good = sample_disqus();
    const auto refused = [&](const std::string& name, const std::string& content) {
        test::write_file(dir / name, content);
        const auto result = import_with(store, app::disqus_reader((dir / name).string()));
        REQUIRE_FALSE(result.ok());
        CHECK(count(store, "SELECT count(*) FROM comments") == 0);
        return result.errors().front();
    };

    const Error truncated = refused("truncated.xml", good.substr(0, good.find("Dette ble")));
    CHECK(truncated.code == "import_xml");
    CHECK(truncated.where.find("truncated.xml:") != std::string::npos);

    const Error root = refused("rss.xml", "<?xml version=\"1.0\"?>\n<rss><channel/></rss>\n");
    CHECK(root.code == "import_format");
    CHECK(root.message.find("<rss>") != std::string::npos);

    std::string flag = good;
    flag.replace(flag.find("<isSpam>true<"), 13, "<isSpam>kanskje<");
    const Error spam = refused("flag.xml", flag);
    CHECK(spam.code == "import_status");
    CHECK(spam.where.find("<isSpam>") != std::string::npos);

    std::string lost = good;
    lost.replace(lost.find("<thread dsq:id=\"200\"/>"), 22, "<thread dsq:id=\"300\"/>");
    const Error thread = refused("thread.xml", lost);
    CHECK(thread.code == "import_no_thread");
    CHECK(thread.message.find("'300'") != std::string::npos);

    std::string date = good;
    date.replace(date.find("2024-05-02T03:00:00Z"), 20, "i går");
    CHECK(refused("date.xml", date).code == "import_date");

    std::string twice = good;
    twice.replace(twice.find("post dsq:id=\"1003\""), 18, "post dsq:id=\"1001\"");
    CHECK(refused("twice.xml", twice).code == "import_duplicate_id");
}

namespace {

// An Isso database as Isso 0.13 and later create it (schema version 5), with two threads, every
// mode, a deleted comment that has a reply and a session key.
void write_isso_db(const std::string& path, int user_version = app::kIssoSchemaVersion) {
    store::SqliteConnection db(path, store::Durability::normal);
    db.exec(
        "CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, "
        "title VARCHAR(256));"
        "CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, "
        "parent INTEGER, created FLOAT NOT NULL, modified FLOAT, mode INTEGER, "
        "remote_addr VARCHAR, text VARCHAR NOT NULL, author VARCHAR, email VARCHAR, "
        "website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT "
        "NULL, notification INTEGER DEFAULT 0);"
        "CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);"
        "INSERT INTO preferences VALUES ('session-key', 'c0ffee0123456789abcdef');"
        "INSERT INTO threads VALUES (1, '/2024/05/syltetoy/', 'Blåbærsyltetøy'), "
        "(2, '/om/', NULL);"
        "INSERT INTO comments (tid, id, parent, created, modified, mode, remote_addr, text, "
        "author, email, website, voters) VALUES "
        "(1, 1, NULL, 1714557600.25, NULL, 1, '192.0.2.0', 'Første! *æøå* 😀', 'Kari Østby', "
        "'kari@example.no', 'https://kari.example.no', x''),"
        "(1, 2, 1, 1714557900.0, NULL, 2, '192.0.2.0', 'Venter på svar', NULL, NULL, NULL, x''),"
        "(1, 3, NULL, 1714600000.0, 1714700000.0, 4, '198.51.100.0', '', NULL, NULL, NULL, x''),"
        "(1, 4, 3, 1714610000.0, NULL, 1, '2001:db8::', 'Svar til en slettet', 'Ola', NULL, "
        "NULL, x''),"
        "(2, 5, NULL, 1717236000.0, NULL, 1, '203.0.113.0', 'Om-siden', 'Per', NULL, NULL, "
        "x'');");
    db.exec("PRAGMA user_version = " + std::to_string(user_version));
}

}  // namespace

TEST_CASE("an Isso database imports with its threads, modes and replies, read without change") {
    TempDir dir;
    const std::string isso = (dir / "comments.db").string();
    write_isso_db(isso);
    store::Store store(options_for(dir));

    const auto summary = import_with(store, app::isso_db_reader(isso));
    REQUIRE(summary.ok());
    const app::ImportSummary& s = summary.value();
    CHECK(s.source.rfind("isso ", 0) == 0);
    CHECK(s.source.size() == 5 + 16);
    CHECK(s.source.find("c0ffee") == std::string::npos);  // a digest, never the key
    CHECK(s.imported.at("approved") == 3);
    CHECK(s.imported.at("pending") == 1);
    CHECK(s.imported.at("deleted") == 1);
    CHECK(s.orphans == 0);

    CHECK(
        text(store, "SELECT group_concat(uri, ' ') FROM (SELECT uri FROM threads ORDER BY uri)") ==
        "/2024/05/syltetoy /om");
    CHECK(text(store, "SELECT body FROM comments WHERE name = 'Kari Østby'") == "Første! *æøå* 😀");
    CHECK(text(store,
               "SELECT email || ' ' || website || ' ' || ip FROM comments WHERE name = "
               "'Kari Østby'") == "kari@example.no https://kari.example.no 192.0.2.0");
    CHECK(count(store, "SELECT created FROM comments WHERE name = 'Kari Østby'") == 1714557600250);
    CHECK(text(store,
               "SELECT c.status || ' under ' || p.name FROM comments c JOIN comments p ON "
               "p.id = c.parent_id WHERE c.body = 'Venter på svar'") == "pending under Kari Østby");
    // The deleted comment stays as its reply's parent, empty, as a moderator's delete leaves it.
    CHECK(text(store,
               "SELECT p.status || ':' || p.body || ':' || p.ip FROM comments c JOIN comments p "
               "ON p.id = c.parent_id WHERE c.name = 'Ola'") == "deleted::");
    CHECK(count(store, "SELECT approved FROM threads WHERE uri = '/2024/05/syltetoy'") == 2);

    const auto again = import_with(store, app::isso_db_reader(isso));
    REQUIRE(again.ok());
    CHECK(again.value().total_imported() == 0);
    CHECK(again.value().already_imported == 5);

    // --learn: the approved comments teach ham; pending and deleted teach nothing.
    TempDir other;
    store::Store learning(options_for(other));
    app::ImportOptions learn;
    learn.learn = true;
    const auto learned = import_with(learning, app::isso_db_reader(isso), learn);
    REQUIRE(learned.ok());
    CHECK(learned.value().learned == 3);
    learning.wait_for_training();
    CHECK(learning.classifier().current()->ham_messages() == 3);
    CHECK(learning.classifier().current()->spam_messages() == 0);
}

TEST_CASE("an Isso database of another version, or not Isso's, is refused, nothing imported") {
    TempDir dir;
    store::Store store(options_for(dir));
    const auto refused = [&](const std::string& path) {
        const auto result = import_with(store, app::isso_db_reader(path));
        REQUIRE_FALSE(result.ok());
        CHECK(count(store, "SELECT count(*) FROM comments") == 0);
        return result.errors().front();
    };

    const std::string old_version = (dir / "v4.db").string();
    write_isso_db(old_version, 4);
    const Error version = refused(old_version);
    CHECK(version.code == "import_version");
    CHECK(version.message.find("version 4") != std::string::npos);

    test::write_file(dir / "notes.txt", "dette er ingen database\n");
    CHECK(refused((dir / "notes.txt").string()).code == "import_open");

    const std::string empty = (dir / "empty.db").string();
    store::SqliteConnection(empty, store::Durability::normal).exec("CREATE TABLE t (x)");
    CHECK(refused(empty).code == "import_format");

    const auto changed = [&](const char* name, const char* sql) {
        const std::string path = (dir / name).string();
        write_isso_db(path);
        store::SqliteConnection(path, store::Durability::normal).exec(sql);
        return refused(path);
    };
    const Error mode = changed("mode.db", "UPDATE comments SET mode = 3 WHERE id = 5");
    CHECK(mode.code == "import_status");
    CHECK(mode.where.find("comments.id 5") != std::string::npos);
    CHECK(
        changed("thread.db", "PRAGMA foreign_keys = OFF; DELETE FROM threads WHERE id = 2").code ==
        "import_no_thread");
    // Invalid UTF-8 in a text field (Isso's SQLite takes whatever bytes it is given).
    const Error utf8 =
        changed("utf8.db", "UPDATE comments SET author = CAST(x'4f6cff' AS TEXT) WHERE id = 4");
    CHECK(utf8.code == "import_utf8");
    CHECK(utf8.message.find("name") != std::string::npos);
}

TEST_CASE("vokter import disqus and vokter import isso: summaries and exit codes") {
    TempDir dir;
    test::write_file(dir / "disqus.xml", sample_disqus());
    const auto disqus =
        test::run_vokter_command(dir, {"import", "disqus", (dir / "disqus.xml").string()});
    CHECK(disqus.code == 0);
    CHECK(disqus.output.find("imported 5 comments from disqus bloggen "
                             "(3 approved, 1 rejected, 1 spam)") != std::string::npos);

    write_isso_db((dir / "comments.db").string());
    const auto isso = test::run_vokter_command(
        dir, {"import", "isso", (dir / "comments.db").string(), "--learn"});
    CHECK(isso.code == 0);
    CHECK(isso.output.find("(3 approved, 1 deleted, 1 pending)") != std::string::npos);
    CHECK(isso.output.find("taught the classifier: 3") != std::string::npos);

    write_isso_db((dir / "old.db").string(), 3);
    const auto old = test::run_vokter_command(dir, {"import", "isso", (dir / "old.db").string()});
    CHECK(old.code == 1);
    CHECK(old.output.find("[import_version]") != std::string::npos);
    CHECK(old.output.find("nothing was imported") != std::string::npos);
}
