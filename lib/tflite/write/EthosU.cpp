// edgec.npu.EthosU (npu/EthosUNode.h) written back in the form Vela writes
// and the TFLite reader (read/EthosU.cpp) imports (../shared/NPU-EDGETPU.md
// A.4): a CUSTOM "ethos-u" operator with the custom options Vela writes
// (the flexbuffer 01 04 01: the integer 1, "Ethos-U"), inputs the payload,
// the flash, the scratch and scratch_fast tensors, then the IFMs; outputs
// the OFMs. Every `ethos-u` operator of a subgraph shares one scratch tensor
// (arena offset 0, the largest scratch_size) and each IFM/OFM gets its
// arena offset in the OfflineMemoryAllocation metadata (TfliteWriter.cpp),
// so TFLite Micro lays them out where the command streams address them and
// plans the CPU operators' other tensors around them.
#include "tflite/write/SubgraphWriter.h"

#include "npu/EthosUNode.h"

#include <cstdint>

namespace edgec::tflite {

Status SubgraphWriter::placeOffline(int32_t t, int64_t offset) {
  if (offset < 0 || offset > INT32_MAX)
    return unsupported("arena offset " + std::to_string(offset) + " of tensor '" + def(t).name +
                       "' is out of range");
  if (offlineOffsets.size() < tensors.size()) offlineOffsets.resize(tensors.size(), -1);
  int32_t &o = offlineOffsets[(size_t)t];
  if (o >= 0 && o != (int32_t)offset)
    return unsupported("tensor '" + def(t).name + "' is given two arena offsets (" +
                       std::to_string(o) + " and " + std::to_string(offset) + ")");
  o = (int32_t)offset;
  return Status::ok();
}

Status SubgraphWriter::ethosU(const Node &n) {
  if (n.inputs.empty() || !n.inputs[0] || !n.inputs[0]->constant)
    return unsupported("the Ethos-U payload (input 0) is not a constant");
  const std::vector<int64_t> inOff = n.attrInts(npu::kInputOffsetsAttr, {});
  const std::vector<int64_t> outOff = n.attrInts(npu::kOutputOffsetsAttr, {});
  if (inOff.size() + 2 != n.inputs.size() || outOff.size() != n.outputs.size())
    return unsupported("the Ethos-U node's input/output offsets do not match its inputs/outputs");
  const int64_t scratchSize = n.attrInt(npu::kScratchSizeAttr, 0);
  const int64_t fastSize = n.attrInt(npu::kScratchFastSizeAttr, 0);
  if (scratchSize < 0 || scratchSize > INT32_MAX || fastSize < 0 || fastSize > INT32_MAX)
    return unsupported("the Ethos-U scratch sizes are out of range");
  std::vector<int32_t> ins;
  EDGEC_ASSIGN_OR_RETURN(int32_t cms, in(n, 0));
  ins.push_back(cms);
  if (n.input(1)) {
    EDGEC_ASSIGN_OR_RETURN(int32_t flash, in(n, 1));
    ins.push_back(flash);
  } else {
    ins.push_back(-1);
  }
  // The shared scratch tensors: one byte per arena byte, no data.
  auto shared = [&](int32_t &t, const char *name, int64_t size) -> Status {
    if (t < 0) {
      TensorDef d;
      d.name = name;
      d.type = fb::TensorType::UINT8;
      d.shape = {(int32_t)size};
      t = addTensor(std::move(d));
    } else if (tensors[(size_t)t].shape[0] < size) {
      tensors[(size_t)t].shape[0] = (int32_t)size;
    }
    return placeOffline(t, 0);
  };
  EDGEC_TRY(shared(scratch, "_npu_scratch", scratchSize));
  EDGEC_TRY(shared(scratchFast, "_npu_scratch_fast", fastSize));
  ins.push_back(scratch);
  ins.push_back(scratchFast);
  for (size_t i = 2; i < n.inputs.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int32_t t, in(n, i));
    EDGEC_TRY(placeOffline(t, inOff[i - 2]));
    ins.push_back(t);
  }
  std::vector<int32_t> outs;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int32_t t, out(n, i));
    EDGEC_TRY(placeOffline(t, outOff[i]));
    outs.push_back(t);
  }
  OpDef d;
  d.opcode = w.customOpcode("ethos-u", 1);
  d.inputs = std::move(ins);
  d.outputs = std::move(outs);
  d.customOptions = {0x01, 0x04, 0x01};
  ops.push_back(std::move(d));
  if (principal < 0 && preparing == 0) principal = (int)ops.size() - 1;
  return Status::ok();
}

} // namespace edgec::tflite
