#include "FuzzSupport.h"

#include "frontend/ModelLoader.h"
#include "support/FileIO.h"
#include "support/Process.h"

#include <filesystem>

namespace edgec::fuzz {

namespace fs = std::filesystem;

const std::string &scratchDir() {
  // Removed by its destructor when the process exits.
  static const TempDir dir([] {
    auto d = makeTempDir("edgec-fuzz-");
    return d.isOk() ? *d : std::string();
  }());
  return dir.path();
}

std::string writeScratchFile(const std::string &name, const uint8_t *data, size_t size) {
  if (scratchDir().empty()) return "";
  fs::path p = fs::path(scratchDir()) / name;
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) return "";
  if (!writeFileBytes(p.string(), std::string(reinterpret_cast<const char *>(data), size)).isOk())
    return "";
  return p.string();
}

void clearScratchDir() {
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(scratchDir(), ec)) fs::remove_all(e.path(), ec);
}

ImportOptions loaderImportOptions() {
  ImportOptions o;
  o.inferShapes = false;
  return o;
}

bool verifyImported(Expected<std::unique_ptr<Model>> imported) {
  if (!imported.isOk()) return false;
  std::unique_ptr<Model> m = imported.take();
  return verifyImportedModel(*m).isOk();
}

} // namespace edgec::fuzz
