#include "passes/recognize/NormUtil.h"

#include "interp/KernelUtil.h"

namespace edgec {

std::optional<Tensor> materialize(const Tensor &v, const TensorShape &shape) {
  if (v.rank() > shape.size() || isStorageOnlyType(v.dtype())) return std::nullopt;
  TensorShape s = rightAlignedShape(v.shape(), shape.size());
  for (size_t i = 0; i < shape.size(); ++i)
    if (s[i] != 1 && s[i] != shape[i]) return std::nullopt;
  Tensor out(v.dtype(), shape);
  BroadcastIndexer bi(s, shape);
  Tensor vr = v.reshaped(s);
  for (int64_t i = 0; i < out.numElements(); ++i)
    out.setDouble(i, vr.getDouble(bi.map(i)));
  return out;
}

std::optional<NormMatch> matchNormTail(Graph &g, Node *n, bool dInternal) {
  UseCounts uc(g);
  NormMatch r;
  Value *den = nullptr;
  if (isOp(n, "Div")) {
    r.d = n->input(0);
    den = n->input(1);
  } else if (isOp(n, "Mul") && n->inputs.size() == 2) {
    for (int side = 0; side < 2 && !den; ++side) {
      Value *rec = n->input((size_t)(1 - side));
      Node *rn = producerIs(rec, "Reciprocal");
      if (rn && usesExactly(uc, {{rec, 1}})) {
        r.d = n->input((size_t)side);
        den = rn->input(0);
      }
    }
  }
  if (!r.d || !den || !r.d->type.hasRank) return std::nullopt;
  r.div = n;
  Node *sqrt = producerIs(den, "Sqrt");
  if (!sqrt || !usesExactly(uc, {{den, 1}})) return std::nullopt;
  Value *ve = sqrt->input(0);
  Node *add = producerIs(ve, "Add");
  if (!add || !usesExactly(uc, {{ve, 1}})) return std::nullopt;
  auto eps = withScalarConstant(*add);
  if (!eps || eps->second < 0) return std::nullopt;
  r.epsilon = eps->second;
  Value *var = eps->first;
  Node *rm = producerIs(var, "ReduceMean");
  if (!rm || !usesExactly(uc, {{var, 1}})) return std::nullopt;
  r.meanSq = rm;
  Value *sq = rm->input(0);
  Node *sqn = sq ? sq->producer() : nullptr;
  if (!usesExactly(uc, {{sq, 1}})) return std::nullopt;
  bool squares = (isOp(sqn, "Pow") && sqn->input(0) == r.d && isConstantNear(sqn->input(1), 2.0)) ||
                 (isOp(sqn, "Mul") && sqn->input(0) == r.d && sqn->input(1) == r.d);
  if (!squares) return std::nullopt;
  int dUsesInPattern = isOp(sqn, "Mul") ? 3 : 2;
  if (dInternal && !usesExactly(uc, {{r.d, dUsesInPattern}})) return std::nullopt;
  size_t rank = r.d->type.rank();
  auto ri = reduceInfo(*rm, rank);
  if (!ri || !ri->keepdims || ri->axes.empty()) return std::nullopt;
  for (size_t i = 0; i < ri->axes.size(); ++i)
    if (ri->axes[i] != (int64_t)(rank - ri->axes.size() + i)) return std::nullopt;
  r.axis = ri->axes[0];
  // Optional affine tail.
  r.root = n;
  Value *cur = n->outputs[0];
  auto next = [&](const char *op) -> Node * {
    if (!usesExactly(uc, {{cur, 1}})) return nullptr;
    std::vector<Node *> us = g.usersOf(cur);
    if (us.size() != 1 || !isOp(us[0], op)) return nullptr;
    Value *c = otherOperand(*us[0], cur);
    if (!c || !c->constant) return nullptr;
    return us[0];
  };
  if (Node *mul = next("Mul")) {
    r.scale = otherOperand(*mul, cur);
    r.root = mul;
    cur = mul->outputs[0];
  }
  if (Node *addb = next("Add")) {
    r.bias = otherOperand(*addb, cur);
    r.root = addb;
  }
  return r;
}

} // namespace edgec
