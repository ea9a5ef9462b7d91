// The TensorFlow Lite writer: a prepared IR model (float or integer) to a
// .tflite flatbuffer (schema.fbs, file identifier "TFL3", schema version 3).
// It runs no passes: export/TfliteExport.h prepares a model (fold-qdq, the
// NHWC layout stage, shape inference) and then calls it.
//
// What is written (docs/tflite.md, "Writing"):
// - one subgraph per graph (If branches become subgraphs); NHWC
//   activations: layout-sensitive ops must carry `edgec.layout = "NHWC"`;
//   weights are rearranged (Conv OIHW -> OHWI, depthwise (C*M)1HW ->
//   1HW(C*M), Gemm/MatMul weights as [units, depth]);
// - TFLite builtin operators with their options (the table in
//   write/OpTable.cpp); `edgec.activation` becomes fused_activation_function
//   where TFLite has it, a separate operator otherwise;
// - Value::quant as TFLite quantization parameters (per-axis on the TFLite
//   axis, quantized_dimension), biases with scale s_in * s_w[c];
// - buffers 16-byte aligned, buffer 0 empty, deterministic bytes.
// Every operator is checked against the options' TfliteProfile. Nodes that
// cannot be written are all reported in one Unsupported error, each with
// the reason tfliteSupport (TfliteSupport.h) gives for it.
#pragma once

#include "ir/Graph.h"
#include "tflite/TfliteProfile.h"

#include <string>

namespace edgec {

struct TfliteWriteOptions {
  /// The consumer of the file (default: TensorFlow Lite, no limits).
  TfliteProfile profile;
  /// Written as Model.description.
  std::string description = "edgec";
};

/// Serializes `m` as it is. The same model gives the same bytes.
Expected<std::string> writeTflite(const Model &m,
                                  const TfliteWriteOptions &o = {});

} // namespace edgec
