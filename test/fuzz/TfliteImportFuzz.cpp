// Fuzzes the TFLite flatbuffer importer alone (importTfliteBytes: the
// flatbuffer verifier and the conversion to the IR), without the model
// verifier, so that importer bugs hidden behind verification show.
// Seeds: small .tflite models of ../shared (scripts/fuzz.sh).
#include "FuzzSupport.h"

#include "tflite/TfliteImporter.h"

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size)) return -1;
  auto m = importTfliteBytes(data, size, fuzz::loaderImportOptions());
  (void)m.isOk();
  return 0;
}
