// vokter export and vokter import vokter: a database written here through the store (verdicts
// with hits, moderators' decisions, a closed thread, a deleted comment, a reply, ids with gaps),
// exported, imported into real SQLite files and exported again.

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "app/import/importer.hpp"
#include "app/import/vokter_export.hpp"
#include "import_support.hpp"
#include "store/comment_repository.hpp"
#include "store/moderation_repository.hpp"
#include "store/store.hpp"

namespace {

using namespace vokter;
using test::count;
using test::options_for;
using test::TempDir;
using test::text;

std::int64_t add(store::Connection& db, const std::string& thread, const std::string& name,
                 const std::string& body, const char* status, double score, std::int64_t created,
                 std::optional<std::int64_t> parent = std::nullopt,
                 std::optional<std::int64_t> id = std::nullopt) {
    store::NewComment c;
    c.submission.thread = thread;
    c.submission.title = thread == "/2024/05/syltetoy" ? "Blåbærsyltetøy" : "";
    c.submission.name = name;
    c.submission.email = name + "@example.no";
    c.submission.website = "https://" + name + ".example.no";
    c.submission.body = body;
    c.submission.ip = "192.0.2.7";
    c.submission.user_agent = "Mozilla/5.0 (X11; Linux)";
    c.submission.referrer = "https://blogg.example.no" + thread;
    c.submission.parent = parent;
    if (parent) {
        const auto p = store::find_parent(db, *parent);
        if (!p) throw std::logic_error("no parent " + std::to_string(*parent));  // writer thread
        c.root_id = p->root_id;
        c.depth = p->depth + 1;
    }
    c.status = status;
    c.verdict.score = score;
    c.verdict.ruleset_version = "rules-2024-05";
    if (score != 0) c.verdict.hits.push_back({"LINK_COUNT", score, "body", "3 lenker: «æøå»"});
    c.verdict.hits.push_back({"KNOWN_AUTHOR", -0.5, "", ""});
    c.source = "api";
    c.created = created;
    c.id = id;
    return store::insert_comment(db, c);
}

// The blog of these tests, as moderators left it.
void write_blog(store::Store& store) {
    store.writer().run([](store::Connection& db) {
        const std::int64_t kari = add(db, "/2024/05/syltetoy", "kari", "Blåbær 😀\næøå",
                                      store::kPending, 1.5, 1714557600000);
        add(db, "/2024/05/syltetoy", "ola", "Enig!", store::kApproved, 0, 1714557700000, kari, 5);
        const std::int64_t pills = add(db, "/om", "pills", "cheap pills http://pills.example",
                                       store::kPending, 6.25, 1714557800000, std::nullopt, 9);
        const std::int64_t troll =
            add(db, "/om", "troll", "Dette skal bort", store::kApproved, 0, 1714557900000);
        store::apply_decision(db, kari, store::Decision::approve, "moderator-1", "ok «sjekket»",
                              1714600000000);
        store::apply_decision(db, pills, store::Decision::spam, "moderator-1", "", 1714600001000);
        store::apply_decision(db, troll, store::Decision::reject, "moderator-2", "", 1714600002000);
        store::apply_decision(db, troll, store::Decision::remove, "moderator-2", "slettet",
                              1714600003000);
        store::set_thread_closed(db, "/om", true);
        return 0;
    });
}

std::string exported(store::Store& store) {
    std::ostringstream out;
    app::export_comments(store, out);
    return out.str();
}

Result<app::ImportSummary> import_export(store::Store& store, const std::string& path) {
    return test::import_in_batches(store, app::vokter_export_reader(path));
}

}  // namespace

TEST_CASE("export, import into an empty database, export again: the same file byte for byte") {
    TempDir first_dir, second_dir;
    store::Store first(options_for(first_dir));
    write_blog(first);
    const std::string a = exported(first);
    test::write_file(first_dir / "export.jsonl", a);

    // The header, the two threads, then every comment with its hits and its log.
    std::istringstream lines(a);
    std::string header, line;
    std::getline(lines, header);
    CHECK(header.rfind("{\"type\":\"vokter-export\",\"version\":1,\"origin\":\"", 0) == 0);
    std::getline(lines, line);
    CHECK(line ==
          "{\"type\":\"thread\",\"uri\":\"/2024/05/syltetoy\",\"title\":\"Blåbærsyltetøy\","
          "\"closed\":false}");
    std::getline(lines, line);
    CHECK(line == "{\"type\":\"thread\",\"uri\":\"/om\",\"title\":\"\",\"closed\":true}");
    std::getline(lines, line);
    CHECK(line.find("\"id\":1,") != std::string::npos);
    CHECK(line.find("\"body\":\"Blåbær 😀\\næøå\"") != std::string::npos);
    CHECK(line.find("{\"rule\":\"LINK_COUNT\",\"score\":1.5,\"field\":\"body\","
                    "\"detail\":\"3 lenker: «æøå»\"}") != std::string::npos);
    CHECK(line.find("\"moderation\":[{\"at\":1714600000000,\"moderator\":\"moderator-1\","
                    "\"action\":\"approve\",\"from\":\"pending\",\"to\":\"approved\","
                    "\"note\":\"ok «sjekket»\"}]") != std::string::npos);
    std::int64_t comments = 0;
    while (std::getline(lines, line))
        ++comments;
    CHECK(comments == 3);

    store::Store second(options_for(second_dir));
    const auto summary = import_export(second, (first_dir / "export.jsonl").string());
    REQUIRE(summary.ok());
    CHECK(summary.value().total_imported() == 4);
    CHECK(summary.value().orphans == 0);
    const std::string b = exported(second);
    CHECK(b == a);

    // The ids with their gaps, the tree, the verdicts and the log as they were.
    CHECK(text(second, "SELECT group_concat(id, ',') FROM (SELECT id FROM comments ORDER BY id)") ==
          "1,5,9,10");
    CHECK(count(second, "SELECT parent_id FROM comments WHERE id = 5") == 1);
    CHECK(count(second, "SELECT count(*) FROM moderation_log") == 4);
    CHECK(count(second, "SELECT count(*) FROM rule_hits") == 6);
    CHECK(text(second, "SELECT status || ' ' || score FROM comments WHERE id = 9") == "spam 6.25");
    CHECK(text(second, "SELECT status || ':' || body || ':' || ip FROM comments WHERE id = 10") ==
          "deleted::");
    CHECK(count(second, "SELECT closed FROM threads WHERE uri = '/om'") == 1);
    CHECK(count(second, "SELECT approved FROM threads WHERE uri = '/2024/05/syltetoy'") == 2);

    // Idempotent: the same export again adds nothing.
    const auto again = import_export(second, (first_dir / "export.jsonl").string());
    REQUIRE(again.ok());
    CHECK(again.value().total_imported() == 0);
    CHECK(again.value().already_imported == 4);
    CHECK(exported(second) == a);
}

TEST_CASE("an export imported into a database with comments gets new ids and keeps its tree") {
    TempDir first_dir, other_dir;
    store::Store first(options_for(first_dir));
    write_blog(first);
    test::write_file(first_dir / "export.jsonl", exported(first));

    store::Store other(options_for(other_dir));
    other.writer().run([](store::Connection& db) {
        return add(db, "/annet", "per", "Fra før", store::kApproved, 0, 1700000000000);
    });
    const auto summary = import_export(other, (first_dir / "export.jsonl").string());
    REQUIRE(summary.ok());
    CHECK(summary.value().total_imported() == 4);
    CHECK(count(other, "SELECT count(*) FROM comments") == 5);
    CHECK(text(other,
               "SELECT p.name || ' > ' || c.name FROM comments c JOIN comments p "
               "ON p.id = c.parent_id") == "kari > ola");
    CHECK(count(other, "SELECT max(id) FROM comments") == 5);
    // Its origin stays its own: the receiving database is not the exported one.
    CHECK(exported(other).find(exported(first).substr(0, 60)) == std::string::npos);
}

TEST_CASE("a file that is no Vokter export, or a broken one, is refused with its line") {
    TempDir first_dir, dir;
    store::Store first(options_for(first_dir));
    write_blog(first);
    const std::string good = exported(first);
    store::Store store(options_for(dir));
    const auto refused = [&](const std::string& name, const std::string& content) {
        test::write_file(dir / name, content);
        const auto result = import_export(store, (dir / name).string());
        REQUIRE_FALSE(result.ok());
        CHECK(count(store, "SELECT count(*) FROM comments") == 0);
        return result.errors().front();
    };
    const std::size_t third_line = good.find('\n', good.find('\n') + 1) + 1;

    CHECK(refused("empty.jsonl", "").code == "import_format");
    CHECK(refused("csv.jsonl", "name,body\nkari,hei\n").code == "import_json");
    const Error header = refused("other.jsonl", "{\"type\":\"comment\",\"id\":1}\n");
    CHECK(header.code == "import_format");
    CHECK(header.message.find("not a Vokter export") != std::string::npos);

    std::string newer = good;
    newer.replace(newer.find("\"version\":1"), 11, "\"version\":2");
    const Error version = refused("v2.jsonl", newer);
    CHECK(version.code == "import_version");
    CHECK(version.where.find("v2.jsonl:1") != std::string::npos);

    // Cut in the middle of the last comment's line.
    const Error cut = refused("cut.jsonl", good.substr(0, good.size() - 40));
    CHECK(cut.code == "import_json");
    CHECK(cut.where.find("cut.jsonl:7") != std::string::npos);

    std::string wrong_type = good;
    wrong_type.replace(wrong_type.find("\"created\":1714557600000"), 23, "\"created\":\"i går\"");
    const Error type = refused("type.jsonl", wrong_type);
    CHECK(type.code == "import_format");
    CHECK(type.message == "\"created\" must be a whole number");

    // A comment whose thread line is missing.
    std::string no_thread = good;
    no_thread.erase(third_line, good.find('\n', third_line) + 1 - third_line);
    CHECK(refused("thread.jsonl", no_thread).code == "import_no_thread");

    std::string invalid = good;
    invalid.replace(invalid.find("Enig!"), 5, "En\xffg!");
    CHECK(refused("utf8.jsonl", invalid).code == "import_json");
}

TEST_CASE("vokter export --out and vokter import vokter move a database") {
    TempDir first_dir, second_dir;
    {
        store::Store first(options_for(first_dir));
        write_blog(first);
    }
    const std::string file = (first_dir / "vokter-export.jsonl").string();
    const auto exported_run = test::run_vokter_command(first_dir, {"export", "--out", file});
    CHECK(exported_run.code == 0);
    CHECK(exported_run.output.find("exported 4 comments in 2 threads") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(file + ".partial"));

    const auto imported = test::run_vokter_command(second_dir, {"import", "vokter", file});
    CHECK(imported.code == 0);
    CHECK(imported.output.find("imported 4 comments") != std::string::npos);
    // To standard output: the moved database's export is the first one's.
    const auto again = test::run_vokter_command(second_dir, {"export"});
    CHECK(again.code == 0);
    CHECK(again.output.find(test::read_file(file)) != std::string::npos);

    const auto nowhere = test::run_vokter_command(
        first_dir, {"export", "--out", (first_dir / "no-such-folder" / "x.jsonl").string()});
    CHECK(nowhere.code == 1);
    CHECK(nowhere.output.find("cannot write") != std::string::npos);
}

namespace {

// The export reader, with something done to the importer's second pass (`pass` counts calls).
app::ExportReader changed_in_second_pass(
    const std::string& path, std::function<void(int, app::ImportedComment&, bool&)> change) {
    auto inner = app::vokter_export_reader(path);
    auto pass = std::make_shared<int>(0);
    return
        [inner, pass, change, path](const app::ImportVisitor& visit) -> Result<app::ReadOutcome> {
            ++*pass;
            int n = 0;
            bool stop = false;
            auto outcome = inner([&](app::ImportedComment&& c) {
                if (stop) return;
                if (*pass == 2) change(++n, c, stop);
                if (!stop) visit(std::move(c));
            });
            if (stop) return Error{"import_xml", "the file ends too soon", path + ":9"};
            return outcome;
        };
}

}  // namespace

TEST_CASE("importing a database's own export back adds nothing") {
    TempDir dir;
    store::Store store(options_for(dir));
    write_blog(store);
    test::write_file(dir / "export.jsonl", exported(store));
    const auto again = import_export(store, (dir / "export.jsonl").string());
    REQUIRE(again.ok());
    CHECK(again.value().total_imported() == 0);
    CHECK(again.value().already_imported == 4);
    CHECK(count(store, "SELECT count(*) FROM comments") == 4);
}

TEST_CASE("a kept id another writer took meanwhile gets one above the export's, the rest stay") {
    TempDir first_dir, dir;
    store::Store first(options_for(first_dir));
    write_blog(first);  // ids 1, 5, 9, 10
    test::write_file(first_dir / "export.jsonl", exported(first));
    store::Store store(options_for(dir));
    const auto reader = changed_in_second_pass(
        (first_dir / "export.jsonl").string(), [&](int n, app::ImportedComment&, bool&) {
            if (n != 4) return;  // 1, 5 and 9 are written: a reader posts, and gets id 10
            store.writer().run([](store::Connection& db) {
                return add(db, "/om", "per", "Skrevet mens importen gikk", store::kApproved, 0,
                           1714558000000);
            });
        });
    app::ImportOptions options;
    options.batch = 1;
    std::ostringstream err;
    const auto summary = app::import_comments(store, reader, options, err);
    REQUIRE(summary.ok());
    CHECK(summary.value().renumbered == 1);
    CHECK(text(store,
               "SELECT group_concat(id || ':' || name, ',') FROM "
               "(SELECT id, name FROM comments ORDER BY id)") == "1:kari,5:ola,9:pills,10:per,11:");
}

TEST_CASE("what changes between the passes is left out and counted; a failed pass says so") {
    TempDir first_dir, dir;
    store::Store first(options_for(first_dir));
    write_blog(first);
    const std::string path = (first_dir / "export.jsonl").string();
    test::write_file(path, exported(first));
    store::Store store(options_for(dir));
    std::ostringstream err;
    const auto changed = app::import_comments(
        store,
        changed_in_second_pass(path,
                               [](int n, app::ImportedComment& c, bool&) {
                                   if (n == 2) c.body = "Endret \xff";  // no longer valid UTF-8
                                   if (n == 3) c.external_id = "77";    // not checked
                               }),
        app::ImportOptions{}, err);
    REQUIRE(changed.ok());
    CHECK(changed.value().total_imported() == 2);
    CHECK(changed.value().skipped.at("changed after the check") == 2);

    TempDir other;
    store::Store partial(options_for(other));
    app::ImportOptions one;
    one.batch = 1;
    const auto failed = app::import_comments(
        partial,
        changed_in_second_pass(path,
                               [](int n, app::ImportedComment&, bool& stop) { stop = n == 3; }),
        one, err);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.errors().back().code == "import_partial");
    CHECK(failed.errors().back().message.rfind("2 comments were written", 0) == 0);
}

TEST_CASE("an export's unsafe website is dropped; replies deeper than max_depth attach higher") {
    TempDir dir;
    std::string jsonl =
        "{\"type\":\"vokter-export\",\"version\":1,\"origin\":\"0123456789abcdef\"}\n"
        "{\"type\":\"thread\",\"uri\":\"/dypt\",\"title\":\"\",\"closed\":false}\n";
    for (int id = 1; id <= 8; ++id) {
        jsonl += "{\"type\":\"comment\",\"id\":" + std::to_string(id) +
                 ",\"thread\":\"/dypt\",\"parent\":" + (id == 1 ? "null" : std::to_string(id - 1)) +
                 ",\"status\":\"approved\",\"name\":\"n" + std::to_string(id) +
                 "\",\"website\":\"" +
                 (id == 1 ? "javascript:alert(document.cookie)" : "eksempel.no") +
                 "\",\"body\":\"svar\",\"created\":" + std::to_string(1714557600000 + id) + "}\n";
    }
    test::write_file(dir / "deep.jsonl", jsonl);
    store::Store store(options_for(dir));
    app::ImportOptions options;
    options.max_depth = 3;
    REQUIRE(test::import_in_batches(store, app::vokter_export_reader((dir / "deep.jsonl").string()),
                                    options)
                .ok());
    CHECK(count(store, "SELECT max(depth) FROM comments") == 3);
    CHECK(count(store, "SELECT parent_id FROM comments WHERE name = 'n8'") == 3);
    CHECK(text(store, "SELECT website FROM comments WHERE name = 'n1'") == "");
    CHECK(text(store, "SELECT website FROM comments WHERE name = 'n2'") == "https://eksempel.no");
}
