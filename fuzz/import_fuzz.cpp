// The import readers over files an operator brings from elsewhere: the WordPress export (WXR),
// the WordPress database dump, the Disqus export and the Vokter export, and the HTML-to-text of
// Disqus messages. The first byte picks the reader; the rest is the file. Each reads the file or
// refuses it with an error located in it; what the XML and JSON readers give is valid UTF-8.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "app/import/disqus.hpp"
#include "app/import/html_text.hpp"
#include "app/import/vokter_export.hpp"
#include "app/import/wordpress_sql.hpp"
#include "app/import/wordpress_wxr.hpp"
#include "core/text.hpp"
#include "fuzz/fuzz_input.hpp"

namespace app = vokter::app;

namespace {

const std::string& scratch_file() {
    static const std::string path =
        "/tmp/vokter-import-fuzz-" + std::to_string(static_cast<long>(getpid()));
    return path;
}

bool valid(const app::ImportedComment& c) {
    for (const std::string* field :
         {&c.external_id, &c.parent_external_id, &c.thread_uri, &c.thread_title, &c.name, &c.email,
          &c.website, &c.ip, &c.user_agent, &c.body, &c.referrer})
        if (!vokter::core::is_valid_utf8(*field)) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view file(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string& path = scratch_file();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(file.data(), static_cast<std::streamsize>(file.size()));
    }
    const int which = data[0] % 5;
    if (which == 4) {
        const std::string text = app::html_to_text(file);
        FUZZ_CHECK(!vokter::core::is_valid_utf8(file) || vokter::core::is_valid_utf8(text));
        (void)app::unwrap_disqus_link(file);
        return 0;
    }
    const app::ExportReader reader = which == 0   ? app::wordpress_wxr_reader(path)
                                     : which == 1 ? app::disqus_reader(path)
                                     : which == 2 ? app::vokter_export_reader(path)
                                                  : app::wordpress_sql_reader(path);
    const bool utf8_out = which != 3;  // a dump's bytes pass as they are; the importer checks
    std::size_t records = 0;
    const auto outcome = reader([&](app::ImportedComment&& c) {
        ++records;
        if (utf8_out) FUZZ_CHECK(valid(c));
        if (c.skip.empty()) FUZZ_CHECK(!c.thread_uri.empty());
    });
    if (!outcome) {
        FUZZ_CHECK(!outcome.errors().empty());
        for (const vokter::Error& e : outcome.errors()) {
            FUZZ_CHECK(!e.code.empty());
            FUZZ_CHECK(e.where.starts_with(path));
        }
    }
    return 0;
}
