// The layers that get the 16-bit pair weight layout (FlashBudget.h).
#include "targets/mcu/lower/FlashBudget.h"

#include "ir/Annotations.h"
#include "targets/common/Program.h"
#include "targets/mcu/lower/DspWeightPacking.h"

#include <algorithm>

namespace edgec::mcu {

namespace {

bool int8Weights(const Node &n) {
  return n.domain.empty() && isQuantizedNode(n) && n.inputs.size() >= 2 && n.inputs[0] &&
         n.inputs[1] && n.inputs[1]->constant && n.inputs[1]->type.dtype == DataType::Int8 &&
         n.inputs[0]->type.dtype == DataType::Int8 && !n.outputs.empty() && n.outputs[0];
}

/// What the pair layout of node n adds (0: n has none).
PairCandidate candidate(const Node &n) {
  PairCandidate c;
  c.node = &n;
  if (!int8Weights(n)) return c;
  const std::vector<int64_t> xd = target::staticDims(*n.inputs[0]);
  const std::vector<int64_t> wd = target::staticDims(*n.inputs[1]);
  const int64_t outElems = target::elementCount(*n.outputs[0]);
  if (n.opType == "Conv") {
    if (wd.size() < 3 || xd.size() != wd.size()) return c;
    const bool nhwc = isChannelsLast(n);
    const int64_t ch = nhwc ? xd.back() : xd[1], m = wd[0], cg = wd[1];
    int64_t taps = 1;
    for (size_t i = 2; i < wd.size(); ++i) taps *= wd[i];
    const int64_t group = n.attrInt("group", 1);
    c.macs = outElems * cg * taps;
    if (group == 1) {
      const int64_t depth = cg * taps;
      c.extraBytes = int64_t(ec_pack_gemm_wx_words(int32_t(m), int32_t(depth))) * 4 - m * depth;
    } else if (nhwc && group == ch && m == ch && ch >= 4) {
      c.extraBytes = int64_t(ec_pack_dw_w_words(int32_t(ch), int32_t(taps))) * 4;
    }
  } else if (n.opType == "Gemm" || n.opType == "MatMul") {
    if (wd.size() != 2) return c;
    const bool transB = n.opType == "Gemm" && n.attrInt("transB", 0) != 0;
    const int64_t cols = transB ? wd[0] : wd[1], depth = transB ? wd[1] : wd[0];
    c.macs = outElems * depth;
    c.extraBytes = int64_t(ec_pack_gemm_wx_words(int32_t(cols), int32_t(depth))) * 4 - cols * depth;
  }
  return c;
}

} // namespace

std::vector<PairCandidate> pairCandidates(const Graph &g) {
  std::vector<PairCandidate> out;
  for (const auto &n : g.nodes()) {
    PairCandidate c = candidate(*n);
    if (c.extraBytes > 0 && c.macs > 0) out.push_back(c);
  }
  return out;
}

std::set<const Node *> choosePairLayers(const std::vector<PairCandidate> &c, int64_t budget) {
  std::vector<size_t> order(c.size());
  for (size_t i = 0; i < c.size(); ++i) order[i] = i;
  // MACs per extra byte, descending (compared as cross products: exact).
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return (__int128)c[a].macs * c[b].extraBytes > (__int128)c[b].macs * c[a].extraBytes;
  });
  std::set<const Node *> chosen;
  for (size_t i : order)
    if (c[i].extraBytes <= budget) {
      budget -= c[i].extraBytes;
      chosen.insert(c[i].node);
    }
  return chosen;
}

} // namespace edgec::mcu
