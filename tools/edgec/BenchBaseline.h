// `edgec bench --targets ... --baseline FILE`: an earlier --json matrix
// output read back, and each lower-is-better figure of the new matrix
// checked against it with a threshold.
#pragma once

#include "BenchMatrix.h"

#include <string>
#include <vector>

namespace edgec::tool {

/// Reads an edgec.bench-matrix.v1 document: Io error when the file cannot
/// be read, InvalidInput (one line, naming the file) when it is not JSON
/// or not such a document.
Expected<Json> loadBaseline(const std::string &path);

struct BaselineCheck {
  Json json = Json::object();           ///< the "baseline" section of the matrix document
  std::vector<std::string> regressions; ///< one line per regressed figure
  std::vector<std::string> notes;       ///< figures or entries new since the baseline
  int compared = 0;
};

/// Every compared figure (matrixFigures()) of each entry of `matrix`
/// against the entry of the same name in `baseline`: worse than
/// baseline * (1 + threshold) is a regression; a figure or entry the
/// baseline lacks is "new".
BaselineCheck compareWithBaseline(const Json &matrix, const Json &baseline, const MatrixOptions &m);

} // namespace edgec::tool
