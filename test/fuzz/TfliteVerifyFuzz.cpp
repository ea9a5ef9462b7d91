// Fuzzes the TFLite importer followed by the model verifier, as
// loadModelFile runs them for a .tflite file. Seeds: small .tflite models
// of ../shared (scripts/fuzz.sh).
#include "FuzzSupport.h"

#include "tflite/TfliteImporter.h"

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size)) return -1;
  (void)fuzz::verifyImported(importTfliteBytes(data, size, fuzz::loaderImportOptions()));
  return 0;
}
