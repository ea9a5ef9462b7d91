// edgec.npu.EthosU: an Arm Ethos-U subgraph (a Vela `ethos-u` custom
// operator, npu/EthosUNode.h) run through the functional model. The payload
// is checked as the driver checks it, the IFMs are copied into the arena
// (region 1) at the offsets Vela planned, the command stream runs on the
// flash (region 0), the arena and the fast scratch (region 2), and the OFMs
// are read back from their offsets.
#include "interp/EthosU.h"
#include "interp/Kernel.h"

#include "npu/EthosUNode.h"
#include "npu/Invoke.h"

#include <cstring>

namespace edgec {

Expected<npu::InvokeRequest> ethosURequest(const Node &n, const Tensor &payload, const Tensor *flash,
                                           const std::vector<const Tensor *> &ifms) {
  const std::string where = "node '" + n.name + "' (Ethos-U): ";
  if (payload.dtype() != DataType::UInt8)
    return Error(ErrorCode::InvalidModel, where + "input 0 must be the uint8 payload");
  npu::InvokeRequest req;
  req.payload = {payload.data<uint8_t>(), payload.byteSize()};
  if (flash) req.flash = {static_cast<const uint8_t *>(flash->raw()), flash->byteSize()};
  req.scratchSize = n.attrInt(npu::kScratchSizeAttr, 0);
  req.scratchFastSize = n.attrInt(npu::kScratchFastSizeAttr, 0);
  req.ifmOffsets = n.attrInts(npu::kInputOffsetsAttr, {});
  req.ofmOffsets = n.attrInts(npu::kOutputOffsetsAttr, {});
  const std::string hw = n.attrString(npu::kHardwareAttr, "");
  if (!hw.empty()) {
    EDGEC_ASSIGN_OR_RETURN(req.hardware, npu::findAcceleratorConfig(hw));
  }
  // A missing IFM (inspect's counters) leaves the arena's zeros.
  for (const Tensor *t : ifms)
    req.ifms.push_back(t ? npu::ByteSpan{static_cast<const uint8_t *>(t->raw()), t->byteSize()} : npu::ByteSpan{});
  for (const Value *v : n.outputs) {
    if (!v || !v->type.isStatic())
      return Error(ErrorCode::InvalidModel, where + "an output has no static shape");
    EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(v->type.dtype, v->type.staticShape()));
    req.ofmBytes.push_back(t.byteSize());
  }
  return req;
}

Expected<npu::InvokeRequest> ethosURequest(const Node &n, const std::vector<const Tensor *> &ifms) {
  if (n.inputs.empty() || !n.inputs[0] || !n.inputs[0]->constant)
    return Error(ErrorCode::InvalidModel, "node '" + n.name + "' (Ethos-U): the payload is not a constant");
  const Tensor *flash = n.inputs.size() > 1 && n.inputs[1] && n.inputs[1]->constant ? &*n.inputs[1]->constant : nullptr;
  return ethosURequest(n, *n.inputs[0]->constant, flash, ifms);
}

namespace {

Status runEthosU(KernelContext &ctx) {
  const Node &n = ctx.node();
  std::vector<const Tensor *> ifms;
  for (size_t i = 2; i < ctx.numInputs(); ++i) ifms.push_back(ctx.hasInput(i) ? &ctx.input(i) : nullptr);
  if (!ctx.hasInput(0))
    return Error(ErrorCode::InvalidModel, "node '" + n.name + "' (Ethos-U): the payload is missing");
  EDGEC_ASSIGN_OR_RETURN(npu::InvokeRequest req,
                         ethosURequest(n, ctx.input(0), ctx.hasInput(1) ? &ctx.input(1) : nullptr, ifms));
  auto r = npu::invokePayload(req);
  if (!r) return r.error().withContext("node '" + n.name + "' (Ethos-U): ");
  for (size_t i = 0; i < ctx.numOutputs(); ++i) {
    const Value *v = n.outputs[i];
    EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(v->type.dtype, v->type.staticShape()));
    if (t.byteSize()) std::memcpy(t.raw(), r->ofms[i].data(), t.byteSize());
    ctx.outputs[i] = std::move(t);
  }
  return Status::ok();
}

} // namespace

void registerQEthosUKernels(KernelRegistry &r) {
  r.add(OpKernel{npu::kEthosUDomain, npu::kEthosUOp, runEthosU, 0});
}

} // namespace edgec
