// Float reductions over constant axes (or axes read at run time, the output
// shape being static): ReduceSum, ReduceMean, ReduceMax,
// ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum,
// ReduceLogSumExp -> ec_reduce_f32 (runtime/kernels/reference/reduce_f32.c;
// run-time axes: ec_reduce_axes_f32, reduce_axes_f32.c).
#include "targets/mcu/lower/Lowering.h"

#include <map>

namespace edgec::mcu {

namespace {

const std::map<std::string, std::string> &ops() {
  static const std::map<std::string, std::string> m = {
      {"ReduceSum", "EC_RED_SUM"},   {"ReduceMean", "EC_RED_MEAN"},
      {"ReduceMax", "EC_RED_MAX"},   {"ReduceMin", "EC_RED_MIN"},
      {"ReduceProd", "EC_RED_PROD"}, {"ReduceL1", "EC_RED_L1"},
      {"ReduceL2", "EC_RED_L2"},     {"ReduceSumSquare", "EC_RED_SUM_SQUARE"},
      {"ReduceLogSum", "EC_RED_LOG_SUM"}, {"ReduceLogSumExp", "EC_RED_LOG_SUM_EXP"}};
  return m;
}

/// Axes from the attribute (older opsets) or the constant input 1.
bool axesOf(const Node &n, std::vector<int64_t> &axes) {
  if (const Attribute *a = n.attr("axes")) {
    axes = a->ints;
    return true;
  }
  if (n.inputs.size() > 1 && n.inputs[1]) {
    if (!n.inputs[1]->constant) return false;
    axes = n.inputs[1]->constant->toInt64Vector();
  }
  return true;
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32 ||
      n.outputs[0]->type.dtype != DataType::Float32)
    return "only float32";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation on a reduction";
  std::vector<int64_t> axes;
  int64_t r = int64_t(n.inputs[0]->type.dims.size());
  if (r > 8) return "rank above 8";
  if (!axesOf(n, axes)) {
    const Value &a = *n.inputs[1];
    if (a.type.dtype != DataType::Int64 || a.type.dims.size() != 1)
      return "run-time axes must be a 1-D int64 tensor";
    return "";
  }
  for (int64_t a : axes)
    if (a < -r || a >= r) return "axis out of range";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  size_t r = d.size();
  std::vector<int64_t> axes;
  const Attribute *noop = n.attr("noop_with_empty_axes");
  if (!axesOf(n, axes)) {
    Operand p = ctx.params(
        "ec_reduce_axes_f32_params", "reduce_" + n.name,
        Fields().sym("op", ops().at(n.opType)).i("rank", int64_t(r)).ints("dims", d)
            .i("naxes", elementCount(ctx.inValue(1))).i("noop", noop && noop->i != 0 ? 1 : 0)
            .i("out_count", elementCount(ctx.outValue(0))));
    ctx.useRuntime("kernels/reference/reduce_f32.h");
    ctx.useRuntime("kernels/reference/reduce_axes_f32.h");
    ctx.call("ec_reduce_axes_f32", {p, ctx.in(0), ctx.in(1), ctx.out(0)});
    ctx.setKernel("reduce_f32");
    ctx.addMacs(elementCount(ctx.inValue(0)));
    return Status::ok();
  }
  std::vector<bool> red(r, axes.empty());
  if (axes.empty() && noop && noop->i != 0) red.assign(r, false);
  for (int64_t a : axes) red[size_t(a < 0 ? a + int64_t(r) : a)] = true;
  std::vector<int64_t> st(r, 1);
  for (size_t i = r; i-- > 1;) st[i - 1] = st[i] * d[i];
  std::vector<int64_t> kd, ks, rd, rs;
  for (size_t i = 0; i < r; ++i) {
    if (d[i] == 1) continue;
    if (red[i]) {
      rd.push_back(d[i]);
      rs.push_back(st[i]);
    } else {
      kd.push_back(d[i]);
      ks.push_back(st[i]);
    }
  }
  Operand p = ctx.params("ec_reduce_f32_params", "reduce_" + n.name,
                         Fields().sym("op", ops().at(n.opType)).i("keep_rank", int64_t(kd.size()))
                             .i("red_rank", int64_t(rd.size())).ints("keep_dims", kd)
                             .ints("keep_str", ks).ints("red_dims", rd).ints("red_str", rs));
  ctx.useRuntime("kernels/reference/reduce_f32.h");
  ctx.call("ec_reduce_f32", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel("reduce_f32");
  ctx.addMacs(elementCount(ctx.inValue(0)));
  return Status::ok();
}

} // namespace

void registerReduceF32(std::vector<Lowering> &out) {
  for (const auto &[op, c] : ops())
    out.push_back({op, Lowering::Float, check, lower, {"float32"},
                   "axes constant or read at run time"});
}

} // namespace edgec::mcu
