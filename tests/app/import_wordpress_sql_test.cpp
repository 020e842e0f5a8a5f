// vokter import wordpress-sql: small mysqldump files written here (no real people's data), read
// directly and imported into real SQLite files through the store's writer, read back with SQL.
// (SQL text is literal throughout: Connection::prepare keys its cache by the text's address.)

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "app/import/importer.hpp"
#include "app/import/wordpress_sql.hpp"
#include "app/import/wordpress_wxr.hpp"
#include "import_support.hpp"
#include "store/store.hpp"

namespace {

using namespace vokter;
using test::count;
using test::options_for;
using test::TempDir;
using test::text;

const std::string kHeader = R"SQL(-- MySQL dump 10.13  Distrib 5.7.44, for Linux (x86_64)
--
-- Host: localhost    Database: blogg
-- ------------------------------------------------------
-- Server version	5.7.44-log

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `wp_commentmeta`
--

DROP TABLE IF EXISTS `wp_commentmeta`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `wp_commentmeta` (
  `meta_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `comment_id` bigint(20) unsigned NOT NULL DEFAULT '0',
  `meta_key` varchar(255) COLLATE utf8mb4_unicode_520_ci DEFAULT NULL,
  `meta_value` longtext COLLATE utf8mb4_unicode_520_ci,
  PRIMARY KEY (`meta_id`),
  KEY `comment_id` (`comment_id`),
  KEY `meta_key` (`meta_key`(191))
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `wp_commentmeta` (it's skipped: a quote in a comment starts nothing)
--

LOCK TABLES `wp_commentmeta` WRITE;
/*!40000 ALTER TABLE `wp_commentmeta` DISABLE KEYS */;
INSERT INTO `wp_commentmeta` VALUES (1,12,'akismet_result','true'),(2,12,'akismet_history','a:2:{s:4:\"time\";d:1714618800;s:5:\"event\";s:10:\"check-spam\";}'),(3,10,'note','it\'s ); INSERT INTO `wp_comments` VALUES (666');
/*!40000 ALTER TABLE `wp_commentmeta` ENABLE KEYS */;
UNLOCK TABLES;
)SQL";

std::string comments_create(const std::string& table) {
    return "\n--\n-- Table structure for table `" + table + "`\n--\n\nDROP TABLE IF EXISTS `" +
           table + "`;\n/*!40101 SET @saved_cs_client     = @@character_set_client */;\n" +
           "/*!40101 SET character_set_client = utf8 */;\nCREATE TABLE `" + table + "` (\n" +
           R"SQL(  `comment_ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `comment_post_ID` bigint(20) unsigned NOT NULL DEFAULT '0',
  `comment_author` tinytext COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `comment_author_email` varchar(100) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `comment_author_url` varchar(200) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `comment_author_IP` varchar(100) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `comment_date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `comment_date_gmt` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `comment_content` text COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `comment_karma` int(11) NOT NULL DEFAULT '0',
  `comment_approved` varchar(20) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '1',
  `comment_agent` varchar(255) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `comment_type` varchar(20) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT 'comment',
  `comment_parent` bigint(20) unsigned NOT NULL DEFAULT '0',
  `user_id` bigint(20) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (`comment_ID`),
  KEY `comment_post_ID` (`comment_post_ID`),
  KEY `comment_approved_date_gmt` (`comment_approved`,`comment_date_gmt`),
  KEY `comment_date_gmt` (`comment_date_gmt`),
  KEY `comment_parent` (`comment_parent`),
  KEY `comment_author_email` (`comment_author_email`(10))
) ENGINE=InnoDB AUTO_INCREMENT=19 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci COMMENT='kommentarer; (alle)';
/*!40101 SET character_set_client = @saved_cs_client */;
)SQL";
}

// Rows as mysqldump writes them: one extended INSERT on one line.
std::string insert(const std::string& table, const std::string& rows) {
    return "\n--\n-- Dumping data for table `" + table + "`\n--\n\nLOCK TABLES `" + table +
           "` WRITE;\n/*!40000 ALTER TABLE `" + table + "` DISABLE KEYS */;\nINSERT INTO `" +
           table + "` VALUES " + rows + ";\n/*!40000 ALTER TABLE `" + table +
           "` ENABLE KEYS */;\nUNLOCK TABLES;\n";
}

// Every status, a reply before its parent, a reply to a comment not in the dump, a pingback, a
// WooCommerce order note, escapes, a ';' and '),(' inside a string, æøå, emoji (4-byte UTF-8),
// NULLs.
const std::string kCommentRows =
    R"SQL((11,12,'Ola Nordmann','ola@example.no','','192.0.2.7','2024-05-01 12:05:00','2024-05-01 10:05:00','Enig! 😀 Svar til Kari 𝄞',0,'1','','comment',10,0),)SQL"
    R"SQL((10,12,'Kari Østby','kari@example.no','https://kari.example.no','192.0.2.1','2024-05-01 12:00:00','2024-05-01 10:00:00','Blåbær, æøå og \"sitat\" \\ bakstrek\r\nNy linje; med ),( inni og \'fnutter\' og ''doble''',0,'1','Mozilla/5.0 (X11; Linux x86_64)','comment',0,0),)SQL"
    R"SQL((12,12,'Cheap Pills','pills@example.com','http://pills.example','198.51.100.9','2024-05-02 05:00:00','2024-05-02 03:00:00','buy cheap pills http://pills.example',0,'spam','Mozilla/4.0 (compatible; MSIE 6.0)','',0,0),)SQL"
    R"SQL((13,12,'','','','','2024-05-03 12:00:00','0000-00-00 00:00:00','Venter på svar',0,'0','','comment',0,0),)SQL"
    R"SQL((14,7,'Troll','','','','2024-05-04 10:00:00','2024-05-04 08:00:00','Dette ble slettet',0,'trash','','comment',0,0),)SQL"
    R"SQL((15,99,'Gammel','','','','2024-05-04 11:00:00','2024-05-04 09:00:00','På et innlegg i papirkurven',0,'post-trashed','','comment',0,0),)SQL"
    R"SQL((16,12,'Annen blogg','','https://annen.example/lenke/','203.0.113.5','2024-05-04 11:00:00','2024-05-04 09:00:00','[&#8230;] Lenket hit [&#8230;]',0,'1','WordPress/6.5; https://annen.example','pingback',0,0),)SQL"
    R"SQL((17,7,'Per',NULL,NULL,NULL,'2024-06-01 12:00:00','2024-06-01 10:00:00','Svar på noe som ikke finnes',0,'1',NULL,'comment',99,0),)SQL"
    R"SQL((18,40,'WooCommerce','woocommerce@blogg.example.no','','','2024-06-02 12:00:00','2024-06-02 10:00:00','Ordrestatus endret fra Venter til Fullført.',0,'1','WooCommerce','order_note',0,0))SQL";

// What mysqldump writes with --triggers (the default) and --routines.
const std::string kRoutines = R"SQL(
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `wp_comments_karma` BEFORE UPDATE ON `wp_comments` FOR EACH ROW BEGIN SET NEW.comment_karma = 0; END */;;
DELIMITER ;
DELIMITER ;;
CREATE DEFINER=`root`@`localhost` PROCEDURE `tidy`()
BEGIN
  DELETE FROM wp_comments WHERE comment_approved = 'spam';
END ;;
DELIMITER ;
)SQL";

const std::string kHomeRow = "(2,'home','https://blogg.example.no','yes'),";

// WordPress in a folder of its site: siteurl is the folder, home the blog's address (which a WXR
// export names).
std::string options_section() {
    return R"SQL(
DROP TABLE IF EXISTS `wp_options`;
CREATE TABLE `wp_options` (
  `option_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `option_name` varchar(191) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `option_value` longtext COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `autoload` varchar(20) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT 'yes',
  PRIMARY KEY (`option_id`),
  UNIQUE KEY `option_name` (`option_name`),
  KEY `autoload` (`autoload`)
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
)SQL" + insert("wp_options", "(1,'siteurl','https://blogg.example.no/wp','yes')," + kHomeRow +
                                 "(3,'blogname','Bloggen','yes'),(4,'widget_text','a:1:{s:12:\\\"_"
                                 "multiwidget\\\";i:1;}','yes')");
}

const std::string kPosts =
    R"SQL(
DROP TABLE IF EXISTS `wp_posts`;
CREATE TABLE `wp_posts` (
  `ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `post_author` bigint(20) unsigned NOT NULL DEFAULT '0',
  `post_date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `post_date_gmt` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `post_content` longtext COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `post_title` text COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `post_excerpt` text COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `post_status` varchar(20) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT 'publish',
  `comment_status` varchar(20) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT 'open',
  `ping_status` varchar(20) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT 'open',
  `post_password` varchar(255) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `post_name` varchar(200) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `to_ping` text COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `pinged` text COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `post_modified` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `post_modified_gmt` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `post_content_filtered` longtext COLLATE utf8mb4_unicode_520_ci NOT NULL,
  `post_parent` bigint(20) unsigned NOT NULL DEFAULT '0',
  `guid` varchar(255) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `menu_order` int(11) NOT NULL DEFAULT '0',
  `post_type` varchar(20) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT 'post',
  `post_mime_type` varchar(100) COLLATE utf8mb4_unicode_520_ci NOT NULL DEFAULT '',
  `comment_count` bigint(20) NOT NULL DEFAULT '0',
  PRIMARY KEY (`ID`),
  KEY `post_name` (`post_name`(191)),
  KEY `type_status_date` (`post_type`,`post_status`,`post_date`,`ID`),
  KEY `post_parent` (`post_parent`),
  KEY `post_author` (`post_author`)
) ENGINE=InnoDB AUTO_INCREMENT=14 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

LOCK TABLES `wp_posts` WRITE;
INSERT INTO `wp_posts` VALUES )SQL"
    R"SQL((7,1,'2024-04-01 12:00:00','2024-04-01 10:00:00','<p>Hei; jeg heter \'Blogger\'</p>','Om meg','','publish','open','open','','om','','','2024-04-01 12:00:00','2024-04-01 10:00:00','',0,'https://blogg.example.no/?page_id=7',0,'page','',2),)SQL"
    R"SQL((12,1,'2024-04-30 10:00:00','2024-04-30 08:00:00','<p>Oppskrift (med \"bær\"); 1 kg),(</p>\r\n<p>Kok!</p>','Blåbærsyltetøy','','publish','open','open','','syltetoy','','','2024-04-30 10:00:00','2024-04-30 08:00:00','',0,'https://blogg.example.no/?p=12',0,'post','',4),)SQL"
    R"SQL((13,1,'2024-04-30 10:05:00','2024-04-30 08:05:00','<p>Oppskrift</p>','Blåbærsyltetøy','','inherit','closed','closed','','12-revision-v1','','','2024-04-30 10:05:00','2024-04-30 08:05:00','',12,'https://blogg.example.no/?p=13',0,'revision','',0);)SQL"
    R"SQL(
UNLOCK TABLES;
)SQL";

const std::string kFooter = R"SQL(
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2024-07-01 10:00:00
)SQL";

std::string sample_dump(bool with_posts = true) {
    return kHeader + comments_create("wp_comments") + insert("wp_comments", kCommentRows) +
           kRoutines + options_section() + (with_posts ? kPosts : "") + kFooter;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

std::string replaced_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::size_t line_of(const std::string& text, const std::string& needle) {
    const std::size_t at = text.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
}

Result<app::ImportSummary> import_file(store::Store& store, const std::string& path,
                                       app::WordpressSqlOptions sql = {},
                                       app::ImportOptions options = {}) {
    return test::import_in_batches(store, app::wordpress_sql_reader(path, sql), options);
}

// The records the reader gives, without a store.
std::vector<app::ImportedComment> read_records(const std::string& path,
                                               app::WordpressSqlOptions options = {}) {
    std::vector<app::ImportedComment> records;
    const auto outcome = app::wordpress_sql_reader(
        path, options)([&](app::ImportedComment&& c) { records.push_back(std::move(c)); });
    REQUIRE(outcome.ok());
    return records;
}

std::string threads(store::Store& store) {
    return text(store,
                "SELECT group_concat(uri || '=' || title, ' ') FROM "
                "(SELECT uri, title FROM threads ORDER BY uri)");
}

}  // namespace

TEST_CASE("a WordPress dump imports with threads, parents, every status and byte-exact text") {
    TempDir dir;
    test::write_file(dir / "blogg.sql", sample_dump());
    store::Store store(options_for(dir));

    const auto summary = import_file(store, (dir / "blogg.sql").string());
    REQUIRE(summary.ok());
    const app::ImportSummary& s = summary.value();
    // The home option, as a WXR export of the blog names it (siteurl is WordPress's folder).
    CHECK(s.source == "wordpress https://blogg.example.no");
    CHECK(s.imported.at("approved") == 3);
    CHECK(s.imported.at("spam") == 1);
    CHECK(s.imported.at("pending") == 1);
    CHECK(s.imported.at("rejected") == 2);
    CHECK(s.skipped.at("pingback") == 1);
    CHECK(s.skipped.at("comment type order_note") == 1);
    CHECK(s.orphans == 1);
    CHECK(s.already_imported == 0);

    // Threads keyed /?p=ID, titles from wp_posts; a post not in the dump has none.
    CHECK(threads(store) == "/?p=12=Blåbærsyltetøy /?p=7=Om meg /?p=99=");
    CHECK(count(store, "SELECT approved FROM threads WHERE uri = '/?p=12'") == 2);
    // The reply that came before its parent found it.
    CHECK(text(store,
               "SELECT p.name || ' > ' || c.name || ' depth ' || c.depth FROM comments c "
               "JOIN import_keys k ON k.comment_id = c.id AND k.external_id = '11' "
               "JOIN comments p ON p.id = c.parent_id AND p.id = c.root_id") ==
          "Kari Østby > Ola Nordmann depth 1");
    CHECK(count(store,
                "SELECT count(*) FROM comments c JOIN import_keys k ON k.comment_id = c.id "
                "WHERE k.external_id = '17' AND c.parent_id IS NULL") == 1);
    // Every field byte for byte: escapes decoded, '' a quote, ';' and '),(' kept, 4-byte UTF-8.
    CHECK(text(store, "SELECT body FROM comments WHERE name = 'Kari Østby'") ==
          "Blåbær, æøå og \"sitat\" \\ bakstrek\r\nNy linje; med ),( inni og 'fnutter' og 'doble'");
    CHECK(text(store,
               "SELECT email || ' ' || website || ' ' || ip || ' ' || user_agent FROM "
               "comments WHERE name = 'Kari Østby'") ==
          "kari@example.no https://kari.example.no 192.0.2.1 Mozilla/5.0 (X11; Linux x86_64)");
    CHECK(text(store, "SELECT body FROM comments WHERE name = 'Ola Nordmann'") ==
          "Enig! 😀 Svar til Kari 𝄞");
    CHECK(text(store, "SELECT user_agent FROM comments WHERE name = 'Cheap Pills'") ==
          "Mozilla/4.0 (compatible; MSIE 6.0)");
    CHECK(text(store, "SELECT status FROM comments WHERE name = 'Cheap Pills'") == "spam");
    // NULLs are empty fields.
    CHECK(text(store,
               "SELECT email || website || ip || user_agent FROM comments WHERE name = "
               "'Per'") == "");
    // Dates from comment_date_gmt; without one (0000-00-00), comment_date read as UTC.
    CHECK(count(store, "SELECT created FROM comments WHERE name = 'Kari Østby'") == 1714557600000);
    CHECK(count(store, "SELECT created FROM comments WHERE body = 'Venter på svar'") ==
          1714737600000);
    CHECK(text(store,
               "SELECT group_concat(status, ' ') FROM (SELECT status FROM comments "
               "WHERE name IN ('Troll', 'Gammel') ORDER BY name)") == "rejected rejected");
    CHECK(count(store, "SELECT count(*) FROM comments WHERE source <> 'import'") == 0);
    // The statements of other tables, triggers and routines added nothing.
    CHECK(count(store, "SELECT count(*) FROM comments") == 7);
    CHECK(count(store, "SELECT count(*) FROM import_keys WHERE external_id = '666'") == 0);
}

TEST_CASE("the reader gives each record's fields, and where it is in the dump") {
    TempDir dir;
    const std::string dump = sample_dump();
    test::write_file(dir / "blogg.sql", dump);
    const auto records = read_records((dir / "blogg.sql").string());
    REQUIRE(records.size() == 9);
    const app::ImportedComment& kari = records[1];
    CHECK(kari.external_id == "10");
    CHECK(kari.parent_external_id.empty());
    CHECK(kari.thread_uri == "/?p=12");
    CHECK(kari.thread_title == "Blåbærsyltetøy");
    CHECK(kari.status == "approved");
    CHECK(kari.where == (dir / "blogg.sql").string() + ":" +
                            std::to_string(line_of(dump, "INSERT INTO `wp_comments` VALUES (11,")) +
                            " wp_comments row 10");
    CHECK(records[0].parent_external_id == "10");
    CHECK(records[6].skip == "pingback");
    CHECK(records[8].skip == "comment type order_note");

    // MySQL's literals beyond what a WordPress dump usually holds: every escape, hex, _binary,
    // X'…', a "double-quoted" string, negative numbers, spaces between values.
    const std::string literals =
        kHeader + comments_create("wp_comments") +
        "INSERT INTO `wp_comments` VALUES "
        R"SQL((1,5,_binary 'Binær',0x6b617269406578616d706c652e6e6f,X'68747470733A2F2F6B6172692E6578616D706C65',"192.0.2.1",'2024-05-01 12:00:00','2024-05-01 10:00:00','a\0b\bc\Zd\te\%f\_g\\h\'i''j\"k\n\r\xl',-1,'1',_utf8mb4'UA','',0,0),)SQL"
        "\n( 2 , 5 , 'Ola' , '' , '' , '' , '2024-05-01 12:00:00' , '2024-05-01 10:00:00' , "
        "'Nok' , 0 , '0' , '' , NULL , 1 , NULL );\n";
    test::write_file(dir / "literals.sql", literals);
    const auto decoded = read_records((dir / "literals.sql").string());
    REQUIRE(decoded.size() == 2);
    CHECK(decoded[0].name == "Binær");
    CHECK(decoded[0].email == "kari@example.no");
    CHECK(decoded[0].website == "https://kari.example");
    CHECK(decoded[0].ip == "192.0.2.1");
    CHECK(decoded[0].body == std::string("a\0b\bc\x1a"
                                         "d\te\\%f\\_g\\h'i'j\"k\n\rxl",
                                         27));
    CHECK(decoded[0].user_agent == "UA");
    CHECK(decoded[0].thread_uri == "/?p=5");
    CHECK(decoded[0].thread_title.empty());  // this dump has no posts table
    CHECK(decoded[1].body == "Nok");
    CHECK(decoded[1].status == "pending");
    CHECK(decoded[1].parent_external_id == "1");
    CHECK(decoded[1].where.find("literals.sql:" + std::to_string(line_of(literals, "( 2 ,")) +
                                " wp_comments row 2") != std::string::npos);
}

TEST_CASE("without a posts table threads are /?p=ID without titles; the source is the dump's") {
    TempDir dir;
    test::write_file(dir / "blogg.sql", sample_dump(false));
    store::Store store(options_for(dir));
    const auto summary = import_file(store, (dir / "blogg.sql").string());
    REQUIRE(summary.ok());
    CHECK(summary.value().total_imported() == 7);
    CHECK(threads(store) == "/?p=12= /?p=7= /?p=99=");

    // Neither posts nor options: the source is only the format.
    TempDir bare;
    test::write_file(bare / "blogg.sql", kHeader + comments_create("wp_comments") +
                                             insert("wp_comments", kCommentRows));
    store::Store other(options_for(bare));
    const auto only = import_file(other, (bare / "blogg.sql").string());
    REQUIRE(only.ok());
    CHECK(only.value().source == "wordpress-sql");
    CHECK(only.value().total_imported() == 7);
}

TEST_CASE("column lists of --complete-insert and phpMyAdmin give the positions, in any order") {
    TempDir dir;
    const std::string rows =
        "INSERT INTO `wp_comments` (`comment_content`, `comment_ID`, `comment_approved`, "
        "`comment_post_ID`, `comment_date_gmt`, `comment_date`, `comment_author`, "
        "`comment_parent`, `comment_type`, `comment_author_email`) VALUES\n"
        "('Første; (1)', 1, '1', 12, '2024-05-01 10:00:00', '2024-05-01 12:00:00', 'Kari', 0, "
        "'comment', 'kari@example.no'),\n"
        "('Andre', 2, '0', 12, '2024-05-02 10:00:00', '2024-05-02 12:00:00', 'Ola', 1, '', '');\n";
    const auto check_records = [&](const std::string& name, const std::string& dump) {
        CAPTURE(name);
        test::write_file(dir / name, dump);
        const auto records = read_records((dir / name).string());
        REQUIRE(records.size() == 2);
        CHECK(records[0].external_id == "1");
        CHECK(records[0].body == "Første; (1)");
        CHECK(records[0].name == "Kari");
        CHECK(records[0].email == "kari@example.no");
        CHECK(records[0].status == "approved");
        CHECK(records[0].thread_uri == "/?p=12");
        CHECK(records[0].created_ms == 1714557600000);
        CHECK(records[1].status == "pending");
        CHECK(records[1].parent_external_id == "1");
        CHECK(records[1].user_agent.empty());
    };
    // The CREATE TABLE's order is not the INSERT's: the INSERT's list counts.
    check_records("complete.sql", kHeader + comments_create("wp_comments") + rows);
    // mysqldump --no-create-info --complete-insert: the list alone names the table's columns.
    check_records("data-only.sql", "-- MySQL dump 10.13\nSET NAMES utf8mb4;\n" + rows);
}

TEST_CASE("another table prefix is found, and siteurl names the source when home is missing") {
    TempDir dir;
    std::string dump = replaced_all(sample_dump(), "`wp_", "`blog_");
    dump = replaced(dump, kHomeRow, "");
    test::write_file(dir / "blogg.sql", dump);
    store::Store store(options_for(dir));
    const auto summary = import_file(store, (dir / "blogg.sql").string());
    REQUIRE(summary.ok());
    CHECK(summary.value().source == "wordpress https://blogg.example.no/wp");
    CHECK(summary.value().total_imported() == 7);
    CHECK(threads(store) == "/?p=12=Blåbærsyltetøy /?p=7=Om meg /?p=99=");
    const auto records = read_records((dir / "blogg.sql").string());
    CHECK(records[1].where.find(" blog_comments row 10") != std::string::npos);
}

TEST_CASE("importing the same dump again adds nothing") {
    TempDir dir;
    test::write_file(dir / "blogg.sql", sample_dump());
    store::Store store(options_for(dir));
    REQUIRE(import_file(store, (dir / "blogg.sql").string()).ok());
    CHECK(count(store, "SELECT count(*) FROM comments") == 7);
    const auto again = import_file(store, (dir / "blogg.sql").string());
    REQUIRE(again.ok());
    CHECK(again.value().total_imported() == 0);
    CHECK(again.value().already_imported == 7);
    CHECK(count(store, "SELECT count(*) FROM comments") == 7);
}

TEST_CASE("a dump of a blog imported after its WXR export is the same origin: nothing twice") {
    TempDir dir;
    const std::string wxr =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" "
        "xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n  <title>Bloggen</title>\n"
        "  <link>https://blogg.example.no</link>\n  <wp:wxr_version>1.2</wp:wxr_version>\n"
        "  <wp:base_site_url>https://blogg.example.no</wp:base_site_url>\n  <item>\n"
        "    <title>Blåbærsyltetøy</title>\n"
        "    <link>https://blogg.example.no/2024/05/syltetoy/</link>\n"
        "    <wp:comment><wp:comment_id>10</wp:comment_id>"
        "<wp:comment_author>Kari Østby</wp:comment_author>"
        "<wp:comment_date_gmt>2024-05-01 10:00:00</wp:comment_date_gmt>"
        "<wp:comment_content>Blåbær</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
        "<wp:comment_parent>0</wp:comment_parent></wp:comment>\n"
        "    <wp:comment><wp:comment_id>11</wp:comment_id>"
        "<wp:comment_author>Ola Nordmann</wp:comment_author>"
        "<wp:comment_date_gmt>2024-05-01 10:05:00</wp:comment_date_gmt>"
        "<wp:comment_content>Enig!</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
        "<wp:comment_parent>10</wp:comment_parent></wp:comment>\n"
        "  </item>\n</channel>\n</rss>\n";
    test::write_file(dir / "export.xml", wxr);
    const std::string dump =
        kHeader + comments_create("wp_comments") +
        insert("wp_comments",
               "(10,12,'Kari Østby','','','','2024-05-01 12:00:00','2024-05-01 10:00:00','Blåbær',"
               "0,'1','','comment',0,0),(11,12,'Ola Nordmann','','','','2024-05-01 12:05:00',"
               "'2024-05-01 10:05:00','Enig!',0,'1','','comment',10,0)") +
        options_section() + kPosts + kFooter;
    test::write_file(dir / "blogg.sql", dump);
    store::Store store(options_for(dir));

    std::ostringstream err;
    const auto from_wxr = app::import_comments(
        store, app::wordpress_wxr_reader((dir / "export.xml").string()), {}, err);
    REQUIRE(from_wxr.ok());
    CHECK(from_wxr.value().total_imported() == 2);

    const auto from_dump = import_file(store, (dir / "blogg.sql").string());
    REQUIRE(from_dump.ok());
    CHECK(from_dump.value().source == from_wxr.value().source);
    CHECK(from_dump.value().total_imported() == 0);
    CHECK(from_dump.value().already_imported == 2);
    CHECK(count(store, "SELECT count(*) FROM comments") == 2);

    // The whole dump later: only the comments the export did not have.
    test::write_file(dir / "later.sql", sample_dump());
    const auto later = import_file(store, (dir / "later.sql").string());
    REQUIRE(later.ok());
    CHECK(later.value().total_imported() == 5);
    CHECK(later.value().already_imported == 2);
}

TEST_CASE("--full-urls keys threads by the site's /?p=ID: --site, else the dump's home") {
    TempDir dir;
    test::write_file(dir / "blogg.sql", sample_dump());
    app::WordpressSqlOptions options;
    options.full_urls = true;
    options.site = "https://Blogg.example.no/";
    const auto records = read_records((dir / "blogg.sql").string(), options);
    CHECK(records[1].thread_uri == "https://blogg.example.no/?p=12");
    store::Store store(options_for(dir));
    const auto summary = import_file(store, (dir / "blogg.sql").string(), options);
    REQUIRE(summary.ok());
    CHECK(summary.value().source == "wordpress https://Blogg.example.no");
    CHECK(threads(store) ==
          "https://blogg.example.no/?p=12=Blåbærsyltetøy https://blogg.example.no/?p=7=Om meg "
          "https://blogg.example.no/?p=99=");

    options.site.clear();
    CHECK(read_records((dir / "blogg.sql").string(), options)[1].thread_uri ==
          "https://blogg.example.no/?p=12");

    // No --site and no options table: the reader cannot make the URLs.
    test::write_file(dir / "bare.sql", kHeader + comments_create("wp_comments") +
                                           insert("wp_comments", kCommentRows));
    const auto bare = app::wordpress_sql_reader((dir / "bare.sql").string(),
                                                options)([](app::ImportedComment&&) {});
    REQUIRE_FALSE(bare.ok());
    CHECK(bare.errors().front().code == "import_site");
    CHECK(bare.errors().front().message.find("--site") != std::string::npos);
    options.site = "blogg.example.no";
    const auto no_scheme = app::wordpress_sql_reader((dir / "bare.sql").string(),
                                                     options)([](app::ImportedComment&&) {});
    REQUIRE_FALSE(no_scheme.ok());
    CHECK(no_scheme.errors().front().code == "import_site");
}

TEST_CASE("an extended INSERT of 5,000 rows on one line imports every row") {
    TempDir dir;
    std::string rows;
    for (int i = 1; i <= 5000; ++i) {
        const std::string n = std::to_string(i);
        if (i > 1) rows += ",";
        rows += "(" + n + ",12,'Leser " + n + "','leser" + n +
                "@example.no','','192.0.2.9','2024-05-01 12:00:00','2024-05-01 10:00:00',"
                "'Kommentar " +
                n + ": æøå 😀 \\'sitat\\'; ),( \\\\ slutt',0,'" + (i % 2 == 0 ? "1" : "0") +
                "','Mozilla/5.0 (X11; Linux x86_64)','comment'," + (i > 1 ? "1" : "0") + ",0)";
    }
    REQUIRE(rows.size() > 10 * 64 * 1024);  // across many of the reader's chunks
    test::write_file(dir / "big.sql", kHeader + comments_create("wp_comments") +
                                          insert("wp_comments", rows) + options_section() + kPosts +
                                          kFooter);
    store::Store store(options_for(dir));
    std::ostringstream err;
    const auto summary =
        app::import_comments(store, app::wordpress_sql_reader((dir / "big.sql").string()), {}, err);
    REQUIRE(summary.ok());
    CHECK(summary.value().imported.at("approved") == 2500);
    CHECK(summary.value().imported.at("pending") == 2500);
    CHECK(summary.value().orphans == 0);
    CHECK(count(store, "SELECT count(*) FROM comments WHERE parent_id IS NOT NULL") == 4999);
    CHECK(text(store, "SELECT body FROM comments WHERE name = 'Leser 4999'") ==
          "Kommentar 4999: æøå 😀 'sitat'; ),( \\ slutt");
    CHECK(text(store, "SELECT email FROM comments WHERE name = 'Leser 5000'") ==
          "leser5000@example.no");
}

TEST_CASE("a broken dump is refused with its code and line, and nothing is imported") {
    TempDir dir;
    store::Store store(options_for(dir));
    const std::string good = sample_dump();
    const auto refused = [&](const std::string& name, const std::string& content) {
        CAPTURE(name);
        test::write_file(dir / name, content);
        const auto result = import_file(store, (dir / name).string());
        REQUIRE_FALSE(result.ok());
        CHECK(count(store, "SELECT count(*) FROM comments") == 0);
        CHECK(count(store, "SELECT count(*) FROM threads") == 0);
        return result.errors().front();
    };
    const std::string insert_line =
        ":" + std::to_string(line_of(good, "INSERT INTO `wp_comments` VALUES (11,"));

    // Truncated inside a string: where the string starts.
    const Error in_string = refused("truncated.sql", good.substr(0, good.find("bakstrek")));
    CHECK(in_string.code == "import_sql");
    CHECK(in_string.where == (dir / "truncated.sql").string() + insert_line);
    CHECK(in_string.message.find("truncated") != std::string::npos);

    // Truncated between rows, and after the last row before its ';'.
    CHECK(refused("rows.sql", good.substr(0, good.find("(12,12,"))).code == "import_sql");
    CHECK(refused("semicolon.sql", good.substr(0, good.find(";\n/*!40000 ALTER TABLE "
                                                            "`wp_comments` ENABLE")))
              .code == "import_sql");

    const Error no_table = refused("posts.sql", kHeader + kPosts + kFooter);
    CHECK(no_table.code == "import_format");
    CHECK(no_table.message.find("no wp_comments table") != std::string::npos);

    const Error values = refused("values.sql", replaced(good, "'comment',10,0)", "'comment',10)"));
    CHECK(values.code == "import_sql");
    CHECK(values.message.find("14 values") != std::string::npos);
    CHECK(values.message.find("15 columns") != std::string::npos);
    CHECK(values.where == (dir / "values.sql").string() + insert_line + " wp_comments row");

    const Error status = refused("status.sql", replaced(good, "0,'spam',", "0,'7',"));
    CHECK(status.code == "import_status");
    CHECK(status.message.find("'7'") != std::string::npos);
    CHECK(status.where == (dir / "status.sql").string() + insert_line + " wp_comments row 12");

    const Error date =
        refused("date.sql", replaced(good, "'2024-05-02 03:00:00'", "'2024-02-30 03:00:00'"));
    CHECK(date.code == "import_date");

    const Error xml = refused("export.xml", "<?xml version=\"1.0\"?>\n<rss></rss>\n");
    CHECK(xml.code == "import_format");
    CHECK(xml.message.find("not an SQL dump") != std::string::npos);

    // A multisite network's dump: which site's comments is for the user to say.
    const Error multisite =
        refused("network.sql", good + comments_create("wp_2_comments") +
                                   insert("wp_2_comments",
                                          "(1,1,'A','','','','2024-01-01 00:00:00',"
                                          "'2024-01-01 00:00:00','Hei',0,'1','','',0,0)"));
    CHECK(multisite.code == "import_format");
    CHECK(multisite.message.find("wp_comments, wp_2_comments") != std::string::npos);

    const auto missing = import_file(store, (dir / "nowhere.sql").string());
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.errors().front().code == "import_open");
}

TEST_CASE("vokter import wordpress-sql: the summary, --site, and a refused file's exit code") {
    TempDir dir;
    test::write_file(dir / "blogg.sql", sample_dump());
    const auto first =
        test::run_vokter_command(dir, {"import", "wordpress-sql", (dir / "blogg.sql").string()});
    CHECK(first.code == 0);
    CHECK(first.output.find("imported 7 comments from wordpress https://blogg.example.no "
                            "(3 approved, 1 pending, 2 rejected, 1 spam)") != std::string::npos);
    CHECK(first.output.find("skipped (pingback): 1") != std::string::npos);
    CHECK(first.output.find("skipped (comment type order_note): 1") != std::string::npos);
    CHECK(first.output.find("attached to their thread: 1") != std::string::npos);

    // The same blog named by --site (its trailing slash dropped): the same origin.
    const auto again =
        test::run_vokter_command(dir, {"import", "wordpress-sql", (dir / "blogg.sql").string(),
                                       "--site", "https://blogg.example.no/", "--full-urls"});
    CHECK(again.code == 0);
    CHECK(again.output.find("imported 0 comments from wordpress https://blogg.example.no") !=
          std::string::npos);
    CHECK(again.output.find("already imported before, left alone: 7") != std::string::npos);

    const std::string dump = sample_dump();
    test::write_file(dir / "broken.sql", dump.substr(0, dump.find("bakstrek")));
    const auto broken =
        test::run_vokter_command(dir, {"import", "wordpress-sql", (dir / "broken.sql").string()});
    CHECK(broken.code == 1);
    CHECK(broken.output.find("[import_sql]") != std::string::npos);
    CHECK(broken.output.find("nothing was imported") != std::string::npos);
}
