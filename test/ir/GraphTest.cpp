#include "ir/Graph.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <gtest/gtest.h>

using namespace edgec;

namespace {

/// x -> A -> a -> B -> b ; built with B listed before A.
struct TwoNodes {
  Graph g;
  Value *x, *a, *b;
  Node *nA, *nB;
  TwoNodes() {
    g.name = "g";
    x = g.addInput("x", TensorType(DataType::Float32, TensorShape{2}));
    a = g.addValue("a");
    b = g.addValue("b");
    nB = g.addNode("Relu", {a}, {b}, "B");
    nA = g.addNode("Neg", {x}, {a}, "A");
    g.outputs = {b};
  }
};

} // namespace

TEST(GraphTest, TopologicalSortIsStableAndFixesOrder) {
  TwoNodes t;
  EXPECT_FALSE(verifyGraph(t.g).isOk()); // B uses a before A defines it
  ASSERT_TRUE(t.g.sortTopologically().isOk());
  EXPECT_EQ(t.g.nodes()[0]->name, "A");
  EXPECT_EQ(t.g.nodes()[1]->name, "B");
  EXPECT_TRUE(verifyGraph(t.g).isOk());
}

TEST(GraphTest, CycleIsReportedWithNodeName) {
  Graph g;
  g.name = "cyc";
  Value *a = g.addValue("a"), *b = g.addValue("b");
  g.addNode("Relu", {b}, {a}, "r1");
  g.addNode("Relu", {a}, {b}, "r2");
  Status s = g.sortTopologically();
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.error().code(), ErrorCode::InvalidModel);
  EXPECT_NE(s.error().message().find("cycle"), std::string::npos);
  EXPECT_NE(s.error().message().find("node 'r"), std::string::npos);
}

TEST(GraphTest, UsersAndRemoval) {
  TwoNodes t;
  ASSERT_TRUE(t.g.sortTopologically().isOk());
  auto users = t.g.usersOf(t.a);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]->name, "B");
  t.g.removeNode(t.nA);
  EXPECT_EQ(t.a->producer(), nullptr);
  Status s = verifyGraph(t.g);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("'a'"), std::string::npos);
}

TEST(GraphTest, VerifierAcceptsOuterScopeCaptureOnlyAfterDefinition) {
  Graph g;
  g.name = "main";
  Value *x = g.addInput("x", TensorType(DataType::Float32, TensorShape{1}));
  Value *y = g.addValue("y");
  auto body = std::make_shared<Graph>();
  body->name = "body";
  body->parent = &g;
  Value *z = body->addValue("z");
  body->addNode("Neg", {y}, {z}, "inner"); // captures y from the parent
  body->outputs = {z};
  Value *cond = g.addInitializer("c", Tensor::scalar<bool>(true));
  Value *out = g.addValue("out");
  Node *ifNode = g.addNode("If", {cond}, {out}, "if");
  Attribute a;
  a.kind = Attribute::Kind::Graph;
  a.g = body;
  ifNode->attrs["then_branch"] = a;
  ifNode->attrs["else_branch"] = a;
  g.outputs = {out};
  // y is produced after the If: use before definition.
  g.addNode("Relu", {x}, {y}, "late");
  EXPECT_FALSE(verifyGraph(g).isOk());
  ASSERT_TRUE(g.sortTopologically().isOk()); // the capture orders "late" first
  EXPECT_EQ(g.nodes()[0]->name, "late");
  EXPECT_TRUE(verifyGraph(g).isOk());
}

TEST(GraphTest, VerifierRejectsConstantTypeMismatch) {
  Graph g;
  Value *c = g.addInitializer("c", Tensor(DataType::Float32, {2, 2}));
  c->type = TensorType(DataType::Float32, TensorShape{4});
  g.outputs = {c};
  Status s = verifyGraph(g);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("'c'"), std::string::npos);
}

TEST(PrinterTest, PrintsNodesTypesAttributesAndOmittedInputs) {
  Graph g;
  g.name = "main";
  Value *x = g.addInput("x", TensorType(DataType::Float32,
                                        std::vector<Dim>{Dim::symbolic("N"), Dim::fixed(4)}));
  Value *w = g.addInitializer("w", Tensor::fromVector<float>({2}, {1.5f, 2}));
  Value *y = g.addValue("y", TensorType(DataType::Float32, TensorShape{3}));
  Node *n = g.addNode("Clip", {x, nullptr, w}, {y}, "clip0");
  n->attrs["mode"] = Attribute::makeString("a\"b");
  n->attrs["axes"] = Attribute::makeInts({0, -1});
  g.outputs = {y};
  std::string s = printGraphToString(g);
  EXPECT_NE(s.find("graph main(%x: f32[N,4])"), std::string::npos) << s;
  EXPECT_NE(s.find("%w = const f32[2] {1.5, 2}"), std::string::npos) << s;
  EXPECT_NE(s.find("%y: f32[3] = Clip(%x, _, %w) {axes = [0, -1], mode = \"a\\\"b\"}  # clip0"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("return %y"), std::string::npos);
}
