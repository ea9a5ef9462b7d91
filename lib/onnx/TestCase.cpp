#include "onnx/TestCase.h"

#include "onnx/TensorProto.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace edgec {

Expected<std::vector<TestDataSet>> loadTestDataSets(const std::string &caseDir) {
  std::vector<std::string> dirs;
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(caseDir, ec))
    if (e.is_directory() &&
        e.path().filename().string().rfind("test_data_set_", 0) == 0)
      dirs.push_back(e.path().string());
  if (ec)
    return Error(ErrorCode::Io, caseDir + ": cannot list directory");
  std::sort(dirs.begin(), dirs.end());
  std::vector<TestDataSet> sets;
  for (const auto &d : dirs) {
    TestDataSet s;
    s.dir = d;
    for (const char *kind : {"input", "output"}) {
      for (int i = 0;; ++i) {
        std::string p = d + "/" + kind + "_" + std::to_string(i) + ".pb";
        if (!fs::exists(p)) break;
        EDGEC_ASSIGN_OR_RETURN(Tensor t, readTensorProtoFile(p));
        (std::string(kind) == "input" ? s.inputs : s.outputs).push_back(t);
      }
    }
    sets.push_back(std::move(s));
  }
  return sets;
}

std::string compareTensors(const Tensor &a, const Tensor &e,
                           const CompareOptions &o) {
  if (a.dtype() != e.dtype())
    return "element type " + std::string(dataTypeName(a.dtype())) +
           ", expected " + std::string(dataTypeName(e.dtype()));
  if (a.shape() != e.shape())
    return "shape " + shapeToString(a.shape()) + ", expected " +
           shapeToString(e.shape());
  bool isFloat = isFloatType(a.dtype()) || isMiniFloatType(a.dtype());
  int64_t bad = 0, first = -1;
  double worst = 0;
  for (int64_t i = 0; i < a.numElements(); ++i) {
    bool ok;
    if (isFloat) {
      double x = a.getDouble(i), y = e.getDouble(i);
      if (std::isnan(x) || std::isnan(y)) ok = std::isnan(x) && std::isnan(y);
      else if (std::isinf(x) || std::isinf(y)) ok = x == y;
      else {
        double d = std::fabs(x - y);
        ok = d <= o.atol + o.rtol * std::fabs(y);
        if (!ok) worst = std::max(worst, d);
      }
    } else {
      ok = a.getInt64(i) == e.getInt64(i) &&
           (a.dtype() != DataType::UInt64 ||
            a.data<uint64_t>()[i] == e.data<uint64_t>()[i]);
    }
    if (!ok) {
      if (first < 0) first = i;
      ++bad;
    }
  }
  if (!bad) return "";
  std::string r = std::to_string(bad) + " of " +
                  std::to_string(a.numElements()) + " elements differ; first at " +
                  std::to_string(first) + ": got ";
  if (isFloat)
    r += std::to_string(a.getDouble(first)) + ", expected " +
         std::to_string(e.getDouble(first)) + " (max abs diff " +
         std::to_string(worst) + ")";
  else
    r += std::to_string(a.getInt64(first)) + ", expected " +
         std::to_string(e.getInt64(first));
  return r;
}

} // namespace edgec
