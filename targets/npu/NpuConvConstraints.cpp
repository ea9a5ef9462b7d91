// The constraints of CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED (see
// NpuConstraintRules.h).
#include "targets/npu/NpuConstraintRules.h"

#include <algorithm>
#include <cstdlib>

namespace edgec::ethosu::rules {

namespace {

std::string depthwiseStride(const OpView &v) { return strideWithin13(kernelOf(v)); }

std::string convStride(const OpView &v) {
  Kernel k = kernelOf(v);
  std::vector<int64_t> x = shapeOf(v.ifm());
  bool hOk = k.strideH >= 1 && k.strideH <= 3;
  // Width strides above 3 are split when divisible by 2 or 3 and the IFM
  // width is too (A.6).
  bool wOk = k.strideW >= 1 && k.strideW <= 3;
  if (!wOk && x.size() == 4 && k.strideW > 3)
    for (int64_t f : {2, 3})
      wOk = wOk || (k.strideW % f == 0 && k.strideW / f <= 3 && x[2] % f == 0);
  return hOk && wOk ? "" : strideText(k);
}

std::string dilatedHeight(const OpView &v) {
  Kernel k = kernelOf(v);
  int64_t h = (k.h - 1) * k.dilH + 1;
  return h >= 1 && h <= 64 ? "" : "dilated kernel height " + std::to_string(h);
}

std::string dilatedArea(const OpView &v) {
  Kernel k = kernelOf(v);
  int64_t a = ((k.h - 1) * k.dilH + 1) * ((k.w - 1) * k.dilW + 1);
  return a >= 1 && a <= 4096 ? "" : "dilated kernel W x H = " + std::to_string(a);
}

std::string weights8bit(const OpView &v) {
  if (!v.weights) return "no weight tensor";
  DataType t = v.weights->type.dtype;
  return t == DataType::Int8 || t == DataType::UInt8
             ? ""
             : "weights " + named(v.weights) + " are " + typeName(t);
}

std::string weightsConstant(const OpView &v) {
  if (!v.weights) return "no weight tensor";
  return v.weights->constant ? "" : "weights " + named(v.weights) + " are not constant";
}

std::string weightSum(const OpView &v) {
  if (!v.weights || !v.weights->constant || !v.weights->constant->numElements()) return "";
  std::vector<int64_t> s = shapeOf(v.weights);
  if (s.empty()) return "";
  // Per output channel (axis 0 in the IR's OIHW), the sum of |w - zero point|.
  std::vector<int64_t> w = v.weights->constant->toInt64Vector();
  int64_t perOut = int64_t(w.size()) / std::max<int64_t>(s[0], 1);
  int64_t worst = 0;
  for (int64_t o = 0; o < s[0] && perOut > 0; ++o) {
    int64_t zp = 0;
    if (v.weights->quant && !v.weights->quant->zeroPoint.empty())
      zp = std::clamp<int64_t>(
          v.weights->quant->zeroPoint[size_t(o) % v.weights->quant->zeroPoint.size()],
          -(int64_t(1) << 32), int64_t(1) << 32);
    int64_t sum = 0;
    for (int64_t i = 0; i < perOut; ++i) sum += std::llabs(w[size_t(o * perOut + i)] - zp);
    worst = std::max(worst, sum);
  }
  return worst <= 8323072 ? "" : "a weight sum of " + std::to_string(worst);
}

std::string biasShape(const OpView &v) {
  if (!v.bias) return "";
  return v.bias->type.hasRank && v.bias->type.rank() == 1 ? "" : "bias " + named(v.bias);
}

std::string biasType(const OpView &v) {
  if (!v.bias) return "";
  DataType t = v.bias->type.dtype;
  return t == DataType::Int32 || t == DataType::Int64 ? "" : "bias '" + v.bias->name + "' is " + typeName(t);
}

std::string bias40(const OpView &v) {
  if (!v.bias || !v.bias->constant || isFloatType(v.bias->type.dtype)) return "";
  for (int64_t b : v.bias->constant->toInt64Vector())
    if (b < -(int64_t(1) << 39) || b >= (int64_t(1) << 39))
      return "bias '" + v.bias->name + "' holds " + std::to_string(b);
  return "";
}

std::string groups(const OpView &v) {
  int64_t g = v.node->attrInt("group", 1);
  std::vector<int64_t> x = shapeOf(v.ifm()), w = shapeOf(v.weights);
  if (g <= 1 || x.size() != 4 || w.size() != 4) return "";
  bool ok = w[1] > 0 && x[3] % w[1] == 0 && w[0] % g == 0;
  return ok ? "" : "IFM depth " + std::to_string(x[3]) + ", kernel depth " + std::to_string(w[1]) +
                       ", " + std::to_string(w[0]) + " kernels in " + std::to_string(g) + " groups";
}

std::string depthMultiplier(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm()), y = shapeOf(v.ofm());
  int64_t g = v.node->attrInt("group", 1);
  if (x.size() != 4 || y.size() != 4 || g <= 0) return "";
  int64_t mult = y[3] / std::max<int64_t>(x[3], 1);
  if (mult <= 1) return "";
  return x[3] == 1 && y[3] == mult ? "" : "depth multiplier " + std::to_string(mult) + " with " +
                                              std::to_string(x[3]) + " IFM channels";
}

std::string tconvStride(const OpView &v) {
  Kernel k = kernelOf(v);
  std::vector<int64_t> x = shapeOf(v.ifm());
  if ((k.strideW == 1 && k.strideH == 1) || (k.strideW == 2 && k.strideH == 2)) return "";
  if (k.strideW == 2 && k.strideH == 1 && x.size() == 4 && x[1] == 1 && k.h == 1) return "";
  return strideText(k);
}

std::string tconvOutput(const OpView &v) {
  Kernel k = kernelOf(v);
  std::vector<int64_t> x = shapeOf(v.ifm()), y = shapeOf(v.ofm());
  if (x.size() != 4 || y.size() != 4) return "";
  bool same = y[1] == x[1] * k.strideH && y[2] == x[2] * k.strideW;
  bool valid = y[1] == x[1] * k.strideH + std::max<int64_t>(k.h - k.strideH, 0) &&
               y[2] == x[2] * k.strideW + std::max<int64_t>(k.w - k.strideW, 0);
  return same || valid ? "" : "IFM " + dims(v.ifm()) + ", OFM " + dims(v.ofm()) + ", " + strideText(k);
}

std::string fcOutput2d(const OpView &v) {
  for (const Value *y : v.ofms)
    if (y && y->type.hasRank && y->type.rank() != 2) return "output " + named(y);
  return "";
}

} // namespace

std::vector<Constraint> convConstraints() {
  return {
    {"conv.stride",
     "Stride values for height must be between 1 and 3 and for width between 1 and 3 (or larger "
     "when divisible by 2 or 3, with the IFM width divisible by the same factor)",
     EDGEC_NPU_SOURCE("CONV_2D"), false, {"CONV_2D"}, convStride},
    {"conv.dilated-height", "Dilated kernel height must be in the range [1, 64]",
     EDGEC_NPU_SOURCE("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV"), false, kConvOps, dilatedHeight},
    {"conv.dilated-area", "Product of dilated kernel width and height must be in the range [1, 4096]",
     EDGEC_NPU_SOURCE("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV"), false, kConvOps, dilatedArea},
    {"weights.8bit", "Weight tensor must be 8-bit",
     EDGEC_NPU_SOURCE("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     weights8bit},
    {"weights.constant", "Weight tensor must be constant",
     EDGEC_NPU_SOURCE("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     weightsConstant},
    {"weights.sum", "The sum of the weights cannot exceed 8323072",
     EDGEC_NPU_SOURCE("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV"), false, kConvOps, weightSum},
    {"bias.shape", "Optional Bias tensor must be of shape: 1D",
     EDGEC_NPU_SOURCE("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     biasShape},
    {"bias.type", "Optional Bias tensor must be of type: int32, int64",
     EDGEC_NPU_SOURCE("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     biasType},
    {"bias.40bit", "Optional Bias tensor values must fit within 40-bits",
     EDGEC_NPU_SOURCE("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     bias40},
    {"conv.groups",
     "IFM depth must be a whole multiple of the filter kernel depth, and the number of filter "
     "kernels must be divisible by the number of convolution groups",
     EDGEC_NPU_SOURCE("CONV_2D"), false, {"CONV_2D"}, groups},
    {"depthwise.stride", "Stride values for both width and height must be between 1 and 3",
     EDGEC_NPU_SOURCE("DEPTHWISE_CONV_2D"), false, {"DEPTHWISE_CONV_2D"}, depthwiseStride},
    {"depthwise.multiplier",
     "For depth multipliers > 1, IFM channels must be 1 and OFM channels must be equal to the "
     "depth multiplier",
     EDGEC_NPU_SOURCE("DEPTHWISE_CONV_2D"), false, {"DEPTHWISE_CONV_2D"}, depthMultiplier},
    {"tconv.stride",
     "Stride values for width and height must match one of the following criteria: Stride values "
     "WxH must be 1x1 or 2x2; Stride WxH 2x1 supported if ifm height and kernel height = 1",
     EDGEC_NPU_SOURCE("TRANSPOSE_CONV"), false, {"TRANSPOSE_CONV"}, tconvStride},
    {"tconv.output",
     "SAME padding: OFM dimensions must equal IFM dimensions multiplied by stride; VALID padding: "
     "OFM dimensions must equal IFM dimensions multiplied by stride, minus difference between "
     "kernel size and stride",
     EDGEC_NPU_SOURCE("TRANSPOSE_CONV"), false, {"TRANSPOSE_CONV"}, tconvOutput},
    {"fc.output-2d", "The output tensor(s) must have 2D shape", EDGEC_NPU_SOURCE("FULLY_CONNECTED"), false,
     {"FULLY_CONNECTED"}, fcOutput2d},
  };
}

} // namespace edgec::ethosu::rules
