// TensorFlow Lite front end: .tflite flatbuffers (schema.fbs) to the IR.
//
// Tensors keep TFLite's layout (NHWC activations); layout-sensitive ops
// become the ONNX op annotated `edgec.layout = "NHWC"` with weights
// rearranged to the ONNX layout, fused activations become
// `edgec.activation`, and TFLite quantization parameters become
// Value::quant, so int8 graphs run on the integer kernels. docs/tflite.md
// describes the mapping.
#pragma once

#include "ir/Graph.h"
#include "onnx/OnnxImporter.h" // ImportOptions

#include <cstdint>
#include <memory>
#include <string>

namespace edgec {

/// True when the bytes carry the TFLite file identifier "TFL3" (bytes 4..7).
bool looksLikeTflite(const void *data, size_t size);

/// Imports a .tflite file. Errors name the file and the offending element
/// ("subgraph 0 operator 12 (CONV_2D): input tensor index 99 out of range").
Expected<std::unique_ptr<Model>>
importTfliteFile(const std::string &path, const ImportOptions &opts = {});
/// Imports an in-memory .tflite flatbuffer (the bytes are not kept).
Expected<std::unique_ptr<Model>>
importTfliteBytes(const void *data, size_t size,
                  const ImportOptions &opts = {});

} // namespace edgec
