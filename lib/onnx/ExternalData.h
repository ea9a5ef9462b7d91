// Loading of ONNX external tensor data, confined to the model's directory.
#pragma once

#include "support/Error.h"

#include <cstdint>
#include <string>

namespace edgec {

/// Resolves `location` relative to `baseDir` and rejects absolute paths,
/// ".." components and symlinks that leave `baseDir` (CVE-2022-25882,
/// CVE-2024-27318). Returns the resolved path.
Expected<std::string> resolveExternalDataPath(const std::string &baseDir,
                                              const std::string &location,
                                              const std::string &what);

/// Reads `length` bytes (or to end of file when length < 0) at `offset`.
Expected<std::string> readExternalData(const std::string &baseDir,
                                       const std::string &location,
                                       int64_t offset, int64_t length,
                                       const std::string &what);

} // namespace edgec
