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

} // namespace edgec
