// --option flash-budget: parsing and the greedy choice of pair-layout layers
// (targets/mcu/lower/FlashBudget.h).
#include "targets/mcu/McuTarget.h"
#include "targets/mcu/lower/FlashBudget.h"

#include <gtest/gtest.h>

using namespace edgec;
using namespace edgec::mcu;

TEST(FlashBudget, OptionIsValidated) {
  McuTarget t;
  EXPECT_EQ(t.mcuOptions().flashBudget, 0); // one byte per int8 weight by default
  EXPECT_TRUE(t.configure({{"flash-budget", "4096"}}).isOk());
  EXPECT_EQ(t.mcuOptions().flashBudget, 4096);
  EXPECT_FALSE(t.configure({{"flash-budget", "-1"}}).isOk());
  EXPECT_FALSE(t.configure({{"flash-budget", "4k"}}).isOk());
  EXPECT_FALSE(t.configure({{"flash-budget", ""}}).isOk());
}

TEST(FlashBudget, GreedyByMacsPerExtraByte) {
  Graph g;
  std::vector<PairCandidate> c;
  // extra bytes, MACs: reuse 100, 10, 100 (a tie: graph order), 50
  const int64_t spec[][2] = {{1000, 100000}, {200, 2000}, {500, 50000}, {300, 15000}};
  for (const auto &s : spec) {
    PairCandidate p;
    p.node = g.addNode("Conv", {}, {});
    p.extraBytes = s[0];
    p.macs = s[1];
    c.push_back(p);
  }
  EXPECT_TRUE(choosePairLayers(c, 0).empty());
  // 1000 first, then 500 (same reuse, later in the graph), then 300 fits the rest.
  std::set<const Node *> a = choosePairLayers(c, 1800);
  EXPECT_EQ(a, (std::set<const Node *>{c[0].node, c[2].node, c[3].node}));
  // 1000 does not fit: the smaller ones with less reuse still do.
  std::set<const Node *> b = choosePairLayers(c, 900);
  EXPECT_EQ(b, (std::set<const Node *>{c[2].node, c[3].node}));
  EXPECT_EQ(choosePairLayers(c, 1 << 20).size(), 4u);
}
