#include "npu/FunctionalModel.h"

#include <cstring>

namespace edgec::npu {

FunctionalModel::FunctionalModel(const AcceleratorConfig &config,
                                 std::array<Region, kMaxRegions> regions)
    : config_(config), regions_(regions), shram_(size_t(config.shramBytes()), 0) {}

Expected<Region> ExecContext::region(int index, const std::string &what) const {
  if (index < 0 || index >= kMaxRegions || !regions[size_t(index)].data)
    return Error(ErrorCode::InvalidModel,
                 what + ": region " + std::to_string(index) + " is not mapped");
  return regions[size_t(index)];
}

Status execDma(const Operation &op, ExecContext &ctx) {
  const std::string what = "Ethos-U op " + std::to_string(op.index) + " (DMA)";
  if (op.dmaSrcStrideMode != 0 || op.dmaDstStrideMode != 0)
    return Error(ErrorCode::Unsupported, what + ": 2D/3D DMA is not modelled");
  auto endpoint = [&](unsigned field, const char *side) -> Expected<Region> {
    if (field & kDmaInternalBit) return Region{ctx.shram.data(), ctx.shram.size()};
    return ctx.region(int(field & 0xFF), what + " " + side);
  };
  EDGEC_ASSIGN_OR_RETURN(Region src, endpoint(op.dmaSrcRegion, "source"));
  EDGEC_ASSIGN_OR_RETURN(Region dst, endpoint(op.dmaDstRegion, "destination"));
  const uint64_t n = op.dmaLength;
  if (op.dmaSrc > src.size || n > src.size - op.dmaSrc)
    return Error(ErrorCode::InvalidModel, what + ": source bytes " + std::to_string(op.dmaSrc) +
                                              "+" + std::to_string(n) + " outside its region (" +
                                              std::to_string(src.size) + " bytes)");
  if (op.dmaDst > dst.size || n > dst.size - op.dmaDst)
    return Error(ErrorCode::InvalidModel, what + ": destination bytes " +
                                              std::to_string(op.dmaDst) + "+" + std::to_string(n) +
                                              " outside its region (" + std::to_string(dst.size) +
                                              " bytes)");
  if (n) std::memmove(dst.data + op.dmaDst, src.data + op.dmaSrc, size_t(n));
  if (!(op.dmaSrcRegion & kDmaInternalBit)) ctx.counters.bytesRead[op.dmaSrcRegion & 7] += int64_t(n);
  if (op.dmaDstRegion & kDmaInternalBit) ctx.counters.internalBytes += int64_t(n);
  else ctx.counters.bytesWritten[op.dmaDstRegion & 7] += int64_t(n);
  return Status::ok();
}

Status FunctionalModel::run(const std::vector<Command> &cmds) {
  RegisterFile regs;
  counters_.clear();
  for (const Command &c : cmds) {
    if (c.info->kind == CommandKind::Register) {
      regs.apply(c);
      continue;
    }
    if (c.cmd1) continue;
    if (c.opcode == op0::Stop) break;
    if (c.opcode != op0::Conv && c.opcode != op0::Depthwise && c.opcode != op0::Pool &&
        c.opcode != op0::Elementwise && c.opcode != op0::DmaStart)
      continue; // waits, IRQ, PMU: no effect in a sequential model
    EDGEC_ASSIGN_OR_RETURN(Operation op, buildOperation(regs, c));
    op.index = counters_.size();
    OpCounters k;
    k.index = op.index;
    k.name = operationName(op);
    counters_.push_back(k);
    ExecContext ctx{config_, regions_, shram_, counters_.back(), maxOperationWork};
    switch (op.type) {
    case OpType::DmaStart: EDGEC_TRY(execDma(op, ctx)); break;
    case OpType::Conv:
    case OpType::Depthwise: EDGEC_TRY(execConvolution(op, ctx)); break;
    case OpType::Pool: EDGEC_TRY(execPooling(op, ctx)); break;
    case OpType::Elementwise: EDGEC_TRY(execElementwise(op, ctx)); break;
    }
    if (afterOperation) afterOperation(op);
  }
  return Status::ok();
}

} // namespace edgec::npu
