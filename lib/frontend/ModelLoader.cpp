#include "frontend/ModelLoader.h"

#include "interp/ConstantEvaluation.h"
#include "tflite/TfliteImporter.h"

#include <filesystem>
#include <fstream>

namespace edgec {

ModelFormat detectModelFormat(const std::string &path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return ModelFormat::Onnx;
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  if (!in.read(head, sizeof head)) return ModelFormat::Onnx;
  return looksLikeTflite(head, sizeof head) ? ModelFormat::Tflite
                                            : ModelFormat::Onnx;
}

Expected<std::unique_ptr<Model>> loadModelFile(const std::string &path,
                                               const ImportOptions &opts) {
  ImportOptions o = opts;
  if (!o.evaluator) o.evaluator = &interpreterEvaluator();
  if (detectModelFormat(path) == ModelFormat::Tflite)
    return importTfliteFile(path, o);
  return importOnnxFile(path, o);
}

} // namespace edgec
