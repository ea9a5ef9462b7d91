// CUSTOM "ethos-u": an Arm Ethos-U subgraph compiled by Vela. Inputs: the
// command stream (the driver payload), the flash, scratch and scratch_fast
// tensors, then the subgraph's IFMs; outputs its OFMs. The IFM/OFM arena
// offsets come from the model's OfflineMemoryAllocation metadata. The node
// (npu/EthosUNode.h) is run by the interpreter through the functional model.
#include "tflite/read/Converters.h"

#include "npu/EthosUNode.h"
#include "npu/Operation.h"
#include "npu/Payload.h"
#include "tflite/TfliteVerify.h"

namespace edgec::tflite {

namespace {

/// Arena offsets per tensor (-1: planned online), from
/// OfflineMemoryAllocation: int32 version, subgraph, count, offsets...
Expected<std::vector<int32_t>> offlineOffsets(OpBuilder &b) {
  const std::vector<uint8_t> md = b.metadata("OfflineMemoryAllocation");
  if (md.empty())
    return b.unsupported("the model has no OfflineMemoryAllocation metadata (Vela writes it; "
                         "it places the NPU's tensors in the arena)");
  if (md.size() % 4 != 0 || md.size() < 12)
    return b.error("OfflineMemoryAllocation metadata of " + std::to_string(md.size()) +
                   " bytes is malformed");
  std::vector<int32_t> w(md.size() / 4);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = int32_t(uint32_t(md[4 * i]) | uint32_t(md[4 * i + 1]) << 8 |
                   uint32_t(md[4 * i + 2]) << 16 | uint32_t(md[4 * i + 3]) << 24);
  const int64_t count = w[2];
  if (count < 0 || (size_t)count != w.size() - 3)
    return b.error("OfflineMemoryAllocation metadata lists " + std::to_string(count) +
                   " tensors but holds " + std::to_string(w.size() - 3));
  return std::vector<int32_t>(w.begin() + 3, w.end());
}

int64_t byteSizeOf(const fb::Tensor *t) {
  int64_t n = 1;
  if (t->shape())
    for (int32_t d : *t->shape())
      n *= d < 0 ? 0 : d;
  switch (t->type()) {
  case fb::TensorType::INT16:
  case fb::TensorType::UINT16: return n * 2;
  case fb::TensorType::INT32:
  case fb::TensorType::FLOAT32: return n * 4;
  default: return n;
  }
}

} // namespace

Status convertEthosU(OpBuilder &b) {
  if (b.numInputs() < 4)
    return b.error("expects at least 4 inputs (command stream, flash, scratch, scratch_fast), got " +
                   std::to_string(b.numInputs()));
  if (b.numOutputs() == 0) return b.error("has no outputs");
  std::optional<Tensor> cms = b.constInput(0);
  if (!cms || cms->dtype() != DataType::UInt8)
    return b.error("input 0 (command stream) must be a uint8 constant");
  // The payload must parse now: a malformed one is a load error.
  // The payload, its configuration and its command stream must be sound
  // now: a malformed one is a load error (inspect reports it too).
  auto payload = npu::parsePayload(cms->data<uint8_t>(), cms->byteSize());
  if (!payload) return b.error(payload.error().message());
  const npu::AcceleratorConfig *hw = npu::payloadAccelerator(*payload);
  if (!hw)
    return b.unsupported("the payload names no known Ethos-U configuration (" +
                         npu::describeConfig(payload->config) + ")");
  if (Status s = npu::checkPayloadConfig(*payload, *hw); !s.isOk()) return b.error(s.error().message());
  auto cmds = npu::decodeCommandStream(payload->stream);
  if (!cmds) return b.error(cmds.error().message());
  if (auto ops = npu::buildOperations(*cmds); !ops) return b.error(ops.error().message());
  EDGEC_ASSIGN_OR_RETURN(std::vector<int32_t> offsets, offlineOffsets(b));
  auto offsetOf = [&](int32_t t, const std::string &what) -> Expected<int64_t> {
    if (t < 0 || (size_t)t >= offsets.size() || offsets[(size_t)t] < 0)
      return b.unsupported(what + " has no offline arena offset");
    return (int64_t)offsets[(size_t)t];
  };
  for (size_t s = 2; s <= 3; ++s)
    if (!b.inputTensor(s)) return b.error("input " + std::to_string(s) + " (scratch) is missing");
  EDGEC_ASSIGN_OR_RETURN(int64_t scratchBase, offsetOf(b.inputTensorIndex(2), "the scratch tensor"));

  std::vector<Value *> ins;
  EDGEC_ASSIGN_OR_RETURN(Value * cmsValue, b.input(0));
  ins.push_back(cmsValue);
  std::optional<Tensor> flash = b.constInput(1);
  if (b.hasInput(1) && flash && flash->dtype() != DataType::UInt8)
    return b.error("input 1 (flash) must be uint8");
  Value *flashValue = nullptr;
  if (flash && flash->numElements() > 0) {
    EDGEC_ASSIGN_OR_RETURN(flashValue, b.input(1));
  }
  ins.push_back(flashValue);
  std::vector<int64_t> inOffsets, outOffsets;
  for (size_t i = 4; i < b.numInputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    EDGEC_ASSIGN_OR_RETURN(int64_t off, offsetOf(b.inputTensorIndex(i), "input " + std::to_string(i)));
    inOffsets.push_back(off - scratchBase);
    ins.push_back(v);
  }
  std::vector<Value *> outs;
  int64_t arena = byteSizeOf(b.inputTensor(2));
  for (size_t i = 0; i < b.numOutputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int64_t off, offsetOf(b.outputTensorIndex(i), "output " + std::to_string(i)));
    outOffsets.push_back(off - scratchBase);
    outs.push_back(b.output(i));
  }
  Node *n = b.emit(npu::kEthosUOp, ins, outs);
  n->domain = npu::kEthosUDomain;
  n->opsetVersion = 1;
  n->attrs[npu::kScratchSizeAttr] = Attribute::makeInt(arena);
  n->attrs[npu::kScratchFastSizeAttr] = Attribute::makeInt(byteSizeOf(b.inputTensor(3)));
  n->attrs[npu::kInputOffsetsAttr] = Attribute::makeInts(inOffsets);
  n->attrs[npu::kOutputOffsetsAttr] = Attribute::makeInts(outOffsets);
  return Status::ok();
}

} // namespace edgec::tflite
