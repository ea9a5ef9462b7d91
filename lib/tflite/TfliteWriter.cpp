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
  for (size_t i = 0; i < w.opcodes.size(); ++i) {
    const auto &[code, version] = w.opcodes[i];
    auto custom = w.customNames.find((uint32_t)i);
    codes.push_back(fb::CreateOperatorCode(
        fbb, (int8_t)std::min<int32_t>(code, (int32_t)BO::PLACEHOLDER_FOR_GREATER_OP_CODES),
        custom == w.customNames.end() ? 0 : fbb.CreateString(custom->second), version, (BO)code));
  }
  w.subgraphs[0] = sg;
  // OfflineMemoryAllocation (`ethos-u` operators' tensors): version 0,
  // subgraph 0, the tensor count, one offset per tensor (-1: online).
  std::vector<Offset<fb::Metadata>> metadata;
  if (!sw.offlineOffsets.empty()) {
    std::vector<int32_t> words = {0, 0, 0};
    words.insert(words.end(), sw.offlineOffsets.begin(), sw.offlineOffsets.end());
    words.resize(3 + sw.tensorCount(), -1);
    words[2] = (int32_t)sw.tensorCount();
    std::vector<uint8_t> bytes;
    for (int32_t v : words)
      for (int k = 0; k < 4; ++k) bytes.push_back(uint8_t((uint32_t)v >> (8 * k)));
    const uint32_t buf = w.buffer(bytes.data(), bytes.size());
    metadata.push_back(fb::CreateMetadataDirect(fbb, "OfflineMemoryAllocation", buf));
  }
  auto model = fb::CreateModelDirect(fbb, 3, &codes, &w.subgraphs, o.description.c_str(), &w.buffers,
                                     nullptr, metadata.empty() ? nullptr : &metadata);
  fbb.Finish(model, "TFL3");
  return std::string(reinterpret_cast<const char *>(fbb.GetBufferPointer()), fbb.GetSize());
}

} // namespace edgec
