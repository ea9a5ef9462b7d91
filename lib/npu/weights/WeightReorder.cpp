#include "npu/weights/WeightReorder.h"

#include <algorithm>
#include <string>

namespace edgec::npu {

namespace {

constexpr int kSubKernelMax = 8; // largest sub-kernel side the hardware runs

int roundUp(int v, int m) { return (v + m - 1) / m * m; }

/// Walks `core`'s stream in hardware order and calls emit(index) for each
/// position: the OHWI index of the weight it holds, or -1 for padding.
template <typename Emit> void traverse(const WeightReorderParams &p, int core, Emit emit) {
  const bool depthwise = p.traversal == WeightTraversal::Depthwise;
  const bool partKernel = p.traversal == WeightTraversal::PartKernelFirst;
  const int ofmDepth = core < p.ofmDepth ? (p.ofmDepth - core + p.cores - 1) / p.cores : 0;
  const int ofmBlockDepth = std::max(1, (p.ofmBlockDepth + p.cores - 1 - core) / p.cores);
  const int ifmDepth = p.ifmDepth;
  const int ifmBlockDepth = partKernel || p.ifmBits == 16 ? 16 : 32;
  const int decompH = kSubKernelMax / p.dilationY, decompW = kSubKernelMax / p.dilationX;
  const int ifmU = p.ifmUblockDepth, ofmU = p.ofmUblockDepth;
  auto index = [&](int o, int y, int x, int i) {
    long global = long(core) + long(o) * p.cores;
    return ((global * p.kernelHeight + y) * p.kernelWidth + x) * ifmDepth + i;
  };
  for (int ofmBlock = 0; ofmBlock < ofmDepth; ofmBlock += ofmBlockDepth) {
    const int ofmBlockLen = std::min(ofmBlockDepth, ofmDepth - ofmBlock);
    for (int ifmBlock = 0; ifmBlock < (depthwise ? 1 : ifmDepth); ifmBlock += ifmBlockDepth) {
      int ifmBlockLen = depthwise    ? ifmU
                        : partKernel ? std::min(ifmBlockDepth, ifmDepth - ifmBlock)
                                     : ifmBlockDepth;
      for (int subY = 0; subY < p.kernelHeight; subY += decompH) {
        const int subH = std::min(p.kernelHeight - subY, decompH);
        for (int subX = 0; subX < p.kernelWidth; subX += decompW) {
          const int subW = std::min(p.kernelWidth - subX, decompW);
          int elements = subW * subH;
          if (partKernel)
            elements = roundUp(elements, p.ifmBits == 16 ? 2 : 4);
          else if (depthwise)
            elements = roundUp(elements, 4);
          const int outerLen = partKernel ? ifmBlockLen : 1;
          const int innerLen = partKernel ? 1 : ifmBlockLen;
          for (int ifmOuter = 0; ifmOuter < outerLen; ifmOuter += ifmU) {
            for (int ofmUblock = 0; ofmUblock < ofmBlockLen; ofmUblock += ofmU) {
              for (int e = 0; e < elements; ++e) {
                const int kx = e % subW, ky = e / subW;
                for (int ifmInner = 0; ifmInner < innerLen; ifmInner += ifmU) {
                  for (int oz = 0; oz < ofmU; ++oz) {
                    for (int iz = 0; iz < (depthwise ? 1 : ifmU); ++iz) {
                      const int ifmZ = ifmBlock + ifmInner + ifmOuter + iz;
                      const int ofmZ = ofmBlock + ofmUblock + oz;
                      // The micro-block may run past the OFM block: Vela's
                      // bound is the slice depth, not the block's.
                      if (ifmZ < ifmDepth && ofmZ < ofmDepth && ky < subH)
                        emit(index(ofmZ, subY + ky, subX + kx, ifmZ));
                      else
                        emit(-1L);
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

} // namespace

Status checkWeightReorderParams(const WeightReorderParams &p) {
  auto bad = [](const std::string &what) {
    return makeError(ErrorCode::InvalidModel, "weight layout: " + what);
  };
  constexpr int kMaxSide = 1 << 16;
  if (p.ofmDepth < 1 || p.kernelHeight < 1 || p.kernelWidth < 1 || p.ifmDepth < 1 ||
      p.ofmDepth > kMaxSide || p.kernelHeight > kMaxSide || p.kernelWidth > kMaxSide ||
      p.ifmDepth > kMaxSide)
    return bad("sizes must be 1.." + std::to_string(kMaxSide));
  if (double(p.ofmDepth) * p.kernelHeight * p.kernelWidth * p.ifmDepth > double(1 << 28))
    return bad("weight volume too large");
  if (p.ifmBits != 8 && p.ifmBits != 16)
    return bad("IFM element size must be 8 or 16 bits");
  if ((p.dilationX != 1 && p.dilationX != 2) || (p.dilationY != 1 && p.dilationY != 2))
    return bad("dilation must be 1 or 2");
  if (p.cores < 1 || p.cores > 2)
    return bad("cores must be 1 or 2");
  if (p.ofmBlockDepth < p.cores || p.ofmBlockDepth > 1024)
    return bad("OFM block depth must be cores..1024");
  if (p.ofmUblockDepth < 1 || p.ofmUblockDepth > 64 || p.ifmUblockDepth < 1 ||
      p.ifmUblockDepth > 64)
    return bad("micro-block depths must be 1..64");
  if (p.traversal == WeightTraversal::Depthwise && p.ifmDepth != 1)
    return bad("depthwise weights have one input channel");
  return Status();
}

static Status checkCore(const WeightReorderParams &p, int core) {
  if (core < 0 || core >= p.cores)
    return makeError(ErrorCode::InvalidModel,
                     "weight layout: core " + std::to_string(core) + " out of range");
  return Status();
}

size_t reorderedLength(const WeightReorderParams &p, int core) {
  if (!checkWeightReorderParams(p).isOk() || !checkCore(p, core).isOk())
    return 0;
  size_t n = 0;
  traverse(p, core, [&](long) { ++n; });
  return n;
}

Expected<std::vector<int16_t>> reorderWeights(const WeightReorderParams &p, const int8_t *ohwi,
                                              const std::vector<int32_t> &zeroPoints,
                                              int core) {
  EDGEC_TRY(checkWeightReorderParams(p));
  EDGEC_TRY(checkCore(p, core));
  if (zeroPoints.size() > 1 && zeroPoints.size() != size_t(p.ofmDepth))
    return makeError(ErrorCode::InvalidModel,
                     "weight layout: " + std::to_string(zeroPoints.size()) +
                         " zero points for " + std::to_string(p.ofmDepth) + " output channels");
  std::vector<int16_t> out;
  const long perOfm = long(p.kernelHeight) * p.kernelWidth * p.ifmDepth;
  long bad = -1;
  traverse(p, core, [&](long idx) {
    if (idx < 0) {
      out.push_back(0);
      return;
    }
    size_t o = size_t(idx / perOfm);
    int32_t zp = zeroPoints.empty() ? 0 : zeroPoints[zeroPoints.size() == 1 ? 0 : o];
    int32_t v = int32_t(ohwi[idx]) - zp;
    if ((v < -255 || v > 255) && bad < 0)
      bad = idx;
    out.push_back(int16_t(std::clamp(v, -255, 255)));
  });
  if (bad >= 0)
    return makeError(ErrorCode::Unsupported, "weight " + std::to_string(bad) +
                                                 " minus its zero point is outside -255..255");
  return out;
}

Status unreorderWeights(const WeightReorderParams &p, const std::vector<int16_t> &stream,
                        std::vector<int16_t> &ohwi, int core) {
  EDGEC_TRY(checkWeightReorderParams(p));
  EDGEC_TRY(checkCore(p, core));
  size_t expected = reorderedLength(p, core);
  if (stream.size() != expected)
    return makeError(ErrorCode::InvalidModel,
                     "weight stream holds " + std::to_string(stream.size()) +
                         " values, the layout needs " + std::to_string(expected));
  ohwi.resize(size_t(p.ofmDepth) * p.kernelHeight * p.kernelWidth * p.ifmDepth, 0);
  size_t k = 0;
  long badPad = -1;
  traverse(p, core, [&](long idx) {
    if (idx >= 0)
      ohwi[size_t(idx)] = stream[k];
    else if (stream[k] != 0 && badPad < 0)
      badPad = long(k);
    ++k;
  });
  if (badPad >= 0)
    return makeError(ErrorCode::InvalidModel, "weight stream value " + std::to_string(badPad) +
                                                  " is padding but not zero");
  return Status();
}

} // namespace edgec::npu
