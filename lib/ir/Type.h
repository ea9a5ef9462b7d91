// Static type of an IR value: element type plus a shape whose dims may be
// static, symbolic ("batch") or unknown; the rank itself may be unknown.
#pragma once

#include "ir/DataType.h"
#include "ir/Tensor.h"

#include <optional>
#include <string>
#include <vector>

namespace edgec {

struct Dim {
  int64_t value = -1; ///< >= 0 when static
  std::string symbol; ///< non-empty for a named symbolic dim

  static Dim fixed(int64_t v) { return Dim{v, {}}; }
  static Dim symbolic(std::string s) { return Dim{-1, std::move(s)}; }
  static Dim unknown() { return Dim{}; }
  bool isStatic() const { return value >= 0; }
  bool operator==(const Dim &o) const {
    return value == o.value && symbol == o.symbol;
  }
  std::string str() const;
};

struct TensorType {
  DataType dtype = DataType::Undefined;
  bool hasRank = false;
  std::vector<Dim> dims;

  TensorType() = default;
  TensorType(DataType t) : dtype(t) {} // NOLINT: unknown rank
  TensorType(DataType t, const TensorShape &shape);
  TensorType(DataType t, std::vector<Dim> d)
      : dtype(t), hasRank(true), dims(std::move(d)) {}

  size_t rank() const { return dims.size(); }
  bool isStatic() const;
  /// The static shape; only valid when isStatic().
  TensorShape staticShape() const;
  bool operator==(const TensorType &o) const {
    return dtype == o.dtype && hasRank == o.hasRank && dims == o.dims;
  }
  /// "f32[1,3,N,224]", "i64[?]", "f32[*]" for unknown rank.
  std::string str() const;
};

/// Quantization parameters: per-tensor (axis < 0, one scale) or per-axis.
struct QuantParams {
  std::vector<float> scale;
  std::vector<int64_t> zeroPoint;
  int axis = -1;
  bool perAxis() const { return axis >= 0; }
  bool operator==(const QuantParams &o) const {
    return scale == o.scale && zeroPoint == o.zeroPoint && axis == o.axis;
  }
};

} // namespace edgec
