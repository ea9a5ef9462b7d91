#include "frontend/ModelLoader.h"

#include "interp/ConstantEvaluation.h"
#include "shape/ModelVerifier.h"
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

Verdict verifyImportedModel(Model &m, const ImportOptions &opts) {
  VerifyOptions vo;
  vo.inference.evaluator = opts.evaluator ? opts.evaluator : &interpreterEvaluator();
  vo.checkDeclaredTypes = opts.inputShapes.empty();
  return verifyModel(m, vo);
}

Expected<LoadedModel> loadModelFileUnchecked(const std::string &path,
                                             const ImportOptions &opts) {
  ImportOptions o = opts;
  o.inferShapes = false; // the verifier infers, strictly
  auto imported = detectModelFormat(path) == ModelFormat::Tflite
                      ? importTfliteFile(path, o)
                      : importOnnxFile(path, o);
  if (!imported.isOk()) return imported.error();
  LoadedModel r;
  r.model = imported.take();
  r.verdict = verifyImportedModel(*r.model, opts);
  if (!r.verdict.isOk())
    r.verdict.status = r.verdict.status.error().withContext(path + ": ");
  return r;
}

Expected<std::unique_ptr<Model>> loadModelFile(const std::string &path,
                                               const ImportOptions &opts) {
  EDGEC_ASSIGN_OR_RETURN(LoadedModel r, loadModelFileUnchecked(path, opts));
  if (!r.verdict.isOk()) return r.verdict.status.error();
  return std::move(r.model);
}

} // namespace edgec
