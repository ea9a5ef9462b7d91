// ELEMENTWISE: MUL, ADD, SUB, MIN, MAX, LRELU, ABS, CLZ, SHR, SHL on IFM and
// IFM2 (a feature map with H/W/C broadcast, or the 16-bit scalar), operands
// minus their zero points, swapped when IFM2_BROADCAST reverses them.
// ADD/SUB scale their operands first: in 16-bit mode both by OPA/OPB as
// integers; in 32-bit mode (Vela's "advanced" scaling, bit-exact with
// TensorFlow Lite's ADD) the scaled operand is shifted left by 20 (8-bit) or
// 15 (16-bit), multiplied by OPA with the OPA shift, and the other shifted
// left by one less. The sum then goes through the output stage.
#include "npu/FunctionalModel.h"
#include "npu/OutputStage.h"

#include <algorithm>

namespace edgec::npu {

namespace {

enum Mode : unsigned { Mul = 0, Add, Sub, Min, Max, LRelu, Abs, Clz, Shr, Shl };

int countLeadingZeros(uint32_t v) {
  int n = 0;
  for (uint32_t bit = 0x80000000u; bit && !(v & bit); bit >>= 1)
    ++n;
  return n;
}

int64_t sat32(int64_t v) { return std::clamp<int64_t>(v, INT32_MIN, INT32_MAX); }

} // namespace

Status execElementwise(const Operation &op, ExecContext &ctx) {
  const std::string what = "Ethos-U op " + std::to_string(op.index) + " (" + operationName(op) + ")";
  EDGEC_ASSIGN_OR_RETURN(Region ifmR, ctx.region(op.ifm.region, what + " IFM"));
  EDGEC_ASSIGN_OR_RETURN(Region ofmR, ctx.region(op.ofm.region, what + " OFM"));
  EDGEC_TRY(checkFeatureMapFits(op.ofm, ofmR, what + " OFM"));
  FeatureMap ifm = op.ifm;
  ifm.depth = op.ofm.depth;
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> a, readFeatureMap(ifm, ifmR, true, what + " IFM"));
  ctx.counters.bytesRead[size_t(ifm.region & 7)] += featureMapBytes(ifm);
  std::vector<int64_t> b;
  if (op.hasIfm2 && !op.ifm2IsScalar) {
    EDGEC_ASSIGN_OR_RETURN(Region r2, ctx.region(op.ifm2.region, what + " IFM2"));
    EDGEC_ASSIGN_OR_RETURN(b, readFeatureMap(op.ifm2, r2, true, what + " IFM2"));
    ctx.counters.bytesRead[size_t(op.ifm2.region & 7)] += featureMapBytes(op.ifm2);
  }
  EDGEC_ASSIGN_OR_RETURN(Lut lut, lutFor(op, ctx.shram.data(), ctx.shram.size()));
  const ClampRange range = clampRange(op);
  const int pre = op.ifm.elemBytes == 1 ? 20 : op.ifm.elemBytes == 2 ? 15 : 0;
  const FeatureMap &o = op.ofm;
  const FeatureMap &f2 = op.ifm2;
  size_t i = 0;
  for (int y = 0; y < o.height; ++y)
    for (int x = 0; x < o.width; ++x)
      for (int c = 0; c < o.depth; ++c, ++i) {
        int64_t va = a[i], vb = 0;
        if (op.hasIfm2) {
          if (op.ifm2IsScalar) {
            vb = int64_t(op.ifm2Scalar) - f2.zeroPoint;
          } else {
            const size_t j = (size_t(op.broadcastH ? 0 : y) * size_t(f2.width) +
                              size_t(op.broadcastW ? 0 : x)) * size_t(f2.depth) +
                             size_t(op.broadcastC ? 0 : c);
            vb = b[j];
          }
          if (op.reversedOperands) std::swap(va, vb);
        }
        int64_t res = 0;
        int64_t scale = int64_t(op.ofmScale);
        switch (op.mode) {
        case Mul:
          res = va * vb;
          // 32-bit operands: the product is scaled by the shift alone.
          if (op.ifm.elemBytes == 4) scale = 1;
          break;
        case Add:
        case Sub: {
          int64_t sa, sb;
          if (op.ifmScaleMode == 1) {
            sa = scaleAndRound(va * (int64_t(1) << pre), int64_t(op.opaScale), op.opaShift + pre, op.rounding);
            sb = pre ? vb * (int64_t(1) << (pre - 1)) : vb;
          } else if (op.ifmScaleMode == 2) {
            sb = scaleAndRound(vb * (int64_t(1) << pre), int64_t(op.opaScale), op.opaShift + pre, op.rounding);
            sa = pre ? va * (int64_t(1) << (pre - 1)) : va;
          } else {
            sa = va * int64_t(int64_t(op.opaScale));
            sb = vb * int64_t(op.opbScale);
          }
          res = op.mode == Add ? sa + sb : sa - sb;
          break;
        }
        case Min: res = std::min(va, vb); break;
        case Max: res = std::max(va, vb); break;
        case LRelu:
          if (va >= 0) {
            res = va;
            scale = 1;
          } else {
            res = va;
          }
          break;
        case Abs: res = va < 0 ? -va : va; break;
        case Clz: res = countLeadingZeros(uint32_t(va)); break;
        case Shr: res = shiftRound(va, int(std::clamp<int64_t>(vb, 0, 63)), op.rounding); break;
        case Shl: res = sat32(va * (int64_t(1) << std::clamp<int64_t>(vb, 0, 31))); break;
        default:
          return Error(ErrorCode::InvalidModel, what + ": unknown mode " + std::to_string(op.mode));
        }
        int64_t scaled;
        if (op.mode == LRelu && va >= 0) scaled = res;
        else scaled = scaleAndRound(res, scale, op.ofmShift, op.rounding);
        EDGEC_TRY(writeElement(o, ofmR, y, x, c, finishOutput(scaled, op, range, lut), what + " OFM"));
      }
  ctx.counters.bytesWritten[size_t(o.region & 7)] += featureMapBytes(o);
  return Status::ok();
}

} // namespace edgec::npu
