// Fuzzes the tensor file reader (readTensorFile): NumPy .npy when the bytes
// start with the .npy magic, else a serialized ONNX TensorProto (.pb).
// Seeds: node-test input_*.pb files and small .npy files of ../shared
// (scripts/fuzz.sh).
#include "FuzzSupport.h"

#include "frontend/TensorFile.h"

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size)) return -1;
  std::string path = fuzz::writeScratchFile("tensor.pb", data, size);
  if (path.empty()) return 0;
  auto t = readTensorFile(path);
  (void)t.isOk();
  return 0;
}
