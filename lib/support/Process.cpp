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
