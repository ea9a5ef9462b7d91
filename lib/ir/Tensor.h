// Tensor: a dense, row-major n-dimensional array with an element type.
//
// Used for constant data in the IR (initializers, Constant attributes) and for
// values in the reference interpreter. Copies share the buffer (cheap); use
// clone() for a deep copy. Kernels always write into freshly made tensors.
#pragma once

#include "ir/DataType.h"
#include "support/Error.h"
#include "support/Float16.h"

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace edgec {

/// IEEE binary16 storage type; arithmetic goes through float.
struct Half {
  uint16_t bits = 0;
  Half() = default;
  Half(float f) : bits(floatToHalf(f)) {} // NOLINT
  operator float() const { return halfToFloat(bits); } // NOLINT
};

/// bfloat16 storage type; arithmetic goes through float.
struct BFloat16 {
  uint16_t bits = 0;
  BFloat16() = default;
  BFloat16(float f) : bits(floatToBFloat16(f)) {} // NOLINT
  operator float() const { return bfloat16ToFloat(bits); } // NOLINT
};

using TensorShape = std::vector<int64_t>;

/// Number of elements, or an error if a dim is negative or the product
/// overflows / exceeds maxElements.
Expected<int64_t> checkedNumElements(const TensorShape &shape,
                                     int64_t maxElements = int64_t(1) << 34);
/// Row-major strides of a shape (in elements).
std::vector<int64_t> stridesOf(const TensorShape &shape);

/// C++ type for each DataType.
template <DataType D> struct CppType;
template <> struct CppType<DataType::Float32> { using type = float; };
template <> struct CppType<DataType::Float16> { using type = Half; };
template <> struct CppType<DataType::BFloat16> { using type = BFloat16; };
template <> struct CppType<DataType::Float64> { using type = double; };
template <> struct CppType<DataType::Int8> { using type = int8_t; };
template <> struct CppType<DataType::UInt8> { using type = uint8_t; };
template <> struct CppType<DataType::Int16> { using type = int16_t; };
template <> struct CppType<DataType::UInt16> { using type = uint16_t; };
template <> struct CppType<DataType::Int32> { using type = int32_t; };
template <> struct CppType<DataType::UInt32> { using type = uint32_t; };
template <> struct CppType<DataType::Int64> { using type = int64_t; };
template <> struct CppType<DataType::UInt64> { using type = uint64_t; };
template <> struct CppType<DataType::Bool> { using type = bool; };

template <typename T> constexpr DataType dataTypeOf();
template <> constexpr DataType dataTypeOf<float>() { return DataType::Float32; }
template <> constexpr DataType dataTypeOf<Half>() { return DataType::Float16; }
template <> constexpr DataType dataTypeOf<BFloat16>() { return DataType::BFloat16; }
template <> constexpr DataType dataTypeOf<double>() { return DataType::Float64; }
template <> constexpr DataType dataTypeOf<int8_t>() { return DataType::Int8; }
template <> constexpr DataType dataTypeOf<uint8_t>() { return DataType::UInt8; }
template <> constexpr DataType dataTypeOf<int16_t>() { return DataType::Int16; }
template <> constexpr DataType dataTypeOf<uint16_t>() { return DataType::UInt16; }
template <> constexpr DataType dataTypeOf<int32_t>() { return DataType::Int32; }
template <> constexpr DataType dataTypeOf<uint32_t>() { return DataType::UInt32; }
template <> constexpr DataType dataTypeOf<int64_t>() { return DataType::Int64; }
template <> constexpr DataType dataTypeOf<uint64_t>() { return DataType::UInt64; }
template <> constexpr DataType dataTypeOf<bool>() { return DataType::Bool; }

class Tensor {
public:
  Tensor() = default;
  /// Zero-filled tensor. The shape must be valid (asserted); use create()
  /// when the shape comes from user data.
  Tensor(DataType dtype, TensorShape shape);
  /// Zero-filled tensor, or an error when the shape is invalid or too large.
  static Expected<Tensor> create(DataType dtype, TensorShape shape);

  template <typename T>
  static Tensor fromVector(TensorShape shape, const std::vector<T> &values) {
    Tensor t(dataTypeOf<T>(), std::move(shape));
    assert((int64_t)values.size() == t.numElements() && "size mismatch");
    T *d = t.data<T>();
    for (size_t i = 0; i < values.size(); ++i)
      d[i] = values[i];
    return t;
  }
  template <typename T> static Tensor scalar(T v) {
    return fromVector<T>({}, std::vector<T>{v});
  }

  bool isValid() const { return dtype_ != DataType::Undefined; }
  DataType dtype() const { return dtype_; }
  const TensorShape &shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  int64_t dim(size_t i) const { return shape_[i]; }
  int64_t numElements() const { return numel_; }
  size_t byteSize() const { return (size_t)numel_ * dataTypeSize(dtype_); }

  template <typename T> T *data() {
    assert(dataTypeOf<T>() == dtype_ && "Tensor::data<T>() with wrong T");
    return reinterpret_cast<T *>(raw());
  }
  template <typename T> const T *data() const {
    assert(dataTypeOf<T>() == dtype_ && "Tensor::data<T>() with wrong T");
    return reinterpret_cast<const T *>(raw());
  }
  void *raw() { return buf_ ? buf_->data() : nullptr; }
  const void *raw() const { return buf_ ? buf_->data() : nullptr; }

  /// Element i (flat index) converted to double / int64, any dtype
  /// (storage-only types included: 8/4-bit floats are decoded, sub-byte ints
  /// sign- or zero-extended).
  double getDouble(int64_t i) const;
  int64_t getInt64(int64_t i) const;
  /// Stores v (converted with C semantics) at flat index i. For storage-only
  /// types: mini floats round to nearest even and saturate; sub-byte ints
  /// keep the low bits (wrap), as ONNX Cast does.
  void setDouble(int64_t i, double v);
  void setInt64(int64_t i, int64_t v);
  /// All elements as int64 (for shape-like inputs).
  std::vector<int64_t> toInt64Vector() const;
  std::vector<double> toDoubleVector() const;

  /// Same buffer, new shape with the same element count.
  Tensor reshaped(TensorShape shape) const;
  /// Deep copy.
  Tensor clone() const;
  /// Element-wise conversion (C semantics; float->int truncates, bool is
  /// v != 0).
  Tensor castTo(DataType dtype) const;
  /// Byte-wise equality of dtype, shape and data.
  bool identical(const Tensor &other) const;

private:
  DataType dtype_ = DataType::Undefined;
  TensorShape shape_;
  int64_t numel_ = 0;
  std::shared_ptr<std::vector<unsigned char>> buf_;
};

/// While alive, Tensor::create refuses tensors above `maxBytes` on this
/// thread (used by shape inference so that folding a hostile constant
/// cannot allocate gigabytes).
class ScopedTensorSizeLimit {
public:
  explicit ScopedTensorSizeLimit(uint64_t maxBytes);
  ~ScopedTensorSizeLimit();
  ScopedTensorSizeLimit(const ScopedTensorSizeLimit &) = delete;
  ScopedTensorSizeLimit &operator=(const ScopedTensorSizeLimit &) = delete;
  static uint64_t current();

private:
  uint64_t previous_;
};

/// Short human-readable description: "f32[1,3,224,224]".
std::string describe(const Tensor &t);
std::string shapeToString(const TensorShape &s);

/// Calls f with a value of the C++ type matching dtype, e.g.
///   dispatchType(t.dtype(), [&](auto tag) { using T = decltype(tag); ... });
template <typename F> auto dispatchType(DataType dtype, F &&f) {
  switch (dtype) {
  case DataType::Float32: return f(float{});
  case DataType::Float16: return f(Half{});
  case DataType::BFloat16: return f(BFloat16{});
  case DataType::Float64: return f(double{});
  case DataType::Int8: return f(int8_t{});
  case DataType::UInt8: return f(uint8_t{});
  case DataType::Int16: return f(int16_t{});
  case DataType::UInt16: return f(uint16_t{});
  case DataType::Int32: return f(int32_t{});
  case DataType::UInt32: return f(uint32_t{});
  case DataType::Int64: return f(int64_t{});
  case DataType::UInt64: return f(uint64_t{});
  case DataType::Bool: return f(bool{});
  case DataType::Undefined: break;
  default: // storage-only types: check isStorageOnlyType() before dispatching
    assert(false && "dispatchType on a storage-only type");
    return f(uint8_t{});
  }
  assert(false && "dispatchType on Undefined");
  return f(float{});
}

} // namespace edgec
