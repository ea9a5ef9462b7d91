// Model loading by content: TFLite flatbuffers (identifier "TFL3" at bytes
// 4..7) go to the TFLite importer, everything else to the ONNX importer
// (binary protobuf or ONNX text syntax).
#pragma once

#include "onnx/OnnxImporter.h"

#include <memory>
#include <string>

namespace edgec {

enum class ModelFormat { Onnx, Tflite };

/// The format of a model file, sniffed from its first bytes (Onnx when the
/// file is unreadable: the ONNX importer then reports the problem).
ModelFormat detectModelFormat(const std::string &path);

/// Imports an .onnx or .tflite file, whatever its extension, as every edgec
/// command does: shape inference evaluates constant subexpressions with the
/// interpreter (opts.evaluator, when null).
Expected<std::unique_ptr<Model>> loadModelFile(const std::string &path,
                                               const ImportOptions &opts = {});

} // namespace edgec
