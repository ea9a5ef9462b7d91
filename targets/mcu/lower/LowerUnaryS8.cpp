// Elementwise integer unary ops -> a table lookup (runtime/kernels/
// lut_s8.c). The table is the interpreter's own integer kernel (its
// fixed-point Logistic / Tanh / HardSwish / ReluX / LeakyRelu arithmetic or
// its PopulateLookupTable LUT, fused activation clamp included) evaluated
// at compile time on every value of the input type, so the generated code
// is bit-exact by construction. Also the requantizing views (Reshape,
// Flatten, Squeeze, Unsqueeze, Identity whose output parameters differ from
// the input's; TFLite's Requantize) and Softmax (softmax_s8.c).
#include "qmath/KernelParams.h"
#include "qmath/LookupTable.h"
#include "targets/mcu/lower/Lowering.h"

#include <cmath>

namespace edgec::mcu {
namespace s8 {
Expected<qmath::TensorQ> tensorQ(const Value *v, const std::string &what);
Expected<qmath::QRange> fusedRange(const Node &n);
Expected<Tensor> unaryTable(const Node &n);
Expected<std::vector<int8_t>> requantTableS8(qmath::TensorQ inQ, qmath::TensorQ outQ, qmath::QRange clamp);
bool isS8(const Value *v);
} // namespace s8

namespace {
using namespace s8;

bool isView(const std::string &op) {
  return op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze" ||
         op == "Identity";
}

bool sameType(const Value *a, const Value *b) { return a && b && a->type.dtype == b->type.dtype; }

std::string checkUnary(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty()) return "missing input or output";
  const Value *x = n.inputs[0], *y = n.outputs[0];
  DataType t = x->type.dtype;
  if (!x->quant || !y->quant || !sameType(x, y) ||
      (t != DataType::Int8 && t != DataType::Int16))
    return "only int8 -> int8 and int16 -> int16";
  if (isView(n.opType)) {
    if (t != DataType::Int8) return "requantizing int16 views";
    if (auto q = tensorQ(x, "input"); !q) return q.error().message();
    if (auto q = tensorQ(y, "output"); !q) return q.error().message();
    if (auto a = fusedRange(n); !a) return a.error().message();
    return "";
  }
  for (size_t i = 1; i < n.inputs.size(); ++i)
    if (n.inputs[i] && !n.inputs[i]->constant) return "inputs after the first must be constants";
  auto t2 = unaryTable(n);
  if (!t2) return t2.error().message();
  return "";
}

Status lowerUnary(LowerContext &ctx) {
  const Node &n = ctx.node();
  const Value *x = n.inputs[0];
  size_t count = size_t(elementCount(ctx.outValue(0)));
  if (x->type.dtype == DataType::Int8) {
    std::vector<int8_t> tb;
    if (isView(n.opType)) {
      EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, tensorQ(x, "input"));
      EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, tensorQ(n.outputs[0], "output"));
      EDGEC_ASSIGN_OR_RETURN(qmath::QRange act, fusedRange(n));
      EDGEC_ASSIGN_OR_RETURN(tb, requantTableS8(xq, yq, act));
    } else {
      EDGEC_ASSIGN_OR_RETURN(Tensor t, unaryTable(n));
      for (int64_t i = 0; i < 256; ++i) tb.push_back(int8_t(t.getInt64(i)));
    }
    Operand tid = ctx.constantArray("lut", tb);
    ctx.useRuntime("kernels/reference/lut_s8.h");
    ctx.call("ec_lut_s8", {tid, ctx.in(0), ctx.out(0), Operand::integer(int64_t(count))});
    ctx.setKernel("lut_s8");
  } else {
    EDGEC_ASSIGN_OR_RETURN(Tensor t, unaryTable(n));
    std::vector<int16_t> tb;
    for (int64_t i = 0; i < 65536; ++i) tb.push_back(int16_t(t.getInt64(i)));
    Operand tid = ctx.constantArray("lut", tb);
    ctx.useRuntime("kernels/reference/lut_s8.h");
    ctx.call("ec_lut_s16", {tid, ctx.in(0), ctx.out(0), Operand::integer(int64_t(count))});
    ctx.setKernel("lut_s16");
  }
  ctx.allowInPlace(0);
  return Status::ok();
}

// ---- Softmax ----

std::string checkSoftmax(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !isS8(n.inputs[0]) || !isS8(n.outputs.at(0))) return "only int8";
  if (auto q = tensorQ(n.inputs[0], "input"); !q) return q.error().message();
  if (auto q = tensorQ(n.outputs[0], "output"); !q) return q.error().message();
  if (auto a = fusedRange(n); !a) return a.error().message();
  if (isChannelsLast(n)) return "channels-last Softmax";
  return "";
}

Status lowerSoftmax(LowerContext &ctx) {
  const Node &n = ctx.node();
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, tensorQ(n.inputs[0], "input"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, tensorQ(n.outputs[0], "output"));
  EDGEC_ASSIGN_OR_RETURN(qmath::QRange act, fusedRange(n));
  std::vector<int64_t> xd = staticDims(*n.inputs[0]);
  const int64_t rank = int64_t(xd.size());
  const bool legacy = n.opsetVersion > 0 && n.opsetVersion < 13;
  int64_t axis = n.attrInt("axis", legacy ? 1 : -1);
  if (rank > 0 && axis < 0) axis += rank;
  int64_t outer = 1, depth = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (d < axis) outer *= xd[size_t(d)];
    else if (d == axis || legacy) depth *= xd[size_t(d)];
    else inner *= xd[size_t(d)];
  }
  const qmath::QuantizedMultiplier m = qmath::preprocessSoftmaxScaling(1.0, xq.scale, 5);
  if (m.shift < 0 || m.multiplier <= 0)
    return Error(ErrorCode::Unsupported, "input scale too small for the fixed-point softmax");
  const int32_t diffMin = -qmath::calculateInputRadius(5, m.shift);
  std::vector<int32_t> table(256);
  for (int32_t d = 0; d < 256; ++d) {
    const int32_t diff = -d;
    if (diff >= diffMin) {
      const int32_t scaled =
          qmath::multiplyByQuantizedMultiplierGreaterThanOne(diff, m.multiplier, m.shift);
      table[size_t(d)] = qmath::expOnNegativeValues(scaled, 5);
    } else {
      table[size_t(d)] = -1;
    }
  }
  Operand rq;
  const qmath::TensorQ conv{1.0f / 256, -128};
  if (!(yq.zeroPoint == conv.zeroPoint && std::fabs(yq.scale - conv.scale) <= 0.001f / 256)) {
    EDGEC_ASSIGN_OR_RETURN(std::vector<int8_t> t, requantTableS8(conv, yq, {-128, 127}));
    rq = ctx.constantArray("requant", t);
  }
  // Only the differences down to diff_min are stored (the rest are -1).
  size_t len = 256;
  while (len > 1 && table[len - 1] == -1) --len;
  table.resize(len);
  Operand tid = ctx.constantArray("exp", table);
  Operand pid = ctx.params("ec_softmax_s8_params", "softmax_" + n.name,
                           Fields().i("outer", outer).i("depth", depth).i("inner", inner)
                               .ptr("exp_table", tid).i("exp_len", int64_t(len)).ptr("requant", rq).i("act_min", act.min)
                               .i("act_max", act.max));
  ctx.useRuntime("kernels/reference/softmax_s8.h");
  ctx.call("ec_softmax_s8", {pid, ctx.in(0), ctx.out(0)});
  ctx.setKernel("softmax_s8");
  return Status::ok();
}

} // namespace

void registerUnaryS8(std::vector<Lowering> &out) {
  std::vector<const char *> ops{"Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSwish"};
  ops.insert(ops.end(), std::begin(qmath::kLookupTableOps), std::end(qmath::kLookupTableOps));
  ops.insert(ops.end(), {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"});
  for (const char *op : ops)
    out.push_back({op, Lowering::Integer, checkUnary, lowerUnary, {"int8", "int16"},
                   "table of the interpreter's integer kernel"});
}

void registerSoftmaxS8(std::vector<Lowering> &out) {
  out.push_back({"Softmax", Lowering::Integer, checkSoftmax, lowerSoftmax, {"int8"},
                 "TFLite fixed-point softmax"});
}

} // namespace edgec::mcu
