// Element types of tensors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace edgec {

enum class DataType : uint8_t {
  Undefined,
  Float32,
  Float16,
  BFloat16,
  Float64,
  Int8,
  UInt8,
  Int16,
  UInt16,
  Int32,
  UInt32,
  Int64,
  UInt64,
  Bool,
  // Storage-only types: Cast/CastLike, Quantize/DequantizeLinear and data
  // movement handle them; other kernels reject them. Stored unpacked, one
  // element per byte (sub-byte types hold the sign-extended value).
  Float8E4M3FN,
  Float8E4M3FNUZ,
  Float8E5M2,
  Float8E5M2FNUZ,
  Float4E2M1,
  Int4,
  UInt4,
  Int2,
  UInt2,
};

/// Bytes per element (Bool is one byte).
size_t dataTypeSize(DataType t);
/// Lower-case short name used by the printer and reports: f32, i8, bool...
std::string_view dataTypeName(DataType t);
/// Parses dataTypeName()'s output (and a few aliases like "float").
std::optional<DataType> parseDataType(std::string_view name);
bool isFloatType(DataType t);   ///< f16, bf16, f32, f64
bool isIntegerType(DataType t); ///< signed and unsigned ints (not bool)
bool isSignedType(DataType t);  ///< floats and signed ints
/// The storage-only types (8/4-bit floats, 4/2-bit ints).
bool isStorageOnlyType(DataType t);
bool isMiniFloatType(DataType t); ///< 8- and 4-bit floats
/// Bits per element in packed form (ONNX raw_data): 4 or 2 for sub-byte
/// types, else 8 * dataTypeSize.
int packedBits(DataType t);

/// ONNX TensorProto::DataType enum values <-> DataType.
std::optional<DataType> fromOnnxDataType(int onnxType);
int toOnnxDataType(DataType t);

} // namespace edgec
