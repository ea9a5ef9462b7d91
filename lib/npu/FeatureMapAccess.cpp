#include "npu/FeatureMapAccess.h"

namespace edgec::npu {

uint64_t elementOffset(const FeatureMap &fm, int y, int x, int c) {
  int t = 0;
  if (x >= fm.width0) {
    x -= fm.width0;
    t = 1;
    if (y >= fm.height1) {
      y -= fm.height1;
      t += 2;
    }
  } else if (y >= fm.height0) {
    y -= fm.height0;
    t += 2;
  }
  const int64_t es = fm.elemBytes;
  int64_t off = int64_t(y) * fm.strideY;
  if (fm.brick16)
    off += int64_t(x) * 16 * es + int64_t(c / 16) * fm.strideC + int64_t(c % 16) * es;
  else
    off += int64_t(x) * fm.strideX + int64_t(c) * es;
  return fm.base[size_t(t)] + uint64_t(off);
}

namespace {

Error outside(const std::string &what, const FeatureMap &fm, uint64_t off, const Region &r) {
  return Error(ErrorCode::InvalidModel, what + ": element at byte " + std::to_string(off) +
                                            " lies outside region " + std::to_string(fm.region) +
                                            " (" + std::to_string(r.size) + " bytes)");
}

int64_t load(const uint8_t *p, const FeatureMap &fm) {
  switch (fm.elemBytes) {
  case 1: return fm.isSigned ? int64_t(int8_t(p[0])) : int64_t(p[0]);
  case 2: {
    const uint16_t v = uint16_t(p[0] | p[1] << 8);
    return fm.isSigned ? int64_t(int16_t(v)) : int64_t(v);
  }
  default: {
    const uint32_t v = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
    return fm.isSigned ? int64_t(int32_t(v)) : int64_t(v);
  }
  }
}

} // namespace

Status checkFeatureMapFits(const FeatureMap &fm, const Region &r, const std::string &what) {
  const int64_t elements = int64_t(fm.height) * fm.width * fm.depth;
  if (fm.height <= 0 || fm.width <= 0 || fm.depth <= 0 ||
      elements * fm.elemBytes > int64_t(r.size) * 4 + 64)
    return Error(ErrorCode::InvalidModel, what + ": a " + std::to_string(fm.height) + "x" +
                                              std::to_string(fm.width) + "x" + std::to_string(fm.depth) +
                                              " feature map cannot lie in region " +
                                              std::to_string(fm.region) + " (" + std::to_string(r.size) +
                                              " bytes)");
  return Status::ok();
}

Expected<std::vector<int64_t>> readFeatureMap(const FeatureMap &fm, const Region &r,
                                              bool subtractZeroPoint, const std::string &what) {
  EDGEC_TRY(checkFeatureMapFits(fm, r, what));
  std::vector<int64_t> out(size_t(fm.height) * size_t(fm.width) * size_t(fm.depth));
  const int64_t zp = subtractZeroPoint ? fm.zeroPoint : 0;
  size_t i = 0;
  for (int y = 0; y < fm.height; ++y)
    for (int x = 0; x < fm.width; ++x)
      for (int c = 0; c < fm.depth; ++c) {
        const uint64_t off = elementOffset(fm, y, x, c);
        if (off > r.size || uint64_t(fm.elemBytes) > r.size - off) return outside(what, fm, off, r);
        out[i++] = load(r.data + off, fm) - zp;
      }
  return out;
}

Status writeElement(const FeatureMap &fm, const Region &r, int y, int x, int c, int64_t v,
                    const std::string &what) {
  const uint64_t off = elementOffset(fm, y, x, c);
  if (off > r.size || uint64_t(fm.elemBytes) > r.size - off) return outside(what, fm, off, r);
  uint8_t *p = r.data + off;
  const uint32_t u = uint32_t(v);
  for (int b = 0; b < fm.elemBytes; ++b)
    p[b] = uint8_t(u >> (8 * b));
  return Status::ok();
}

} // namespace edgec::npu
