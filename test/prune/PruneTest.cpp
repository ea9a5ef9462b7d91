// edgec prune: magnitude pruning (exact sparsity, global vs per layer,
// biases untouched), channel pruning (smallest-norm channels removed,
// consumers updated through BatchNorm, depthwise Conv, Add groups, Concat,
// SE blocks and Flatten->Gemm; blocked channels left alone; unchanged graphs
// when nothing applies) and the key check that a channel-pruned model
// computes what the original computes once the removed channels are zero.
#include "interp/ConstantEvaluation.h"
#include "prune/Evaluate.h"
#include "prune/Prune.h"

#include "analysis/ModelStats.h"
#include "interp/Interpreter.h"
#include "shape/ShapeInference.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "onnx/OnnxExporter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TestCase.h"
#include "passes/PassManager.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace edgec {
namespace {

namespace fs = std::filesystem;

/// Builds small float models programmatically (random weights, fixed seed).
struct Builder {
  std::unique_ptr<Model> m = std::make_unique<Model>();
  uint32_t state = 7;
  int counter = 0;
  Builder() {
    m->opsets[""] = 13;
    m->irVersion = 8;
  }
  Graph &g() { return *m->graph; }
  float rnd() {
    state = state * 1664525u + 1013904223u;
    return ((float)(state >> 8) / (float)(1u << 24)) * 2.0f - 1.0f;
  }
  Value *input(const std::string &name, TensorShape s) {
    return g().addInput(name, TensorType(DataType::Float32, s));
  }
  Tensor random(TensorShape s, float scale = 1.0f) {
    Tensor t(DataType::Float32, s);
    for (int64_t i = 0; i < t.numElements(); ++i) t.data<float>()[i] = rnd() * scale;
    return t;
  }
  Value *weight(TensorShape s, float scale = 1.0f) {
    return g().addInitializer("w" + std::to_string(counter++), random(s, scale));
  }
  Value *constant(Tensor t) {
    return g().addInitializer("k" + std::to_string(counter++), std::move(t));
  }
  Value *node(const std::string &op, std::vector<Value *> ins,
              std::map<std::string, Attribute> attrs = {}, std::string name = {}) {
    if (name.empty()) name = op + "_" + std::to_string(counter++);
    Value *out = g().addValue(name + "_out");
    Node *n = g().addNode(op, std::move(ins), {out}, name);
    n->opsetVersion = 13;
    n->attrs = std::move(attrs);
    return out;
  }
  Value *conv(Value *x, int64_t cout, int64_t cin, int64_t k, const std::string &name,
              int64_t group = 1, bool bias = true) {
    std::map<std::string, Attribute> a;
    if (k > 1) a["pads"] = Attribute::makeInts({k / 2, k / 2, k / 2, k / 2});
    if (group != 1) a["group"] = Attribute::makeInt(group);
    std::vector<Value *> ins{x, weight({cout, cin / group, k, k})};
    if (bias) ins.push_back(weight({cout}, 0.1f));
    return node("Conv", ins, a, name);
  }
  void output(Value *v) { g().outputs.push_back(v); }
  std::unique_ptr<Model> finish() {
    EXPECT_TRUE(inferShapes(*m, interpreterShapeInference()).isOk());
    Status s = verifyGraph(*m->graph);
    EXPECT_TRUE(s.isOk()) << s.error().message();
    return std::move(m);
  }
};

std::map<std::string, Tensor> randomInputs(const Model &m, uint32_t seed = 99) {
  std::map<std::string, Tensor> r;
  uint32_t state = seed;
  for (const Value *v : m.graph->inputs) {
    if (v->isInitializer()) continue;
    Tensor t(v->type.dtype, v->type.staticShape());
    for (int64_t i = 0; i < t.numElements(); ++i) {
      state = state * 1664525u + 1013904223u;
      t.setDouble(i, ((double)(state >> 8) / (double)(1u << 24)) * 2.0 - 1.0);
    }
    r[v->name] = t;
  }
  return r;
}

std::vector<Tensor> runModel(const Model &m, const std::map<std::string, Tensor> &in) {
  Interpreter it(m);
  auto r = it.run(in);
  EXPECT_TRUE(r.isOk()) << r.error().message();
  return r.isOk() ? *r : std::vector<Tensor>{};
}

std::unique_ptr<Model> cloneModel(const Model &m) {
  auto bytes = exportOnnxBytes(m);
  EXPECT_TRUE(bytes.isOk()) << bytes.error().message();
  onnx::ModelProto mp;
  EXPECT_TRUE(mp.ParseFromString(*bytes));
  auto r = importOnnxProto(mp, "", test::evaluating());
  EXPECT_TRUE(r.isOk()) << r.error().message();
  return std::move(*r);
}

/// The exported bytes (data included): equal bytes, equal models.
std::string fingerprint(const Model &m) {
  auto b = exportOnnxBytes(m);
  EXPECT_TRUE(b.isOk());
  return b.isOk() ? *b : std::string();
}

const Value *findConst(const Model &m, const std::string &node, int input) {
  for (const auto &n : m.graph->nodes())
    if (n->name == node) return n->input(input);
  return nullptr;
}
const Node *findNode(const Model &m, const std::string &name) {
  for (const auto &n : m.graph->nodes())
    if (n->name == name) return n.get();
  return nullptr;
}

/// The report row of layer `name` (null when the report has none: callers
/// ASSERT it, so a missing row fails instead of checking nothing).
const PruneLayer *findLayer(const PruneResult &r, const std::string &name) {
  for (const PruneLayer &L : r.layers)
    if (L.name == name) return &L;
  return nullptr;
}

PruneOptions channelOpts(double s) {
  PruneOptions o;
  o.method = PruneMethod::Channel;
  o.sparsity = s;
  return o;
}

/// Filters scaled so that their L1 norms rank as `scales` does.
Value *scaledConvWeight(Builder &b, int64_t cout, int64_t cin, int64_t k,
                        const std::vector<float> &scales) {
  Tensor t(DataType::Float32, {cout, cin, k, k});
  int64_t per = cin * k * k;
  for (int64_t c = 0; c < cout; ++c)
    for (int64_t i = 0; i < per; ++i)
      t.data<float>()[c * per + i] = scales[c] * (0.5f + 0.5f * std::fabs(b.rnd()));
  return b.constant(t);
}

/// The given indices of `t` along axis 0 or 1, for comparing slices.
Tensor keep(const Tensor &t, int axis, std::vector<int64_t> kept) {
  std::vector<int64_t> removed;
  for (int64_t i = 0; i < t.dim(axis); ++i)
    if (std::find(kept.begin(), kept.end(), i) == kept.end()) removed.push_back(i);
  return removeIndicesAlong(t, axis, removed);
}

// ---------------------------------------------------------------- magnitude

std::unique_ptr<Model> twoLayerModel() {
  Builder b;
  Value *x = b.input("x", {1, 2, 4, 4});
  Tensor w = Tensor::fromVector<float>({2, 2, 1, 1}, {0.1f, -4.0f, 0.3f, 2.0f});
  Value *c = b.node("Conv", {x, b.constant(w), b.constant(Tensor::fromVector<float>({2}, {0.0f, 0.01f}))}, {}, "conv");
  Value *f = b.node("Flatten", {c}, {}, "flat");
  Tensor gw = Tensor::fromVector<float>(
      {32, 2}, std::vector<float>(64, 1.0f));
  for (int i = 0; i < 64; ++i) gw.data<float>()[i] = (float)(i + 1) / 8.0f; // 0.125 .. 8
  Value *y = b.node("Gemm", {f, b.constant(gw)}, {}, "fc");
  b.output(y);
  return b.finish();
}

TEST(PruneMagnitudeTest, GlobalZeroesExactlyTheSmallestWeights) {
  auto m = twoLayerModel();
  PruneOptions o;
  o.sparsity = 0.5; // 68 weights -> 34 zeros
  auto r = pruneModel(*m, o);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ(r->layers.size(), 2u);
  EXPECT_EQ(r->layers[0].weightElements + r->layers[1].weightElements, 68);
  EXPECT_EQ(r->layers[0].zerosAfter + r->layers[1].zerosAfter, 34);
  // The 34 smallest magnitudes: conv's 0.1, 0.3, 2 and gemm's 1/8 .. 31/8.
  const Tensor &cw = *findConst(*m, "conv", 1)->constant;
  EXPECT_EQ(cw.data<float>()[0], 0.0f);
  EXPECT_EQ(cw.data<float>()[1], -4.0f);
  EXPECT_EQ(cw.data<float>()[2], 0.0f);
  EXPECT_EQ(cw.data<float>()[3], 0.0f);
  const Tensor &gw = *findConst(*m, "fc", 1)->constant;
  for (int i = 0; i < 64; ++i)
    EXPECT_EQ(gw.data<float>()[i], i < 31 ? 0.0f : (float)(i + 1) / 8.0f) << i;
  // Biases are never pruned.
  EXPECT_EQ(findConst(*m, "conv", 2)->constant->data<float>()[1], 0.01f);
  EXPECT_EQ(r->weightsZeroed, 34);
}

TEST(PruneMagnitudeTest, PerLayerPrunesEachLayerToTheSparsity) {
  auto m = twoLayerModel();
  PruneOptions o;
  o.sparsity = 0.75;
  o.perLayer = true;
  auto r = pruneModel(*m, o);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(r->layers[0].zerosAfter, 3); // floor(0.75 * 4)
  EXPECT_EQ(r->layers[1].zerosAfter, 48);
  const Tensor &cw = *findConst(*m, "conv", 1)->constant;
  EXPECT_EQ(cw.data<float>()[1], -4.0f);
  EXPECT_EQ(cw.data<float>()[3], 0.0f);
}

TEST(PruneMagnitudeTest, LayersSelectAndSparsityZeroChangesNothing) {
  auto m = twoLayerModel();
  std::string before = fingerprint(*m);
  PruneOptions o;
  o.sparsity = 0.0;
  ASSERT_TRUE(pruneModel(*m, o).isOk());
  EXPECT_EQ(fingerprint(*m), before);
  o.sparsity = 0.5;
  o.layers = {"conv"};
  auto r = pruneModel(*m, o);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->layers[0].zerosAfter, 2);
  EXPECT_EQ(r->layers[1].zerosAfter, 0);
  EXPECT_FALSE(r->layers[1].selected);
}

TEST(PruneMagnitudeTest, BadOptionsAreUsageErrors) {
  auto m = twoLayerModel();
  for (double s : {1.0, -0.1, 1.5, std::nan("")}) {
    PruneOptions o;
    o.sparsity = s;
    auto r = pruneModel(*m, o);
    ASSERT_FALSE(r.isOk());
    EXPECT_EQ(r.error().code(), ErrorCode::Usage);
    EXPECT_NE(r.error().message().find("--sparsity"), std::string::npos);
  }
  PruneOptions o;
  o.layers = {"nope"};
  auto r = pruneModel(*m, o);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::Usage);
  EXPECT_EQ(r.error().message(), "--layers: unknown layer 'nope'");
  o.layers = {"flat"};
  r = pruneModel(*m, o);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("'flat' (Flatten) has no weights"), std::string::npos);
}

TEST(PruneMagnitudeTest, PrunedModelStillRunsAndExports) {
  auto m = twoLayerModel();
  PruneOptions o;
  o.sparsity = 0.5;
  ASSERT_TRUE(pruneModel(*m, o).isOk());
  EXPECT_TRUE(verifyGraph(*m->graph).isOk());
  auto c = cloneModel(*m);
  auto out = runModel(*c, randomInputs(*c));
  EXPECT_EQ(out.size(), 1u);
}

// ------------------------------------------------------------------ channel

TEST(PruneChannelTest, RemovesSmallestL1FiltersAndConsumersInputs) {
  Builder b;
  Value *x = b.input("x", {1, 3, 6, 6});
  Value *w1 = scaledConvWeight(b, 4, 3, 3, {3.0f, 0.5f, 2.0f, 0.1f});
  Value *c1 = b.node("Conv", {x, w1, b.weight({4})},
                     {{"pads", Attribute::makeInts({1, 1, 1, 1})}}, "c1");
  Value *r = b.node("Relu", {c1}, {}, "r");
  Value *c2 = b.conv(r, 5, 4, 1, "c2");
  b.output(c2);
  auto m = b.finish();
  Tensor w1o = m->graph->findValue(w1->name)->constant->clone();
  Tensor b1o = *findConst(*m, "c1", 2)->constant;
  Tensor w2o = *findConst(*m, "c2", 1)->constant;
  auto res = pruneModel(*m, channelOpts(0.5));
  ASSERT_TRUE(res.isOk()) << res.error().message();
  EXPECT_EQ(res->channelsRemoved, 2);
  // Filters 1 and 3 (norms 0.5, 0.1) go; c2 loses the same input channels.
  EXPECT_TRUE(findConst(*m, "c1", 1)->constant->identical(keep(w1o, 0, {0, 2})));
  EXPECT_TRUE(findConst(*m, "c1", 2)->constant->identical(keep(b1o, 0, {0, 2})));
  EXPECT_TRUE(findConst(*m, "c2", 1)->constant->identical(keep(w2o, 1, {0, 2})));
  // c2 feeds the graph output: its 5 channels stay.
  EXPECT_EQ(findConst(*m, "c2", 1)->constant->dim(0), 5);
  EXPECT_EQ(m->graph->outputs[0]->type.str(), "f32[1,5,6,6]");
  EXPECT_EQ(findNode(*m, "r")->outputs[0]->type.str(), "f32[1,2,6,6]");
  EXPECT_TRUE(verifyGraph(*m->graph).isOk());
  // Report: c1 8 -> 2 out channels ... and a note on c2.
  const PruneLayer *c1Row = findLayer(*res, "c1");
  ASSERT_NE(c1Row, nullptr);
  EXPECT_EQ(c1Row->outChannelsBefore, 4);
  EXPECT_EQ(c1Row->outChannelsAfter, 2);
  EXPECT_EQ(c1Row->paramsBefore, 4 * 27 + 4);
  EXPECT_EQ(c1Row->paramsAfter, 2 * 27 + 2);
  ASSERT_TRUE(c1Row->macsBefore && c1Row->macsAfter);
  EXPECT_EQ(*c1Row->macsAfter * 2, *c1Row->macsBefore);
  const PruneLayer *c2Row = findLayer(*res, "c2");
  ASSERT_NE(c2Row, nullptr);
  EXPECT_EQ(c2Row->inChannelsAfter, 2);
  EXPECT_NE(c2Row->note.find("graph output"), std::string::npos) << c2Row->note;
}

TEST(PruneChannelTest, L2NormCanRankDifferently) {
  // Filter 0: many small weights (large L1, small L2); filter 1: one big one.
  Builder b;
  Value *x = b.input("x", {1, 4, 3, 3});
  Tensor w(DataType::Float32, {2, 4, 1, 1});
  float v[8] = {1, 1, 1, 1, 2.5f, 0, 0, 0};
  for (int i = 0; i < 8; ++i) w.data<float>()[i] = v[i];
  Value *c1 = b.node("Conv", {x, b.constant(w)}, {}, "c1");
  b.output(b.conv(c1, 3, 2, 1, "c2"));
  for (PruneNorm n : {PruneNorm::L1, PruneNorm::L2}) {
    Builder copy;
    auto m = cloneModel(*b.m);
    ASSERT_TRUE(inferShapes(*m, interpreterShapeInference()).isOk());
    PruneOptions o = channelOpts(0.5);
    o.norm = n;
    ASSERT_TRUE(pruneModel(*m, o).isOk());
    const Tensor &k = *findConst(*m, "c1", 1)->constant;
    ASSERT_EQ(k.dim(0), 1);
    // L1: 4 vs 2.5 -> keep filter 0; L2: 2 vs 2.5 -> keep filter 1.
    EXPECT_EQ(k.data<float>()[0], n == PruneNorm::L1 ? 1.0f : 2.5f);
  }
}

TEST(PruneChannelTest, BatchNormAndDepthwiseFollowTheirInput) {
  Builder b;
  Value *x = b.input("x", {1, 3, 6, 6});
  Value *c1 = b.node("Conv", {x, scaledConvWeight(b, 4, 3, 1, {0.2f, 1.0f, 0.1f, 2.0f})},
                     {}, "c1");
  Value *bn = b.node("BatchNormalization",
                     {c1, b.constant(Tensor::fromVector<float>({4}, {1, 2, 3, 4})),
                      b.constant(Tensor::fromVector<float>({4}, {5, 6, 7, 8})),
                      b.constant(Tensor::fromVector<float>({4}, {0.1f, 0.2f, 0.3f, 0.4f})),
                      b.constant(Tensor::fromVector<float>({4}, {1, 1.5f, 2, 2.5f}))},
                     {}, "bn");
  Value *dw = b.conv(b.node("Relu", {bn}), 4, 4, 3, "dw", 4);
  Value *c2 = b.conv(dw, 2, 4, 1, "c2");
  b.output(c2);
  auto m = b.finish();
  auto res = pruneModel(*m, channelOpts(0.5));
  ASSERT_TRUE(res.isOk()) << res.error().message();
  // Channels 0 and 2 go: BN keeps {2, 4}, {6, 8}, ...
  const Node *bnN = findNode(*m, "bn");
  EXPECT_EQ(bnN->input(1)->constant->toDoubleVector(), (std::vector<double>{2, 4}));
  EXPECT_EQ(bnN->input(2)->constant->toDoubleVector(), (std::vector<double>{6, 8}));
  EXPECT_NEAR(bnN->input(3)->constant->getDouble(1), 0.4, 1e-6);
  EXPECT_EQ(bnN->input(4)->constant->toDoubleVector(), (std::vector<double>{1.5, 2.5}));
  const Node *dwN = findNode(*m, "dw");
  EXPECT_EQ(dwN->attr("group")->i, 2);
  EXPECT_EQ(dwN->input(1)->constant->shape(), (TensorShape{2, 1, 3, 3}));
  EXPECT_EQ(dwN->input(2)->constant->numElements(), 2);
  EXPECT_EQ(findNode(*m, "c2")->input(1)->constant->shape(), (TensorShape{2, 2, 1, 1}));
  // The depthwise conv is reported as following its input.
  const PruneLayer *dwRow = findLayer(*res, "dw");
  ASSERT_NE(dwRow, nullptr);
  EXPECT_EQ(dwRow->outChannelsAfter, 2);
  auto c = cloneModel(*m);
  EXPECT_EQ(runModel(*c, randomInputs(*c)).size(), 1u);
}

TEST(PruneChannelTest, AddGroupsArePrunedIdentically) {
  Builder b;
  Value *x = b.input("x", {1, 3, 4, 4});
  Value *a = b.node("Conv", {x, scaledConvWeight(b, 4, 3, 1, {1.0f, 0.1f, 2.0f, 0.3f})}, {}, "a");
  Value *c = b.node("Conv", {x, scaledConvWeight(b, 4, 3, 1, {0.2f, 0.1f, 2.0f, 1.0f})}, {}, "c");
  Value *s = b.node("Add", {a, c}, {}, "add");
  b.output(b.conv(s, 2, 4, 1, "out"));
  auto m = b.finish();
  Tensor wa = *findConst(*m, "a", 1)->constant, wc = *findConst(*m, "c", 1)->constant;
  auto res = pruneModel(*m, channelOpts(0.5));
  ASSERT_TRUE(res.isOk()) << res.error().message();
  EXPECT_EQ(res->channelGroups, 2); // {a, c} and the output conv
  EXPECT_EQ(res->groupsPruned, 1);
  // Summed norms per channel: 1.2, 0.2, 4, 1.3 -> channels 1 and 0 go.
  EXPECT_TRUE(findConst(*m, "a", 1)->constant->identical(keep(wa, 0, {2, 3})));
  EXPECT_TRUE(findConst(*m, "c", 1)->constant->identical(keep(wc, 0, {2, 3})));
  EXPECT_EQ(findNode(*m, "add")->outputs[0]->type.str(), "f32[1,2,4,4]");
}

TEST(PruneChannelTest, AddWithAGraphInputIsLeftAlone) {
  Builder b;
  Value *x = b.input("x", {1, 4, 4, 4});
  Value *a = b.conv(x, 4, 4, 1, "a");
  Value *s = b.node("Add", {a, x}, {}, "res");
  b.output(b.conv(b.node("Relu", {s}), 2, 4, 1, "out"));
  auto m = b.finish();
  std::string before = fingerprint(*m);
  auto res = pruneModel(*m, channelOpts(0.5));
  ASSERT_TRUE(res.isOk()) << res.error().message();
  EXPECT_EQ(res->channelsRemoved, 0);
  EXPECT_EQ(fingerprint(*m), before);
  const PruneLayer *aRow = findLayer(*res, "a");
  ASSERT_NE(aRow, nullptr);
  EXPECT_NE(aRow->note.find("graph input 'x'"), std::string::npos) << aRow->note;
}

TEST(PruneChannelTest, ConcatShiftsOffsets) {
  Builder b;
  Value *x = b.input("x", {1, 3, 4, 4});
  Value *a = b.node("Conv", {x, scaledConvWeight(b, 4, 3, 1, {1.0f, 0.1f, 2.0f, 0.3f})}, {}, "a");
  Value *c = b.node("Conv", {x, scaledConvWeight(b, 2, 3, 1, {0.05f, 1.0f})}, {}, "c");
  Value *cat = b.node("Concat", {a, c}, {{"axis", Attribute::makeInt(1)}}, "cat");
  b.output(b.conv(cat, 3, 6, 1, "out"));
  auto m = b.finish();
  Tensor wo = *findConst(*m, "out", 1)->constant;
  auto res = pruneModel(*m, channelOpts(0.5));
  ASSERT_TRUE(res.isOk()) << res.error().message();
  EXPECT_EQ(res->channelGroups, 3);
  EXPECT_EQ(res->groupsPruned, 2);
  // a loses 1 and 3; c loses 0 -> out keeps input channels {0, 2, 4 + 1}.
  EXPECT_TRUE(findConst(*m, "out", 1)->constant->identical(keep(wo, 1, {0, 2, 5})));
  EXPECT_EQ(findNode(*m, "cat")->outputs[0]->type.str(), "f32[1,3,4,4]");
}

TEST(PruneChannelTest, NothingPrunableLeavesTheGraphUnchanged) {
  Builder b;
  Value *x = b.input("x", {1, 3, 4, 4});
  Value *a = b.conv(x, 4, 3, 1, "a");
  Value *r = b.node("Reshape", {a, b.constant(Tensor::fromVector<int64_t>({2}, {1, 64}))}, {}, "rs");
  b.output(b.node("Gemm", {r, b.weight({64, 5})}, {}, "fc"));
  auto m = b.finish();
  std::string before = fingerprint(*m);
  auto res = pruneModel(*m, channelOpts(0.5));
  ASSERT_TRUE(res.isOk()) << res.error().message();
  EXPECT_EQ(res->channelsRemoved, 0);
  EXPECT_EQ(fingerprint(*m), before);
  const PruneLayer *aRow = findLayer(*res, "a");
  ASSERT_NE(aRow, nullptr);
  EXPECT_NE(aRow->note.find("Reshape 'rs'"), std::string::npos) << aRow->note;
}

TEST(PruneChannelTest, LayersSelectGroups) {
  Builder b;
  Value *x = b.input("x", {1, 3, 4, 4});
  Value *a = b.conv(x, 4, 3, 1, "a");
  Value *c = b.conv(b.node("Relu", {a}), 4, 4, 1, "c");
  b.output(b.conv(b.node("Relu", {c}), 2, 4, 1, "out"));
  auto m = b.finish();
  PruneOptions o = channelOpts(0.5);
  o.layers = {"c"};
  auto res = pruneModel(*m, o);
  ASSERT_TRUE(res.isOk()) << res.error().message();
  EXPECT_EQ(findConst(*m, "a", 1)->constant->dim(0), 4);
  EXPECT_EQ(findConst(*m, "c", 1)->constant->dim(0), 2);
  o.layers = {"nope"};
  auto bad = pruneModel(*m, o);
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.error().code(), ErrorCode::Usage);
}

// The key correctness check: when the channels pruning removes have all-zero
// weights (and biases) in the original, the original computes exactly what
// the pruned model computes.
std::unique_ptr<Model> zeroChannelModel(bool zeroThem) {
  Builder b;
  Value *x = b.input("x", {1, 3, 8, 8});
  // Stem with 6 filters; filters 1 and 4 are zero (the smallest norms).
  Tensor w1 = b.random({6, 3, 3, 3});
  Tensor b1 = b.random({6}, 0.1f);
  for (int64_t c : {1, 4}) {
    if (!zeroThem) break;
    for (int64_t i = 0; i < 27; ++i) w1.data<float>()[c * 27 + i] = 0;
    b1.data<float>()[c] = 0;
  }
  Value *c1 = b.node("Conv", {x, b.constant(w1), b.constant(b1)},
                     {{"pads", Attribute::makeInts({1, 1, 1, 1})}}, "stem");
  // BN with zero beta and mean keeps zero channels zero.
  Tensor beta = b.random({6}, 0.1f), mean = b.random({6}, 0.1f);
  if (zeroThem)
    for (int64_t c : {1, 4}) beta.data<float>()[c] = mean.data<float>()[c] = 0;
  Tensor var = b.random({6});
  for (int64_t i = 0; i < 6; ++i) var.data<float>()[i] = 1.0f + std::fabs(var.data<float>()[i]);
  Value *bn = b.node("BatchNormalization", {c1, b.constant(b.random({6})), b.constant(beta),
                                            b.constant(mean), b.constant(var)},
                     {}, "bn");
  Value *r = b.node("Relu", {bn}, {}, "relu");
  // Depthwise (no bias) + SE block (GAP -> squeeze -> excite -> Sigmoid -> Mul).
  Value *dw = b.conv(r, 6, 6, 3, "dw", 6, false);
  Value *gap = b.node("GlobalAveragePool", {dw}, {}, "gap");
  Value *sq = b.node("Relu", {b.conv(gap, 3, 6, 1, "squeeze")});
  Value *ex = b.node("Sigmoid", {b.conv(sq, 6, 3, 1, "excite")});
  Value *se = b.node("Mul", {dw, ex}, {}, "se");
  // A second branch joined by Add (its filters 1 and 4 zero too), then a
  // Concat with an unpruned-by-construction third branch.
  Tensor w2 = b.random({6, 3, 1, 1});
  if (zeroThem)
    for (int64_t c : {1, 4})
      for (int64_t i = 0; i < 3; ++i) w2.data<float>()[c * 3 + i] = 0;
  Value *side = b.node("Conv", {x, b.constant(w2)}, {}, "side");
  Value *sum = b.node("Add", {se, side}, {}, "sum");
  Value *mp = b.node("MaxPool", {sum},
                     {{"kernel_shape", Attribute::makeInts({2, 2})},
                      {"strides", Attribute::makeInts({2, 2})}},
                     "pool");
  Value *other = b.node("MaxPool", {b.node("Relu", {b.conv(x, 4, 3, 1, "other")})},
                        {{"kernel_shape", Attribute::makeInts({2, 2})},
                         {"strides", Attribute::makeInts({2, 2})}});
  Value *cat = b.node("Concat", {mp, other}, {{"axis", Attribute::makeInt(1)}}, "cat");
  Value *head = b.conv(cat, 5, 10, 3, "head");
  Value *g = b.node("GlobalAveragePool", {b.node("Relu", {head})}, {}, "gap2");
  Value *fl = b.node("Flatten", {g}, {}, "flat");
  Value *fc1 = b.node("Gemm", {fl, b.weight({4, 5}), b.weight({4}, 0.1f)},
                      {{"transB", Attribute::makeInt(1)}}, "fc1");
  Value *y = b.node("Gemm", {b.node("Relu", {fc1}), b.weight({4, 3})}, {}, "fc2");
  b.output(y);
  return b.finish();
}

TEST(PruneChannelTest, PrunedModelComputesWhatTheZeroedOriginalComputes) {
  auto orig = zeroChannelModel(true);
  auto in = randomInputs(*orig);
  std::vector<Tensor> expected = runModel(*orig, in);
  auto m = cloneModel(*orig);
  // Only the stem/side group: its zero channels must be the ones removed.
  PruneOptions o = channelOpts(0.34); // floor(0.34 * 6) = 2
  o.layers = {"stem"};
  auto res = pruneModel(*m, o);
  ASSERT_TRUE(res.isOk()) << res.error().message();
  EXPECT_EQ(res->channelsRemoved, 2);
  const Node *stem = findNode(*m, "stem");
  EXPECT_EQ(stem->input(1)->constant->dim(0), 4);
  EXPECT_EQ(findNode(*m, "side")->input(1)->constant->dim(0), 4);
  EXPECT_EQ(findNode(*m, "dw")->attr("group")->i, 4);
  EXPECT_EQ(findNode(*m, "squeeze")->input(1)->constant->dim(1), 4);
  EXPECT_EQ(findNode(*m, "excite")->input(1)->constant->dim(0), 4);
  EXPECT_EQ(findNode(*m, "head")->input(1)->constant->dim(1), 8);
  EXPECT_EQ(findNode(*m, "bn")->input(1)->constant->numElements(), 4);
  auto exported = cloneModel(*m);
  std::vector<Tensor> got = runModel(*exported, in);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(compareTensors(got[0], expected[0], {1e-5, 1e-5}), "");
}

TEST(PruneChannelTest, MaskedOriginalMatchesPrunedEverywhere) {
  // Any channel pruning equals the original whose consumers ignore the
  // removed channels (maskOnly), on models with every supported pattern.
  for (double s : {0.25, 0.5, 0.75}) {
    auto base = zeroChannelModel(false);
    auto masked = cloneModel(*base);
    auto pruned = cloneModel(*base);
    PruneOptions o = channelOpts(s);
    auto r1 = pruneModel(*pruned, o);
    ASSERT_TRUE(r1.isOk()) << r1.error().message();
    o.maskOnly = true;
    auto r2 = pruneModel(*masked, o);
    ASSERT_TRUE(r2.isOk()) << r2.error().message();
    EXPECT_EQ(r1->channelsRemoved, r2->channelsRemoved);
    EXPECT_GT(r1->channelsRemoved, 0);
    auto in = randomInputs(*base);
    auto a = runModel(*cloneModel(*pruned), in);
    auto b = runModel(*masked, in);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(compareTensors(a[0], b[0], {1e-5, 1e-5}), "") << "sparsity " << s;
  }
}

void checkRealModel(const std::string &path, const std::map<std::string, TensorShape> &shapes,
                    int level = 2) {
  if (!fs::exists(path)) GTEST_SKIP() << path << " not found";
  ImportOptions io;
  io.inputShapes = shapes;
  auto base = importOnnxFile(path, test::evaluating(io));
  ASSERT_TRUE(base.isOk()) << base.error().message();
  PassManager pm;
  ASSERT_TRUE(pm.addLevel(level).isOk());
  ASSERT_TRUE(pm.run(**base).isOk());
  auto pruned = cloneModel(**base), masked = cloneModel(**base);
  int64_t paramsBefore = computeModelStats(*pruned).parameterCount;
  PruneOptions o = channelOpts(0.25);
  auto r1 = pruneModel(*pruned, o);
  ASSERT_TRUE(r1.isOk()) << r1.error().message();
  EXPECT_GT(r1->channelsRemoved, 0);
  int64_t paramsAfter = computeModelStats(*pruned).parameterCount;
  EXPECT_LT(paramsAfter, paramsBefore);
  o.maskOnly = true;
  ASSERT_TRUE(pruneModel(*masked, o).isOk());
  auto in = randomInputs(**base);
  auto a = runModel(*cloneModel(*pruned), in); // exported and re-imported
  auto b = runModel(*masked, in);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(compareTensors(a[i], b[i], {1e-4, 1e-5}), "") << path << " output " << i;
}

TEST(PruneChannelTest, VwwExampleMatchesItsMaskedOriginal) {
  checkRealModel(std::string(EDGEC_SOURCE_DIR) + "/examples/vww/model.onnx", {});
}

TEST(PruneChannelTest, PaddleOcrClsMatchesItsMaskedOriginal) {
  checkRealModel(std::string(EDGEC_SOURCE_DIR) + "/../shared/models/paddleocr-cls/model.onnx",
                 {{"x", {1, 3, 48, 192}}});
}

TEST(PruneChannelTest, PaddleOcrClsAsImportedWithConstantNodesAndBatchNorms) {
  // -O0: weights come from Constant nodes and BatchNorms are not folded.
  checkRealModel(std::string(EDGEC_SOURCE_DIR) + "/../shared/models/paddleocr-cls/model.onnx",
                 {{"x", {1, 3, 48, 192}}}, 0);
}

// --------------------------------------------------------------- deviation

TEST(PruneEvaluateTest, DeviationMetrics) {
  auto a = twoLayerModel();
  auto b = cloneModel(*a);
  auto samples = randomCalibrationData(*a, 3);
  ASSERT_TRUE(samples.isOk());
  auto same = compareModels(*a, *b, *samples);
  ASSERT_TRUE(same.isOk()) << same.error().message();
  ASSERT_EQ(same->outputs.size(), 1u);
  EXPECT_EQ(same->outputs[0].maxAbsError, 0.0);
  EXPECT_TRUE(std::isinf(same->outputs[0].snrDb));
  EXPECT_NEAR(same->outputs[0].meanCosine, 1.0, 1e-12);
  EXPECT_TRUE(same->outputs[0].classifier);
  EXPECT_EQ(same->outputs[0].top1Agreement, 1.0);
  EXPECT_EQ(same->outputs[0].rows, 3);
  PruneOptions o;
  o.sparsity = 0.6;
  ASSERT_TRUE(pruneModel(*b, o).isOk());
  std::vector<int64_t> labels = {0, 1, 0};
  auto diff = compareModels(*a, *b, *samples, &labels);
  ASSERT_TRUE(diff.isOk()) << diff.error().message();
  EXPECT_GT(diff->outputs[0].maxAbsError, 0.0);
  EXPECT_LT(diff->outputs[0].snrDb, 100.0);
  ASSERT_TRUE(diff->outputs[0].prunedAccuracy.has_value());
  std::vector<int64_t> few = {0};
  EXPECT_FALSE(compareModels(*a, *b, *samples, &few).isOk());
}

TEST(PruneEvaluateTest, LabelsByNameOrPosition) {
  fs::path dir = fs::temp_directory_path() / "edgec-prune-labels";
  fs::create_directories(dir);
  std::vector<CalibSample> samples(2);
  samples[0].source = "/data/eval/000_rot0.npy";
  samples[1].source = "/data/eval/001_rot180.npy";
  {
    std::ofstream f(dir / "named.txt");
    f << "# name label\n001_rot180 1\n000_rot0 0\n002_rot0 0\n";
  }
  {
    std::ofstream f(dir / "pos.txt");
    f << "1\n\n0\n";
  }
  {
    std::ofstream f(dir / "bad.txt");
    f << "zero\n";
  }
  auto a = loadLabels((dir / "named.txt").string(), samples);
  ASSERT_TRUE(a.isOk()) << a.error().message();
  EXPECT_EQ(*a, (std::vector<int64_t>{0, 1}));
  auto b = loadLabels((dir / "pos.txt").string(), samples);
  ASSERT_TRUE(b.isOk());
  EXPECT_EQ(*b, (std::vector<int64_t>{1, 0}));
  auto c = loadLabels((dir / "bad.txt").string(), samples);
  ASSERT_FALSE(c.isOk());
  EXPECT_EQ(c.error().code(), ErrorCode::InvalidInput);
  fs::remove_all(dir);
}

} // namespace
} // namespace edgec
