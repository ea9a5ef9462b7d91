// Hand-built If / Loop / Scan models: loop-carried state, scan outputs,
// zero-trip loops, reverse scans and malformed bodies.
#include "KernelTestUtil.h"

#include <limits>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

Tensor f32(TensorShape s, std::vector<float> v) {
  return Tensor::fromVector<float>(std::move(s), v);
}

void expectValues(const Tensor &t, const std::vector<double> &want) {
  std::vector<double> got = t.toDoubleVector();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-6) << "element " << i;
}

Attribute graphAttr(std::shared_ptr<Graph> g) {
  Attribute a;
  a.kind = Attribute::Kind::Graph;
  a.g = std::move(g);
  return a;
}

/// Loop body: (iter, cond, v) -> (cond, v + 1, v + 1) with the condition
/// passed through unchanged.
std::shared_ptr<Graph> incrementBody(Graph *parent, int64_t opset) {
  auto g = std::make_shared<Graph>();
  g->name = "body";
  g->parent = parent;
  g->addInput("iter", TensorType(DataType::Int64, TensorShape{}));
  Value *cond = g->addInput("cond", TensorType(DataType::Bool, TensorShape{}));
  Value *v = g->addInput("v", TensorType(DataType::Float32, TensorShape{1}));
  Value *one = g->addInitializer("one", f32({1}, {1}));
  Value *sum = g->addValue("sum", TensorType(DataType::Float32, TensorShape{1}));
  Node *add = g->addNode("Add", {v, one}, {sum}, "add");
  add->opsetVersion = opset;
  g->outputs = {cond, sum, sum};
  return g;
}

} // namespace

TEST(ControlFlowTest, LoopCarriesStateAndStacksScanOutputs) {
  SingleNode n("Loop",
               {Tensor::scalar<int64_t>(3), Tensor::scalar<bool>(true),
                f32({1}, {10})},
               2, 16);
  n.node->attrs["body"] = graphAttr(incrementBody(n.model.graph.get(), 16));
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {13});
  EXPECT_EQ((*r)[1].shape(), (TensorShape{3, 1}));
  expectValues((*r)[1], {11, 12, 13});
}

TEST(ControlFlowTest, ZeroTripLoopKeepsInitialState) {
  SingleNode n("Loop",
               {Tensor::scalar<int64_t>(0), Tensor::scalar<bool>(true),
                f32({1}, {7})},
               2, 16);
  n.node->attrs["body"] = graphAttr(incrementBody(n.model.graph.get(), 16));
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {7});
  EXPECT_EQ((*r)[1].shape(), (TensorShape{0, 1}));
}

TEST(ControlFlowTest, FalseInitialConditionRunsNoIteration) {
  SingleNode n("Loop",
               {Tensor::scalar<int64_t>(5), Tensor::scalar<bool>(false),
                f32({1}, {7})},
               2, 16);
  n.node->attrs["body"] = graphAttr(incrementBody(n.model.graph.get(), 16));
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {7});
}

TEST(ControlFlowTest, LoopBodyWithWrongInputCountIsRejected) {
  SingleNode n("Loop",
               {Tensor::scalar<int64_t>(2), Tensor::scalar<bool>(true)}, 1,
               16);
  // The body expects a loop-carried value the node does not provide.
  n.node->attrs["body"] = graphAttr(incrementBody(n.model.graph.get(), 16));
  auto r = n.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("inputs"), std::string::npos);
}

TEST(ControlFlowTest, IfPicksBranchByCondition) {
  auto branch = [](Graph *parent, float v) {
    auto g = std::make_shared<Graph>();
    g->parent = parent;
    Value *c = g->addInitializer("c", f32({1}, {v}));
    g->outputs = {c};
    return g;
  };
  for (bool cond : {true, false}) {
    SingleNode n("If", {Tensor::scalar<bool>(cond)}, 1, 16);
    n.node->attrs["then_branch"] = graphAttr(branch(n.model.graph.get(), 1));
    n.node->attrs["else_branch"] = graphAttr(branch(n.model.graph.get(), 2));
    auto r = n.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    expectValues((*r)[0], {cond ? 1.0 : 2.0});
  }
}

TEST(ControlFlowTest, ScanReverseDirectionAccumulates) {
  // Body: (state [1], x [1]) -> (state + x, state + x).
  SingleNode n("Scan", {f32({1}, {0}), f32({3, 1}, {1, 2, 3})}, 2, 16);
  auto g = std::make_shared<Graph>();
  g->parent = n.model.graph.get();
  Value *s = g->addInput("s", TensorType(DataType::Float32, TensorShape{1}));
  Value *x = g->addInput("x", TensorType(DataType::Float32, TensorShape{1}));
  Value *sum = g->addValue("sum", TensorType(DataType::Float32, TensorShape{1}));
  g->addNode("Add", {s, x}, {sum}, "add")->opsetVersion = 16;
  g->outputs = {sum, sum};
  n.node->attrs["body"] = graphAttr(g);
  n.node->attrs["num_scan_inputs"] = Attribute::makeInt(1);
  n.node->attrs["scan_input_directions"] = Attribute::makeInts({1});
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {6});
  expectValues((*r)[1], {3, 5, 6});
}
