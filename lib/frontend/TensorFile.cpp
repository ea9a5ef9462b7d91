#include "frontend/TensorFile.h"

#include "onnx/TensorProto.h"
#include "support/FileIO.h"
#include "tensorio/NpyIO.h"

namespace edgec {

namespace {
bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
} // namespace

bool isTensorFileName(const std::string &path) {
  return endsWith(path, ".npy") || endsWith(path, ".pb");
}

Expected<Tensor> readTensorFile(const std::string &path) {
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(path));
  if (bytes.rfind("\x93NUMPY", 0) == 0 || endsWith(path, ".npy"))
    return parseNpy(bytes, path);
  return readTensorProtoFile(path);
}

Expected<std::vector<Tensor>> loadInputFiles(const Model &m,
                                             const std::vector<std::string> &files) {
  std::vector<Value *> ins = m.graph->runtimeInputs();
  if (files.size() != ins.size())
    return Error(ErrorCode::Usage, "the model has " + std::to_string(ins.size()) +
                                       " input(s), got " + std::to_string(files.size()) +
                                       " --input file(s)");
  std::vector<Tensor> out;
  for (size_t k = 0; k < files.size(); ++k) {
    EDGEC_ASSIGN_OR_RETURN(Tensor t, readTensorFile(files[k]));
    const TensorType &want = ins[k]->type;
    if (t.dtype() != want.dtype || !want.isStatic() || t.shape() != want.staticShape())
      return Error(ErrorCode::InvalidInput, "input '" + ins[k]->name + "' from '" +
                                                files[k] + "' must be " + want.str());
    out.push_back(std::move(t));
  }
  return out;
}

} // namespace edgec
