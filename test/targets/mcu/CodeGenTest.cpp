// The MCU code generator on small graphs: identifiers from hostile names,
// views and in-place reuse in the arena plan, determinism, the package's
// files and the unsupported-node report.
#include "onnx/OnnxImporter.h"
#include "targets/Driver.h"
#include "targets/Target.h"
#include "targets/common/CNames.h"
#include "targets/mcu/McuTarget.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

using namespace edgec;
using namespace edgec::mcu;
using namespace edgec::target;

namespace {

std::unique_ptr<Model> parse(const std::string &text) {
  auto m = importOnnxText(text, test::evaluating());
  EXPECT_TRUE(m.isOk()) << (m.isOk() ? "" : m.error().message());
  return m.isOk() ? m.take() : nullptr;
}

const target::Artifact *file(const EmitResult &p, const std::string &path) {
  for (const auto &f : p.files)
    if (f.path == path) return &f;
  return nullptr;
}

// x -> Relu -> Reshape (view) -> Relu -> Sigmoid -> y, with names that are
// not C identifiers (built with the graph API: the text format cannot
// spell them).
std::unique_ptr<Model> chain() {
  auto m = std::make_unique<Model>();
  m->opsets[""] = 13;
  m->irVersion = 8;
  Graph &g = *m->graph;
  g.name = "chain \"*/ graph";
  Value *x = g.addInput("x", TensorType(DataType::Float32, TensorShape{1, 4, 8}));
  Value *shp = g.addInitializer("shape", Tensor::fromVector<int64_t>({2}, {2, 16}));
  Value *a = g.addValue("a/b:c.d", TensorType(DataType::Float32, TensorShape{1, 4, 8}));
  Value *v = g.addValue("", TensorType(DataType::Float32, TensorShape{2, 16}));
  Value *q = g.addValue("{q}*/", TensorType(DataType::Float32, TensorShape{2, 16}));
  Value *y = g.addValue("y", TensorType(DataType::Float32, TensorShape{2, 16}));
  g.addNode("Relu", {x}, {a}, "a/b:c.d");
  g.addNode("Reshape", {a, shp}, {v}, "");
  g.addNode("Relu", {v}, {q}, "\"{q}\"");
  g.addNode("Sigmoid", {q}, {y}, "int");
  g.outputs.push_back(y);
  for (const auto &n : g.nodes()) n->opsetVersion = 13;
  return m;
}

/// Prepares, partitions and emits m for mcu with `options` (NAME=VALUE).
Expected<EmitResult> compile(Model &m, const std::vector<std::string> &options = {}) {
  EDGEC_ASSIGN_OR_RETURN(TargetSetup t, setUpTarget("mcu", options, ""));
  EDGEC_TRY(prepareForTarget(m, t).status());
  Partition p = partitionForTarget(m, t);
  return emitForTarget(m, p, t, "chain");
}

} // namespace

TEST(McuCNames, SanitizesHostileNames) {
  EXPECT_EQ(sanitizeIdentifier("conv1/weight:0"), "conv1_weight_0");
  EXPECT_EQ(sanitizeIdentifier(""), "t");
  EXPECT_EQ(sanitizeIdentifier("9lives"), "t_9lives");
  EXPECT_EQ(sanitizeIdentifier("int"), "t_int");
  EXPECT_EQ(sanitizeIdentifier("__x__"), "x");
  EXPECT_EQ(sanitizeIdentifier("\"{}\""), "t");
  IdentifierPool pool;
  EXPECT_EQ(pool.make("w"), "w");
  EXPECT_EQ(pool.make("w"), "w_1");
  EXPECT_EQ(pool.make("w/"), "w_2");
  EXPECT_EQ(cStringLiteral("a\"b\\c\n?"), "a\\\"b\\\\c\\012\\?");
}

TEST(McuCodeGen, ViewsAndInPlaceShareArenaBuffers) {
  auto m = chain();
  auto pkg = compile(*m);
  ASSERT_TRUE(pkg.isOk()) << pkg.error().message();
  // One 128-byte intermediate: the Reshape is a view, the second Relu
  // writes over it in place, the Sigmoid writes the caller's output.
  const Json &arena = *pkg->report.find("arena");
  EXPECT_EQ(arena.find("bytes")->asInt(), 128);
  EXPECT_EQ(arena.find("lower_bound")->asInt(), 128);
  std::string layers = pkg->report.find("layers")->dump();
  EXPECT_NE(layers.find("\"view (no code)\""), std::string::npos) << layers;
  EXPECT_NE(layers.find("\"in_place\": true"), std::string::npos) << layers;
  // arena.buffers: that one buffer, from the first Relu (step 0) to the
  // Sigmoid reading the in-place Relu's output (step 3).
  const Json::Array &bufs = arena.find("buffers")->elements();
  ASSERT_EQ(bufs.size(), 1u) << arena.dump();
  EXPECT_EQ(bufs[0].find("name")->asString(), "a/b:c.d");
  EXPECT_EQ(bufs[0].find("kind")->asString(), "value");
  EXPECT_EQ(bufs[0].find("offset")->asInt(), 0);
  EXPECT_EQ(bufs[0].find("bytes")->asInt(), 128);
  EXPECT_EQ(bufs[0].find("first")->asInt(), 0);
  EXPECT_EQ(bufs[0].find("last")->asInt(), 3);

  auto m2 = chain();
  auto noInPlace = compile(*m2, {"in-place=off"});
  ASSERT_TRUE(noInPlace.isOk());
  EXPECT_EQ(noInPlace->report.find("arena")->find("bytes")->asInt(), 256);
  // Without in-place reuse the two Relu outputs overlap at step 2 and sit
  // side by side.
  const Json::Array &two = noInPlace->report.find("arena")->find("buffers")->elements();
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].find("last")->asInt(), 2);
  EXPECT_EQ(two[1].find("first")->asInt(), 2);
  EXPECT_EQ(two[1].find("last")->asInt(), 3);
  EXPECT_NE(two[0].find("offset")->asInt(), two[1].find("offset")->asInt());
}

TEST(McuCodeGen, PackageIsDeterministicAndSelfContained) {
  auto m1 = chain(), m2 = chain();
  auto a = compile(*m1);
  auto b = compile(*m2);
  ASSERT_TRUE(a.isOk() && b.isOk());
  ASSERT_EQ(a->files.size(), b->files.size());
  for (size_t i = 0; i < a->files.size(); ++i) {
    EXPECT_EQ(a->files[i].path, b->files[i].path);
    EXPECT_EQ(a->files[i].content, b->files[i].content) << a->files[i].path;
  }
  EXPECT_EQ(a->report.dump(), b->report.dump());
  for (const char *f : {"chain.h", "chain.c", "main.c", "Makefile", "CMakeLists.txt",
                        "runtime/include/edgec_rt.h", "runtime/kernels/reference/activation_f32.c",
                        "runtime/kernels/reference/activation_f32.h",
                        "runtime/platform/edgec_board.mk"})
    EXPECT_TRUE(file(*a, f)) << f;
  // Only the kernels the model uses are copied.
  for (const auto &f : a->files) {
    if (f.path.rfind("runtime/kernels/", 0) == 0) {
      EXPECT_NE(f.path.find("activation_f32"), std::string::npos) << f.path;
    }
  }
  const std::string &c = file(*a, "chain.c")->content;
  // Kernel headers are included by their path under runtime/ (-I runtime).
  EXPECT_NE(c.find("#include \"kernels/reference/activation_f32.h\""), std::string::npos);
  // Parameter blocks are designated initializers.
  EXPECT_NE(c.find("static const ec_act_params act_a_b_c_d = {.kind = EC_ACT_RELU, .alpha = "),
            std::string::npos)
      << c;
  // Hostile names appear only inside comments/strings, never as code.
  EXPECT_EQ(c.find("a/b:c.d ="), std::string::npos);
  EXPECT_NE(c.find("\"Relu a/b:c.d\""), std::string::npos) << "layer name table";
  // Comments stay comments: a "*/" in a model name must not end one early.
  auto count = [](const std::string &text, const std::string &what) {
    size_t n = 0;
    for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(c, "/*"), count(c, "*/"));
  EXPECT_EQ(c.find("\"*/ graph"), std::string::npos);
  const std::string &h = file(*a, "chain.h")->content;
  EXPECT_EQ(count(h, "/*"), count(h, "*/"));
  EXPECT_NE(h.find("#define chain_ARENA_SIZE 128u"), std::string::npos);
  EXPECT_NE(h.find("int chain_run(const float *input0, float *output0, void *arena);"),
            std::string::npos);
}

TEST(McuTarget, ReportsEveryUnsupportedNodeAtOnce) {
  auto m = parse(R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[4] x) => (float[4] y) {
  a = NonZero(x)
  b = Relu(x)
  c = Shrink(b)
  y = Relu(c)
}
)");
  ASSERT_TRUE(m);
  auto t = setUpTarget("mcu", {}, "");
  ASSERT_TRUE(t.isOk());
  Partition part = partitionForTarget(*m, *t);
  EXPECT_EQ(part.count(NodePlacement::Kind::Unsupported), 2u);
  EXPECT_EQ(part.count(NodePlacement::Kind::OnTarget), 2u);
  auto p = requireSupported(part);
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.error().code(), ErrorCode::Unsupported);
  const std::string msg = p.error().message();
  EXPECT_NE(msg.find("2 nodes not supported by target 'mcu'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("NonZero"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Shrink"), std::string::npos) << msg;
}

// Conv and pool windows are read with shape/Window.h, the interpreter's
// definition: invalid pads or strides are refused with the bare reason (the
// partition report adds the node), valid auto_pad modes are accepted.
TEST(McuTarget, WindowAttributesUseTheSharedGeometry) {
  auto build = [](const char *attr, std::vector<int64_t> ints, const char *autoPad) {
    auto m = std::make_unique<Model>();
    m->opsets[""] = 13;
    m->irVersion = 8;
    Graph &g = *m->graph;
    Value *x = g.addInput("x", TensorType(DataType::Float32, TensorShape{1, 1, 5, 5}));
    Value *w = g.addInitializer(
        "w", Tensor::fromVector<float>({1, 1, 3, 3}, std::vector<float>(9, 0.5f)));
    Value *y = g.addValue("y", TensorType(DataType::Float32, TensorShape{1, 1, 5, 5}));
    Node *c = g.addNode("Conv", {x, w}, {y}, "conv");
    c->opsetVersion = 13;
    if (attr) c->attrs[attr] = Attribute::makeInts(std::move(ints));
    if (autoPad) c->attrs["auto_pad"] = Attribute::makeString(autoPad);
    g.outputs.push_back(y);
    return m;
  };
  auto t = setUpTarget("mcu", {}, "");
  ASSERT_TRUE(t.isOk());
  auto reasonFor = [&](Model &m) {
    Partition part = partitionForTarget(m, *t);
    EXPECT_EQ(part.placements.size(), 1u);
    return part.placements.empty() ? std::string("?") : part.placements[0].reason;
  };
  auto negPads = build("pads", {1, 1, -1, 1}, nullptr);
  EXPECT_EQ(reasonFor(*negPads), "pads must be in [0, 2^20]");
  auto zeroStride = build("strides", {0, 1}, nullptr);
  EXPECT_EQ(reasonFor(*zeroStride), "kernel_shape, strides and dilations must be in [1, 2^20]");
  auto shortPads = build("pads", {1, 1}, nullptr);
  EXPECT_NE(reasonFor(*shortPads).find("do not match the 2 spatial dims"), std::string::npos);
  auto badMode = build(nullptr, {}, "SAME_MIDDLE");
  EXPECT_NE(reasonFor(*badMode).find("invalid auto_pad 'SAME_MIDDLE'"), std::string::npos);
  for (const char *mode : {"SAME_UPPER", "SAME_LOWER"}) {
    auto same = build(nullptr, {}, mode);
    EXPECT_EQ(reasonFor(*same), "") << mode;
    auto p = compile(*same);
    EXPECT_TRUE(p.isOk()) << mode << ": " << (p.isOk() ? "" : p.error().message());
  }
}

TEST(McuTarget, OptionsAreValidated) {
  McuTarget t;
  EXPECT_TRUE(t.configure({{"cpu", "m55"}}).isOk());
  EXPECT_EQ(t.mcuOptions().cpu, "cortex-m55");
  EXPECT_FALSE(t.configure({{"cpu", "cortex-a53"}}).isOk());
  EXPECT_FALSE(t.configure({{"alignment", "12"}}).isOk());
  EXPECT_FALSE(t.configure({{"arena-strategy", "magic"}}).isOk());
  EXPECT_FALSE(t.configure({{"colour", "blue"}}).isOk());
  EXPECT_FALSE(target::createTarget("fpga").isOk());
}

TEST(McuTarget, ArtifactsStayInsideTheOutputDirectory) {
  EXPECT_FALSE(target::writeArtifacts("/tmp/edgec-never", {{"../evil.c", "x"}}).isOk());
  EXPECT_FALSE(target::writeArtifacts("/tmp/edgec-never", {{"/etc/evil.c", "x"}}).isOk());
  EXPECT_FALSE(target::writeArtifacts("/tmp/edgec-never", {{"a/../../evil.c", "x"}}).isOk());
}
