#include "app/import/import_cli.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <ostream>

#include "app/import/vokter_export.hpp"
#include "store/store.hpp"

namespace vokter::app {

int run_import(store::Store& store, const ExportReader& reader, const ImportCommand& command,
               std::ostream& out, std::ostream& err) {
    auto summary = import_comments(store, reader, command.options, err);
    if (!summary) {
        bool partial = false;
        for (const Error& e : summary.errors()) {
            err << e.where << ": " << e.message << " [" << e.code << "]\n";
            partial = partial || e.code == "import_partial";
        }
        if (!partial) err << "vokter import: " << command.file << ": nothing was imported\n";
        return 1;
    }
    if (command.options.learn) store.wait_for_training();
    print_summary(summary.value(), out);
    return 0;
}

int run_export(store::Store& store, const std::string& path, std::ostream& out, std::ostream& err) {
    const auto report = [&](const ExportSummary& summary) {
        err << "exported " << summary.comments << " comments in " << summary.threads
            << " threads (origin " << summary.origin << ")\n";
    };
    if (path.empty() || path == "-") {
        report(export_comments(store, out));
        out.flush();
        return out ? 0 : 1;
    }
    const std::string partial = path + ".partial";
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) {
        err << "vokter export: cannot write " << partial << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    const ExportSummary summary = export_comments(store, file);
    file.close();
    if (!file || std::rename(partial.c_str(), path.c_str()) != 0) {
        err << "vokter export: writing " << path << " failed: " << std::strerror(errno) << "\n";
        std::remove(partial.c_str());
        return 1;
    }
    report(summary);
    return 0;
}

}  // namespace vokter::app
