// The TensorFlow Lite writer: a prepared IR model (float or integer) to a
// .tflite flatbuffer (schema.fbs, file identifier "TFL3", schema version 3).
// It runs no passes: export/TfliteExport.h prepares a model (fold-qdq, the
// NHWC layout stage, shape inference) and then calls it.
//
// What is written (docs/tflite.md, "Writing"):
// - one subgraph; NHWC activations: layout-sensitive ops must carry
//   `edgec.layout = "NHWC"`; weights are rearranged (Conv OIHW -> OHWI,
//   depthwise (C*M)1HW -> 1HW(C*M), Gemm/MatMul weights as [units, depth]);
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

struct TfliteWriteOptions {
  /// Zero padding of a quantized tensor whose zero point is not 0 (explicit
  /// Conv pads, Pad) is written as CONCATENATIONs with constant blocks of
  /// the zero point instead of PAD: the same values, and the form Arm NN
  /// 20.08 computes correctly (its PAD pads quantized tensors with the raw
  /// value 0; docs/tflite.md).
  bool quantizedPadAsConcat = true;
  /// Written as Model.description.
  std::string description = "edgec";
};

/// Serializes `m` as it is. The same model gives the same bytes.
Expected<std::string> writeTflite(const Model &m,
                                  const TfliteWriteOptions &o = {});

} // namespace edgec
