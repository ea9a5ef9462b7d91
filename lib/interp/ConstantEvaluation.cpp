#include "interp/ConstantEvaluation.h"

#include "interp/Interpreter.h"

namespace edgec {

namespace {

class InterpreterEvaluator final : public ConstantEvaluator {
public:
  Expected<std::vector<Tensor>>
  evaluate(const Node &n,
           const std::vector<const Tensor *> &inputs) const override {
    // Only ops with a kernel in the node's own domain are evaluated (a
    // quantized node then runs its integer kernel, as the interpreter does).
    if (!KernelRegistry::builtin().find(n.domain, n.opType))
      return Error(ErrorCode::Unsupported, n.label() + ": op is not supported");
    // Kernels do not read the model: a node runs the same in any of them.
    static const Model kNoModel;
    Interpreter interp(kNoModel);
    return interp.runNode(n, inputs);
  }
};

} // namespace

const ConstantEvaluator &interpreterEvaluator() {
  static const InterpreterEvaluator evaluator;
  return evaluator;
}

ShapeInferenceOptions interpreterShapeInference() {
  ShapeInferenceOptions o;
  o.evaluator = &interpreterEvaluator();
  return o;
}

} // namespace edgec
