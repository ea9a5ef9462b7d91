// Fuzzes the quantizer's calibration data reader (loadCalibrationData) and
// calibration on what it loads. The input describes a calibration folder:
//
//   byte 0     bit 0: the model (0: z = Relu(x), 1: z = Add(x, y); float
//              [3,4,5] inputs, as the ONNX node tests test_relu/test_add);
//              bit 1: one sub-folder per sample (else a flat folder);
//              bit 2: files named after the inputs (else input_K);
//              bit 3: extension .npy (else .pb; the reader goes by content)
//   the rest   file contents separated by kSeparator; in sub-folder layout
//              file K goes to sample folder K / inputs as input K % inputs.
//
// The files are written into the harness's scratch folder.
#include "FuzzSupport.h"

#include "quant/Calibration.h"

#include <cstring>

using namespace edgec;

namespace {

constexpr char kSeparator[] = "\n--edgec-fuzz-file--\n";
constexpr size_t kMaxFiles = 16;

const char *const kModelText[2] = {
    R"(< ir_version: 8, opset_import: ["" : 13] >
g (float[3,4,5] x) => (float[3,4,5] z) { z = Relu(x) })",
    R"(< ir_version: 8, opset_import: ["" : 13] >
g (float[3,4,5] x, float[3,4,5] y) => (float[3,4,5] z) { z = Add(x, y) })"};

const Model *model(int k) {
  static std::unique_ptr<Model> models[2];
  if (!models[k]) {
    auto m = importOnnxText(kModelText[k]);
    if (!m.isOk()) return nullptr;
    models[k] = m.take();
  }
  return models[k].get();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || !fuzz::acceptInput(size)) return -1;
  const uint8_t flags = data[0];
  const Model *m = model(flags & 1);
  if (!m) return 0;
  const bool sampleFolders = flags & 2, namedFiles = flags & 4;
  const char *ext = (flags & 8) ? ".npy" : ".pb";
  std::vector<Value *> ins = m->graph->runtimeInputs();

  fuzz::clearScratchDir();
  std::string rest(reinterpret_cast<const char *>(data + 1), size - 1);
  const size_t sepLen = std::strlen(kSeparator);
  size_t begin = 0;
  for (size_t k = 0; k < kMaxFiles && begin <= rest.size(); ++k) {
    size_t end = rest.find(kSeparator, begin);
    if (end == std::string::npos) end = rest.size();
    size_t input = k % ins.size();
    std::string stem = namedFiles ? ins[input]->name : "input_" + std::to_string(input);
    std::string name = sampleFolders
                           ? "calib/s" + std::to_string(k / ins.size()) + "/" + stem + ext
                           : "calib/" + std::to_string(k) + ext;
    fuzz::writeScratchFile(name, data + 1 + begin, end - begin);
    begin = end + sepLen;
  }
  auto samples = loadCalibrationData(*m, fuzz::scratchDir() + "/calib");
  if (!samples.isOk()) return 0;
  auto ranges = calibrate(*m, *samples);
  (void)ranges.isOk();
  return 0;
}
