// Structural validation of a .tflite flatbuffer before anything reads it:
// the FlatBuffers verifier, then every index, shape, buffer size,
// quantization array and subgraph reference (TFLite's CVE list as the
// checklist). After verifyTflite succeeds, the importer may index tensors,
// buffers, operator codes and subgraphs without further range checks.
#pragma once

#include "support/Error.h"
#include "tflite/schema_generated.h"

#include <cstdint>
#include <string>

namespace edgec::tflite {

/// The builtin operator code of an OperatorCode: the larger of
/// deprecated_builtin_code (int8, field 0) and builtin_code (field 3).
int32_t builtinCode(const fb::OperatorCode &oc);
/// "CONV_2D", "CUSTOM(MyOp)", or "BUILTIN_200" for codes edgec does not name.
std::string opCodeName(const fb::OperatorCode &oc);
/// Name of a TFLite tensor element type ("INT8").
std::string tensorTypeName(fb::TensorType t);
/// The buffer data of tensor `t` (nullptr/0 when it has none). Buffers may
/// hold their data inline or, for large models, at (offset, size) of the file.
struct BufferView {
  const uint8_t *data = nullptr;
  size_t size = 0;
};
BufferView tensorData(const fb::Model &m, const fb::Tensor &t,
                      const uint8_t *file, size_t fileSize);

/// Verifies `data` as a TFLite model and returns its root table.
Expected<const fb::Model *> verifyTflite(const uint8_t *data, size_t size);

} // namespace edgec::tflite
