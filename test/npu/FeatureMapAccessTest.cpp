// Element addressing of Ethos-U feature maps: the tile a coordinate falls in
// and the NHWC / NHCWB16 offsets, on hand-computed addresses (Vela's
// get_address, register_command_stream_util.py, restated).
#include "npu/FeatureMapAccess.h"

#include <gtest/gtest.h>

namespace edgec::npu {
namespace {

FeatureMap tiled(bool brick16) {
  FeatureMap f;
  f.height = 4;
  f.width = 4;
  f.depth = 20;
  f.width0 = 2;  // tiles 1 and 3 start at x = 2
  f.height0 = 1; // tile 2 starts at y = 1 left of x = 2
  f.height1 = 3; // tile 3 starts at y = 3 right of it
  f.base = {0x1000, 0x2000, 0x3000, 0x4000};
  f.elemBytes = 1;
  f.brick16 = brick16;
  f.strideX = 20;
  f.strideY = 100;
  f.strideC = 64; // NHCWB16: bytes between 16-channel bricks
  return f;
}

TEST(NpuFeatureMapAccess, TilesNhwc) {
  const FeatureMap f = tiled(false);
  EXPECT_EQ(elementOffset(f, 0, 0, 0), 0x1000u);
  EXPECT_EQ(elementOffset(f, 0, 1, 3), 0x1000u + 20 + 3);
  EXPECT_EQ(elementOffset(f, 0, 2, 0), 0x2000u);            // tile 1
  EXPECT_EQ(elementOffset(f, 2, 3, 5), 0x2000u + 200 + 20 + 5);
  EXPECT_EQ(elementOffset(f, 1, 0, 0), 0x3000u);            // tile 2
  EXPECT_EQ(elementOffset(f, 3, 1, 19), 0x3000u + 200 + 20 + 19);
  EXPECT_EQ(elementOffset(f, 3, 2, 0), 0x4000u);            // tile 3
  EXPECT_EQ(elementOffset(f, 3, 3, 1), 0x4000u + 20 + 1);
}

TEST(NpuFeatureMapAccess, Nhcwb16Bricks) {
  const FeatureMap f = tiled(true);
  // x steps 16 elements; channel 17 is element 1 of the second brick.
  EXPECT_EQ(elementOffset(f, 0, 1, 0), 0x1000u + 16);
  EXPECT_EQ(elementOffset(f, 0, 1, 17), 0x1000u + 16 + 64 + 1);
  FeatureMap g = f;
  g.elemBytes = 4; // int32: 16 * 4 bytes per x step, 4 per channel
  EXPECT_EQ(elementOffset(g, 0, 1, 17), 0x1000u + 64 + 64 + 4);
}

TEST(NpuFeatureMapAccess, BoundsAndFit) {
  std::vector<uint8_t> bytes(64, 0);
  Region r{bytes.data(), bytes.size()};
  FeatureMap f;
  f.height = 1;
  f.width = 2;
  f.depth = 16;
  f.strideX = 16;
  f.strideY = 32;
  f.width0 = 2; // one tile
  f.base = {48, 0, 0, 0};
  auto v = readFeatureMap(f, r, false, "t");
  ASSERT_FALSE(v.isOk()); // the second pixel ends at byte 80
  EXPECT_NE(v.error().message().find("outside region"), std::string::npos);
  f.base[0] = 0;
  EXPECT_TRUE(readFeatureMap(f, r, false, "t").isOk());
  f.height = 1000;
  EXPECT_FALSE(checkFeatureMapFits(f, r, "t").isOk());
  EXPECT_FALSE(writeElement(f, r, 0, 0, 64, 1, "t").isOk());
}

} // namespace
} // namespace edgec::npu
