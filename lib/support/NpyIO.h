// Reading and writing NumPy .npy files (format versions 1.0-3.0, little
// endian, C order).
#pragma once

#include "ir/Tensor.h"

#include <string>

namespace edgec {

Expected<Tensor> readNpy(const std::string &path);
Expected<Tensor> parseNpy(const std::string &bytes, const std::string &what);
Status writeNpy(const std::string &path, const Tensor &t);
std::string serializeNpy(const Tensor &t);

/// Whole-file helpers with clear errors.
Expected<std::string> readFileBytes(const std::string &path);
Status writeFileBytes(const std::string &path, const std::string &bytes);

} // namespace edgec
