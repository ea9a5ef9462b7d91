// POOL: MAX and AVERAGE over the kernel window (padded positions are left
// out), REDUCE_SUM over the window and every IFM channel. With the global
// scale (OFM_PRECISION bit 8) the window sum goes through OFM_SCALE; an
// AVERAGE without it divides by the number of valid positions, rounding
// half away from zero (TensorFlow Lite's AVERAGE_POOL_2D).
#include "npu/FunctionalModel.h"
#include "npu/OutputStage.h"

#include <algorithm>
#include <limits>

namespace edgec::npu {

Status execPooling(const Operation &op, ExecContext &ctx) {
  const std::string what = "Ethos-U op " + std::to_string(op.index) + " (" + operationName(op) + ")";
  if (op.upscale != 0)
    return Error(ErrorCode::Unsupported, what + ": IFM upscaling is not modelled");
  EDGEC_ASSIGN_OR_RETURN(Region ifmR, ctx.region(op.ifm.region, what + " IFM"));
  EDGEC_ASSIGN_OR_RETURN(Region ofmR, ctx.region(op.ofm.region, what + " OFM"));
  EDGEC_TRY(checkFeatureMapFits(op.ofm, ofmR, what + " OFM"));
  const bool reduce = op.mode == 2;
  FeatureMap ifm = op.ifm;
  if (!reduce) ifm.depth = op.ofm.depth;
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> in, readFeatureMap(ifm, ifmR, true, what + " IFM"));
  ctx.counters.bytesRead[size_t(ifm.region & 7)] += featureMapBytes(ifm);
  EDGEC_ASSIGN_OR_RETURN(Lut lut, lutFor(op, ctx.shram.data(), ctx.shram.size()));
  const ClampRange range = clampRange(op);
  const FeatureMap &o = op.ofm;
  if (double(o.height) * o.width * o.depth * op.kernelH * op.kernelW * (reduce ? ifm.depth : 1) > double(ctx.maxOperationWork))
    return Error(ErrorCode::InvalidModel, what + ": more than " + std::to_string(ctx.maxOperationWork) +
                                              " window positions");
  for (int y = 0; y < o.height; ++y)
    for (int x = 0; x < o.width; ++x)
      for (int c = 0; c < o.depth; ++c) {
        int64_t acc = op.mode == 0 ? std::numeric_limits<int64_t>::min() : 0;
        int64_t count = 0;
        for (int ky = 0; ky < op.kernelH; ++ky) {
          const int iy = y * op.strideY - op.padTop + ky;
          if (iy < 0 || iy >= ifm.height) continue;
          for (int kx = 0; kx < op.kernelW; ++kx) {
            const int ix = x * op.strideX - op.padLeft + kx;
            if (ix < 0 || ix >= ifm.width) continue;
            const size_t base = (size_t(iy) * size_t(ifm.width) + size_t(ix)) * size_t(ifm.depth);
            if (reduce) {
              for (int ic = 0; ic < ifm.depth; ++ic)
                acc += in[base + size_t(ic)];
            } else if (op.mode == 0) {
              acc = std::max(acc, in[base + size_t(c)]);
            } else {
              acc += in[base + size_t(c)];
            }
            ++count;
          }
        }
        if (count == 0) acc = 0;
        int64_t scaled;
        if (op.globalScale) {
          scaled = scaleAndRound(acc, int64_t(op.ofmScale), op.ofmShift, op.rounding);
        } else if (op.mode == 1 && count > 0) {
          scaled = acc >= 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
        } else {
          scaled = acc;
        }
        EDGEC_TRY(writeElement(o, ofmR, y, x, c, finishOutput(scaled, op, range, lut), what + " OFM"));
      }
  ctx.counters.macs += int64_t(o.height) * o.width * o.depth * op.kernelH * op.kernelW *
                       (reduce ? ifm.depth : 1);
  ctx.counters.bytesWritten[size_t(o.region & 7)] += featureMapBytes(o);
  return Status::ok();
}

} // namespace edgec::npu
