// fold-qdq: turns quantize/dequantize groups into integer ops, the form back
// ends consume. A node with an integer kernel whose float activations all
// come from DequantizeLinear (constant parameters) and whose output goes
// only to QuantizeLinear nodes with identical parameters reads the integer
// tensors directly and produces the QuantizeLinear output: its values carry
// Value::quant and the interpreter runs the integer kernel (edgec.int).
// A Relu or Clip between the node and the QuantizeLinear becomes the fused
// activation (an output clamp). ONNX's QOperator forms QLinearConv and
// QLinearMatMul become Conv / MatMul on quantized values the same way.
// Applies to QDQ models written by insert-qdq and by other tools alike; a
// group that does not match (float-only op, mismatched parameters, blocked
// quantization) is left alone, in float between its DQ and Q nodes, and so
// are the nodes listed in the model's "edgec.float_nodes" metadata (kept in
// float by the user; insert-qdq writes it).
#include "ir/Annotations.h"
#include "interp/Kernel.h"
#include "passes/Pass.h"
#include "passes/PatternUtil.h"
#include "passes/quant/QuantOps.h"

#include <cmath>
#include <optional>
#include <set>

namespace edgec {
namespace {

bool isQuantStorage(DataType t) {
  return t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16 ||
         t == DataType::Int32;
}

/// Constant quantization parameters of a QuantizeLinear/DequantizeLinear
/// (scale input 1, zero point input 2) for a quantized tensor of `rank`.
std::optional<QuantParams> constParams(const Node &n, size_t scaleIdx,
                                       size_t zpIdx, const Value *quantized,
                                       int defaultAxis) {
  const Value *s = n.input(scaleIdx), *z = n.input(zpIdx);
  if (!s || !s->constant || s->constant->dtype() != DataType::Float32)
    return std::nullopt;
  if (const Attribute *b = n.attr("block_size"); b && b->i != 0)
    return std::nullopt;
  const Tensor &st = *s->constant;
  const int64_t count = st.numElements();
  if (count < 1) return std::nullopt;
  QuantParams q;
  for (int64_t i = 0; i < count; ++i) {
    const double v = st.getDouble(i);
    if (!(v > 0) || !std::isfinite(v)) return std::nullopt;
    q.scale.push_back((float)v);
  }
  if (z) {
    if (!z->constant || z->constant->numElements() != count) return std::nullopt;
    for (int64_t i = 0; i < count; ++i) q.zeroPoint.push_back(z->constant->getInt64(i));
  } else {
    q.zeroPoint.assign((size_t)count, 0);
  }
  if (st.rank() >= 1 && count > 1) {
    if (!quantized || !quantized->type.hasRank) return std::nullopt;
    const int64_t rank = (int64_t)quantized->type.rank();
    const Attribute *a = n.attr("axis");
    int64_t axis = a ? a->i : defaultAxis;
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) return std::nullopt;
    q.axis = (int)axis;
  }
  return q;
}

/// Float constants integer kernels read as they are.
bool isFloatParamSlot(const Node &n, size_t i) {
  const std::string &op = n.opType;
  if (op == "Clip") return i >= 1;
  if (op == "Pad") return i == 2;
  if (op == "Resize" || op == "Upsample") return i >= 1;
  const QuantOpInfo *info = quantOpInfo(op);
  return info && info->lookupTable && i >= 1;
}

class FoldQdqPass : public Pass {
public:
  const char *name() const override { return "fold-qdq"; }

  Expected<bool> run(Model &m, PassContext &ctx) override {
    g_ = m.graph.get();
    bool changed = false;
    std::vector<Node *> nodes;
    for (const auto &n : g_->nodes()) nodes.push_back(n.get());
    removed_.clear();
    const std::set<std::string> keep = floatNodes(m);
    for (Node *n : nodes) {
      if (removed_.count(n) || !n->domain.empty()) continue;
      if (n->opType == "QLinearConv" || n->opType == "QLinearMatMul") {
        if (foldQLinear(*n)) {
          ctx.stats.add("qlinear-lowered");
          changed = true;
        }
        continue;
      }
      const std::string op = n->opType;
      if (keep.count(n->name)) continue;
      if (foldGroup(*n)) {
        ctx.stats.add("folded-" + op);
        changed = true;
      }
    }
    if (changed) removeDeadNodes(*g_);
    return changed;
  }

private:
  bool usedInSubgraph(const Value *v) const {
    bool used = false;
    for (const auto &n : g_->nodes())
      for (Graph *sg : n->subgraphs())
        forEachGraph(*sg, [&](Graph &h) {
          for (const auto &hn : h.nodes())
            for (const Value *in : hn->inputs)
              if (in == v) used = true;
        });
    return used;
  }

  /// The integer value and parameters a float input comes from (via DQ).
  struct Source {
    Value *value = nullptr;
    QuantParams q;
  };
  std::optional<Source> dequantizedSource(const Value *v) const {
    Node *dq = producerIs(v, "DequantizeLinear");
    if (!dq) return std::nullopt;
    Value *x = dq->input(0);
    if (!x || !isQuantStorage(x->type.dtype)) return std::nullopt;
    std::optional<QuantParams> q = constParams(*dq, 1, 2, x, 1);
    if (!q) return std::nullopt;
    if (x->quant && !(*x->quant == *q)) return std::nullopt;
    return Source{x, *q};
  }

  bool hasIntegerKernel(const std::string &op) const {
    return KernelRegistry::builtin().find(kIntegerKernelDomain, op) != nullptr;
  }

  /// The QuantizeLinear nodes consuming y, all with equal parameters and
  /// output types; empty when y has another use.
  std::vector<Node *> quantizingUsers(Value *y) const {
    if (!y || g_->isGraphOutput(y) || usedInSubgraph(y)) return {};
    std::vector<Node *> users = g_->usersOf(y);
    if (users.empty()) return {};
    std::optional<QuantParams> first;
    DataType t = DataType::Undefined;
    for (Node *u : users) {
      if (!isOp(u, "QuantizeLinear") || u->input(0) != y || !u->outputs[0])
        return {};
      std::optional<QuantParams> q = constParams(*u, 1, 2, u->outputs[0], 1);
      if (!q || q->perAxis()) return {};
      const DataType ut = u->outputs[0]->type.dtype;
      if (first && (!(*first == *q) || ut != t)) return {};
      first = q;
      t = ut;
    }
    return users;
  }

  bool foldGroup(Node &n) {
    if (n.opType == "QuantizeLinear" || n.opType == "DequantizeLinear" ||
        !quantOpInfo(n.opType) || !hasIntegerKernel(n.opType))
      return false;
    if (!quantizableShape(*g_, n)) return false;
    Value *y = n.outputs[0];
    // A Relu / Clip between the node and the QuantizeLinear.
    Node *act = nullptr;
    std::vector<Node *> qs = quantizingUsers(y);
    if (qs.empty()) {
      std::vector<Node *> users = g_->usersOf(y);
      if (users.size() != 1 || hasFusedActivation(n) || g_->isGraphOutput(y) ||
          usedInSubgraph(y))
        return false;
      act = users[0];
      const bool leaky = isOp(act, "LeakyRelu") &&
                         (isOp(&n, "Conv") || isOp(&n, "Gemm") || isOp(&n, "MatMul"));
      if (!(isOp(act, "Relu") || isOp(act, "Clip") || leaky) || act->input(0) != y)
        return false;
      if (isOp(act, "Clip") && act->opsetVersion >= 11)
        for (size_t i = 1; i < act->inputs.size(); ++i)
          if (act->inputs[i] && !act->inputs[i]->constant) return false;
      qs = quantizingUsers(act->outputs[0]);
      if (qs.empty()) return false;
    }
    // Inputs.
    std::vector<std::pair<size_t, Source>> repl;
    bool anyData = false;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      Value *v = n.inputs[i];
      if (!v) continue;
      if (v->type.dtype == DataType::Float32) {
        if (std::optional<Source> s = dequantizedSource(v)) {
          repl.emplace_back(i, *s);
          anyData = true;
          continue;
        }
        if (v->constant && isFloatParamSlot(n, i)) continue;
        return false;
      }
      if (isQuantStorage(v->type.dtype) && v->quant) anyData = true;
    }
    if (!anyData) return false;
    // Two DQs of one integer value with different parameters.
    for (size_t a = 0; a < repl.size(); ++a)
      for (size_t b = a + 1; b < repl.size(); ++b)
        if (repl[a].second.value == repl[b].second.value &&
            !(repl[a].second.q == repl[b].second.q))
          return false;

    std::optional<QuantParams> yq = constParams(*qs[0], 1, 2, qs[0]->outputs[0], 1);
    for (auto &[i, s] : repl) {
      s.value->quant = s.q;
      n.inputs[i] = s.value;
    }
    if (act) {
      n.attrs[kFusedActivationAttr] = Attribute::makeString(act->opType);
      if (isOp(act, "Clip")) {
        auto bound = [&](size_t idx, const char *attr, const char *name) {
          double v = 0;
          bool has = false;
          if (act->opsetVersion < 11) {
            if (const Attribute *a = act->attr(attr)) v = a->f, has = true;
          } else if (Value *b = act->input(idx); b && b->constant &&
                                                 b->constant->numElements() == 1) {
            v = b->constant->getDouble(0);
            has = true;
          }
          if (has)
            n.attrs[std::string(kFusedActivationAttr) + "." + name] =
                Attribute::makeFloat((float)v);
        };
        bound(1, "min", "min");
        bound(2, "max", "max");
      }
      if (isOp(act, "LeakyRelu")) {
        const Attribute *al = act->attr("alpha");
        n.attrs[std::string(kFusedActivationAttr) + ".alpha"] =
            Attribute::makeFloat(al ? al->f : 0.01f);
      }
    }
    Value *yint = qs[0]->outputs[0];
    yint->quant = *yq;
    for (size_t k = 1; k < qs.size(); ++k) {
      Value *o = qs[k]->outputs[0];
      g_->replaceAllUsesWith(o, yint);
      removed_.insert(qs[k]);
      g_->removeNode(qs[k]);
      g_->removeValue(o);
    }
    removed_.insert(qs[0]);
    g_->removeNode(qs[0]);
    g_->setNodeOutput(&n, 0, yint);
    if (act) {
      Value *ao = act->outputs[0];
      removed_.insert(act);
      g_->removeNode(act);
      g_->removeValue(ao);
    }
    g_->removeValue(y);
    return true;
  }

  /// QLinearConv(x, xs, xzp, w, ws, wzp, ys, yzp[, B]) -> Conv(x, w[, B]);
  /// QLinearMatMul(a, as, azp, b, bs, bzp, ys, yzp) -> MatMul(a, b).
  bool foldQLinear(Node &n) {
    const bool conv = n.opType == "QLinearConv";
    if (n.inputs.size() < 8 || n.outputs.empty() || !n.outputs[0]) return false;
    Value *x = n.input(0), *w = n.input(3), *y = n.outputs[0];
    if (!x || !w || !isQuantStorage(x->type.dtype) || !isQuantStorage(w->type.dtype))
      return false;
    std::optional<QuantParams> xq = constParams(n, 1, 2, x, 1);
    std::optional<QuantParams> wq =
        constParams(n, 4, 5, w, conv ? 0 : (int)w->type.rank() - 1);
    std::optional<QuantParams> yq = constParams(n, 6, 7, y, 1);
    if (!xq || !wq || !yq || xq->perAxis() || yq->perAxis()) return false;
    if (wq->perAxis()) {
      // ONNX: per output channel (Conv axis 0, MatMul the last axis).
      wq->axis = conv ? 0 : (int)w->type.rank() - 1;
    }
    if ((x->quant && !(*x->quant == *xq)) || (w->quant && !(*w->quant == *wq)) ||
        (y->quant && !(*y->quant == *yq)))
      return false;
    Value *b = conv ? n.input(8) : nullptr;
    if (b) {
      if (!b->constant || b->type.dtype != DataType::Int32) return false;
      QuantParams bq;
      for (float ws : wq->scale) bq.scale.push_back(xq->scale[0] * ws);
      bq.zeroPoint.assign(bq.scale.size(), 0);
      if (bq.scale.size() > 1) bq.axis = 0;
      if (b->quant && !(*b->quant == bq)) return false;
      b->quant = bq;
    }
    x->quant = *xq;
    w->quant = *wq;
    y->quant = *yq;
    n.opType = conv ? "Conv" : "MatMul";
    n.inputs = b ? std::vector<Value *>{x, w, b} : std::vector<Value *>{x, w};
    return true;
  }

  Graph *g_ = nullptr;
  /// Nodes removed during this run (never dereferenced; lookup only).
  std::set<const Node *> removed_;
};

} // namespace

std::unique_ptr<Pass> createFoldQdqPass() {
  return std::make_unique<FoldQdqPass>();
}

} // namespace edgec
