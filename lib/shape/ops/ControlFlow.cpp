// Shape and type inference of the ControlFlow family (kernels:
// interp/kernels/ControlFlow.cpp).
#include "shape/ops/ControlFlow.h"

#include <cstring>

namespace edgec {

Expected<const Graph *> graphAttr(const NodeContext &ctx,
                                  const std::string &name) {
  const Attribute *a = ctx.attr(name);
  if (!a || a->kind != Attribute::Kind::Graph || !a->g)
    return ctx.error("missing graph attribute '" + name + "'");
  return a->g.get();
}

Expected<ScanConfig> scanConfig(const NodeContext &ctx, const Graph &body,
                                size_t numDataInputs) {
  ScanConfig c;
  int64_t m = ctx.attrInt("num_scan_inputs", -1);
  if (m < 1 || (size_t)m > numDataInputs)
    return ctx.error("num_scan_inputs must be in [1, number of inputs]");
  c.numScanIn = (size_t)m;
  c.numState = numDataInputs - c.numScanIn;
  if (body.inputs.size() != numDataInputs)
    return ctx.error("scan body has " + std::to_string(body.inputs.size()) +
                     " inputs, expected " + std::to_string(numDataInputs));
  if (body.outputs.size() < c.numState)
    return ctx.error("scan body has too few outputs");
  c.numScanOut = body.outputs.size() - c.numState;
  bool v8 = ctx.opset() < 9;
  c.inAxes = v8 ? std::vector<int64_t>{} : ctx.attrInts("scan_input_axes");
  c.inDirs = ctx.attrInts(v8 ? "directions" : "scan_input_directions");
  c.outAxes = v8 ? std::vector<int64_t>{} : ctx.attrInts("scan_output_axes");
  c.outDirs = v8 ? std::vector<int64_t>{}
                 : ctx.attrInts("scan_output_directions");
  auto fill = [&](std::vector<int64_t> &v, size_t n, const char *name)
      -> Status {
    if (v.empty()) v.assign(n, 0);
    if (v.size() != n)
      return ctx.error(std::string(name) + " has " + std::to_string(v.size()) +
                       " entries, expected " + std::to_string(n));
    return Status::ok();
  };
  EDGEC_TRY(fill(c.inAxes, c.numScanIn, "scan_input_axes"));
  EDGEC_TRY(fill(c.inDirs, c.numScanIn, "scan_input_directions"));
  EDGEC_TRY(fill(c.outAxes, c.numScanOut, "scan_output_axes"));
  EDGEC_TRY(fill(c.outDirs, c.numScanOut, "scan_output_directions"));
  return c;
}

namespace {

/// Common type of two branch outputs: keeps what both agree on.
TensorType unifyTypes(const TensorType &a, const TensorType &b) {
  if (a.dtype != b.dtype) return TensorType();
  if (!a.hasRank || !b.hasRank || a.rank() != b.rank())
    return TensorType(a.dtype);
  std::vector<Dim> dims;
  for (size_t i = 0; i < a.rank(); ++i)
    dims.push_back(a.dims[i] == b.dims[i] ? a.dims[i] : Dim::unknown());
  return TensorType(a.dtype, dims);
}

Status inferIf(InferContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(const Graph *tg, graphAttr(ctx, "then_branch"));
  EDGEC_ASSIGN_OR_RETURN(const Graph *eg, graphAttr(ctx, "else_branch"));
  if (tg->outputs.size() != ctx.outputs.size() ||
      eg->outputs.size() != ctx.outputs.size())
    return ctx.error("If branches and node have different output counts");
  const Tensor *c = ctx.inputValue(0);
  for (size_t i = 0; i < ctx.outputs.size(); ++i) {
    const TensorType &t = tg->outputs[i]->type;
    const TensorType &e = eg->outputs[i]->type;
    if (c && c->numElements() == 1)
      ctx.outputs[i] = c->getDouble(0) != 0 ? t : e;
    else
      ctx.outputs[i] = unifyTypes(t, e);
  }
  return Status::ok();
}

Status inferLoop(InferContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(const Graph *body, graphAttr(ctx, "body"));
  size_t numCarried = ctx.numInputs() >= 2 ? ctx.numInputs() - 2 : 0;
  for (size_t i = 0; i < ctx.outputs.size(); ++i) {
    if (i < numCarried) {
      if (!ctx.hasInput(i + 2)) continue;
      const TensorType &in = ctx.inputType(i + 2);
      TensorType bodyOut = 1 + i < body->outputs.size()
                               ? body->outputs[1 + i]->type
                               : TensorType();
      // The state may change shape across iterations; keep what is stable.
      ctx.outputs[i] = bodyOut.dtype == DataType::Undefined
                           ? TensorType(in.dtype)
                           : unifyTypes(in, bodyOut);
    } else if (1 + i < body->outputs.size()) {
      const TensorType &bt = body->outputs[1 + i]->type;
      if (!bt.hasRank) {
        ctx.outputs[i] = TensorType(bt.dtype);
        continue;
      }
      std::vector<Dim> dims = bt.dims;
      dims.insert(dims.begin(), Dim::unknown());
      ctx.outputs[i] = TensorType(bt.dtype, dims);
    }
  }
  return Status::ok();
}

Status inferScan(InferContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(const Graph *body, graphAttr(ctx, "body"));
  bool v8 = ctx.opset() < 9;
  size_t first = v8 ? 1 : 0;
  if (ctx.numInputs() <= first) return Status::ok();
  auto cr = scanConfig(ctx, *body, ctx.numInputs() - first);
  if (!cr) return cr.status();
  const ScanConfig &c = *cr;
  for (size_t i = 0; i < ctx.outputs.size(); ++i) {
    if (i < c.numState) {
      if (ctx.hasInput(first + i)) ctx.outputs[i] = ctx.inputType(first + i);
      continue;
    }
    size_t k = i - c.numState;
    if (i >= body->outputs.size()) break;
    const TensorType &bt = body->outputs[i]->type;
    if (!bt.hasRank || v8) {
      ctx.outputs[i] = TensorType(bt.dtype);
      continue;
    }
    // Scan length from the first scan input, when known.
    Dim len = Dim::unknown();
    if (ctx.hasInput(first + c.numState)) {
      const TensorType &t = ctx.inputType(first + c.numState);
      int64_t ax = c.inAxes[0];
      if (t.hasRank) {
        if (ax < 0) ax += (int64_t)t.rank();
        if (ax >= 0 && ax < (int64_t)t.rank()) len = t.dims[ax];
      }
    }
    int64_t ax = c.outAxes[k];
    int64_t r = (int64_t)bt.rank() + 1;
    if (ax < 0) ax += r;
    if (ax < 0 || ax >= r) return ctx.error("scan_output_axes out of range");
    std::vector<Dim> dims = bt.dims;
    dims.insert(dims.begin() + ax, len);
    ctx.outputs[i] = TensorType(bt.dtype, dims);
  }
  return Status::ok();
}

} // namespace

void registerControlFlowInference(InferRegistry &r) {
  r.add("If", inferIf);
  r.add("Loop", inferLoop);
  r.add("Scan", inferScan);
}

} // namespace edgec
