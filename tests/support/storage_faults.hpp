#pragma once
// Real storage faults for tests: a small tmpfs that fills up (or turns read-only), a read-only
// file, damaged pages. Mounting needs root (CI runs the tests as root); where a fault cannot be
// made, why() says so and the test reports it with MESSAGE instead of passing quietly.

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace vokter::test {

// A tmpfs of `bytes` mounted at `at` (created) for the lifetime of the object.
class TmpfsMount {
  public:
    TmpfsMount(const std::filesystem::path& at, std::size_t bytes)
        : at_(at), options_("size=" + std::to_string(bytes)) {
        if (geteuid() != 0) {
            why_ = "not running as root (uid " + std::to_string(geteuid()) +
                   "): mounting a tmpfs needs root";
            return;
        }
        std::filesystem::create_directories(at_);
        if (::mount("tmpfs", at_.c_str(), "tmpfs", 0, options_.c_str()) != 0) {
            why_ = std::string("mount -t tmpfs failed: ") + std::strerror(errno);
            return;
        }
        mounted_ = true;
    }
    ~TmpfsMount() {
        if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;

    bool mounted() const { return mounted_; }
    const std::string& why() const { return why_; }  // why it is not mounted
    const std::filesystem::path& path() const { return at_; }

    // Remounts it read-only; false when that fails.
    bool remount_read_only() {
        return ::mount("tmpfs", at_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, options_.c_str()) ==
               0;
    }

  private:
    std::filesystem::path at_;
    std::string options_;
    std::string why_;
    bool mounted_ = false;
};

// Fills the file system holding `path` with a file at `path` until it is full (ENOSPC). Returns
// the bytes written.
inline std::size_t fill_disk(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return 0;
    const std::vector<char> block(4096, 'x');
    std::size_t written = 0;
    for (;;) {
        const ssize_t n = ::write(fd, block.data(), block.size());
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return written;
}

// Makes a file read-only for the lifetime of the object: immutable for root (chattr +i: root
// may write any file it can open otherwise), without write permission for anyone else.
class ReadOnlyFile {
  public:
    explicit ReadOnlyFile(const std::filesystem::path& path) : path_(path) {
        if (geteuid() != 0) {
            std::error_code error;
            mode_ = std::filesystem::status(path_, error).permissions();
            std::filesystem::permissions(path_, std::filesystem::perms::owner_read, error);
            if (error) {
                why_ = "chmod failed: " + error.message();
            } else {
                done_ = true;
            }
            return;
        }
        set_immutable(true);
    }
    ~ReadOnlyFile() {
        if (!done_) return;
        if (geteuid() != 0) {
            std::error_code error;
            std::filesystem::permissions(path_, mode_, error);
        } else {
            set_immutable(false);
        }
    }
    ReadOnlyFile(const ReadOnlyFile&) = delete;
    ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

    bool done() const { return done_; }
    const std::string& why() const { return why_; }  // why it is not read-only

  private:
    void set_immutable(bool on) {
        const int fd = ::open(path_.c_str(), O_RDONLY);
        int flags = 0;
        if (fd < 0 || ::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
            why_ = std::string("cannot read the file's attributes: ") + std::strerror(errno);
        } else {
            flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
            if (::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0) {
                done_ = on;
            } else {
                why_ = std::string("chattr +i failed (the file system may not support it): ") +
                       std::strerror(errno);
            }
        }
        if (fd >= 0) ::close(fd);
    }

    std::filesystem::path path_;
    std::string why_;
    std::filesystem::perms mode_ = std::filesystem::perms::none;
    bool done_ = false;
};

// Overwrites `count` pages of 4096 bytes from page number `first` (1-based, as SQLite counts)
// with garbage.
inline void damage_pages(const std::filesystem::path& path, int first, int count) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(first - 1) * 4096);
    const std::string garbage(static_cast<std::size_t>(count) * 4096, '\xab');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
}

}  // namespace vokter::test
