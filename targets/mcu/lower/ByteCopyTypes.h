// The element types the byte-copy kernels of the MCU target move (gather,
// scatter, fill): one C type each in generated code, as `edgec targets` lists.
#pragma once

#include "ir/DataType.h"

#include <string>
#include <vector>

namespace edgec::mcu {

inline bool byteCopyable(DataType t) {
  switch (t) {
  case DataType::Float32: case DataType::Int8: case DataType::UInt8: case DataType::Int16:
  case DataType::UInt16: case DataType::Int32: case DataType::UInt32: case DataType::Int64:
  case DataType::Bool: case DataType::Float16: case DataType::BFloat16:
    return true;
  default:
    return false;
  }
}

inline const std::vector<std::string> &byteCopyTypeNames() {
  static const std::vector<std::string> v = {"float32", "int8",  "uint8", "int16",
                                             "uint16",  "int32", "uint32", "int64",
                                             "bool",    "float16", "bfloat16"};
  return v;
}

} // namespace edgec::mcu
