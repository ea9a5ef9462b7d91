// Round trips of the MLW weight-stream encoder/decoder, a hand-built stream
// the decoder must read, and malformed streams it must reject cleanly.
#include "npu/weights/MlwDecoder.h"
#include "npu/weights/MlwEncoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace edgec::npu;

namespace {

void expectRoundTrip(const std::vector<int16_t> &v, const std::string &what) {
  std::vector<uint8_t> enc = encodeWeightStream(v);
  std::vector<uint8_t> vela = encodeWeightStreamVelaHeuristic(v);
  EXPECT_EQ(enc.size() % 16, 0u) << what;
  EXPECT_LE(enc.size(), vela.size()) << what;
  auto dec = decodeWeightStream(enc.data(), enc.size());
  ASSERT_TRUE(dec.isOk()) << what << ": " << dec.error().message();
  EXPECT_EQ(*dec, v) << what;
  auto decVela = decodeWeightStream(vela.data(), vela.size());
  ASSERT_TRUE(decVela.isOk()) << what << ": " << decVela.error().message();
  EXPECT_EQ(*decVela, v) << what;
  EXPECT_EQ(encodeWeightStream(v), enc) << what << ": not deterministic";
}

std::vector<int16_t> laplacian(size_t n, double scale, uint32_t seed) {
  std::mt19937 rng(seed);
  std::exponential_distribution<double> e(1.0 / scale);
  std::bernoulli_distribution sign(0.5);
  std::vector<int16_t> v(n);
  for (int16_t &x : v)
    x = int16_t(std::clamp<long>(std::lround(e(rng)) * (sign(rng) ? -1 : 1), -255, 255));
  return v;
}

std::vector<int16_t> uniform(size_t n, int lo, int hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int16_t> v(n);
  for (int16_t &x : v)
    x = int16_t(d(rng));
  return v;
}

/// LSB-first bit packing for hand-built streams.
struct Bits {
  std::vector<uint8_t> bytes;
  size_t pos = 0;
  void put(int n, uint32_t v) {
    for (int i = 0; i < n; ++i, ++pos) {
      if (pos / 8 >= bytes.size())
        bytes.push_back(0);
      bytes[pos / 8] |= uint8_t(((v >> i) & 1) << (pos % 8));
    }
  }
  void endOfStream() {
    put(3, 7);
    put(int((8 - pos % 8) % 8), 0xFF);
    while (bytes.size() % 16)
      bytes.push_back(0xFF);
  }
};

} // namespace

TEST(NpuMlwCodec, EmptyAndSingleValues) {
  EXPECT_TRUE(encodeWeightStream({}).empty());
  auto dec = decodeWeightStream(nullptr, 0);
  ASSERT_TRUE(dec.isOk());
  EXPECT_TRUE(dec->empty());
  for (int v : {0, 1, -1, 2, -2, 17, -100, 255, -255})
    expectRoundTrip({int16_t(v)}, "single " + std::to_string(v));
}

TEST(NpuMlwCodec, StructuredData) {
  for (size_t n : {1u, 2u, 7u, 100u, 10000u, 32767u, 32768u, 70000u})
    expectRoundTrip(std::vector<int16_t>(n, 0), "zeros " + std::to_string(n));
  expectRoundTrip(std::vector<int16_t>(5000, -7), "constant -7");
  expectRoundTrip(laplacian(20000, 6.0, 1), "peaky");
  expectRoundTrip(laplacian(20000, 40.0, 2), "wide");
  expectRoundTrip(uniform(20000, -255, 255, 3), "uniform 9-bit");
  expectRoundTrip(uniform(20000, -128, 127, 4), "uniform 8-bit");
  // Palette-friendly: a handful of widely spread values.
  std::vector<int16_t> pal = uniform(20000, 0, 5, 5);
  for (int16_t &x : pal)
    x = int16_t(std::array<int, 6>{-200, -90, 0, 33, 150, 255}[size_t(x)]);
  expectRoundTrip(pal, "palette");
  // Sparse: mostly zeros with long runs (zero-run mode).
  std::vector<int16_t> sparse = laplacian(50000, 30.0, 6);
  for (size_t i = 0; i < sparse.size(); ++i)
    if (i % 13 != 0)
      sparse[i] = 0;
  expectRoundTrip(sparse, "sparse");
  // Sections with different distributions back to back.
  std::vector<int16_t> mixed = pal;
  for (auto part : {laplacian(3000, 3.0, 7), uniform(3000, -255, 255, 8), sparse})
    mixed.insert(mixed.end(), part.begin(), part.end());
  expectRoundTrip(mixed, "mixed sections");
}

TEST(NpuMlwCodec, LengthsAroundSliceBoundaries) {
  for (size_t n : {32766u, 32767u, 32768u, 32769u, 65534u, 65535u, 65536u}) {
    expectRoundTrip(laplacian(n, 5.0, uint32_t(n)), "peaky " + std::to_string(n));
    expectRoundTrip(uniform(n, -255, 255, uint32_t(n)), "uniform " + std::to_string(n));
  }
}

TEST(NpuMlwCodec, RandomRoundTrips) {
  std::mt19937 rng(42);
  for (int t = 0; t < 200; ++t) {
    size_t n = std::uniform_int_distribution<size_t>(1, 3000)(rng);
    double scale = std::uniform_real_distribution<double>(0.2, 80.0)(rng);
    std::vector<int16_t> v = laplacian(n, scale, rng());
    double zeroFrac = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    for (int16_t &x : v)
      if (std::uniform_real_distribution<double>(0.0, 1.0)(rng) < zeroFrac)
        x = 0;
    expectRoundTrip(v, "random case " + std::to_string(t));
  }
}

TEST(NpuMlwCodec, CompressionMatchesTheData) {
  // Bounds from the format, not from the encoder: a zero run costs one
  // unary bit per 8 zeros at most (divisor 3); 9-bit uniform data falls
  // back to uncompressed 9-bit indices; a narrow distribution needs well
  // under 8 bits a value.
  EXPECT_LE(encodeWeightStream(std::vector<int16_t>(30000, 0)).size(), 30000u / 64 + 32);
  std::vector<int16_t> u = uniform(30000, -255, 255, 9);
  EXPECT_LE(encodeWeightStream(u).size(), 30000u * 9 / 8 + 64);
  std::vector<int16_t> peaky = laplacian(30000, 2.0, 10);
  EXPECT_LT(encodeWeightStream(peaky).size(), 30000u * 4 / 8);
}

TEST(NpuMlwCodec, DecodesHandBuiltStream) {
  // Slice 1: no zero runs, 3 values, uncompressed, new palette of 2 entries
  // (PALBITS 4: codes 9 and 4, i.e. -4 and +2), direct offset 1. Uncompressed
  // palette indices are 1 bit; index >= 2 would be direct. Values: idx 1, 0, 1.
  Bits b;
  b.put(3, 6);     // ZDIV: no zero runs
  b.put(15, 2);    // SLICELEN - 1
  b.put(3, 7);     // WDIV: uncompressed
  b.put(1, 0);     // WTRUNC
  b.put(1, 1);     // NEWPAL
  b.put(5, 1);     // DIROFS
  b.put(5, 1);     // PALSIZE - 1
  b.put(3, 2);     // PALBITS - 2
  b.put(4, 9);     // palette[0] = -4
  b.put(4, 4);     // palette[1] = +2
  b.put(1, 1);     // remainders of the first (and only) chunk: 1 bit each
  b.put(1, 0);
  b.put(1, 1);
  // Slice 2: same palette, 2 values, GRC divisor 1 untruncated:
  // index 3 (q=1 r=1: direct code 3-2+1 = 2 -> +1), index 2 (q=1 r=0:
  // code 1 -> -0 = 0).
  b.put(3, 6);
  b.put(15, 1);
  b.put(3, 1);
  b.put(1, 0);
  b.put(1, 0);
  b.put(12, 0b11);  // unary0: both quotients > 0
  b.put(2, 0b00);   // unary1: both stop at 1
  b.put(1, 1);      // remainders
  b.put(1, 0);
  b.endOfStream();
  auto dec = decodeWeightStream(b.bytes.data(), b.bytes.size());
  ASSERT_TRUE(dec.isOk()) << dec.error().message();
  EXPECT_EQ(*dec, (std::vector<int16_t>{2, -4, 2, 1, 0}));
}

TEST(NpuMlwCodec, RejectsMalformedStreams) {
  std::vector<int16_t> v = laplacian(3000, 8.0, 11);
  std::vector<uint8_t> enc = encodeWeightStream(v);
  // Every proper prefix that cuts before the end-of-stream marker fails.
  size_t lastGood = enc.size();
  while (lastGood > 0 && enc[lastGood - 1] == 0xFF)
    --lastGood;
  for (size_t n = 1; n < lastGood; n += 7) {
    auto dec = decodeWeightStream(enc.data(), n);
    EXPECT_FALSE(dec.isOk()) << "prefix " << n;
    if (!dec.isOk()) {
      EXPECT_NE(dec.error().message().find("at byte"), std::string::npos);
    }
  }
  // A stream whose first slice sets no palette.
  Bits b;
  b.put(3, 6);
  b.put(15, 0);
  b.put(3, 0);
  b.put(1, 0);
  b.put(1, 0);
  b.endOfStream();
  auto noPal = decodeWeightStream(b.bytes.data(), b.bytes.size());
  ASSERT_FALSE(noPal.isOk());
  EXPECT_NE(noPal.error().message().find("palette"), std::string::npos);
  // Random bytes never crash; whatever decodes is in range.
  std::mt19937 rng(12);
  for (int t = 0; t < 2000; ++t) {
    std::vector<uint8_t> junk(size_t(rng() % 64 + 1));
    for (uint8_t &x : junk)
      x = uint8_t(rng());
    auto dec = decodeWeightStream(junk.data(), junk.size());
    if (dec.isOk()) {
      for (int16_t x : *dec)
        ASSERT_TRUE(x >= -255 && x <= 255);
    }
  }
  // Flipped bits in a valid stream: error or some values, never a crash.
  for (size_t bit = 0; bit < enc.size() * 8; bit += 13) {
    std::vector<uint8_t> bad = enc;
    bad[bit / 8] ^= uint8_t(1u << (bit % 8));
    (void)decodeWeightStream(bad.data(), bad.size());
  }
}
