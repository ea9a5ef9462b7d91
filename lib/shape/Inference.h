// The inference interface: each op family has one file under shape/ops/
// holding the shape and type inference (InferFn) of its ops and one
// register<Family>Inference(InferRegistry &) function, listed in
// shape/ops/Families.def. The interpreter's kernels of the same family
// (interp/kernels/<Family>.cpp) include shape/ops/<Family>.h for the rules
// they share with the inference.
#pragma once

#include "shape/NodeContext.h"

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace edgec {

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
  /// Type of input i. An absent input (hostile models omit required ones)
  /// reads as unknown: Undefined element type, unknown rank, so inference
  /// learns nothing from it; the kernels report the missing input.
  const TensorType &inputType(size_t i) const {
    static const TensorType absent;
    return hasInput(i) ? *types_[i] : absent;
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

using InferFn = std::function<Status(InferContext &)>;

/// Error unless the first `required` inputs of a node context (inference
/// or kernel) are present: hostile models may omit them.
template <typename Context>
Status requireInputs(const Context &ctx, size_t required) {
  for (size_t i = 0; i < required; ++i)
    if (!ctx.hasInput(i))
      return ctx.error("missing required input " + std::to_string(i));
  return Status::ok();
}

class InferRegistry {
public:
  /// Registers the inference of a default-domain op.
  void add(std::string opType, InferFn infer);
  /// The same, first checking that the `required` leading inputs are
  /// present (requireInputs).
  void add(std::string opType, size_t required, InferFn infer);
  /// nullptr when the op has no inference ("ai.onnx" is the default domain).
  const InferFn *find(const std::string &domain,
                      const std::string &opType) const;
  /// The registry of every op family (built once, thread-safe).
  static const InferRegistry &builtin();

private:
  std::map<std::pair<std::string, std::string>, InferFn> fns_;
};

} // namespace edgec
