// Tensor files users give edgec (model inputs, calibration and evaluation
// samples): NumPy .npy or a serialized ONNX TensorProto (.pb).
#pragma once

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace edgec {

/// True for the file names read as tensors: *.npy and *.pb.
bool isTensorFileName(const std::string &path);

/// Reads a tensor file by content: NumPy when it starts with the .npy magic
/// (or is named *.npy), else a serialized TensorProto.
Expected<Tensor> readTensorFile(const std::string &path);

/// One tensor per input the model is fed at run time (Graph::runtimeInputs),
/// read from `files` in that order; each must have the input's element type
/// and static shape.
Expected<std::vector<Tensor>> loadInputFiles(const Model &m,
                                             const std::vector<std::string> &files);

} // namespace edgec
