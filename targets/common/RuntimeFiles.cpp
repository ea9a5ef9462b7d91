// The embedded C runtime (see RuntimeFiles.h).
#include "targets/common/RuntimeFiles.h"

namespace edgec::target {

// Defined in the EmbeddedRuntime.cpp that cmake/EmbedFiles.cmake writes.
struct EmbeddedFile {
  const char *path;
  const unsigned char *data;
  size_t size;
};
extern const EmbeddedFile kRuntimeFiles[];

const std::vector<std::pair<std::string, std::string>> &embeddedRuntime() {
  static const std::vector<std::pair<std::string, std::string>> files = [] {
    std::vector<std::pair<std::string, std::string>> v;
    for (const EmbeddedFile *f = kRuntimeFiles; f->path; ++f)
      v.push_back({f->path, std::string(reinterpret_cast<const char *>(f->data), f->size)});
    return v;
  }();
  return files;
}

const std::string *findRuntimeFile(const std::string &path) {
  for (const auto &[p, c] : embeddedRuntime())
    if (p == path) return &c;
  return nullptr;
}

Status collectRuntime(const std::string &file, std::set<std::string> &out) {
  if (out.count(file)) return Status::ok();
  const std::string *content = findRuntimeFile(file);
  if (!content) return Error(ErrorCode::Internal, "runtime file '" + file + "' is not embedded");
  out.insert(file);
  std::string dir = file.substr(0, file.rfind('/') + 1);
  if (file.size() > 2 && file.compare(file.size() - 2, 2, ".h") == 0) {
    std::string c = file.substr(0, file.size() - 2) + ".c";
    if (findRuntimeFile(c)) EDGEC_TRY(collectRuntime(c, out));
  }
  size_t pos = 0;
  while ((pos = content->find("#include \"", pos)) != std::string::npos) {
    pos += 10;
    size_t end = content->find('"', pos);
    if (end == std::string::npos) break;
    std::string inc = content->substr(pos, end - pos);
    bool found = false;
    for (const std::string &cand : {dir + inc, "include/" + inc, inc}) {
      if (findRuntimeFile(cand)) {
        EDGEC_TRY(collectRuntime(cand, out));
        found = true;
        break;
      }
    }
    if (!found)
      return Error(ErrorCode::Internal, "runtime file '" + file + "' includes '" + inc +
                                            "', which the runtime does not have");
  }
  return Status::ok();
}

} // namespace edgec::target
