#include "plan/ArenaPlanner.h"

#include <gtest/gtest.h>

using namespace edgec::plan;

namespace {

ArenaPlan mustPlan(const std::vector<Buffer> &b, int64_t align, ArenaStrategy s) {
  auto p = planArena(b, align, s);
  EXPECT_TRUE(p.isOk()) << (p.isOk() ? "" : p.error().message());
  return p.isOk() ? *p : ArenaPlan{};
}

} // namespace

TEST(ArenaPlanner, ChainReusesMemory) {
  // a -> b -> c -> d: only two neighbours are live at a time.
  std::vector<Buffer> b = {{"a", 100, 0, 1}, {"b", 100, 1, 2}, {"c", 100, 2, 3}, {"d", 100, 3, 4}};
  for (ArenaStrategy s : {ArenaStrategy::GreedyBySize, ArenaStrategy::GreedyByConflict,
                          ArenaStrategy::GreedyByStart, ArenaStrategy::Best}) {
    ArenaPlan p = mustPlan(b, 16, s);
    EXPECT_EQ(p.lowerBound, 224); // 2 * align(100, 16)
    EXPECT_EQ(p.arenaSize, 224) << arenaStrategyName(s);
    EXPECT_TRUE(verifyArenaPlan(b, p, 16));
  }
}

TEST(ArenaPlanner, LowerBoundIsPeakLiveSum) {
  std::vector<Buffer> b = {{"x", 10, 0, 5}, {"y", 20, 2, 3}, {"z", 30, 3, 4}, {"w", 5, 6, 6}};
  int step = -1;
  EXPECT_EQ(arenaLowerBound(b, 1, &step), 60); // x + y + z at step 3
  EXPECT_EQ(step, 3);
  EXPECT_EQ(arenaLowerBound(b, 8, nullptr), 16 + 24 + 32);
}

TEST(ArenaPlanner, NeverOverlapsLiveBuffers) {
  // A pseudo-random interval set: every plan must be valid and at least the
  // lower bound; Best is no worse than any single strategy.
  std::vector<Buffer> b;
  uint32_t r = 12345;
  for (int i = 0; i < 60; ++i) {
    r = r * 1103515245u + 12345u;
    int first = int(r % 40);
    r = r * 1103515245u + 12345u;
    int len = int(r % 6);
    r = r * 1103515245u + 12345u;
    b.push_back({"b" + std::to_string(i), int64_t(1 + r % 5000), first, first + len});
  }
  int64_t best = mustPlan(b, 4, ArenaStrategy::Best).arenaSize;
  for (ArenaStrategy s : {ArenaStrategy::GreedyBySize, ArenaStrategy::GreedyByConflict,
                          ArenaStrategy::GreedyByStart}) {
    ArenaPlan p = mustPlan(b, 4, s);
    EXPECT_TRUE(verifyArenaPlan(b, p, 4)) << arenaStrategyName(s);
    EXPECT_GE(p.arenaSize, p.lowerBound);
    EXPECT_LE(best, p.arenaSize);
  }
  ArenaPlan p = mustPlan(b, 4, ArenaStrategy::Best);
  EXPECT_TRUE(verifyArenaPlan(b, p, 4));
  EXPECT_GE(p.arenaSize, p.lowerBound);
}

TEST(ArenaPlanner, Deterministic) {
  std::vector<Buffer> b = {{"a", 300, 0, 2}, {"b", 200, 1, 3}, {"c", 300, 2, 4}, {"d", 50, 0, 4}};
  ArenaPlan p1 = mustPlan(b, 16, ArenaStrategy::Best);
  ArenaPlan p2 = mustPlan(b, 16, ArenaStrategy::Best);
  EXPECT_EQ(p1.offsets, p2.offsets);
  EXPECT_EQ(p1.arenaSize, p2.arenaSize);
}

TEST(ArenaPlanner, VerifierCatchesOverlap) {
  std::vector<Buffer> b = {{"a", 64, 0, 1}, {"b", 64, 1, 2}};
  ArenaPlan bad;
  bad.offsets = {0, 32};
  bad.arenaSize = 128;
  EXPECT_FALSE(verifyArenaPlan(b, bad, 16));
  bad.offsets = {0, 64};
  EXPECT_TRUE(verifyArenaPlan(b, bad, 16));
  bad.offsets = {0, 8}; // misaligned
  EXPECT_FALSE(verifyArenaPlan(b, bad, 16));
}

TEST(ArenaPlanner, RejectsBadRequests) {
  EXPECT_FALSE(planArena({{"a", -1, 0, 0}}, 16).isOk());
  EXPECT_FALSE(planArena({{"a", 8, 3, 1}}, 16).isOk());
  EXPECT_FALSE(planArena({{"a", 8, 0, 1}}, 12).isOk());
  auto empty = planArena({}, 16);
  ASSERT_TRUE(empty.isOk());
  EXPECT_EQ(empty->arenaSize, 0);
}
