#include "app/import/import_cli.hpp"

#include <ostream>

#include "store/store.hpp"

namespace vokter::app {

int run_import(store::Store& store, const ExportReader& reader, const ImportCommand& command,
               std::ostream& out, std::ostream& err) {
    auto summary = import_comments(store, reader, command.options, err);
    if (!summary) {
        for (const Error& e : summary.errors())
            err << e.where << ": " << e.message << " [" << e.code << "]\n";
        err << "vokter import: " << command.file << ": nothing was imported\n";
        return 1;
    }
    if (command.options.learn) store.wait_for_training();
    print_summary(summary.value(), out);
    return 0;
}

}  // namespace vokter::app
