#include "app/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace vokter::app {

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw std::runtime_error("cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

// Owns a file descriptor.
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

void write_all(int fd, std::string_view text, const std::filesystem::path& path) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", path);
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Writes `text` to a temporary file beside `path`, fsyncs it and renames it over `path`.
void write_and_rename(const std::filesystem::path& path, std::string_view text, mode_t mode) {
    const std::filesystem::path temp = path.string() + ".tmp";
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (fd.get() < 0) fail("create", temp);
    try {
        write_all(fd.get(), text, temp);
        if (::fsync(fd.get()) != 0) fail("flush", temp);
        if (::close(fd.release()) != 0) fail("close", temp);
        if (::rename(temp.c_str(), path.c_str()) != 0) fail("rename over", path);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
}

void sync_folder(const std::filesystem::path& path) {
    std::filesystem::path folder = path.parent_path();
    if (folder.empty()) folder = ".";
    Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) fail("flush the folder", folder);
}

std::string read_all(const std::filesystem::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail("read", path);
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("read", path);
        }
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

}  // namespace

void replace_file_atomically(const std::filesystem::path& path, std::string_view text,
                             const std::filesystem::path& backup) {
    mode_t mode = 0644;
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        mode = info.st_mode & 07777;
        if (!backup.empty()) write_and_rename(backup, read_all(path), mode);
    }
    write_and_rename(path, text, mode);
    sync_folder(path);
}

}  // namespace vokter::app
