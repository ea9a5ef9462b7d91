// Model loading by content: TFLite flatbuffers (identifier "TFL3" at bytes
// 4..7) go to the TFLite importer, everything else to the ONNX importer
// (binary protobuf or ONNX text syntax).
#pragma once

#include "onnx/OnnxImporter.h"
#include "shape/ModelVerifier.h"

#include <memory>
#include <string>

namespace edgec {

enum class ModelFormat { Onnx, Tflite };

/// The format of a model file, sniffed from its first bytes (Onnx when the
/// file is unreadable: the ONNX importer then reports the problem).
ModelFormat detectModelFormat(const std::string &path);

/// A loaded model and the verifier's verdict on it.
struct LoadedModel {
  std::unique_ptr<Model> model;
  Verdict verdict;
};

/// The one model verification (shape/ModelVerifier.h) as the loaders below
/// run it on an imported model (imported with ImportOptions::inferShapes
/// off: the verifier infers, strictly): the interpreter as constant
/// evaluator (opts.evaluator, when null), declared types checked unless
/// opts overrides input shapes.
Verdict verifyImportedModel(Model &m, const ImportOptions &opts = {});

/// Imports an .onnx or .tflite file, whatever its extension, and runs the
/// one model verification (shape/ModelVerifier.h) with the interpreter as
/// constant evaluator (opts.evaluator, when null). Import errors are errors;
/// a model that fails verification comes back with the failing verdict
/// (prefixed with the path), so that `edgec inspect` can still describe it.
Expected<LoadedModel> loadModelFileUnchecked(const std::string &path,
                                             const ImportOptions &opts = {});

/// What every edgec command loads models with: loadModelFileUnchecked, and
/// a model that fails verification is an error (ErrorCode::InvalidModel,
/// one line naming the file and the model element).
Expected<std::unique_ptr<Model>> loadModelFile(const std::string &path,
                                               const ImportOptions &opts = {});

} // namespace edgec
