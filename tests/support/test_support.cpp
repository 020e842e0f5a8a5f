#include "support/test_support.hpp"

#include <fcntl.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/test_database.hpp"

namespace vokter::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vokter-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace vokter::test

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <thread>

extern char** environ;

namespace vokter::test {

Process::Process(const std::vector<std::string>& args, const std::filesystem::path& log_file,
                 const std::map<std::string, std::string>& env)
    : log_file_(log_file) {
    write_file(log_file_, "");
    std::vector<std::string> storage;
    for (char** e = environ; *e; ++e)
        storage.emplace_back(*e);
    for (const auto& [key, value] : env)
        storage.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (auto& entry : storage)
        envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_storage = args;
    std::vector<char*> argv;
    for (auto& a : argv_storage)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_file_.c_str(), O_WRONLY | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 1, log_file_.c_str(), O_WRONLY | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args.front());
}

Process::~Process() {
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

void Process::signal(int sig) const {
    ::kill(pid_, sig);
}

int Process::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        const pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            reaped_ = true;
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

int Process::wait_for_port(std::chrono::milliseconds timeout) {
    static const std::regex listening(R"(listening on http://[^\s]+:(\d+))");
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch match;
        const std::string text = log();
        if (std::regex_search(text, match, listening)) return std::stoi(match[1]);
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            reaped_ = true;
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

CommandResult run_vokter_command(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), VOKTER_BINARY);
    args.push_back("--db");
    args.push_back(location(dir / "vokter.db"));
    Process process(args, dir / "cli.log");
    const int code = process.wait();
    return {code, process.log()};
}

std::string second_line(const std::string& output) {
    const auto start = output.find('\n') + 1;
    return output.substr(start, output.find('\n', start) - start);
}

std::optional<double> metric_value(const std::string& metrics, const std::string& series) {
    std::istringstream lines(metrics);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    }
    return std::nullopt;
}

}  // namespace vokter::test
