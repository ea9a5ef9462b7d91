// The reference interpreter: executes an IR graph on the host.
#pragma once

#include "interp/Kernel.h"

#include <functional>
#include <map>
#include <unordered_map>

namespace edgec {

/// Values visible while running one graph; parent links give outer scope.
struct Frame {
  const Frame *parent = nullptr;
  int depth = 0; ///< subgraph nesting level
  /// Lookup only (never iterated), so pointer keys do not affect output order.
  std::unordered_map<const Value *, Tensor> values;
  const Tensor *lookup(const Value *v) const {
    for (const Frame *f = this; f; f = f->parent) {
      auto it = f->values.find(v);
      if (it != f->values.end()) return &it->second;
    }
    return nullptr;
  }
};

struct InterpreterOptions {
  /// Maximum nesting of subgraph execution (hostile-model guard).
  int maxDepth = 64;
  /// Keep intermediate values (for debugging / tests).
  bool keepIntermediates = false;
  /// Called with every value a main-graph node computes (calibration,
  /// per-layer accuracy reports), in node order. Not called for subgraphs.
  std::function<void(const Value &, const Tensor &)> observer;
};

class Interpreter {
public:
  explicit Interpreter(const Model &model, InterpreterOptions opts = {});

  /// Checks that every node (subgraphs included) has a kernel; reports all
  /// unsupported ops at once.
  Status checkSupported() const;

  /// Runs the main graph. Inputs by graph-input name; inputs that are also
  /// initializers may be omitted. Returns outputs in graph-output order.
  Expected<std::vector<Tensor>> run(const std::map<std::string, Tensor> &inputs);

  /// Runs graph g with positional inputs (used for subgraphs).
  Expected<std::vector<Tensor>> runGraph(const Graph &g, const Frame *parent,
                                         const std::vector<Tensor> &inputs,
                                         int depth);

  /// Executes one node given its input tensors (constant folding, tests).
  Expected<std::vector<Tensor>> runNode(const Node &node,
                                        const std::vector<const Tensor *> &ins,
                                        const Frame *scope = nullptr);

  const Model &model() const { return model_; }

private:
  friend class KernelContext;
  const Model &model_;
  InterpreterOptions opts_;
  const KernelRegistry &registry_;
};

/// Checks a tensor fed to `v` against v's declared type.
Status checkInputTensor(const Value &v, const Tensor &t);

} // namespace edgec
