#include "ir/DataType.h"

#include <cassert>

namespace edgec {

size_t dataTypeSize(DataType t) {
  switch (t) {
  case DataType::Undefined: return 0;
  case DataType::Float32: return 4;
  case DataType::Float16: return 2;
  case DataType::BFloat16: return 2;
  case DataType::Float64: return 8;
  case DataType::Int8: return 1;
  case DataType::UInt8: return 1;
  case DataType::Int16: return 2;
  case DataType::UInt16: return 2;
  case DataType::Int32: return 4;
  case DataType::UInt32: return 4;
  case DataType::Int64: return 8;
  case DataType::UInt64: return 8;
  case DataType::Bool: return 1;
  case DataType::Float8E4M3FN: case DataType::Float8E4M3FNUZ:
  case DataType::Float8E5M2: case DataType::Float8E5M2FNUZ:
  case DataType::Float4E2M1: case DataType::Int4: case DataType::UInt4:
  case DataType::Int2: case DataType::UInt2:
    return 1;
  }
  assert(false && "unhandled DataType");
  return 0;
}

std::string_view dataTypeName(DataType t) {
  switch (t) {
  case DataType::Undefined: return "undef";
  case DataType::Float32: return "f32";
  case DataType::Float16: return "f16";
  case DataType::BFloat16: return "bf16";
  case DataType::Float64: return "f64";
  case DataType::Int8: return "i8";
  case DataType::UInt8: return "u8";
  case DataType::Int16: return "i16";
  case DataType::UInt16: return "u16";
  case DataType::Int32: return "i32";
  case DataType::UInt32: return "u32";
  case DataType::Int64: return "i64";
  case DataType::UInt64: return "u64";
  case DataType::Bool: return "bool";
  case DataType::Float8E4M3FN: return "f8e4m3fn";
  case DataType::Float8E4M3FNUZ: return "f8e4m3fnuz";
  case DataType::Float8E5M2: return "f8e5m2";
  case DataType::Float8E5M2FNUZ: return "f8e5m2fnuz";
  case DataType::Float4E2M1: return "f4e2m1";
  case DataType::Int4: return "i4";
  case DataType::UInt4: return "u4";
  case DataType::Int2: return "i2";
  case DataType::UInt2: return "u2";
  }
  return "undef";
}

std::optional<DataType> parseDataType(std::string_view n) {
  static const struct {
    std::string_view name;
    DataType type;
  } table[] = {
      {"f32", DataType::Float32},  {"float", DataType::Float32},
      {"float32", DataType::Float32}, {"f16", DataType::Float16},
      {"float16", DataType::Float16}, {"bf16", DataType::BFloat16},
      {"bfloat16", DataType::BFloat16}, {"f64", DataType::Float64},
      {"double", DataType::Float64}, {"float64", DataType::Float64},
      {"i8", DataType::Int8},      {"int8", DataType::Int8},
      {"u8", DataType::UInt8},     {"uint8", DataType::UInt8},
      {"i16", DataType::Int16},    {"int16", DataType::Int16},
      {"u16", DataType::UInt16},   {"uint16", DataType::UInt16},
      {"i32", DataType::Int32},    {"int32", DataType::Int32},
      {"u32", DataType::UInt32},   {"uint32", DataType::UInt32},
      {"i64", DataType::Int64},    {"int64", DataType::Int64},
      {"u64", DataType::UInt64},   {"uint64", DataType::UInt64},
      {"bool", DataType::Bool},
      {"f8e4m3fn", DataType::Float8E4M3FN},
      {"f8e4m3fnuz", DataType::Float8E4M3FNUZ},
      {"f8e5m2", DataType::Float8E5M2},
      {"f8e5m2fnuz", DataType::Float8E5M2FNUZ},
      {"f4e2m1", DataType::Float4E2M1},
      {"i4", DataType::Int4},      {"u4", DataType::UInt4},
      {"i2", DataType::Int2},      {"u2", DataType::UInt2},
  };
  for (const auto &e : table)
    if (e.name == n)
      return e.type;
  return std::nullopt;
}

bool isFloatType(DataType t) {
  return t == DataType::Float32 || t == DataType::Float16 ||
         t == DataType::BFloat16 || t == DataType::Float64;
}

bool isIntegerType(DataType t) {
  switch (t) {
  case DataType::Int8: case DataType::UInt8: case DataType::Int16:
  case DataType::UInt16: case DataType::Int32: case DataType::UInt32:
  case DataType::Int64: case DataType::UInt64:
    return true;
  default:
    return false;
  }
}

bool isStorageOnlyType(DataType t) {
  return t >= DataType::Float8E4M3FN;
}

bool isMiniFloatType(DataType t) {
  return t >= DataType::Float8E4M3FN && t <= DataType::Float4E2M1;
}

int packedBits(DataType t) {
  switch (t) {
  case DataType::Float4E2M1: case DataType::Int4: case DataType::UInt4:
    return 4;
  case DataType::Int2: case DataType::UInt2:
    return 2;
  default:
    return 8 * (int)dataTypeSize(t);
  }
}

bool isSignedType(DataType t) {
  return isFloatType(t) || isMiniFloatType(t) || t == DataType::Int8 ||
         t == DataType::Int16 || t == DataType::Int32 ||
         t == DataType::Int64 || t == DataType::Int4 || t == DataType::Int2;
}

// Values of onnx.TensorProto.DataType (a published format).
std::optional<DataType> fromOnnxDataType(int v) {
  switch (v) {
  case 1: return DataType::Float32;
  case 2: return DataType::UInt8;
  case 3: return DataType::Int8;
  case 4: return DataType::UInt16;
  case 5: return DataType::Int16;
  case 6: return DataType::Int32;
  case 7: return DataType::Int64;
  case 9: return DataType::Bool;
  case 10: return DataType::Float16;
  case 11: return DataType::Float64;
  case 12: return DataType::UInt32;
  case 13: return DataType::UInt64;
  case 16: return DataType::BFloat16;
  case 17: return DataType::Float8E4M3FN;
  case 18: return DataType::Float8E4M3FNUZ;
  case 19: return DataType::Float8E5M2;
  case 20: return DataType::Float8E5M2FNUZ;
  case 21: return DataType::UInt4;
  case 22: return DataType::Int4;
  case 23: return DataType::Float4E2M1;
  case 25: return DataType::UInt2;
  case 26: return DataType::Int2;
  default: return std::nullopt;
  }
}

int toOnnxDataType(DataType t) {
  switch (t) {
  case DataType::Undefined: return 0;
  case DataType::Float32: return 1;
  case DataType::UInt8: return 2;
  case DataType::Int8: return 3;
  case DataType::UInt16: return 4;
  case DataType::Int16: return 5;
  case DataType::Int32: return 6;
  case DataType::Int64: return 7;
  case DataType::Bool: return 9;
  case DataType::Float16: return 10;
  case DataType::Float64: return 11;
  case DataType::UInt32: return 12;
  case DataType::UInt64: return 13;
  case DataType::BFloat16: return 16;
  case DataType::Float8E4M3FN: return 17;
  case DataType::Float8E4M3FNUZ: return 18;
  case DataType::Float8E5M2: return 19;
  case DataType::Float8E5M2FNUZ: return 20;
  case DataType::UInt4: return 21;
  case DataType::Int4: return 22;
  case DataType::Float4E2M1: return 23;
  case DataType::UInt2: return 25;
  case DataType::Int2: return 26;
  }
  return 0;
}

} // namespace edgec
