#include "onnx/TensorProto.h"

#include "onnx/ExternalData.h"
#include "support/FileIO.h"

#include <bit>
#include <cstring>
#include <filesystem>

namespace edgec {

static_assert(std::endian::native == std::endian::little,
              "ONNX raw_data is little-endian; big-endian hosts need swaps");

namespace {

const char *onnxTypeName(int t) {
  switch (t) {
  case 8: return "string";
  case 14: return "complex64";
  case 15: return "complex128";
  default: return nullptr;
  }
}

/// Elements per byte in ONNX's packed form (1 for byte-or-wider types).
int64_t elemsPerByte(DataType dt) {
  int bits = packedBits(dt);
  return bits < 8 ? 8 / bits : 1;
}

/// Size in bytes of n elements in ONNX's packed (raw_data) form.
int64_t packedByteSize(DataType dt, int64_t n) {
  int64_t per = elemsPerByte(dt);
  if (per > 1) return (n + per - 1) / per;
  return n * (int64_t)dataTypeSize(dt);
}

/// Expands packed sub-byte data (lowest bits first) into one byte per
/// element; signed types are sign-extended.
void unpackSubByte(DataType dt, const unsigned char *src, int64_t n,
                   unsigned char *dst) {
  int bits = packedBits(dt);
  int per = 8 / bits;
  unsigned mask = (1u << bits) - 1;
  bool isSigned = dt == DataType::Int4 || dt == DataType::Int2;
  for (int64_t i = 0; i < n; ++i) {
    unsigned v = (src[i / per] >> ((i % per) * bits)) & mask;
    if (isSigned && (v & (1u << (bits - 1)))) v |= ~mask; // sign-extend
    dst[i] = (unsigned char)v;
  }
}

/// Number of entries a typed field must hold for n elements of dt.
int64_t typedFieldCount(DataType dt, int64_t n) {
  // Sub-byte types are packed into int32_data entries one byte each.
  return elemsPerByte(dt) > 1 ? packedByteSize(dt, n) : n;
}

/// The typed field holding dt's data and its name.
struct FieldInfo {
  const char *name;
  int size;
};

FieldInfo typedField(const onnx::TensorProto &p, DataType dt) {
  switch (dt) {
  case DataType::Float32: return {"float_data", p.float_data_size()};
  case DataType::Float64: return {"double_data", p.double_data_size()};
  case DataType::Int64: return {"int64_data", p.int64_data_size()};
  case DataType::UInt32:
  case DataType::UInt64: return {"uint64_data", p.uint64_data_size()};
  default: return {"int32_data", p.int32_data_size()};
  }
}

template <typename T> void put(Tensor &t, int64_t i, T v) {
  std::memcpy(static_cast<char *>(t.raw()) + i * (int64_t)sizeof(T), &v,
              sizeof(T));
}

/// Copies the typed field into t (count already checked).
void fillFromTypedField(const onnx::TensorProto &p, Tensor &t) {
  int64_t n = t.numElements();
  DataType dt = t.dtype();
  auto *dst = static_cast<unsigned char *>(t.raw());
  switch (dt) {
  case DataType::Float32:
    for (int64_t i = 0; i < n; ++i) put<float>(t, i, p.float_data((int)i));
    return;
  case DataType::Float64:
    for (int64_t i = 0; i < n; ++i) put<double>(t, i, p.double_data((int)i));
    return;
  case DataType::Int64:
    for (int64_t i = 0; i < n; ++i) put<int64_t>(t, i, p.int64_data((int)i));
    return;
  case DataType::UInt64:
    for (int64_t i = 0; i < n; ++i) put<uint64_t>(t, i, p.uint64_data((int)i));
    return;
  case DataType::UInt32:
    for (int64_t i = 0; i < n; ++i)
      put<uint32_t>(t, i, (uint32_t)p.uint64_data((int)i));
    return;
  case DataType::Int32:
    for (int64_t i = 0; i < n; ++i) put<int32_t>(t, i, p.int32_data((int)i));
    return;
  // 16-bit types: the value (or, for float16/bfloat16, the bit pattern) in
  // the low 16 bits of each entry.
  case DataType::Int16:
  case DataType::UInt16:
  case DataType::Float16:
  case DataType::BFloat16:
    for (int64_t i = 0; i < n; ++i)
      put<uint16_t>(t, i, (uint16_t)(uint32_t)p.int32_data((int)i));
    return;
  case DataType::Bool:
    for (int64_t i = 0; i < n; ++i) dst[i] = p.int32_data((int)i) != 0;
    return;
  default:
    break;
  }
  if (elemsPerByte(dt) > 1) {
    std::string packed((size_t)typedFieldCount(dt, n), '\0');
    for (size_t i = 0; i < packed.size(); ++i)
      packed[i] = (char)(uint8_t)(uint32_t)p.int32_data((int)i);
    unpackSubByte(dt, reinterpret_cast<const unsigned char *>(packed.data()),
                  n, dst);
    return;
  }
  // int8, uint8 and the 8-bit float codes: one value per entry.
  for (int64_t i = 0; i < n; ++i)
    dst[i] = (unsigned char)(uint32_t)p.int32_data((int)i);
}

/// Copies packed little-endian bytes (raw_data or external data) into t.
void fillFromBytes(const std::string &bytes, Tensor &t) {
  auto *dst = static_cast<unsigned char *>(t.raw());
  const auto *src = reinterpret_cast<const unsigned char *>(bytes.data());
  int64_t n = t.numElements();
  if (elemsPerByte(t.dtype()) > 1) {
    unpackSubByte(t.dtype(), src, n, dst);
    return;
  }
  if (!bytes.empty()) std::memcpy(dst, src, bytes.size());
  if (t.dtype() == DataType::Bool) // normalise to 0/1
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i] != 0;
}

/// Parses a non-negative decimal integer of an external_data entry.
bool parseExternalInt(const std::string &s, int64_t &out) {
  if (s.empty() || s.size() > 18 ||
      s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoll(s);
  return true;
}

} // namespace

Expected<Tensor> tensorFromProto(const onnx::TensorProto &p,
                                 const std::string &baseDir,
                                 const std::string &what) {
  auto dt = fromOnnxDataType(p.data_type());
  if (!dt) {
    const char *n = onnxTypeName(p.data_type());
    if (p.data_type() == 0)
      return Error(ErrorCode::InvalidModel, what + ": element type is not set");
    return Error(ErrorCode::Unsupported,
                 what + ": element type " +
                     (n ? std::string(n)
                        : "#" + std::to_string(p.data_type())) +
                     " is not supported");
  }
  if (p.has_segment())
    return Error(ErrorCode::Unsupported,
                 what + ": segmented tensors are not supported");
  // Validate the shape and the size of the stored data before allocating
  // anything: a hostile model must not make us allocate what its data does
  // not back.
  TensorShape shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape)
    if (d < 0)
      return Error(ErrorCode::InvalidModel,
                   what + ": negative dimension " + std::to_string(d) +
                       " in shape " + shapeToString(shape));
  auto numel = checkedNumElements(shape);
  if (!numel.isOk())
    return Error(ErrorCode::InvalidModel,
                 what + ": shape " + shapeToString(shape) +
                     " has too many elements");
  int64_t n = *numel;
  int64_t bytes = packedByteSize(*dt, n);
  const std::string typeDesc = std::string(dataTypeName(*dt)) +
                               shapeToString(shape);

  if (p.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    int64_t offset = 0, length = -1;
    for (const auto &kv : p.external_data()) {
      if (kv.key() == "location") {
        location = kv.value();
      } else if (kv.key() == "offset" || kv.key() == "length") {
        int64_t v = 0;
        if (!parseExternalInt(kv.value(), v))
          return Error(ErrorCode::InvalidModel,
                       what + ": bad external data " + kv.key() + " '" +
                           kv.value().substr(0, 40) + "'");
        (kv.key() == "offset" ? offset : length) = v;
      }
    }
    if (location.empty())
      return Error(ErrorCode::InvalidModel,
                   what + ": external data without a location");
    if (length >= 0 && length != bytes)
      return Error(ErrorCode::InvalidModel,
                   what + ": external data length " + std::to_string(length) +
                       " does not match " + typeDesc + " (" +
                       std::to_string(bytes) + " bytes)");
    EDGEC_ASSIGN_OR_RETURN(
        std::string data,
        readExternalData(baseDir, location, offset, bytes, what));
    auto created = Tensor::create(*dt, shape);
    if (!created.isOk()) return created.error().withContext(what + ": ");
    Tensor t = created.take();
    fillFromBytes(data, t);
    return t;
  }

  if (p.has_raw_data()) {
    const std::string &raw = p.raw_data();
    if ((int64_t)raw.size() != bytes)
      return Error(ErrorCode::InvalidModel,
                   what + ": raw_data has " + std::to_string(raw.size()) +
                       " bytes but " + typeDesc + " needs " +
                       std::to_string(bytes));
    auto created = Tensor::create(*dt, shape);
    if (!created.isOk()) return created.error().withContext(what + ": ");
    Tensor t = created.take();
    fillFromBytes(raw, t);
    return t;
  }

  FieldInfo f = typedField(p, *dt);
  int64_t want = typedFieldCount(*dt, n);
  if (f.size != want)
    return Error(ErrorCode::InvalidModel,
                 what + ": " + f.name + " has " + std::to_string(f.size) +
                     " values but " + typeDesc + " needs " +
                     std::to_string(want));
  auto created = Tensor::create(*dt, shape);
  if (!created.isOk()) return created.error().withContext(what + ": ");
  Tensor t = created.take();
  fillFromTypedField(p, t);
  return t;
}

void tensorToProto(const Tensor &t, onnx::TensorProto &p) {
  p.set_data_type(toOnnxDataType(t.dtype()));
  p.clear_dims();
  for (int64_t d : t.shape()) p.add_dims(d);
  const auto *src = static_cast<const unsigned char *>(t.raw());
  int64_t per = elemsPerByte(t.dtype());
  if (per == 1) {
    p.set_raw_data(std::string(reinterpret_cast<const char *>(src),
                               t.byteSize()));
    return;
  }
  int bits = packedBits(t.dtype());
  unsigned mask = (1u << bits) - 1;
  std::string packed((size_t)packedByteSize(t.dtype(), t.numElements()), '\0');
  for (int64_t i = 0; i < t.numElements(); ++i)
    packed[(size_t)(i / per)] = (char)((unsigned char)packed[(size_t)(i / per)] |
                                       ((src[i] & mask) << ((i % per) * bits)));
  p.set_raw_data(packed);
}

Expected<Tensor> readTensorProtoFile(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) &&
      !std::filesystem::is_regular_file(path, ec))
    return Error(ErrorCode::Io, path + ": not a regular file");
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(path));
  onnx::TensorProto p;
  if (!p.ParseFromString(bytes))
    return Error(ErrorCode::InvalidInput,
                 path + ": not a valid serialized onnx.TensorProto");
  std::string dir;
  auto slash = path.find_last_of('/');
  dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (dir.empty()) dir = "/";
  auto r = tensorFromProto(p, dir, path);
  if (!r.isOk() && r.error().code() == ErrorCode::InvalidModel)
    return Error(ErrorCode::InvalidInput, r.error().message());
  return r;
}

Status writeTensorProtoFile(const std::string &path, const Tensor &t,
                            const std::string &name) {
  onnx::TensorProto p;
  tensorToProto(t, p);
  if (!name.empty()) p.set_name(name);
  std::string bytes;
  if (!p.SerializeToString(&bytes))
    return Error(ErrorCode::Io, path + ": cannot serialize tensor");
  return writeFileBytes(path, bytes);
}

} // namespace edgec
