// Fuzzes the ONNX model file loader (binary protobuf, and text syntax when
// the bytes start with '<') followed by the model verifier: the path of
// every `edgec` command that loads a .onnx file. Seeds: ONNX node-test
// models (scripts/fuzz.sh).
#include "FuzzSupport.h"

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size)) return -1;
  std::string path = fuzz::writeScratchFile("model.onnx", data, size);
  if (path.empty()) return 0;
  (void)fuzz::verifyImported(importOnnxFile(path, fuzz::loaderImportOptions()));
  return 0;
}
