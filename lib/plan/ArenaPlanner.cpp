// Arena planning strategies (see ArenaPlanner.h).
#include "plan/ArenaPlanner.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <numeric>

namespace edgec::plan {

namespace {

int64_t alignUp(int64_t v, int64_t a) { return (v + a - 1) / a * a; }

bool overlapsInTime(const Buffer &a, const Buffer &b) {
  return a.first <= b.last && b.first <= a.last;
}

enum class Fit { First, Best };

/// Places buffers in `order`; each at the lowest (First) or tightest (Best)
/// gap among the already placed buffers it overlaps in time.
int64_t place(const std::vector<Buffer> &bufs, const std::vector<int64_t> &sizes,
              const std::vector<size_t> &order, Fit fit,
              std::vector<int64_t> &offsets) {
  offsets.assign(bufs.size(), 0);
  std::vector<char> placed(bufs.size(), 0);
  std::vector<std::pair<int64_t, int64_t>> busy; // [begin, end)
  int64_t arena = 0;
  for (size_t i : order) {
    if (sizes[i] == 0) {
      placed[i] = 1;
      continue;
    }
    busy.clear();
    for (size_t j = 0; j < bufs.size(); ++j)
      if (placed[j] && sizes[j] > 0 && overlapsInTime(bufs[i], bufs[j]))
        busy.push_back({offsets[j], offsets[j] + sizes[j]});
    std::sort(busy.begin(), busy.end());
    int64_t best = -1, bestGap = std::numeric_limits<int64_t>::max();
    int64_t cursor = 0;
    for (const auto &[b, e] : busy) {
      if (b > cursor) {
        int64_t gap = b - cursor;
        if (gap >= sizes[i]) {
          if (fit == Fit::First) {
            best = cursor;
            break;
          }
          if (gap < bestGap) {
            bestGap = gap;
            best = cursor;
          }
        }
      }
      cursor = std::max(cursor, e);
    }
    if (best < 0) best = cursor;
    offsets[i] = best;
    placed[i] = 1;
    arena = std::max(arena, best + sizes[i]);
  }
  return arena;
}

/// Deterministic pseudo-random generator for the search (fixed seed).
struct Lcg {
  uint64_t s = 0x9E3779B97F4A7C15ull;
  uint64_t next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return s >> 33;
  }
};

} // namespace

const char *arenaStrategyName(ArenaStrategy s) {
  switch (s) {
  case ArenaStrategy::GreedyBySize: return "greedy-by-size";
  case ArenaStrategy::GreedyByConflict: return "greedy-by-conflict";
  case ArenaStrategy::GreedyByStart: return "greedy-by-start";
  case ArenaStrategy::Best: return "best";
  }
  return "?";
}

Expected<ArenaStrategy> parseArenaStrategy(const std::string &name) {
  if (name == "size") return ArenaStrategy::GreedyBySize;
  if (name == "conflict") return ArenaStrategy::GreedyByConflict;
  if (name == "start") return ArenaStrategy::GreedyByStart;
  if (name == "best") return ArenaStrategy::Best;
  return Error(ErrorCode::Usage, "unknown arena strategy '" + name +
                                     "' (expected size, conflict, start or best)");
}

int64_t arenaLowerBound(const std::vector<Buffer> &buffers, int64_t alignment,
                        int *peakStep) {
  // Sweep over step boundaries: +size at first, -size after last.
  std::vector<std::pair<int64_t, int64_t>> events; // (step*2 [+1 for end], delta)
  for (const Buffer &b : buffers) {
    if (b.size <= 0) continue;
    int64_t s = alignUp(b.size, alignment);
    events.push_back({int64_t(b.first) * 2, s});
    events.push_back({int64_t(b.last) * 2 + 1, -s});
  }
  std::sort(events.begin(), events.end());
  int64_t live = 0, best = 0;
  int step = -1;
  for (const auto &[t, d] : events) {
    live += d;
    if (live > best) {
      best = live;
      step = int(t / 2);
    }
  }
  if (peakStep) *peakStep = step;
  return best;
}

bool verifyArenaPlan(const std::vector<Buffer> &buffers, const ArenaPlan &plan,
                     int64_t alignment) {
  if (plan.offsets.size() != buffers.size()) return false;
  for (size_t i = 0; i < buffers.size(); ++i) {
    if (buffers[i].size == 0) continue;
    if (plan.offsets[i] < 0 || plan.offsets[i] % alignment != 0) return false;
    if (plan.offsets[i] + buffers[i].size > plan.arenaSize) return false;
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      if (buffers[j].size == 0 || !overlapsInTime(buffers[i], buffers[j]))
        continue;
      int64_t ai = plan.offsets[i], bi = ai + buffers[i].size;
      int64_t aj = plan.offsets[j], bj = aj + buffers[j].size;
      if (ai < bj && aj < bi) return false;
    }
  }
  return true;
}

Expected<ArenaPlan> planArena(const std::vector<Buffer> &buffers,
                              int64_t alignment, ArenaStrategy strategy) {
  if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
    return Error(ErrorCode::Internal,
                 "arena alignment " + std::to_string(alignment) +
                     " is not a power of two");
  for (const Buffer &b : buffers) {
    if (b.size < 0 || b.first < 0 || b.last < b.first)
      return Error(ErrorCode::Internal, "arena buffer '" + b.name +
                                            "' has a negative size or an "
                                            "inverted lifetime");
  }
  const size_t n = buffers.size();
  std::vector<int64_t> sizes(n);
  for (size_t i = 0; i < n; ++i) sizes[i] = alignUp(buffers[i].size, alignment);

  ArenaPlan plan;
  plan.lowerBound = arenaLowerBound(buffers, alignment, &plan.peakStep);

  // Contention of each buffer: the largest live weight at any of its steps.
  std::vector<int64_t> contention(n, 0);
  {
    int maxStep = 0;
    for (const Buffer &b : buffers) maxStep = std::max(maxStep, b.last);
    std::vector<int64_t> live(size_t(maxStep) + 1, 0);
    for (size_t i = 0; i < n; ++i)
      for (int s = buffers[i].first; s <= buffers[i].last; ++s)
        live[size_t(s)] += sizes[i];
    for (size_t i = 0; i < n; ++i)
      for (int s = buffers[i].first; s <= buffers[i].last; ++s)
        contention[i] = std::max(contention[i], live[size_t(s)]);
  }
  std::vector<size_t> base(n);
  std::iota(base.begin(), base.end(), 0);
  auto bySize = base;
  std::stable_sort(bySize.begin(), bySize.end(), [&](size_t a, size_t b) {
    if (sizes[a] != sizes[b]) return sizes[a] > sizes[b];
    return buffers[a].first < buffers[b].first;
  });
  auto byConflict = base;
  std::stable_sort(byConflict.begin(), byConflict.end(), [&](size_t a, size_t b) {
    if (contention[a] != contention[b]) return contention[a] > contention[b];
    if (sizes[a] != sizes[b]) return sizes[a] > sizes[b];
    return buffers[a].first < buffers[b].first;
  });
  auto byStart = base;
  std::stable_sort(byStart.begin(), byStart.end(), [&](size_t a, size_t b) {
    if (buffers[a].first != buffers[b].first)
      return buffers[a].first < buffers[b].first;
    return sizes[a] > sizes[b];
  });

  struct Candidate {
    std::string name;
    ArenaStrategy strategy;
    const std::vector<size_t> *order;
    Fit fit;
  };
  std::vector<Candidate> cands;
  auto want = [&](ArenaStrategy s) {
    return strategy == ArenaStrategy::Best || strategy == s;
  };
  if (want(ArenaStrategy::GreedyBySize))
    cands.push_back({"greedy-by-size", ArenaStrategy::GreedyBySize, &bySize, Fit::First});
  if (want(ArenaStrategy::GreedyByConflict))
    cands.push_back({"greedy-by-conflict", ArenaStrategy::GreedyByConflict,
                     &byConflict, Fit::First});
  if (want(ArenaStrategy::GreedyByStart))
    cands.push_back({"greedy-by-start", ArenaStrategy::GreedyByStart, &byStart, Fit::Best});

  int64_t bestSize = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> offsets;
  for (const Candidate &c : cands) {
    int64_t a = place(buffers, sizes, *c.order, c.fit, offsets);
    plan.tried.push_back({c.name, a});
    if (a < bestSize) {
      bestSize = a;
      plan.offsets = offsets;
      plan.strategy = c.strategy;
    }
  }
  if (strategy == ArenaStrategy::Best && bestSize > plan.lowerBound && n > 1 &&
      n <= 4096) {
    // Small deterministic search: perturb the best orders by swapping
    // neighbours of similar contention and keep improvements.
    Lcg rng;
    std::vector<size_t> order = plan.strategy == ArenaStrategy::GreedyByConflict
                                    ? byConflict
                                    : plan.strategy == ArenaStrategy::GreedyByStart
                                          ? byStart
                                          : bySize;
    const int iterations = n <= 256 ? 400 : n <= 1024 ? 60 : 10;
    int64_t searchBest = bestSize;
    for (int it = 0; it < iterations && searchBest > plan.lowerBound; ++it) {
      std::vector<size_t> trial = order;
      size_t swaps = 1 + rng.next() % 3;
      for (size_t k = 0; k < swaps; ++k) {
        size_t i = rng.next() % n;
        size_t j = std::min(n - 1, i + 1 + rng.next() % 4);
        std::swap(trial[i], trial[j]);
      }
      for (Fit fit : {Fit::First, Fit::Best}) {
        int64_t a = place(buffers, sizes, trial, fit, offsets);
        if (a < searchBest) {
          searchBest = a;
          order = trial;
          plan.offsets = offsets;
          plan.strategy = ArenaStrategy::Best;
        }
      }
    }
    plan.tried.push_back({"search", searchBest});
    bestSize = searchBest;
  }
  plan.arenaSize = n == 0 ? 0 : alignUp(bestSize, alignment);
  if (plan.offsets.empty()) plan.offsets.assign(n, 0);
  assert(verifyArenaPlan(buffers, plan, alignment) && "arena plan overlaps");
  return plan;
}

} // namespace edgec::plan
