// Running external commands and scratch directories (validate, bench and the
// conformance runner build and run generated code).
#pragma once

#include "support/Error.h"

#include <string>

namespace edgec {

/// Runs a shell command with stdin from /dev/null and stdout+stderr to
/// `logFile`; returns its exit status (128 when it did not exit normally,
/// 127 when it could not start).
int runCommand(const std::string &cmd, const std::string &logFile);
/// The first executable file named `program` in a directory of $PATH, or
/// "" when there is none.
std::string findOnPath(const std::string &program);
/// `s` quoted for a POSIX shell.
std::string shellQuote(const std::string &s);

/// A fresh directory under $TMPDIR (or /tmp): PREFIXxxxxxx.
Expected<std::string> makeTempDir(const std::string &prefix);
/// Removes a directory tree, ignoring errors.
void removeTree(const std::string &dir);

/// A temporary directory removed when the object goes away.
class TempDir {
public:
  TempDir() = default;
  explicit TempDir(std::string dir) : dir_(std::move(dir)) {}
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  TempDir(TempDir &&o) noexcept : dir_(std::move(o.dir_)) { o.dir_.clear(); }
  TempDir &operator=(TempDir &&o) noexcept;
  ~TempDir();
  const std::string &path() const { return dir_; }

private:
  std::string dir_;
};

} // namespace edgec
