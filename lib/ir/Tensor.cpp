#include "ir/Tensor.h"

#include "support/MiniFloat.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

namespace edgec {

Expected<int64_t> checkedNumElements(const TensorShape &shape,
                                     int64_t maxElements) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return Error(ErrorCode::InvalidModel,
                   "negative dimension " + std::to_string(d) + " in shape " +
                       shapeToString(shape));
    if (d != 0 && n > maxElements / d)
      return Error(ErrorCode::InvalidModel,
                   "shape " + shapeToString(shape) + " has too many elements");
    n *= d;
  }
  return n;
}

Tensor::Tensor(DataType dtype, TensorShape shape)
    : dtype_(dtype), shape_(std::move(shape)) {
  auto n = checkedNumElements(shape_);
  assert(n.isOk() && "invalid tensor shape; use Tensor::create for user data");
  numel_ = n.isOk() ? *n : 0;
  buf_ = std::make_shared<std::vector<unsigned char>>(
      (size_t)numel_ * dataTypeSize(dtype_));
}

namespace {
thread_local uint64_t tensorSizeLimit = uint64_t(1) << 33;
} // namespace

ScopedTensorSizeLimit::ScopedTensorSizeLimit(uint64_t maxBytes)
    : previous_(tensorSizeLimit) {
  tensorSizeLimit = std::min(tensorSizeLimit, maxBytes);
}
ScopedTensorSizeLimit::~ScopedTensorSizeLimit() { tensorSizeLimit = previous_; }
uint64_t ScopedTensorSizeLimit::current() { return tensorSizeLimit; }

Expected<Tensor> Tensor::create(DataType dtype, TensorShape shape) {
  EDGEC_ASSIGN_OR_RETURN(int64_t n, checkedNumElements(shape));
  if ((uint64_t)n * dataTypeSize(dtype) > tensorSizeLimit)
    return Error(ErrorCode::Runtime,
                 "tensor of shape " + shapeToString(shape) +
                     " exceeds the size limit of " +
                     std::to_string(tensorSizeLimit) + " bytes");
  if ((uint64_t)n * dataTypeSize(dtype) > (uint64_t(1) << 33))
    return Error(ErrorCode::Runtime,
                 "tensor of shape " + shapeToString(shape) +
                     " exceeds the 8 GiB size limit");
  return Tensor(dtype, std::move(shape));
}

namespace {

MiniFloatKind miniKind(DataType t) {
  switch (t) {
  case DataType::Float8E4M3FN: return MiniFloatKind::E4M3FN;
  case DataType::Float8E4M3FNUZ: return MiniFloatKind::E4M3FNUZ;
  case DataType::Float8E5M2: return MiniFloatKind::E5M2;
  case DataType::Float8E5M2FNUZ: return MiniFloatKind::E5M2FNUZ;
  default: return MiniFloatKind::E2M1;
  }
}

/// Sign- or zero-extends the low `bits` of v.
int64_t wrapBits(int64_t v, int bits, bool isSigned) {
  uint64_t mask = (uint64_t(1) << bits) - 1;
  uint64_t u = (uint64_t)v & mask;
  if (isSigned && (u >> (bits - 1)) & 1) return (int64_t)(u | ~mask);
  return (int64_t)u;
}

} // namespace

double Tensor::getDouble(int64_t i) const {
  if (isStorageOnlyType(dtype_)) {
    uint8_t b = static_cast<const uint8_t *>(raw())[i];
    if (isMiniFloatType(dtype_)) return miniFloatToFloat(b, miniKind(dtype_));
    return (double)wrapBits(b, packedBits(dtype_), isSignedType(dtype_));
  }
  return dispatchType(dtype_, [&](auto tag) -> double {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>)
      return (double)(float)data<T>()[i];
    else
      return (double)data<T>()[i];
  });
}

int64_t Tensor::getInt64(int64_t i) const {
  if (isStorageOnlyType(dtype_)) {
    double d = getDouble(i);
    if (!(d == d) || std::isinf(d)) return 0;
    return (int64_t)d;
  }
  return dispatchType(dtype_, [&](auto tag) -> int64_t {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>)
      return (int64_t)(float)data<T>()[i];
    else if constexpr (std::is_floating_point_v<T>) {
      T v = data<T>()[i];
      if (!(v == v)) return 0;
      if (v >= 9.2e18) return std::numeric_limits<int64_t>::max();
      if (v <= -9.2e18) return std::numeric_limits<int64_t>::min();
      return (int64_t)v;
    } else
      return (int64_t)data<T>()[i];
  });
}

void Tensor::setDouble(int64_t i, double v) {
  if (isStorageOnlyType(dtype_)) {
    uint8_t *p = static_cast<uint8_t *>(raw()) + i;
    if (isMiniFloatType(dtype_)) {
      *p = floatToMiniFloat((float)v, miniKind(dtype_), true);
    } else {
      if (!(v == v)) v = 0;
      v = std::clamp(v, -9.2e18, 9.2e18);
      *p = (uint8_t)wrapBits((int64_t)v, packedBits(dtype_), isSignedType(dtype_));
    }
    return;
  }
  dispatchType(dtype_, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>)
      data<T>()[i] = T((float)v);
    else if constexpr (std::is_same_v<T, bool>)
      data<T>()[i] = v != 0;
    else if constexpr (std::is_integral_v<T>) {
      // avoid UB on out-of-range conversion: wrap through int64
      if (!(v == v)) v = 0;
      if (v > 9.2e18) v = 9.2e18;
      if (v < -9.2e18) v = -9.2e18;
      data<T>()[i] = (T)(int64_t)v;
    } else
      data<T>()[i] = (T)v;
  });
}

void Tensor::setInt64(int64_t i, int64_t v) {
  if (isStorageOnlyType(dtype_)) {
    if (isMiniFloatType(dtype_)) return setDouble(i, (double)v);
    static_cast<uint8_t *>(raw())[i] =
        (uint8_t)wrapBits(v, packedBits(dtype_), isSignedType(dtype_));
    return;
  }
  dispatchType(dtype_, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>)
      data<T>()[i] = T((float)v);
    else if constexpr (std::is_same_v<T, bool>)
      data<T>()[i] = v != 0;
    else
      data<T>()[i] = (T)v;
  });
}

std::vector<int64_t> Tensor::toInt64Vector() const {
  std::vector<int64_t> out((size_t)numel_);
  for (int64_t i = 0; i < numel_; ++i)
    out[(size_t)i] = getInt64(i);
  return out;
}

std::vector<double> Tensor::toDoubleVector() const {
  std::vector<double> out((size_t)numel_);
  for (int64_t i = 0; i < numel_; ++i)
    out[(size_t)i] = getDouble(i);
  return out;
}

Tensor Tensor::reshaped(TensorShape shape) const {
  Tensor t = *this;
  auto n = checkedNumElements(shape);
  assert(n.isOk() && *n == numel_ && "reshaped() must keep the element count");
  (void)n;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::clone() const {
  Tensor t = *this;
  if (buf_)
    t.buf_ = std::make_shared<std::vector<unsigned char>>(*buf_);
  return t;
}

Tensor Tensor::castTo(DataType dtype) const {
  if (dtype == dtype_)
    return *this;
  Tensor out(dtype, shape_);
  bool srcInt = (isIntegerType(dtype_) || dtype_ == DataType::Bool ||
                 isStorageOnlyType(dtype_)) && !isMiniFloatType(dtype_);
  for (int64_t i = 0; i < numel_; ++i) {
    if (srcInt)
      out.setInt64(i, getInt64(i));
    else
      out.setDouble(i, getDouble(i));
  }
  return out;
}

bool Tensor::identical(const Tensor &o) const {
  if (dtype_ != o.dtype_ || shape_ != o.shape_)
    return false;
  if (byteSize() == 0)
    return true;
  return std::memcmp(raw(), o.raw(), byteSize()) == 0;
}

std::vector<int64_t> stridesOf(const TensorShape &shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int64_t i = (int64_t)shape.size() - 2; i >= 0; --i)
    s[(size_t)i] = s[(size_t)i + 1] * shape[(size_t)i + 1];
  return s;
}

std::string shapeToString(const TensorShape &s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) r += ",";
    r += std::to_string(s[i]);
  }
  return r + "]";
}

std::string describe(const Tensor &t) {
  return std::string(dataTypeName(t.dtype())) + shapeToString(t.shape());
}

} // namespace edgec
