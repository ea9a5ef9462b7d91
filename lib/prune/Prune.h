// Pruning without retraining (docs/pruning.md).
//
// - magnitude: unstructured; zeroes the smallest-|w| elements of the constant
//   weights of Conv / ConvTranspose / Gemm / MatMul (never biases), either
//   globally over all selected layers or per layer. The model keeps its
//   shapes; what shrinks is the number of non-zero parameters.
// - channel: structured; removes whole output channels of Conv /
//   ConvTranspose (group 1) and Gemm / MatMul with constant weights, ranked by
//   the L1 (or L2) norm of their filters, together with the matching input
//   channels of every consumer. Channels are followed through channel-wise
//   ops (BatchNormalization, depthwise Conv, activations, pooling,
//   broadcasting Add/Mul/... with per-channel constants, Concat, Transpose,
//   Flatten/Reshape/Squeeze of [N,C,1,...]); channels joined by Add/Mul/...
//   are pruned identically, Concat offsets shift. Channels that reach a graph
//   output, an op that is not understood, a graph input or a subgraph are
//   left alone: pruning that cannot apply changes nothing.
#pragma once

#include "ir/Graph.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgec {

enum class PruneMethod { Magnitude, Channel };
enum class PruneNorm { L1, L2 };

Expected<PruneMethod> parsePruneMethod(const std::string &s);
Expected<PruneNorm> parsePruneNorm(const std::string &s);
const char *pruneMethodName(PruneMethod m);
const char *pruneNormName(PruneNorm n);

struct PruneOptions {
  PruneMethod method = PruneMethod::Magnitude;
  /// Fraction in [0, 1): of the selected weights (magnitude) or of each
  /// prunable channel group's channels (channel). Counts are floor(s * n).
  double sparsity = 0.5;
  /// magnitude: rank within each layer instead of over all layers.
  bool perLayer = false;
  /// channel: filter ranking norm.
  PruneNorm norm = PruneNorm::L1;
  /// Node names to prune (empty: every prunable node). For the channel
  /// method a group of tied layers is pruned when any of them is listed.
  std::vector<std::string> layers;
  /// channel, testing aid: keep every shape and instead zero, in each
  /// consumer, the input-channel slices that removal would delete. The
  /// result computes what the pruned model computes (the removed channels
  /// no longer influence anything), so the two can be compared.
  bool maskOnly = false;
};

/// One weight-carrying (or otherwise changed) node of the report.
struct PruneLayer {
  std::string name;
  std::string op;
  /// Elements of the node's constant inputs (weights, biases, BN params).
  int64_t paramsBefore = 0, paramsAfter = 0;
  /// Zero elements of the main weight (magnitude), over weightElements.
  int64_t weightElements = 0;
  int64_t zerosBefore = 0, zerosAfter = 0;
  /// Output / input channels (-1 when the node has none, e.g. a Mul).
  int64_t outChannelsBefore = -1, outChannelsAfter = -1;
  int64_t inChannelsBefore = -1, inChannelsAfter = -1;
  std::optional<int64_t> macsBefore, macsAfter;
  /// Selected for pruning (in --layers, or no --layers given).
  bool selected = true;
  /// channel: why this layer's output channels were (partly) left alone;
  /// empty when nothing blocked them.
  std::string note;
};

struct PruneResult {
  PruneMethod method = PruneMethod::Magnitude;
  std::vector<PruneLayer> layers;
  /// magnitude: weights zeroed by this run (excluding already-zero ones).
  int64_t weightsZeroed = 0;
  /// channel: channel groups found, groups pruned, channels removed (per
  /// group: one removed channel of a group counts once however many
  /// tensors it spans).
  int64_t channelGroups = 0, groupsPruned = 0, channelsRemoved = 0;
};

/// Names of the nodes `prune` can act on for this method (weight-carrying
/// nodes for magnitude; channel sources for channel), in node order.
std::vector<std::string> prunableLayers(const Model &m, PruneMethod method);

/// Prunes the main graph of `m` in place. Errors: sparsity outside [0, 1)
/// and layer names that are not prunable nodes are usage errors.
Expected<PruneResult> pruneModel(Model &m, const PruneOptions &o);

// Implementation pieces (Prune.cpp / ChannelPrune.cpp).
Expected<PruneResult> magnitudePrune(Model &m, const PruneOptions &o);
Expected<PruneResult> channelPrune(Model &m, const PruneOptions &o);

/// Constant data of v: an initializer or folded value, or the `value` of
/// the Constant node producing it; nullptr otherwise.
const Tensor *constantData(const Value *v);

/// Copy of t without the given indices (sorted, unique) along axis.
Tensor removeIndicesAlong(const Tensor &t, int axis,
                          const std::vector<int64_t> &removed);
/// Copy of t with the given indices along axis set to zero.
Tensor zeroIndicesAlong(const Tensor &t, int axis,
                        const std::vector<int64_t> &indices);

} // namespace edgec
