#pragma once
// The `vokter import` commands: the options they share, and running one with its summary; and
// `vokter export`.

#include <iosfwd>
#include <string>

#include "app/import/importer.hpp"

namespace vokter::app {

struct ImportCommand {
    std::string file;
    ImportOptions options;
};

// Imports with `reader`, then prints the summary on `out` (errors, and the progress bar when
// `err` is a terminal, on `err`). With options.learn it waits until the classifier has learned
// the labels. Returns 0, or 1 after printing every error (nothing was imported then).
int run_import(store::Store& store, const ExportReader& reader, const ImportCommand& command,
               std::ostream& out, std::ostream& err);

// Writes the Vokter export (vokter_export.hpp) to `path`, or to `out` when `path` is empty or
// "-". A file is written beside its place and renamed into it when complete, so a failed export
// leaves no half file. Reports the counts on `err`; returns 0, or 1 after printing the error.
int run_export(store::Store& store, const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace vokter::app
