// TensorFlow Lite writer: the IR (float or integer graphs) to a .tflite
// flatbuffer (schema.fbs, file identifier "TFL3", schema version 3).
//
// What is written (docs/tflite.md, "Writing"):
// - one subgraph; NHWC activations: layout-sensitive ops must carry
//   `edgec.layout = "NHWC"` (prepareForTflite runs the convert-to-nhwc stage
//   on channels-first graphs, so plain ONNX CNNs keep their NCHW inputs and
//   outputs with one TRANSPOSE at each boundary); weights are rearranged
//   (Conv OIHW -> OHWI, depthwise (C*M)1HW -> 1HW(C*M), Gemm/MatMul weights
//   as [units, depth]);
// - TFLite builtin operators with their options; `edgec.activation` becomes
//   fused_activation_function where TFLite has it (Relu, Clip [0,6],
//   Clip [-1,1], Tanh on float ops), a separate operator otherwise;
// - Value::quant as TFLite quantization parameters (per-axis on the TFLite
//   axis, quantized_dimension), biases with scale s_in * s_w[c];
// - buffers 16-byte aligned, buffer 0 empty, deterministic bytes.
// Nodes that cannot be written are all reported in one Unsupported error.
#pragma once

#include "ir/Graph.h"

#include <string>

namespace edgec {

struct TfliteExportOptions {
  /// Fold QDQ groups (QuantizeLinear/DequantizeLinear around ops) into the
  /// integer graph first (pass fold-qdq), so QDQ ONNX models become int8.
  bool foldQdq = true;
  /// Convert channels-first layout-sensitive ops to NHWC first.
  bool convertLayout = true;
  /// Zero padding of a quantized tensor whose zero point is not 0 (explicit
  /// Conv pads, Pad) is written as CONCATENATIONs with constant blocks of
  /// the zero point instead of PAD: the same values, and the form Arm NN
  /// 20.08 computes correctly (its PAD pads quantized tensors with the raw
  /// value 0; docs/tflite.md).
  bool quantizedPadAsConcat = true;
  /// Written as Model.description.
  std::string description = "edgec";
};

/// Prepares m in place for writing: fold-qdq (when the graph has Q/DQ
/// nodes), the NHWC layout stage (when it has channels-first Conv / pools),
/// and shape inference.
Status prepareForTflite(Model &m, const TfliteExportOptions &o = {});

/// prepareForTflite + serialization. The same model gives the same bytes.
Expected<std::string> exportTfliteBytes(Model &m,
                                        const TfliteExportOptions &o = {});
/// exportTfliteBytes written to `path`.
Status exportTfliteFile(Model &m, const std::string &path,
                        const TfliteExportOptions &o = {});

} // namespace edgec
