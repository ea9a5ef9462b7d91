// The kernel interface of the reference interpreter.
//
// Each op (or op family) lives in one file under interp/kernels/, holding its
// kernel (KernelFn) and its shape/type inference (InferFn) side by side, and
// one register<Family>Kernels(KernelRegistry&) function listed in
// interp/kernels/Families.def. Adding an op = editing one family file.
#pragma once

#include "shape/NodeContext.h"
#include "ir/Graph.h"

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

/// Shape/type inference context of one node.
class InferContext : public NodeContext {
public:
  InferContext(const Node &node, std::vector<const TensorType *> types,
               std::vector<const Tensor *> values)
      : NodeContext(node), types_(std::move(types)), values_(std::move(values)) {
    outputs.resize(node.outputs.size());
  }
  size_t numInputs() const { return types_.size(); }
  bool hasInput(size_t i) const { return i < types_.size() && types_[i]; }
  /// Type of input i (asserts it is present).
  const TensorType &inputType(size_t i) const {
    assert(hasInput(i) && "InferContext::inputType of an absent input");
    return *types_[i];
  }
  /// Constant value of input i when known at compile time, else nullptr.
  const Tensor *inputValue(size_t i) const {
    return i < values_.size() ? values_[i] : nullptr;
  }
  /// Inferred output types (inference fills these; leave Undefined/unranked
  /// what cannot be known).
  std::vector<TensorType> outputs;

private:
  std::vector<const TensorType *> types_;
  std::vector<const Tensor *> values_;
};

using KernelFn = std::function<Status(KernelContext &)>;
using InferFn = std::function<Status(InferContext &)>;

struct OpKernel {
  std::string domain; ///< "" for default ONNX domain
  std::string opType;
  KernelFn run;
  InferFn infer; ///< may be empty: then only constant propagation applies
  /// Lowest opset version supported (0 = all); older models are rejected.
  int64_t minOpset = 0;
};

class KernelRegistry {
public:
  void add(OpKernel k);
  /// Convenience for the default domain.
  void add(std::string opType, KernelFn run, InferFn infer = nullptr) {
    add(OpKernel{"", std::move(opType), std::move(run), std::move(infer), 0});
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
