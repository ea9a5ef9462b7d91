// ScatterElements / Scatter (opset 9) -> ec_scatter_elements_any and
// ScatterND -> ec_scatternd_any (runtime/kernels/reference/): any element
// type the generated code stores with reduction none, float32 also with
// add / mul / max / min; indices read at run time. The output may share
// the data's buffer.
#include "targets/mcu/lower/ByteCopyTypes.h"
#include "targets/mcu/lower/Lowering.h"

#include <map>

namespace edgec::mcu {

namespace {

const std::map<std::string, std::string> kReduction = {{"none", "EC_SCATTER_NONE"},
                                                       {"add", "EC_SCATTER_ADD"},
                                                       {"mul", "EC_SCATTER_MUL"},
                                                       {"max", "EC_SCATTER_MAX"},
                                                       {"min", "EC_SCATTER_MIN"}};

std::string reductionOf(const Node &n) {
  const Attribute *r = n.attr("reduction");
  return r ? r->s : "none";
}

std::vector<int64_t> strides(const std::vector<int64_t> &d) {
  std::vector<int64_t> s(d.size(), 1);
  for (size_t i = d.size(); i-- > 1;) s[i - 1] = s[i] * d[i];
  return s;
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 3 || !n.inputs[0] || !n.inputs[1] || !n.inputs[2] || n.outputs.empty() ||
      !n.outputs[0])
    return "missing input or output";
  const DataType t = n.inputs[0]->type.dtype;
  if (!byteCopyable(t) || n.inputs[2]->type.dtype != t || n.outputs[0]->type.dtype != t)
    return "unsupported element type";
  const DataType it = n.inputs[1]->type.dtype;
  if (it != DataType::Int32 && it != DataType::Int64) return "indices must be int32 or int64";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  const std::string red = reductionOf(n);
  if (!kReduction.count(red)) return "reduction '" + red + "' is not supported";
  if (red != "none" && t != DataType::Float32) return "reductions only on float32";
  const size_t r = n.inputs[0]->type.dims.size();
  if (r == 0 || r > 8) return "rank 1 to 8 only";
  if (n.opType == "ScatterND") {
    const auto &id = n.inputs[1]->type.dims;
    if (id.empty() || !id.back().isStatic() || id.back().value < 1 || size_t(id.back().value) > r)
      return "the indices' last dim must be 1 to the data's rank";
    return "";
  }
  if (n.inputs[1]->type.dims.size() != r || n.inputs[2]->type.dims.size() != r)
    return "indices and updates must have the data's rank";
  const int64_t a = n.attrInt("axis", 0);
  if (a < -int64_t(r) || a >= int64_t(r)) return "axis out of range";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0)), id = staticDims(ctx.inValue(1)),
                             ud = staticDims(ctx.inValue(2));
  const int64_t r = int64_t(d.size());
  if (staticDims(ctx.outValue(0)) != d)
    return Error(ErrorCode::InvalidInput, "output shape differs from the data's");
  Fields f;
  if (n.opType == "ScatterND") {
    const int64_t k = id.back();
    int64_t count = 1, slice = 1;
    for (size_t i = 0; i + 1 < id.size(); ++i) count *= id[i];
    for (size_t i = size_t(k); i < d.size(); ++i) slice *= d[i];
    if (elementCount(ctx.inValue(2)) != count * slice)
      return Error(ErrorCode::InvalidInput, "updates shape does not match indices and data");
    f.i("n", count).i("k", k).i("slice", slice).i("data_count", elementCount(ctx.inValue(0)))
        .ints("data_dims", d).ints("data_str", strides(d));
  } else {
    int64_t axis = n.attrInt("axis", 0);
    if (axis < 0) axis += r;
    if (id != ud) return Error(ErrorCode::InvalidInput, "updates shape differs from the indices'");
    for (int64_t i = 0; i < r; ++i)
      if (i != axis && id[size_t(i)] > d[size_t(i)])
        return Error(ErrorCode::InvalidInput, "indices larger than the data off the axis");
    f.i("rank", r).i("axis", axis).ints("upd_dims", id).ints("data_str", strides(d))
        .i("axis_len", d[size_t(axis)]).i("data_count", elementCount(ctx.inValue(0)));
  }
  f.i("elem_size", int64_t(dataTypeSize(ctx.inValue(0).type.dtype)))
      .i("idx_i64", ctx.inValue(1).type.dtype == DataType::Int64 ? 1 : 0)
      .sym("reduction", kReduction.at(reductionOf(n)));
  const bool nd = n.opType == "ScatterND";
  const std::string k = nd ? "scatternd_any" : "scatter_elements_any";
  Operand p = ctx.params("ec_" + k + "_params", "scatter_" + n.name, f);
  ctx.useRuntime("kernels/reference/" + k + ".h");
  ctx.call("ec_" + k, {p, ctx.in(0), ctx.in(1), ctx.in(2), ctx.out(0)});
  ctx.setKernel(k);
  ctx.allowInPlace(0);
  return Status::ok();
}

} // namespace

void registerScatterAny(std::vector<Lowering> &out) {
  for (const char *op : {"ScatterElements", "Scatter", "ScatterND"})
    out.push_back({op, Lowering::Float, check, lower, byteCopyTypeNames(),
                   "run-time indices; reductions on float32"});
}

} // namespace edgec::mcu
