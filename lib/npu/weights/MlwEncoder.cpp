// The encoder follows Vela's mlw_encode.c strategy, restated: split the
// stream into palette sections where the set of values changes, choose per
// section a palette (the up to 32 most frequent values, used when they
// cover more than half of the weights) and zero-run mode (zero much more
// frequent than any other value), then pick Golomb-Rice parameters along
// the weight and zero-run streams with a Viterbi-like search and cut slices
// where the parameters change. encodeWeightStream adds a search over
// alternative choices per section and keeps the smallest.
#include "npu/weights/MlwEncoder.h"

#include "npu/weights/MlwFormat.h"

#include <algorithm>
#include <array>

namespace edgec::npu {

namespace {

/// LSB-first bit writer; a counting writer only measures.
class BitWriter {
public:
  explicit BitWriter(bool countOnly = false) : countOnly_(countOnly) {}
  void put(int n, uint32_t v) {
    if (countOnly_) {
      pos_ += size_t(n);
      return;
    }
    while (n > 0) {
      if ((pos_ >> 3) >= bytes_.size())
        bytes_.push_back(0);
      const int off = int(pos_ & 7), take = std::min(8 - off, n);
      bytes_[pos_ >> 3] = uint8_t(bytes_[pos_ >> 3] | ((v & ((1u << take) - 1)) << off));
      v >>= take;
      n -= take;
      pos_ += size_t(take);
    }
  }
  void append(const BitWriter &o) {
    if (countOnly_ || o.countOnly_) {
      pos_ += o.pos_;
      return;
    }
    size_t full = o.pos_ >> 3;
    for (size_t i = 0; i < full; ++i)
      put(8, o.bytes_[i]);
    if (o.pos_ & 7)
      put(int(o.pos_ & 7), o.bytes_[full]);
  }
  size_t bits() const { return pos_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

private:
  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
  bool countOnly_ = false;
};

/// Sign/magnitude code of a value: magnitude << 1 | sign.
int signMagnitude(int v) { return v < 0 ? (-v << 1) | 1 : v << 1; }
int fromSignMagnitude(int sm) { return (sm & 1) ? -(sm >> 1) : (sm >> 1); }

int paletteIndexBits(int size) {
  for (int i = 7; i >= 0; --i)
    if (size > (1 << i))
      return i + 1;
  return 0;
}

bool isPowerOfTwoOrZero(int x) { return ((x - 1) & x) == 0; }

/// Vela's search for positions where a new palette pays off.
std::vector<int> searchPaletteSections(const std::vector<int16_t> &buf) {
  const int size = int(buf.size());
  static constexpr int kWindows[] = {32, 64, 128, 256, 512};
  std::vector<int> restarts = {0};
  std::array<int, 512> prevIdx;
  prevIdx.fill(-1);
  int lastRestart = 0, paletteSize = 0, zeroCnt = 0;
  bool gotPalette = false;
  for (int i = 0; i < size; ++i) {
    const int excludeZero = zeroCnt > (i - lastRestart) / 4 ? 1 : 0;
    if (gotPalette && prevIdx[size_t(buf[size_t(i)] + 256)] < lastRestart) {
      // A value outside the current palette: it grows by one entry; when that
      // costs an index bit on a long section, start a new one.
      ++paletteSize;
      if (isPowerOfTwoOrZero(paletteSize - 1 - excludeZero) &&
          ((i - lastRestart - zeroCnt) > 512 || (paletteSize - excludeZero) > 32)) {
        restarts.push_back(i);
        lastRestart = i;
        gotPalette = false;
        zeroCnt = 0;
      }
    }
    prevIdx[size_t(buf[size_t(i)] + 256)] = i;
    if (buf[size_t(i)] == 0)
      ++zeroCnt;
    for (int window : kWindows) {
      const int n = window * (gotPalette ? 2 : 1);
      const int nonZero = i - lastRestart - zeroCnt;
      if (nonZero <= 0 || nonZero % n != 0)
        continue;
      // The position n non-zero values back: the candidate restart.
      int j = i, seen = 0;
      for (; j > lastRestart; --j) {
        if (buf[size_t(j)] != 0) {
          if (seen == n + 1)
            break;
          ++seen;
        }
      }
      const int restartIdx = j;
      int newSize = 0;
      for (int v = 0; v < 512; ++v)
        newSize += prevIdx[size_t(v)] >= restartIdx ? 1 : 0;
      bool create = false;
      const int newBits = paletteIndexBits(newSize - excludeZero);
      if (gotPalette) {
        const int oldBits = paletteIndexBits(paletteSize - excludeZero);
        create = n * (oldBits * 15 - newBits * 15) / 16 - newSize * 8 - 20 > 0;
      } else if (newSize - excludeZero <= mlw::kMaxPaletteSize) {
        create = n * (90 - newBits * 15) / 16 - newSize * 8 - 20 > 0;
      }
      if (create) {
        paletteSize = newSize;
        gotPalette = true;
        lastRestart = restartIdx;
        if (restarts.back() != lastRestart)
          restarts.push_back(lastRestart);
        zeroCnt = 0;
        for (int k = lastRestart; k <= i; ++k)
          zeroCnt += buf[size_t(k)] == 0 ? 1 : 0;
      }
    }
  }
  return restarts;
}

struct Palette {
  std::array<int, mlw::kMaxPaletteSize> lut{};
  std::array<int, 512> invLut{}; // value + 256 -> weight index
  int size = 0;
  int bits = 2;
  int directOffset = 0;
  bool zeroRuns = false;
  bool onlyPalette = false;
  bool onlyZeros = false;
};

enum class PaletteChoice { Heuristic, None, Forced };

/// Vela's palette construction from value frequencies (index value + 256),
/// with `choice` overriding its "more than half in the palette" rule.
/// `limit` caps the palette size (Vela: 32).
Palette createPalette(const std::array<int, 512> &freq, bool zeroRuns, PaletteChoice choice,
                      int limit = mlw::kMaxPaletteSize) {
  Palette p;
  p.zeroRuns = zeroRuns;
  // (frequency << 16 | sign/magnitude) sorted descending: most frequent
  // first, ties by larger code.
  std::array<uint64_t, 512> byFreq{};
  int allCnt = 0, allMax = 0;
  for (int v = -255; v < 256; ++v) {
    if (v == 0 && zeroRuns)
      continue;
    const int sm = signMagnitude(v);
    const int f = freq[size_t(v + 256)];
    byFreq[size_t(sm)] = (uint64_t(f) << 16) | uint64_t(sm);
    allCnt += f;
    if (f > 0)
      allMax = std::max(allMax, sm);
  }
  int unused = 0; // unused codes around zero: the direct offset
  while (unused < 31 && (byFreq[size_t(unused)] >> 16) == 0)
    ++unused;
  p.directOffset = unused;
  std::sort(byFreq.begin(), byFreq.end(), std::greater<uint64_t>());
  p.onlyZeros = (byFreq[0] >> 16) == 0;
  if (p.onlyZeros)
    p.directOffset = 0;
  p.onlyPalette = (byFreq[0] >> 16) > 0 && (byFreq[size_t(limit)] >> 16) == 0;
  // Direct indices (code + palette size - offset) must stay <= 511.
  int maxSize = p.onlyPalette ? limit : std::min(limit, mlw::kMaxWeightIndex - allMax);
  if (maxSize == 1)
    maxSize = 0;
  int n = 0, palMax = 0, palCnt = 0;
  for (; n < maxSize; ++n) {
    const int cnt = int(byFreq[size_t(n)] >> 16);
    if (cnt == 0)
      break;
    p.lut[size_t(n)] = int(byFreq[size_t(n)] & 0xFFFF);
    palMax = std::max(palMax, p.lut[size_t(n)]);
    palCnt += cnt;
  }
  if (n == 1)
    p.lut[size_t(n++)] = 0; // a palette of one entry is not supported
  bool use = choice == PaletteChoice::Heuristic ? palCnt > allCnt / 2
                                                : choice == PaletteChoice::Forced && n > 0;
  int bitsFor = allMax;
  if (use) {
    p.size = n;
    bitsFor = palMax;
  } else {
    p.size = 0;
    p.onlyPalette = false; // uncompressed palette indices need a palette
  }
  p.bits = 2;
  while ((1 << p.bits) <= bitsFor)
    ++p.bits;
  // value -> index: direct codes, then the palette entries over them.
  for (int sm = 0; sm < 512; ++sm)
    p.invLut[size_t(fromSignMagnitude(sm) + 256)] = sm + p.size - p.directOffset;
  for (int i = 0; i < p.size; ++i)
    p.invLut[size_t(fromSignMagnitude(p.lut[size_t(i)]) + 256)] = i;
  return p;
}

std::array<int, 512> frequencies(const int16_t *v, int n) {
  std::array<int, 512> freq{};
  for (int i = 0; i < n; ++i)
    ++freq[size_t(v[i] + 256)];
  return freq;
}

/// Vela's zero-run rule: zero is the most frequent value and more than four
/// times as frequent as the next.
bool zeroRunsPay(const std::array<int, 512> &freq) {
  int f0 = 0, f1 = 0, v0 = 0;
  for (int i = 0; i < 512; ++i) {
    if (freq[size_t(i)] > f0) {
      f1 = f0;
      f0 = freq[size_t(i)];
      v0 = i - 256;
    } else if (freq[size_t(i)] > f1) {
      f1 = freq[size_t(i)];
    }
  }
  return v0 == 0 && f0 > 4 * f1;
}

// GRC parameter configurations: divisor | truncated << 4; 0x20 uncompressed.
constexpr uint8_t kWeightCfgs[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10,
                                   0x11, 0x12, 0x13, 0x14, 0x15, 0x20};
constexpr uint8_t kZeroCfgs[] = {0x00, 0x01, 0x02, 0x03};
constexpr int kNumWeightCfgs = 13, kNumZeroCfgs = 4;
constexpr int kVelaSwitchCost = 40; // Vela's estimate of a new slice's bits

struct Segment {
  int cfg;
  int end; // exclusive end position
};

/// Viterbi-like search for the GRC parameter sequence of minimum estimated
/// bits; `freeSwitches` are (sorted) positions where a switch costs nothing.
std::vector<Segment> searchGrcParams(const std::vector<int> &vals, bool zeroRunMode,
                                     int uncompressedBits,
                                     const std::vector<Segment> &freeSwitches,
                                     int switchCostBits) {
  const int nCfg = zeroRunMode ? kNumZeroCfgs : kNumWeightCfgs;
  const uint8_t *cfgs = zeroRunMode ? kZeroCfgs : kWeightCfgs;
  const size_t n = vals.size();
  std::vector<int> cost(size_t(nCfg), 0);
  std::vector<int> next(static_cast<size_t>(nCfg), 0);
  std::vector<uint8_t> prev(size_t(nCfg) * (n + 1));
  for (int j = 0; j < nCfg; ++j)
    prev[size_t(j)] = uint8_t(j);
  size_t freeIdx = 0;
  for (size_t i = 0; i < n; ++i) {
    int best = cost[0], bestCfg = 0;
    for (int j = 1; j < nCfg; ++j)
      if (cost[size_t(j)] < best) {
        best = cost[size_t(j)];
        bestCfg = j;
      }
    int switchCost = switchCostBits;
    if (freeIdx < freeSwitches.size() && size_t(freeSwitches[freeIdx].end) == i + 1) {
      switchCost = 0;
      ++freeIdx;
    }
    for (int j = 0; j < nCfg; ++j) {
      const int div = cfgs[j] & 15, mode = cfgs[j] >> 4;
      const int q = vals[i] >> div;
      int bits = mode ? std::min(q + 1, 2) + div : q + 1 + div;
      if (!zeroRunMode && ((mode && q > 2) || q > mlw::kMaxGrcQuotient))
        bits = 10000; // not codable with this parameter
      if (mode == 2)
        bits = uncompressedBits;
      if (best + switchCost < cost[size_t(j)]) {
        prev[(i + 1) * size_t(nCfg) + size_t(j)] = uint8_t(bestCfg);
        next[size_t(j)] = best + switchCost + bits;
      } else {
        prev[(i + 1) * size_t(nCfg) + size_t(j)] = uint8_t(j);
        next[size_t(j)] = cost[size_t(j)] + bits;
      }
    }
    cost.swap(next);
  }
  int cfg = 0;
  for (int j = 1; j < nCfg; ++j)
    if (cost[size_t(j)] < cost[size_t(cfg)])
      cfg = j;
  std::vector<Segment> segs;
  int end = int(n);
  for (size_t i = n + 1; i-- > 0;) {
    const int p = prev[i * size_t(nCfg) + size_t(cfg)];
    if (p != cfg || i == 0) {
      segs.push_back({cfg, end});
      cfg = p;
      end = int(i) - 1;
    }
  }
  std::reverse(segs.begin(), segs.end());
  return segs;
}

/// Writes one slice: header, palette when new, then the interleaved chunks.
void encodeSlice(BitWriter &bw, const int *w, const int *z, int n, const Palette &p,
                 bool newPalette, int uncompressedBits, int wCfg, int zCfg) {
  int wdiv = kWeightCfgs[wCfg] & 15;
  const bool wtrunc = (kWeightCfgs[wCfg] >> 4) == 1;
  const bool uncompressed = (kWeightCfgs[wCfg] >> 4) == 2;
  const int zdiv = kZeroCfgs[zCfg] & 15;
  if (uncompressed)
    wdiv = uncompressedBits;
  bw.put(3, uint32_t(p.zeroRuns ? zdiv : mlw::kZdivNoZeroRuns));
  bw.put(15, uint32_t(n - 1));
  bw.put(3, uint32_t(uncompressed ? mlw::kWdivUncompressed : wdiv));
  bw.put(1, wtrunc);
  bw.put(1, newPalette);
  if (newPalette) {
    bw.put(5, uint32_t(p.directOffset));
    bw.put(5, uint32_t(std::max(0, p.size - 1)));
    bw.put(3, uint32_t(p.bits - 2));
    for (int i = 0; i < p.size; ++i)
      bw.put(p.bits, uint32_t(p.lut[size_t(i)]));
  }
  const int nz = n + (newPalette ? 1 : 0);
  const int zChunk = mlw::zeroRunChunkBits(zdiv);
  const int wPositions =
      uncompressed && wdiv > 5 ? mlw::kUncompressedWideChunk : mlw::kWeightChunkPositions;
  int wPos = 0, zPos = 0, wq = -1, wr = 0, zq = -1, zr = 0;
  std::array<int, 12> wRem{}, zRem{}, wPrevRem{}, zPrevRem{};
  int wn = 0, zn = 0, wPrevN = 0, zPrevN = 0;
  bool wPrev = false, zPrev = false;
  do {
    const int balance = p.zeroRuns ? wPos - zPos : 0;
    const bool wOn = balance < 8 && wPos < n;
    const bool zOn = balance >= 0 && p.zeroRuns && zPos < nz;
    uint32_t unary0 = 0, unary1 = 0, zUnary = 0;
    int unary1Len = 0;
    if (wOn) {
      wn = 0;
      for (int j = 0; j < wPositions;) {
        if (wq < 0) {
          if (wPos < n) {
            wq = w[wPos] >> wdiv;
            wr = w[wPos] & ((1 << wdiv) - 1);
          } else {
            wq = 0;
            wr = -1; // padding position: no remainder
          }
        }
        for (; wq >= 0 && j < wPositions; ++j) {
          if (wq > 0) {
            unary0 |= 1u << j;
            unary1 |= uint32_t(wq > 1) << unary1Len++;
          }
          wq -= wtrunc ? 3 : 2;
        }
        if (wq < 0 && wr >= 0) {
          wRem[size_t(wn++)] = wr;
          ++wPos;
        }
      }
    }
    if (zOn) {
      zn = 0;
      for (int j = 0; j < zChunk;) {
        if (zq < 0) {
          if (zPos < nz) {
            zq = z[zPos] >> zdiv;
            zr = z[zPos] & ((1 << zdiv) - 1);
          } else {
            zq = 0;
            zr = -1;
          }
        }
        for (; zq >= 0 && j < zChunk; ++j, --zq)
          zUnary |= uint32_t(zq > 0) << j;
        if (zq < 0 && zr >= 0) {
          zRem[size_t(zn++)] = zr;
          ++zPos;
        }
      }
    }
    if (wOn && !uncompressed)
      bw.put(mlw::kWeightChunkPositions, unary0);
    if (zOn)
      bw.put(zChunk, zUnary);
    if (wOn && !uncompressed)
      bw.put(unary1Len, unary1);
    for (int i = 0; wPrev && i < wPrevN; ++i)
      bw.put(wdiv, uint32_t(wPrevRem[size_t(i)]));
    for (int i = 0; zPrev && i < zPrevN; ++i)
      bw.put(zdiv, uint32_t(zPrevRem[size_t(i)]));
    wPrev = wOn;
    wPrevN = wn;
    wPrevRem = wRem;
    zPrev = zOn;
    zPrevN = zn;
    zPrevRem = zRem;
  } while (wPrev || zPrev);
}

/// One palette section: weight indices and zero runs, GRC search, slices.
BitWriter encodeSection(const int16_t *in, int size, const Palette &p,
                        int switchCost = kVelaSwitchCost, bool countOnly = false) {
  int uncompressedBits = 100; // uncompressed is not possible
  if (p.onlyPalette && p.size > 0) {
    uncompressedBits = 0;
    while ((1 << uncompressedBits) < p.size)
      ++uncompressedBits;
  } else if (p.size == 0) {
    uncompressedBits = p.bits;
  }
  std::vector<int> weights, zruns;
  for (int i = 0;;) {
    if (p.zeroRuns) {
      int run = 0;
      // An all-zero section codes its first zero as a weight so that the
      // slice is not empty.
      if (!p.onlyZeros || i > 0)
        for (; i < size && in[i] == 0; ++i)
          ++run;
      zruns.push_back(run);
    }
    if (i == size)
      break;
    weights.push_back(p.invLut[size_t(in[i] + 256)]);
    ++i;
  }
  const int nw = int(weights.size());
  std::vector<Segment> wSegs = searchGrcParams(weights, false, uncompressedBits, {}, switchCost);
  std::vector<Segment> zSegs;
  if (p.zeroRuns)
    zSegs = searchGrcParams(zruns, true, 0, wSegs, switchCost);
  BitWriter bw(countOnly);
  size_t iw = 0, iz = 0;
  bool newPalette = true;
  for (int pos = 0; pos < nw || newPalette;) {
    int end = pos + mlw::kMaxSliceLength;
    if (iw < wSegs.size() && wSegs[iw].end < end)
      end = wSegs[iw].end;
    if (iz < zSegs.size() && zSegs[iz].end < end)
      end = zSegs[iz].end;
    end = std::min(end, nw);
    const int *z = p.zeroRuns ? zruns.data() + pos + (newPalette ? 0 : 1) : nullptr;
    encodeSlice(bw, weights.data() + pos, z, end - pos, p, newPalette, uncompressedBits,
                wSegs[std::min(iw, wSegs.size() - 1)].cfg,
                zSegs.empty() ? 0 : zSegs[std::min(iz, zSegs.size() - 1)].cfg);
    newPalette = false;
    if (iw < wSegs.size() && wSegs[iw].end == end)
      ++iw;
    if (iz < zSegs.size() && zSegs[iz].end == end)
      ++iz;
    pos = end;
  }
  return bw;
}

BitWriter encodeSectionVela(const int16_t *in, int size) {
  std::array<int, 512> freq = frequencies(in, size);
  return encodeSection(in, size, createPalette(freq, zeroRunsPay(freq), PaletteChoice::Heuristic));
}

/// The smallest of the candidate codings of one section: Vela's choice
/// first (kept on ties), then zero runs on and off, without a palette, with
/// palettes of at most 32/16/8/4 entries, each with three slice-switch cost
/// estimates for the GRC parameter search.
BitWriter encodeSectionBest(const int16_t *in, int size) {
  std::array<int, 512> freq = frequencies(in, size);
  const bool velaZeroRuns = zeroRunsPay(freq);
  const Palette vela = createPalette(freq, velaZeroRuns, PaletteChoice::Heuristic);
  size_t bestBits = encodeSection(in, size, vela, kVelaSwitchCost, true).bits();
  Palette bestPalette = vela;
  int bestSwitchCost = kVelaSwitchCost;
  for (bool zeroRuns : {velaZeroRuns, !velaZeroRuns}) {
    std::vector<Palette> palettes;
    palettes.push_back(createPalette(freq, zeroRuns, PaletteChoice::Heuristic));
    palettes.push_back(createPalette(freq, zeroRuns, PaletteChoice::None));
    for (int limit : {32, 16, 8, 4})
      palettes.push_back(createPalette(freq, zeroRuns, PaletteChoice::Forced, limit));
    for (const Palette &p : palettes)
      for (int switchCost : {kVelaSwitchCost, 24, 64}) {
        size_t bits = encodeSection(in, size, p, switchCost, true).bits();
        if (bits < bestBits) {
          bestBits = bits;
          bestPalette = p;
          bestSwitchCost = switchCost;
        }
      }
  }
  return encodeSection(in, size, bestPalette, bestSwitchCost);
}

std::vector<uint8_t> finish(BitWriter &bw) {
  bw.put(3, mlw::kZdivEndOfStream);
  bw.put(int((8 - (bw.bits() & 7)) & 7), 0xFF);
  while (bw.bits() % (8 * mlw::kStreamAlignment) != 0)
    bw.put(8, 0xFF);
  return bw.take();
}

std::vector<int16_t> clamped(const std::vector<int16_t> &values) {
  std::vector<int16_t> v(values);
  for (int16_t &x : v)
    x = int16_t(std::clamp<int>(x, -255, 255));
  return v;
}

template <typename SectionCoder>
BitWriter encodeSections(const std::vector<int16_t> &v, const std::vector<int> &restarts,
                         SectionCoder code) {
  BitWriter bw;
  for (size_t i = 0; i < restarts.size(); ++i) {
    const int pos = restarts[i];
    const int end = i + 1 < restarts.size() ? restarts[i + 1] : int(v.size());
    bw.append(code(v.data() + pos, end - pos));
  }
  return bw;
}

} // namespace

std::vector<uint8_t> encodeWeightStreamVelaHeuristic(const std::vector<int16_t> &values) {
  if (values.empty())
    return {};
  std::vector<int16_t> v = clamped(values);
  BitWriter bw = encodeSections(v, searchPaletteSections(v), encodeSectionVela);
  return finish(bw);
}

std::vector<uint8_t> encodeWeightStream(const std::vector<int16_t> &values) {
  if (values.empty())
    return {};
  std::vector<int16_t> v = clamped(values);
  std::vector<int> restarts = searchPaletteSections(v);
  BitWriter best = encodeSections(v, restarts, encodeSectionBest);
  if (restarts.size() > 1) {
    BitWriter whole = encodeSections(v, {0}, encodeSectionBest);
    if (whole.bits() < best.bits())
      best = std::move(whole);
  }
  return finish(best);
}

} // namespace edgec::npu
