// Rewrites that raise the mapped fraction (see EdgeTpuRewrites.h).
#include "targets/edgetpu/EdgeTpuRewrites.h"

#include "ir/Annotations.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace edgec::edgetpu {

namespace {

bool int8PerTensor(const Value *v) {
  return v && v->type.dtype == DataType::Int8 && v->quant && !v->quant->perAxis() &&
         v->quant->scale.size() == 1 && v->quant->zeroPoint.size() == 1 && v->type.hasRank &&
         v->type.isStatic();
}

QuantParams perTensor(double scale, int64_t zero) {
  QuantParams q;
  q.scale = {(float)scale};
  q.zeroPoint = {zero};
  return q;
}

/// The node after n in node order (null when n is last).
Node *nextNode(Graph &g, const Node *n) {
  const auto &ns = g.nodes();
  for (size_t i = 0; i + 1 < ns.size(); ++i)
    if (ns[i].get() == n) return ns[i + 1].get();
  return nullptr;
}

Node *insertAt(Graph &g, Node *before, const std::string &op, std::vector<Value *> ins,
               std::vector<Value *> outs, const std::string &name) {
  return before ? g.addNodeBefore(before, op, std::move(ins), std::move(outs), g.uniqueName(name))
                : g.addNode(op, std::move(ins), std::move(outs), g.uniqueName(name));
}

/// An int8 constant of shape [n] holding q everywhere, with its parameters.
Value *int8Constant(Graph &g, const std::string &name, int64_t n, int8_t q, QuantParams p) {
  Value *v = g.addInitializer(g.uniqueName(name),
                              Tensor::fromVector<int8_t>({n}, std::vector<int8_t>((size_t)n, q)));
  v->quant = std::move(p);
  return v;
}

std::string fmt(const char *f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

/// TRANSPOSE whose permutation keeps the order of the dimensions larger
/// than 1: the same bytes in the same order, so a RESHAPE.
int transposeToReshape(Graph &g) {
  int done = 0;
  std::vector<Node *> todo;
  for (const auto &n : g.nodes())
    if (n->opType == "Transpose" && n->domain.empty()) todo.push_back(n.get());
  for (Node *n : todo) {
    Value *x = n->input(0);
    Value *y = n->outputs.empty() ? nullptr : n->outputs[0];
    if (!x || !y || !x->type.hasRank || !x->type.isStatic() || !y->type.hasRank ||
        !y->type.isStatic() || !(x->quant == y->quant))
      continue;
    std::vector<int64_t> s = x->type.staticShape();
    std::vector<int64_t> perm = n->attrInts("perm", {});
    if (perm.empty())
      for (size_t i = s.size(); i-- > 0;) perm.push_back((int64_t)i);
    if (perm.size() != s.size()) continue;
    int64_t last = -1;
    bool keeps = true;
    for (int64_t p : perm) {
      if (p < 0 || p >= (int64_t)s.size()) keeps = false;
      else if (s[(size_t)p] != 1) {
        keeps = keeps && p > last;
        last = p;
      }
    }
    if (!keeps) continue;
    std::vector<int64_t> ys = y->type.staticShape();
    Value *shape = g.addInitializer(g.uniqueName(n->name + "/shape"),
                                    Tensor::fromVector<int64_t>({(int64_t)ys.size()}, ys));
    Node *next = nextNode(g, n);
    std::string name = n->name;
    g.removeNode(n);
    insertAt(g, next, "Reshape", {x, shape}, {y}, name);
    ++done;
  }
  return done;
}

/// HardSwish(x) = x * clamp(x/6 + 1/2, 0, 1) as MUL, ADD, MUL.
int hardSwish(Graph &g) {
  int done = 0;
  std::vector<Node *> todo;
  for (const auto &n : g.nodes())
    if (n->opType == "HardSwish" && n->domain.empty() && n->outputs.size() == 1 &&
        int8PerTensor(n->input(0)) && int8PerTensor(n->outputs[0]))
      todo.push_back(n.get());
  for (Node *n : todo) {
    Value *x = n->input(0), *y = n->outputs[0];
    const double sx = x->quant->scale[0];
    const int64_t zx = x->quant->zeroPoint[0];
    std::string base = n->name;
    // x/6: the same integers, a sixth of the scale (the constant 1/6 is 127
    // steps of 1/762).
    Value *sixth = int8Constant(g, base + "/one_sixth", 1, 127, perTensor(1.0 / 6.0 / 127.0, 0));
    Value *u = g.addValue(g.uniqueName(base + "/x_over_6"), x->type);
    u->quant = perTensor(sx / 6.0, zx);
    // x/6 + 1/2 into [0, 1] in steps of 1/255: int8 saturation is the clamp.
    Value *half = int8Constant(g, base + "/one_half", 1, 127, perTensor(0.5 / 127.0, 0));
    Value *h = g.addValue(g.uniqueName(base + "/hard_sigmoid"), x->type);
    h->quant = perTensor(1.0 / 255.0, -128);
    Node *next = nextNode(g, n);
    g.removeNode(n);
    insertAt(g, next, "Mul", {x, sixth}, {u}, base + "/div6");
    insertAt(g, next, "Add", {u, half}, {h}, base + "/add_half");
    insertAt(g, next, "Mul", {x, h}, {y}, base + "/mul");
    ++done;
  }
  return done;
}

/// A LeakyRelu fused into a quantized node: the node writes a new int8
/// value c covering [lo/alpha, hi], then max(c, alpha * c).
int leakyRelu(Graph &g, double &worstStepRatio) {
  int done = 0;
  const std::string prefix = std::string(kFusedActivationAttr) + ".";
  std::vector<Node *> todo;
  for (const auto &n : g.nodes()) {
    const Attribute *a = n->attr(kFusedActivationAttr);
    if (a && a->s == "LeakyRelu" && n->outputs.size() == 1 && int8PerTensor(n->outputs[0]))
      todo.push_back(n.get());
  }
  for (Node *n : todo) {
    const double alpha = n->attrFloat(prefix + "alpha", 0.01f);
    if (!(alpha > 0.0 && alpha < 1.0)) continue;
    Value *y = n->outputs[0];
    std::vector<int64_t> ys = y->type.staticShape();
    if (ys.empty()) continue;
    const double sy = y->quant->scale[0];
    const int64_t zy = y->quant->zeroPoint[0];
    const double lo = sy * double(-128 - zy), hi = sy * double(127 - zy);
    const double cmin = std::min(0.0, lo / alpha), cmax = std::max(0.0, hi);
    const double sc = (cmax - cmin) / 255.0;
    if (!(sc > 0)) continue;
    int64_t zc = (int64_t)std::llround(-128.0 - cmin / sc);
    zc = std::clamp<int64_t>(zc, -128, 127);
    Value *c = g.addValue(g.uniqueName(y->name + "/preact"), y->type);
    c->quant = perTensor(sc, zc);
    for (auto it = n->attrs.begin(); it != n->attrs.end();)
      it = (it->first == kFusedActivationAttr || it->first.rfind(prefix, 0) == 0)
               ? n->attrs.erase(it)
               : std::next(it);
    g.setNodeOutput(n, 0, c);
    // max(c, alpha * c): alpha is 127 steps of alpha/127; MAXIMUM reads both
    // in the output's parameters (the writer requantizes c with a QUANTIZE).
    Value *slope = int8Constant(g, n->name + "/alpha", 1, 127, perTensor(alpha / 127.0, 0));
    Value *ac = g.addValue(g.uniqueName(y->name + "/alpha_x"), y->type);
    ac->quant = y->quant;
    Node *next = nextNode(g, n);
    insertAt(g, next, "Mul", {c, slope}, {ac}, n->name + "/leaky_mul");
    insertAt(g, next, "Max", {c, ac}, {y}, n->name + "/leaky_max");
    worstStepRatio = std::max(worstStepRatio, sc / sy);
    ++done;
  }
  return done;
}

/// A MatMul of an int8 value by constant int8 weights [K, M] whose output
/// has more than one dimension larger than 1 (FULLY_CONNECTED: output
/// 1-D only) as a 1x1 CONV_2D over the rows: x reshaped to [1, 1, R, K],
/// the weights transposed to [M, K, 1, 1] (per-column parameters become
/// per-output-channel ones), the output [1, 1, R, M] reshaped back. The
/// same sums and the same requantization: exact.
int fcAsConv(Graph &g) {
  int done = 0;
  std::vector<Node *> todo;
  for (const auto &n : g.nodes()) {
    if (n->opType != "MatMul" || !n->domain.empty() || n->outputs.size() != 1) continue;
    const Value *x = n->input(0), *w = n->input(1), *y = n->outputs[0];
    if (!int8PerTensor(x) || !int8PerTensor(y) || !w || !w->constant || !w->quant ||
        w->type.dtype != DataType::Int8 || w->constant->rank() != 2)
      continue;
    const QuantParams &wq = *w->quant;
    if (wq.perAxis() ? wq.axis != 1 : wq.scale.size() != 1) continue;
    int64_t big = 0;
    for (int64_t d : y->type.staticShape()) big += d > 1;
    if (big > 1 && x->type.staticShape().back() == w->constant->dim(0)) todo.push_back(n.get());
  }
  for (Node *n : todo) {
    Value *x = n->input(0), *w = n->input(1), *y = n->outputs[0];
    const int64_t k = w->constant->dim(0), m = w->constant->dim(1);
    int64_t rows = 1;
    for (int64_t d : x->type.staticShape()) rows *= d;
    rows /= k;
    const std::string base = n->name;
    auto shapeConst = [&](const std::string &name, std::vector<int64_t> dims) {
      return g.addInitializer(g.uniqueName(name), Tensor::fromVector<int64_t>(
                                                      {(int64_t)dims.size()}, dims));
    };
    auto int8Value = [&](const std::string &name, std::vector<int64_t> dims, const QuantParams &q) {
      TensorType t = x->type;
      t.dims.clear();
      for (int64_t d : dims) t.dims.push_back(Dim::fixed(d));
      Value *v = g.addValue(g.uniqueName(name), t);
      v->quant = q;
      return v;
    };
    // Weights [K, M] -> [M, K, 1, 1].
    std::vector<int8_t> wt((size_t)(k * m));
    const int8_t *src = w->constant->data<int8_t>();
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < m; ++j) wt[(size_t)(j * k + i)] = src[i * m + j];
    Value *wc = g.addInitializer(g.uniqueName(w->name + "/as_conv"),
                                 Tensor::fromVector<int8_t>({m, k, 1, 1}, wt));
    wc->quant = *w->quant;
    if (wc->quant->perAxis()) wc->quant->axis = 0;
    Value *x4 = int8Value(x->name + "/rows", {1, 1, rows, k}, *x->quant);
    Value *y4 = int8Value(y->name + "/rows", {1, 1, rows, m}, *y->quant);
    std::map<std::string, Attribute> attrs = n->attrs; // fused activation annotations
    Node *next = nextNode(g, n);
    g.removeNode(n);
    insertAt(g, next, "Reshape", {x, shapeConst(base + "/rows_shape", {1, 1, rows, k})}, {x4},
             base + "/to_rows");
    Node *conv = insertAt(g, next, "Conv", {x4, wc}, {y4}, base + "/as_conv");
    conv->attrs = std::move(attrs);
    conv->attrs["kernel_shape"] = Attribute::makeInts({1, 1});
    conv->attrs["strides"] = Attribute::makeInts({1, 1});
    conv->attrs["dilations"] = Attribute::makeInts({1, 1});
    conv->attrs["pads"] = Attribute::makeInts({0, 0, 0, 0});
    conv->attrs["group"] = Attribute::makeInt(1);
    conv->attrs[kLayoutAttr] = Attribute::makeString("NHWC");
    insertAt(g, next, "Reshape", {y4, shapeConst(base + "/out_shape", y->type.staticShape())},
             {y}, base + "/from_rows");
    ++done;
  }
  return done;
}

/// Ops whose result does not depend on the shape of their operands (all
/// of one shape, or single-element constants).
bool shapeAgnostic(const Node &n) {
  static const std::set<std::string> ops{"Relu", "Sigmoid", "Tanh",  "Clip", "Abs",
                                         "Neg",  "Add",     "Sub",   "Mul",  "Max",
                                         "Min",  "Identity", "HardSigmoid", "HardSwish"};
  return n.domain.empty() && ops.count(n.opType) && n.outputs.size() == 1;
}

/// Values of effective rank above 3 that only shape-agnostic ops and
/// RESHAPEs touch get the shape with their leading dimensions merged
/// ([1,2,3,2,2] -> [6,2,2]): the RESHAPE producing them writes that shape,
/// the ops between compute the same bytes, the RESHAPEs reading them do not
/// care. Graph inputs and outputs keep their shapes (the caller's contract).
int foldRank(Graph &g) {
  int done = 0;
  std::set<const Value *> seen;
  std::vector<Value *> candidates;
  for (const auto &v : g.values())
    if (v->type.hasRank && v->type.isStatic() && effectiveRank(v->type.staticShape()) > 3)
      candidates.push_back(v.get());
  for (Value *start : candidates) {
    if (seen.count(start)) continue;
    const std::vector<int64_t> shape = start->type.staticShape();
    std::vector<Value *> values;
    std::vector<Node *> reshapes; // producers of component values
    std::set<const Node *> nodes;
    std::vector<Value *> queue{start};
    std::set<const Value *> inComponent{start};
    bool ok = true;
    auto join = [&](Value *w) {
      if (!w || inComponent.count(w)) return;
      if (w->constant && w->constant->numElements() == 1) return;
      if (!w->type.isStatic() || w->type.staticShape() != shape || w->constant) {
        ok = false;
        return;
      }
      inComponent.insert(w);
      queue.push_back(w);
    };
    auto visit = [&](Node *n) {
      if (!nodes.insert(n).second) return;
      for (Value *w : n->inputs) join(w);
      for (Value *w : n->outputs) join(w);
    };
    while (ok && !queue.empty()) {
      Value *u = queue.back();
      queue.pop_back();
      values.push_back(u);
      if (g.isGraphOutput(u) || !u->producer()) {
        ok = false;
        break;
      }
      Node *p = u->producer();
      if (p->opType == "Reshape" && p->domain.empty()) reshapes.push_back(p);
      else if (shapeAgnostic(*p)) visit(p);
      else ok = false;
      for (Node *c : g.usersOf(u)) {
        if (c->opType == "Reshape" && c->domain.empty() && c->input(0) == u && c->input(1) != u)
          continue;
        if (shapeAgnostic(*c)) visit(c);
        else ok = false;
      }
    }
    for (const Value *u : values) seen.insert(u);
    if (!ok) continue;
    std::vector<int64_t> folded{1, shape[shape.size() - 2], shape.back()};
    for (size_t i = 0; i + 2 < shape.size(); ++i) folded[0] *= shape[i];
    for (Value *u : values) {
      u->type.dims.clear();
      for (int64_t d : folded) u->type.dims.push_back(Dim::fixed(d));
    }
    for (Node *r : reshapes)
      r->inputs[1] = g.addInitializer(g.uniqueName(r->name + "/folded_shape"),
                                      Tensor::fromVector<int64_t>({3}, folded));
    ++done;
  }
  return done;
}

/// A MEAN of kMeanInputUnmapped or more int8 elements (EdgeTpuRules.h) as
/// SLICEs along the outermost axis it does not reduce, one MEAN per slice
/// of at most kMeanInputMapped elements, and a CONCATENATION: every output
/// element is the mean of the same input elements as before (exact).
int splitMean(Graph &g) {
  int done = 0;
  std::vector<Node *> todo;
  for (const auto &n : g.nodes())
    if (n->opType == "ReduceMean" && n->domain.empty() && n->outputs.size() == 1 &&
        int8PerTensor(n->input(0)) && int8PerTensor(n->outputs[0]))
      todo.push_back(n.get());
  for (Node *n : todo) {
    Value *x = n->input(0), *y = n->outputs[0];
    const std::vector<int64_t> xs = x->type.staticShape();
    const int64_t rank = (int64_t)xs.size();
    int64_t count = 1;
    for (int64_t d : xs) count *= d;
    if (count < kMeanInputUnmapped) continue;
    auto axes = reductionAxes(*n, rank);
    if (!axes || axes->empty() || n->attrInt("noop_with_empty_axes", 0)) continue;
    const bool keep = n->attrInt("keepdims", 1) != 0;
    // The outermost axis not reduced that pieces of at most
    // kMeanInputMapped elements can be cut along.
    int64_t axis = -1, pieces = 0, rows = 0;
    for (int64_t a = 0; a < rank && axis < 0; ++a) {
      if (std::count(axes->begin(), axes->end(), a) || xs[(size_t)a] < 2) continue;
      const int64_t per = count / xs[(size_t)a]; // elements per index along a
      const int64_t fit = kMeanInputMapped / per;
      if (fit < 1) continue;
      axis = a;
      rows = fit;
      pieces = (xs[(size_t)a] + fit - 1) / fit;
    }
    if (axis < 0 || pieces < 2) continue;
    int64_t outAxis = axis;
    if (!keep)
      for (int64_t r : *axes) outAxis -= r < axis;
    const std::string base = n->name;
    std::map<std::string, Attribute> attrs = n->attrs;
    Value *axesInput = n->input(1);
    Node *next = nextNode(g, n);
    g.removeNode(n);
    std::vector<Value *> means;
    for (int64_t k = 0; k < pieces; ++k) {
      const int64_t begin = k * rows, end = std::min(xs[(size_t)axis], begin + rows);
      auto ints = [&](const std::string &name, int64_t v) {
        return g.addInitializer(g.uniqueName(base + name),
                                Tensor::fromVector<int64_t>({1}, std::vector<int64_t>{v}));
      };
      TensorType pt = x->type;
      pt.dims[(size_t)axis] = Dim::fixed(end - begin);
      Value *piece = g.addValue(g.uniqueName(x->name + "/piece"), pt);
      piece->quant = x->quant;
      insertAt(g, next, "Slice",
               {x, ints("/begin", begin), ints("/end", end), ints("/axis", axis)}, {piece},
               base + "/slice");
      TensorType mt = y->type;
      mt.dims[(size_t)outAxis] = Dim::fixed(end - begin);
      Value *mean = g.addValue(g.uniqueName(y->name + "/piece"), mt);
      mean->quant = y->quant;
      std::vector<Value *> ins{piece};
      if (axesInput) ins.push_back(axesInput);
      Node *m = insertAt(g, next, "ReduceMean", ins, {mean}, base + "/piece_mean");
      m->attrs = attrs;
      means.push_back(mean);
    }
    Node *cat = insertAt(g, next, "Concat", means, {y}, base + "/concat");
    cat->attrs["axis"] = Attribute::makeInt(outAxis);
    ++done;
  }
  return done;
}

/// Node order with the nodes `judge` refuses (and so what depends on them)
/// as late as possible; applied when it maps more operations.
int delayUnmapped(Graph &g, const Judge &judge, MappedCount &before, MappedCount &after) {
  before = countMapped(g, judge);
  const auto &ns = g.nodes();
  const size_t n = ns.size();
  std::vector<bool> late(n);
  for (size_t i = 0; i < n; ++i) {
    if (!ns[i]->subgraphs().empty()) return 0;
    late[i] = !judge.judge(*ns[i]).verdict.mapped();
  }
  std::vector<std::vector<size_t>> succ(n);
  std::vector<size_t> indeg(n, 0);
  for (size_t i = 0; i < n; ++i) {
    std::set<size_t> preds;
    for (const Value *v : ns[i]->inputs) {
      if (!v || !v->producer()) continue;
      for (size_t j = 0; j < n; ++j)
        if (ns[j].get() == v->producer()) preds.insert(j);
    }
    for (size_t p : preds) {
      succ[p].push_back(i);
      ++indeg[i];
    }
  }
  std::set<std::pair<bool, size_t>> ready;
  for (size_t i = 0; i < n; ++i)
    if (!indeg[i]) ready.insert({late[i], i});
  std::vector<Node *> order;
  while (!ready.empty()) {
    size_t i = ready.begin()->second;
    ready.erase(ready.begin());
    order.push_back(ns[i].get());
    for (size_t s : succ[i])
      if (--indeg[s] == 0) ready.insert({late[s], s});
  }
  if (order.size() != n) return 0;
  after = countMapped(std::vector<const Node *>(order.begin(), order.end()), judge);
  if (after.mapped <= before.mapped) return 0;
  // Re-append every node in the new order (Graph keeps node order only).
  for (Node *old : order) {
    std::string name = old->name, op = old->opType, domain = old->domain;
    int64_t opset = old->opsetVersion;
    auto attrs = std::move(old->attrs);
    std::vector<Value *> ins = old->inputs, outs = old->outputs;
    g.removeNode(old);
    Node *k = g.addNode(op, ins, outs, name, domain);
    k->attrs = std::move(attrs);
    k->opsetVersion = opset;
  }
  return after.mapped - before.mapped;
}

} // namespace

Expected<std::vector<RewriteApplied>> rewriteForEdgeTpu(Model &m, const Judge &judge) {
  Graph &g = *m.graph;
  std::vector<RewriteApplied> out;
  if (int k = transposeToReshape(g))
    out.push_back({"transpose-to-reshape", k, true,
                   "TRANSPOSE that only moves dimensions of size 1 written as RESHAPE (the same "
                   "bytes in the same order)"});
  if (int k = foldRank(g))
    out.push_back({"fold-rank", k, true,
                   "values of more than 3 dimensions larger than 1 that only elementwise "
                   "operators and RESHAPEs touch, given their shape with the leading dimensions "
                   "merged (the RESHAPE before them writes it; the same bytes)"});
  if (int k = splitMean(g))
    out.push_back({"split-mean", k, true,
                   "a MEAN of " + std::to_string(kMeanInputUnmapped) +
                       " or more elements (not mapped, google-coral/edgetpu#461) as SLICEs along "
                       "an axis it does not reduce, one MEAN of at most " +
                       std::to_string(kMeanInputMapped) + " elements each, and a CONCATENATION"});
  if (int k = fcAsConv(g))
    out.push_back({"fc-as-conv", k, true,
                   "a MatMul whose output is not 1-D (FULLY_CONNECTED maps a 1-D output only: "
                   "batch or rows) as a 1x1 CONV_2D over [1, 1, rows, K] between two RESHAPEs"});
  if (int k = hardSwish(g))
    out.push_back({"hard-swish", k, false,
                   "HARD_SWISH as MUL(x, 1/6), ADD(+1/2, saturating to [0,1]), MUL(x, .): the "
                   "hard sigmoid is rounded to steps of 1/255 (|error| <= |x|/510 plus one "
                   "rounding of the output)"});
  double ratio = 0;
  if (int k = leakyRelu(g, ratio))
    out.push_back({"leaky-relu", k, false,
                   "a LeakyRelu fused into a quantized node as that node into a new int8 value "
                   "of range [lo/alpha, hi] and MAXIMUM(c, MUL(c, alpha)): the value before the "
                   "activation is rounded to a step up to " + fmt("%.2f", ratio) +
                       "x the output's"});
  EDGEC_TRY(g.sortTopologically());
  // Judge the rewritten graph afresh (its support answers are per graph).
  Judge fresh(judge.profile());
  fresh.setDynamicValues(judge.dynamicValues());
  MappedCount before, after;
  if (int k = delayUnmapped(g, fresh, before, after); k > 0)
    out.push_back({"delay-unmapped", k, true,
                   "nodes the compiler cannot map (and what depends on them) moved after the "
                   "others: " + std::to_string(before.mapped) + " -> " +
                       std::to_string(after.mapped) + " operations before the first unmapped one"});
  return out;
}

} // namespace edgec::edgetpu
