// Vela's NPU operator constraints as data (see NpuConstraints.h).
#include "targets/npu/NpuConstraints.h"

#include "ir/Annotations.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

namespace edgec::ethosu {

namespace {

constexpr const char *kGenericSource =
    "Vela 3.10 SUPPORTED_OPS.md, TFLite generic constraints (NPU-EDGETPU.md A.6)";

std::string dims(const Value *v) { return v ? v->type.str() : "?"; }

std::string named(const Value *v) { return v ? "'" + v->name + "' " + dims(v) : "(missing)"; }

std::vector<int64_t> shapeOf(const Value *v) {
  if (!v || !v->type.hasRank || !v->type.isStatic()) return {};
  return v->type.staticShape();
}

bool isOneOf(const std::string &s, std::initializer_list<const char *> list) {
  for (const char *x : list)
    if (s == x) return true;
  return false;
}

/// Every tensor Vela's generic constraints look at: IFMs, OFMs and, with
/// `weights`, the weights.
std::vector<const Value *> tensors(const OpView &v, bool weights) {
  std::vector<const Value *> t;
  for (const Value *x : v.ifms)
    if (x) t.push_back(x);
  for (const Value *x : v.ofms)
    if (x) t.push_back(x);
  if (weights && v.weights) t.push_back(v.weights);
  return t;
}

/// The first tensor failing `bad` (described by `what`), joined for all.
template <class F> std::string each(const std::vector<const Value *> &ts, F bad) {
  std::string r;
  for (const Value *t : ts) {
    std::string d = bad(*t);
    if (!d.empty()) r += (r.empty() ? "" : ", ") + d;
  }
  return r;
}

bool isNpuType(DataType t) {
  return t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16 ||
         t == DataType::Int32;
}

bool isSigned(DataType t) { return t == DataType::Int8 || t == DataType::Int16 || t == DataType::Int32; }

std::string typeName(DataType t) { return std::string(dataTypeName(t)); }

// ---- generic constraints ----

std::string notDynamic(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return t.type.hasRank && !t.type.isStatic() ? named(&t) + " is dynamic" : std::string();
  });
}

std::string definedShape(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return !t.type.hasRank ? "'" + t.name + "' has no shape" : std::string();
  });
}

std::string outputNotScalar(const OpView &v) {
  std::string r;
  for (const Value *t : v.ofms)
    if (t && t->type.hasRank && t->type.rank() == 0) r += (r.empty() ? "" : ", ") + named(t) + " is scalar";
  return r;
}

std::string scalarInputs(const OpView &v) {
  std::string r;
  for (const Value *t : v.ifms)
    if (t && t->type.hasRank && t->type.rank() == 0)
      r += (r.empty() ? "" : ", ") + named(t) + " is scalar";
  return r;
}

std::string rank4(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return t.type.hasRank && t.type.rank() > 4
               ? named(&t) + " has rank " + std::to_string(t.type.rank())
               : std::string();
  });
}

/// The integer side of a QuantizeLinear (output) or DequantizeLinear
/// (input) carries its quantization in the node's scale and zero point
/// inputs, as the TFLite tensor of QUANTIZE / DEQUANTIZE does.
bool quantizedByNode(const OpView &v, const Value &t) {
  const Node &n = *v.node;
  if (!n.input(1)) return false;
  return (n.opType == "QuantizeLinear" && !n.outputs.empty() && n.outputs[0] == &t) ||
         (n.opType == "DequantizeLinear" && n.input(0) == &t);
}

std::string hasQuant(const OpView &v) {
  return each(tensors(v, true), [&v](const Value &t) {
    bool has = (t.quant && !t.quant->scale.empty()) || quantizedByNode(v, t);
    return has ? std::string()
               : "'" + t.name + "' (" + typeName(t.type.dtype) + ") has no quantization parameters";
  });
}

std::string finiteScales(const OpView &v) {
  return each(tensors(v, true), [](const Value &t) {
    if (!t.quant) return std::string();
    for (float s : t.quant->scale)
      if (!std::isfinite(s)) return "'" + t.name + "' has the scale " + std::to_string(s);
    return std::string();
  });
}

std::string npuTypes(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return isNpuType(t.type.dtype) ? std::string()
                                   : "'" + t.name + "' is " + typeName(t.type.dtype);
  });
}

std::string int32Ops(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return t.type.dtype == DataType::Int32 ? "'" + t.name + "' is int32" : std::string();
  });
}

std::string dimRange(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    for (int64_t d : shapeOf(&t))
      if (d < 1 || d > 65535) return named(&t) + " has the dimension " + std::to_string(d);
    return std::string();
  });
}

std::string perAxis(const OpView &v) {
  return each(tensors(v, true), [](const Value &t) {
    return t.quant && t.quant->scale.size() > 1 ? "'" + t.name + "' is quantized per axis"
                                                 : std::string();
  });
}

std::string batchOne(const OpView &v) {
  std::vector<int64_t> s = shapeOf(v.ifm());
  if (s.size() == 4 && s[0] != 1) return "IFM " + named(v.ifm()) + " has batch " + std::to_string(s[0]);
  return "";
}

std::string activationOutput(const OpView &v) {
  if (!v.node || !hasFusedActivation(*v.node) || !v.ofm()) return "";
  DataType t = v.ofm()->type.dtype;
  if (t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16) return "";
  return "fused " + v.node->attr(kFusedActivationAttr)->s + " with the output " + named(v.ofm()) +
         " of type " + typeName(t);
}

// ---- convolutions and fully connected ----

struct Kernel {
  int64_t h = 1, w = 1, strideH = 1, strideW = 1, dilH = 1, dilW = 1;
};

Kernel kernelOf(const OpView &v) {
  Kernel k;
  std::vector<int64_t> ks = v.node->attrInts("kernel_shape", {});
  if (ks.empty()) {
    std::vector<int64_t> w = shapeOf(v.weights);
    if (w.size() == 4) ks = {w[2], w[3]};
  }
  if (ks.size() == 2) k.h = ks[0], k.w = ks[1];
  std::vector<int64_t> s = v.node->attrInts("strides", {1, 1});
  if (s.size() == 2) k.strideH = s[0], k.strideW = s[1];
  std::vector<int64_t> d = v.node->attrInts("dilations", {1, 1});
  if (d.size() == 2) k.dilH = d[0], k.dilW = d[1];
  // Attributes come from the file: bound them so the products below cannot
  // overflow (every limit checked is far below the bound).
  for (int64_t *x : {&k.h, &k.w, &k.strideH, &k.strideW, &k.dilH, &k.dilW})
    *x = std::clamp<int64_t>(*x, -(int64_t(1) << 20), int64_t(1) << 20);
  return k;
}

std::string strideText(const Kernel &k) {
  return "stride " + std::to_string(k.strideW) + "x" + std::to_string(k.strideH) + " (WxH)";
}

std::string convStride(const OpView &v) {
  Kernel k = kernelOf(v);
  std::vector<int64_t> x = shapeOf(v.ifm());
  bool hOk = k.strideH >= 1 && k.strideH <= 3;
  // Width strides above 3 are split when divisible by 2 or 3 and the IFM
  // width is too (A.6).
  bool wOk = k.strideW >= 1 && k.strideW <= 3;
  if (!wOk && x.size() == 4 && k.strideW > 3)
    for (int64_t f : {2, 3})
      wOk = wOk || (k.strideW % f == 0 && k.strideW / f <= 3 && x[2] % f == 0);
  return hOk && wOk ? "" : strideText(k);
}

Kernel poolKernel(const OpView &v);

std::string stride13(const OpView &v) {
  Kernel k = v.op == "AVERAGE_POOL_2D" || v.op == "MAX_POOL_2D" ? poolKernel(v) : kernelOf(v);
  return k.strideH >= 1 && k.strideH <= 3 && k.strideW >= 1 && k.strideW <= 3 ? "" : strideText(k);
}

std::string dilatedHeight(const OpView &v) {
  Kernel k = kernelOf(v);
  int64_t h = (k.h - 1) * k.dilH + 1;
  return h >= 1 && h <= 64 ? "" : "dilated kernel height " + std::to_string(h);
}

std::string dilatedArea(const OpView &v) {
  Kernel k = kernelOf(v);
  int64_t a = ((k.h - 1) * k.dilH + 1) * ((k.w - 1) * k.dilW + 1);
  return a >= 1 && a <= 4096 ? "" : "dilated kernel W x H = " + std::to_string(a);
}

std::string weights8bit(const OpView &v) {
  if (!v.weights) return "no weight tensor";
  DataType t = v.weights->type.dtype;
  return t == DataType::Int8 || t == DataType::UInt8
             ? ""
             : "weights " + named(v.weights) + " are " + typeName(t);
}

std::string weightsConstant(const OpView &v) {
  if (!v.weights) return "no weight tensor";
  return v.weights->constant ? "" : "weights " + named(v.weights) + " are not constant";
}

std::string weightSum(const OpView &v) {
  if (!v.weights || !v.weights->constant || !v.weights->constant->numElements()) return "";
  std::vector<int64_t> s = shapeOf(v.weights);
  if (s.empty()) return "";
  // Per output channel (axis 0 in the IR's OIHW), the sum of |w - zero point|.
  std::vector<int64_t> w = v.weights->constant->toInt64Vector();
  int64_t perOut = int64_t(w.size()) / std::max<int64_t>(s[0], 1);
  int64_t worst = 0;
  for (int64_t o = 0; o < s[0] && perOut > 0; ++o) {
    int64_t zp = 0;
    if (v.weights->quant && !v.weights->quant->zeroPoint.empty())
      zp = std::clamp<int64_t>(
          v.weights->quant->zeroPoint[size_t(o) % v.weights->quant->zeroPoint.size()],
          -(int64_t(1) << 32), int64_t(1) << 32);
    int64_t sum = 0;
    for (int64_t i = 0; i < perOut; ++i) sum += std::llabs(w[size_t(o * perOut + i)] - zp);
    worst = std::max(worst, sum);
  }
  return worst <= 8323072 ? "" : "a weight sum of " + std::to_string(worst);
}

std::string biasShape(const OpView &v) {
  if (!v.bias) return "";
  return v.bias->type.hasRank && v.bias->type.rank() == 1 ? "" : "bias " + named(v.bias);
}

std::string biasType(const OpView &v) {
  if (!v.bias) return "";
  DataType t = v.bias->type.dtype;
  return t == DataType::Int32 || t == DataType::Int64 ? "" : "bias '" + v.bias->name + "' is " + typeName(t);
}

std::string bias40(const OpView &v) {
  if (!v.bias || !v.bias->constant || isFloatType(v.bias->type.dtype)) return "";
  for (int64_t b : v.bias->constant->toInt64Vector())
    if (b < -(int64_t(1) << 39) || b >= (int64_t(1) << 39))
      return "bias '" + v.bias->name + "' holds " + std::to_string(b);
  return "";
}

std::string groups(const OpView &v) {
  int64_t g = v.node->attrInt("group", 1);
  std::vector<int64_t> x = shapeOf(v.ifm()), w = shapeOf(v.weights);
  if (g <= 1 || x.size() != 4 || w.size() != 4) return "";
  bool ok = w[1] > 0 && x[3] % w[1] == 0 && w[0] % g == 0;
  return ok ? "" : "IFM depth " + std::to_string(x[3]) + ", kernel depth " + std::to_string(w[1]) +
                       ", " + std::to_string(w[0]) + " kernels in " + std::to_string(g) + " groups";
}

std::string depthMultiplier(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm()), y = shapeOf(v.ofm());
  int64_t g = v.node->attrInt("group", 1);
  if (x.size() != 4 || y.size() != 4 || g <= 0) return "";
  int64_t mult = y[3] / std::max<int64_t>(x[3], 1);
  if (mult <= 1) return "";
  return x[3] == 1 && y[3] == mult ? "" : "depth multiplier " + std::to_string(mult) + " with " +
                                              std::to_string(x[3]) + " IFM channels";
}

std::string tconvStride(const OpView &v) {
  Kernel k = kernelOf(v);
  std::vector<int64_t> x = shapeOf(v.ifm());
  if ((k.strideW == 1 && k.strideH == 1) || (k.strideW == 2 && k.strideH == 2)) return "";
  if (k.strideW == 2 && k.strideH == 1 && x.size() == 4 && x[1] == 1 && k.h == 1) return "";
  return strideText(k);
}

std::string tconvOutput(const OpView &v) {
  Kernel k = kernelOf(v);
  std::vector<int64_t> x = shapeOf(v.ifm()), y = shapeOf(v.ofm());
  if (x.size() != 4 || y.size() != 4) return "";
  bool same = y[1] == x[1] * k.strideH && y[2] == x[2] * k.strideW;
  bool valid = y[1] == x[1] * k.strideH + std::max<int64_t>(k.h - k.strideH, 0) &&
               y[2] == x[2] * k.strideW + std::max<int64_t>(k.w - k.strideW, 0);
  return same || valid ? "" : "IFM " + dims(v.ifm()) + ", OFM " + dims(v.ofm()) + ", " + strideText(k);
}

std::string fcOutput2d(const OpView &v) {
  for (const Value *y : v.ofms)
    if (y && y->type.hasRank && y->type.rank() != 2) return "output " + named(y);
  return "";
}

// ---- pooling ----

/// A pool whose kernel and stride both equal the IFM's H and W: Vela
/// rewrites it to stride 1x1, VALID padding before it checks constraints
/// (its fixup of pool strides; seen in ../shared/vela: the AVERAGE_POOL_2D
/// of KWS, kernel = stride = 25x5, runs on the NPU).
bool wholeIfmPool(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm()), ks = v.node->attrInts("kernel_shape", {}),
                       st = v.node->attrInts("strides", {1, 1});
  return x.size() == 4 && ks.size() == 2 && st.size() == 2 && ks[0] == x[1] && ks[1] == x[2] &&
         st[0] == ks[0] && st[1] == ks[1];
}

bool validPadding(const OpView &v) {
  if (wholeIfmPool(v)) return true;
  for (int64_t p : v.node->attrInts("pads", {}))
    if (p != 0) return false;
  const std::string a = v.node->attrString("auto_pad", "NOTSET");
  return a != "SAME_UPPER" && a != "SAME_LOWER";
}

Kernel poolKernel(const OpView &v) {
  Kernel k = kernelOf(v);
  if (v.node->opType.rfind("Global", 0) == 0) {
    std::vector<int64_t> x = shapeOf(v.ifm());
    if (x.size() == 4) k.h = std::min<int64_t>(x[1], 1 << 20), k.w = std::min<int64_t>(x[2], 1 << 20);
  }
  if (wholeIfmPool(v)) k.strideH = k.strideW = 1;
  return k;
}

std::string typesMatch(const OpView &v) {
  if (!v.ifm() || !v.ofm()) return "";
  return v.ifm()->type.dtype == v.ofm()->type.dtype
             ? ""
             : "IFM " + typeName(v.ifm()->type.dtype) + ", OFM " + typeName(v.ofm()->type.dtype);
}

std::string avgKernelSame(const OpView &v) {
  if (validPadding(v)) return "";
  Kernel k = poolKernel(v);
  return k.h >= 1 && k.h <= 8 && k.w >= 1 && k.w <= 8
             ? ""
             : "SAME padding with kernel " + std::to_string(k.w) + "x" + std::to_string(k.h) + " (WxH)";
}

std::string kernelHeight256(const OpView &v) {
  if (v.op == "AVERAGE_POOL_2D" && !validPadding(v)) return "";
  Kernel k = poolKernel(v);
  return k.h >= 1 && k.h <= 256 ? "" : "kernel height " + std::to_string(k.h);
}

std::string kernelArea65536(const OpView &v) {
  if (v.op == "AVERAGE_POOL_2D" && !validPadding(v)) return "";
  Kernel k = poolKernel(v);
  return k.h * k.w >= 1 && k.h * k.w <= 65536 ? "" : "kernel W x H = " + std::to_string(k.h * k.w);
}

// ---- elementwise ----

std::string shapeMatchesOfm(const OpView &v) {
  const Value *y = v.ofm();
  if (!y || !y->type.hasRank) return "";
  for (const Value *x : v.ifms)
    if (x && x->type == TensorType(x->type.dtype, y->type.dims)) return "";
  std::string r = "OFM " + dims(y) + ", inputs";
  for (const Value *x : v.ifms) r += " " + dims(x);
  return r;
}

std::string inputTypesMatch(const OpView &v) {
  if (v.ifms.size() < 2 || !v.ifms[0] || !v.ifms[1]) return "";
  DataType a = v.ifms[0]->type.dtype, b = v.ifms[1]->type.dtype;
  return a == b ? "" : "inputs " + typeName(a) + " and " + typeName(b);
}

std::string signedOut(const OpView &v) {
  if (!v.ifm() || !v.ofm()) return "";
  DataType a = v.ifm()->type.dtype, y = v.ofm()->type.dtype;
  return !isSigned(a) || isSigned(y) ? "" : "IFM " + typeName(a) + ", OFM " + typeName(y);
}

std::string unsignedOut(const OpView &v) {
  if (!v.ifm() || !v.ofm()) return "";
  DataType a = v.ifm()->type.dtype, y = v.ofm()->type.dtype;
  return a != DataType::UInt8 || y == a || y == DataType::Int32
             ? ""
             : "IFM " + typeName(a) + ", OFM " + typeName(y);
}

std::string broadcast(const OpView &v) {
  std::vector<int64_t> y = shapeOf(v.ofm());
  for (const Value *x : v.ifms) {
    std::vector<int64_t> s = shapeOf(x);
    if (s.empty() || y.empty()) continue;
    for (size_t i = 0; i < s.size() && i < y.size(); ++i) {
      int64_t d = s[s.size() - 1 - i], o = y[y.size() - 1 - i];
      if (d != o && d != 1) return named(x) + " against the OFM " + dims(v.ofm());
    }
  }
  return "";
}

std::string quantMatchesOfm(const OpView &v) {
  const Value *y = v.ofm();
  if (!y) return "";
  for (const Value *x : v.ifms)
    if (x && (x->quant.has_value() != y->quant.has_value() || (x->quant && !(*x->quant == *y->quant))))
      return "'" + x->name + "' and the OFM '" + y->name + "' are quantized differently";
  return "";
}

// ---- others ----

std::string shapesMatch(const OpView &v) {
  if (!v.ifm() || !v.ofm()) return "";
  return v.ifm()->type.dims == v.ofm()->type.dims ? "" : "IFM " + dims(v.ifm()) + ", OFM " + dims(v.ofm());
}

std::string concatAxis(const OpView &v) {
  const Value *y = v.ofm();
  if (!y || !y->type.hasRank) return "";
  int64_t r = int64_t(y->type.rank()), a = v.node->attrInt("axis", 0);
  if (a < 0) a += r;
  return a >= 0 && a < r ? "" : "axis " + std::to_string(v.node->attrInt("axis", 0)) + " of rank " + std::to_string(r);
}

std::string concatDims(const OpView &v) {
  const Value *y = v.ofm();
  std::vector<int64_t> ys = shapeOf(y);
  if (ys.empty()) return "";
  int64_t a = v.node->attrInt("axis", 0);
  if (a < 0) a += int64_t(ys.size());
  for (const Value *x : v.ifms) {
    std::vector<int64_t> s = shapeOf(x);
    if (s.size() != ys.size()) return named(x) + " against the OFM " + dims(y);
    for (size_t i = 0; i < s.size(); ++i)
      if (int64_t(i) != a && s[i] != ys[i]) return named(x) + " against the OFM " + dims(y);
  }
  return "";
}

const Value *padsOf(const OpView &v) { return v.node->opType == "Pad" ? v.node->input(1) : nullptr; }

std::string padConstant(const OpView &v) {
  const Value *p = padsOf(v);
  return !p || p->constant ? "" : "paddings " + named(p) + " are not constant";
}

std::string padRank(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  return x.size() == 3 || x.size() == 4 ? "" : "IFM " + named(v.ifm()) + " (paddings [" + std::to_string(x.size()) + ",2])";
}

std::string padHW(const OpView &v) {
  const Value *p = padsOf(v);
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (!p || !p->constant || x.size() < 3) return "";
  std::vector<int64_t> pads = p->constant->toInt64Vector();
  size_t r = x.size();
  if (pads.size() != 2 * r) return "";
  std::string bad;
  for (size_t i = 0; i < r; ++i) {
    bool spatial = i >= r - 3 && i + 1 < r; // H, W of NHWC (or rank 3: H? W)
    if (!spatial && (pads[i] || pads[r + i])) bad += (bad.empty() ? "" : ", ") + std::string("axis ") + std::to_string(i);
  }
  return bad.empty() ? "" : "pads " + bad;
}

std::string quantInOut(const OpView &v) {
  const Value *x = v.ifm(), *y = v.ofm();
  if (!x || !y) return "";
  bool same = x->quant.has_value() == y->quant.has_value() && (!x->quant || *x->quant == *y->quant);
  return same ? "" : "'" + x->name + "' and '" + y->name + "' are quantized differently";
}

std::string shapeConstant(const OpView &v) {
  const Value *s = v.node->opType == "Reshape" ? v.node->input(1) : nullptr;
  return !s || s->constant ? "" : "shape " + named(s) + " is not constant";
}

std::string slicePositive(const OpView &v) {
  if (v.node->opType != "Slice") return "";
  const Value *b = v.node->input(1), *e = v.node->input(2);
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (!b || !e || !b->constant || !e->constant || x.empty()) return "";
  std::vector<int64_t> bs = b->constant->toInt64Vector(), es = e->constant->toInt64Vector();
  const Value *ax = v.node->input(3);
  std::vector<int64_t> axes = ax && ax->constant ? ax->constant->toInt64Vector() : std::vector<int64_t>{};
  for (size_t i = 0; i < bs.size() && i < es.size(); ++i) {
    int64_t a = i < axes.size() ? axes[i] : int64_t(i);
    if (a < 0) a += int64_t(x.size());
    if (a < 0 || a >= int64_t(x.size())) continue;
    int64_t d = x[size_t(a)];
    auto clampIdx = [d](int64_t t) { return std::clamp(t < 0 ? t + d : t, int64_t(0), d); };
    if (clampIdx(es[i]) <= clampIdx(bs[i]))
      return "axis " + std::to_string(a) + ": begin " + std::to_string(bs[i]) + ", end " + std::to_string(es[i]);
  }
  return "";
}

std::string sliceConstant(const OpView &v) {
  if (v.node->opType != "Slice") return "";
  std::string bad;
  for (size_t i = 1; i < v.node->inputs.size(); ++i)
    if (const Value *t = v.node->inputs[i]; t && !t->constant)
      bad += (bad.empty() ? "" : ", ") + named(t);
  return bad.empty() ? "" : bad + " not constant";
}

std::string sliceStrides(const OpView &v) {
  const Value *st = v.node->opType == "Slice" ? v.node->input(4) : nullptr;
  if (!st) return "";
  if (!st->constant) return "steps " + named(st) + " are not constant";
  for (int64_t s : st->constant->toInt64Vector())
    if (s != 1) return "stride " + std::to_string(s);
  return "";
}

std::vector<int64_t> meanAxes(const OpView &v, size_t rank) {
  std::vector<int64_t> axes = v.node->attrInts("axes", {});
  if (axes.empty())
    if (const Value *a = v.node->input(1); a && a->constant) axes = a->constant->toInt64Vector();
  if (v.node->opType.rfind("Global", 0) == 0)
    for (size_t i = 1; i + 1 < rank; ++i) axes.push_back(int64_t(i));
  if (axes.empty() && v.node->opType.rfind("Global", 0) != 0 &&
      !v.node->attrInt("noop_with_empty_axes", 0))
    for (size_t i = 0; i < rank; ++i) axes.push_back(int64_t(i)); // all axes
  for (int64_t &a : axes)
    if (a < 0) a += int64_t(rank);
  return axes;
}

std::string int8OrUint8(const OpView &v) {
  if (!v.ifm()) return "";
  DataType t = v.ifm()->type.dtype;
  return t == DataType::Int8 || t == DataType::UInt8 ? "" : "IFM is " + typeName(t);
}

std::string mean2d(const OpView &v) {
  const Value *x = v.ifm();
  return !x || !x->type.hasRank || x->type.rank() >= 2 ? "" : "IFM " + named(x);
}

std::string meanAxesHW(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (x.size() < 2) return "";
  std::vector<int64_t> axes = meanAxes(v, x.size());
  // NHWC rank 4: H = 1, W = 2; rank 3: H = 0... Vela reads [H, W] as the
  // two axes before the depth; the depth only when H, W or C is 1 (3.10).
  size_t r = x.size();
  std::string bad;
  for (int64_t a : axes) {
    if (a < 0 || a >= int64_t(r) || x[size_t(a)] == 1) continue; // a size-1 axis: no reduction
    bool hw = a == int64_t(r) - 3 || a == int64_t(r) - 2;
    bool depthOk = a == int64_t(r) - 1 && (x[r - 1] == 1 || x[r - 2] == 1 || (r >= 3 && x[r - 3] == 1));
    if (!hw && !depthOk) bad += (bad.empty() ? "" : ", ") + std::to_string(a);
  }
  return bad.empty() ? "" : "reduces axes " + bad + " of " + dims(v.ifm());
}

std::string meanProduct(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (x.size() < 2) return "";
  int64_t product = 1;
  for (int64_t a : meanAxes(v, x.size()))
    if (a >= 0 && a < int64_t(x.size())) product = std::min<int64_t>(product * x[size_t(a)], int64_t(1) << 40);
  DataType t = v.ifm()->type.dtype;
  int64_t limit = t == DataType::Int16 ? 65536 : t == DataType::UInt8 ? 8388608 : 16777216;
  return product <= limit ? "" : "the reduced axes hold " + std::to_string(product) + " " +
                                     typeName(t) + " elements (at most " + std::to_string(limit) + ")";
}

std::string meanWidthDepth(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (x.size() < 2) return "";
  size_t r = x.size();
  for (int64_t a : meanAxes(v, r))
    if ((a == int64_t(r) - 2 || a == int64_t(r) - 1) && x[size_t(a)] > 4096)
      return std::string(a == int64_t(r) - 1 ? "depth " : "width ") + std::to_string(x[size_t(a)]);
  return "";
}

std::string argMaxAxis(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (x.empty()) return "";
  int64_t a = v.node->attrInt("axis", 0);
  if (a < 0) a += int64_t(x.size());
  return a == int64_t(x.size()) - 1 ? "" : "axis " + std::to_string(v.node->attrInt("axis", 0));
}

std::string argMaxDepth(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  return x.empty() || x.back() <= 127 ? "" : "depth " + std::to_string(x.back());
}

std::string resizeScale(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm()), y = shapeOf(v.ofm());
  if (x.size() != 4 || y.size() != 4) return "";
  int64_t ih = x[1], iw = x[2], oh = y[1], ow = y[2];
  if ((ih == 1 && iw == 1) || (ih == oh && iw == ow)) return "";
  bool corners = v.node->attrString("coordinate_transformation_mode", "half_pixel") == "align_corners";
  for (int64_t f : {2, 4, 8}) {
    if (corners && oh - 1 == f * (ih - 1) && ow - 1 == f * (iw - 1)) return "";
    if (!corners && oh == f * ih && ow == f * iw) return "";
  }
  return "IFM " + dims(v.ifm()) + ", OFM " + dims(v.ofm());
}

std::string halfPixel2x(const OpView &v) {
  if (v.node->attrString("coordinate_transformation_mode", "half_pixel") != "half_pixel") return "";
  std::vector<int64_t> x = shapeOf(v.ifm()), y = shapeOf(v.ofm());
  if (x.size() != 4 || y.size() != 4) return "";
  if ((x[1] == 1 && x[2] == 1) || (x[1] == y[1] && x[2] == y[2])) return "";
  return y[1] == 2 * x[1] && y[2] == 2 * x[2] ? "" : "half_pixel from " + dims(v.ifm()) + " to " + dims(v.ofm());
}

std::string transposeHW(const OpView &v) {
  std::vector<int64_t> perm = v.node->attrInts("perm", {});
  if (perm.empty()) return "";
  // Only swaps that keep the batch (and, at rank 4, move no more than the
  // H, W, C order around a single swap): the U55/U65 rule of 3.10 (A.6).
  size_t moved = 0;
  for (size_t i = 0; i < perm.size(); ++i) moved += perm[i] != int64_t(i);
  bool batchKept = perm.size() < 4 || perm[0] == 0;
  return batchKept && moved <= 2 ? "" : "perm " + [&] {
    std::string s = "[";
    for (size_t i = 0; i < perm.size(); ++i) s += (i ? "," : "") + std::to_string(perm[i]);
    return s + "]";
  }();
}

// The sources of the per-operator constraints.
#define SPECIFIC(op) "Vela 3.10 SUPPORTED_OPS.md, TFLite " op " constraints (NPU-EDGETPU.md A.6)"

const std::vector<std::string> kConvOps = {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV"};
const std::vector<std::string> kWeightOps = {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV",
                                             "FULLY_CONNECTED"};
const std::vector<std::string> kBinaryOps = {"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM"};

const std::vector<Constraint> kConstraints = {
    // Generic (all operators except those listed).
    {"generic.not-dynamic", "Input(s) and Output tensors must not be dynamic", kGenericSource, true,
     {"QUANTIZE"}, notDynamic},
    {"generic.defined-shape", "Input(s) and Output tensors must have a defined shape",
     kGenericSource, true, {}, definedShape},
    {"generic.output-not-scalar", "Output tensors cannot be scalar", kGenericSource, true,
     {"QUANTIZE"}, outputNotScalar},
    {"generic.scalar-inputs",
     "Scalar Input tensors are only valid for op type: ADD, ARG_MAX, EXPAND_DIMS, MAXIMUM, MEAN, "
     "MINIMUM, MUL, QUANTIZE, SPLIT, SPLIT_V, SUB",
     kGenericSource, true,
     {"ADD", "ARG_MAX", "EXPAND_DIMS", "MAXIMUM", "MEAN", "MINIMUM", "MUL", "QUANTIZE", "SPLIT",
      "SPLIT_V", "SUB"},
     scalarInputs},
    {"generic.rank", "Input(s) and Output tensors must not be greater than 4D", kGenericSource,
     true, {}, rank4},
    {"generic.quantized", "Input(s), Output and Weight tensors must have quantization parameters",
     kGenericSource, true, {"SHAPE"}, hasQuant},
    {"generic.finite-scales",
     "Input(s), Output and Weight tensors with quantization scales must be finite",
     kGenericSource, true, {}, finiteScales},
    {"generic.types", "Tensors must be of type: int16, int32, int8, uint8", kGenericSource, true,
     {}, npuTypes},
    {"generic.int32",
     "Tensors which are int32 are only valid when op type is: ADD, ARG_MAX, MUL, SHAPE, SUB, "
     "TRANSPOSE",
     kGenericSource, true, {"ADD", "ARG_MAX", "MUL", "SHAPE", "SUB", "TRANSPOSE"}, int32Ops},
    {"generic.dimensions", "Tensor dimensions must be in the range [1, 65535]", kGenericSource,
     true, {}, dimRange},
    {"generic.per-axis",
     "Per-axis quantization is only supported for the following op types: CONV_2D, "
     "DEPTHWISE_CONV_2D, TRANSPOSE_CONV",
     kGenericSource, true, kConvOps, perAxis},
    {"generic.batch", "IFM Tensor batch size must be 1", kGenericSource, true,
     {"FULLY_CONNECTED", "RESHAPE", "SHAPE", "SLICE", "SOFTMAX", "SPLIT", "SPLIT_V", "SQUEEZE",
      "STRIDED_SLICE", "UNPACK"},
     batchOne},
    {"generic.activation-output",
     "If a fused activation function is present, the Output tensor must be one of type: int16, "
     "int8, uint8",
     kGenericSource, true, {}, activationOutput},
    // Convolutions and fully connected.
    {"conv.stride",
     "Stride values for height must be between 1 and 3 and for width between 1 and 3 (or larger "
     "when divisible by 2 or 3, with the IFM width divisible by the same factor)",
     SPECIFIC("CONV_2D"), false, {"CONV_2D"}, convStride},
    {"conv.dilated-height", "Dilated kernel height must be in the range [1, 64]",
     SPECIFIC("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV"), false, kConvOps, dilatedHeight},
    {"conv.dilated-area", "Product of dilated kernel width and height must be in the range [1, 4096]",
     SPECIFIC("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV"), false, kConvOps, dilatedArea},
    {"weights.8bit", "Weight tensor must be 8-bit",
     SPECIFIC("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     weights8bit},
    {"weights.constant", "Weight tensor must be constant",
     SPECIFIC("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     weightsConstant},
    {"weights.sum", "The sum of the weights cannot exceed 8323072",
     SPECIFIC("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV"), false, kConvOps, weightSum},
    {"bias.shape", "Optional Bias tensor must be of shape: 1D",
     SPECIFIC("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     biasShape},
    {"bias.type", "Optional Bias tensor must be of type: int32, int64",
     SPECIFIC("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     biasType},
    {"bias.40bit", "Optional Bias tensor values must fit within 40-bits",
     SPECIFIC("CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED"), false, kWeightOps,
     bias40},
    {"conv.groups",
     "IFM depth must be a whole multiple of the filter kernel depth, and the number of filter "
     "kernels must be divisible by the number of convolution groups",
     SPECIFIC("CONV_2D"), false, {"CONV_2D"}, groups},
    {"depthwise.stride", "Stride values for both width and height must be between 1 and 3",
     SPECIFIC("DEPTHWISE_CONV_2D"), false, {"DEPTHWISE_CONV_2D"}, stride13},
    {"depthwise.multiplier",
     "For depth multipliers > 1, IFM channels must be 1 and OFM channels must be equal to the "
     "depth multiplier",
     SPECIFIC("DEPTHWISE_CONV_2D"), false, {"DEPTHWISE_CONV_2D"}, depthMultiplier},
    {"tconv.stride",
     "Stride values for width and height must match one of the following criteria: Stride values "
     "WxH must be 1x1 or 2x2; Stride WxH 2x1 supported if ifm height and kernel height = 1",
     SPECIFIC("TRANSPOSE_CONV"), false, {"TRANSPOSE_CONV"}, tconvStride},
    {"tconv.output",
     "SAME padding: OFM dimensions must equal IFM dimensions multiplied by stride; VALID padding: "
     "OFM dimensions must equal IFM dimensions multiplied by stride, minus difference between "
     "kernel size and stride",
     SPECIFIC("TRANSPOSE_CONV"), false, {"TRANSPOSE_CONV"}, tconvOutput},
    {"fc.output-2d", "The output tensor(s) must have 2D shape", SPECIFIC("FULLY_CONNECTED"), false,
     {"FULLY_CONNECTED"}, fcOutput2d},
    // Pooling.
    {"pool.stride", "Stride values for both width and height must be in the range [1, 3]",
     SPECIFIC("AVERAGE_POOL_2D / MAX_POOL_2D"), false, {"AVERAGE_POOL_2D", "MAX_POOL_2D"}, stride13},
    {"pool.types", "IFM and OFM data types must match",
     SPECIFIC("AVERAGE_POOL_2D / MAX_POOL_2D / ABS / LEAKY_RELU / HARD_SWISH / SOFTMAX"), false,
     {"AVERAGE_POOL_2D", "MAX_POOL_2D", "ABS", "LEAKY_RELU", "HARD_SWISH", "SOFTMAX", "MAXIMUM",
      "MINIMUM"},
     typesMatch},
    {"avgpool.same-kernel",
     "Kernel filter values for both width and height must be in the range [1, 8] (SAME padding)",
     SPECIFIC("AVERAGE_POOL_2D"), false, {"AVERAGE_POOL_2D"}, avgKernelSame},
    {"pool.kernel-height",
     "Kernel filter height must be in the range [1, 256] (AVERAGE_POOL_2D: with VALID padding)",
     SPECIFIC("AVERAGE_POOL_2D / MAX_POOL_2D"), false, {"AVERAGE_POOL_2D", "MAX_POOL_2D"},
     kernelHeight256},
    {"pool.kernel-area",
     "Product of kernel filter width and height must be in the range [1, 65536] "
     "(AVERAGE_POOL_2D: with VALID padding)",
     SPECIFIC("AVERAGE_POOL_2D / MAX_POOL_2D"), false, {"AVERAGE_POOL_2D", "MAX_POOL_2D"},
     kernelArea65536},
    // Elementwise.
    {"elementwise.shape", "At least one Input's shape must match the OFM's shape",
     SPECIFIC("ADD / SUB / MUL / MAXIMUM / MINIMUM / ABS / LEAKY_RELU"), false,
     {"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "ABS", "LEAKY_RELU", "SQUARED_DIFFERENCE"},
     shapeMatchesOfm},
    {"elementwise.input-types", "Both Input data types must match",
     SPECIFIC("ADD / SUB / MUL"), false, {"ADD", "SUB", "MUL"}, inputTypesMatch},
    {"elementwise.signed", "For IFM that are signed, OFM must also be signed",
     SPECIFIC("ADD / SUB / MUL"), false, {"ADD", "SUB", "MUL"}, signedOut},
    {"elementwise.unsigned", "For IFM that are unsigned, OFM must either be the same type or int32",
     SPECIFIC("ADD / SUB / MUL"), false, {"ADD", "SUB", "MUL"}, unsignedOut},
    {"elementwise.broadcast",
     "Broadcasting is only allowed for rank indices with dimension 1, from either IFM1 or IFM2",
     SPECIFIC("ADD / SUB / MUL / MAXIMUM / MINIMUM"), false, kBinaryOps, broadcast},
    {"minmax.quantization", "Both Input quantization parameters must match OFM quantization parameters",
     SPECIFIC("MAXIMUM / MINIMUM"), false, {"MAXIMUM", "MINIMUM"}, quantMatchesOfm},
    {"hardswish.type", "IFM must be int8 or uint8", SPECIFIC("HARD_SWISH"), false, {"HARD_SWISH"},
     int8OrUint8},
    // Others.
    {"softmax.shapes", "IFM and OFM shapes must match", SPECIFIC("SOFTMAX"), false, {"SOFTMAX"},
     shapesMatch},
    {"concat.axis", "Axis attribute must be in the range [0, <ofm_dimensions>)",
     SPECIFIC("CONCATENATION"), false, {"CONCATENATION"}, concatAxis},
    {"concat.dims",
     "All Input dimensions must match OFM dimension in all axes except the one defined by the axis "
     "attribute",
     SPECIFIC("CONCATENATION"), false, {"CONCATENATION"}, concatDims},
    {"pad.constant", "The padding tensor must be constant", SPECIFIC("PAD"), false, {"PAD"},
     padConstant},
    {"pad.shape", "The padding tensor must have the shape [3,2] or [4,2]", SPECIFIC("PAD"), false,
     {"PAD"}, padRank},
    {"pad.hw", "The pad tensor can only pad width and height", SPECIFIC("PAD"), false, {"PAD"},
     padHW},
    {"reshape.quantization", "Input and output quantisation must match.",
     SPECIFIC("RESHAPE / SQUEEZE / EXPAND_DIMS"), false, {"RESHAPE", "SQUEEZE", "EXPAND_DIMS"},
     quantInOut},
    {"reshape.constant", "Shape must be constant", SPECIFIC("RESHAPE"), false, {"RESHAPE"},
     shapeConstant},
    {"slice.end", "Slice 'end' values must be greater than 'begin' values",
     SPECIFIC("STRIDED_SLICE"), false, {"STRIDED_SLICE"}, slicePositive},
    {"slice.strides", "All Strides values must be 1", SPECIFIC("STRIDED_SLICE"), false,
     {"STRIDED_SLICE"}, sliceStrides},
    {"slice.constant", "Begin, End and Stride Input tensors must be constant",
     SPECIFIC("STRIDED_SLICE"), false, {"STRIDED_SLICE"}, sliceConstant},
    {"mean.rank", "Input tensor must be at least 2D", SPECIFIC("MEAN"), false, {"MEAN"}, mean2d},
    {"mean.axes",
     "Axis indices must correspond to height and width axes (depth only when one of H, W, C is 1)",
     SPECIFIC("MEAN"), false, {"MEAN"}, meanAxesHW},
    {"mean.product",
     "Product of the reduced axes must be no greater than 16777216 (int8), 8388608 (uint8) or "
     "65536 (int16)",
     SPECIFIC("MEAN"), false, {"MEAN"}, meanProduct},
    {"mean.width-depth", "A reduced width or depth must be no greater than 4096", SPECIFIC("MEAN"),
     false, {"MEAN"}, meanWidthDepth},
    {"argmax.type", "IFM must be int8 or uint8", SPECIFIC("ARG_MAX"), false, {"ARG_MAX"},
     int8OrUint8},
    {"argmax.axis", "Operation must be performed along the depth axis", SPECIFIC("ARG_MAX"), false,
     {"ARG_MAX"}, argMaxAxis},
    {"argmax.depth", "IFM depth must be no greater than 127", SPECIFIC("ARG_MAX"), false,
     {"ARG_MAX"}, argMaxDepth},
    {"resize.scale",
     "The width and height of the IFM and OFM must match one of the following criteria: IFM W and "
     "H must both be 1; IFM must match OFM; W and H scaling must be equal and OFM W-1 and H-1 must "
     "be 2x/4x/8x IFM W-1 and H-1, if align_corners is True; W and H scaling must be equal and OFM "
     "W and H must be 2x/4x/8x IFM W and H, if align_corners is False",
     SPECIFIC("RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR"), false,
     {"RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"}, resizeScale},
    {"resize.half-pixel",
     "Half_pixel_centers for resize bilinear requires that OFM W and H is 2x IFM W and H",
     SPECIFIC("RESIZE_BILINEAR"), false, {"RESIZE_BILINEAR"}, halfPixel2x},
    {"transpose.hw",
     "Only permutations that keep the batch and swap two axes (WxC to CxW, HxWxC to WxHxC, ...)",
     SPECIFIC("TRANSPOSE"), false, {"TRANSPOSE"}, transposeHW},
};
#undef SPECIFIC

// Vela 3.10's operator list for U55/U65 and TFLite input (A.6 and its
// SUPPORTED_OPS.md summary table), sorted.
const std::vector<std::string> kNpuOperators = {
    "ABS", "ADD", "ARG_MAX", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D",
    "EXP", "EXPAND_DIMS", "FULLY_CONNECTED", "HARD_SWISH", "LEAKY_RELU", "LOGISTIC", "MAXIMUM",
    "MAX_POOL_2D", "MEAN", "MINIMUM", "MUL", "PACK", "PAD", "PRELU", "QUANTIZE", "RELU", "RELU6",
    "RELU_N1_TO_1", "RESHAPE", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR", "RSQRT", "SHAPE",
    "SLICE", "SOFTMAX", "SPLIT", "SPLIT_V", "SQUARED_DIFFERENCE", "SQUEEZE", "STRIDED_SLICE", "SUB",
    "TANH", "TRANSPOSE", "TRANSPOSE_CONV", "UNPACK"};

constexpr const char *kCpuOnlySentence =
    "The operator must be one Vela places on the NPU (it is a CPU only op)";
constexpr const char *kCpuOnlySource =
    "Vela 3.10 SUPPORTED_OPS.md summary table (NPU-EDGETPU.md A.6, A.10)";
constexpr const char *kWriterSentence = "The node must be writable as TFLite operators";
constexpr const char *kWriterSource = "edgec's TFLite writer (docs/tflite.md)";

/// The IR inputs that are data (IFM, IFM2, ...) for each kind of operator.
bool dataInput(const std::string &op, size_t slot) {
  if (isOneOf(op, {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED"}))
    return slot == 0;
  if (isOneOf(op, {"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "PRELU"}))
    return slot <= 1;
  if (isOneOf(op, {"CONCATENATION", "PACK"})) return true;
  return slot == 0;
}

} // namespace

bool Constraint::appliesTo(const std::string &op) const {
  bool listed = std::find(ops.begin(), ops.end(), op) != ops.end();
  return generic ? !listed : listed;
}

const std::vector<Constraint> &constraints() { return kConstraints; }
const std::vector<std::string> &npuOperators() { return kNpuOperators; }

bool isNpuOperator(const std::string &op) {
  return std::binary_search(kNpuOperators.begin(), kNpuOperators.end(), op);
}

std::string Failure::sentence() const {
  if (constraint) return constraint->sentence;
  return detail.rfind("cannot be written", 0) == 0 ? kWriterSentence : kCpuOnlySentence;
}
std::string Failure::source() const {
  if (constraint) return constraint->source;
  return detail.rfind("cannot be written", 0) == 0 ? kWriterSource : kCpuOnlySource;
}
std::string Failure::id() const {
  if (constraint) return constraint->id;
  return detail.rfind("cannot be written", 0) == 0 ? "tflite.writable" : "operator.npu";
}

OpView viewOf(const Node &n, const std::string &op) {
  OpView v;
  v.node = &n;
  v.op = op;
  const bool weighted = isOneOf(op, {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED"});
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    const Value *x = n.inputs[i];
    if (!x) continue;
    if (weighted && i == 1) v.weights = x;
    else if (weighted && i == 2) v.bias = x;
    else if (dataInput(op, i)) v.ifms.push_back(x);
  }
  for (const Value *y : n.outputs)
    if (y) v.ofms.push_back(y);
  return v;
}

std::vector<Failure> judgeOperator(const Node &n, const std::string &op, bool principal) {
  std::vector<Failure> out;
  if (!isNpuOperator(op)) out.push_back({nullptr, op, op + " '" + n.name + "' is a CPU only op"});
  if (!principal) return out;
  OpView v = viewOf(n, op);
  for (const Constraint &c : kConstraints) {
    if (!c.appliesTo(op)) continue;
    // A CPU only operator is judged on the generic constraints alone.
    if (!c.generic && !isNpuOperator(op)) continue;
    std::string d = c.check(v);
    if (!d.empty()) out.push_back({&c, op, d});
  }
  return out;
}

NodeJudgement judgeNode(const Node &n, const TfliteSupport &support) {
  NodeJudgement j;
  if (!support.supported()) {
    j.failures.push_back({nullptr, "(" + n.opType + ")", "cannot be written as TFLite: " + support.reason});
    return j;
  }
  j.operators = support.operators;
  for (size_t i = 0; i < support.operators.size(); ++i) {
    std::vector<Failure> f =
        judgeOperator(n, support.operators[i].name, int(i) == support.principal);
    j.failures.insert(j.failures.end(), f.begin(), f.end());
  }
  return j;
}

std::string failuresText(const std::vector<Failure> &fs) {
  std::string r;
  for (const Failure &f : fs) {
    if (!r.empty()) r += "; ";
    if (!f.constraint) {
      r += f.detail;
      continue;
    }
    r += f.op + ": " + f.sentence() + " (" + f.detail + ")";
  }
  return r;
}

} // namespace edgec::ethosu
