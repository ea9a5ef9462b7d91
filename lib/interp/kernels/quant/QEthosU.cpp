// edgec.npu.EthosU: an Arm Ethos-U subgraph (a Vela `ethos-u` custom
// operator, npu/EthosUNode.h) run through the functional model. The payload
// is checked as the driver checks it, the IFMs are copied into the arena
// (region 1) at the offsets Vela planned, the command stream runs on the
// flash (region 0), the arena and the fast scratch (region 2), and the OFMs
// are read back from their offsets.
#include "interp/Kernel.h"

#include "npu/EthosUNode.h"
#include "npu/Invoke.h"

#include <cstring>

namespace edgec {

namespace {

Status runEthosU(KernelContext &ctx) {
  const Node &n = ctx.node();
  const std::string where = "node '" + n.name + "' (Ethos-U): ";
  if (!ctx.hasInput(0) || ctx.input(0).dtype() != DataType::UInt8)
    return Error(ErrorCode::InvalidModel, where + "input 0 must be the uint8 payload");
  npu::InvokeRequest req;
  req.payload = {ctx.input(0).data<uint8_t>(), ctx.input(0).byteSize()};
  if (ctx.hasInput(1)) req.flash = {ctx.input(1).data<uint8_t>(), ctx.input(1).byteSize()};
  req.scratchSize = n.attrInt(npu::kScratchSizeAttr, 0);
  req.scratchFastSize = n.attrInt(npu::kScratchFastSizeAttr, 0);
  req.ifmOffsets = n.attrInts(npu::kInputOffsetsAttr, {});
  req.ofmOffsets = n.attrInts(npu::kOutputOffsetsAttr, {});
  for (size_t i = 2; i < ctx.numInputs(); ++i)
    req.ifms.push_back(ctx.hasInput(i) ? npu::ByteSpan{static_cast<const uint8_t *>(ctx.input(i).raw()),
                                                       ctx.input(i).byteSize()}
                                       : npu::ByteSpan{});
  std::vector<Tensor> outs;
  for (size_t i = 0; i < ctx.numOutputs(); ++i) {
    const Value *v = n.outputs[i];
    if (!v || !v->type.isStatic())
      return Error(ErrorCode::InvalidModel, where + "output " + std::to_string(i) + " has no static shape");
    EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(v->type.dtype, v->type.staticShape()));
    req.ofmBytes.push_back(t.byteSize());
    outs.push_back(std::move(t));
  }
  auto r = npu::invokePayload(req);
  if (!r) return r.error().withContext(where);
  for (size_t i = 0; i < outs.size(); ++i) {
    if (outs[i].byteSize()) std::memcpy(outs[i].raw(), r->ofms[i].data(), outs[i].byteSize());
    ctx.outputs[i] = std::move(outs[i]);
  }
  return Status::ok();
}

} // namespace

void registerQEthosUKernels(KernelRegistry &r) {
  r.add(OpKernel{npu::kEthosUDomain, npu::kEthosUOp, runEthosU, 0});
}

} // namespace edgec
