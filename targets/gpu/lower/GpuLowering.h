// Lowering of IR nodes to GPU kernels. One file per kernel family in this
// folder registers its lowerings (explicit list in LowerRegistry.cpp).
//
// A lowering reads the node (static shapes), builds one KernelDesc (the
// kernel description printed in each dialect, KernelDesc.h) with every
// shape and stride baked in, and adds one call of it to the node's step of
// the lowered program, whose operands are the tensors and constants the
// kernel's arguments point to. It never writes dialect text itself.
#pragma once

#include "ir/Annotations.h"
#include "ir/Graph.h"
#include "shape/Window.h"
#include "support/Error.h"
#include "targets/common/ProgramBuilder.h"
#include "targets/gpu/GpuFusion.h"
#include "targets/gpu/GpuOptions.h"
#include "targets/gpu/KernelDesc.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace edgec::gpu {

using target::Operand;
using target::staticDims;
using target::elementCount;

/// A step builder that also collects the kernels of the program.
class GpuLowerContext : public target::StepBuilder {
public:
  GpuLowerContext(const target::StepBuilder &b, const GpuOptions &o, std::vector<KernelDesc> &sink,
                  const FusionPlan &fusion)
      : target::StepBuilder(b), options_(o), sink_(sink), fusion_(fusion) {}
  const GpuOptions &options() const { return options_; }
  /// The pointwise node fused into n (the previous link of its chain), or null.
  const Node *fusedProducer(const Node &n) const { return fusion_.producerOf(n); }
  /// A fresh kernel named after the step ("k12_conv").
  KernelDesc newKernel(const std::string &family) const;
  /// Adds kernel k and a call of it with these operands (one per k.args).
  void launch(KernelDesc k, std::vector<Operand> operands);

private:
  const GpuOptions &options_;
  std::vector<KernelDesc> &sink_;
  const FusionPlan &fusion_;
};

struct GpuLowering {
  std::string opType;
  /// "" when the node can be lowered, else why not.
  std::function<std::string(const Node &)> check;
  std::function<Status(GpuLowerContext &)> lower;
  std::string note; ///< constraints in words, for `edgec targets`
  /// Pointwise lowerings chain into one kernel (GpuFusion.h).
  enum class Family { Other, Pointwise } family = Family::Other;
  std::vector<std::string> types = {"float32"}; ///< element types, for `edgec targets`
};

const std::vector<GpuLowering> &allGpuLowerings();
const GpuLowering *findGpuLowering(const Node &n);

/// "" when every output of n and its first `inputsToCheck` inputs present
/// are float32 tensors with at most 2^31-1 elements, and its fused
/// activation is one the target applies; else why not.
std::string checkFloatNode(const Node &n, size_t inputsToCheck = SIZE_MAX);
/// The sliding-window geometry of a Conv / pool node over its NCHW input.
Expected<WindowGeometry> windowOfNchw(const Node &n, const std::vector<int64_t> &kernel = {});

/// A node the pointwise family lowers (elementwise math, activations,
/// Clip), which can join a fused chain.
bool isPointwise(const Node &n);
/// The kernel of a pointwise node and the chain fused into it.
Status lowerPointwise(GpuLowerContext &ctx);

void registerConv(std::vector<GpuLowering> &out);
void registerGemm(std::vector<GpuLowering> &out);
void registerPool(std::vector<GpuLowering> &out);
void registerElementwise(std::vector<GpuLowering> &out);
void registerSoftmax(std::vector<GpuLowering> &out);
void registerData(std::vector<GpuLowering> &out);
void registerReduce(std::vector<GpuLowering> &out);
void registerSelect(std::vector<GpuLowering> &out);

} // namespace edgec::gpu
