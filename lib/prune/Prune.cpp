// Pruning entry point, shared helpers and unstructured magnitude pruning.
#include "prune/Prune.h"


#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

namespace edgec {

Expected<PruneMethod> parsePruneMethod(const std::string &s) {
  if (s == "magnitude") return PruneMethod::Magnitude;
  if (s == "channel") return PruneMethod::Channel;
  return Error(ErrorCode::Usage,
               "--method must be magnitude or channel, got '" + s + "'");
}

Expected<PruneNorm> parsePruneNorm(const std::string &s) {
  if (s == "l1") return PruneNorm::L1;
  if (s == "l2") return PruneNorm::L2;
  return Error(ErrorCode::Usage, "--norm must be l1 or l2, got '" + s + "'");
}

const char *pruneMethodName(PruneMethod m) {
  return m == PruneMethod::Magnitude ? "magnitude" : "channel";
}
const char *pruneNormName(PruneNorm n) { return n == PruneNorm::L1 ? "l1" : "l2"; }

Tensor removeIndicesAlong(const Tensor &t, int axis,
                          const std::vector<int64_t> &removed) {
  assert(axis >= 0 && (size_t)axis < t.rank() && "removeIndicesAlong: bad axis");
  if (removed.empty()) return t;
  TensorShape shape = t.shape();
  int64_t n = shape[axis];
  std::vector<char> drop(n, 0);
  for (int64_t r : removed) {
    assert(r >= 0 && r < n && "removeIndicesAlong: index out of range");
    drop[r] = 1;
  }
  int64_t kept = n - (int64_t)removed.size();
  shape[axis] = kept;
  Tensor out(t.dtype(), shape);
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= t.dim(i);
  for (size_t i = axis + 1; i < t.rank(); ++i) inner *= t.dim(i);
  size_t es = dataTypeSize(t.dtype());
  size_t chunk = (size_t)inner * es;
  const auto *src = static_cast<const unsigned char *>(t.raw());
  auto *dst = static_cast<unsigned char *>(out.raw());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c = 0; c < n; ++c) {
      if (drop[c]) continue;
      std::memcpy(dst, src + ((size_t)(o * n + c)) * chunk, chunk);
      dst += chunk;
    }
  return out;
}

const Tensor *constantData(const Value *v) {
  if (!v) return nullptr;
  if (v->constant) return &*v->constant;
  const Node *p = v->producer();
  if (p && p->domain.empty() && p->opType == "Constant" && p->outputs.size() == 1)
    if (const Attribute *a = p->attr("value"); a && a->kind == Attribute::Kind::Tensor)
      return &a->t;
  return nullptr;
}

Tensor zeroIndicesAlong(const Tensor &t, int axis,
                        const std::vector<int64_t> &indices) {
  assert(axis >= 0 && (size_t)axis < t.rank() && "zeroIndicesAlong: bad axis");
  Tensor out = t.clone();
  int64_t n = t.dim(axis), outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= t.dim(i);
  for (size_t i = axis + 1; i < t.rank(); ++i) inner *= t.dim(i);
  size_t es = dataTypeSize(t.dtype());
  auto *d = static_cast<unsigned char *>(out.raw());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c : indices)
      std::memset(d + (size_t)((o * n + c) * inner) * es, 0, (size_t)inner * es);
  return out;
}

namespace {

/// The input index of a node's prunable (magnitude) weight, or -1.
int magnitudeWeightInput(const Node &n) {
  if (!n.domain.empty()) return -1;
  auto ok = [&](int i) {
    const Value *v = n.input(i);
    const Tensor *t = constantData(v);
    return t && isFloatType(t->dtype()) && t->rank() >= 2 && t->numElements() > 0;
  };
  if (n.opType == "Conv" || n.opType == "ConvTranspose")
    return ok(1) ? 1 : -1;
  if (n.opType == "Gemm" || n.opType == "MatMul") {
    if (ok(1)) return 1;
    if (ok(0) && !constantData(n.input(1))) return 0;
  }
  return -1;
}

int64_t nodeParams(const Node &n) {
  int64_t p = 0;
  std::vector<const Value *> seen;
  for (const Value *v : n.inputs) {
    const Tensor *t = constantData(v);
    if (!t) continue;
    if (std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
    seen.push_back(v);
    p += t->numElements();
  }
  return p;
}

int64_t countZeros(const Tensor &t) {
  int64_t z = 0;
  for (int64_t i = 0; i < t.numElements(); ++i)
    if (t.getDouble(i) == 0.0) ++z;
  return z;
}

/// Writes `t` as the constant of node input `input`: in place when the value
/// is an initializer used only there (also when old-style models list it as
/// a graph input: its declared type follows), else as a new initializer.
/// Returns the value that was replaced (nullptr when changed in place).
Value *setNodeConstant(Graph &g, Node *n, int input, Tensor t) {
  Value *v = n->inputs[input];
  std::vector<Node *> users = g.usersOf(v);
  int uses = 0;
  for (Node *u : users)
    for (Value *in : u->inputs)
      if (in == v) ++uses;
  if (v->isInitializer() && !g.isGraphOutput(v) && uses == 1) {
    v->type = TensorType(t.dtype(), t.shape());
    v->constant = std::move(t);
    return nullptr;
  }
  Value *nv = g.addInitializer(g.uniqueName(v->name + "_pruned"), std::move(t));
  n->inputs[input] = nv;
  return v;
}

/// Drops replaced constants nothing refers to any more (with the Constant
/// node that produced one).
void removeUnused(Graph &g, const std::vector<Value *> &old) {
  std::vector<Value *> seen;
  for (Value *v : old) {
    if (!v || std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
    seen.push_back(v);
    if (!g.usersOf(v).empty() || g.isGraphOutput(v)) continue;
    if (v->isGraphInput()) {
      // An initializer listed as a graph input (old-style models).
      if (!v->isInitializer()) continue;
      g.inputs.erase(std::find(g.inputs.begin(), g.inputs.end(), v));
    }
    if (Node *p = v->producer()) {
      if (p->opType != "Constant" || p->outputs.size() != 1) continue;
      g.removeNode(p);
    }
    g.removeValue(v);
  }
}

} // namespace

namespace prune_detail {
int64_t nodeParamsOf(const Node &n) { return nodeParams(n); }
Value *setConstantInput(Graph &g, Node *n, int input, Tensor t) {
  return setNodeConstant(g, n, input, std::move(t));
}
void removeUnused(Graph &g, const std::vector<Value *> &old) {
  edgec::removeUnused(g, old);
}
} // namespace prune_detail

std::vector<std::string> channelSourceNames(const Model &m);

std::vector<std::string> prunableLayers(const Model &m, PruneMethod method) {
  if (method == PruneMethod::Channel) return channelSourceNames(m);
  std::vector<std::string> r;
  for (const auto &n : m.graph->nodes())
    if (magnitudeWeightInput(*n) >= 0) r.push_back(n->name);
  return r;
}

Expected<PruneResult> pruneModel(Model &m, const PruneOptions &o) {
  if (!(o.sparsity >= 0.0 && o.sparsity < 1.0)) {
    char b[64];
    std::snprintf(b, sizeof b, "%g", o.sparsity);
    return Error(ErrorCode::Usage,
                 std::string("--sparsity must be in [0, 1), got ") + b);
  }
  if (!o.layers.empty()) {
    std::vector<std::string> ok = prunableLayers(m, o.method);
    std::set<std::string> okSet(ok.begin(), ok.end());
    for (const std::string &l : o.layers) {
      if (okSet.count(l)) continue;
      const Node *found = nullptr;
      for (const auto &n : m.graph->nodes())
        if (n->name == l) found = n.get();
      if (found)
        return Error(ErrorCode::Usage,
                     "--layers: " + found->label() + " has no weights the " +
                         pruneMethodName(o.method) + " method can prune");
      return Error(ErrorCode::Usage, "--layers: unknown layer '" + l + "'");
    }
  }
  if (o.method == PruneMethod::Magnitude) return magnitudePrune(m, o);
  return channelPrune(m, o);
}

Expected<PruneResult> magnitudePrune(Model &m, const PruneOptions &o) {
  Graph &g = *m.graph;
  std::set<std::string> wanted(o.layers.begin(), o.layers.end());
  PruneResult res;
  res.method = PruneMethod::Magnitude;

  struct Target {
    Node *node;
    int input;
    size_t layer; // index into res.layers
    bool selected;
    Tensor data;  // working copy
  };
  std::vector<Target> targets;
  std::vector<Node *> layerNodes;
  std::vector<const Value *> seenWeights;
  for (const auto &up : g.nodes()) {
    Node *n = up.get();
    int wi = magnitudeWeightInput(*n);
    if (wi < 0) continue;
    PruneLayer L;
    L.name = n->name;
    L.op = n->opType;
    L.paramsBefore = L.paramsAfter = nodeParams(*n);
    const Tensor &w = *constantData(n->inputs[wi]);
    L.weightElements = w.numElements();
    L.zerosBefore = L.zerosAfter = countZeros(w);
    L.macsBefore = L.macsAfter = std::nullopt;
    L.selected = wanted.empty() || wanted.count(n->name);
    res.layers.push_back(L);
    layerNodes.push_back(n);
    const Value *wv = n->inputs[wi];
    bool dup = std::find(seenWeights.begin(), seenWeights.end(), wv) !=
               seenWeights.end();
    seenWeights.push_back(wv);
    if (!L.selected || dup) continue;
    targets.push_back({n, wi, res.layers.size() - 1, true, w.clone()});
  }

  // Zeroes the k smallest |w| of the given targets: everything below the
  // k-th smallest magnitude, then ties at it in (layer, index) order.
  auto zeroSmallest = [&](const std::vector<Target *> &ts) {
    int64_t total = 0;
    for (const Target *t : ts) total += t->data.numElements();
    int64_t k = (int64_t)std::floor(o.sparsity * (double)total + 1e-9);
    if (k <= 0 || total == 0) return;
    std::vector<float> mags;
    mags.reserve(total);
    for (const Target *t : ts)
      for (int64_t i = 0; i < t->data.numElements(); ++i)
        mags.push_back((float)std::fabs(t->data.getDouble(i)));
    std::nth_element(mags.begin(), mags.begin() + (k - 1), mags.end());
    float thr = mags[k - 1];
    mags.clear();
    mags.shrink_to_fit();
    int64_t zeroed = 0;
    for (Target *t : ts)
      for (int64_t i = 0; i < t->data.numElements(); ++i)
        if ((float)std::fabs(t->data.getDouble(i)) < thr) {
          t->data.setDouble(i, 0.0);
          ++zeroed;
        }
    for (Target *t : ts)
      for (int64_t i = 0; i < t->data.numElements() && zeroed < k; ++i) {
        double v = t->data.getDouble(i);
        if ((float)std::fabs(v) == thr) {
          t->data.setDouble(i, 0.0);
          ++zeroed;
        }
      }
  };
  if (o.perLayer) {
    for (Target &t : targets) zeroSmallest({&t});
  } else {
    std::vector<Target *> all;
    for (Target &t : targets) all.push_back(&t);
    zeroSmallest(all);
  }
  bool changed = false;
  std::vector<Value *> oldValues;
  for (Target &t : targets) {
    PruneLayer &L = res.layers[t.layer];
    int64_t z = countZeros(t.data);
    if (z == L.zerosBefore) continue;
    res.weightsZeroed += z - L.zerosBefore;
    // Every layer reading this (shared) weight gets the pruned tensor.
    Value *old = t.node->inputs[t.input];
    oldValues.push_back(setNodeConstant(g, t.node, t.input, t.data));
    Value *now = t.node->inputs[t.input];
    for (Node *n : layerNodes) {
      int wi = magnitudeWeightInput(*n);
      if (n != t.node && wi >= 0 && n->inputs[wi] == old) n->inputs[wi] = now;
    }
    changed = true;
  }
  for (size_t i = 0; i < res.layers.size(); ++i) {
    const Node *n = layerNodes[i];
    const Tensor &w = *constantData(n->inputs[magnitudeWeightInput(*n)]);
    res.layers[i].zerosAfter = countZeros(w);
    res.layers[i].paramsAfter = nodeParams(*n);
  }
  if (changed) removeUnused(g, oldValues);
  return res;
}

} // namespace edgec
