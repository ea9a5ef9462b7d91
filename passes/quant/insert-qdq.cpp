// insert-qdq: the first step of post-training quantization. Every node with
// an integer kernel (passes/quant/QuantOps.h) whose inputs have calibrated
// ranges (PassOptions::quantPlan) gets QuantizeLinear/DequantizeLinear
// pairs on its activations and its output, and DequantizeLinear of
// quantized constants on its weights (int8 symmetric, per output channel),
// bias (int32, scale = input scale x weight scale) and constant operands.
// The result is an ONNX QDQ model: it still computes in float, with every
// quantization error made explicit, and runs in any ONNX runtime. fold-qdq
// then turns each DQ -> op -> Q group into an integer op.
//
// Activations follow the TFLite int8 scheme (asymmetric per tensor, zero
// point in [-128, 127], the range widened to contain 0) or, for int16,
// symmetric per tensor. Data movement and max pooling keep their input's
// parameters; Softmax, Sigmoid and Tanh use TFLite's fixed output
// parameters. Nodes listed in QuantPlan::keepFloat (by name or op type),
// nodes without calibrated inputs and nodes the integer kernels cannot run
// stay in float, between a DequantizeLinear and a QuantizeLinear.
#include "ir/Annotations.h"
#include "passes/Pass.h"
#include "passes/PatternUtil.h"
#include "passes/quant/QuantOps.h"
#include "passes/quant/QuantPlan.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace edgec {
namespace {

/// The smallest range quantized (a tensor that is always 0 still needs a
/// positive scale).
constexpr double kMinRange = 1e-6;

QuantParams activationParams(double lo, double hi, DataType t) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  QuantParams q;
  if (t == DataType::Int16) {
    const double m = std::max({-lo, hi, kMinRange});
    q.scale = {(float)(m / 32767)};
    q.zeroPoint = {0};
    return q;
  }
  if (hi - lo < kMinRange) hi = lo + kMinRange;
  const float s = (float)((hi - lo) / 255);
  q.scale = {s};
  q.zeroPoint = {std::clamp<int64_t>(std::llround(-128.0 - lo / (double)s), -128, 127)};
  return q;
}

std::pair<double, double> minMaxOf(const Tensor &t) {
  double lo = 0, hi = 0;
  for (int64_t i = 0; i < t.numElements(); ++i) {
    const double v = t.getDouble(i);
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return {lo, hi};
}

/// Quantizes float `w` with per-tensor or per-axis parameters.
Tensor quantizeTensor(const Tensor &w, const QuantParams &q, DataType t) {
  Tensor out(t, w.shape());
  int64_t inner = 1, dim = 1;
  if (q.perAxis()) {
    dim = w.dim((size_t)q.axis);
    for (size_t d = (size_t)q.axis + 1; d < w.rank(); ++d) inner *= w.dim(d);
  }
  double lo = t == DataType::Int32 ? -2147483647.0 : t == DataType::Int16 ? -32768 : -128;
  double hi = t == DataType::Int32 ? 2147483647.0 : t == DataType::Int16 ? 32767 : 127;
  for (int64_t i = 0; i < w.numElements(); ++i) {
    const size_t c = q.perAxis() ? (size_t)((i / inner) % dim) : 0;
    const double v =
        std::round(w.getDouble(i) / (double)q.scale[c]) + (double)q.zeroPoint[c];
    out.setInt64(i, (int64_t)std::clamp(std::isfinite(v) ? v : 0.0, lo, hi));
  }
  return out;
}

class InsertQdqPass : public Pass {
public:
  const char *name() const override { return "insert-qdq"; }

  Expected<bool> run(Model &m, PassContext &ctx) override {
    plan_ = ctx.options.quantPlan.get();
    if (!plan_)
      return Error(ErrorCode::InvalidInput,
                   "needs calibrated ranges: run it through "
                   "`edgec quantize`");
    if (plan_->activationType != DataType::Int8 &&
        plan_->activationType != DataType::Int16)
      return Error(ErrorCode::InvalidInput,
                   "insert-qdq: activations must be int8 or int16");
    opset_ = m.defaultOpset();
    const int64_t need = plan_->activationType == DataType::Int16 ? 21 : 13;
    if (opset_ < need)
      return Error(ErrorCode::Unsupported,
                   "insert-qdq needs opset " + std::to_string(need) +
                       " or newer (the model has " + std::to_string(opset_) +
                       "); upgrade the model first");
    g_ = m.graph.get();
    stats_ = &ctx.stats;
    params_.clear();
    order_.clear();
    nodeNames_.clear();
    keptFloat_.clear();
    for (const auto &n : g_->nodes()) nodeNames_.insert(n->name);

    std::vector<Node *> chosen;
    std::vector<Node *> nodes;
    for (const auto &n : g_->nodes()) nodes.push_back(n.get());
    for (Node *n : nodes)
      if (choose(*n)) chosen.push_back(n);
    if (!keptFloat_.empty()) {
      std::set<std::string> all = floatNodes(m);
      all.insert(keptFloat_.begin(), keptFloat_.end());
      std::string v;
      for (const std::string &s : all) v += (v.empty() ? "" : "\n") + s;
      m.metadata[kFloatNodesMetadata] = v;
    }
    if (chosen.empty()) return false;

    for (Node *n : chosen) quantizeConstants(*n);
    for (Value *v : order_) insertPair(v, params_.at(v));
    stats_->add("nodes-quantized", (int64_t)chosen.size());
    stats_->add("values-quantized", (int64_t)order_.size());
    removeDeadNodes(*g_);
    return true;
  }

private:
  DataType actType() const { return plan_->activationType; }

  const QuantParams *rangeParams(const Value *v) {
    auto it = plan_->ranges.find(v->name);
    if (it == plan_->ranges.end()) return nullptr;
    auto [pit, ins] = computed_.emplace(
        v, activationParams(it->second.lo, it->second.hi, actType()));
    (void)ins;
    return &pit->second;
  }

  /// Decides whether n is quantized and records the parameters of its
  /// activations and output.
  bool choose(Node &n) {
    if (!n.domain.empty()) return false;
    const QuantOpInfo *info = quantOpInfo(n.opType);
    if (!info) return false;
    if (plan_->keepFloat.count(n.name) || plan_->keepFloat.count(n.opType)) {
      stats_->add("kept-float");
      keptFloat_.insert(n.name);
      return false;
    }
    if (actType() == DataType::Int16 && !info->int16) {
      stats_->add("no-int16-kernel");
      return false;
    }
    if (!quantizableShape(*g_, n)) return false;
    Value *y = n.outputs[0];
    if (n.opType == "Gemm") {
      const Attribute *al = n.attr("alpha"), *be = n.attr("beta");
      if ((al && al->f != 1.0f) || (be && be->f != 1.0f)) return false;
    }
    std::vector<std::pair<Value *, QuantParams>> fresh;
    const Value *x0 = nullptr;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      Value *v = n.inputs[i];
      if (!v) continue;
      switch (quantInputRole(n, i)) {
      case QuantInput::Data:
        if (v->type.dtype != DataType::Float32) return false;
        if (i == 0) x0 = v;
        if (v->constant) break;
        if (!params_.count(v)) {
          const QuantParams *q = rangeParams(v);
          if (!q) {
            stats_->add("no-range");
            return false;
          }
          fresh.emplace_back(v, *q);
        }
        break;
      case QuantInput::Weight:
        if (!v->constant || v->constant->dtype() != DataType::Float32 ||
            v->constant->rank() < (n.opType == "MatMul" ? 1u : 2u))
          return false;
        break;
      case QuantInput::Bias: {
        if (!v->constant || v->constant->dtype() != DataType::Float32)
          return false;
        const Tensor &b = *v->constant;
        const Value *w = n.input(1);
        if (!w || !w->constant) return false;
        const int axis = weightChannelAxis(n, 1, w->constant->rank());
        const int64_t channels = w->constant->dim((size_t)axis);
        int64_t leading = 1;
        for (size_t d = 0; d + 1 < b.rank(); ++d) leading *= b.dim(d);
        if (b.numElements() != channels || leading != 1) return false;
        break;
      }
      case QuantInput::Param:
        if (info->lookupTable && i >= 1 &&
            (!v->constant || v->constant->numElements() != 1))
          return false;
        break;
      }
    }
    if (!x0) return false;
    if (x0->constant && quantInputRole(n, 1) != QuantInput::Data) return false;
    // Output parameters.
    QuantParams yq;
    switch (info->output) {
    case QuantOutput::Calibrated: {
      const QuantParams *q = rangeParams(y);
      if (!q) {
        stats_->add("no-range");
        return false;
      }
      yq = *q;
      break;
    }
    case QuantOutput::SameAsInput: {
      if (x0->constant) return false;
      auto it = params_.find(x0);
      if (it != params_.end()) {
        yq = it->second;
      } else {
        auto f = std::find_if(fresh.begin(), fresh.end(),
                              [&](const auto &p) { return p.first == x0; });
        if (f == fresh.end()) return false;
        yq = f->second;
      }
      break;
    }
    case QuantOutput::Fixed:
      yq = fixedOutputParams(n.opType, actType());
      break;
    }
    for (auto &[v, q] : fresh) record(v, q);
    record(y, yq);
    return true;
  }

  void record(Value *v, const QuantParams &q) {
    if (params_.emplace(v, q).second) order_.push_back(v);
  }

  Value *scalarOrVector(const std::string &base, DataType t,
                        const std::vector<double> &vals, bool vector) {
    Tensor tt = vector ? Tensor(t, {(int64_t)vals.size()}) : Tensor(t, {});
    for (size_t i = 0; i < vals.size(); ++i) tt.setDouble((int64_t)i, vals[i]);
    return addConstant(*g_, base, std::move(tt));
  }

  /// Scale and zero-point initializers of q (zero point of type t).
  std::pair<Value *, Value *> paramValues(const std::string &base,
                                          const QuantParams &q, DataType t) {
    std::vector<double> s(q.scale.begin(), q.scale.end());
    std::vector<double> z(q.zeroPoint.begin(), q.zeroPoint.end());
    return {scalarOrVector(base + "_scale", DataType::Float32, s, q.perAxis()),
            scalarOrVector(base + "_zero_point", t, z, q.perAxis())};
  }

  /// A node name not used in the graph, derived from `base`.
  std::string nodeName(const std::string &base) {
    std::string name = base;
    for (int k = 1; nodeNames_.count(name); ++k) name = base + "_" + std::to_string(k);
    nodeNames_.insert(name);
    return name;
  }

  Node *makeNode(Node *before, const std::string &op, std::vector<Value *> ins,
                 Value *out, const std::string &base) {
    const std::string name = nodeName(base);
    Node *n = before ? g_->addNodeBefore(before, op, std::move(ins), {out}, name)
                     : g_->addNode(op, std::move(ins), {out}, name);
    n->opsetVersion = opset_;
    return n;
  }

  /// Replaces input i of n (a float constant) by DQ(quantized constant).
  void dequantizedConstant(Node &n, size_t i, const Tensor &q,
                           const QuantParams &qp, const std::string &base) {
    Value *qv = addConstant(*g_, base + "_quantized", q);
    auto [s, z] = paramValues(base, qp, q.dtype());
    Value *out = g_->addValue(g_->uniqueName(base + "_dequantized"),
                              n.inputs[i]->type);
    Node *dq = makeNode(&n, "DequantizeLinear", {qv, s, z}, out,
                        base + "_DequantizeLinear");
    if (qp.perAxis()) dq->attrs["axis"] = Attribute::makeInt(qp.axis);
    n.inputs[i] = out;
  }

  void quantizeConstants(Node &n) {
    const QuantParams &xq = params_.count(n.input(0))
                                ? params_.at(n.input(0))
                                : QuantParams{};
    std::vector<double> wScales;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      Value *v = n.inputs[i];
      if (!v || !v->constant) continue;
      const Tensor &c = *v->constant;
      switch (quantInputRole(n, i)) {
      case QuantInput::Data: {
        auto [lo, hi] = minMaxOf(c);
        QuantParams q = activationParams(lo, hi, actType());
        dequantizedConstant(n, i, quantizeTensor(c, q, actType()), q, v->name);
        stats_->add("constants-quantized");
        break;
      }
      case QuantInput::Weight: {
        QuantParams q = weightParams(n, i, c, xq);
        wScales.assign(q.scale.begin(), q.scale.end());
        if (!q.perAxis()) wScales.resize(1);
        dequantizedConstant(n, i, quantizeTensor(c, q, DataType::Int8), q, v->name);
        stats_->add("weights-quantized");
        break;
      }
      case QuantInput::Bias: {
        QuantParams q;
        const double sx = xq.scale.empty() ? 1.0 : (double)xq.scale[0];
        for (double sw : wScales) q.scale.push_back((float)(sx * sw));
        q.zeroPoint.assign(q.scale.size(), 0);
        Tensor b = c.reshaped({c.numElements()});
        if (q.scale.size() > 1) q.axis = 0;
        else q.scale.resize(1), q.zeroPoint.resize(1);
        Tensor bq = quantizeTensor(b, q, DataType::Int32).reshaped(c.shape());
        if (q.perAxis()) q.axis = (int)c.rank() - 1;
        dequantizedConstant(n, i, bq, q, v->name);
        stats_->add("biases-quantized");
        break;
      }
      case QuantInput::Param:
        break;
      }
    }
  }

  /// Symmetric int8 weight parameters, per output channel when asked. A
  /// channel's scale is raised where its bias would not fit int32
  /// accumulation, and kept within 2^-20 of the largest (all-zero
  /// channels, tiny channels) so every rescaling factor is representable.
  QuantParams weightParams(const Node &n, size_t i, const Tensor &w,
                           const QuantParams &xq) {
    const int axis = weightChannelAxis(n, i, w.rank());
    const bool perAxis = plan_->perChannel && w.rank() >= 2;
    const int64_t channels = perAxis ? w.dim((size_t)axis) : 1;
    int64_t inner = 1;
    for (size_t d = (size_t)axis + 1; d < w.rank(); ++d) inner *= w.dim(d);
    std::vector<double> maxAbs((size_t)channels, 0.0);
    for (int64_t e = 0; e < w.numElements(); ++e) {
      const double v = std::fabs(w.getDouble(e));
      if (!std::isfinite(v)) continue;
      const size_t c = perAxis ? (size_t)((e / inner) % channels) : 0;
      maxAbs[c] = std::max(maxAbs[c], v);
    }
    std::vector<double> biasAbs((size_t)channels, 0.0);
    const Value *b = n.input(2);
    const bool hasBias = (n.opType == "Conv" || n.opType == "Gemm") && b &&
                         b->constant && !xq.scale.empty();
    if (hasBias)
      for (int64_t e = 0; e < b->constant->numElements(); ++e) {
        const size_t c = perAxis ? (size_t)e : 0;
        if (c < biasAbs.size())
          biasAbs[c] = std::max(biasAbs[c], std::fabs(b->constant->getDouble(e)));
      }
    double largest = 0;
    std::vector<double> s((size_t)channels);
    for (size_t c = 0; c < s.size(); ++c) {
      s[c] = maxAbs[c] / 127;
      if (hasBias)
        s[c] = std::max(s[c], biasAbs[c] / ((double)xq.scale[0] * 1073741824.0));
      largest = std::max(largest, s[c]);
    }
    if (largest == 0) largest = 1.0 / 127;
    QuantParams q;
    for (double v : s) q.scale.push_back((float)std::max(v, largest * 0x1p-20));
    q.zeroPoint.assign(q.scale.size(), 0);
    q.axis = perAxis ? axis : -1;
    return q;
  }

  /// v -> Q -> DQ: v's consumers (and graph outputs) read the DQ output.
  void insertPair(Value *v, const QuantParams &q) {
    std::vector<Node *> users = g_->usersOf(v);
    Node *before = users.empty() ? nullptr : users.front();
    TensorType qt = v->type;
    qt.dtype = actType();
    auto [s, z] = paramValues(v->name, q, actType());
    Value *vq = g_->addValue(g_->uniqueName(v->name + "_quantized"), qt);
    if (v->producer()) {
      // The producer now writes `v_float`; v itself becomes the DQ output,
      // so every user (subgraph captures included) and graph-output name
      // stays as it was.
      Node *p = v->producer();
      const size_t slot = (size_t)v->producerOutput();
      Value *vf = g_->addValue(g_->uniqueName(v->name + "_float"), v->type);
      g_->setNodeOutput(p, slot, vf);
      makeNode(before, "QuantizeLinear", {vf, s, z}, vq,
               v->name + "_QuantizeLinear");
      makeNode(before, "DequantizeLinear", {vq, s, z}, v,
               v->name + "_DequantizeLinear");
      return;
    }
    // A graph input: its users switch to the DQ output.
    Value *vdq = g_->addValue(g_->uniqueName(v->name + "_dequantized"), v->type);
    makeNode(before, "QuantizeLinear", {v, s, z}, vq,
             v->name + "_QuantizeLinear");
    makeNode(before, "DequantizeLinear", {vq, s, z}, vdq,
             v->name + "_DequantizeLinear");
    for (Node *u : users)
      for (Value *&in : u->inputs)
        if (in == v) in = vdq;
  }

  const QuantPlan *plan_ = nullptr;
  Graph *g_ = nullptr;
  PassStats *stats_ = nullptr;
  int64_t opset_ = 0;
  /// Lookup only; order_ gives the deterministic insertion order.
  std::map<const Value *, QuantParams> params_;
  std::map<const Value *, QuantParams> computed_;
  std::vector<Value *> order_;
  std::set<std::string> nodeNames_;
  std::set<std::string> keptFloat_;
};

} // namespace

std::unique_ptr<Pass> createInsertQdqPass() {
  return std::make_unique<InsertQdqPass>();
}

} // namespace edgec
