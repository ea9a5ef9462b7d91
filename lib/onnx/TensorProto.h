// Conversion between onnx.TensorProto and edgec::Tensor.
#pragma once

#include "ir/Tensor.h"

#include <onnx/onnx_pb.h>

#include <string>

namespace edgec {

/// Converts a TensorProto. `baseDir` resolves external data (empty: external
/// data is rejected). `what` names the tensor in errors.
Expected<Tensor> tensorFromProto(const onnx::TensorProto &p,
                                 const std::string &baseDir,
                                 const std::string &what);
/// Fills a TensorProto (raw_data form).
void tensorToProto(const Tensor &t, onnx::TensorProto &p);

/// Reads a serialized TensorProto file (.pb).
Expected<Tensor> readTensorProtoFile(const std::string &path);
Status writeTensorProtoFile(const std::string &path, const Tensor &t,
                            const std::string &name = {});

} // namespace edgec
