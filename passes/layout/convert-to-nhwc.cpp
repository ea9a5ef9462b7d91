// convert-to-nhwc: runs layout-sensitive ops (Conv, ConvTranspose, pools,
// BatchNormalization) channels-last, annotated `edgec.layout = "NHWC"`
// (ir/Annotations.h), for back ends that want that layout.
//
// Each such op first gets a Transpose to NHWC before and one back to NCHW
// after. Then transposes are sunk through layout-agnostic ops (elementwise
// unary ops, elementwise binary ops whose other operand is transposed the
// same way or is a constant, Concat) until they meet and cancel:
// T(T(x, p), inverse(p)) = x. A transposed value with several users is sunk
// when every user will be (elementwise ops of it, constants and values
// transposed the same way: the expanded HardSwish x * Clip(x + 3) / 6 and
// the squeeze-excitation x * f(GlobalAveragePool(x))). What is left of a CNN is one Transpose after
// each graph input and one before each output, and those that only move
// size-1 dims (e.g. before a Flatten) are Reshapes (simplify-reshapes).
//
// On integer graphs (fold-qdq, TFLite imports) every value the pass creates
// carries the quantization parameters of the value it is a transposed copy
// of (a per-axis axis permuted with the data), so the integer kernels and the
// TFLite writer see the same parameters as before the conversion.
#include "ir/Annotations.h"
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

#include <algorithm>

namespace edgec {
namespace {

bool isLayoutSensitive(const Node *n) {
  return isOp(n, "Conv") || isOp(n, "ConvTranspose") || isOp(n, "MaxPool") ||
         isOp(n, "AveragePool") || isOp(n, "GlobalAveragePool") ||
         isOp(n, "GlobalMaxPool") || isOp(n, "BatchNormalization");
}

bool isUnaryElementwise(const Node *n) {
  static const char *const ops[] = {
      "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid",
      "HardSwish", "Elu", "Selu", "Celu", "Gelu", "Mish", "Swish",
      "Softplus", "Softsign", "Exp", "Log", "Abs", "Neg", "Sqrt", "Erf",
      "Reciprocal", "Floor", "Ceil", "Round", "Identity", "Sin", "Cos",
      "ThresholdedRelu", "Cast"};
  if (!n || !n->domain.empty()) return false;
  for (const char *o : ops)
    if (n->opType == o) return true;
  return false;
}

bool isBinaryElementwise(const Node *n) {
  static const char *const ops[] = {"Add", "Sub", "Mul", "Div", "Max", "Min",
                                    "Pow", "PRelu"};
  if (!n || !n->domain.empty()) return false;
  for (const char *o : ops)
    if (n->opType == o) return true;
  return false;
}

std::vector<int64_t> permOf(const Node &t) {
  const Attribute *a = t.attr("perm");
  return a ? a->ints : std::vector<int64_t>{};
}

std::vector<int64_t> inversePerm(const std::vector<int64_t> &p) {
  std::vector<int64_t> q(p.size());
  for (size_t i = 0; i < p.size(); ++i) q[(size_t)p[i]] = (int64_t)i;
  return q;
}

/// The quantization parameters of Transpose(v, perm) for a value v with
/// parameters q (quantized values of integer graphs, from fold-qdq or the
/// TFLite importer): the same scales and zero points, a per-axis axis moved
/// to where perm puts it. `rankOffset` first shifts the axis (a constant
/// broadcast to a higher rank by prepending dims).
std::optional<QuantParams> permutedQuant(const std::optional<QuantParams> &q,
                                         const std::vector<int64_t> &perm,
                                         int64_t rankOffset = 0) {
  if (!q || !q->perAxis()) return q;
  QuantParams r = *q;
  const int64_t a = q->axis + rankOffset;
  for (size_t j = 0; j < perm.size(); ++j)
    if (perm[j] == a) r.axis = (int)j;
  return r;
}

/// Constant data of v: an initializer or the value of a Constant node (the
/// layout stage also runs on graphs that were not constant-folded, -O0).
const Tensor *layoutConstant(const Value *v) {
  if (const Tensor *t = constantOf(v)) return t;
  const Node *p = v ? v->producer() : nullptr;
  if (!p || !isOp(p, "Constant") || p->outputs.size() != 1) return nullptr;
  const Attribute *a = p->attr("value");
  return a && a->kind == Attribute::Kind::Tensor ? &a->t : nullptr;
}

class ConvertToNhwcPass : public Pass {
public:
  const char *name() const override { return "convert-to-nhwc"; }

  Expected<bool> run(Model &m, PassContext &ctx) override {
    Graph &g = *m.graph;
    bool changed = false;
    std::vector<Node *> targets;
    for (const auto &n : g.nodes())
      if (isLayoutSensitive(n.get()) && !isChannelsLast(*n)) targets.push_back(n.get());
    for (Node *n : targets)
      if (convert(g, n)) {
        ctx.stats.add("ops-converted");
        changed = true;
      }
    if (!changed) return false;
    for (int iter = 0; iter < 1000; ++iter) {
      bool moved = false;
      std::vector<Node *> nodes;
      for (const auto &n : g.nodes()) nodes.push_back(n.get());
      for (Node *n : nodes) {
        if (!alive(g, n)) continue;
        if (cancelPair(g, n)) {
          ctx.stats.add("transposes-cancelled");
          moved = true;
        } else if (sink(g, n)) {
          ctx.stats.add("transposes-sunk");
          moved = true;
        }
      }
      removeDeadNodes(g);
      if (!moved) break;
    }
    return true;
  }

private:
  static bool alive(Graph &g, Node *n) {
    for (const auto &p : g.nodes())
      if (p.get() == n) return true;
    return false;
  }

  /// Adds a node producing `y` right before y's first user (keeps the
  /// node order topological without a re-sort).
  static Node *addBeforeFirstUser(Graph &g, Value *y, const std::string &op,
                                  std::vector<Value *> ins, const std::string &name) {
    std::vector<Node *> users = g.usersOf(y);
    if (users.empty()) return g.addNode(op, std::move(ins), {y}, name);
    return g.addNodeBefore(users[0], op, std::move(ins), {y}, name);
  }

  Node *transposeBefore(Graph &g, Node *anchor, Value *x,
                        const std::vector<int64_t> &perm, const std::string &name) {
    Value *t = g.addValue(g.uniqueName(name), permuteType(x->type, perm));
    t->quant = permutedQuant(x->quant, perm);
    Node *tn = g.addNodeBefore(anchor, "Transpose", {x}, {t}, g.uniqueName(name));
    tn->opsetVersion = 13;
    tn->attrs["perm"] = Attribute::makeInts(perm);
    return tn;
  }

  bool convert(Graph &g, Node *n) {
    Value *x = n->input(0);
    Value *y = n->outputs.empty() ? nullptr : n->outputs[0];
    if (!x || !y || !x->type.isStatic() || !y->type.isStatic()) return false;
    size_t r = x->type.rank();
    if (r < 3 || y->type.rank() != r) return false;
    for (size_t i = 1; i < n->outputs.size(); ++i)
      if (n->outputs[i]) return false;
    Node *tin = transposeBefore(g, n, x, toChannelsLastPerm(r), x->name + "/nhwc");
    n->inputs[0] = tin->outputs[0];
    n->attrs[kLayoutAttr] = Attribute::makeString("NHWC");
    Value *yn = g.addValue(g.uniqueName(y->name + "/nhwc"),
                           permuteType(y->type, toChannelsLastPerm(r)));
    yn->quant = permutedQuant(y->quant, toChannelsLastPerm(r));
    g.setNodeOutput(n, 0, yn);
    // The Transpose back must come after n: insert before n's successor.
    Node *tout = addBeforeFirstUser(g, y, "Transpose", {yn}, g.uniqueName(y->name + "/nchw"));
    tout->opsetVersion = 13;
    tout->attrs["perm"] = Attribute::makeInts(toChannelsFirstPerm(r));
    return true;
  }

  /// Transpose(Transpose(x, p), q) with q∘p = identity: uses of the outer
  /// result read x.
  bool cancelPair(Graph &g, Node *n) {
    if (!isOp(n, "Transpose")) return false;
    Node *p = producerIs(n->input(0), "Transpose");
    if (!p) return false;
    std::vector<int64_t> p1 = permOf(*p), p2 = permOf(*n);
    if (p1.empty() || p1.size() != p2.size()) return false;
    for (size_t i = 0; i < p1.size(); ++i)
      if (p1[(size_t)p2[i]] != (int64_t)i) return false;
    return forwardValue(g, n->outputs[0], p->input(0));
  }

  /// v is (or will become, once transposes are sunk) a Transpose with
  /// `perm` or a constant: produced by such a Transpose, constant, or the
  /// result of elementwise ops of such values.
  static bool followsTranspose(const Value *v, const std::vector<int64_t> &perm, int depth) {
    if (!v || depth > 8) return false;
    if (layoutConstant(v)) return true;
    const Node *p = v->producer();
    if (!p || p->outputs.size() != 1) return false;
    if (isOp(p, "Transpose")) return permOf(*p) == perm;
    if (isUnaryElementwise(p)) return followsTranspose(p->input(0), perm, depth + 1);
    if (isBinaryElementwise(p) && p->inputs.size() == 2)
      return followsTranspose(p->input(0), perm, depth + 1) &&
             followsTranspose(p->input(1), perm, depth + 1);
    return false;
  }

  /// Every user of the transposed value t is an elementwise op whose other
  /// operands follow the same transpose: sinking through all of them
  /// leaves t without users.
  static bool allUsersSinkable(Graph &g, Value *t, const std::vector<int64_t> &perm) {
    if (g.isGraphOutput(t)) return false;
    for (Node *u : g.usersOf(t)) {
      if (u->outputs.size() != 1 || !u->outputs[0]) return false;
      if (isUnaryElementwise(u)) continue;
      if (isBinaryElementwise(u) && u->inputs.size() == 2 &&
          followsTranspose(u->input(0), perm, 0) && followsTranspose(u->input(1), perm, 0))
        continue;
      return false;
    }
    return true;
  }

  /// op(T(a, p), ...) -> T(op(a, ...), p) for layout-agnostic ops.
  bool sink(Graph &g, Node *n) {
    if (n->outputs.size() != 1 || !n->outputs[0]) return false;
    Value *y = n->outputs[0];
    if (!y->type.hasRank) return false;
    std::vector<int64_t> perm;
    std::vector<Value *> newInputs = n->inputs;
    UseCounts uc(g);
    auto transposed = [&](Value *v) -> Node * {
      Node *t = producerIs(v, "Transpose");
      return t && !permOf(*t).empty() ? t : nullptr;
    };
    if (isUnaryElementwise(n)) {
      Node *t = transposed(n->input(0));
      if (!t) return false;
      perm = permOf(*t);
      newInputs[0] = t->input(0);
    } else if (isBinaryElementwise(n) && n->inputs.size() == 2) {
      Node *t0 = transposed(n->input(0)), *t1 = transposed(n->input(1));
      Node *t = t0 ? t0 : t1;
      if (!t) return false;
      perm = permOf(*t);
      size_t r = perm.size();
      if (y->type.rank() != r) return false;
      for (size_t i = 0; i < 2; ++i) {
        Value *v = n->input(i);
        Node *ti = transposed(v);
        if (ti && permOf(*ti) == perm && ti->input(0)->type.hasRank &&
            ti->input(0)->type.rank() == r) {
          newInputs[i] = ti->input(0);
        } else if (const Tensor *c = layoutConstant(v)) {
          if (c->rank() > r) return false;
          Tensor full = c->reshaped(rightAlignedShape(c->shape(), r));
          newInputs[i] = addConstant(g, v->name + "/nhwc",
                                     permuteTensor(full, inversePerm(perm)));
          newInputs[i]->quant = permutedQuant(v->quant, inversePerm(perm),
                                              (int64_t)r - (int64_t)c->rank());
        } else {
          return false;
        }
      }
    } else if (isOp(n, "Concat") && !n->inputs.empty()) {
      Node *t0 = transposed(n->input(0));
      if (!t0) return false;
      perm = permOf(*t0);
      for (size_t i = 0; i < n->inputs.size(); ++i) {
        Node *ti = transposed(n->input(i));
        if (!ti || permOf(*ti) != perm) return false;
        newInputs[i] = ti->input(0);
      }
    } else {
      return false;
    }
    // Only worth it when every transposed input dies, so the number of
    // transposes does not grow: a transposed input with other users is
    // sunk only when each of those users will be sunk as well (e.g. the
    // expanded HardSwish x * Clip(x + 3) / 6, where x feeds Add and Mul).
    for (size_t i = 0; i < n->inputs.size(); ++i)
      if (newInputs[i] != n->inputs[i] && transposed(n->inputs[i]) &&
          !uc.singleUse(n->inputs[i]) && !allUsersSinkable(g, n->inputs[i], perm))
        return false;
    std::vector<int64_t> inv = inversePerm(perm);
    Value *inner = g.addValue(g.uniqueName(y->name + "/pre"),
                              permuteType(y->type, inv));
    inner->quant = permutedQuant(y->quant, inv);
    Node *op = g.addNodeBefore(n, n->opType, newInputs, {inner}, n->name, n->domain);
    op->attrs = n->attrs;
    op->opsetVersion = n->opsetVersion;
    if (isOp(n, "Concat")) {
      const Attribute *ax = n->attr("axis");
      int64_t a = ax ? ax->i : 0;
      if (a < 0) a += (int64_t)perm.size();
      op->attrs["axis"] = Attribute::makeInt(perm[(size_t)a]);
    }
    g.setNodeOutput(n, 0, nullptr);
    g.removeNode(n);
    Node *t = addBeforeFirstUser(g, y, "Transpose", {inner}, g.uniqueName(y->name + "/t"));
    t->opsetVersion = 13;
    t->attrs["perm"] = Attribute::makeInts(perm);
    return true;
  }
};

} // namespace

std::unique_ptr<Pass> createConvertToNhwcPass() {
  return std::make_unique<ConvertToNhwcPass>();
}

} // namespace edgec
