// Structured (channel) pruning.
//
// Every tensor that carries channels of a prunable layer is "tracked" with
// its channel axis; each (tensor, channel) pair is an element of a
// union-find, and ops that relate channels (activations, BatchNormalization,
// depthwise Conv, pooling, broadcasting binary ops, Concat, Transpose,
// reshapes of [N,C,1,1]) join the matching elements. An equivalence class is
// one channel that can only be removed everywhere at once; it is blocked
// when any of its tensors reaches something that cannot drop channels (a
// graph output, an op not understood, a graph input, a subgraph). Layers
// whose classes are shared (Add groups) form one group; each group loses
// floor(sparsity * channels) of its unblocked classes with the smallest
// filter norms. Removal slices the producers' filters, the consumers' input
// channels and every per-channel parameter in between.
#include "prune/Prune.h"

#include "analysis/ModelStats.h"
#include "interp/ConstantEvaluation.h"
#include "ir/Verifier.h"
#include "passes/PatternUtil.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <set>

namespace edgec {

namespace prune_detail {
int64_t nodeParamsOf(const Node &n);
Value *setConstantInput(Graph &g, Node *n, int input, Tensor t);
void removeUnused(Graph &g, const std::vector<Value *> &old);
} // namespace prune_detail

namespace {

/// edgec annotations other than fused activations change what a node's
/// operands mean (layout, quantization): such nodes are not understood.
bool hasForeignAnnotations(const Node &n) {
  for (const auto &[k, a] : n.attrs)
    if (k.rfind("edgec.", 0) == 0 && k.rfind("edgec.activation", 0) != 0)
      return true;
  for (const Value *v : n.inputs)
    if (v && v->quant) return true;
  for (const Value *v : n.outputs)
    if (v && v->quant) return true;
  return false;
}

const Tensor *constOf(const Value *v) { return constantData(v); }

/// How a channel source slices its weights: output channel c is index c of
/// weight axis wAxis and (when present) of bias axis biasAxis.
struct SourceSpec {
  int outAxis = 1;
  int wInput = 1, wAxis = 0;
  int biasInput = -1, biasAxis = 0;
};

std::optional<SourceSpec> sourceSpec(const Node &n) {
  if (!n.domain.empty() || hasForeignAnnotations(n) || n.outputs.empty() ||
      !n.outputs[0] || !n.subgraphs().empty())
    return std::nullopt;
  for (size_t i = 1; i < n.outputs.size(); ++i)
    if (n.outputs[i]) return std::nullopt;
  const Value *out = n.outputs[0];
  if (!out->type.hasRank) return std::nullopt;
  const Tensor *w = constOf(n.input(1));
  if (!w || !isFloatType(w->dtype())) return std::nullopt;
  SourceSpec s;
  auto biasOk = [&](int i, int64_t len) -> bool {
    const Value *b = n.input(i);
    if (!b) return true;
    const Tensor *bt = constOf(b);
    return bt && bt->rank() == 1 && bt->dim(0) == len;
  };
  if (n.opType == "Conv" || n.opType == "ConvTranspose") {
    if (n.attrInt("group", 1) != 1 || w->rank() < 3 || out->type.rank() != w->rank())
      return std::nullopt;
    s.outAxis = 1;
    s.wAxis = n.opType == "Conv" ? 0 : 1;
    if (!biasOk(2, w->dim(s.wAxis))) return std::nullopt;
    if (n.input(2)) s.biasInput = 2;
    s.biasAxis = 0;
    return s;
  }
  if (n.opType == "Gemm") {
    if (w->rank() != 2 || out->type.rank() != 2) return std::nullopt;
    bool tb = n.attrInt("transB", 0) != 0;
    s.outAxis = 1;
    s.wAxis = tb ? 0 : 1;
    int64_t N = w->dim(s.wAxis);
    if (const Value *c = n.input(2)) {
      const Tensor *ct = constOf(c);
      if (!ct) return std::nullopt;
      if (ct->numElements() == 1) {
        // broadcast scalar: nothing to slice
      } else if (ct->rank() == 1 && ct->dim(0) == N) {
        s.biasInput = 2;
        s.biasAxis = 0;
      } else if (ct->rank() == 2 && ct->dim(1) == N) {
        s.biasInput = 2;
        s.biasAxis = 1;
      } else if (!(ct->rank() == 2 && ct->dim(1) == 1)) {
        return std::nullopt;
      }
    }
    return s;
  }
  if (n.opType == "MatMul") {
    if (w->rank() != 2 || out->type.rank() < 2) return std::nullopt;
    if (constOf(n.input(0))) return std::nullopt;
    s.outAxis = (int)out->type.rank() - 1;
    s.wAxis = 1;
    return s;
  }
  return std::nullopt;
}

struct Tracked {
  Value *v = nullptr;
  int axis = 0;
  int64_t C = 0;
  int64_t base = 0; // first union-find element
  bool blocked = false;
  std::string reason;
  int source = -1; // index into sources when v is a source's output
};

struct Source {
  Node *node;
  SourceSpec spec;
  int out; // tracked index
  std::vector<double> norms;
};

/// Slice of a constant node input: index c along `axis` is channel c of
/// tracked value `tracked`.
struct Slice {
  Node *node;
  int input;
  int axis;
  int tracked;
  bool sink = false; // a consumer's input channels
};

struct ReshapeFix {
  Node *node;
  int outTracked;
  int outAxis;
};

class ChannelAnalysis {
public:
  explicit ChannelAnalysis(Graph &g) : g_(g) {
    int i = 0;
    for (const auto &n : g.nodes()) nodeIndex_[n.get()] = i++;
    processed_.assign(g.nodes().size(), 0);
    collectCaptures(g);
  }

  void run(PruneNorm norm) {
    for (const auto &up : g_.nodes()) {
      Node *n = up.get();
      auto spec = sourceSpec(*n);
      if (!spec) continue;
      Value *out = n->outputs[0];
      if (out->type.rank() <= (size_t)spec->outAxis) continue;
      const Dim &d = out->type.dims[spec->outAxis];
      const Tensor &w = *constOf(n->inputs[spec->wInput]);
      if (!d.isStatic() || d.value != w.dim(spec->wAxis)) continue;
      int t = track(out, spec->outAxis);
      if (t < 0 || vals_[t].source >= 0) continue;
      Source s{n, *spec, t, filterNorms(w, spec->wAxis, norm)};
      vals_[t].source = (int)sources_.size();
      sources_.push_back(std::move(s));
    }
    while (!work_.empty()) {
      int t = work_.front();
      work_.erase(work_.begin());
      processValue(t);
    }
  }

  Graph &g_;
  std::vector<Tracked> vals_;
  std::map<const Value *, int> index_; // lookup only
  std::vector<int64_t> parent_;
  std::vector<Source> sources_;
  std::vector<Slice> slices_;
  std::vector<std::pair<Node *, int>> groupFixes_; // depthwise: (node, tracked in)
  std::vector<ReshapeFix> reshapeFixes_;
  std::vector<std::pair<Node *, int>> sinks_;      // registered once per node

  int64_t find(int64_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void unite(int64_t a, int64_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (a < b) parent_[b] = a;
    else parent_[a] = b;
  }

private:
  std::map<const Node *, int> nodeIndex_; // lookup only
  std::vector<char> processed_;
  std::vector<int> work_;
  std::set<const Value *> captured_; // lookup only

  void collectCaptures(Graph &g) {
    for (const auto &n : g.nodes())
      for (Graph *sg : n->subgraphs())
        forEachGraph(*sg, [&](Graph &h) {
          for (const auto &m : h.nodes())
            for (const Value *v : m->inputs)
              if (v && v->owner() == &g_) captured_.insert(v);
          for (const Value *v : h.outputs)
            if (v && v->owner() == &g_) captured_.insert(v);
        });
  }

  static std::vector<double> filterNorms(const Tensor &w, int axis, PruneNorm norm) {
    int64_t n = w.dim(axis);
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < axis; ++i) outer *= w.dim(i);
    for (size_t i = axis + 1; i < w.rank(); ++i) inner *= w.dim(i);
    std::vector<double> r(n, 0.0);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t c = 0; c < n; ++c)
        for (int64_t k = 0; k < inner; ++k) {
          double x = w.getDouble((o * n + c) * inner + k);
          r[c] += norm == PruneNorm::L1 ? std::fabs(x) : x * x;
        }
    if (norm == PruneNorm::L2)
      for (double &x : r) x = std::sqrt(x);
    return r;
  }

  /// Tracks v with channel axis `axis`; -1 when its channel dim is unknown.
  int track(Value *v, int axis) {
    if (!v) return -1;
    auto it = index_.find(v);
    if (it != index_.end()) {
      if (vals_[it->second].axis != axis) {
        block(it->second, "'" + v->name + "' carries channels on two axes");
        return -1;
      }
      return it->second;
    }
    if (!v->type.hasRank || axis < 0 || (size_t)axis >= v->type.rank()) return -1;
    const Dim &d = v->type.dims[axis];
    if (!d.isStatic() || d.value < 1) return -1;
    Tracked t;
    t.v = v;
    t.axis = axis;
    t.C = d.value;
    t.base = (int64_t)parent_.size();
    for (int64_t c = 0; c < t.C; ++c) parent_.push_back(t.base + c);
    int idx = (int)vals_.size();
    vals_.push_back(t);
    index_[v] = idx;
    work_.push_back(idx);
    return idx;
  }

  void block(int t, const std::string &why) {
    if (t < 0) return;
    if (!vals_[t].blocked) vals_[t].reason = why;
    vals_[t].blocked = true;
  }

  /// Joins channel c of a with channel c of b (same channel count).
  bool tie(int a, int b) {
    if (a < 0 || b < 0) return false;
    if (vals_[a].C != vals_[b].C) return false;
    for (int64_t c = 0; c < vals_[a].C; ++c)
      unite(vals_[a].base + c, vals_[b].base + c);
    return true;
  }

  void processValue(int t) {
    Value *v = vals_[t].v;
    if (g_.isGraphOutput(v)) block(t, "feeds graph output '" + v->name + "'");
    if (captured_.count(v)) block(t, "'" + v->name + "' is used in a subgraph");
    if (Node *p = v->producer()) {
      if (vals_[t].source < 0) visit(p, t, true, v->producerOutput());
    } else if (v->isGraphInput()) {
      block(t, "comes from graph input '" + v->name + "'");
    } else {
      block(t, "'" + v->name + "' is a constant");
    }
    for (Node *u : g_.usersOf(v))
      for (size_t i = 0; i < u->inputs.size(); ++i)
        if (u->inputs[i] == v) visit(u, t, false, (int)i);
  }

  std::string usedBy(const Node *n, bool asOutput) {
    return std::string(asOutput ? "produced by " : "used by ") + n->opType +
           " '" + n->name + "'";
  }

  void visit(Node *n, int t, bool asOutput, int slot) {
    if (!n->domain.empty() || hasForeignAnnotations(*n) || !n->subgraphs().empty()) {
      block(t, usedBy(n, asOutput));
      return;
    }
    const std::string &op = n->opType;
    // Sinks: layers that drop input channels by slicing their weight.
    if (!asOutput && slot == 0) {
      if (int axis = sinkWeightAxis(*n, vals_[t]); axis >= 0) {
        bool seen = false;
        for (auto &[sn, st] : sinks_)
          if (sn == n) seen = true;
        if (!seen) {
          sinks_.push_back({n, t});
          slices_.push_back({n, 1, axis, t, true});
        }
        return;
      }
    }
    int idx = nodeIndex_.at(n);
    bool ok = true;
    if (!processed_[idx]) {
      processed_[idx] = 1;
      ok = relate(n, t, asOutput, slot);
      relateOk_[n] = ok;
    } else {
      ok = relateOk_[n];
    }
    if (!ok) {
      block(t, usedBy(n, asOutput));
      // Everything this node related is blocked too.
      for (Value *v : n->inputs)
        if (v && index_.count(v)) block(index_[v], usedBy(n, false));
      for (Value *v : n->outputs)
        if (v && index_.count(v)) block(index_[v], usedBy(n, true));
    }
    (void)op;
  }
  std::map<const Node *, bool> relateOk_; // lookup only

  /// Weight axis a sink slices for input channels, or -1.
  int sinkWeightAxis(const Node &n, const Tracked &t) {
    const Tensor *w = constOf(n.input(1));
    if (!w || !isFloatType(w->dtype())) return -1;
    if (n.opType == "Conv" || n.opType == "ConvTranspose") {
      if (n.attrInt("group", 1) != 1 || t.axis != 1 || w->rank() < 3) return -1;
      int ax = n.opType == "Conv" ? 1 : 0;
      return w->dim(ax) == t.C ? ax : -1;
    }
    if (n.opType == "Gemm") {
      if (n.attrInt("transA", 0) != 0 || t.axis != 1 || w->rank() != 2 ||
          t.v->type.rank() != 2)
        return -1;
      int ax = n.attrInt("transB", 0) ? 1 : 0;
      return w->dim(ax) == t.C ? ax : -1;
    }
    if (n.opType == "MatMul") {
      if (w->rank() != 2 || t.axis != (int)t.v->type.rank() - 1) return -1;
      return w->dim(0) == t.C ? 0 : -1;
    }
    return -1;
  }

  bool extraOutputsUnused(const Node *n) {
    for (size_t i = 1; i < n->outputs.size(); ++i) {
      const Value *o = n->outputs[i];
      if (o && (!g_.usersOf(o).empty() || g_.isGraphOutput(o))) return false;
    }
    return true;
  }

  /// Axis of `v` given the channel axis `a` of a tensor of rank r in a
  /// broadcast of rank R (right-aligned).
  static int alignAxis(int a, size_t fromRank, size_t toRank) {
    return a + (int)toRank - (int)fromRank;
  }

  static bool isUnary(const std::string &op) {
    static const std::set<std::string> ops = {
        "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish",
        "Tanh", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Swish", "Mish",
        "Gelu", "Identity", "Dropout", "Abs", "Neg", "Exp", "Erf",
        "ThresholdedRelu", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round",
        "Sign", "Sin", "Cos", "Log"};
    return ops.count(op) > 0;
  }
  static bool isBinary(const std::string &op) {
    static const std::set<std::string> ops = {"Add", "Sub", "Mul", "Div", "Max",
                                              "Min", "Sum", "Mean", "PRelu", "Pow"};
    return ops.count(op) > 0;
  }
  static bool isPool(const std::string &op) {
    static const std::set<std::string> ops = {
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
        "LpPool", "GlobalLpPool"};
    return ops.count(op) > 0;
  }

  /// Establishes the channel relations of a pass-through node; false when
  /// the node cannot carry channels through (then its tensors are blocked).
  bool relate(Node *n, int t, bool asOutput, int slot) {
    const std::string &op = n->opType;
    int axis = vals_[t].axis;
    Value *in0 = n->input(0);
    Value *out0 = n->outputs.empty() ? nullptr : n->outputs[0];
    if (!in0 || !out0) return false;
    if (isUnary(op)) {
      if (asOutput ? slot != 0 : slot != 0) return false;
      if (!extraOutputsUnused(n)) return false;
      for (size_t i = 1; i < n->inputs.size(); ++i) {
        const Value *x = n->inputs[i];
        if (x && !(constOf(x) && constOf(x)->numElements() == 1)) return false;
      }
      return tie(track(in0, axis), track(out0, axis));
    }
    if (op == "BatchNormalization" || op == "InstanceNormalization") {
      if (axis != 1 || slot != 0 || !extraOutputsUnused(n)) return false;
      int a = track(in0, 1), b = track(out0, 1);
      if (!tie(a, b)) return false;
      size_t np = op == "BatchNormalization" ? 5 : 3;
      if (n->inputs.size() < np) return false;
      for (size_t i = 1; i < np; ++i) {
        const Tensor *p = constOf(n->inputs[i]);
        if (!p || p->rank() != 1 || p->dim(0) != vals_[a].C) return false;
      }
      for (size_t i = 1; i < np; ++i) slices_.push_back({n, (int)i, 0, a});
      return true;
    }
    if (op == "Conv") {
      // Depthwise (channel multiplier 1): channel c in is channel c out.
      const Tensor *w = constOf(n->input(1));
      int a = track(in0, 1);
      if (axis != 1 || slot != 0 || a < 0 || !w || w->rank() < 3) return false;
      int64_t C = vals_[a].C;
      if (n->attrInt("group", 1) != C || w->dim(0) != C || w->dim(1) != 1)
        return false;
      if (n->input(2)) {
        const Tensor *b = constOf(n->input(2));
        if (!b || b->rank() != 1 || b->dim(0) != C) return false;
      }
      if (!extraOutputsUnused(n)) return false;
      if (!tie(a, track(out0, 1))) return false;
      slices_.push_back({n, 1, 0, a});
      if (n->input(2)) slices_.push_back({n, 2, 0, a});
      groupFixes_.push_back({n, a});
      return true;
    }
    if (isPool(op)) {
      if (axis != 1 || slot != 0 || !extraOutputsUnused(n)) return false;
      return tie(track(in0, 1), track(out0, 1));
    }
    if (op.rfind("Reduce", 0) == 0 && op != "ReduceL1" && op != "ReduceL2" &&
        op != "ReduceLogSumExp" && op != "ReduceSumSquare") {
      return relateReduce(n, t, asOutput);
    }
    if (isBinary(op)) return relateBinary(n, t, asOutput, slot);
    if (op == "Concat") return relateConcat(n, t, asOutput, slot);
    if (op == "Transpose") {
      if (slot != 0) return false;
      size_t r = in0->type.hasRank ? in0->type.rank() : 0;
      if (!r) return false;
      std::vector<int64_t> perm;
      if (const Attribute *p = n->attr("perm")) perm = p->ints;
      else
        for (size_t i = 0; i < r; ++i) perm.push_back((int64_t)(r - 1 - i));
      if (perm.size() != r) return false;
      int inAxis = -1, outAxis = -1;
      if (asOutput) {
        outAxis = axis;
        inAxis = (int)perm[axis];
      } else {
        inAxis = axis;
        for (size_t j = 0; j < r; ++j)
          if (perm[j] == axis) outAxis = (int)j;
      }
      return tie(track(in0, inAxis), track(out0, outAxis));
    }
    if (op == "Flatten" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze")
      return relateReshape(n, t, asOutput, slot);
    return false;
  }

  bool relateReduce(Node *n, int t, bool asOutput) {
    Value *in0 = n->input(0), *out0 = n->outputs[0];
    if (!in0->type.hasRank || !extraOutputsUnused(n)) return false;
    int r = (int)in0->type.rank();
    std::vector<int64_t> axes;
    if (const Attribute *a = n->attr("axes")) axes = a->ints;
    else if (const Tensor *at = constOf(n->input(1))) axes = at->toInt64Vector();
    else return false;
    if (axes.empty()) return false;
    for (int64_t &a : axes) {
      if (a < 0) a += r;
      if (a < 0 || a >= r) return false;
    }
    bool keep = n->attrInt("keepdims", 1) != 0;
    auto outOf = [&](int inAxis) {
      if (keep) return inAxis;
      int k = inAxis;
      for (int64_t a : axes)
        if (a < inAxis) --k;
      return k;
    };
    int inAxis = -1;
    if (asOutput) {
      for (int i = 0; i < r; ++i)
        if (std::find(axes.begin(), axes.end(), i) == axes.end() &&
            outOf(i) == vals_[t].axis)
          inAxis = i;
    } else {
      inAxis = vals_[t].axis;
    }
    if (inAxis < 0 || std::find(axes.begin(), axes.end(), inAxis) != axes.end())
      return false;
    return tie(track(in0, inAxis), track(out0, outOf(inAxis)));
  }

  bool relateBinary(Node *n, int t, bool asOutput, int slot) {
    Value *out0 = n->outputs[0];
    if (!out0->type.hasRank || !extraOutputsUnused(n)) return false;
    size_t R = out0->type.rank();
    int outAxis = asOutput ? vals_[t].axis
                           : alignAxis(vals_[t].axis, vals_[t].v->type.rank(), R);
    if (outAxis < 0 || (size_t)outAxis >= R) return false;
    int o = track(out0, outAxis);
    if (o < 0) return false;
    int64_t C = vals_[o].C;
    if (C == 1) return false;
    for (size_t j = 0; j < n->inputs.size(); ++j) {
      Value *x = n->inputs[j];
      if (!x) continue;
      if (!x->type.hasRank) return false;
      int aj = alignAxis(outAxis, R, x->type.rank());
      if (aj < 0) continue; // broadcast along the channel axis
      const Dim &d = x->type.dims[aj];
      if (!d.isStatic()) return false;
      if (d.value == 1) continue;
      if (d.value != C) return false;
      if (n->opType == "Pow" && j == 1 && !constOf(x)) return false;
      if (constOf(x)) {
        slices_.push_back({n, (int)j, aj, o});
      } else if (!tie(track(x, aj), o)) {
        return false;
      }
    }
    (void)slot;
    return true;
  }

  bool relateConcat(Node *n, int t, bool asOutput, int slot) {
    Value *out0 = n->outputs[0];
    if (!out0->type.hasRank) return false;
    int r = (int)out0->type.rank();
    int64_t cat = n->attrInt("axis", 0);
    if (cat < 0) cat += r;
    int axis = vals_[t].axis;
    for (Value *x : n->inputs)
      if (!x || constOf(x) || !x->type.hasRank || (int)x->type.rank() != r)
        return false;
    if (cat != axis) {
      int o = track(out0, axis);
      for (Value *x : n->inputs)
        if (!tie(track(x, axis), o)) return false;
      return true;
    }
    int o = track(out0, axis);
    if (o < 0) return false;
    int64_t off = 0;
    for (Value *x : n->inputs) {
      int k = track(x, axis);
      if (k < 0) return false;
      for (int64_t c = 0; c < vals_[k].C; ++c)
        unite(vals_[o].base + off + c, vals_[k].base + c);
      off += vals_[k].C;
    }
    (void)asOutput;
    (void)slot;
    return off == vals_[o].C;
  }

  /// Flatten / Reshape / Squeeze / Unsqueeze that only add or drop size-1
  /// dims around the channel dim (e.g. [N,C,1,1] -> [N,C]).
  bool relateReshape(Node *n, int t, bool asOutput, int slot) {
    if (slot != 0) return false;
    Value *in0 = n->input(0), *out0 = n->outputs[0];
    auto is = staticShape(in0), os = staticShape(out0);
    if (!is || !os) return false;
    auto nonOnes = [](const TensorShape &s) {
      std::vector<int> r;
      for (size_t i = 0; i < s.size(); ++i)
        if (s[i] != 1) r.push_back((int)i);
      return r;
    };
    std::vector<int> ni = nonOnes(*is), no = nonOnes(*os);
    if (ni.size() != no.size()) return false;
    for (size_t k = 0; k < ni.size(); ++k)
      if ((*is)[ni[k]] != (*os)[no[k]]) return false;
    int axis = vals_[t].axis;
    const std::vector<int> &from = asOutput ? no : ni;
    auto pos = std::find(from.begin(), from.end(), axis);
    if (pos == from.end()) return false;
    size_t k = pos - from.begin();
    int inAxis = ni[k], outAxis = no[k];
    if (n->opType == "Reshape") {
      const Tensor *sh = constOf(n->input(1));
      if (!sh || sh->numElements() != (int64_t)os->size()) return false;
      int64_t e = sh->getInt64(outAxis);
      if (e == 0 && inAxis != outAxis) return false;
      if (e != 0 && e != -1 && e != (*os)[outAxis]) return false;
      int o = track(out0, outAxis);
      if (!tie(track(in0, inAxis), o)) return false;
      if (e != 0 && e != -1) reshapeFixes_.push_back({n, o, outAxis});
      return true;
    }
    return tie(track(in0, inAxis), track(out0, outAxis));
  }
};

struct NodeSnapshot {
  int64_t params = 0;
  int64_t outC = -1, inC = -1;
  std::optional<int64_t> macs;
};

int64_t dimOr(const Value *v, int axis) {
  if (!v || !v->type.hasRank || axis < 0 || (size_t)axis >= v->type.rank()) return -1;
  const Dim &d = v->type.dims[axis];
  return d.isStatic() ? d.value : -1;
}

NodeSnapshot snapshot(const Node &n) {
  NodeSnapshot s;
  s.params = prune_detail::nodeParamsOf(n);
  s.macs = nodeMacs(n);
  const Value *x = n.input(0);
  const Value *y = n.outputs.empty() ? nullptr : n.outputs[0];
  if (n.opType == "Conv" || n.opType == "ConvTranspose" ||
      n.opType == "BatchNormalization" || n.opType == "InstanceNormalization") {
    s.inC = dimOr(x, 1);
    s.outC = dimOr(y, 1);
  } else if (n.opType == "Gemm") {
    s.inC = dimOr(x, n.attrInt("transA", 0) ? 0 : 1);
    s.outC = dimOr(y, 1);
  } else if (n.opType == "MatMul") {
    if (x && x->type.hasRank) s.inC = dimOr(x, (int)x->type.rank() - 1);
    if (y && y->type.hasRank) s.outC = dimOr(y, (int)y->type.rank() - 1);
  }
  return s;
}

bool isWeightLayer(const Node &n) {
  return n.domain.empty() &&
         (n.opType == "Conv" || n.opType == "ConvTranspose" || n.opType == "Gemm" ||
          n.opType == "MatMul") &&
         (constOf(n.input(1)) || constOf(n.input(0)));
}

} // namespace

std::vector<std::string> channelSourceNames(const Model &m) {
  std::vector<std::string> r;
  for (const auto &n : m.graph->nodes())
    if (sourceSpec(*n)) r.push_back(n->name);
  return r;
}

Expected<PruneResult> channelPrune(Model &m, const PruneOptions &o) {
  Graph &g = *m.graph;
  PruneResult res;
  res.method = PruneMethod::Channel;
  std::set<std::string> wanted(o.layers.begin(), o.layers.end());

  std::vector<Node *> nodes;
  std::vector<NodeSnapshot> before;
  for (const auto &n : g.nodes()) {
    nodes.push_back(n.get());
    before.push_back(snapshot(*n));
  }

  size_t diagsBefore = inferShapesCollect(m, interpreterShapeInference()).size();
  ChannelAnalysis A(g);
  A.run(o.norm);

  // Classes: blocked flags and reasons (first blocked member in order).
  size_t total = A.parent_.size();
  std::vector<int64_t> root(total);
  for (size_t e = 0; e < total; ++e) root[e] = A.find((int64_t)e);
  std::vector<char> classBlocked(total, 0);
  std::vector<std::string> classReason(total);
  for (const Tracked &t : A.vals_)
    if (t.blocked)
      for (int64_t c = 0; c < t.C; ++c) {
        int64_t r = root[t.base + c];
        if (!classBlocked[r]) classReason[r] = t.reason;
        classBlocked[r] = 1;
      }

  // Groups of sources sharing classes (union-find over sources).
  size_t ns = A.sources_.size();
  std::vector<size_t> sp(ns);
  std::iota(sp.begin(), sp.end(), 0);
  std::function<size_t(size_t)> sfind = [&](size_t x) {
    while (sp[x] != x) x = sp[x] = sp[sp[x]];
    return x;
  };
  std::map<int64_t, size_t> classFirstSource; // class root -> source
  for (size_t s = 0; s < ns; ++s) {
    const Tracked &t = A.vals_[A.sources_[s].out];
    for (int64_t c = 0; c < t.C; ++c) {
      int64_t r = root[t.base + c];
      auto it = classFirstSource.find(r);
      if (it == classFirstSource.end()) classFirstSource[r] = s;
      else {
        size_t a = sfind(it->second), b = sfind(s);
        if (a != b) sp[std::max(a, b)] = std::min(a, b);
      }
    }
  }
  // Per class: score (sum of member filters' norms) and members per value.
  std::map<int64_t, double> score;
  for (size_t s = 0; s < ns; ++s) {
    const Tracked &t = A.vals_[A.sources_[s].out];
    for (int64_t c = 0; c < t.C; ++c) score[root[t.base + c]] += A.sources_[s].norms[c];
  }
  std::map<int64_t, std::vector<std::pair<int, int64_t>>> members; // root -> (tracked, c)
  for (size_t ti = 0; ti < A.vals_.size(); ++ti) {
    const Tracked &t = A.vals_[ti];
    for (int64_t c = 0; c < t.C; ++c) members[root[t.base + c]].push_back({(int)ti, c});
  }

  std::vector<int64_t> remaining(A.vals_.size());
  for (size_t i = 0; i < A.vals_.size(); ++i) remaining[i] = A.vals_[i].C;
  std::vector<std::vector<int64_t>> removed(A.vals_.size());
  std::map<size_t, std::string> sourceNote;

  for (size_t gs = 0; gs < ns; ++gs) {
    if (sfind(gs) != gs) continue;
    ++res.channelGroups;
    // The group's classes in (source, channel) order.
    std::vector<int64_t> classes;
    std::set<int64_t> seen;
    bool selected = wanted.empty();
    for (size_t s = 0; s < ns; ++s) {
      if (sfind(s) != gs) continue;
      if (wanted.count(A.sources_[s].node->name)) selected = true;
      const Tracked &t = A.vals_[A.sources_[s].out];
      for (int64_t c = 0; c < t.C; ++c)
        if (seen.insert(root[t.base + c]).second) classes.push_back(root[t.base + c]);
    }
    int64_t n = (int64_t)classes.size();
    int64_t blocked = 0;
    std::string why;
    std::vector<int64_t> cand;
    for (int64_t r : classes) {
      if (classBlocked[r]) {
        if (!blocked) why = classReason[r];
        ++blocked;
      } else {
        cand.push_back(r);
      }
    }
    if (blocked) {
      std::string note = (blocked == n ? std::string("all") : std::to_string(blocked)) +
                         " of " + std::to_string(n) + " channels fixed: " + why;
      for (size_t s = 0; s < ns; ++s)
        if (sfind(s) == gs) sourceNote[s] = note;
    }
    if (!selected) continue;
    int64_t k = (int64_t)std::floor(o.sparsity * (double)n + 1e-9);
    std::stable_sort(cand.begin(), cand.end(), [&](int64_t a, int64_t b) {
      return score[a] < score[b];
    });
    int64_t done = 0;
    for (int64_t r : cand) {
      if (done >= k) break;
      std::map<int, int64_t> cnt;
      for (auto &[ti, c] : members[r]) cnt[ti]++;
      bool ok = true;
      for (auto &[ti, c] : cnt)
        if (remaining[ti] - c < 1) ok = false;
      if (!ok) continue;
      for (auto &[ti, c] : cnt) remaining[ti] -= c;
      for (auto &[ti, c] : members[r]) removed[ti].push_back(c);
      ++done;
    }
    if (done) {
      ++res.groupsPruned;
      res.channelsRemoved += done;
    }
  }

  bool changed = res.channelsRemoved > 0;
  std::vector<Value *> oldValues;
  if (changed && o.maskOnly) {
    for (auto &r : removed) std::sort(r.begin(), r.end());
    for (const Slice &sl : A.slices_) {
      if (!sl.sink || removed[sl.tracked].empty()) continue;
      Tensor t = zeroIndicesAlong(*constOf(sl.node->inputs[sl.input]), sl.axis,
                                  removed[sl.tracked]);
      oldValues.push_back(prune_detail::setConstantInput(g, sl.node, sl.input, t));
    }
    prune_detail::removeUnused(g, oldValues);
    return res;
  }
  if (changed) {
    for (auto &r : removed) std::sort(r.begin(), r.end());
    // Weight slices, grouped per (node, input) in node order.
    std::map<std::pair<int, int>, std::vector<std::pair<int, int>>> plan;
    std::map<const Node *, int> order; // lookup only
    for (size_t i = 0; i < nodes.size(); ++i) order[nodes[i]] = (int)i;
    auto add = [&](Node *n, int input, int axis, int t) {
      auto &v = plan[{order.at(n), input}];
      if (std::find(v.begin(), v.end(), std::make_pair(axis, t)) == v.end())
        v.push_back({axis, t});
    };
    for (const Source &s : A.sources_) {
      add(s.node, s.spec.wInput, s.spec.wAxis, s.out);
      if (s.spec.biasInput >= 0) add(s.node, s.spec.biasInput, s.spec.biasAxis, s.out);
    }
    for (const Slice &sl : A.slices_) add(sl.node, sl.input, sl.axis, sl.tracked);
    // A constant shared by several nodes that slice it the same way stays
    // shared (keyed by value name and the slices applied).
    std::map<std::string, Value *> sliced;
    for (auto &[key, ops] : plan) {
      Node *n = nodes[key.first];
      Value *old = n->inputs[key.second];
      const Tensor *orig = constOf(old);
      assert(orig && "channel prune: sliced input is not constant");
      Tensor cur = *orig;
      bool any = false;
      std::string sig = old->name;
      for (auto &[axis, t] : ops) {
        if (removed[t].empty()) continue;
        cur = removeIndicesAlong(cur, axis, removed[t]);
        any = true;
        sig += "|" + std::to_string(axis) + ":";
        for (int64_t c : removed[t]) sig += std::to_string(c) + ",";
      }
      if (!any) continue;
      auto hit = sliced.find(sig);
      if (hit != sliced.end()) {
        n->inputs[key.second] = hit->second;
        oldValues.push_back(old);
        continue;
      }
      oldValues.push_back(prune_detail::setConstantInput(g, n, key.second, cur));
      sliced[sig] = n->inputs[key.second];
    }
    for (auto &[n, t] : A.groupFixes_)
      if (!removed[t].empty())
        n->attrs["group"] = Attribute::makeInt(A.vals_[t].C - (int64_t)removed[t].size());
    for (const ReshapeFix &f : A.reshapeFixes_) {
      if (removed[f.outTracked].empty()) continue;
      Tensor sh = constOf(f.node->inputs[1])->clone();
      sh.setInt64(f.outAxis, A.vals_[f.outTracked].C - (int64_t)removed[f.outTracked].size());
      oldValues.push_back(prune_detail::setConstantInput(g, f.node, 1, sh));
    }
    for (size_t i = 0; i < A.vals_.size(); ++i) {
      if (removed[i].empty()) continue;
      Tracked &t = A.vals_[i];
      t.v->type.dims[t.axis] = Dim::fixed(t.C - (int64_t)removed[i].size());
    }
  }

  // Report: weight layers, and any other node whose parameters changed.
  std::map<const Node *, size_t> sourceOf; // lookup only
  for (size_t s = 0; s < ns; ++s) sourceOf[A.sources_[s].node] = s;
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node *n = nodes[i];
    NodeSnapshot a = snapshot(*n);
    const NodeSnapshot &b = before[i];
    if (!isWeightLayer(*n) && a.params == b.params) continue;
    PruneLayer L;
    L.name = n->name;
    L.op = n->opType;
    L.paramsBefore = b.params;
    L.paramsAfter = a.params;
    L.outChannelsBefore = b.outC;
    L.outChannelsAfter = a.outC;
    L.inChannelsBefore = b.inC;
    L.inChannelsAfter = a.inC;
    L.macsBefore = b.macs;
    L.macsAfter = a.macs;
    L.selected = wanted.empty() || wanted.count(n->name);
    auto it = sourceOf.find(n);
    if (it != sourceOf.end()) {
      auto nt = sourceNote.find(it->second);
      if (nt != sourceNote.end()) L.note = nt->second;
    } else if (isWeightLayer(*n) && n->opType == "Conv" && n->attrInt("group", 1) != 1) {
      L.note = "grouped: follows its input's channels";
    } else if (isWeightLayer(*n)) {
      L.note = "not a channel source";
    }
    res.layers.push_back(L);
  }
  if (changed) {
    prune_detail::removeUnused(g, oldValues);
    Status v = verifyGraph(g);
    if (!v.isOk())
      return Error(ErrorCode::Internal,
                   "channel pruning broke the graph: " + v.error().message());
    std::vector<Error> diags = inferShapesCollect(m, interpreterShapeInference());
    if (diags.size() > diagsBefore)
      return Error(ErrorCode::Internal, "channel pruning left inconsistent shapes: " +
                                            diags[diagsBefore].message());
  }
  return res;
}

} // namespace edgec
