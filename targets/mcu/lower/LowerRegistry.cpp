// The explicit list of lowering families of the MCU target.
#include "interp/FusedOps.h"
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

const std::vector<Lowering> &allLowerings() {
  static const std::vector<Lowering> all = [] {
    std::vector<Lowering> v;
    registerActivationF32(v);
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
