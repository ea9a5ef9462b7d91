// The 10-byte scale/bias entries: byte layout, sign extension, range errors.
#include "npu/weights/ScaleBias.h"

#include <gtest/gtest.h>

using namespace edgec::npu;

TEST(NpuScaleBias, ByteLayout) {
  ScaleBiasEntry e{-2, 0x12345678u, 0x3F};
  uint8_t b[kScaleBiasEntryBytes];
  ASSERT_TRUE(encodeScaleBias(e, b).isOk());
  const uint8_t expect[] = {0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0x78, 0x56, 0x34, 0x12, 0x3F};
  for (size_t i = 0; i < kScaleBiasEntryBytes; ++i)
    EXPECT_EQ(b[i], expect[i]) << i;
  EXPECT_EQ(decodeScaleBias(b), e);
}

TEST(NpuScaleBias, RoundTripsAndLimits) {
  const int64_t lim = int64_t(1) << 39;
  for (int64_t bias : {int64_t(0), int64_t(1), int64_t(-1), lim - 1, -lim, int64_t(123456789012)}) {
    ScaleBiasEntry e{bias, 0xFFFFFFFFu, 31};
    uint8_t b[kScaleBiasEntryBytes];
    ASSERT_TRUE(encodeScaleBias(e, b).isOk());
    EXPECT_EQ(decodeScaleBias(b), e);
  }
  uint8_t b[kScaleBiasEntryBytes];
  EXPECT_FALSE(encodeScaleBias({lim, 1, 0}, b).isOk());
  EXPECT_FALSE(encodeScaleBias({-lim - 1, 1, 0}, b).isOk());
  EXPECT_FALSE(encodeScaleBias({0, 1, 64}, b).isOk());
}

TEST(NpuScaleBias, Streams) {
  std::vector<ScaleBiasEntry> es = {{5, 100, 1}, {-5, 200, 2}, {7, 300, 3}};
  auto s = encodeScaleBiasStream(es);
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(s->size(), 32u); // 30 bytes padded to 16
  EXPECT_EQ((*s)[30], 0);
  auto d = decodeScaleBiasStream(s->data(), s->size(), 3);
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(*d, es);
  EXPECT_FALSE(decodeScaleBiasStream(s->data(), 29, 3).isOk());
  auto bad = encodeScaleBiasStream({{0, 0, 0}, {int64_t(1) << 40, 0, 0}});
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.error().message().find("output channel 1"), std::string::npos);
}
