#include "support/FileIO.h"

#include <fstream>
#include <sstream>

namespace edgec {

Expected<std::string> readFileBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::Io, path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    return Error(ErrorCode::Io, path + ": read error");
  return ss.str();
}

Status writeFileBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return Error(ErrorCode::Io, path + ": cannot open file for writing");
  out.write(bytes.data(), (std::streamsize)bytes.size());
  if (!out)
    return Error(ErrorCode::Io, path + ": write error");
  return Status::ok();
}

} // namespace edgec
