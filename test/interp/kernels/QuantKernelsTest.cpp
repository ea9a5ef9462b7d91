// Unit tests for the integer (quantized) kernels in interp/kernels/quant.
//
// Graphs are built directly in the IR with QuantParams on the values and run
// through edgec::Interpreter, so the dispatch to kIntegerKernelDomain is
// exercised end to end. Pinned cases were derived by hand (or with an
// independent re-implementation of the same published TFLite reference
// arithmetic); consistency cases compare dequantize(integer kernel) with the
// float kernel applied to the dequantized inputs.
#include "interp/Interpreter.h"
#include "ir/Annotations.h"
#include "qmath/FixedPoint.h"
#include "qmath/LookupTable.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace edgec::test {
namespace {

QuantParams pt(float scale, int64_t zp) {
  QuantParams q;
  q.scale = {scale};
  q.zeroPoint = {zp};
  return q;
}

QuantParams pc(std::vector<float> scales, int axis) {
  QuantParams q;
  q.zeroPoint.assign(scales.size(), 0);
  q.scale = std::move(scales);
  q.axis = axis;
  return q;
}

qmath::QRange rangeOf(DataType t) {
  switch (t) {
  case DataType::UInt8: return {0, 255};
  case DataType::Int16: return {-32768, 32767};
  case DataType::Int32: return {INT32_MIN, INT32_MAX};
  default: return {-128, 127};
  }
}

/// A quantized tensor: integer data plus its parameters.
struct QT {
  Tensor t;
  QuantParams q;
};

/// A one-node model builder. Data inputs become graph inputs, constants
/// become initializers; output 0 is declared with a dtype and QuantParams.
struct QGraph {
  Model model;
  Node *node = nullptr;
  std::map<std::string, Tensor> feeds;
  explicit QGraph(int64_t opset = 21) { model.opsets[""] = opset; }
  Graph &g() { return *model.graph; }

  Value *input(const QT &x) {
    std::string name = "in" + std::to_string(feeds.size());
    Value *v = g().addInput(name, TensorType(x.t.dtype(), x.t.shape()));
    v->quant = x.q;
    feeds[name] = x.t;
    return v;
  }
  Value *constant(const Tensor &t, std::optional<QuantParams> q = {}) {
    Value *v = g().addInitializer(g().uniqueName("c"), t);
    v->quant = std::move(q);
    return v;
  }
  Value *constant(const QT &x) { return constant(x.t, x.q); }
  /// Adds the node with outputs typed `out` (QuantParams set when present).
  Node *add(const std::string &op, std::vector<Value *> ins, DataType out,
            std::optional<QuantParams> q) {
    Value *o = g().addValue("out", TensorType(out));
    o->quant = std::move(q);
    node = g().addNode(op, std::move(ins), {o}, "n0");
    node->opsetVersion = model.opsets[""];
    g().outputs = {o};
    return node;
  }
  Expected<Tensor> run() {
    Interpreter interp(model);
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> r, interp.run(feeds));
    return r.at(0);
  }
};

std::vector<int64_t> ints(const Tensor &t) { return t.toInt64Vector(); }

Tensor i8(TensorShape s, std::vector<int8_t> v) {
  return Tensor::fromVector<int8_t>(std::move(s), v);
}

/// Random integer tensor of `dtype` over the whole type range (or [lo, hi]).
Tensor randomInts(std::mt19937 &rng, DataType dtype, const TensorShape &shape,
                  int64_t lo, int64_t hi) {
  Tensor t(dtype, shape);
  std::uniform_int_distribution<int64_t> d(lo, hi);
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.setInt64(i, d(rng));
  return t;
}
Tensor randomInts(std::mt19937 &rng, DataType dtype, const TensorShape &shape) {
  qmath::QRange r = rangeOf(dtype);
  return randomInts(rng, dtype, shape, r.min, r.max);
}

/// Float tensor scale * (q - zp) (per channel along q.axis when per-axis).
Tensor dequantize(const QT &x) {
  Tensor f(DataType::Float32, x.t.shape());
  int64_t inner = 1, channels = 1;
  if (x.q.perAxis()) {
    channels = x.t.dim((size_t)x.q.axis);
    for (size_t d = (size_t)x.q.axis + 1; d < x.t.rank(); ++d)
      inner *= x.t.dim(d);
  }
  for (int64_t i = 0; i < x.t.numElements(); ++i) {
    size_t c = x.q.perAxis() ? (size_t)((i / inner) % channels) : 0;
    double zp = x.q.zeroPoint.empty() ? 0 : (double)x.q.zeroPoint[c];
    f.data<float>()[i] =
        (float)(x.q.scale[c] * ((double)x.t.getInt64(i) - zp));
  }
  return f;
}

/// Runs the same op in float on the dequantized inputs (quantized values
/// are dequantized; plain tensors pass as they are).
struct FloatRef {
  Model model;
  Node *node = nullptr;
  std::map<std::string, Tensor> feeds;
  explicit FloatRef(int64_t opset = 21) { model.opsets[""] = opset; }
  Value *input(const Tensor &t) {
    std::string name = "in" + std::to_string(feeds.size());
    Value *v = model.graph->addInput(name, TensorType(t.dtype(), t.shape()));
    feeds[name] = t;
    return v;
  }
  Value *constant(const Tensor &t) {
    return model.graph->addInitializer(model.graph->uniqueName("c"), t);
  }
  Node *add(const std::string &op, std::vector<Value *> ins) {
    Value *o = model.graph->addValue("out");
    node = model.graph->addNode(op, std::move(ins), {o}, "f0");
    node->opsetVersion = model.opsets[""];
    model.graph->outputs = {o};
    return node;
  }
  Tensor run() {
    Interpreter interp(model);
    auto r = interp.run(feeds);
    EXPECT_TRUE(r.isOk()) << r.error().message();
    return r.isOk() ? (*r)[0] : Tensor();
  }
};

/// Checks |dequantize(q) - clamp(ref)| <= steps * scale elementwise, with
/// ref clamped into the representable range of the output.
void expectClose(const Tensor &q, float scale, int64_t zp, const Tensor &ref,
                 double steps, const std::string &what) {
  ASSERT_EQ(q.shape(), ref.shape()) << what;
  qmath::QRange r = rangeOf(q.dtype());
  double lo = scale * ((double)r.min - zp), hi = scale * ((double)r.max - zp);
  double worst = 0;
  int64_t worstAt = -1;
  for (int64_t i = 0; i < q.numElements(); ++i) {
    double want = std::clamp(ref.getDouble(i), lo, hi);
    double got = scale * ((double)q.getInt64(i) - zp);
    double err = std::fabs(got - want) / scale;
    if (err > worst) {
      worst = err;
      worstAt = i;
    }
  }
  EXPECT_LE(worst, steps) << what << ": element " << worstAt << " off by "
                          << worst << " steps (got "
                          << (worstAt >= 0 ? q.getInt64(worstAt) : 0)
                          << ", float " << (worstAt >= 0 ? ref.getDouble(worstAt) : 0)
                          << ")";
}

//===----------------------------------------------------------------------===//
// Dispatch and validation
//===----------------------------------------------------------------------===//

TEST(QuantDispatchTest, IntegerKernelsAreRegistered) {
  const KernelRegistry &r = KernelRegistry::builtin();
  for (const char *op :
       {"Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "AveragePool",
        "MaxPool", "GlobalAveragePool", "Concat", "Reshape", "Flatten",
        "Squeeze", "Unsqueeze", "Transpose", "Identity", "Softmax", "Sigmoid",
        "Tanh", "HardSwish", "LeakyRelu", "Relu", "Clip", "ReduceMean", "Pad",
        "Resize"})
    EXPECT_NE(r.find(kIntegerKernelDomain, op), nullptr) << op;
}

// The lookup-table op list (qmath/LookupTable.h) is what the interpreter
// registers and what the quantizer quantizes: each op has an integer kernel
// and a float kernel to tabulate.
TEST(QuantDispatchTest, LookupTableOpsHaveIntegerAndFloatKernels) {
  const KernelRegistry &r = KernelRegistry::builtin();
  for (const char *op : qmath::kLookupTableOps) {
    EXPECT_NE(r.find(kIntegerKernelDomain, op), nullptr) << op;
    EXPECT_NE(r.find("", op), nullptr) << op;
  }
}

TEST(QuantDispatchTest, UnsupportedQuantizedOpIsReported) {
  QGraph g;
  Value *x = g.input({i8({2}, {1, 2}), pt(0.1f, 0)});
  g.add("Einsum", {x}, DataType::Int8, pt(0.1f, 0));
  auto r = g.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::Unsupported);
  EXPECT_NE(r.error().message().find("quantized Einsum"), std::string::npos)
      << r.error().message();
}

TEST(QuantValidationTest, MissingZeroOrNegativeScalesAreErrors) {
  auto runRelu = [](std::optional<QuantParams> in, QuantParams out) {
    QGraph g;
    Value *x = g.input({i8({2}, {1, 2}), pt(1, 0)});
    x->quant = std::move(in);
    g.add("Relu", {x}, DataType::Int8, out);
    return g.run();
  };
  auto bad = [](const Expected<Tensor> &r, const char *needle) {
    ASSERT_FALSE(r.isOk());
    EXPECT_NE(r.error().message().find(needle), std::string::npos)
        << r.error().message();
  };
  bad(runRelu(std::nullopt, pt(0.1f, 0)), "no quantization parameters");
  bad(runRelu(pt(0.0f, 0), pt(0.1f, 0)), "invalid scale");
  bad(runRelu(pt(-1.0f, 0), pt(0.1f, 0)), "invalid scale");
  bad(runRelu(pt(NAN, 0), pt(0.1f, 0)), "invalid scale");
  bad(runRelu(pt(0.1f, 0), pt(INFINITY, 0)), "invalid scale");
  bad(runRelu(pt(0.1f, 200), pt(0.1f, 0)), "zero point 200");
  bad(runRelu(pt(0.1f, 0), pt(0.1f, -129)), "zero point -129");
  QuantParams two = pt(0.1f, 0);
  two.scale.push_back(0.2f);
  bad(runRelu(two, pt(0.1f, 0)), "scales");
}

TEST(QuantValidationTest, PerChannelLengthAndAxisMismatch) {
  auto runConv = [](QuantParams wq) {
    QGraph g;
    Value *x = g.input({i8({1, 1, 2, 2}, {1, 2, 3, 4}), pt(0.1f, 0)});
    Value *w = g.constant(i8({2, 1, 1, 1}, {1, 2}), wq);
    g.add("Conv", {x, w}, DataType::Int8, pt(0.1f, 0));
    return g.run();
  };
  EXPECT_TRUE(runConv(pc({0.1f, 0.2f}, 0)).isOk());
  auto r = runConv(pc({0.1f, 0.2f, 0.3f}, 0));
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("3 per-channel scales for 2"),
            std::string::npos)
      << r.error().message();
  r = runConv(pc({0.1f, 0.2f}, 1));
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::Unsupported);
  QuantParams zps = pc({0.1f, 0.2f}, 0);
  zps.zeroPoint = {0};
  EXPECT_FALSE(runConv(zps).isOk());
  EXPECT_FALSE(runConv(pc({0.1f, -0.2f}, 0)).isOk());
}

TEST(QuantValidationTest, BiasChecks) {
  auto runGemm = [](Tensor bias, std::optional<QuantParams> bq) {
    QGraph g;
    Value *a = g.input({i8({1, 2}, {1, 2}), pt(0.5f, 0)});
    Value *b = g.constant(i8({2, 2}, {1, 2, 3, 4}), pc({0.25f, 0.5f}, 1));
    Value *c = g.constant(bias, bq);
    g.add("Gemm", {a, b, c}, DataType::Int8, pt(1.0f, 0));
    return g.run();
  };
  Tensor good = Tensor::fromVector<int32_t>({2}, {1, 2});
  EXPECT_TRUE(runGemm(good, std::nullopt).isOk());
  QuantParams bq;
  bq.scale = {0.125f, 0.25f};
  bq.zeroPoint = {0, 0};
  bq.axis = 0;
  EXPECT_TRUE(runGemm(good, bq).isOk());
  bq.scale = {0.125f, 0.5f}; // channel 1 should be 0.25
  EXPECT_FALSE(runGemm(good, bq).isOk());
  EXPECT_FALSE(runGemm(Tensor::fromVector<int8_t>({2}, {1, 2}), std::nullopt)
                   .isOk());
  EXPECT_FALSE(runGemm(Tensor::fromVector<int32_t>({3}, {1, 2, 3}),
                       std::nullopt)
                   .isOk());
}

TEST(QuantValidationTest, AccumulatorOverflowIsAnError) {
  // 70000 products of 128 * 255 exceed int32.
  QGraph g;
  const int64_t k = 70000;
  Tensor a(DataType::UInt8, {1, k}), b(DataType::Int8, {k, 1});
  for (int64_t i = 0; i < k; ++i) {
    a.data<uint8_t>()[i] = 255;
    b.data<int8_t>()[i] = -128;
  }
  Value *av = g.input({a, pt(0.1f, 0)});
  Value *bv = g.constant(b, pt(0.1f, 0));
  g.add("MatMul", {av, bv}, DataType::Int8, pt(0.1f, 0));
  auto r = g.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("overflows int32"), std::string::npos)
      << r.error().message();
}

TEST(QuantValidationTest, HostileWindowIsRefusedQuickly) {
  // A 2^20 x 2^20 window over one pixel (with matching padding) would read
  // 2^40 positions.
  QGraph g;
  Value *x = g.input({i8({1, 1, 1, 1}, {1}), pt(0.1f, 0)});
  Node *n = g.add("MaxPool", {x}, DataType::Int8, pt(0.1f, 0));
  n->attrs["kernel_shape"] = Attribute::makeInts({1 << 20, 1 << 20});
  n->attrs["pads"] =
      Attribute::makeInts({1 << 19, 1 << 19, (1 << 19) - 1, (1 << 19) - 1});
  auto r = g.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::Unsupported) << r.error().message();
}

TEST(QuantValidationTest, NonClampFusedActivationIsUnsupported) {
  QGraph g;
  Value *x = g.input({i8({1, 1, 1, 2}, {1, 2}), pt(0.1f, 0)});
  Value *w = g.constant(i8({1, 1, 1, 1}, {1}), pt(0.1f, 0));
  Node *n = g.add("Conv", {x, w}, DataType::Int8, pt(0.1f, 0));
  n->attrs[kFusedActivationAttr] = Attribute::makeString("Sigmoid");
  auto r = g.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::Unsupported);
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

/// 1x1 conv over X = [-128, -127, 0, 127] (scale 0.5, zero point -128) with
/// per-channel weight scales 1, 0.25, 1e-6 and 10 (hand-computed, see the
/// FixedPoint tests for the multipliers).
QGraph pointwiseConv(std::optional<std::string> act = {}, int64_t yzp = 0) {
  QGraph g;
  Value *x = g.input({i8({1, 1, 1, 4}, {-128, -127, 0, 127}), pt(0.5f, -128)});
  Value *w = g.constant(i8({4, 1, 1, 1}, {1, -1, 127, 1}),
                        pc({1.0f, 0.25f, 1e-6f, 10.0f}, 0));
  Value *b = g.constant(Tensor::fromVector<int32_t>({4}, {0, 1, 5, -3}));
  Node *n = g.add("Conv", {x, w, b}, DataType::Int8, pt(1.0f, yzp));
  if (act)
    n->attrs[kFusedActivationAttr] = Attribute::makeString(*act);
  return g;
}

TEST(QConvTest, PerChannelScalesSpanningOrdersOfMagnitude) {
  QGraph g = pointwiseConv();
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  // ch0: x * 0.5 with SRDHM's tie rounding (1 -> 1, 255 -> 128 -> 127);
  // ch1: (-x + 1) * 0.125 (-127 -> -16, -254 -> -32); ch2: ~5e-7 -> 0;
  // ch3: (x - 3) * 5 saturating.
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{0, 1, 64, 127, 0, 0, -16, -32, 0,
                                            0, 0, 0, -15, -10, 127, 127}));
  EXPECT_EQ(r->shape(), (TensorShape{1, 4, 1, 4}));
}

TEST(QConvTest, FusedReluClampsAtTheZeroPoint) {
  QGraph g = pointwiseConv(std::string("Relu"));
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{0, 1, 64, 127, 0, 0, 0, 0, 0, 0,
                                            0, 0, 0, 0, 127, 127}));
  // With zero point 127 Relu leaves only 127.
  QGraph g2 = pointwiseConv(std::string("Relu"), 127);
  auto r2 = g2.run();
  ASSERT_TRUE(r2.isOk()) << r2.error().message();
  for (int64_t v : ints(*r2))
    EXPECT_EQ(v, 127);
}

TEST(QConvTest, FusedRelu6ClampsBothEnds) {
  QGraph g = pointwiseConv(std::string("Clip"), -100);
  g.node->attrs["edgec.activation.min"] = Attribute::makeFloat(0.0f);
  g.node->attrs["edgec.activation.max"] = Attribute::makeFloat(6.0f);
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  // Range [-100, -100 + 6] in output units (scale 1).
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{-100, -99, -94, -94, -100, -100,
                                            -100, -100, -100, -100, -100, -100,
                                            -100, -100, -94, -94}));
}

TEST(QConvTest, ZeroPointEdgeCasesAndPadding) {
  // 3x3 input with zero point 127 (all values below it are negative reals),
  // pads 1: padding must read as the zero point, i.e. contribute 0.
  QGraph g;
  Value *x = g.input({i8({1, 1, 3, 3}, {127, 127, 127, 127, 127, 127, 127,
                                        127, 127}),
                      pt(0.1f, 127)});
  Value *w = g.constant(i8({1, 1, 3, 3}, {1, 1, 1, 1, 1, 1, 1, 1, 1}),
                        pc({0.5f}, 0));
  Node *n = g.add("Conv", {x, w}, DataType::Int8, pt(0.05f, -128));
  n->attrs["pads"] = Attribute::makeInts({1, 1, 1, 1});
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  for (int64_t v : ints(*r))
    EXPECT_EQ(v, -128);
}

struct ConvCase {
  const char *name;
  int64_t n, c, h, w, m, kh, kw, group;
  std::vector<int64_t> strides, pads, dilations;
  bool relu;
};

void runConvConsistency(const ConvCase &cc, uint32_t seed) {
  std::mt19937 rng(seed);
  QT x{randomInts(rng, DataType::Int8, {cc.n, cc.c, cc.h, cc.w}),
       pt(0.04f, -17)};
  std::vector<float> scales;
  std::uniform_real_distribution<double> logScale(-6, 1);
  for (int64_t i = 0; i < cc.m; ++i)
    scales.push_back((float)std::pow(10.0, logScale(rng)));
  // Keep two channels at the requested extremes.
  scales[0] = 1e-6f;
  if (cc.m > 1)
    scales[1] = 10.0f;
  QT w{randomInts(rng, DataType::Int8, {cc.m, cc.c / cc.group, cc.kh, cc.kw},
                  -127, 127),
       pc(scales, 0)};
  Tensor bias(DataType::Int32, {cc.m});
  for (int64_t i = 0; i < cc.m; ++i)
    bias.data<int32_t>()[i] = (int32_t)(rng() % 2001) - 1000;
  // Output scale so that the typical channel is well represented.
  QuantParams yq = pt(0.5f, 3);
  QGraph g;
  Value *xv = g.input(x);
  Value *wv = g.constant(w);
  Value *bv = g.constant(bias);
  Node *n = g.add("Conv", {xv, wv, bv}, DataType::Int8, yq);
  FloatRef f;
  Tensor fb(DataType::Float32, {cc.m});
  for (int64_t i = 0; i < cc.m; ++i)
    fb.data<float>()[i] =
        (float)(bias.data<int32_t>()[i] * (double)0.04f * (double)scales[(size_t)i]);
  Node *fn = f.add("Conv", {f.input(dequantize(x)), f.constant(dequantize(w)),
                            f.constant(fb)});
  for (Node *nd : {n, fn}) {
    nd->attrs["group"] = Attribute::makeInt(cc.group);
    if (!cc.strides.empty())
      nd->attrs["strides"] = Attribute::makeInts(cc.strides);
    if (!cc.pads.empty())
      nd->attrs["pads"] = Attribute::makeInts(cc.pads);
    if (!cc.dilations.empty())
      nd->attrs["dilations"] = Attribute::makeInts(cc.dilations);
  }
  if (cc.relu)
    n->attrs[kFusedActivationAttr] = Attribute::makeString("Relu");
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << cc.name << ": " << r.error().message();
  Tensor ref = f.run();
  if (cc.relu)
    for (int64_t i = 0; i < ref.numElements(); ++i)
      ref.data<float>()[i] = std::max(0.0f, ref.data<float>()[i]);
  expectClose(*r, 0.5f, 3, ref, 1.0, cc.name);
}

TEST(QConvTest, ConsistencyWithFloatConv) {
  const ConvCase cases[] = {
      {"regular", 2, 3, 7, 6, 5, 3, 3, 1, {}, {1, 1, 1, 1}, {}, false},
      {"strided", 1, 4, 9, 9, 6, 3, 2, 1, {2, 2}, {0, 1, 1, 0}, {}, true},
      {"depthwise", 1, 6, 8, 8, 6, 3, 3, 6, {1, 1}, {1, 1, 1, 1}, {}, false},
      {"depthwise x2", 1, 4, 6, 5, 8, 3, 3, 4, {2, 1}, {1, 1, 1, 1}, {},
       true},
      {"grouped", 1, 6, 5, 5, 4, 2, 2, 2, {}, {}, {2, 2}, false},
      {"pointwise", 3, 8, 4, 4, 7, 1, 1, 1, {}, {}, {}, false},
  };
  uint32_t seed = 1;
  for (const ConvCase &c : cases)
    runConvConsistency(c, seed++);
}

TEST(QConvTest, Int16x8Mode) {
  std::mt19937 rng(7);
  const float xs = 0.0001f;
  QT x{randomInts(rng, DataType::Int16, {1, 2, 5, 5}), pt(xs, 0)};
  QT w{randomInts(rng, DataType::Int8, {3, 2, 3, 3}, -127, 127),
       pc({0.01f, 0.002f, 0.03f}, 0)};
  Tensor bias = Tensor::fromVector<int64_t>({3}, {100000, -5000000, 12345});
  QGraph g;
  Value *bv = g.constant(bias);
  Node *n = g.add("Conv", {g.input(x), g.constant(w), bv}, DataType::Int16,
                  pt(0.002f, 0));
  n->attrs["pads"] = Attribute::makeInts({1, 1, 1, 1});
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(r->dtype(), DataType::Int16);
  FloatRef f;
  Tensor fb(DataType::Float32, {3});
  const float ws[] = {0.01f, 0.002f, 0.03f};
  for (int i = 0; i < 3; ++i)
    fb.data<float>()[i] =
        (float)((double)bias.data<int64_t>()[i] * (double)xs * (double)ws[i]);
  Node *fn = f.add("Conv", {f.input(dequantize(x)), f.constant(dequantize(w)),
                            f.constant(fb)});
  fn->attrs["pads"] = Attribute::makeInts({1, 1, 1, 1});
  expectClose(*r, 0.002f, 0, f.run(), 1.0, "16x8 conv");
  // Asymmetric int16 is rejected.
  QGraph bad;
  bad.add("Conv", {bad.input({x.t, pt(xs, 3)}), bad.constant(w)},
          DataType::Int16, pt(0.002f, 0));
  EXPECT_FALSE(bad.run().isOk());
}

//===----------------------------------------------------------------------===//
// Gemm / MatMul
//===----------------------------------------------------------------------===//

TEST(QGemmTest, PinnedPerChannel) {
  // A - 5 = [[0, 1, -133], [122, -5, 0]], B per-column scales 0.2 / 0.05.
  QGraph g;
  Value *a = g.input({i8({2, 3}, {5, 6, -128, 127, 0, 5}), pt(0.1f, 5)});
  Value *b = g.constant(i8({3, 2}, {1, -2, 3, 127, -128, 4}),
                        pc({0.2f, 0.05f}, 1));
  Value *c = g.constant(Tensor::fromVector<int32_t>({2}, {10, -10}));
  g.add("Gemm", {a, b, c}, DataType::Int8, pt(0.25f, -3));
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  // Row 0: (17027 + 10) * 0.08 saturates; (-405 - 10) * 0.02 = -8.3 -> -11.
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{127, -11, 6, -21}));
}

TEST(QGemmTest, ConsistencyTransBAndRelu6) {
  std::mt19937 rng(11);
  for (bool transB : {false, true}) {
    const int64_t m = 4, k = 37, n = 9;
    QT a{randomInts(rng, DataType::Int8, {m, k}), pt(0.03f, 12)};
    std::vector<float> scales;
    for (int64_t j = 0; j < n; ++j)
      scales.push_back(0.001f * (float)(j + 1));
    QT b{randomInts(rng, DataType::Int8, transB ? TensorShape{n, k}
                                                : TensorShape{k, n},
                    -127, 127),
         pc(scales, transB ? 0 : 1)};
    Tensor bias(DataType::Int32, {n});
    for (int64_t j = 0; j < n; ++j)
      bias.data<int32_t>()[j] = (int32_t)(j * 300) - 1000;
    QGraph g;
    Node *q = g.add("Gemm", {g.input(a), g.constant(b), g.constant(bias)},
                    DataType::Int8, pt(0.02f, -128));
    q->attrs["transB"] = Attribute::makeInt(transB);
    q->attrs[kFusedActivationAttr] = Attribute::makeString("Clip");
    q->attrs["edgec.activation.min"] = Attribute::makeFloat(0.0f);
    q->attrs["edgec.activation.max"] = Attribute::makeFloat(2.0f);
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    FloatRef f;
    Tensor fb(DataType::Float32, {n});
    for (int64_t j = 0; j < n; ++j)
      fb.data<float>()[j] =
          (float)(bias.data<int32_t>()[j] * (double)0.03f * scales[(size_t)j]);
    Node *fn = f.add("Gemm", {f.input(dequantize(a)),
                              f.constant(dequantize(b)), f.constant(fb)});
    fn->attrs["transB"] = Attribute::makeInt(transB);
    Tensor ref = f.run();
    for (int64_t i = 0; i < ref.numElements(); ++i)
      ref.data<float>()[i] = std::clamp(ref.data<float>()[i], 0.0f, 2.0f);
    expectClose(*r, 0.02f, -128, ref, 1.0,
                transB ? "gemm transB" : "gemm");
  }
}

TEST(QMatMulTest, ConsistencyBatchedAndTwoD) {
  std::mt19937 rng(13);
  struct Case {
    TensorShape a, b;
  } cases[] = {{{5, 16}, {16, 3}}, {{2, 3, 4, 8}, {8, 6}},
               {{2, 1, 3, 8}, {4, 8, 5}}, {{7}, {7, 2}}};
  for (const Case &c : cases) {
    QT a{randomInts(rng, DataType::Int8, c.a), pt(0.05f, -3)};
    int64_t n = c.b.back();
    std::vector<float> scales;
    for (int64_t j = 0; j < n; ++j)
      scales.push_back(0.004f * (float)(j + 1));
    QT b{randomInts(rng, DataType::Int8, c.b, -127, 127),
         pc(scales, (int)c.b.size() - 1)};
    QGraph g;
    g.add("MatMul", {g.input(a), g.constant(b)}, DataType::Int8,
          pt(0.1f, 10));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    FloatRef f;
    f.add("MatMul", {f.input(dequantize(a)), f.constant(dequantize(b))});
    expectClose(*r, 0.1f, 10, f.run(), 1.0, "matmul " + shapeToString(c.a));
  }
}

TEST(QMatMulTest, ActivationTimesActivationUInt8) {
  std::mt19937 rng(17);
  QT a{randomInts(rng, DataType::UInt8, {3, 10}), pt(0.02f, 128)};
  QT b{randomInts(rng, DataType::UInt8, {10, 4}), pt(0.03f, 100)};
  QGraph g;
  g.add("MatMul", {g.input(a), g.input(b)}, DataType::UInt8, pt(0.05f, 120));
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  FloatRef f;
  f.add("MatMul", {f.input(dequantize(a)), f.input(dequantize(b))});
  expectClose(*r, 0.05f, 120, f.run(), 1.0, "uint8 matmul");
}

TEST(QGemmTest, Int16x8FullyConnected) {
  std::mt19937 rng(19);
  QT a{randomInts(rng, DataType::Int16, {2, 50}), pt(0.0005f, 0)};
  QT b{randomInts(rng, DataType::Int8, {6, 50}, -127, 127),
       pc({0.01f, 0.02f, 0.005f, 0.01f, 0.001f, 0.03f}, 0)};
  QGraph g;
  Node *n = g.add("Gemm", {g.input(a), g.constant(b)}, DataType::Int16,
                  pt(0.001f, 0));
  n->attrs["transB"] = Attribute::makeInt(1);
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  FloatRef f;
  Node *fn = f.add("Gemm", {f.input(dequantize(a)), f.constant(dequantize(b))});
  fn->attrs["transB"] = Attribute::makeInt(1);
  expectClose(*r, 0.001f, 0, f.run(), 1.0, "16x8 fc");
}

//===----------------------------------------------------------------------===//
// Add / Sub / Mul
//===----------------------------------------------------------------------===//

TEST(QElementwiseTest, PinnedAddSubMulWithDifferentScales) {
  Tensor x1 = i8({5}, {-128, 0, 1, 3, 127}), x2 = i8({5}, {10, 12, -128, 127, 11});
  auto run = [&](const char *op) {
    QGraph g;
    g.add(op, {g.input({x1, pt(0.5f, 0)}), g.input({x2, pt(0.25f, 10)})},
          DataType::Int8, pt(1.0f, -5));
    auto r = g.run();
    EXPECT_TRUE(r.isOk()) << r.error().message();
    return r.isOk() ? ints(*r) : std::vector<int64_t>{};
  };
  // Add: 0.5 * x1 + 0.25 * (x2 - 10), then - 5.
  EXPECT_EQ(run("Add"), (std::vector<int64_t>{-69, -4, -39, 26, 59}));
  EXPECT_EQ(run("Sub"), (std::vector<int64_t>{-69, -6, 30, -33, 58}));
  EXPECT_EQ(run("Mul"), (std::vector<int64_t>{-5, -5, -22, 39, 11}));
}

TEST(QElementwiseTest, ConsistencyWithBroadcastAndRelu) {
  std::mt19937 rng(23);
  for (const char *op : {"Add", "Sub", "Mul"})
    for (bool relu : {false, true}) {
      QT a{randomInts(rng, DataType::Int8, {2, 3, 4, 5}), pt(0.07f, -20)};
      QT b{randomInts(rng, DataType::Int8, {3, 1, 5}), pt(0.013f, 40)};
      float ys = std::string(op) == "Mul" ? 0.2f : 0.09f;
      QGraph g;
      Node *n = g.add(op, {g.input(a), g.input(b)}, DataType::Int8,
                      pt(ys, 7));
      if (relu)
        n->attrs[kFusedActivationAttr] = Attribute::makeString("Relu");
      auto r = g.run();
      ASSERT_TRUE(r.isOk()) << r.error().message();
      FloatRef f;
      f.add(op, {f.input(dequantize(a)), f.input(dequantize(b))});
      Tensor ref = f.run();
      if (relu)
        for (int64_t i = 0; i < ref.numElements(); ++i)
          ref.data<float>()[i] = std::max(0.0f, ref.data<float>()[i]);
      expectClose(*r, ys, 7, ref, 1.0, std::string(op) + (relu ? "+relu" : ""));
    }
}

TEST(QElementwiseTest, Int16AddUsesLeftShift15) {
  std::mt19937 rng(59);
  QT a{randomInts(rng, DataType::Int16, {64}), pt(0.001f, 0)};
  QT b{randomInts(rng, DataType::Int16, {64}), pt(0.0004f, 0)};
  QGraph g;
  g.add("Add", {g.input(a), g.input(b)}, DataType::Int16, pt(0.0015f, 0));
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  FloatRef f;
  f.add("Add", {f.input(dequantize(a)), f.input(dequantize(b))});
  expectClose(*r, 0.0015f, 0, f.run(), 1.0, "int16 add");
}

TEST(QElementwiseTest, OutputScaleTooSmallIsUnsupported) {
  QGraph g;
  g.add("Add", {g.input({i8({1}, {1}), pt(1.0f, 0)}),
                g.input({i8({1}, {1}), pt(1.0f, 0)})},
        DataType::Int8, pt(1e-7f, 0));
  auto r = g.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::Unsupported);
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

TEST(QPoolTest, AveragePoolRoundsHalfAwayFromZero) {
  // Windows of 4: sums -4, 3, -2, 2 -> -1, 1 (0.75), -1 (-0.5), 1 (0.5).
  QGraph g;
  Value *x = g.input({i8({1, 1, 2, 5}, {-3, -2, 5, -1, 1, 1, 0, 0, -6, 8}),
                      pt(0.1f, 0)});
  Node *n = g.add("AveragePool", {x}, DataType::Int8, pt(0.1f, 0));
  n->attrs["kernel_shape"] = Attribute::makeInts({2, 2});
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{-1, 1, -1, 1}));
}

TEST(QPoolTest, MaxPoolIgnoresPaddingAndClampsFusedRelu) {
  QGraph g;
  Value *x = g.input({i8({1, 1, 2, 2}, {-100, -90, -80, -70}), pt(0.1f, -75)});
  Node *n = g.add("MaxPool", {x}, DataType::Int8, pt(0.1f, -75));
  n->attrs["kernel_shape"] = Attribute::makeInts({2, 2});
  n->attrs["pads"] = Attribute::makeInts({1, 1, 0, 0});
  n->attrs[kFusedActivationAttr] = Attribute::makeString("Relu");
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  // Windows: {-100}, {-100, -90}, {-100, -80}, all; Relu clamps at -75.
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{-75, -75, -75, -70}));
}

TEST(QPoolTest, ConsistencyWithFloatPools) {
  std::mt19937 rng(29);
  struct Case {
    const char *op;
    std::vector<int64_t> kernel, strides, pads;
    int64_t ceil, includePad;
    QuantParams yq;
  } cases[] = {
      {"AveragePool", {3, 3}, {2, 2}, {1, 1, 1, 1}, 0, 0, pt(0.05f, -10)},
      {"AveragePool", {2, 3}, {1, 2}, {0, 1, 1, 0}, 1, 0, pt(0.05f, -10)},
      {"AveragePool", {3, 3}, {1, 1}, {1, 1, 1, 1}, 0, 1, pt(0.05f, -10)},
      {"AveragePool", {2, 2}, {2, 2}, {}, 0, 0, pt(0.03f, 5)},
      {"MaxPool", {3, 3}, {2, 2}, {1, 1, 1, 1}, 0, 0, pt(0.05f, -10)},
      {"MaxPool", {2, 2}, {2, 1}, {}, 1, 0, pt(0.07f, 0)},
  };
  for (const Case &c : cases) {
    QT x{randomInts(rng, DataType::Int8, {2, 3, 9, 8}), pt(0.05f, -10)};
    QGraph g;
    Node *n = g.add(c.op, {g.input(x)}, DataType::Int8, c.yq);
    FloatRef f;
    Node *fn = f.add(c.op, {f.input(dequantize(x))});
    for (Node *nd : {n, fn}) {
      nd->attrs["kernel_shape"] = Attribute::makeInts(c.kernel);
      nd->attrs["strides"] = Attribute::makeInts(c.strides);
      if (!c.pads.empty())
        nd->attrs["pads"] = Attribute::makeInts(c.pads);
      nd->attrs["ceil_mode"] = Attribute::makeInt(c.ceil);
      if (std::string(c.op) == "AveragePool")
        nd->attrs["count_include_pad"] = Attribute::makeInt(c.includePad);
    }
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << c.op << ": " << r.error().message();
    // Same parameters: half a step (one rounding); different: two roundings.
    double tol = c.yq == x.q ? 0.5 : 1.0;
    expectClose(*r, c.yq.scale[0], c.yq.zeroPoint[0], f.run(), tol + 1e-4,
                std::string(c.op) + " k" + std::to_string(c.kernel[0]) + "x" +
                    std::to_string(c.kernel[1]) + " ceil " +
                    std::to_string(c.ceil) + " include_pad " +
                    std::to_string(c.includePad));
  }
}

TEST(QReduceTest, PinnedMean) {
  // Sum -72 over 8 elements; zero point 3 -> (-72 - 24) * 0.5 / 8 / 0.2 - 7.
  Tensor x = i8({1, 8}, {1, 2, 3, 4, 5, 6, 7, -100});
  for (bool same : {false, true}) {
    QGraph g(13);
    Node *n = g.add("ReduceMean", {g.input({x, pt(0.5f, 3)})}, DataType::Int8,
                    same ? pt(0.5f, 3) : pt(0.2f, -7));
    n->attrs["axes"] = Attribute::makeInts({1});
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    // Equal parameters: the raw sum divided by the count, truncated.
    EXPECT_EQ(ints(*r), std::vector<int64_t>{same ? -9 : -37});
    EXPECT_EQ(r->shape(), (TensorShape{1, 1}));
  }
}

TEST(QReduceTest, ConsistencyMeanAndGlobalAveragePool) {
  std::mt19937 rng(31);
  QT x{randomInts(rng, DataType::Int8, {2, 5, 6, 7}), pt(0.02f, 30)};
  for (bool global : {false, true}) {
    QGraph g(18);
    FloatRef f(18);
    Node *fn;
    if (global) {
      g.add("GlobalAveragePool", {g.input(x)}, DataType::Int8, pt(0.01f, -5));
      fn = f.add("GlobalAveragePool", {f.input(dequantize(x))});
    } else {
      Tensor axes = Tensor::fromVector<int64_t>({2}, {1, 3});
      Node *n = g.add("ReduceMean", {g.input(x), g.constant(axes)},
                      DataType::Int8, pt(0.01f, -5));
      n->attrs["keepdims"] = Attribute::makeInt(0);
      fn = f.add("ReduceMean", {f.input(dequantize(x)), f.constant(axes)});
      fn->attrs["keepdims"] = Attribute::makeInt(0);
    }
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    expectClose(*r, 0.01f, -5, f.run(), 1.0, global ? "gap" : "mean");
  }
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

TEST(QShapeTest, ReshapePassesThroughOrRequantizes) {
  Tensor x = i8({2, 2}, {-128, -1, 0, 127});
  Tensor shape = Tensor::fromVector<int64_t>({1}, {4});
  {
    QGraph g;
    g.add("Reshape", {g.input({x, pt(0.1f, 0)}), g.constant(shape)},
          DataType::Int8, pt(0.1f, 0));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{-128, -1, 0, 127}));
    EXPECT_EQ(r->shape(), TensorShape{4});
  }
  {
    // Requantize to scale 0.2, zero point 10: q * 0.5 + 10 with the
    // multiplier's rounding (-0.5 -> 0, 63.5 -> 64: ties towards +inf).
    QGraph g;
    g.add("Reshape", {g.input({x, pt(0.1f, 0)}), g.constant(shape)},
          DataType::Int8, pt(0.2f, 10));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{-54, 10, 10, 74}));
  }
  {
    // To uint8 with zero point 128: the int8 <-> uint8 shift.
    QGraph g;
    g.add("Flatten", {g.input({x, pt(0.1f, 0)})}, DataType::UInt8,
          pt(0.1f, 128));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(r->dtype(), DataType::UInt8);
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{0, 127, 128, 255}));
  }
}

TEST(QShapeTest, TransposeSqueezeUnsqueezeIdentity) {
  Tensor x = i8({1, 2, 3}, {1, 2, 3, 4, 5, 6});
  QGraph g;
  Node *n = g.add("Transpose", {g.input({x, pt(0.1f, 0)})}, DataType::Int8,
                  pt(0.1f, 0));
  n->attrs["perm"] = Attribute::makeInts({0, 2, 1});
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{1, 4, 2, 5, 3, 6}));
  QGraph s;
  s.add("Squeeze",
        {s.input({x, pt(0.1f, 0)}),
         s.constant(Tensor::fromVector<int64_t>({1}, {0}))},
        DataType::Int8, pt(0.1f, 0));
  auto rs = s.run();
  ASSERT_TRUE(rs.isOk()) << rs.error().message();
  EXPECT_EQ(rs->shape(), (TensorShape{2, 3}));
  QGraph u;
  u.add("Unsqueeze",
        {u.input({x, pt(0.1f, 0)}),
         u.constant(Tensor::fromVector<int64_t>({1}, {3}))},
        DataType::Int8, pt(0.1f, 0));
  auto ru = u.run();
  ASSERT_TRUE(ru.isOk()) << ru.error().message();
  EXPECT_EQ(ru->shape(), (TensorShape{1, 2, 3, 1}));
  QGraph id;
  id.add("Identity", {id.input({x, pt(0.1f, 0)})}, DataType::Int8,
         pt(0.05f, 0));
  auto ri = id.run();
  ASSERT_TRUE(ri.isOk()) << ri.error().message();
  EXPECT_EQ(ints(*ri), (std::vector<int64_t>{2, 4, 6, 8, 10, 12}));
}

TEST(QShapeTest, ConcatRequantizesDifferingInputs) {
  QGraph g;
  Value *a = g.input({i8({1, 2}, {10, -20}), pt(0.1f, 0)});
  Value *b = g.input({i8({1, 3}, {10, -20, 100}), pt(0.05f, 4)});
  Node *n = g.add("Concat", {a, b}, DataType::Int8, pt(0.1f, 0));
  n->attrs["axis"] = Attribute::makeInt(1);
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  // b: round((q - 4) * 0.5): 3, -12, 48.
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{10, -20, 3, -12, 48}));
}

TEST(QShapeTest, ConcatConsistency) {
  std::mt19937 rng(37);
  QT a{randomInts(rng, DataType::Int8, {2, 3, 4}), pt(0.1f, -5)};
  QT b{randomInts(rng, DataType::Int8, {2, 2, 4}), pt(0.03f, 17)};
  QGraph g;
  Node *n = g.add("Concat", {g.input(a), g.input(b)}, DataType::Int8,
                  pt(0.08f, 2));
  n->attrs["axis"] = Attribute::makeInt(1);
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  FloatRef f;
  f.add("Concat", {f.input(dequantize(a)), f.input(dequantize(b))})
      ->attrs["axis"] = Attribute::makeInt(1);
  expectClose(*r, 0.08f, 2, f.run(), 0.5 + 1e-6, "concat");
}

TEST(QShapeTest, PadWithZeroPoint) {
  QGraph g;
  Value *x = g.input({i8({1, 2}, {5, 6}), pt(0.1f, -7)});
  g.add("Pad", {x, g.constant(Tensor::fromVector<int64_t>({4}, {0, 1, 0, 2}))},
        DataType::Int8, pt(0.1f, -7));
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{-7, 5, 6, -7, -7}));
  // A float constant value is quantized with the input's parameters.
  QGraph c;
  Value *cx = c.input({i8({1, 2}, {5, 6}), pt(0.1f, -7)});
  c.add("Pad",
        {cx, c.constant(Tensor::fromVector<int64_t>({4}, {0, 1, 0, 0})),
         c.constant(Tensor::scalar<float>(1.0f))},
        DataType::Int8, pt(0.1f, -7));
  auto rc = c.run();
  ASSERT_TRUE(rc.isOk()) << rc.error().message();
  EXPECT_EQ(ints(*rc), (std::vector<int64_t>{3, 5, 6}));
  // Reflect mode moves data only.
  QGraph m;
  Value *mx = m.input({i8({1, 3}, {1, 2, 3}), pt(0.1f, 0)});
  m.add("Pad", {mx, m.constant(Tensor::fromVector<int64_t>({4}, {0, 2, 0, 1}))},
        DataType::Int8, pt(0.1f, 0))
      ->attrs["mode"] = Attribute::makeString("reflect");
  auto rm = m.run();
  ASSERT_TRUE(rm.isOk()) << rm.error().message();
  EXPECT_EQ(ints(*rm), (std::vector<int64_t>{3, 2, 1, 2, 3, 2}));
}

TEST(QResizeTest, NearestAndBilinear) {
  std::mt19937 rng(41);
  QT x{randomInts(rng, DataType::Int8, {1, 2, 4, 5}), pt(0.05f, 3)};
  Tensor sizes = Tensor::fromVector<int64_t>({4}, {1, 2, 8, 10});
  for (const char *ctm : {"asymmetric", "half_pixel", "align_corners"})
    for (const char *mode : {"nearest", "linear"}) {
      QGraph g;
      Node *n = g.add("Resize",
                      {g.input(x), nullptr, nullptr, g.constant(sizes)},
                      DataType::Int8, pt(0.05f, 3));
      FloatRef f;
      Node *fn = f.add("Resize", {f.input(dequantize(x)), nullptr, nullptr,
                                  f.constant(sizes)});
      for (Node *nd : {n, fn}) {
        nd->attrs["mode"] = Attribute::makeString(mode);
        nd->attrs["coordinate_transformation_mode"] =
            Attribute::makeString(ctm);
        if (std::string(mode) == "nearest")
          nd->attrs["nearest_mode"] = Attribute::makeString("floor");
      }
      auto r = g.run();
      ASSERT_TRUE(r.isOk()) << mode << " " << ctm << ": "
                            << r.error().message();
      // Nearest moves data (exact); bilinear rounds once in TFLite's 10-bit
      // coordinates.
      double tol = std::string(mode) == "nearest" ? 1e-4 : 1.0;
      expectClose(*r, 0.05f, 3, f.run(), tol,
                  std::string(mode) + " " + ctm);
    }
}

TEST(QResizeTest, BilinearPinnedUpsample) {
  // [0, 100] to width 4 with half pixel centers: scale_10 = 512; input x in
  // 10-bit units: -256 (clamped to pixel 0), 256, 768, 1280 -> 0, 25, 75, 100.
  QGraph g;
  Value *x = g.input({i8({1, 1, 1, 2}, {0, 100}), pt(0.1f, 0)});
  Node *n = g.add("Resize",
                  {x, nullptr, nullptr,
                   g.constant(Tensor::fromVector<int64_t>({4}, {1, 1, 1, 4}))},
                  DataType::Int8, pt(0.1f, 0));
  n->attrs["mode"] = Attribute::makeString("linear");
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(ints(*r), (std::vector<int64_t>{0, 25, 75, 100}));
}

//===----------------------------------------------------------------------===//
// Softmax and activations
//===----------------------------------------------------------------------===//

TEST(QSoftmaxTest, PinnedRows) {
  // Row [0, 0]: 0.5 each -> 0.5 * 256 - 128 = 0. Row [10, 0, -100] at scale
  // 0.1: exp(0) and exp(-1) (diff_min = -31 * 2^26 / 2^23 = -248 keeps
  // all): 0.731 -> 59, 0.269 -> -59, ~0 -> -128.
  {
    QGraph g;
    g.add("Softmax", {g.input({i8({1, 2}, {0, 0}), pt(0.1f, 0)})},
          DataType::Int8, pt(1.0f / 256, -128));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{0, 0}));
  }
  {
    QGraph g;
    g.add("Softmax", {g.input({i8({1, 3}, {10, 0, -100}), pt(0.1f, 0)})},
          DataType::Int8, pt(1.0f / 256, -128));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{59, -59, -128}));
  }
  {
    QGraph g;
    g.add("Softmax",
          {g.input({i8({1, 4}, {127, -128, 100, 50}), pt(0.05f, 0)})},
          DataType::Int8, pt(1.0f / 256, -128));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{72, -128, -76, -124}));
  }
}

TEST(QSoftmaxTest, UInt8AndLegacyAxis) {
  std::mt19937 rng(61);
  QT x{randomInts(rng, DataType::UInt8, {2, 3, 5}), pt(0.1f, 128)};
  // Opset 11: axis 1 flattens the trailing dims into one row.
  QGraph g(11);
  g.add("Softmax", {g.input(x)}, DataType::UInt8, pt(1.0f / 256, 0));
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  FloatRef f(11);
  f.add("Softmax", {f.input(dequantize(x))});
  expectClose(*r, 1.0f / 256, 0, f.run(), 1.0, "uint8 softmax");
}

TEST(QSoftmaxTest, ConsistencyAxesAndRequantizedOutput) {
  std::mt19937 rng(43);
  QT x{randomInts(rng, DataType::Int8, {3, 4, 10}), pt(0.08f, -4)};
  for (int64_t axis : {-1, 1})
    for (QuantParams yq : {pt(1.0f / 256, -128), pt(1.0f / 255, -128)}) {
      QGraph g;
      g.add("Softmax", {g.input(x)}, DataType::Int8, yq)->attrs["axis"] =
          Attribute::makeInt(axis);
      auto r = g.run();
      ASSERT_TRUE(r.isOk()) << r.error().message();
      FloatRef f;
      f.add("Softmax", {f.input(dequantize(x))})->attrs["axis"] =
          Attribute::makeInt(axis);
      double tol = yq.scale[0] == 1.0f / 256 ? 1.0 : 1.5;
      expectClose(*r, yq.scale[0], yq.zeroPoint[0], f.run(), tol,
                  "softmax axis " + std::to_string(axis));
    }
}

TEST(QActivationTest, PinnedLogisticAndTanh) {
  Tensor x = i8({8}, {-128, -20, -1, 0, 1, 5, 20, 127});
  const std::vector<int64_t> want{-128, -97, -6, 0, 6, 31, 97, 127};
  {
    QGraph g;
    g.add("Sigmoid", {g.input({x, pt(0.1f, 0)})}, DataType::Int8,
          pt(1.0f / 256, -128));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), want);
  }
  {
    // tanh(y) = 2 * logistic(2y) - 1: the same codes at half the scale.
    QGraph g;
    g.add("Tanh", {g.input({x, pt(0.05f, 0)})}, DataType::Int8,
          pt(1.0f / 128, 0));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), want);
  }
}

TEST(QActivationTest, PinnedHardSwishAndLeakyRelu) {
  Tensor x = i8({11}, {-128, -100, -60, -20, -1, 0, 1, 20, 60, 100, 127});
  {
    QGraph g;
    g.add("HardSwish", {g.input({x, pt(0.05f, 0)})}, DataType::Int8,
          pt(0.025f, -128));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{-128, -128, -128, -128, -128,
                                              -128, -127, -101, -8, 72, 126}));
  }
  {
    QGraph g;
    g.add("HardSwish", {g.input({x, pt(0.1f, 10)})}, DataType::Int8,
          pt(0.05f, 0));
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{0, 0, 0, 0, -7, -7, -6, 13, 100,
                                              127, 127}));
  }
  {
    QGraph g;
    g.add("LeakyRelu", {g.input({x, pt(0.05f, 0)})}, DataType::Int8,
          pt(0.04f, -20))
        ->attrs["alpha"] = Attribute::makeFloat(0.1f);
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(ints(*r), (std::vector<int64_t>{-36, -33, -28, -23, -20, -20,
                                              -19, 5, 55, 105, 127}));
  }
}

TEST(QActivationTest, ConsistencyAllTypes) {
  std::mt19937 rng(47);
  struct Case {
    const char *op;
    DataType t;
    QuantParams xq, yq;
    double tol;
  } cases[] = {
      {"Sigmoid", DataType::Int8, pt(0.06f, 5), pt(1.0f / 256, -128), 1.0},
      {"Sigmoid", DataType::Int8, pt(0.06f, 5), pt(1.0f / 255, -128), 0.5},
      {"Sigmoid", DataType::UInt8, pt(0.06f, 128), pt(1.0f / 256, 0), 0.5},
      {"Tanh", DataType::Int8, pt(0.03f, -3), pt(1.0f / 128, 0), 1.0},
      {"Tanh", DataType::UInt8, pt(0.03f, 120), pt(1.0f / 128, 128), 0.5},
      {"HardSwish", DataType::Int8, pt(0.05f, -10), pt(0.03f, -60), 1.0},
      {"HardSwish", DataType::UInt8, pt(0.08f, 100), pt(0.04f, 30), 1.0},
      {"LeakyRelu", DataType::Int8, pt(0.05f, 7), pt(0.03f, -40), 1.0},
      {"Relu", DataType::Int8, pt(0.05f, 7), pt(0.03f, -128), 1.0},
      {"Relu", DataType::UInt8, pt(0.05f, 130), pt(0.05f, 0), 1.0},
      {"Clip", DataType::Int8, pt(0.05f, 7), pt(0.02f, -128), 1.0},
  };
  for (const Case &c : cases) {
    QT x{randomInts(rng, c.t, {4, 64}), c.xq};
    QGraph g;
    FloatRef f;
    std::vector<Value *> qin{g.input(x)}, fin{f.input(dequantize(x))};
    if (std::string(c.op) == "Clip") {
      qin.push_back(g.constant(Tensor::scalar<float>(-1.0f)));
      qin.push_back(g.constant(Tensor::scalar<float>(2.5f)));
      fin.push_back(f.constant(Tensor::scalar<float>(-1.0f)));
      fin.push_back(f.constant(Tensor::scalar<float>(2.5f)));
    }
    Node *n = g.add(c.op, qin, c.t, c.yq);
    Node *fn = f.add(c.op, fin);
    if (std::string(c.op) == "LeakyRelu")
      for (Node *nd : {n, fn})
        nd->attrs["alpha"] = Attribute::makeFloat(0.2f);
    auto r = g.run();
    ASSERT_TRUE(r.isOk()) << c.op << ": " << r.error().message();
    expectClose(*r, c.yq.scale[0], c.yq.zeroPoint[0], f.run(), c.tol + 1e-6,
                std::string(c.op) + " " + std::string(dataTypeName(c.t)));
  }
}

TEST(QActivationTest, ExhaustiveLogisticTanhAgainstFloat) {
  // Every int8 input: the fixed-point kernels are within one output step.
  Tensor x(DataType::Int8, {256});
  for (int i = 0; i < 256; ++i)
    x.data<int8_t>()[i] = (int8_t)(i - 128);
  for (float scale : {0.005f, 0.03f, 0.1f, 0.5f})
    for (const char *op : {"Sigmoid", "Tanh"}) {
      bool sig = std::string(op) == "Sigmoid";
      QuantParams yq = sig ? pt(1.0f / 256, -128) : pt(1.0f / 128, 0);
      QT qx{x, pt(scale, -9)};
      QGraph g;
      g.add(op, {g.input(qx)}, DataType::Int8, yq);
      auto r = g.run();
      ASSERT_TRUE(r.isOk()) << r.error().message();
      FloatRef f;
      f.add(op, {f.input(dequantize(qx))});
      expectClose(*r, yq.scale[0], yq.zeroPoint[0], f.run(), 1.0,
                  std::string(op) + " scale " + std::to_string(scale));
    }
}

TEST(QActivationTest, NhwcAnnotationIsHandledAroundTheKernel) {
  // The interpreter transposes around integer kernels too.
  std::mt19937 rng(53);
  QT x{randomInts(rng, DataType::Int8, {1, 5, 6, 3}), pt(0.05f, 2)}; // NHWC
  QT w{randomInts(rng, DataType::Int8, {4, 3, 3, 3}, -127, 127),
       pc({0.01f, 0.02f, 0.03f, 0.04f}, 0)};
  QGraph g;
  Node *n = g.add("Conv", {g.input(x), g.constant(w)}, DataType::Int8,
                  pt(0.1f, 0));
  n->attrs[kLayoutAttr] = Attribute::makeString("NHWC");
  n->attrs["pads"] = Attribute::makeInts({1, 1, 1, 1});
  auto r = g.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(r->shape(), (TensorShape{1, 5, 6, 4}));
  FloatRef f;
  Tensor xf = permuteTensor(dequantize(x), toChannelsFirstPerm(4));
  f.add("Conv", {f.input(xf), f.constant(dequantize(w))})->attrs["pads"] =
      Attribute::makeInts({1, 1, 1, 1});
  Tensor ref = permuteTensor(f.run(), toChannelsLastPerm(4));
  expectClose(*r, 0.1f, 0, ref, 1.0, "nhwc conv");
}

} // namespace
} // namespace edgec::test
