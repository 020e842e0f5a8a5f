#pragma once
// Helpers shared by the test suites: temporary folders and files that clean up after themselves.

#include <filesystem>
#include <string>

namespace vokter::test {

// A fresh, empty folder under the system's temp dir, removed with everything in it on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, const std::string& text);
std::string read_file(const std::filesystem::path& path);

}  // namespace vokter::test

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <vector>

namespace vokter::test {

// A child process running the real `vokter` binary, its standard error captured to a file.
// The destructor kills it (SIGKILL) if it still runs.
class Process {
  public:
    Process(const std::vector<std::string>& args, const std::filesystem::path& log_file,
            const std::map<std::string, std::string>& env = {});
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    void signal(int sig) const;
    // Waits for the exit; returns the exit code, or 128 + signal number when killed.
    int wait(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    pid_t pid() const { return pid_; }
    std::string log() const { return read_file(log_file_); }

    // Waits until the log shows "listening on http://HOST:PORT"; returns the port, or -1 if the
    // process ends or `timeout` passes first.
    int wait_for_port(std::chrono::milliseconds timeout = std::chrono::seconds(20));

  private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    std::filesystem::path log_file_;
};

// A one-off `vokter` command on the database `dir`/vokter.db: `vokter ARGS… --db …`.
struct CommandResult {
    int code;            // the exit code
    std::string output;  // standard output and error together
};
CommandResult run_vokter_command(const TempDir& dir, std::vector<std::string> args);

// The second line of a command's output (where `moderator add` and `apikey add` print the secret).
std::string second_line(const std::string& output);

// The value of the series `series` (a metric name, with its labels if any:
// vokter_classifier_learned{label="ham"}) in a /metrics text; empty when it has none.
std::optional<double> metric_value(const std::string& metrics, const std::string& series);

}  // namespace vokter::test
