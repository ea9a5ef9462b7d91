// Fuzzes the ONNX text syntax importer (importOnnxText, the format of the
// .onnxtxt lit tests) followed by the model verifier. Seeds: the
// repository's .onnxtxt files (scripts/fuzz.sh).
#include "FuzzSupport.h"

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size)) return -1;
  std::string text(reinterpret_cast<const char *>(data), size);
  (void)fuzz::verifyImported(importOnnxText(text, fuzz::loaderImportOptions()));
  return 0;
}
