// The OFM block and internal-buffer layout of one NPU operation (see
// NpuLowering.h). The internal buffer is 1 KiB banks; the top two are left
// for the output (Vela's reserved output banks), and the 2 KiB lookup-table
// area is left free. IFM buffers sit at bank 0 up to IFM_IB_END, the
// accumulators end at the top of the usable banks (AB_START); both are
// double-buffered. The block depth is a multiple of the OFM micro-block
// depth (the weight order follows it).
#include "targets/npu/NpuLowering.h"

#include "npu/estimate/CycleEstimate.h"

#include <algorithm>
#include <set>

namespace edgec::ethosu {

namespace {
constexpr int kBankBytes = 1024, kReservedOutputBanks = 2, kIfmBlockMaxDepth = 32;
int ceilDiv(int64_t a, int64_t b) { return int((a + b - 1) / b); }
int roundUp(int a, int m) { return (a + m - 1) / m * m; }
/// Lays out block (bh, bw, bd) of op in the internal buffer; false when it
/// does not fit.
bool placeBlock(npu::Operation &op, const npu::AcceleratorConfig &c, int bh, int bw, int bd) {
  const int usable = c.shramBanks - kReservedOutputBanks - npu::kShramLutBytes / kBankBytes;
  const bool depthwise = op.type != npu::OpType::Conv;
  const int ih = (bh - 1) * op.strideY + (op.kernelH - 1) * op.dilationY + 1;
  const int iw = (bw - 1) * op.strideX + (op.kernelW - 1) * op.dilationX + 1;
  const int id = depthwise ? bd : roundUp(std::min(op.ifm.depth, kIfmBlockMaxDepth), 8);
  const int oneIfm = 2 * ceilDiv(int64_t(ih) * iw * id * op.ifm.elemBytes, kBankBytes);
  const int ifmBanks = op.hasIfm2 ? 2 * oneIfm : oneIfm; // IFM2 after the IFM
  const int accBanks = 2 * ceilDiv(int64_t(bh) * bw * roundUp(bd, 8) * 4, kBankBytes);
  if (ifmBanks + accBanks > usable) return false;
  op.blockH = bh;
  op.blockW = bw;
  op.blockD = bd;
  op.ibEnd = ifmBanks;
  op.ifm2IbStart = op.hasIfm2 ? oneIfm : 0;
  op.abStart = usable - accBanks;
  op.accFormat = 0; // 32-bit accumulators
  op.blockDep = 0;  // no overlap with the previous operation
  return true;
}

/// The distinct block extents ceil(n / k), k = 1, 2, ..., at most `max`,
/// rounded up to a multiple of `step`.
std::vector<int> extents(int n, int max, int step) {
  std::set<int> out;
  for (int k = 1; k <= n; ++k) {
    const int e = roundUp(ceilDiv(n, k), step);
    if (e <= max) out.insert(e);
  }
  if (out.empty()) out.insert(step);
  return {out.rbegin(), out.rend()};
}

} // namespace

Status searchBlockConfig(npu::Operation &op, const npu::AcceleratorConfig &c,
                         const npu::MemorySystem &mem, uint32_t weightBytes) {
  EDGEC_TRY(chooseBlockConfig(op, c)); // the fallback, and the 1 KiB-bank check
  const int ub = c.ofmMicroBlock.depth;
  npu::Operation best = op, trial = op;
  // Weights and scales as long as they will be (estimated before encoding).
  trial.weightLength = weightBytes;
  trial.scaleLength = uint32_t(10 * op.ofm.depth);
  best.weightLength = trial.weightLength;
  best.scaleLength = trial.scaleLength;
  double bestCycles = npu::estimateNetwork({best}, c, mem).totalCycles;
  for (int bh : extents(op.ofm.height, npu::kOfmBlockMaxHeight, 1))
    for (int bw : extents(op.ofm.width, npu::kOfmBlockMaxWidth, 1))
      for (int bd : extents(op.ofm.depth, npu::kOfmBlockMaxDepth, ub)) {
        if (!placeBlock(trial, c, bh, bw, bd)) continue;
        const double cycles = npu::estimateNetwork({trial}, c, mem).totalCycles;
        if (cycles < bestCycles) {
          bestCycles = cycles;
          best = trial;
        }
      }
  best.weightLength = op.weightLength;
  best.scaleLength = op.scaleLength;
  op = best;
  return Status::ok();
}

Status chooseBlockConfig(npu::Operation &op, const npu::AcceleratorConfig &c) {
  const int ub = c.ofmMicroBlock.depth;
  int bd = std::min(roundUp(op.ofm.depth, ub), 32);
  int bh = std::min(op.ofm.height, npu::kOfmBlockMaxHeight);
  int bw = std::min(op.ofm.width, npu::kOfmBlockMaxWidth);
  for (;;) {
    if (placeBlock(op, c, bh, bw, bd)) return Status::ok();
    if (bh == 1 && bw == 1 && bd == ub)
      return Error(ErrorCode::Unsupported,
                   "no OFM block fits the " + std::to_string(c.shramBanks) +
                       " KiB internal buffer (kernel " + std::to_string(op.kernelH) + "x" +
                       std::to_string(op.kernelW) + ")");
    if (bh >= bw && bh > 1) bh = (bh + 1) / 2;
    else if (bw > 1) bw = (bw + 1) / 2;
    else bd = std::max(ub, bd / 2 / ub * ub);
  }
}

} // namespace edgec::ethosu
