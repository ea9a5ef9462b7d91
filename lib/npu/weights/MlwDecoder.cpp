#include "npu/weights/MlwDecoder.h"

#include "npu/weights/MlwFormat.h"

#include <algorithm>
#include <string>

namespace edgec::npu {

namespace {

/// LSB-first bit reader that never reads past the end: a read past it sets
/// `overrun` and returns zeros.
class BitReader {
public:
  BitReader(const uint8_t *data, size_t size) : data_(data), bits_(size * 8) {}
  uint32_t get(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) {
      if (pos_ >= bits_) {
        overrun_ = true;
        return v;
      }
      v |= uint32_t((data_[pos_ >> 3] >> (pos_ & 7)) & 1) << i;
      ++pos_;
    }
    return v;
  }
  void alignToByte() {
    size_t next = (pos_ + 7) & ~size_t(7);
    pos_ = next <= bits_ ? next : bits_;
  }
  bool atEnd() const { return pos_ >= bits_; }
  bool overrun() const { return overrun_; }
  size_t bytePos() const { return pos_ >> 3; }

private:
  const uint8_t *data_;
  size_t bits_;
  size_t pos_ = 0;
  bool overrun_ = false;
};

Error streamError(size_t byteOffset, const std::string &what) {
  return makeError(ErrorCode::InvalidModel,
                   "weight stream: " + what + " at byte " + std::to_string(byteOffset));
}

struct Palette {
  int size = 0, bits = 0, directOffset = 0;
  int entries[mlw::kMaxPaletteSize] = {};
};

/// Decodes the chunks of one slice: `nw` weight indices and, with zero runs,
/// `nz` zero-run lengths.
Status decodeSliceBody(BitReader &br, int nw, int nz, bool zeroRuns, int wdiv, bool wtrunc,
                       bool uncompressed, int zdiv, std::vector<int> &w, std::vector<int> &z) {
  w.assign(size_t(nw), 0);
  z.assign(size_t(nz), 0);
  const int zChunk = zeroRuns ? mlw::zeroRunChunkBits(zdiv) : 0;
  const int wPositions =
      uncompressed && wdiv > 5 ? mlw::kUncompressedWideChunk : mlw::kWeightChunkPositions;
  int wPos = 0, zPos = 0;         // symbols whose quotient is known
  int wDone = 0, zDone = 0;       // symbols whose remainder has been read
  int wCarry = 0, zCarry = 0;     // quotient spilling into the next chunk
  int wq[mlw::kWeightChunkPositions], zq[mlw::kWeightChunkPositions];
  int wPrevQ[mlw::kWeightChunkPositions], zPrevQ[mlw::kWeightChunkPositions];
  int wn = 0, zn = 0, wPrevN = 0, zPrevN = 0;
  bool wPrev = false, zPrev = false;
  do {
    size_t chunkAt = br.bytePos();
    int balance = zeroRuns ? wPos - zPos : 0;
    bool wOn = (balance < 8 || !zeroRuns) && wPos < nw;
    bool zOn = zeroRuns && balance >= 0 && zPos < nz;
    uint32_t unary0 = 0;
    if (wOn && !uncompressed)
      unary0 = br.get(mlw::kWeightChunkPositions);
    if (zOn) {
      uint32_t unary = br.get(zChunk);
      zn = 0;
      for (int i = 0; i < zChunk; ++i) {
        if (unary & (1u << i)) {
          ++zCarry;
        } else {
          zq[zn++] = zCarry;
          zCarry = 0;
        }
      }
      zPos += zn;
    }
    if (wOn) {
      int ones = 0;
      for (int i = 0; i < wPositions; ++i)
        ones += (unary0 >> i) & 1;
      uint32_t unary1 = br.get(ones);
      wn = 0;
      for (int i = 0; i < wPositions; ++i) {
        int code = 0;
        if (unary0 & (1u << i)) {
          code = 1 + int(unary1 & 1);
          unary1 >>= 1;
        }
        wCarry += code;
        if (code < 2 || wtrunc) {
          wq[wn++] = wCarry;
          wCarry = 0;
        }
      }
      if (wCarry > mlw::kMaxWeightIndex)
        return streamError(chunkAt, "weight quotient out of range");
      wPos += wn;
    }
    if (zCarry > int(kMlwMaxDecodedValues))
      return streamError(chunkAt, "zero run out of range");
    if (wPrev) {
      for (int i = 0; i < wPrevN && wDone < nw; ++i, ++wDone) {
        int q = wPrevQ[i];
        if (q > mlw::kMaxWeightIndex)
          return streamError(chunkAt, "weight quotient out of range");
        int v = (q << wdiv) + int(br.get(wdiv));
        if (v > mlw::kMaxWeightIndex)
          return streamError(chunkAt, "weight index " + std::to_string(v) + " out of range");
        w[size_t(wDone)] = v;
      }
    }
    if (zPrev) {
      for (int i = 0; i < zPrevN && zDone < nz; ++i, ++zDone)
        z[size_t(zDone)] = (zPrevQ[i] << zdiv) + int(br.get(zdiv));
    }
    if (br.overrun())
      return streamError(chunkAt, "truncated slice");
    wPrev = wOn;
    wPrevN = wOn ? wn : 0;
    std::copy(wq, wq + wPrevN, wPrevQ);
    zPrev = zOn;
    zPrevN = zOn ? zn : 0;
    std::copy(zq, zq + zPrevN, zPrevQ);
  } while (wPrev || zPrev);
  if (wDone < nw || (zeroRuns && zDone < nz))
    return streamError(br.bytePos(), "slice ends before its values");
  return Status();
}

} // namespace

Expected<std::vector<int16_t>> decodeWeightStream(const uint8_t *data, size_t size) {
  std::vector<int16_t> out;
  if (size == 0)
    return out;
  if (!data)
    return streamError(0, "no data");
  BitReader br(data, size);
  Palette pal;
  bool needPalette = true, prevZeroRuns = false, ended = false;
  std::vector<int> w, z;
  while (!br.atEnd()) {
    size_t sliceAt = br.bytePos();
    int zdiv = int(br.get(3));
    if (br.overrun())
      return streamError(sliceAt, "truncated slice header");
    if (zdiv == mlw::kZdivEndOfStream) {
      br.alignToByte();
      needPalette = true;
      ended = true;
      continue;
    }
    ended = false;
    if (zdiv > mlw::kMaxZdiv && zdiv != mlw::kZdivNoZeroRuns)
      return streamError(sliceAt, "zero-run divisor " + std::to_string(zdiv) + " is invalid");
    bool zeroRuns = zdiv != mlw::kZdivNoZeroRuns;
    int nw = int(br.get(15)) + 1;
    int wdiv = int(br.get(3));
    bool wtrunc = br.get(1) != 0;
    bool newPalette = br.get(1) != 0;
    if (wdiv > 5 && wdiv != mlw::kWdivUncompressed)
      return streamError(sliceAt, "weight divisor " + std::to_string(wdiv) + " is invalid");
    if (needPalette && !newPalette)
      return streamError(sliceAt, "first slice of a section sets no palette");
    if (!newPalette && zeroRuns != prevZeroRuns)
      return streamError(sliceAt, "zero-run mode changes without a new palette");
    prevZeroRuns = zeroRuns;
    needPalette = false;
    if (newPalette) {
      pal.directOffset = int(br.get(5));
      pal.size = int(br.get(5));
      if (pal.size > 0)
        ++pal.size;
      pal.bits = int(br.get(3)) + 2;
      for (int i = 0; i < pal.size; ++i)
        pal.entries[i] = int(br.get(pal.bits));
    }
    if (br.overrun())
      return streamError(sliceAt, "truncated slice header");
    bool uncompressed = wdiv == mlw::kWdivUncompressed;
    if (uncompressed) {
      // The index width: enough bits for the palette, else the palette bits.
      int bits = 0;
      if (pal.size > 0)
        while ((1 << bits) < pal.size)
          ++bits;
      else
        bits = pal.bits;
      wdiv = bits;
    }
    int nz = zeroRuns ? nw + (newPalette ? 1 : 0) : 0;
    EDGEC_TRY(decodeSliceBody(br, nw, nz, zeroRuns, wdiv, wtrunc, uncompressed, zdiv, w, z));

    size_t total = out.size() + size_t(nw);
    for (int r : z)
      total += size_t(r);
    if (total > kMlwMaxDecodedValues)
      return streamError(sliceAt, "stream decodes to more than " +
                                      std::to_string(kMlwMaxDecodedValues) + " values");
    out.reserve(total);
    size_t zi = 0;
    if (zeroRuns && newPalette)
      out.insert(out.end(), size_t(z[zi++]), int16_t(0));
    for (int i = 0; i < nw; ++i) {
      int idx = w[size_t(i)];
      int v = idx < pal.size ? pal.entries[idx] : idx - pal.size + pal.directOffset;
      if (v > mlw::kMaxWeightIndex)
        return streamError(sliceAt, "weight value " + std::to_string(v) + " out of range");
      int mag = v >> 1;
      out.push_back(int16_t((v & 1) ? -mag : mag));
      if (zeroRuns)
        out.insert(out.end(), size_t(z[zi++]), int16_t(0));
    }
  }
  if (!ended)
    return streamError(size, "no end-of-stream marker");
  return out;
}

} // namespace edgec::npu
