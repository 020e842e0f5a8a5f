// vokter import wordpress: small WXR files written here (no real people's data), imported into
// real SQLite files through the store's writer and read back with SQL.
// (SQL text is literal throughout: Connection::prepare keys its cache by the text's address.)

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "app/import/importer.hpp"
#include "app/import/wordpress_wxr.hpp"
#include "import_support.hpp"
#include "store/classifier/classifier_repository.hpp"
#include "store/retention.hpp"
#include "store/store.hpp"

namespace {

using namespace vokter;
using vokter::test::TempDir;

struct WxrComment {
    std::string id, parent = "0", author, email, url, ip, agent, date_gmt = "2024-05-01 10:00:00",
                    date = "", body, approved = "1", type = "comment";
};

std::string comment_xml(const WxrComment& c) {
    std::string x = "    <wp:comment>\n      <wp:comment_id>" + c.id + "</wp:comment_id>\n";
    x += "      <wp:comment_author><![CDATA[" + c.author + "]]></wp:comment_author>\n";
    x += "      <wp:comment_author_email>" + c.email + "</wp:comment_author_email>\n";
    x += "      <wp:comment_author_url>" + c.url + "</wp:comment_author_url>\n";
    x += "      <wp:comment_author_IP>" + c.ip + "</wp:comment_author_IP>\n";
    if (!c.agent.empty()) x += "      <wp:comment_agent>" + c.agent + "</wp:comment_agent>\n";
    x +=
        "      <wp:comment_date>" + (c.date.empty() ? c.date_gmt : c.date) + "</wp:comment_date>\n";
    x += "      <wp:comment_date_gmt>" + c.date_gmt + "</wp:comment_date_gmt>\n";
    x += "      <wp:comment_content><![CDATA[" + c.body + "]]></wp:comment_content>\n";
    x += "      <wp:comment_approved>" + c.approved + "</wp:comment_approved>\n";
    x += "      <wp:comment_type>" + c.type + "</wp:comment_type>\n";
    x += "      <wp:comment_parent>" + c.parent + "</wp:comment_parent>\n";
    x += "      <wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key>"
         "<wp:meta_value>false</wp:meta_value></wp:commentmeta>\n";
    return x + "    </wp:comment>\n";
}

struct WxrItem {
    std::string title, link;
    std::vector<WxrComment> comments;
};

std::string wxr(const std::vector<WxrItem>& items, const std::string& version = "1.2") {
    std::string x =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" "
        "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
        "xmlns:wp=\"http://wordpress.org/export/" +
        version +
        "/\">\n<channel>\n  <title>Bloggen</title>\n"
        "  <link>https://blogg.example.no</link>\n"
        "  <wp:wxr_version>" +
        version +
        "</wp:wxr_version>\n"
        "  <wp:base_site_url>https://blogg.example.no</wp:base_site_url>\n";
    for (const auto& item : items) {
        x += "  <item>\n    <title>" + item.title + "</title>\n    <link>" + item.link +
             "</link>\n    <wp:post_type>post</wp:post_type>\n";
        for (const auto& c : item.comments)
            x += comment_xml(c);
        x += "  </item>\n";
    }
    return x + "</channel>\n</rss>\n";
}

// The blog of these tests: two posts, every status, a reply before its parent, a pingback.
std::string sample_export() {
    WxrItem first{"Blåbærsyltetøy", "https://blogg.example.no/2024/05/syltetoy/", {}};
    first.comments.push_back({"11", "10", "Ola Nordmann", "ola@example.no", "", "192.0.2.7", "",
                              "2024-05-01 10:05:00", "", "Enig! 😀 Svar til Kari", "1"});
    first.comments.push_back({"10", "0", "Kari Østby", "kari@example.no", "https://kari.example.no",
                              "192.0.2.1", "Mozilla/5.0 (X11)", "2024-05-01 10:00:00", "",
                              "Blåbær, æøå og <b>fett</b> &amp; godt", "1"});
    first.comments.push_back({"12", "0", "Cheap Pills", "pills@example.com", "http://pills.example",
                              "198.51.100.9", "", "2024-05-02 03:00:00", "",
                              "buy cheap pills http://pills.example", "spam"});
    first.comments.push_back({"13", "0", "", "", "", "", "", "0000-00-00 00:00:00",
                              "2024-05-03 12:00:00", "Venter på svar", "0"});
    first.comments.push_back({"14", "0", "Troll", "", "", "", "", "2024-05-04 08:00:00", "",
                              "Dette ble slettet", "trash"});
    first.comments.push_back({"15", "0", "Annen blogg", "", "https://annen.example", "", "",
                              "2024-05-04 09:00:00", "", "Lenket hit", "1", "pingback"});
    WxrItem second{"Om meg", "https://blogg.example.no/om/?lang=nb", {}};
    second.comments.push_back({"20", "99", "Per", "", "", "", "", "2024-06-01 10:00:00", "",
                               "Svar på noe som ikke finnes", "1"});
    return wxr({first, second});
}

using test::count;
using test::options_for;
using test::text;

Result<app::ImportSummary> import_file(store::Store& store, const std::string& path,
                                       app::ImportOptions options = {}) {
    return test::import_in_batches(store, app::wordpress_wxr_reader(path), options);
}

}  // namespace

TEST_CASE("a WordPress export imports with threads, parents, every status and byte-exact text") {
    TempDir dir;
    test::write_file(dir / "export.xml", sample_export());
    store::Store store(options_for(dir));

    const auto summary = import_file(store, (dir / "export.xml").string());
    REQUIRE(summary.ok());
    const app::ImportSummary& s = summary.value();
    CHECK(s.source == "wordpress https://blogg.example.no");
    CHECK(s.imported.at("approved") == 3);
    CHECK(s.imported.at("spam") == 1);
    CHECK(s.imported.at("pending") == 1);
    CHECK(s.imported.at("rejected") == 1);
    CHECK(s.skipped.at("pingback") == 1);
    CHECK(s.orphans == 1);
    CHECK(s.already_imported == 0);

    // Threads keyed by the posts' paths (and query), as the widget keys a page.
    CHECK(text(store,
               "SELECT group_concat(uri || '=' || title, ' ') FROM "
               "(SELECT uri, title FROM threads ORDER BY uri)") ==
          "/2024/05/syltetoy=Blåbærsyltetøy /om?lang=nb=Om meg");
    // The reply that came before its parent in the file found it.
    CHECK(text(store,
               "SELECT p.name || ' > ' || c.name || ' depth ' || c.depth FROM comments c "
               "JOIN import_keys k ON k.comment_id = c.id AND k.external_id = '11' "
               "JOIN comments p ON p.id = c.parent_id AND p.id = c.root_id") ==
          "Kari Østby > Ola Nordmann depth 1");
    // A reply to a comment in neither the export nor the database: a top-level comment.
    CHECK(count(store,
                "SELECT count(*) FROM comments c JOIN import_keys k ON k.comment_id = c.id "
                "WHERE k.external_id = '20' AND c.parent_id IS NULL") == 1);
    // Text, author fields, IP, user agent and GMT dates as the export has them.
    CHECK(text(store, "SELECT body FROM comments WHERE name = 'Kari Østby'") ==
          "Blåbær, æøå og <b>fett</b> &amp; godt");
    CHECK(text(store,
               "SELECT email || ' ' || website || ' ' || ip || ' ' || user_agent FROM "
               "comments WHERE name = 'Kari Østby'") ==
          "kari@example.no https://kari.example.no 192.0.2.1 Mozilla/5.0 (X11)");
    CHECK(count(store, "SELECT created FROM comments WHERE name = 'Kari Østby'") == 1714557600000);
    // No GMT date (0000-00-00): the local date, read as UTC.
    CHECK(count(store, "SELECT created FROM comments WHERE body = 'Venter på svar'") ==
          1714737600000);
    CHECK(text(store, "SELECT status FROM comments WHERE name = 'Troll'") == "rejected");
    CHECK(count(store, "SELECT count(*) FROM comments WHERE source <> 'import'") == 0);
    // The thread counters the public pages read count the approved imports.
    CHECK(count(store, "SELECT approved FROM threads WHERE uri = '/2024/05/syltetoy'") == 2);
}

TEST_CASE("comments imported after a retention pass are cut by the next one") {
    TempDir dir;
    test::write_file(dir / "export.xml", sample_export());
    store::Store store(options_for(dir));
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    // A pass on the empty database moves its mark to 30 days ago, past the export's 2024.
    CHECK(store::apply_retention(store, {}, now, std::chrono::milliseconds(0)).empty());
    REQUIRE(import_file(store, (dir / "export.xml").string()).ok());
    const std::int64_t with_address = count(store, "SELECT count(*) FROM comments WHERE ip <> ''");
    REQUIRE(with_address > 0);
    const auto next = store::apply_retention(store, {}, now, std::chrono::milliseconds(0));
    CHECK(next.addresses == with_address);
    CHECK(count(store, "SELECT count(*) FROM comments WHERE ip <> '' AND ip NOT LIKE '%.0'") == 0);
}

TEST_CASE("importing the same export again adds nothing; a later export adds only what is new") {
    TempDir dir;
    test::write_file(dir / "export.xml", sample_export());
    store::Store store(options_for(dir));
    REQUIRE(import_file(store, (dir / "export.xml").string()).ok());
    const std::int64_t before = count(store, "SELECT count(*) FROM comments");
    CHECK(before == 6);  // the pingback is not a comment

    const auto again = import_file(store, (dir / "export.xml").string());
    REQUIRE(again.ok());
    CHECK(again.value().total_imported() == 0);
    CHECK(again.value().already_imported == 6);
    CHECK(count(store, "SELECT count(*) FROM comments") == before);

    // The blog's next export: one new reply to a comment imported the first time.
    WxrItem item{"Blåbærsyltetøy", "https://blogg.example.no/2024/05/syltetoy/", {}};
    item.comments.push_back({"10", "0", "Kari Østby", "", "", "", "", "2024-05-01 10:00:00", "",
                             "Blåbær, æøå og <b>fett</b> &amp; godt", "1"});
    item.comments.push_back(
        {"30", "10", "Nils", "", "", "", "", "2024-07-01 10:00:00", "", "Nytt svar", "0"});
    test::write_file(dir / "later.xml", wxr({item}, "1.1"));
    const auto later = import_file(store, (dir / "later.xml").string());
    REQUIRE(later.ok());
    CHECK(later.value().total_imported() == 1);
    CHECK(later.value().already_imported == 1);
    CHECK(later.value().orphans == 0);
    CHECK(text(store,
               "SELECT p.name FROM comments c JOIN comments p ON p.id = c.parent_id "
               "WHERE c.name = 'Nils'") == "Kari Østby");

    // Another origin (--source) is another blog: its ids are not the first one's.
    app::ImportOptions other;
    other.source = "wordpress https://gammel.example.no";
    const auto moved = import_file(store, (dir / "later.xml").string(), other);
    REQUIRE(moved.ok());
    CHECK(moved.value().total_imported() == 2);
}

TEST_CASE("a malformed export is refused with its line and element, and nothing is imported") {
    TempDir dir;
    store::Store store(options_for(dir));
    const std::string good = sample_export();
    const auto refused = [&](const std::string& name, const std::string& content) {
        test::write_file(dir / name, content);
        const auto result = import_file(store, (dir / name).string());
        REQUIRE_FALSE(result.ok());
        CHECK(count(store, "SELECT count(*) FROM comments") == 0);
        CHECK(count(store, "SELECT count(*) FROM threads") == 0);
        return result.errors().front();
    };

    // Truncated in the middle of the second post: the first post's comments are not imported.
    const Error truncated = refused("truncated.xml", good.substr(0, good.find("Om meg")));
    CHECK(truncated.code == "import_xml");
    CHECK(truncated.where.find("truncated.xml:") != std::string::npos);

    const Error root = refused("atom.xml", "<?xml version=\"1.0\"?>\n<feed><entry/></feed>\n");
    CHECK(root.code == "import_format");
    CHECK(root.message.find("<feed>") != std::string::npos);

    std::string no_version = good;
    no_version.erase(no_version.find("  <wp:wxr_version>"),
                     std::string("  <wp:wxr_version>1.2</wp:wxr_version>\n").size());
    CHECK(refused("rss.xml", no_version).code == "import_format");

    std::string unknown = good;
    unknown.replace(unknown.rfind("<wp:comment_approved>1<"), 23, "<wp:comment_approved>7<");
    const Error status = refused("status.xml", unknown);
    CHECK(status.code == "import_status");
    CHECK(status.message.find("'7'") != std::string::npos);
    CHECK(status.where.find("<wp:comment_approved>") != std::string::npos);

    std::string invalid_utf8 = good;
    invalid_utf8.replace(invalid_utf8.find("Ola Nordmann"), 3, "Ol\xff");
    CHECK(refused("utf8.xml", invalid_utf8).code == "import_xml");

    std::string bad_date = good;
    bad_date.replace(bad_date.rfind("2024-05-02 03:00:00"), 19,  // the GMT date
                     "2024-02-30 03:00:00");
    CHECK(refused("date.xml", bad_date).code == "import_date");

    std::string twice = good;
    twice.replace(twice.find("<wp:comment_id>12<"), 18, "<wp:comment_id>10<");
    CHECK(refused("twice.xml", twice).code == "import_duplicate_id");

    // An entity from outside the file is neither fetched nor read.
    const std::string external =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" +
        good.substr(good.find("<rss"));
    std::string with_entity = external;
    with_entity.replace(with_entity.find("Venter på svar"), 14, "&x;");
    test::write_file(dir / "entity.xml", with_entity);
    const auto entity = import_file(store, (dir / "entity.xml").string());
    CHECK((!entity.ok() ||
           count(store, "SELECT count(*) FROM comments WHERE body LIKE '%root:%'") == 0));
}

TEST_CASE("--learn teaches the classifier the imported approved and spam comments") {
    TempDir dir;
    test::write_file(dir / "export.xml", sample_export());
    store::Store store(options_for(dir));
    app::ImportOptions learn;
    learn.learn = true;
    const auto summary = import_file(store, (dir / "export.xml").string(), learn);
    REQUIRE(summary.ok());
    CHECK(summary.value().learned == 4);  // 3 approved, 1 spam; pending and rejected teach nothing
    store.wait_for_training();
    const auto model = store.classifier().current();
    CHECK(model->ham_messages() == 3);
    CHECK(model->spam_messages() == 1);
    // Each label is tied to its comment, so a moderator's later decision can reverse it.
    CHECK(text(store, "SELECT trained_as FROM comments WHERE name = 'Cheap Pills'") == "spam");
}

TEST_CASE("vokter import wordpress: the summary, a second run, and a refused file's exit code") {
    TempDir dir;
    test::write_file(dir / "export.xml", sample_export());
    const auto first = test::run_vokter_command(
        dir, {"import", "wordpress", (dir / "export.xml").string(), "--learn"});
    CHECK(first.code == 0);
    CHECK(first.output.find("imported 6 comments from wordpress https://blogg.example.no "
                            "(3 approved, 1 pending, 1 rejected, 1 spam)") != std::string::npos);
    CHECK(first.output.find("skipped (pingback): 1") != std::string::npos);
    CHECK(first.output.find("attached to their thread: 1") != std::string::npos);
    CHECK(first.output.find("taught the classifier: 4") != std::string::npos);

    const auto again =
        test::run_vokter_command(dir, {"import", "wordpress", (dir / "export.xml").string()});
    CHECK(again.code == 0);
    CHECK(again.output.find("imported 0 comments") != std::string::npos);
    CHECK(again.output.find("already imported before, left alone: 6") != std::string::npos);

    test::write_file(dir / "broken.xml", sample_export().substr(0, 700));
    const auto broken =
        test::run_vokter_command(dir, {"import", "wordpress", (dir / "broken.xml").string()});
    CHECK(broken.code == 1);
    CHECK(broken.output.find("[import_xml]") != std::string::npos);
    CHECK(broken.output.find("nothing was imported") != std::string::npos);
}
