// Partition policies on small graphs with stand-in targets: all-or-error,
// fallback and prefix placements, reasons, segments and their boundary
// values, and the one-line error naming every node that runs nowhere.
#include "onnx/OnnxImporter.h"
#include "targets/Partition.h"
#include "targets/Target.h"

#include <gtest/gtest.h>

#include <set>

using namespace edgec;
using namespace edgec::target;

namespace {

/// A target that runs exactly the op types it is given.
class OpsTarget : public Target {
public:
  OpsTarget(std::string name, std::set<std::string> ops, PartitionPolicy policy,
            std::string fallback = "")
      : name_(std::move(name)), ops_(std::move(ops)), policy_(policy),
        fallback_(std::move(fallback)) {}
  std::string name() const override { return name_; }
  std::string description() const override { return "test"; }
  std::vector<TargetOption> options() const override { return {}; }
  Status configure(const std::map<std::string, std::string> &) override { return Status::ok(); }
  std::vector<OpSupport> supportedOps() const override { return {}; }
  Layout preferredLayout() const override { return Layout::Any; }
  Status prepareModel(Model &) override { return Status::ok(); }
  Pipeline pipeline(const Model &) const override { return {}; }
  std::string checkNode(const Node &n) const override {
    return ops_.count(n.opType) ? "" : "no " + n.opType + " on " + name_;
  }
  PartitionPolicy partitionPolicy() const override { return policy_; }
  std::string fallbackTarget() const override { return fallback_; }
  Expected<EmitResult> emit(const Model &, const Partition &, const EmitContext &) override {
    return EmitResult{};
  }

private:
  std::string name_;
  std::set<std::string> ops_;
  PartitionPolicy policy_;
  std::string fallback_;
};

// x -> Relu a -> Sigmoid b -> Relu c -> Tanh d -> Relu y; Tanh also reads x.
std::unique_ptr<Model> chain() {
  auto m = importOnnxText(R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[4] x) => (float[4] y) {
  a = Relu(x)
  b = Sigmoid(a)
  c = Relu(b)
  d = Add(c, x)
  y = Relu(d)
}
)");
  EXPECT_TRUE(m.isOk()) << (m.isOk() ? "" : m.error().message());
  return m.isOk() ? m.take() : nullptr;
}

std::vector<std::string> names(const std::vector<const Value *> &vs) {
  std::vector<std::string> out;
  for (const Value *v : vs) out.push_back(v->name);
  return out;
}

} // namespace

TEST(Partition, AllOrErrorListsEveryRefusedNode) {
  auto m = chain();
  ASSERT_TRUE(m);
  OpsTarget t("dev", {"Relu"}, PartitionPolicy::AllOrError);
  OpsTarget cpu("cpu", {"Relu", "Sigmoid", "Add"}, PartitionPolicy::AllOrError);
  Partition p = partitionModel(*m, t, &cpu); // no fallback under all-or-error
  EXPECT_TRUE(p.fallback.empty());
  EXPECT_EQ(p.count(NodePlacement::Kind::OnTarget), 3u);
  EXPECT_EQ(p.count(NodePlacement::Kind::Unsupported), 2u);
  EXPECT_EQ(p.count(NodePlacement::Kind::Fallback), 0u);
  Status s = requireSupported(p);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.error().code(), ErrorCode::Unsupported);
  const std::string &msg = s.error().message();
  EXPECT_NE(msg.find("2 nodes not supported by target 'dev'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("no Sigmoid on dev"), std::string::npos) << msg;
  EXPECT_NE(msg.find("no Add on dev"), std::string::npos) << msg;
}

TEST(Partition, FallbackPlacesEachRefusedNodeWithItsReason) {
  auto m = chain();
  ASSERT_TRUE(m);
  OpsTarget t("dev", {"Relu"}, PartitionPolicy::Fallback, "cpu");
  OpsTarget cpu("cpu", {"Relu", "Sigmoid", "Add"}, PartitionPolicy::AllOrError);
  Partition p = partitionModel(*m, t, &cpu);
  EXPECT_TRUE(requireSupported(p).isOk());
  EXPECT_EQ(p.fallback, "cpu");
  ASSERT_EQ(p.placements.size(), 5u);
  const char *want[] = {"dev", "cpu", "dev", "cpu", "dev"};
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(p.placements[i].target, want[i]) << i;
  EXPECT_EQ(p.placements[1].kind, NodePlacement::Kind::Fallback);
  EXPECT_EQ(p.placements[1].reason, "no Sigmoid on dev");
  EXPECT_TRUE(p.placements[0].reason.empty());
  // Five alternating segments; boundaries are what crosses them.
  ASSERT_EQ(p.segments.size(), 5u);
  EXPECT_EQ(names(p.segments[0].inputs), std::vector<std::string>{"x"});
  EXPECT_EQ(names(p.segments[0].outputs), std::vector<std::string>{"a"});
  EXPECT_EQ(names(p.segments[3].inputs), (std::vector<std::string>{"c", "x"}));
  EXPECT_EQ(names(p.segments[3].outputs), std::vector<std::string>{"d"});
  EXPECT_EQ(names(p.segments[4].outputs), std::vector<std::string>{"y"});
  // Text and JSON name every placement.
  std::string text = partitionText(p);
  EXPECT_NE(text.find("falls back to cpu (no Sigmoid on dev)"), std::string::npos) << text;
  EXPECT_NE(text.find("runs on dev"), std::string::npos) << text;
  std::string json = partitionJson(p).dump();
  EXPECT_NE(json.find("\"placement\": \"fallback\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"policy\": \"fallback\""), std::string::npos) << json;
}

TEST(Partition, FallbackStillReportsNodesNobodyRuns) {
  auto m = chain();
  ASSERT_TRUE(m);
  OpsTarget t("dev", {"Relu"}, PartitionPolicy::Fallback, "cpu");
  OpsTarget cpu("cpu", {"Relu", "Add"}, PartitionPolicy::AllOrError);
  Partition p = partitionModel(*m, t, &cpu);
  ASSERT_EQ(p.unsupported().size(), 1u);
  EXPECT_EQ(p.unsupported()[0]->node->opType, "Sigmoid");
  EXPECT_EQ(p.unsupported()[0]->reason, "no Sigmoid on dev; cpu: no Sigmoid on cpu");
  Status s = requireSupported(p);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("or its fallback 'cpu'"), std::string::npos);
}

TEST(Partition, PrefixSendsEverythingAfterTheFirstRefusalToTheFallback) {
  auto m = chain();
  ASSERT_TRUE(m);
  OpsTarget t("tpu", {"Relu", "Add"}, PartitionPolicy::Prefix, "cpu");
  OpsTarget cpu("cpu", {"Relu", "Sigmoid", "Add"}, PartitionPolicy::AllOrError);
  Partition p = partitionModel(*m, t, &cpu);
  EXPECT_TRUE(requireSupported(p).isOk());
  ASSERT_EQ(p.segments.size(), 2u);
  EXPECT_EQ(p.segments[0].target, "tpu");
  EXPECT_EQ(p.segments[0].nodes.size(), 1u);
  EXPECT_EQ(p.segments[1].target, "cpu");
  EXPECT_EQ(p.segments[1].nodes.size(), 4u);
  EXPECT_EQ(p.placements[1].reason, "no Sigmoid on tpu");
  // The later Relu could run on the TPU, but not after the first refusal.
  EXPECT_EQ(p.placements[2].kind, NodePlacement::Kind::Fallback);
  EXPECT_NE(p.placements[2].reason.find("prefix partition"), std::string::npos)
      << p.placements[2].reason;
}

TEST(Partition, WithoutAFallbackTargetEveryRefusalIsUnsupported) {
  auto m = chain();
  ASSERT_TRUE(m);
  OpsTarget t("dev", {"Relu"}, PartitionPolicy::Fallback, "cpu");
  Partition p = partitionModel(*m, t, nullptr);
  EXPECT_EQ(p.count(NodePlacement::Kind::Unsupported), 2u);
  EXPECT_FALSE(requireSupported(p).isOk());
}
