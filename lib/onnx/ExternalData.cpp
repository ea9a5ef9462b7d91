#include "onnx/ExternalData.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace edgec {

Expected<std::string> resolveExternalDataPath(const std::string &baseDir,
                                              const std::string &location,
                                              const std::string &what) {
  auto fail = [&](const std::string &why) {
    return Error(ErrorCode::InvalidModel,
                 what + ": external data location '" + location + "' " + why);
  };
  if (baseDir.empty())
    return fail("cannot be used here (no model directory)");
  if (location.empty()) return fail("is empty");
  if (location.find('\0') != std::string::npos)
    return fail("contains a NUL byte");
  fs::path loc(location);
  if (loc.is_absolute() || location[0] == '/' || location[0] == '\\')
    return fail("is an absolute path");
  for (const auto &part : loc)
    if (part == "..") return fail("escapes the model directory ('..')");
  if (location.find('\\') != std::string::npos)
    return fail("contains a backslash");
  std::error_code ec;
  fs::path base = fs::canonical(fs::path(baseDir), ec);
  if (ec) return fail("cannot be resolved: model directory is not accessible");
  fs::path full = fs::weakly_canonical(base / loc, ec);
  if (ec) return fail("cannot be resolved");
  // Symlinks are resolved by canonicalization: the target must stay inside.
  auto rel = full.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..")
    return fail("escapes the model directory (symlink)");
  if (!fs::is_regular_file(full, ec))
    return fail("does not name a regular file");
  return full.string();
}

Expected<std::string> readExternalData(const std::string &baseDir,
                                       const std::string &location,
                                       int64_t offset, int64_t length,
                                       const std::string &what) {
  EDGEC_ASSIGN_OR_RETURN(std::string path,
                         resolveExternalDataPath(baseDir, location, what));
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec)
    return Error(ErrorCode::Io, what + ": cannot stat external data file '" +
                                    location + "'");
  if (offset < 0 || (uint64_t)offset > size)
    return Error(ErrorCode::InvalidModel,
                 what + ": external data offset " + std::to_string(offset) +
                     " is outside file '" + location + "' (" +
                     std::to_string(size) + " bytes)");
  uint64_t avail = size - (uint64_t)offset;
  uint64_t n = length < 0 ? avail : (uint64_t)length;
  if (n > avail)
    return Error(ErrorCode::InvalidModel,
                 what + ": external data range (offset " +
                     std::to_string(offset) + ", length " +
                     std::to_string(length) + ") exceeds file '" + location +
                     "' (" + std::to_string(size) + " bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::Io,
                 what + ": cannot open external data file '" + location + "'");
  in.seekg(offset);
  std::string buf(n, '\0');
  in.read(buf.data(), (std::streamsize)n);
  if ((uint64_t)in.gcount() != n)
    return Error(ErrorCode::Io, what + ": short read from external data file '" +
                                    location + "'");
  return buf;
}

} // namespace edgec
