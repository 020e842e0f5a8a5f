#pragma once
// Replacing a file so that a crash at any moment leaves either the old or the new text, never a
// mix: write a temporary file beside it, fsync it, rename it over the target, fsync the folder.

#include <filesystem>
#include <string_view>

namespace vokter::app {

// Writes `text` to `path` atomically. When `path` exists, its previous content is first copied
// to `backup` (itself replaced atomically) unless `backup` is empty. Throws std::runtime_error
// naming the file and the system's reason when any step fails; `path` is then unchanged.
void replace_file_atomically(const std::filesystem::path& path, std::string_view text,
                             const std::filesystem::path& backup = {});

}  // namespace vokter::app
