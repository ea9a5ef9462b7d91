// Ops whose output the static shapes fix: Shape, Size, EyeLike and the
// Hann / Hamming / Blackman windows (the whole output as a constant) and ConstantOfShape (one element, repeated) ->
// ec_fill_any (runtime/kernels/reference/fill_any.c); Range with start and
// delta read at run time and a static length -> ec_range_any (range_any.c).
#include "targets/mcu/lower/ByteCopyTypes.h"
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace edgec::mcu {

namespace {

std::string checkOut(const Node &n) {
  if (n.outputs.size() != 1 || !n.outputs[0]) return "missing output";
  if (!byteCopyable(n.outputs[0]->type.dtype)) return "unsupported output type";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  return "";
}

std::string checkShapeLike(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0]) return "missing input";
  return checkOut(n);
}

/// ec_fill_any of `bytes` output bytes from a `period`-byte constant pattern.
Status emitFill(LowerContext &ctx, const std::vector<uint8_t> &pattern, int64_t bytes) {
  if (pattern.empty()) return Status::ok();
  Operand c = ctx.constant("fill_" + ctx.node().name, DataType::UInt8, pattern.data(),
                           pattern.size());
  Operand p = ctx.params("ec_fill_any_params", "fill_" + ctx.node().name,
                         Fields().i("bytes", bytes).i("period", int64_t(pattern.size())));
  ctx.useRuntime("kernels/reference/fill_any.h");
  ctx.call("ec_fill_any", {p, c, ctx.out(0)});
  ctx.setKernel("fill_any");
  return Status::ok();
}

std::vector<uint8_t> bytesOf(const Tensor &t) {
  const uint8_t *b = static_cast<const uint8_t *>(t.raw());
  return b ? std::vector<uint8_t>(b, b + t.byteSize()) : std::vector<uint8_t>{};
}

int64_t outBytes(LowerContext &ctx) {
  return elementCount(ctx.outValue(0)) *
         int64_t(dataTypeSize(ctx.outValue(0).type.dtype));
}

/// The whole output computed here (Shape, Size, EyeLike).
Status lowerWhole(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  Tensor t(ctx.outValue(0).type.dtype, od);
  if (n.opType == "Shape") {
    const int64_t r = int64_t(d.size());
    auto norm = [r](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + r : v, 0, r); };
    const int64_t start = norm(n.attrInt("start", 0)), end = norm(n.attrInt("end", r));
    if (std::max<int64_t>(end - start, 0) != t.numElements())
      return Error(ErrorCode::InvalidInput, "Shape output size differs from start/end");
    for (int64_t i = start; i < end; ++i) t.setInt64(i - start, d[size_t(i)]);
  } else if (n.opType == "Size") {
    if (t.numElements() != 1) return Error(ErrorCode::InvalidInput, "Size output is not a scalar");
    t.setInt64(0, elementCount(ctx.inValue(0)));
  } else if (n.opType.size() > 6 && n.opType.compare(n.opType.size() - 6, 6, "Window") == 0) {
    // As the interpreter: the window of the static length, in double.
    const int64_t len = t.numElements();
    const double denom = double(n.attrInt("periodic", 1) != 0 ? len : len - 1);
    const double pi = 3.14159265358979323846;
    for (int64_t i = 0; i < len; ++i) {
      const double a = denom > 0 ? 2.0 * pi * double(i) / denom : 0.0;
      t.setDouble(i, n.opType == "HannWindow"      ? 0.5 - 0.5 * std::cos(a)
                     : n.opType == "HammingWindow" ? 25.0 / 46 - 21.0 / 46 * std::cos(a)
                                                   : 0.42 - 0.5 * std::cos(a) +
                                                         0.08 * std::cos(2 * a));
    }
  } else { // EyeLike
    if (od.size() != 2) return Error(ErrorCode::InvalidInput, "EyeLike needs a 2-D input");
    const int64_t k = n.attrInt("k", 0);
    for (int64_t i = 0; i < od[0]; ++i)
      if (k < od[1] && k > -od[0] && i + k >= 0 && i + k < od[1]) t.setInt64(i * od[1] + i + k, 1);
  }
  return emitFill(ctx, bytesOf(t), outBytes(ctx));
}

std::string checkConstantOfShape(const Node &n, const McuOptions &o) {
  std::string why = checkShapeLike(n, o);
  if (!why.empty()) return why;
  const Attribute *v = n.attr("value");
  if (v && (v->kind != Attribute::Kind::Tensor || v->t.numElements() != 1 ||
            v->t.dtype() != n.outputs[0]->type.dtype))
    return "value must be a one-element tensor of the output's type";
  return "";
}

Status lowerConstantOfShape(LowerContext &ctx) {
  const Attribute *v = ctx.node().attr("value");
  Tensor t = v ? v->t : Tensor(DataType::Float32, {});
  return emitFill(ctx, bytesOf(t), outBytes(ctx));
}

const std::map<DataType, std::string> &rangeTypes() {
  static const std::map<DataType, std::string> m = {{DataType::Float32, "EC_FLOAT32"},
                                                    {DataType::Int16, "EC_INT16"},
                                                    {DataType::Int32, "EC_INT32"},
                                                    {DataType::Int64, "EC_INT64"}};
  return m;
}

std::string checkRange(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 3 || !n.inputs[0] || !n.inputs[2] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  const DataType t = n.outputs[0]->type.dtype;
  if (!rangeTypes().count(t)) return "only float32, int16, int32 and int64";
  for (const Value *v : n.inputs)
    if (!v || v->type.dtype != t) return "start, limit and delta must have the output's type";
  return "";
}

Status lowerRange(LowerContext &ctx) {
  const std::vector<int64_t> od = staticDims(ctx.outValue(0));
  if (od.size() != 1) return Error(ErrorCode::InvalidInput, "Range output must be 1-D");
  if (elementCount(ctx.inValue(0)) != 1 || elementCount(ctx.inValue(2)) != 1)
    return Error(ErrorCode::InvalidInput, "start and delta must be scalars");
  Operand p = ctx.params("ec_range_any_params", "range_" + ctx.node().name,
                         Fields().sym("type", rangeTypes().at(ctx.outValue(0).type.dtype))
                             .i("count", od[0]));
  ctx.useRuntime("kernels/reference/range_any.h");
  ctx.call("ec_range_any", {p, ctx.in(0), ctx.in(2), ctx.out(0)});
  ctx.setKernel("range_any");
  return Status::ok();
}

} // namespace

void registerGeneratorAny(std::vector<Lowering> &out) {
  for (const char *op :
       {"Shape", "Size", "EyeLike", "HannWindow", "HammingWindow", "BlackmanWindow"})
    out.push_back({op, Lowering::Any, checkShapeLike, lowerWhole, byteCopyTypeNames(),
                   "computed from the static shapes"});
  out.push_back({"ConstantOfShape", Lowering::Any, checkConstantOfShape, lowerConstantOfShape,
                 byteCopyTypeNames(), "static output shape"});
  out.push_back({"Range", Lowering::Any, checkRange, lowerRange,
                 {"float32", "int16", "int32", "int64"},
                 "start/delta at run time, static length"});
}

} // namespace edgec::mcu
