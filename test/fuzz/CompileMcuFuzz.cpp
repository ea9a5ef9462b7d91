// Fuzzes the whole compile of a small model for the MCU target: import
// (ONNX or TFLite, by content), verification, the target's preparation and
// optimization pipeline, partitioning and emission of the C package in
// memory (target::compileModel: no file written, no C compiler run).
// Seeds: small ONNX node-test models and .tflite models (scripts/fuzz.sh).
#include "FuzzSupport.h"

#include "targets/Driver.h"

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size)) return -1;
  target::CompileRequest r;
  r.model = fuzz::writeScratchFile("model.onnx", data, size);
  if (r.model.empty()) return 0;
  r.target = "mcu";
  auto out = target::compileModel(r);
  (void)out.isOk();
  return 0;
}
