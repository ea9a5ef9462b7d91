// Loading calibration samples (quant/Calibration.h).
#include "quant/Calibration.h"

#include "frontend/TensorFile.h"
#include "interp/Interpreter.h"

#include <algorithm>
#include <filesystem>

namespace edgec {

namespace fs = std::filesystem;

namespace {

Status checkSample(const Value &v, const Tensor &t, const std::string &file) {
  Status s = checkInputTensor(v, t);
  if (!s.isOk()) return s.error().withContext(file + ": ");
  return Status::ok();
}

/// A per-sample folder: files named after the inputs, or input_K.
Expected<CalibSample> loadSampleDir(const std::vector<Value *> &ins,
                                    const fs::path &dir) {
  CalibSample s;
  s.source = dir.string();
  for (size_t k = 0; k < ins.size(); ++k) {
    const Value &v = *ins[k];
    fs::path found;
    for (const std::string &stem : {v.name, "input_" + std::to_string(k)})
      for (const char *ext : {".npy", ".pb"})
        if (found.empty() && fs::exists(dir / (stem + ext))) found = dir / (stem + ext);
    if (found.empty())
      return Error(ErrorCode::InvalidInput,
                   dir.string() + ": no file for model input '" + v.name +
                       "' (expected " + v.name + ".npy/.pb or input_" +
                       std::to_string(k) + ".npy/.pb)");
    EDGEC_ASSIGN_OR_RETURN(Tensor t, readTensorFile(found.string()));
    EDGEC_TRY(checkSample(v, t, found.string()));
    s.inputs[v.name] = t;
  }
  return s;
}

} // namespace

Expected<std::vector<CalibSample>> loadCalibrationData(const Model &m,
                                                       const std::string &dirName) {
  fs::path dir(dirName);
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Error(ErrorCode::Io, dirName + ": calibration data folder not found");
  std::vector<Value *> ins = m.graph->runtimeInputs();
  if (ins.empty()) return Error(ErrorCode::InvalidModel, "model has no inputs to calibrate");
  std::vector<fs::path> dirs, files;
  for (const auto &e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory()) dirs.push_back(e.path());
    else if (e.is_regular_file() && isTensorFileName(e.path().string())) files.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  std::sort(files.begin(), files.end());
  std::vector<CalibSample> out;
  if (!dirs.empty()) {
    for (const fs::path &d : dirs) {
      EDGEC_ASSIGN_OR_RETURN(CalibSample s, loadSampleDir(ins, d));
      out.push_back(std::move(s));
    }
  } else {
    if (ins.size() != 1 && !files.empty())
      return Error(ErrorCode::InvalidInput,
                   dirName + ": the model has " + std::to_string(ins.size()) +
                       " inputs; put each sample's files in a sub-folder");
    for (const fs::path &f : files) {
      EDGEC_ASSIGN_OR_RETURN(Tensor t, readTensorFile(f.string()));
      EDGEC_TRY(checkSample(*ins[0], t, f.string()));
      CalibSample s;
      s.source = f.string();
      s.inputs[ins[0]->name] = t;
      out.push_back(std::move(s));
    }
  }
  if (out.empty())
    return Error(ErrorCode::InvalidInput,
                 dirName + ": no calibration samples (.npy/.pb files or sample folders)");
  return out;
}

Expected<std::vector<CalibSample>> randomCalibrationData(const Model &m, int n,
                                                         uint32_t seed) {
  if (n <= 0) return Error(ErrorCode::Usage, "--calib-random needs a positive count");
  std::vector<CalibSample> out;
  uint32_t state = seed ? seed : 1;
  for (int k = 0; k < n; ++k) {
    CalibSample s;
    s.source = "random#" + std::to_string(k);
    for (const Value *v : m.graph->runtimeInputs()) {
      if (!v->type.isStatic() || !isFloatType(v->type.dtype))
        return Error(ErrorCode::InvalidInput,
                     "input '" + v->name + "': random calibration needs a static float "
                     "shape (use --input-shape)");
      Tensor t(v->type.dtype, v->type.staticShape());
      for (int64_t i = 0; i < t.numElements(); ++i) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        t.setDouble(i, (double)state / 4294967296.0 * 2.0 - 1.0);
      }
      s.inputs[v->name] = t;
    }
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace edgec
