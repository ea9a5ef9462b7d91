// Running external commands and scratch directories (see Process.h).
#include "support/Process.h"

#include <cstdlib>
#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace edgec {

std::string shellQuote(const std::string &s) {
  std::string o = "'";
  for (char c : s) {
    if (c == '\'') o += "'\\''";
    else o += c;
  }
  return o + "'";
}

std::string findOnPath(const std::string &program) {
  const char *path = std::getenv("PATH");
  if (!path || program.empty() || program.find('/') != std::string::npos) return "";
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string file = (dir.empty() ? std::string(".") : dir) + "/" + program;
    std::error_code ec;
    if (std::filesystem::is_regular_file(file, ec) && access(file.c_str(), X_OK) == 0) return file;
    start = end + 1;
  }
  return "";
}

int runCommand(const std::string &cmd, const std::string &logFile) {
  std::string full = "(" + cmd + ") > " + shellQuote(logFile) + " 2>&1 < /dev/null";
  int rc = std::system(full.c_str());
  if (rc == -1) return 127;
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

Expected<std::string> makeTempDir(const std::string &prefix) {
  const char *t = std::getenv("TMPDIR");
  std::string base = (t && *t) ? t : "/tmp";
  std::string tmpl = base + "/" + prefix + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data()))
    return Error(ErrorCode::Io, "cannot create a temporary directory under " + base);
  return std::string(buf.data());
}

void removeTree(const std::string &dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TempDir &TempDir::operator=(TempDir &&o) noexcept {
  if (this != &o) {
    if (!dir_.empty()) removeTree(dir_);
    dir_ = std::move(o.dir_);
    o.dir_.clear();
  }
  return *this;
}

TempDir::~TempDir() {
  if (!dir_.empty()) removeTree(dir_);
}

} // namespace edgec
