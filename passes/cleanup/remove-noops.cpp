// remove-noops: removes nodes that return their input unchanged: Identity,
// Dropout in inference, Cast to the input's own type, Reshape/Expand/Slice
// whose output shape equals the input shape (Slice with unit steps), Pad and
// Transpose that move nothing, single-input Concat/Sum/Max/Min/Mean, and
// x*1, 1*x, x/1, x+0, 0+x, x-0 when the constant does not broadcast the
// result to a larger shape or another type.
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

namespace edgec {
namespace {

bool sameStaticShape(const Value *a, const Value *b) {
  auto sa = staticShape(a), sb = staticShape(b);
  return sa && sb && *sa == *sb;
}

bool sameType(const Value *a, const Value *b) {
  return a->type.dtype != DataType::Undefined && a->type.dtype == b->type.dtype &&
         sameStaticShape(a, b);
}

/// The input a no-op node forwards, or nullptr when n is not a no-op.
Value *noopSource(const Node &n) {
  if (!n.domain.empty() || n.outputs.empty() || !n.outputs[0]) return nullptr;
  Value *x = n.input(0);
  Value *y = n.outputs[0];
  if (!x) return nullptr;
  const std::string &op = n.opType;
  if (op == "Identity") return x;
  if (op == "Dropout") {
    if (n.outputs.size() > 1 && n.outputs[1]) {
      // The mask output must be unused (no consumer, not a graph output).
      const Value *mask = n.outputs[1];
      if (n.owner()->isGraphOutput(mask) || !n.owner()->usersOf(mask).empty())
        return nullptr;
    }
    if (Value *tm = n.input(2)) {
      auto u = uniformConstant(tm);
      if (!u || *u != 0) return nullptr;
    }
    return x;
  }
  if (op == "Cast") {
    const Attribute *to = n.attr("to");
    return to && x->type.dtype != DataType::Undefined &&
                   (int64_t)toOnnxDataType(x->type.dtype) == to->i
               ? x
               : nullptr;
  }
  if (op == "Reshape" || op == "Expand" || op == "Squeeze" ||
      op == "Unsqueeze" || op == "Flatten")
    return sameType(x, y) ? x : nullptr;
  if (op == "Slice") {
    if (!sameType(x, y)) return nullptr;
    if (n.inputs.size() > 4 && n.inputs[4]) {
      const Tensor *steps = constantOf(n.inputs[4]);
      if (!steps) return nullptr;
      for (int64_t s : steps->toInt64Vector())
        if (s != 1) return nullptr;
    }
    if (const Attribute *a = n.attr("steps"))
      for (int64_t s : a->ints)
        if (s != 1) return nullptr;
    return x;
  }
  if (op == "Transpose") {
    const Attribute *p = n.attr("perm");
    if (!p) return x->type.hasRank && x->type.rank() <= 1 ? x : nullptr;
    for (size_t i = 0; i < p->ints.size(); ++i)
      if (p->ints[i] != (int64_t)i) return nullptr;
    return x;
  }
  if (op == "Pad") {
    std::vector<int64_t> pads;
    if (const Attribute *a = n.attr("pads")) pads = a->ints;
    else if (const Tensor *t = constantOf(n.input(1))) pads = t->toInt64Vector();
    else return nullptr;
    for (int64_t p : pads)
      if (p != 0) return nullptr;
    return sameType(x, y) ? x : nullptr;
  }
  if ((op == "Concat" || op == "Sum" || op == "Max" || op == "Min" ||
       op == "Mean") &&
      n.inputs.size() == 1)
    return x;
  if (op == "Mul" || op == "Add" || op == "Sub" || op == "Div") {
    double neutral = (op == "Mul" || op == "Div") ? 1.0 : 0.0;
    bool commutes = op == "Mul" || op == "Add";
    for (int side = 0; side < (commutes ? 2 : 1); ++side) {
      Value *other = n.input(side == 0 ? 0 : 1);
      Value *c = n.input(side == 0 ? 1 : 0);
      if (!other || !c) continue;
      auto u = uniformConstant(c);
      if (u && *u == neutral && sameType(other, y)) return other;
    }
  }
  return nullptr;
}

class RemoveNoopsPass : public Pass {
public:
  const char *name() const override { return "remove-noops"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      std::vector<Node *> nodes;
      for (const auto &n : g.nodes()) nodes.push_back(n.get());
      for (Node *n : nodes) {
        Value *src = noopSource(*n);
        if (!src) continue;
        if (!forwardValue(g, n->outputs[0], src)) continue;
        ctx.stats.add("removed-" + n->opType);
        changed = true;
      }
      if (changed) removeDeadNodes(g);
    });
    return changed;
  }
};

} // namespace

std::unique_ptr<Pass> createRemoveNoopsPass() {
  return std::make_unique<RemoveNoopsPass>();
}

} // namespace edgec
