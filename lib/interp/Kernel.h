// The kernel interface of the reference interpreter.
//
// Each op family has one file under interp/kernels/ holding its kernels
// (KernelFn) and one register<Family>Kernels(KernelRegistry&) function; the
// families are listed in shape/ops/Families.def, where their shape and type
// inference lives (shape/ops/<Family>.cpp). The integer kernels in
// kernels/quant/ are listed in kernels/quant/Families.def.
#pragma once

#include "ir/Graph.h"
#include "shape/NodeContext.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace edgec {

class Interpreter;
struct Frame;

/// Execution context of one node.
class KernelContext : public NodeContext {
public:
  KernelContext(const Node &node, std::vector<const Tensor *> inputs,
                Interpreter &interp, const Frame &frame)
      : NodeContext(node), inputs_(std::move(inputs)), interp_(interp),
        frame_(frame) {
    outputs.resize(node.outputs.size());
  }
  size_t numInputs() const { return inputs_.size(); }
  /// True when input i is present (not omitted).
  bool hasInput(size_t i) const { return i < inputs_.size() && inputs_[i]; }
  /// Input i; asserts it is present (check hasInput for optional ones).
  const Tensor &input(size_t i) const {
    assert(hasInput(i) && "KernelContext::input of an absent input");
    return *inputs_[i];
  }
  size_t numOutputs() const { return outputs.size(); }
  /// True when the model consumes output i (it is not omitted).
  bool wantsOutput(size_t i) const {
    return i < node().outputs.size() && node().outputs[i] != nullptr;
  }

  /// Runs a subgraph (If/Loop/Scan bodies) with the given inputs; the body
  /// sees this node's scope for outer-scope values.
  Expected<std::vector<Tensor>> runSubgraph(const Graph &g,
                                            const std::vector<Tensor> &inputs);
  /// Runs the default-domain (float) kernel of this node's op on other
  /// inputs, ignoring annotations: integer kernels use it to tabulate the
  /// float function (lookup tables).
  Expected<std::vector<Tensor>>
  runFloatKernel(const std::vector<const Tensor *> &inputs) const;

  /// Kernel results, one per node output (kernels fill these).
  std::vector<Tensor> outputs;

private:
  std::vector<const Tensor *> inputs_;
  Interpreter &interp_;
  const Frame &frame_;
};

using KernelFn = std::function<Status(KernelContext &)>;

struct OpKernel {
  std::string domain; ///< "" for default ONNX domain
  std::string opType;
  KernelFn run;
  /// Lowest opset version supported (0 = all); older models are rejected.
  int64_t minOpset = 0;
};

class KernelRegistry {
public:
  void add(OpKernel k);
  /// Convenience for the default domain.
  void add(std::string opType, KernelFn run) {
    add(OpKernel{"", std::move(opType), std::move(run), 0});
  }
  const OpKernel *find(const std::string &domain,
                       const std::string &opType) const;
  /// All registered ops as "domain.op" / "op", sorted.
  std::vector<std::string> opNames() const;
  /// The registry with every built-in kernel (built once, thread-safe).
  static const KernelRegistry &builtin();

private:
  std::map<std::pair<std::string, std::string>, OpKernel> kernels_;
};

} // namespace edgec
