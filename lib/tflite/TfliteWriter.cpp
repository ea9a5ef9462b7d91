// writeTflite (TfliteWriter.h): the main graph through a SubgraphWriter,
// then the model table (operator codes, subgraphs, buffers).
#include "tflite/TfliteWriter.h"

#include "tflite/write/SubgraphWriter.h"

#include <algorithm>

namespace edgec {

using namespace tflite;

Expected<std::string> writeTflite(const Model &m, const TfliteWriteOptions &o) {
  ModelWriter w(o.profile);
  SubgraphWriter sw(w, *m.graph);
  sw.metadata = &m.metadata;
  EDGEC_TRY(sw.run());
  if (!sw.problems.empty()) {
    std::string msg = std::to_string(sw.problems.size()) + " node" +
                      (sw.problems.size() == 1 ? "" : "s") +
                      " cannot be written as TFLite: ";
    for (size_t i = 0; i < sw.problems.size(); ++i)
      msg += (i ? "; " : "") + sw.problems[i];
    return Error(ErrorCode::Unsupported, msg);
  }
  auto sg = sw.finish();
  auto &fbb = w.fbb;
  std::vector<Offset<fb::OperatorCode>> codes;
  for (const auto &[code, version] : w.opcodes)
    codes.push_back(fb::CreateOperatorCode(
        fbb, (int8_t)std::min<int32_t>(code, (int32_t)BO::PLACEHOLDER_FOR_GREATER_OP_CODES), 0,
        version, (BO)code));
  w.subgraphs[0] = sg;
  auto model = fb::CreateModelDirect(fbb, 3, &codes, &w.subgraphs, o.description.c_str(), &w.buffers);
  fbb.Finish(model, "TFL3");
  return std::string(reinterpret_cast<const char *>(fbb.GetBufferPointer()), fbb.GetSize());
}

} // namespace edgec
