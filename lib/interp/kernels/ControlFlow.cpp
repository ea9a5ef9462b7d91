// Control flow: If, Loop and Scan (tensor values only; sequence- and
// optional-typed loop state is not representable and is reported by the
// importer).
//
// Subgraph bodies run through KernelContext::runSubgraph, which binds their
// inputs positionally and lets them read outer-scope values.
//
// Hostile trip counts: Loop and Scan stop with an error after
// kMaxIterations (10 million) body runs instead of hanging (a Loop with
// M = INT64_MAX and an always-true condition is valid ONNX but would never
// finish; reaching the cap takes seconds with a trivial body), and a Loop
// stops once its accumulated scan outputs exceed kMaxScanBytes.
#include "interp/KernelUtil.h"
#include "shape/ops/ControlFlow.h"

#include <cstring>

namespace edgec {
namespace {

/// Upper bound on body executions of one Loop/Scan node.
constexpr int64_t kMaxIterations = 10'000'000;

/// Upper bound on the bytes of scan outputs a Loop accumulates.
constexpr size_t kMaxScanBytes = size_t(1) << 32;

/// Reads a one-element tensor as a boolean condition.
Expected<bool> readCondition(const NodeContext &ctx, const Tensor &t,
                             const char *what) {
  if (t.numElements() != 1)
    return ctx.error(std::string(what) + " must have exactly one element, got " +
                     describe(t));
  return t.getDouble(0) != 0;
}

/// Splits t along `axis` into outer * len * inner byte blocks.
struct AxisSplit {
  int64_t outer = 1, len = 0, inner = 1; ///< inner counted in bytes
};

AxisSplit splitAt(const Tensor &t, size_t axis) {
  AxisSplit s;
  for (size_t i = 0; i < axis; ++i) s.outer *= t.dim(i);
  s.len = t.dim(axis);
  s.inner = (int64_t)dataTypeSize(t.dtype());
  for (size_t i = axis + 1; i < t.rank(); ++i) s.inner *= t.dim(i);
  return s;
}

/// Slice i of t along axis, with that axis removed.
Tensor sliceAxis(const Tensor &t, size_t axis, int64_t i) {
  TensorShape shape = t.shape();
  shape.erase(shape.begin() + axis);
  Tensor out(t.dtype(), shape);
  AxisSplit s = splitAt(t, axis);
  const auto *src = static_cast<const unsigned char *>(t.raw());
  auto *dst = static_cast<unsigned char *>(out.raw());
  for (int64_t o = 0; o < s.outer; ++o)
    if (s.inner)
      std::memcpy(dst + o * s.inner, src + (o * s.len + i) * s.inner,
                  (size_t)s.inner);
  return out;
}

/// Stacks equally shaped tensors along a new axis `axis`. `ctx` names the
/// node in errors (shape mismatch between iterations).
Expected<Tensor> stackAxis(const NodeContext &ctx,
                           const std::vector<Tensor> &parts, size_t axis,
                           const TensorShape &emptyElemShape,
                           DataType emptyType) {
  if (parts.empty()) {
    TensorShape shape = emptyElemShape;
    shape.insert(shape.begin() + std::min(axis, shape.size()), 0);
    return Tensor::create(emptyType, shape);
  }
  const Tensor &first = parts[0];
  for (const Tensor &p : parts)
    if (p.shape() != first.shape() || p.dtype() != first.dtype())
      return ctx.error("scan output changes shape between iterations: " +
                       describe(first) + " vs " + describe(p));
  if (axis > first.rank())
    return ctx.error("scan output axis out of range");
  TensorShape shape = first.shape();
  shape.insert(shape.begin() + axis, (int64_t)parts.size());
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(first.dtype(), shape));
  AxisSplit s = splitAt(out, axis);
  auto *dst = static_cast<unsigned char *>(out.raw());
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto *src = static_cast<const unsigned char *>(parts[i].raw());
    for (int64_t o = 0; o < s.outer; ++o)
      if (s.inner)
        std::memcpy(dst + (o * s.len + (int64_t)i) * s.inner,
                    src + o * s.inner, (size_t)s.inner);
  }
  return out;
}

// ---------------------------------------------------------------- If

Status runIf(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(bool cond,
                         readCondition(ctx, ctx.input(0), "condition"));
  EDGEC_ASSIGN_OR_RETURN(const Graph *g,
                         graphAttr(ctx, cond ? "then_branch" : "else_branch"));
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> outs, ctx.runSubgraph(*g, {}));
  if (outs.size() != ctx.numOutputs())
    return ctx.error("branch produces " + std::to_string(outs.size()) +
                     " outputs, node has " +
                     std::to_string(ctx.numOutputs()));
  ctx.outputs = std::move(outs);
  return Status::ok();
}

// ---------------------------------------------------------------- Loop

Status runLoop(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(const Graph *body, graphAttr(ctx, "body"));
  size_t numCarried = ctx.numInputs() >= 2 ? ctx.numInputs() - 2 : 0;
  if (body->inputs.size() != numCarried + 2)
    return ctx.error("loop body has " + std::to_string(body->inputs.size()) +
                     " inputs, expected " + std::to_string(numCarried + 2));
  if (body->outputs.size() < numCarried + 1)
    return ctx.error("loop body has too few outputs");
  size_t numScan = body->outputs.size() - 1 - numCarried;
  if (ctx.numOutputs() > numCarried + numScan)
    return ctx.error("loop node has more outputs than its body provides");

  int64_t maxTrip = INT64_MAX;
  if (ctx.hasInput(0)) {
    const Tensor &m = ctx.input(0);
    if (m.numElements() != 1)
      return ctx.error("trip count must have one element");
    maxTrip = m.getInt64(0);
  }
  bool cond = true;
  if (ctx.hasInput(1)) {
    EDGEC_ASSIGN_OR_RETURN(cond,
                           readCondition(ctx, ctx.input(1), "condition"));
  }
  std::vector<Tensor> carried;
  for (size_t i = 0; i < numCarried; ++i) {
    if (!ctx.hasInput(i + 2))
      return ctx.unsupported("omitted loop-carried input");
    carried.push_back(ctx.input(i + 2));
  }
  std::vector<std::vector<Tensor>> scans(numScan);
  size_t scanBytes = 0;
  int64_t iter = 0;
  for (; iter < maxTrip && cond; ++iter) {
    if (iter >= kMaxIterations)
      return ctx.error("loop exceeds " + std::to_string(kMaxIterations) +
                           " iterations",
                       ErrorCode::Runtime);
    std::vector<Tensor> ins;
    ins.reserve(numCarried + 2);
    ins.push_back(Tensor::scalar<int64_t>(iter));
    ins.push_back(Tensor::scalar<bool>(cond));
    for (const Tensor &t : carried) ins.push_back(t);
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> outs,
                           ctx.runSubgraph(*body, ins));
    EDGEC_ASSIGN_OR_RETURN(cond,
                           readCondition(ctx, outs[0], "body condition"));
    for (size_t i = 0; i < numCarried; ++i) carried[i] = outs[1 + i];
    for (size_t k = 0; k < numScan; ++k) {
      scanBytes += outs[1 + numCarried + k].byteSize();
      scans[k].push_back(outs[1 + numCarried + k]);
    }
    if (scanBytes > kMaxScanBytes)
      return ctx.error("loop scan outputs exceed " +
                           std::to_string(kMaxScanBytes >> 20) + " MiB",
                       ErrorCode::Runtime);
  }
  for (size_t i = 0; i < numCarried && i < ctx.numOutputs(); ++i)
    ctx.outputs[i] = carried[i];
  for (size_t k = 0; k < numScan && numCarried + k < ctx.numOutputs(); ++k) {
    // Zero iterations: use the body's declared element shape when static.
    const TensorType &bt = body->outputs[1 + numCarried + k]->type;
    TensorShape elem;
    if (bt.hasRank && bt.isStatic()) elem = bt.staticShape();
    DataType dt = bt.dtype == DataType::Undefined ? DataType::Float32
                                                  : bt.dtype;
    EDGEC_ASSIGN_OR_RETURN(ctx.outputs[numCarried + k],
                           stackAxis(ctx, scans[k], 0, elem, dt));
  }
  return Status::ok();
}

/// Runs the scan loop over `inputs` (states then scan inputs, no batch axis)
/// with at most `seqLen` steps (-1: the full scan length).
Expected<std::vector<Tensor>> scanCore(KernelContext &ctx, const Graph &body,
                                       const ScanConfig &c,
                                       const std::vector<Tensor> &inputs,
                                       int64_t seqLen) {
  std::vector<Tensor> state(inputs.begin(), inputs.begin() + c.numState);
  int64_t len = -1;
  std::vector<size_t> axes(c.numScanIn);
  for (size_t j = 0; j < c.numScanIn; ++j) {
    const Tensor &t = inputs[c.numState + j];
    EDGEC_ASSIGN_OR_RETURN(int64_t ax,
                           normalizeAxis(ctx, c.inAxes[j], (int64_t)t.rank()));
    axes[j] = (size_t)ax;
    if (len >= 0 && t.dim(ax) != len)
      return ctx.error("scan inputs have different scan lengths");
    len = t.dim(ax);
  }
  if (seqLen >= 0) {
    if (seqLen > len) return ctx.error("sequence_lens exceeds scan length");
    len = seqLen;
  }
  if (len > kMaxIterations)
    return ctx.error("scan exceeds " + std::to_string(kMaxIterations) +
                         " iterations",
                     ErrorCode::Runtime);
  std::vector<std::vector<Tensor>> outs(c.numScanOut);
  for (int64_t it = 0; it < len; ++it) {
    std::vector<Tensor> ins = state;
    for (size_t j = 0; j < c.numScanIn; ++j) {
      int64_t i = c.inDirs[j] ? len - 1 - it : it;
      ins.push_back(sliceAxis(inputs[c.numState + j], axes[j], i));
    }
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> r, ctx.runSubgraph(body, ins));
    for (size_t s = 0; s < c.numState; ++s) state[s] = r[s];
    for (size_t k = 0; k < c.numScanOut; ++k)
      outs[k].push_back(r[c.numState + k]);
  }
  std::vector<Tensor> result = state;
  for (size_t k = 0; k < c.numScanOut; ++k) {
    if (c.outDirs[k]) std::reverse(outs[k].begin(), outs[k].end());
    const TensorType &bt = body.outputs[c.numState + k]->type;
    TensorShape elem;
    if (bt.hasRank && bt.isStatic()) elem = bt.staticShape();
    int64_t elemRank =
        outs[k].empty() ? (int64_t)elem.size() : (int64_t)outs[k][0].rank();
    EDGEC_ASSIGN_OR_RETURN(int64_t ax,
                           normalizeAxis(ctx, c.outAxes[k], elemRank + 1));
    DataType dt =
        bt.dtype == DataType::Undefined ? DataType::Float32 : bt.dtype;
    EDGEC_ASSIGN_OR_RETURN(Tensor st,
                           stackAxis(ctx, outs[k], (size_t)ax, elem, dt));
    result.push_back(st);
  }
  return result;
}

Status runScan(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(const Graph *body, graphAttr(ctx, "body"));
  bool v8 = ctx.opset() < 9;
  size_t first = v8 ? 1 : 0;
  if (ctx.numInputs() <= first) return ctx.error("scan has no inputs");
  size_t numData = ctx.numInputs() - first;
  EDGEC_ASSIGN_OR_RETURN(ScanConfig c, scanConfig(ctx, *body, numData));
  std::vector<Tensor> inputs;
  for (size_t i = first; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) return ctx.error("scan inputs may not be omitted");
    inputs.push_back(ctx.input(i));
  }
  if (ctx.numOutputs() > c.numState + c.numScanOut)
    return ctx.error("scan node has more outputs than its body provides");
  if (!v8) {
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> r,
                           scanCore(ctx, *body, c, inputs, -1));
    for (size_t i = 0; i < ctx.numOutputs(); ++i) ctx.outputs[i] = r[i];
    return Status::ok();
  }
  // Opset 8: axis 0 of every input is the batch; the scan axis is 1.
  int64_t batch = -1;
  for (const Tensor &t : inputs) {
    if (t.rank() < 1) return ctx.error("scan-8 inputs need a batch axis");
    if (batch >= 0 && t.dim(0) != batch)
      return ctx.error("scan-8 inputs have different batch sizes");
    batch = t.dim(0);
  }
  std::vector<int64_t> seqLens;
  if (ctx.hasInput(0)) {
    seqLens = ctx.input(0).toInt64Vector();
    if ((int64_t)seqLens.size() != batch)
      return ctx.error("sequence_lens must have one entry per batch");
    for (int64_t s : seqLens)
      if (s < 0) return ctx.error("sequence_lens must not be negative");
  }
  std::vector<std::vector<Tensor>> perBatch(c.numState + c.numScanOut);
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<Tensor> ins;
    for (const Tensor &t : inputs) ins.push_back(sliceAxis(t, 0, b));
    EDGEC_ASSIGN_OR_RETURN(
        std::vector<Tensor> r,
        scanCore(ctx, *body, c, ins, seqLens.empty() ? -1 : seqLens[b]));
    for (size_t i = 0; i < r.size(); ++i) perBatch[i].push_back(r[i]);
  }
  for (size_t i = 0; i < ctx.numOutputs(); ++i) {
    if (batch == 0) return ctx.unsupported("scan-8 with an empty batch");
    EDGEC_ASSIGN_OR_RETURN(
        ctx.outputs[i],
        stackAxis(ctx, perBatch[i], 0, {}, perBatch[i][0].dtype()));
  }
  return Status::ok();
}

} // namespace

void registerControlFlowKernels(KernelRegistry &r) {
  r.add("If", runIf);
  r.add("Loop", runLoop);
  r.add("Scan", runScan);
}

} // namespace edgec
