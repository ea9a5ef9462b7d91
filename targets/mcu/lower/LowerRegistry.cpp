// The explicit list of lowering families of the MCU target.
#include "ir/Annotations.h"
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

const std::vector<Lowering> &allLowerings() {
  static const std::vector<Lowering> all = [] {
    std::vector<Lowering> v;
    registerActivationF32(v);
    registerConvS8(v);
    registerPoolS8(v);
    registerElementwiseS8(v);
    registerSoftmaxS8(v);
    registerUnaryS8(v);
    registerQuantizeRt(v);
    registerDataS8(v);
    registerConvF32(v);
    registerConvTransposeF32(v);
    registerGemmF32(v);
    registerPoolF32(v);
    registerElementwiseF32(v);
    registerSoftmaxF32(v);
    registerDataF32(v);
    registerReduceF32(v);
    registerNormF32(v);
    registerSelect(v);
    registerElementwiseInt(v);
    registerCast(v);
    registerArgMaxF32(v);
    registerCumSum(v);
    registerAttentionF32(v);
    registerTrilu(v);
    registerTopK(v);
    registerLossF32(v);
    registerResizeF32(v);
    registerGatherAny(v);
    registerGeneratorAny(v);
    registerScatterAny(v);
    registerLpF32(v);
    registerGridSampleF32(v);
    registerOneHotBitCast(v);
    return v;
  }();
  return all;
}

const Lowering *findLowering(const Node &n) {
  if (!n.domain.empty()) return nullptr;
  bool integer = isQuantizedNode(n);
  for (const Lowering &l : allLowerings())
    if (l.opType == n.opType &&
        (l.form == Lowering::Any || (l.form == Lowering::Integer) == integer))
      return &l;
  return nullptr;
}

} // namespace edgec::mcu
