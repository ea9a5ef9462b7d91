// Integer Add, Sub, Mul, Max, Min (two inputs, numpy broadcasting) ->
// runtime/kernels/reference/binary_s8.c (or cortexm/binary_s8_dsp.c) with
// the interpreter's multipliers (interp/kernels/quant/QElementwise.cpp)
// computed here.
#include "qmath/KernelParams.h"
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>

namespace edgec::mcu {
namespace s8 {
Expected<qmath::TensorQ> tensorQ(const Value *v, const std::string &what);
Expected<qmath::QRange> fusedRange(const Node &n);
Expected<qmath::QuantizedMultiplier> requantMultiplier(double real, const std::string &what);
Expected<std::vector<int8_t>> requantTableS8(qmath::TensorQ inQ, qmath::TensorQ outQ, qmath::QRange clamp);
bool isS8(const Value *v);
bool useDsp(LowerContext &ctx);
} // namespace s8

namespace {
using namespace s8;

// The kernel's ec_mbqm (runtime/kernels/reference/fixedpoint_q.h), exactly.
int32_t kernelMbqm(int32_t x, int32_t m, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const int32_t a = int32_t(uint32_t(x) << left);
  int32_t h;
  if (a == m && a == INT32_MIN) {
    h = INT32_MAX;
  } else {
    int64_t v = int64_t(a) * int64_t(m);
    v += v >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
    if (v < 0) v += 0x7fffffff;
    h = int32_t(v >> 31);
  }
  const int32_t mask = int32_t((uint32_t(1) << right) - 1u);
  const int32_t rem = h & mask, thr = (mask >> 1) + (h < 0 ? 1 : 0);
  return (h >> right) + (rem > thr ? 1 : 0);
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 2 || !isS8(n.inputs[0]) || !isS8(n.inputs[1]) || !isS8(n.outputs.at(0)))
    return "only two int8 inputs and an int8 output";
  for (int i = 0; i < 2; ++i)
    if (auto q = tensorQ(n.inputs[size_t(i)], "input"); !q) return q.error().message();
  if (auto q = tensorQ(n.outputs[0], "output"); !q) return q.error().message();
  if (auto a = fusedRange(n); !a) return a.error().message();
  std::vector<int64_t> a = staticDims(*n.inputs[0]), b = staticDims(*n.inputs[1]),
                       y = staticDims(*n.outputs[0]);
  if (isChannelsLast(n) && !(a == y && b == y)) return "channels-last broadcasting";
  if (y.size() > 6) return "rank above 6";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ q1, tensorQ(n.inputs[0], "input 0"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ q2, tensorQ(n.inputs[1], "input 1"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, tensorQ(n.outputs[0], "output"));
  EDGEC_ASSIGN_OR_RETURN(qmath::QRange act, fusedRange(n));
  std::vector<int64_t> ad = staticDims(*n.inputs[0]), bd = staticDims(*n.inputs[1]),
                       yd = staticDims(*n.outputs[0]);
  std::string op;
  int32_t m1 = 0, s1 = 0, m2 = 0, s2 = 0, mo = 0, so = 0, leftShift = 0;
  Operand la, lb;
  const std::string &t = n.opType;
  if (t == "Add" || t == "Sub") {
    op = t == "Add" ? "EC_BIN_S8_ADD" : "EC_BIN_S8_SUB";
    leftShift = 20;
    const double twiceMax = 2 * (double)std::max(q1.scale, q2.scale);
    const double realOut = twiceMax / ((double)(int64_t(1) << leftShift) * (double)yq.scale);
    if (!(realOut < 1.0)) return Error(ErrorCode::Unsupported, "output scale too small");
    qmath::QuantizedMultiplier a = qmath::quantizeMultiplier((double)q1.scale / twiceMax);
    qmath::QuantizedMultiplier b = qmath::quantizeMultiplier((double)q2.scale / twiceMax);
    qmath::QuantizedMultiplier o = qmath::quantizeMultiplier(realOut);
    m1 = a.multiplier, s1 = a.shift, m2 = b.multiplier, s2 = b.shift, mo = o.multiplier, so = o.shift;
  } else if (t == "Mul") {
    op = "EC_BIN_S8_MUL";
    EDGEC_ASSIGN_OR_RETURN(qmath::QuantizedMultiplier m,
                           requantMultiplier((double)q1.scale * (double)q2.scale / (double)yq.scale, "output"));
    mo = m.multiplier, so = m.shift;
  } else {
    op = t == "Max" ? "EC_BIN_S8_MAX" : "EC_BIN_S8_MIN";
    if (!(q1 == yq)) {
      EDGEC_ASSIGN_OR_RETURN(std::vector<int8_t> tb, requantTableS8(q1, yq, {-128, 127}));
      la = ctx.constantArray("requant", tb);
    }
    if (!(q2 == yq)) {
      EDGEC_ASSIGN_OR_RETURN(std::vector<int8_t> tb, requantTableS8(q2, yq, {-128, 127}));
      lb = ctx.constantArray("requant", tb);
    }
  }
  // Broadcast strides over the output dims (right-aligned).
  int64_t count = 1;
  for (int64_t d : yd) count *= d;
  std::vector<int64_t> dims, sa, sb;
  int rank = 0;
  if (!(ad == yd && bd == yd)) {
    rank = int(yd.size());
    auto strides = [&](const std::vector<int64_t> &xd) {
      std::vector<int64_t> s(yd.size(), 0);
      int64_t acc = 1;
      for (size_t i = 0; i < xd.size(); ++i) {
        size_t xi = xd.size() - 1 - i, yi = yd.size() - 1 - i;
        s[yi] = xd[xi] == 1 ? 0 : acc;
        acc *= xd[xi];
      }
      return s;
    };
    std::vector<int64_t> x1 = strides(ad), x2 = strides(bd);
    for (size_t i = 0; i < 6; ++i) {
      bool in = i < yd.size();
      dims.push_back(in ? yd[i] : 1);
      sa.push_back(in ? x1[i] : 0);
      sb.push_back(in ? x2[i] : 0);
    }
  }
  // Add / Sub: the rescaled inputs as 256-entry tables (Sub: the second
  // negated, modulo 2^32), and whether the output rescaling may use
  // ec_requant's fast form (|raw| < 2^30, a right shift of at least 1).
  Operand ta, tb;
  int fastOut = 0;
  std::vector<int32_t> A, B;
  if (t == "Add" || t == "Sub") {
    A.resize(256);
    B.resize(256);
    int64_t maxA = 0, maxB = 0;
    for (int v = -128; v < 128; ++v) {
      int32_t u = kernelMbqm(int32_t(uint32_t(v - q1.zeroPoint) << leftShift), m1, s1);
      int32_t w = kernelMbqm(int32_t(uint32_t(v - q2.zeroPoint) << leftShift), m2, s2);
      maxA = std::max<int64_t>(maxA, std::abs(int64_t(u)));
      maxB = std::max<int64_t>(maxB, std::abs(int64_t(w)));
      A[size_t(v + 128)] = u;
      B[size_t(v + 128)] = t == "Add" ? w : int32_t(0u - uint32_t(w));
    }
    fastOut = maxA + maxB < (int64_t(1) << 30) && so <= -1 && so >= -31 && mo >= 0;
  }
  // The DSP variant differs only in the SMMULR form of fast_out, and
  // builds the Add / Sub tables at run time in arena scratch (no flash).
  const bool dsp = fastOut && rank == 0 && useDsp(ctx);
  if (!A.empty() && !dsp) {
    ta = ctx.constantArray("add_a", A);
    tb = ctx.constantArray("add_b", B);
  }
  Operand pid = ctx.params(
      "ec_binary_s8_params", "bin_" + n.name,
      Fields()
          .sym("op", op).i("rank", rank).ints("dims", dims).ints("sa", sa).ints("sb", sb)
          .i("count", count).i("a_zp", q1.zeroPoint).i("b_zp", q2.zeroPoint).i("out_zp", yq.zeroPoint)
          .i("left_shift", leftShift).i("m1", m1).i("s1", s1).i("m2", m2).i("s2", s2).i("mo", mo)
          .i("so", so).i("act_min", act.min).i("act_max", act.max).ptr("lut_a", la).ptr("lut_b", lb)
          .ptr("tab_a", ta).ptr("tab_b", tb).i("fast_out", fastOut));
  ctx.useRuntime(dsp ? "kernels/cortexm/binary_s8_dsp.h" : "kernels/reference/binary_s8.h");
  if (dsp)
    ctx.call("ec_binary_s8_dsp", {pid, ctx.in(0), ctx.in(1), ctx.out(0), ctx.scratch(512 * 4)});
  else
    ctx.call("ec_binary_s8", {pid, ctx.in(0), ctx.in(1), ctx.out(0)});
  ctx.setKernel(dsp ? "binary_s8_dsp" : "binary_s8");
  if (ad == yd) ctx.allowInPlace(0);
  return Status::ok();
}

} // namespace

void registerElementwiseS8(std::vector<Lowering> &out) {
  for (const char *op : {"Add", "Sub", "Mul", "Max", "Min"})
    out.push_back({op, Lowering::Integer, check, lower, {"int8"}, "two inputs, broadcasting"});
}

} // namespace edgec::mcu
