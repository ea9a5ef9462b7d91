// Exporting a model as TensorFlow Lite: the passes the TFLite writer needs
// (fold-qdq, fold-qdq-hardswish, the NHWC layout stage, shape inference),
// then the writer (tflite/TfliteWriter.h). This layer sits above passes/
// and lib/tflite, so the writer itself runs no passes; `edgec export`, the
// tests and back ends that emit .tflite files call it (docs/tflite.md,
// "Writing").
#pragma once

#include "tflite/TfliteWriter.h"

#include <string>

namespace edgec {

struct TfliteExportOptions : TfliteWriteOptions {
  /// Fold QDQ groups (QuantizeLinear/DequantizeLinear around ops) into the
  /// integer graph first (passes fold-qdq, fold-qdq-hardswish), so QDQ ONNX
  /// models become int8.
  bool foldQdq = true;
  /// Convert channels-first layout-sensitive ops to NHWC first.
  bool convertLayout = true;
};

/// Prepares m in place for writing: Constant nodes become initializers,
/// dynamic input dims become 1 (recorded for shape_signature), fold-qdq
/// (when the graph has Q/DQ nodes), the NHWC layout stage (when it has
/// channels-first Conv / pools), and shape inference.
Status prepareForTflite(Model &m, const TfliteExportOptions &o = {});

/// prepareForTflite + writeTflite. The same model gives the same bytes.
Expected<std::string> exportTfliteBytes(Model &m,
                                        const TfliteExportOptions &o = {});
/// exportTfliteBytes written to `path`.
Status exportTfliteFile(Model &m, const std::string &path,
                        const TfliteExportOptions &o = {});

} // namespace edgec
