// Which int8 layers get the 16-bit pair weight layout (--option
// flash-budget=BYTES). By default the Cortex-M DSP kernels read one byte per
// int8 weight and pair the bytes at run time (SXTB16); the pair layout
// (DspWeightPacking.h) saves those instructions at the price of more flash.
//
// Choice: each candidate layer (an int8 Conv, Gemm or MatMul with constant
// weights that a DSP kernel runs) costs the extra bytes its pair arrays add
// (gemm: the padded pair words less the bytes they replace; depthwise: the
// pair words, kept beside the bytes the border and tail channels read) and
// gains in proportion to its MACs (the unpacking is per weight load, one per
// MAC group). Layers are taken greedily by MACs per extra byte (how often
// each weight is reused), ties in graph order, while the budget holds; a
// layer that does not fit is skipped and smaller ones still considered.
#pragma once

#include "ir/Graph.h"

#include <cstdint>
#include <set>
#include <vector>

namespace edgec::mcu {

/// A layer the budget may buy the pair layout for.
struct PairCandidate {
  const Node *node = nullptr;
  int64_t extraBytes = 0; ///< flash the pair layout adds
  int64_t macs = 0;
};

/// The candidates of a graph (for cores with the DSP extension), in graph order.
std::vector<PairCandidate> pairCandidates(const Graph &g);

/// The layers chosen within `budget` extra bytes (see above).
std::set<const Node *> choosePairLayers(const std::vector<PairCandidate> &c, int64_t budget);

} // namespace edgec::mcu
