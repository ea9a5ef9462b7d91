#include "qmath/LookupTable.h"

#include <algorithm>
#include <cmath>

namespace edgec::qmath {

std::vector<int32_t> populateLookupTable(TensorQ xq, DataType xt, TensorQ yq,
                                         DataType yt,
                                         const std::function<float(float)> &f) {
  const QRange xr = rangeOf(xt);
  std::vector<int32_t> table((size_t)((int64_t)xr.max - xr.min + 1));
  for (int64_t v = xr.min; v <= xr.max; ++v) {
    const float dq = xq.scale * (float)(v - xq.zeroPoint);
    table[(size_t)(v - xr.min)] = lookupTableEntry(f(dq), yq, yt);
  }
  return table;
}

int32_t lookupTableEntry(float fv, TensorQ yq, DataType yt) {
  const float inverseScale = 1 / yq.scale;
  const float q = std::round(fv * inverseScale) + (float)yq.zeroPoint;
  if (std::isnan(q)) return yq.zeroPoint;
  return clampTo((int64_t)std::clamp(q, -2147483648.0f, 2147483520.0f),
                 rangeOf(yt));
}

} // namespace edgec::qmath
