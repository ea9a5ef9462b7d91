// Whole-file reads and writes with clear errors.
#pragma once

#include "support/Error.h"

#include <string>

namespace edgec {

Expected<std::string> readFileBytes(const std::string &path);
Status writeFileBytes(const std::string &path, const std::string &bytes);

} // namespace edgec
