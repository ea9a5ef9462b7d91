#include "passes/recognize/MatchUtil.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgec {

std::optional<std::pair<double, double>> clipBounds(const Node &clip) {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  if (clip.opsetVersion > 0 && clip.opsetVersion < 11) {
    if (const Attribute *a = clip.attr("min")) lo = a->f;
    if (const Attribute *a = clip.attr("max")) hi = a->f;
    return std::make_pair(lo, hi);
  }
  for (size_t i = 1; i < 3; ++i) {
    Value *b = clip.input(i);
    if (!b) continue;
    const Tensor *t = constantOf(b);
    if (!t || t->numElements() != 1) return std::nullopt;
    (i == 1 ? lo : hi) = t->getDouble(0);
  }
  return std::make_pair(lo, hi);
}

std::optional<ReduceInfo> reduceInfo(const Node &n, size_t rank) {
  ReduceInfo r;
  if (const Attribute *k = n.attr("keepdims")) r.keepdims = k->i != 0;
  std::vector<int64_t> axes;
  bool inputForm = n.opsetVersion >= 18 || (n.opType == "ReduceSum" && n.opsetVersion >= 13);
  if (inputForm) {
    Value *a = n.input(1);
    if (!a) return std::nullopt; // all axes (or noop_with_empty_axes)
    const Tensor *t = constantOf(a);
    if (!t) return std::nullopt;
    axes = t->toInt64Vector();
  } else {
    const Attribute *a = n.attr("axes");
    if (!a) return std::nullopt;
    axes = a->ints;
  }
  for (int64_t &x : axes) {
    if (x < 0) x += (int64_t)rank;
    if (x < 0 || x >= (int64_t)rank) return std::nullopt;
  }
  std::sort(axes.begin(), axes.end());
  r.axes = axes;
  return r;
}

Value *otherOperand(const Node &n, const Value *v) {
  if (n.inputs.size() != 2) return nullptr;
  if (n.inputs[0] == v) return n.inputs[1];
  if (n.inputs[1] == v) return n.inputs[0];
  return nullptr;
}

std::optional<std::pair<Value *, double>> withScalarConstant(const Node &n) {
  if (n.inputs.size() != 2 || !n.inputs[0] || !n.inputs[1]) return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    Value *c = n.inputs[(size_t)(1 - side)];
    if (auto u = uniformConstant(c); u && !n.inputs[(size_t)side]->constant)
      return std::make_pair(n.inputs[(size_t)side], *u);
  }
  return std::nullopt;
}

bool usesExactly(const UseCounts &uc,
                 std::initializer_list<std::pair<const Value *, int>> vs) {
  for (const auto &[v, n] : vs)
    if (!v || uc.uses(v) != n || v->owner()->isGraphOutput(v)) return false;
  return true;
}

bool sameShapeAndType(const Value *a, const Value *b) {
  if (!a || !b || a->type.dtype != b->type.dtype) return false;
  auto sa = staticShape(a), sb = staticShape(b);
  if (sa && sb) return *sa == *sb;
  if (!a->type.hasRank || !(a->type == b->type)) return false;
  for (const Dim &d : a->type.dims)
    if (!d.isStatic() && d.symbol.empty()) return false;
  return true;
}

Expected<bool> runMatcher(Model &m, PassContext &ctx, const char *counter,
                          const std::function<bool(Graph &, Node *)> &match) {
  bool changed = false;
  forEachGraph(*m.graph, [&](Graph &g) {
    bool local = false;
    std::vector<Node *> nodes;
    for (const auto &n : g.nodes()) nodes.push_back(n.get());
    // A match replaces its root; nodes it made dead are only removed at the
    // end, so the pointers collected here stay valid except the roots, which
    // are never visited again (patterns are matched at their root).
    for (size_t i = 0; i < nodes.size(); ++i) {
      bool alive = false;
      for (const auto &n : g.nodes())
        if (n.get() == nodes[i]) alive = true;
      if (!alive) continue;
      if (match(g, nodes[i])) {
        ctx.stats.add(counter);
        local = true;
      }
    }
    if (local) removeDeadNodes(g);
    changed = changed || local;
  });
  return changed;
}

Node *replaceWithOp(Graph &g, Node *root, const std::string &op,
                    std::vector<Value *> inputs, int64_t opset) {
  Node *n = replaceNode(g, root, op, std::move(inputs));
  n->attrs.clear();
  n->opsetVersion = opset;
  return n;
}

} // namespace edgec
