// The OFM block and internal-buffer layout of one NPU operation (see
// NpuLowering.h). The internal buffer is 1 KiB banks; the top two are left
// for the output (Vela's reserved output banks), and the 2 KiB lookup-table
// area is left free. IFM buffers sit at bank 0 up to IFM_IB_END, the
// accumulators end at the top of the usable banks (AB_START); both are
// double-buffered. The block depth is a multiple of the OFM micro-block
// depth (the weight order follows it).
#include "targets/npu/NpuLowering.h"

#include <algorithm>

namespace edgec::ethosu {

namespace {
constexpr int kBankBytes = 1024, kReservedOutputBanks = 2, kIfmBlockMaxDepth = 32;
int ceilDiv(int64_t a, int64_t b) { return int((a + b - 1) / b); }
int roundUp(int a, int m) { return (a + m - 1) / m * m; }
} // namespace

Status chooseBlockConfig(npu::Operation &op, const npu::AcceleratorConfig &c) {
  const int usable = c.shramBanks - kReservedOutputBanks - npu::kShramLutBytes / kBankBytes;
  const int ub = c.ofmMicroBlock.depth;
  const bool depthwise = op.type != npu::OpType::Conv;
  int bd = std::min(roundUp(op.ofm.depth, ub), 32);
  int bh = std::min(op.ofm.height, npu::kOfmBlockMaxHeight);
  int bw = std::min(op.ofm.width, npu::kOfmBlockMaxWidth);
  for (;;) {
    const int ih = (bh - 1) * op.strideY + (op.kernelH - 1) * op.dilationY + 1;
    const int iw = (bw - 1) * op.strideX + (op.kernelW - 1) * op.dilationX + 1;
    const int id = depthwise ? bd : roundUp(std::min(op.ifm.depth, kIfmBlockMaxDepth), 8);
    const int oneIfm = 2 * ceilDiv(int64_t(ih) * iw * id * op.ifm.elemBytes, kBankBytes);
    const int ifmBanks = op.hasIfm2 ? 2 * oneIfm : oneIfm; // IFM2 after the IFM
    const int accBanks = 2 * ceilDiv(int64_t(bh) * bw * roundUp(bd, 8) * 4, kBankBytes);
    if (ifmBanks + accBanks <= usable) {
      op.blockH = bh;
      op.blockW = bw;
      op.blockD = bd;
      op.ibEnd = ifmBanks;
      op.ifm2IbStart = op.hasIfm2 ? oneIfm : 0;
      op.abStart = usable - accBanks;
      op.accFormat = 0; // 32-bit accumulators
      op.blockDep = 0;  // no overlap with the previous operation
      return Status::ok();
    }
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
