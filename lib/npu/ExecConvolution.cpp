// CONV (fully connected is a 1x1 CONV) and DEPTHWISE: the weight stream
// (WEIGHT_BASE/LENGTH, per core) decoded and put back into OHWI order by
// the weight codec (npu/weights), the 10-byte bias/scale entries, then
// acc = bias + sum (ifm - zero point) * (weight - weight zero point) over the
// dilated kernel window (padding contributes nothing), and the per-channel
// output stage.
#include "npu/FunctionalModel.h"
#include "npu/OutputStage.h"
#include "npu/weights/MlwDecoder.h"
#include "npu/weights/ScaleBias.h"
#include "npu/weights/WeightReorder.h"

namespace edgec::npu {

namespace {

Expected<const uint8_t *> span(ExecContext &ctx, int region, uint64_t base, uint64_t length,
                               const std::string &what) {
  EDGEC_ASSIGN_OR_RETURN(Region r, ctx.region(region, what));
  if (base > r.size || length > r.size - base)
    return Error(ErrorCode::InvalidModel, what + ": bytes " + std::to_string(base) + "+" +
                                              std::to_string(length) + " outside region " +
                                              std::to_string(region) + " (" +
                                              std::to_string(r.size) + " bytes)");
  ctx.counters.bytesRead[size_t(region & 7)] += int64_t(length);
  return r.data + base;
}

} // namespace

Status execConvolution(const Operation &op, ExecContext &ctx) {
  const std::string what = "Ethos-U op " + std::to_string(op.index) + " (" + operationName(op) + ")";
  if (op.upscale != 0)
    return Error(ErrorCode::Unsupported, what + ": IFM upscaling is not modelled");
  const bool dw = op.type == OpType::Depthwise;
  EDGEC_ASSIGN_OR_RETURN(Region ifmR, ctx.region(op.ifm.region, what + " IFM"));
  EDGEC_ASSIGN_OR_RETURN(Region ofmR, ctx.region(op.ofm.region, what + " OFM"));
  EDGEC_TRY(checkFeatureMapFits(op.ofm, ofmR, what + " OFM"));
  FeatureMap ifm = op.ifm;
  if (dw) ifm.depth = op.ofm.depth;
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> in, readFeatureMap(ifm, ifmR, true, what + " IFM"));
  ctx.counters.bytesRead[size_t(ifm.region & 7)] += featureMapBytes(ifm);

  const FeatureMap &o = op.ofm;
  if (double(o.height) * o.width * o.depth * op.kernelH * op.kernelW * (dw ? 1 : ifm.depth) > double(ctx.maxOperationWork))
    return Error(ErrorCode::InvalidModel, what + ": more than " + std::to_string(ctx.maxOperationWork) +
                                              " multiply-accumulates");
  WeightReorderParams p;
  p.ofmDepth = o.depth;
  p.kernelHeight = op.kernelH;
  p.kernelWidth = op.kernelW;
  p.ifmDepth = dw ? 1 : ifm.depth;
  p.ofmBlockDepth = op.blockD;
  p.ofmUblockDepth = ctx.config.ofmMicroBlock.depth;
  p.ifmUblockDepth = 8;
  p.ifmBits = ifm.elemBytes * 8;
  p.traversal = dw ? WeightTraversal::Depthwise
                   : op.partKernelFirst ? WeightTraversal::PartKernelFirst : WeightTraversal::DepthFirst;
  p.dilationX = op.dilationX;
  p.dilationY = op.dilationY;
  p.cores = ctx.config.cores;
  if (Status s = checkWeightReorderParams(p); !s.isOk()) return s.error().withContext(what + ": ");
  const size_t kSize = size_t(op.kernelH) * size_t(op.kernelW) * size_t(p.ifmDepth);
  std::vector<int16_t> w(size_t(o.depth) * kSize, 0);
  std::vector<ScaleBiasEntry> sb(size_t(o.depth));
  for (int core = 0; core < p.cores; ++core) {
    const uint64_t wb = core ? op.weight1Base : op.weightBase;
    const uint32_t wl = core ? op.weight1Length : op.weightLength;
    const uint64_t sbase = core ? op.scale1Base : op.scaleBase;
    const uint32_t sl = core ? op.scale1Length : op.scaleLength;
    EDGEC_ASSIGN_OR_RETURN(const uint8_t *wp, span(ctx, op.weightRegion, wb, wl, what + " weights"));
    auto stream = decodeWeightStream(wp, wl);
    if (!stream) return stream.error().withContext(what + ": ");
    if (Status s = unreorderWeights(p, *stream, w, core); !s.isOk())
      return s.error().withContext(what + ": ");
    const size_t channels = size_t((o.depth - core + p.cores - 1) / p.cores);
    EDGEC_ASSIGN_OR_RETURN(const uint8_t *sp, span(ctx, op.scaleRegion, sbase, sl, what + " scales"));
    auto entries = decodeScaleBiasStream(sp, sl, channels);
    if (!entries) return entries.error().withContext(what + ": ");
    for (size_t k = 0; k < channels; ++k)
      sb[k * size_t(p.cores) + size_t(core)] = (*entries)[k];
  }

  EDGEC_ASSIGN_OR_RETURN(Lut lut, lutFor(op, ctx.shram.data(), ctx.shram.size()));
  const ClampRange range = clampRange(op);
  for (int y = 0; y < o.height; ++y)
    for (int x = 0; x < o.width; ++x)
      for (int oc = 0; oc < o.depth; ++oc) {
        int64_t acc = sb[size_t(oc)].bias;
        const int16_t *wk = w.data() + size_t(oc) * kSize;
        for (int ky = 0; ky < op.kernelH; ++ky) {
          const int iy = y * op.strideY - op.padTop + ky * op.dilationY;
          if (iy < 0 || iy >= ifm.height) continue;
          for (int kx = 0; kx < op.kernelW; ++kx) {
            const int ix = x * op.strideX - op.padLeft + kx * op.dilationX;
            if (ix < 0 || ix >= ifm.width) continue;
            const int64_t *px = in.data() + (size_t(iy) * size_t(ifm.width) + size_t(ix)) * size_t(ifm.depth);
            const int16_t *pw = wk + (size_t(ky) * size_t(op.kernelW) + size_t(kx)) * size_t(p.ifmDepth);
            if (dw) {
              acc += px[oc] * pw[0];
            } else {
              for (int ic = 0; ic < ifm.depth; ++ic)
                acc += px[ic] * pw[ic];
            }
          }
        }
        const int64_t scaled = scaleAndRound(acc, int64_t(sb[size_t(oc)].multiplier),
                                             sb[size_t(oc)].shift, op.rounding);
        EDGEC_TRY(writeElement(o, ofmR, y, x, oc, finishOutput(scaled, op, range, lut), what + " OFM"));
      }
  ctx.counters.macs += int64_t(o.height) * o.width * o.depth * op.kernelH * op.kernelW * p.ifmDepth;
  ctx.counters.bytesWritten[size_t(o.region & 7)] += featureMapBytes(o);
  return Status::ok();
}

} // namespace edgec::npu
