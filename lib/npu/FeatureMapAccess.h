// Element addressing of an Ethos-U feature map in its memory region: the
// tile a coordinate falls in (BASE0..3 split at WIDTH0 and HEIGHT0/HEIGHT1),
// then NHWC (x and y strides, channels packed) or NHCWB16 (16-channel
// bricks: STRIDE_C between bricks, 16 elements per x step). Every access is
// bounds-checked against the region.
#pragma once

#include "npu/Operation.h"
#include "support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace edgec::npu {

/// A memory region as the driver hands it over (base address -> bytes).
struct Region {
  uint8_t *data = nullptr;
  size_t size = 0;
};

/// Byte offset of element (y, x, c) inside the feature map's region.
uint64_t elementOffset(const FeatureMap &fm, int y, int x, int c);

/// Error unless the map's elements could lie in the region: at most four
/// times its bytes (tiles may repeat rows), so that a corrupted shape can
/// neither allocate nor loop without bound.
Status checkFeatureMapFits(const FeatureMap &fm, const Region &r, const std::string &what);

/// The most multiply-accumulates (or window positions) one operation may
/// take: a corrupted kernel or shape is an error, not a hang.
inline constexpr int64_t kMaxOperationWork = int64_t(1) << 30;

/// Reads a whole feature map (fm.height x fm.width x fm.depth) as int64
/// values minus the zero point (`subtractZeroPoint`), HWC order. Error when
/// an element lies outside the region.
Expected<std::vector<int64_t>> readFeatureMap(const FeatureMap &fm, const Region &r,
                                              bool subtractZeroPoint, const std::string &what);

/// Writes one element (already clamped to the OFM range), bounds-checked.
Status writeElement(const FeatureMap &fm, const Region &r, int y, int x, int c, int64_t v,
                    const std::string &what);

/// Bytes one element occupies / the footprint of the whole map.
inline int64_t featureMapBytes(const FeatureMap &fm) {
  return int64_t(fm.height) * fm.width * fm.depth * fm.elemBytes;
}

} // namespace edgec::npu
