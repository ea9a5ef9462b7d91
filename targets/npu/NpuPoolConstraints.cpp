// The constraints of AVERAGE_POOL_2D and MAX_POOL_2D (see NpuConstraintRules.h).
#include "targets/npu/NpuConstraintRules.h"

#include <algorithm>

namespace edgec::ethosu::rules {

namespace {

/// A pool whose kernel and stride both equal the IFM's H and W: Vela
/// rewrites it to stride 1x1, VALID padding before it checks constraints
/// (its fixup of pool strides; seen in ../shared/vela: the AVERAGE_POOL_2D
/// of KWS, kernel = stride = 25x5, runs on the NPU).
bool wholeIfmPool(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm()), ks = v.node->attrInts("kernel_shape", {}),
                       st = v.node->attrInts("strides", {1, 1});
  return x.size() == 4 && ks.size() == 2 && st.size() == 2 && ks[0] == x[1] && ks[1] == x[2] &&
         st[0] == ks[0] && st[1] == ks[1];
}

bool validPadding(const OpView &v) {
  if (wholeIfmPool(v)) return true;
  for (int64_t p : v.node->attrInts("pads", {}))
    if (p != 0) return false;
  const std::string a = v.node->attrString("auto_pad", "NOTSET");
  return a != "SAME_UPPER" && a != "SAME_LOWER";
}

Kernel poolKernel(const OpView &v) {
  Kernel k = kernelOf(v);
  if (v.node->opType.rfind("Global", 0) == 0) {
    std::vector<int64_t> x = shapeOf(v.ifm());
    if (x.size() == 4) k.h = std::min<int64_t>(x[1], 1 << 20), k.w = std::min<int64_t>(x[2], 1 << 20);
  }
  if (wholeIfmPool(v)) k.strideH = k.strideW = 1;
  return k;
}

std::string avgKernelSame(const OpView &v) {
  if (validPadding(v)) return "";
  Kernel k = poolKernel(v);
  return k.h >= 1 && k.h <= 8 && k.w >= 1 && k.w <= 8
             ? ""
             : "SAME padding with kernel " + std::to_string(k.w) + "x" + std::to_string(k.h) + " (WxH)";
}

std::string kernelHeight256(const OpView &v) {
  if (v.op == "AVERAGE_POOL_2D" && !validPadding(v)) return "";
  Kernel k = poolKernel(v);
  return k.h >= 1 && k.h <= 256 ? "" : "kernel height " + std::to_string(k.h);
}

std::string kernelArea65536(const OpView &v) {
  if (v.op == "AVERAGE_POOL_2D" && !validPadding(v)) return "";
  Kernel k = poolKernel(v);
  return k.h * k.w >= 1 && k.h * k.w <= 65536 ? "" : "kernel W x H = " + std::to_string(k.h * k.w);
}

std::string poolStride(const OpView &v) { return strideWithin13(poolKernel(v)); }

} // namespace

std::vector<Constraint> poolingConstraints() {
  return {
    {"pool.stride", "Stride values for both width and height must be in the range [1, 3]",
     EDGEC_NPU_SOURCE("AVERAGE_POOL_2D / MAX_POOL_2D"), false, {"AVERAGE_POOL_2D", "MAX_POOL_2D"}, poolStride},
    {"pool.types", "IFM and OFM data types must match",
     EDGEC_NPU_SOURCE("AVERAGE_POOL_2D / MAX_POOL_2D / ABS / LEAKY_RELU / HARD_SWISH / SOFTMAX"), false,
     {"AVERAGE_POOL_2D", "MAX_POOL_2D", "ABS", "LEAKY_RELU", "HARD_SWISH", "SOFTMAX", "MAXIMUM",
      "MINIMUM"},
     typesMatch},
    {"avgpool.same-kernel",
     "Kernel filter values for both width and height must be in the range [1, 8] (SAME padding)",
     EDGEC_NPU_SOURCE("AVERAGE_POOL_2D"), false, {"AVERAGE_POOL_2D"}, avgKernelSame},
    {"pool.kernel-height",
     "Kernel filter height must be in the range [1, 256] (AVERAGE_POOL_2D: with VALID padding)",
     EDGEC_NPU_SOURCE("AVERAGE_POOL_2D / MAX_POOL_2D"), false, {"AVERAGE_POOL_2D", "MAX_POOL_2D"},
     kernelHeight256},
    {"pool.kernel-area",
     "Product of kernel filter width and height must be in the range [1, 65536] "
     "(AVERAGE_POOL_2D: with VALID padding)",
     EDGEC_NPU_SOURCE("AVERAGE_POOL_2D / MAX_POOL_2D"), false, {"AVERAGE_POOL_2D", "MAX_POOL_2D"},
     kernelArea65536},
  };
}

} // namespace edgec::ethosu::rules
