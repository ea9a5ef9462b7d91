// insert-qdq, fold-qdq, the lookup-table and Max/Min integer kernels, the
// opset upgrade and the quantizer end to end, each checked against the
// float reference interpreter on the same inputs.
#include "interp/Interpreter.h"
#include "onnx/OnnxExporter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/OpsetUpgrade.h"
#include "passes/PassManager.h"
#include "passes/quant/QuantPlan.h"
#include "quant/AccuracyReport.h"
#include "quant/Quantizer.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

namespace edgec {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Model> parse(const std::string &text) {
  Expected<std::unique_ptr<Model>> m = importOnnxText(text, test::evaluating());
  EXPECT_TRUE(m.isOk()) << (m.isOk() ? "" : m.error().message());
  return m.isOk() ? m.take() : nullptr;
}

Tensor randomTensor(TensorShape shape, uint32_t seed, float lo = -1, float hi = 1) {
  Tensor t(DataType::Float32, std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  for (int64_t i = 0; i < t.numElements(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

std::vector<Tensor> run(const Model &m, const std::map<std::string, Tensor> &in) {
  Interpreter interp(m);
  Expected<std::vector<Tensor>> out = interp.run(in);
  EXPECT_TRUE(out.isOk()) << (out.isOk() ? "" : out.error().message());
  return out.isOk() ? *out : std::vector<Tensor>{};
}

int count(const Model &m, const std::string &op) {
  int c = 0;
  for (const auto &n : m.graph->nodes()) c += n->opType == op;
  return c;
}

Status runPasses(Model &m, const std::string &passes,
                 std::shared_ptr<const QuantPlan> plan = nullptr) {
  PassManagerOptions o;
  o.pass.quantPlan = std::move(plan);
  PassManager pm(o);
  EDGEC_TRY(pm.addPassList(passes));
  return pm.run(m);
}

const char *kCnn = R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[1,2,6,6] x) => (float[1,3] y) <float[4,2,3,3] w = {
  0.1, -0.2, 0.3, 0.05, 0.5, -0.4, 0.2, 0.1, -0.3, 0.25, -0.15, 0.35, 0.45, -0.05, 0.1, 0.2, -0.1, 0.3,
  -0.3, 0.2, 0.1, 0.4, -0.5, 0.05, 0.15, -0.25, 0.35, 0.1, 0.2, -0.3, 0.4, 0.05, -0.15, 0.25, 0.3, -0.2,
  0.02, -0.01, 0.03, 0.01, 0.02, -0.03, 0.01, 0.02, -0.01, 0.03, 0.01, -0.02, 0.01, 0.03, -0.02, 0.01, 0.02, 0.01,
  1.5, -1.2, 0.9, 1.1, -0.7, 0.8, 1.3, -1.4, 0.6, 0.9, 1.2, -1.1, 0.5, 0.7, -0.9, 1.0, -0.6, 0.4},
  float[4] b = {0.1, -0.2, 0.05, 0.3}, float[4,3] fw = {0.5, -0.3, 0.2, 0.1, 0.4, -0.5, -0.2, 0.3, 0.6, 0.3, -0.1, 0.2},
  float[3] fb = {0.01, -0.02, 0.03}, float[1] two = {2.0}> {
  c = Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1]> (x, w, b)
  r = Relu(c)
  h = HardSigmoid(r)
  a = Add(r, h)
  m = Max(a, two)
  p = GlobalAveragePool(m)
  f = Flatten(p)
  g = Gemm(f, fw, fb)
  y = Softmax(g)
}
)";

std::shared_ptr<QuantPlan> planFor(const Model &m, const std::vector<CalibSample> &s,
                                   DataType act = DataType::Int8) {
  Expected<CalibrationResult> cal = calibrate(m, s);
  EXPECT_TRUE(cal.isOk());
  auto plan = std::make_shared<QuantPlan>();
  plan->activationType = act;
  for (const auto &[name, h] : cal->tensors) {
    QuantRange r = chooseRange(h, CalibMethod::MinMax, 256);
    plan->ranges[name] = {r.lo, r.hi};
  }
  return plan;
}

std::vector<CalibSample> samples(int n, uint32_t seed = 7) {
  std::vector<CalibSample> s;
  for (int i = 0; i < n; ++i)
    s.push_back({{{"x", randomTensor({1, 2, 6, 6}, seed + (uint32_t)i)}}, "s" + std::to_string(i)});
  return s;
}

TEST(InsertQdqTest, QuantizesWeightsPerChannelAndBiasAsInt32) {
  auto m = parse(kCnn);
  ASSERT_TRUE(m);
  auto plan = planFor(*m, samples(4));
  ASSERT_TRUE(runPasses(*m, "insert-qdq,eliminate-dead-code", plan).isOk());
  // Conv: per-channel int8 weights (axis 0, zero point 0), int32 bias with
  // scale = input scale x weight scale.
  const Node *conv = nullptr;
  for (const auto &n : m->graph->nodes())
    if (n->opType == "Conv") conv = n.get();
  ASSERT_TRUE(conv);
  const Node *wdq = conv->input(1)->producer();
  ASSERT_TRUE(wdq && wdq->opType == "DequantizeLinear");
  EXPECT_EQ(wdq->input(0)->constant->dtype(), DataType::Int8);
  EXPECT_EQ(wdq->attr("axis")->i, 0);
  const Tensor &ws = *wdq->input(1)->constant;
  ASSERT_EQ(ws.numElements(), 4);
  // Channel 2 has weights 100x smaller than channel 3: its own scale.
  EXPECT_LT(ws.getDouble(2) * 20, ws.getDouble(3));
  EXPECT_NEAR(ws.getDouble(3), 1.5 / 127, 1e-7);
  const Node *bdq = conv->input(2)->producer();
  ASSERT_TRUE(bdq && bdq->opType == "DequantizeLinear");
  EXPECT_EQ(bdq->input(0)->constant->dtype(), DataType::Int32);
  const Node *xdq = conv->input(0)->producer();
  ASSERT_TRUE(xdq && xdq->opType == "DequantizeLinear");
  const double sx = xdq->input(1)->constant->getDouble(0);
  for (int c = 0; c < 4; ++c)
    EXPECT_FLOAT_EQ((float)bdq->input(1)->constant->getDouble(c), (float)(sx * ws.getDouble(c)));
  // Softmax output uses TFLite's fixed parameters 1/256, -128.
  const Value *y = m->graph->outputs[0];
  ASSERT_EQ(y->producer()->opType, "DequantizeLinear");
  EXPECT_FLOAT_EQ((float)y->producer()->input(1)->constant->getDouble(0), 1.0f / 256);
  EXPECT_EQ(y->producer()->input(2)->constant->getInt64(0), -128);
  // The QDQ model still computes the float function, within quantization
  // error.
  auto ref = parse(kCnn);
  std::map<std::string, Tensor> in{{"x", randomTensor({1, 2, 6, 6}, 99)}};
  std::vector<Tensor> a = run(*ref, in), b = run(*m, in);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(a[0].getDouble(i), b[0].getDouble(i), 0.03);
}

TEST(InsertQdqTest, KeepFloatAndMissingRangesLeaveNodesInFloat) {
  auto m = parse(kCnn);
  auto plan = planFor(*m, samples(2));
  plan->keepFloat = {"HardSigmoid"};
  plan->ranges.erase("p"); // GlobalAveragePool output: no range
  ASSERT_TRUE(runPasses(*m, "insert-qdq,eliminate-dead-code", plan).isOk());
  ASSERT_TRUE(runPasses(*m, "fold-qdq,eliminate-dead-code").isOk());
  int kept = 0;
  for (const auto &n : m->graph->nodes()) {
    if (n->opType == "HardSigmoid" || n->opType == "GlobalAveragePool") {
      ++kept;
      EXPECT_EQ(n->outputs[0]->type.dtype, DataType::Float32) << n->label();
      // Its float input comes from a DequantizeLinear of an integer value.
      const Node *p = n->input(0)->producer();
      ASSERT_TRUE(p) << n->label();
      EXPECT_EQ(p->opType, "DequantizeLinear") << n->label();
    } else if (n->opType == "Conv" || n->opType == "Gemm") {
      EXPECT_EQ(n->outputs[0]->type.dtype, DataType::Int8) << n->label();
    }
  }
  EXPECT_EQ(kept, 2);
  // The mixed graph runs and still approximates the float model.
  auto ref = parse(kCnn);
  std::map<std::string, Tensor> in{{"x", randomTensor({1, 2, 6, 6}, 11)}};
  std::vector<Tensor> a = run(*ref, in), b = run(*m, in);
  ASSERT_EQ(b.size(), 1u);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(a[0].getDouble(i), b[0].getDouble(i), 0.03);
}

TEST(InsertQdqTest, NeedsAPlanAndANewEnoughOpset) {
  auto m = parse(kCnn);
  Status s = runPasses(*m, "insert-qdq");
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("calibrated ranges"), std::string::npos);
  auto plan = planFor(*m, samples(1));
  plan->activationType = DataType::Int16; // needs opset 21
  s = runPasses(*m, "insert-qdq", plan);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("opset 21"), std::string::npos);
}

TEST(FoldQdqTest, IntegerGraphMatchesTheQdqGraphWithinOneStep) {
  auto m = parse(kCnn);
  auto plan = planFor(*m, samples(4));
  ASSERT_TRUE(runPasses(*m, "insert-qdq,eliminate-dead-code", plan).isOk());
  Expected<std::string> bytes = exportOnnxBytes(*m);
  ASSERT_TRUE(bytes.isOk());
  std::map<std::string, Tensor> in{{"x", randomTensor({1, 2, 6, 6}, 5)}};
  std::vector<Tensor> qdq = run(*m, in);
  ASSERT_TRUE(runPasses(*m, "fold-qdq,eliminate-dead-code").isOk());
  // Only the edges stay: one QuantizeLinear, one DequantizeLinear.
  EXPECT_EQ(count(*m, "QuantizeLinear"), 1);
  EXPECT_EQ(count(*m, "DequantizeLinear"), 1);
  for (const auto &n : m->graph->nodes()) {
    if (n->opType == "QuantizeLinear" || n->opType == "DequantizeLinear") continue;
    EXPECT_EQ(n->outputs[0]->type.dtype, DataType::Int8) << n->label();
    EXPECT_TRUE(n->outputs[0]->quant.has_value()) << n->label();
  }
  std::vector<Tensor> integer = run(*m, in);
  ASSERT_EQ(integer.size(), 1u);
  for (int i = 0; i < 3; ++i)
    EXPECT_LE(std::fabs(integer[0].getDouble(i) - qdq[0].getDouble(i)), 1.0 / 256 + 1e-6);
  // Folding is deterministic and leaves the exported QDQ bytes alone.
  auto again = parse(kCnn);
  ASSERT_TRUE(runPasses(*again, "insert-qdq,eliminate-dead-code", plan).isOk());
  EXPECT_EQ(*exportOnnxBytes(*again), *bytes);
}

TEST(FoldQdqTest, LowersQLinearConv) {
  auto m = parse(R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (uint8[1,1,3,3] x) => (uint8[1,2,3,3] y) <float xs = {0.1}, uint8 xz = {128}, uint8[2,1,1,1] w = {140, 100},
   float ws = {0.02}, uint8 wz = {128}, float ys = {0.05}, uint8 yz = {120}, int32[2] b = {50, -30}> {
  y = QLinearConv(x, xs, xz, w, ws, wz, ys, yz, b)
}
)");
  ASSERT_TRUE(m);
  Tensor x(DataType::UInt8, {1, 1, 3, 3});
  for (int i = 0; i < 9; ++i) x.data<uint8_t>()[i] = (uint8_t)(i * 29);
  std::vector<Tensor> ref = run(*m, {{"x", x}});
  ASSERT_TRUE(runPasses(*m, "fold-qdq").isOk());
  EXPECT_EQ(count(*m, "QLinearConv"), 0);
  ASSERT_EQ(count(*m, "Conv"), 1);
  std::vector<Tensor> got = run(*m, {{"x", x}});
  ASSERT_EQ(got.size(), 1u);
  // ONNX rounds the float result, the integer kernel uses TFLite's
  // fixed-point rescale: the same or one step apart.
  for (int64_t i = 0; i < ref[0].numElements(); ++i)
    EXPECT_LE(std::abs(got[0].getInt64(i) - ref[0].getInt64(i)), 1) << i;
}

TEST(LookupTableKernelTest, HardSigmoidAndPowMatchQuantizedFloatFunction) {
  auto m = parse(R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[256] x) => (float[256] y, float[256] p) <float s = {0.05}, int8 z = {-3}, float so = {0.004}, int8 zo = {-128},
   float sp = {0.2}, int8 zp = {-128}, float two = {2.0}> {
  xq = QuantizeLinear(x, s, z)
  xd = DequantizeLinear(xq, s, z)
  h = HardSigmoid <alpha = 0.2, beta = 0.5> (xd)
  hq = QuantizeLinear(h, so, zo)
  y = DequantizeLinear(hq, so, zo)
  pw = Pow(xd, two)
  pq = QuantizeLinear(pw, sp, zp)
  p = DequantizeLinear(pq, sp, zp)
}
)");
  ASSERT_TRUE(m);
  Tensor x(DataType::Float32, {256});
  for (int i = 0; i < 256; ++i) x.data<float>()[i] = 0.05f * (float)(i - 128 + 3);
  std::vector<Tensor> ref = run(*m, {{"x", x}});
  ASSERT_TRUE(runPasses(*m, "fold-qdq,eliminate-dead-code").isOk());
  EXPECT_EQ(count(*m, "QuantizeLinear"), 1);
  std::vector<Tensor> got = run(*m, {{"x", x}});
  ASSERT_EQ(got.size(), 2u);
  // Every representable input: the entry is quantize(f(dequantize)) with
  // TFLite's std::round (ties away from zero; ONNX QuantizeLinear rounds
  // ties to even, which the test input hits on purpose).
  for (int i = 0; i < 256; ++i) {
    const float dq = 0.05f * (float)(i - 128 + 3);
    const float h = std::min(1.0f, std::max(0.0f, 0.2f * dq + 0.5f));
    const float qh = std::clamp(std::round(h * (1 / 0.004f)) - 128.0f, -128.0f, 127.0f);
    EXPECT_FLOAT_EQ((float)got[0].getDouble(i), 0.004f * (qh + 128)) << i;
    const float qp = std::clamp(std::round(dq * dq * (1 / 0.2f)) - 128.0f, -128.0f, 127.0f);
    EXPECT_FLOAT_EQ((float)got[1].getDouble(i), 0.2f * (qp + 128)) << i;
    EXPECT_LE(std::fabs(got[0].getDouble(i) - ref[0].getDouble(i)), 0.004 + 1e-6) << i;
  }
}

TEST(MinMaxKernelTest, RequantizesInputsToTheOutputParameters) {
  auto m = parse(R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[8] a, float[8] b) => (float[8] y, float[8] n) <float sa = {0.02}, int8 za = {5}, float sb = {0.03}, int8 zb = {-7},
   float so = {0.025}, int8 zo = {0}> {
  aq = QuantizeLinear(a, sa, za)
  ad = DequantizeLinear(aq, sa, za)
  bq = QuantizeLinear(b, sb, zb)
  bd = DequantizeLinear(bq, sb, zb)
  mx = Max(ad, bd)
  mq = QuantizeLinear(mx, so, zo)
  y = DequantizeLinear(mq, so, zo)
  mn = Min(ad, bd)
  nq = QuantizeLinear(mn, so, zo)
  n = DequantizeLinear(nq, so, zo)
}
)");
  ASSERT_TRUE(m);
  std::map<std::string, Tensor> in{{"a", randomTensor({8}, 1, -2, 2)},
                                   {"b", randomTensor({8}, 2, -2, 2)}};
  std::vector<Tensor> ref = run(*m, in);
  ASSERT_TRUE(runPasses(*m, "fold-qdq,eliminate-dead-code").isOk());
  EXPECT_EQ(count(*m, "DequantizeLinear"), 2);
  std::vector<Tensor> got = run(*m, in);
  for (int i = 0; i < 8; ++i) {
    EXPECT_LE(std::fabs(got[0].getDouble(i) - ref[0].getDouble(i)), 0.025 + 1e-6);
    EXPECT_LE(std::fabs(got[1].getDouble(i) - ref[1].getDouble(i)), 0.025 + 1e-6);
  }
}

TEST(OpsetUpgradeTest, MovesAttributesToInputsAndKeepsResults) {
  const char *text = R"(<
  ir_version: 5,
  opset_import: ["" : 9]
>
g (float[1,3,2,2] x) => (float[1,12] y, float[3,2,2] q) {
  c = Clip <min = -0.5, max = 0.7> (x)
  p = Pad <pads = [0, 0, 1, 0, 0, 0, 0, 1], value = 0.25> (c)
  f = Flatten(p)
  s = Slice <starts = [0], ends = [12], axes = [1]> (f)
  y = Softmax <axis = 1> (s)
  q = Squeeze <axes = [0]> (x)
}
)";
  auto a = parse(text), b = parse(text);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(upgradeOpset(*b, 13).isOk());
  EXPECT_EQ(b->defaultOpset(), 13);
  for (const auto &n : b->graph->nodes()) {
    EXPECT_EQ(n->opsetVersion, 13);
    EXPECT_EQ(n->attr("min"), nullptr);
    EXPECT_EQ(n->attr("pads"), nullptr);
    EXPECT_EQ(n->attr("starts"), nullptr);
  }
  std::map<std::string, Tensor> in{{"x", randomTensor({1, 3, 2, 2}, 3)}};
  std::vector<Tensor> ra = run(*a, in), rb = run(*b, in);
  ASSERT_EQ(ra.size(), 2u);
  ASSERT_EQ(rb.size(), 2u);
  EXPECT_TRUE(ra[0].identical(rb[0]));
  EXPECT_TRUE(ra[1].identical(rb[1]));
  // The upgraded model round-trips through the exporter.
  EXPECT_TRUE(exportOnnxBytes(*b).isOk());
}

TEST(OpsetUpgradeTest, RefusesAFlatteningSoftmaxItCannotExpress) {
  auto m = parse(R"(<
  ir_version: 5,
  opset_import: ["" : 9]
>
g (float[2,3,4] x) => (float[2,3,4] y) {
  y = Softmax <axis = 1> (x)
}
)");
  ASSERT_TRUE(m);
  Status s = upgradeOpset(*m, 13);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.error().code(), ErrorCode::Unsupported);
  EXPECT_NE(s.error().message().find("Softmax"), std::string::npos);
}

TEST(QuantizerTest, QuantizesEndToEndWithAReport) {
  fs::path dir = fs::temp_directory_path() / "edgec-quantizer-test";
  fs::create_directories(dir);
  fs::path model = dir / "cnn.onnxtxt";
  std::ofstream(model) << kCnn;
  QuantizeOptions o;
  Expected<QuantizeResult> r = quantizeModel(model.string(), samples(8), o);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_FALSE(r->qdqBytes.empty());
  EXPECT_GE(r->quantizedNodes, 7);
  EXPECT_TRUE(r->floatNodes.empty());
  Expected<AccuracyReport> acc = compareModels(*r->floatModel, *r->integerModel, samples(4, 100));
  ASSERT_TRUE(acc.isOk()) << acc.error().message();
  EXPECT_EQ(acc->samples, 4);
  ASSERT_EQ(acc->outputs.size(), 1u);
  EXPECT_GT(acc->outputs[0].error.snrDb(), 20);
  EXPECT_GT(acc->outputs[0].error.cosine(), 0.99);
  ASSERT_TRUE(acc->outputs[0].top1Agreement.has_value());
  EXPECT_GE(acc->layers.size(), 7u);
  for (const LayerAccuracy &l : acc->layers) {
    EXPECT_GT(l.error.snrDb(), 15) << l.node;
    EXPECT_GT(l.scale, 0) << l.node;
  }
  // The same inputs and options give the same bytes.
  Expected<QuantizeResult> r2 = quantizeModel(model.string(), samples(8), o);
  ASSERT_TRUE(r2.isOk());
  EXPECT_EQ(r->qdqBytes, r2->qdqBytes);
  // The text report names every layer; the JSON has the same numbers.
  std::string text = formatReport(*acc);
  for (const LayerAccuracy &l : acc->layers) EXPECT_NE(text.find(l.node), std::string::npos);
  EXPECT_NE(reportJson(*acc).dump().find("\"snr_db\""), std::string::npos);
  fs::remove_all(dir);
}

TEST(QuantizerTest, Int16ActivationsUpgradeToOpset21) {
  fs::path dir = fs::temp_directory_path() / "edgec-quantizer-test16";
  fs::create_directories(dir);
  fs::path model = dir / "cnn.onnxtxt";
  std::ofstream(model) << kCnn;
  QuantizeOptions o;
  o.activations = DataType::Int16;
  Expected<QuantizeResult> r = quantizeModel(model.string(), samples(8), o);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(r->integerModel->defaultOpset(), 21);
  bool sawInt16 = false;
  for (const auto &n : r->integerModel->graph->nodes())
    if (n->opType == "Conv") sawInt16 = n->outputs[0]->type.dtype == DataType::Int16;
  EXPECT_TRUE(sawInt16);
  Expected<AccuracyReport> acc = compareModels(*r->floatModel, *r->integerModel, samples(4, 50));
  ASSERT_TRUE(acc.isOk()) << acc.error().message();
  // 16-bit activations lose far less than 8-bit ones.
  EXPECT_GT(acc->outputs[0].error.snrDb(), 30);
  fs::remove_all(dir);
}

TEST(QuantizerTest, MixedPrecisionKeepsSensitiveLayersInFloatUntilTheTarget) {
  fs::path dir = fs::temp_directory_path() / "edgec-quantizer-test-mp";
  fs::create_directories(dir);
  fs::path model = dir / "cnn.onnxtxt";
  std::ofstream(model) << kCnn;
  QuantizeOptions o;
  std::vector<CalibSample> eval = samples(4, 300);
  Expected<QuantizeResult> plain = quantizeModel(model.string(), samples(8), o);
  ASSERT_TRUE(plain.isOk());
  Expected<AccuracyReport> a0 = compareModels(*plain->floatModel, *plain->integerModel, eval);
  ASSERT_TRUE(a0.isOk());
  const double snr0 = a0->outputs[0].error.snrDb();
  // A target a little above the all-int8 SNR: reached by keeping some
  // layers in float (all of them in float would be exact), each step
  // recorded. `eval` is the tuning set here: the search sees only it.
  PrecisionTarget t;
  t.minSnrDb = snr0 + 3;
  ASSERT_GE((int)eval.size(), 1);
  ASSERT_LE((int)eval.size(), t.trialSamples); // the SNR goal sees every sample
  Expected<MixedPrecisionResult> mp =
      quantizeToTarget(model.string(), samples(8), eval, o, t);
  ASSERT_TRUE(mp.isOk()) << mp.error().message();
  ASSERT_FALSE(mp->steps.empty());
  EXPECT_GE(mp->result.floatNodes.size(), mp->steps.size());
  ASSERT_TRUE(mp->met) << "SNR " << mp->snrDb << " dB after " << mp->steps.size()
                       << " steps, target " << t.minSnrDb;
  EXPECT_GE(mp->snrDb, t.minSnrDb);
  EXPECT_GT(mp->snrDb, snr0);
  // The last step's SNR is the result's.
  EXPECT_EQ(mp->steps.back().snrAfter, mp->snrDb);
  // A target already met changes nothing.
  t.minSnrDb = 1;
  Expected<MixedPrecisionResult> easy = quantizeToTarget(model.string(), samples(8), eval, o, t);
  ASSERT_TRUE(easy.isOk());
  EXPECT_TRUE(easy->met);
  EXPECT_TRUE(easy->steps.empty());
  EXPECT_EQ(easy->result.qdqBytes, plain->qdqBytes);
  // An accuracy goal: labels are the float model's own top-1, so float is
  // 100% and a 0-point goal means every tuning sample keeps its class (at
  // worst with every layer in float: the goal can always be met).
  auto ref = parse(kCnn);
  std::map<std::string, int64_t> labels;
  for (const CalibSample &c : eval) {
    std::vector<Tensor> out = run(*ref, c.inputs);
    int64_t best = 0;
    for (int64_t k = 1; k < 3; ++k)
      if (out[0].getDouble(k) > out[0].getDouble(best)) best = k;
    labels[sampleKey(c)] = best;
  }
  PrecisionTarget acc;
  acc.maxAccuracyDrop = 0;
  acc.labels = &labels;
  Expected<MixedPrecisionResult> am = quantizeToTarget(model.string(), samples(8), eval, o, acc);
  ASSERT_TRUE(am.isOk()) << am.error().message();
  ASSERT_TRUE(am->met) << am->accuracyDrop << " points below float after "
                       << am->steps.size() << " steps";
  EXPECT_LE(am->accuracyDrop, 0.0);
  for (const CalibSample &c : eval) {
    std::vector<Tensor> out = run(*am->result.integerModel, c.inputs);
    ASSERT_EQ(out.size(), 1u);
    int64_t best = 0;
    for (int64_t k = 1; k < 3; ++k)
      if (out[0].getDouble(k) > out[0].getDouble(best)) best = k;
    EXPECT_EQ(best, labels[sampleKey(c)]) << c.source;
  }
  // Labels that match no sample are an error, not a silent success.
  std::map<std::string, int64_t> none{{"no-such-sample", 0}};
  acc.labels = &none;
  Expected<MixedPrecisionResult> bad = quantizeToTarget(model.string(), samples(8), eval, o, acc);
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput);
  fs::remove_all(dir);
}

TEST(QuantizerTest, TuningAndHeldOutSamplesAreDisjoint) {
  const std::vector<CalibSample> eval = samples(10, 400);
  Expected<TuningSplit> s = splitForTuning(eval, 3);
  ASSERT_TRUE(s.isOk()) << s.error().message();
  EXPECT_EQ(s->tuneIndices, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(s->heldOutIndices, (std::vector<int>{3, 4, 5, 6, 7, 8, 9}));
  ASSERT_EQ(s->tune.size(), 3u);
  ASSERT_EQ(s->heldOut.size(), 7u);
  // Every sample is in exactly one part, and the parts hold the samples
  // their indices name.
  std::set<std::string> tuned, held;
  for (size_t i = 0; i < s->tune.size(); ++i) {
    EXPECT_EQ(s->tune[i].source, eval[(size_t)s->tuneIndices[i]].source);
    tuned.insert(s->tune[i].source);
  }
  for (size_t i = 0; i < s->heldOut.size(); ++i) {
    EXPECT_EQ(s->heldOut[i].source, eval[(size_t)s->heldOutIndices[i]].source);
    EXPECT_EQ(tuned.count(s->heldOut[i].source), 0u) << s->heldOut[i].source;
    held.insert(s->heldOut[i].source);
  }
  EXPECT_EQ(tuned.size() + held.size(), eval.size());
  // Nothing held out, or nothing to tune on: an error, not a silent
  // evaluation on the tuning data.
  for (int bad : {0, -1, 10, 11}) {
    Expected<TuningSplit> e = splitForTuning(eval, bad);
    ASSERT_FALSE(e.isOk()) << bad;
    EXPECT_EQ(e.error().code(), ErrorCode::Usage);
  }
  // Defaults: 8 for an SNR goal, half for an accuracy goal, never more
  // than half.
  EXPECT_EQ(defaultTuneSamples(100, false), 8);
  EXPECT_EQ(defaultTuneSamples(100, true), 50);
  EXPECT_EQ(defaultTuneSamples(10, false), 5);
  EXPECT_EQ(defaultTuneSamples(1, false), 0); // then splitForTuning refuses
}

TEST(AccuracyReportTest, LabelsFileErrorsNameTheLine) {
  fs::path f = fs::temp_directory_path() / "edgec-labels-test.txt";
  std::ofstream(f) << "# comment\na 0\nb x\n";
  Expected<std::map<std::string, int64_t>> l = loadLabels(f.string());
  ASSERT_FALSE(l.isOk());
  EXPECT_NE(l.error().message().find(":3:"), std::string::npos);
  std::ofstream(f) << "a 0\nb 1\n";
  l = loadLabels(f.string());
  ASSERT_TRUE(l.isOk());
  EXPECT_EQ(l->at("b"), 1);
  fs::remove(f);
}

} // namespace
} // namespace edgec
