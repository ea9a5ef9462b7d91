#include "npu/AcceleratorConfig.h"

#include <gtest/gtest.h>

using namespace edgec::npu;

TEST(NpuAcceleratorConfig, MacsMatchMicroBlock) {
  // MACs per cycle = micro-block H * W * D * 8 (8-wide dot product) per core.
  for (const AcceleratorConfig &c : acceleratorConfigs()) {
    const MicroBlock &u = c.ofmMicroBlock;
    EXPECT_EQ(c.macsPerCycle, u.height * u.width * u.depth * 8) << c.name;
    EXPECT_EQ(1 << c.log2Macs(), c.macsPerCycle) << c.name;
  }
}

TEST(NpuAcceleratorConfig, LookupByEitherName) {
  auto a = findAcceleratorConfig("ethos-u55-128");
  ASSERT_TRUE(a.isOk());
  EXPECT_EQ((*a)->shramBanks, 24);
  auto b = findAcceleratorConfig("Ethos_U65_256");
  ASSERT_TRUE(b.isOk());
  EXPECT_EQ((*b)->product, Product::EthosU65);
  EXPECT_EQ((*b)->axiBytes, 16);
  auto bad = findAcceleratorConfig("ethos-u55-100");
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.error().message().find("ethos-u55-128"), std::string::npos);
  EXPECT_EQ(findAcceleratorConfig(Product::EthosU55, 64), *findAcceleratorConfig("ethos-u55-64"));
  EXPECT_EQ(findAcceleratorConfig(Product::EthosU55, 512), nullptr);
}
