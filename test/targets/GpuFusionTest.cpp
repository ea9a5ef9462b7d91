// Pointwise chain fusion of the GPU target (targets/gpu/GpuFusion.h): which
// nodes join the next node's kernel and which may not.
#include "onnx/OnnxImporter.h"
#include "shape/ShapeInference.h"
#include "targets/Partition.h"
#include "targets/gpu/GpuFusion.h"
#include "targets/gpu/GpuTarget.h"
#include "targets/gpu/lower/GpuLowering.h"

#include <gtest/gtest.h>

using namespace edgec;

namespace {

std::unique_ptr<Model> load(const char *text) {
  auto m = importOnnxText(text);
  EXPECT_TRUE(m.isOk()) << (m.isOk() ? "" : m.error().message());
  if (!m.isOk()) return nullptr;
  std::unique_ptr<Model> model = m.take();
  EXPECT_TRUE(inferShapes(*model).isOk());
  return model;
}

const Node &node(const Model &m, const std::string &out) {
  for (const auto &n : m.graph->nodes())
    if (n->outputs[0]->name == out) return *n;
  ADD_FAILURE() << "no node computes " << out;
  return *m.graph->nodes().front();
}

gpu::FusionPlan fusionOf(const Model &m) {
  gpu::GpuTarget t;
  target::Partition p = target::partitionModel(m, t, nullptr);
  return gpu::planPointwiseFusion(m, p, "gpu", gpu::isPointwise);
}

} // namespace

TEST(GpuFusion, ChainJoinsTheNextNodeOnly) {
  // a -> b -> c is one chain; c has two readers (d and y2), so it ends the
  // chain; d -> y1 continue a new one; the Conv is not pointwise.
  auto m = load(R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[1,2,4,4] x, float[1,2,1,1] s) => (float[1,2,4,4] y1, float[1,2,4,4] y2, float[1,2,4,4] y3) {
  a = Add(x, s)
  b = Sigmoid(a)
  c = Mul(b, x)
  d = Exp(c)
  y1 = Relu(d)
  y2 = Neg(c)
  w = Constant <value = float[2,2,1,1] {1.0,0.5,-0.5,2.0}>()
  k = Conv(x, w)
  y3 = Tanh(k)
}
)");
  ASSERT_TRUE(m);
  gpu::FusionPlan f = fusionOf(*m);
  EXPECT_EQ(f.consumerOf(node(*m, "a")), &node(*m, "b"));
  EXPECT_EQ(f.consumerOf(node(*m, "b")), &node(*m, "c"));
  EXPECT_EQ(f.consumerOf(node(*m, "c")), nullptr) << "c has two readers";
  EXPECT_EQ(f.consumerOf(node(*m, "d")), &node(*m, "y1"));
  EXPECT_EQ(f.consumerOf(node(*m, "y1")), nullptr) << "a graph output";
  EXPECT_EQ(f.consumerOf(node(*m, "k")), nullptr) << "Conv is not pointwise";
  EXPECT_EQ(f.producerOf(node(*m, "c")), &node(*m, "b"));
  EXPECT_EQ(f.fusedCount(), 3);
}

TEST(GpuFusion, ShapeChangeAndNonAdjacentReadersStop) {
  // b broadcasts a to a larger shape: a is read at other coordinates, so it
  // may not join b; c's reader e is not the next node of the schedule.
  auto m = load(R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[1,4] x, float[3,4] z) => (float[3,4] e, float[3,4] d) {
  a = Relu(x)
  b = Add(a, z)
  c = Sigmoid(b)
  d = Neg(z)
  e = Exp(c)
}
)");
  ASSERT_TRUE(m);
  gpu::FusionPlan f = fusionOf(*m);
  EXPECT_EQ(f.consumerOf(node(*m, "a")), nullptr) << "shape differs";
  EXPECT_EQ(f.consumerOf(node(*m, "b")), &node(*m, "c"));
  EXPECT_EQ(f.consumerOf(node(*m, "c")), nullptr) << "reader not adjacent";
  EXPECT_EQ(f.fusedCount(), 1);
}
