#include "onnx/TensorProto.h"

#include "onnx/ExternalData.h"
#include "support/NpyIO.h"

#include <cstring>

namespace edgec {

namespace {

const char *onnxTypeName(int t) {
  switch (t) {
  case 8: return "string";
  case 14: return "complex64";
  case 15: return "complex128";
  case 17: case 18: case 19: case 20: case 23: return "float8";
  case 21: return "uint4";
  case 22: return "int4";
  case 24: return "float4e2m1";
  default: return nullptr;
  }
}

template <typename Field>
Status copyTyped(const Field &f, Tensor &t, const std::string &what,
                 const char *fieldName) {
  if ((int64_t)f.size() != t.numElements())
    return Error(ErrorCode::InvalidModel,
                 what + ": " + fieldName + " has " + std::to_string(f.size()) +
                     " values but shape " + shapeToString(t.shape()) +
                     " needs " + std::to_string(t.numElements()));
  return Status::ok();
}

} // namespace

Expected<Tensor> tensorFromProto(const onnx::TensorProto &p,
                                 const std::string &baseDir,
                                 const std::string &what) {
  auto dt = fromOnnxDataType(p.data_type());
  if (!dt) {
    const char *n = onnxTypeName(p.data_type());
    return Error(ErrorCode::Unsupported,
                 what + ": element type " +
                     (n ? std::string(n)
                        : "#" + std::to_string(p.data_type())) +
                     " is not supported");
  }
  TensorShape shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape)
    if (d < 0)
      return Error(ErrorCode::InvalidModel,
                   what + ": negative dimension " + std::to_string(d));
  auto created = Tensor::create(*dt, shape);
  if (!created.isOk())
    return Error(ErrorCode::InvalidModel,
                 what + ": " + created.error().message());
  Tensor t = created.take();
  size_t bytes = t.byteSize();

  if (p.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    int64_t offset = 0, length = -1;
    for (const auto &kv : p.external_data()) {
      try {
        if (kv.key() == "location") location = kv.value();
        else if (kv.key() == "offset") offset = std::stoll(kv.value());
        else if (kv.key() == "length") length = std::stoll(kv.value());
      } catch (...) {
        return Error(ErrorCode::InvalidModel,
                     what + ": bad external data entry '" + kv.key() + "'");
      }
    }
    if (length >= 0 && (uint64_t)length != bytes)
      return Error(ErrorCode::InvalidModel,
                   what + ": external data length " + std::to_string(length) +
                       " does not match shape " + shapeToString(shape) +
                       " (" + std::to_string(bytes) + " bytes)");
    EDGEC_ASSIGN_OR_RETURN(
        std::string data,
        readExternalData(baseDir, location, offset, (int64_t)bytes, what));
    if (bytes) std::memcpy(t.raw(), data.data(), bytes);
    return t;
  }

  if (p.has_raw_data()) {
    const std::string &raw = p.raw_data();
    if (raw.size() != bytes)
      return Error(ErrorCode::InvalidModel,
                   what + ": raw_data has " + std::to_string(raw.size()) +
                       " bytes but shape " + shapeToString(shape) + " of " +
                       std::string(dataTypeName(*dt)) + " needs " +
                       std::to_string(bytes));
    if (bytes) std::memcpy(t.raw(), raw.data(), bytes);
    if (*dt == DataType::Bool) // normalise to 0/1
      for (int64_t i = 0; i < t.numElements(); ++i)
        t.data<bool>()[i] = reinterpret_cast<const unsigned char *>(raw.data())[i] != 0;
    return t;
  }

  int64_t n = t.numElements();
  switch (*dt) {
  case DataType::Float32:
    if (n || p.float_data_size()) EDGEC_TRY(copyTyped(p.float_data(), t, what, "float_data"));
    for (int64_t i = 0; i < n; ++i) t.data<float>()[i] = p.float_data((int)i);
    break;
  case DataType::Float64:
    if (n || p.double_data_size()) EDGEC_TRY(copyTyped(p.double_data(), t, what, "double_data"));
    for (int64_t i = 0; i < n; ++i) t.data<double>()[i] = p.double_data((int)i);
    break;
  case DataType::Int64:
    if (n || p.int64_data_size()) EDGEC_TRY(copyTyped(p.int64_data(), t, what, "int64_data"));
    for (int64_t i = 0; i < n; ++i) t.data<int64_t>()[i] = p.int64_data((int)i);
    break;
  case DataType::UInt32:
  case DataType::UInt64:
    if (n || p.uint64_data_size()) EDGEC_TRY(copyTyped(p.uint64_data(), t, what, "uint64_data"));
    for (int64_t i = 0; i < n; ++i) t.setInt64(i, (int64_t)p.uint64_data((int)i));
    break;
  case DataType::Float16:
  case DataType::BFloat16:
    if (n || p.int32_data_size()) EDGEC_TRY(copyTyped(p.int32_data(), t, what, "int32_data"));
    for (int64_t i = 0; i < n; ++i) {
      uint16_t bits = (uint16_t)p.int32_data((int)i);
      std::memcpy((char *)t.raw() + 2 * i, &bits, 2);
    }
    break;
  default: // int32, int16, int8, uint16, uint8, bool in int32_data
    if (n || p.int32_data_size()) EDGEC_TRY(copyTyped(p.int32_data(), t, what, "int32_data"));
    for (int64_t i = 0; i < n; ++i) t.setInt64(i, p.int32_data((int)i));
    break;
  }
  return t;
}

void tensorToProto(const Tensor &t, onnx::TensorProto &p) {
  p.set_data_type(toOnnxDataType(t.dtype()));
  p.clear_dims();
  for (int64_t d : t.shape()) p.add_dims(d);
  p.set_raw_data(std::string(static_cast<const char *>(t.raw()), t.byteSize()));
}

Expected<Tensor> readTensorProtoFile(const std::string &path) {
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(path));
  onnx::TensorProto p;
  if (!p.ParseFromString(bytes))
    return Error(ErrorCode::InvalidInput,
                 path + ": not a valid serialized onnx.TensorProto");
  std::string dir;
  auto slash = path.find_last_of('/');
  dir = slash == std::string::npos ? "." : path.substr(0, slash);
  return tensorFromProto(p, dir, path);
}

Status writeTensorProtoFile(const std::string &path, const Tensor &t,
                            const std::string &name) {
  onnx::TensorProto p;
  tensorToProto(t, p);
  if (!name.empty()) p.set_name(name);
  std::string bytes;
  p.SerializeToString(&bytes);
  return writeFileBytes(path, bytes);
}

} // namespace edgec
