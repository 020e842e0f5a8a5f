#pragma once
// A WordPress database dump (`mysqldump` or `mariadb-dump` of the blog's database, as hosts and
// backup plugins write it; phpMyAdmin's SQL export has the same shape) as records for the
// importer, for blogs that have a dump but no WXR export. The file is streamed in 64 KiB chunks
// through a small SQL scanner: memory holds one row's values at a time, however long the
// extended INSERT lines and however large the file.
//
// Read: the comments table, any table whose name ends in `comments` and whose CREATE TABLE (or
// INSERT column list, from --complete-insert) has a comment_ID column, whatever the prefix (wp_,
// wp3_, blog_). Column positions come from that CREATE TABLE, or from each INSERT's own column
// list. Besides it, the same prefix's `posts` table (ID → post_title, as the threads' titles)
// and `options` table (`home`, else `siteurl`) when the dump has them; every other statement is
// skipped. Values are MySQL literals as the dump writes them: 'strings' with backslash escapes
// and '' (kept byte for byte: a utf8mb4 dump's text, emoji included, arrives as it was stored;
// a dump in another character set is refused by the importer's UTF-8 check), NULL, numbers,
// 0x… and X'…' hex, _binary '…'. DELIMITER lines (triggers, routines) are followed.
//
// Comments map as in the WXR reader (wordpress_wxr.hpp): comment_ID is the id, comment_parent
// (0: none), author, e-mail, URL, IP, agent, comment_content byte for byte,
// comment_date_gmt (or comment_date read as UTC when the GMT date is 0000-00-00).
// comment_approved: 1 approved, 0 pending, spam spam, trash and post-trashed rejected; any other
// value stops the import. Pingbacks, trackbacks and other types than '' and 'comment' are
// skipped and counted.
//
// Threads: "/?p=<comment_post_ID>", WordPress's plain link to a post (of any type: WordPress
// redirects it to the post's permalink), or the site (as for the source, below) + "/?p=ID" with
// `full_urls`, whether or not the dump has the posts table (its guid column is not used: it keeps
// the address a post had when it was written, and pages and attachments have other forms). A dump
// does not give the posts' real links: those come from the permalink_structure option and rewrite
// rules that only a running WordPress applies. So a blog that moves to Vokter from a dump keys
// its threads the same way, in the theme: data-vokter-thread="/?p=<?php the_ID(); ?>" on
// #vokter-comments (and on data-vokter-count).
// (A WXR export carries the real links: prefer it when the blog can still write one.)
// Source: "wordpress " + options.site, else "wordpress " + the dump's `home` option (else its
// `siteurl`), which is what a WXR export of the same blog names as <wp:base_site_url>, so a dump
// imported after an export (or before) is recognised as the same blog and adds only what is new;
// "wordpress-sql" when the dump has no options table. A trailing "/" of the site is dropped.
//
// To read posts and options that a dump writes after the comments (mysqldump orders tables by
// name: wp_comments, wp_options, wp_posts), each call reads the file twice: a first scan keeps
// the posts' titles and the site (memory proportional to the number of posts), a second visits
// the comments.
// Refused, with path:line: a file that cannot be opened ("import_open"), is not SQL or has no
// comments table ("import_format"), or several (a multisite network: dump one site's tables),
// a truncated file (ending inside a string, a row or a statement) or a row whose number of
// values is not its table's ("import_sql"), an unknown comment_approved ("import_status"), a date
// that is no date ("import_date"), `full_urls` with neither --site nor a home or siteurl option
// in the dump, or with a site that is no http(s) URL ("import_site").

#include <string>

#include "app/import/importer.hpp"

namespace vokter::app {

struct WordpressSqlOptions {
    bool full_urls = false;  // threads keyed by site + "/?p=ID" instead of "/?p=ID"
    // The blog's address, "https://blogg.example.no" (--site): names the source and, with
    // full_urls, starts the threads. Empty: the dump's own `home` (or `siteurl`) option.
    std::string site;
};

// Reads `path` from its start each time it is called (the importer's two passes).
ExportReader wordpress_sql_reader(std::string path, WordpressSqlOptions options = {});

}  // namespace vokter::app
