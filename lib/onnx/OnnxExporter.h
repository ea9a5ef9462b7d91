// ONNX exporter: the IR (before or after optimization) to a valid, portable
// onnx.ModelProto, serialized deterministically.
//
// What it writes:
// - graph inputs (non-initializer inputs first, then inputs that are also
//   initializers), initializers (tensorToProto), outputs and, optionally,
//   value_info for typed intermediate values; nodes in IR order with every
//   attribute kind, subgraphs recursively (outer-scope captures by name);
//   opset_import from Model::opsets; producer "edgec".
// - omitted optional inputs/outputs (nullptr) as "" (trailing ones dropped);
//   values without a name, or whose name would clash with a visible value,
//   get unique deterministic names.
// - edgec's reserved attributes are never written. A fused activation
//   (`edgec.activation` = Relu | Clip | LeakyRelu | HardSwish | HardSigmoid |
//   Sigmoid | Tanh with `edgec.activation.{alpha,beta,min,max}`) becomes a
//   separate standard node after its node, spelled at the model's opset;
//   `edgec.layout = "NHWC"` (data input 0 / output 0 channels-last) becomes
//   the standard node between two Transposes (ir/Annotations.h defines
//   both annotations).
// - ops newer than the model's default opset that the optimizer creates
//   (LayerNormalization, RMSNormalization, Gelu, Mish, HardSwish, Swish, and
//   Softmax with opset-13 semantics) are expanded into standard ops valid at
//   the model's opset; their constants become initializers named
//   "<node>/edgec_expand/<k>".
// Anything that cannot be expressed (an unknown `edgec.*` attribute, a node of
// the internal "edgec" domain, an expansion whose extra outputs are used) is
// an error naming the node, rather than a model that computes something
// else. Not written: Value::quant (ONNX carries quantization in Q/DQ nodes).
// Other ops keep their spelling even when Node::opsetVersion is above the
// model's opset.
#pragma once

#include "ir/Graph.h"

#include <onnx/onnx_pb.h>

#include <string>

namespace edgec {

struct ExportOptions {
  std::string producerName = "edgec";
  std::string producerVersion = "0.1.0";
  /// Write value_info for intermediate values with a known element type.
  bool writeValueInfo = true;
  /// Lowest ir_version written (the model's own is kept when higher; it is
  /// also raised to what the opset and the element types need).
  int64_t minIrVersion = 7;
};

/// Converts a Model to an ONNX ModelProto.
Expected<onnx::ModelProto> exportOnnxProto(const Model &m,
                                           const ExportOptions &o = {});
/// Serializes deterministically (the same proto gives the same bytes).
Expected<std::string> serializeOnnxProto(const onnx::ModelProto &mp);
/// exportOnnxProto + serializeOnnxProto, as bytes.
Expected<std::string> exportOnnxBytes(const Model &m,
                                      const ExportOptions &o = {});
/// Exports and writes the model to `path` (same model -> identical file).
Status exportOnnxFile(const Model &m, const std::string &path,
                      const ExportOptions &o = {});

} // namespace edgec
