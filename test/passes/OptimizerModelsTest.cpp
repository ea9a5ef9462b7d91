// The optimizer on the shared real models: the structural results the
// optimizer promises (docs/passes.md), checked on the models themselves.
// Output equality is checked by the conformance property tests
// (conformance.optimize-*); here a quick interpreter comparison guards the
// same models too. Skips when ../shared/models (or $EDGEC_MODELS) is absent.
#include "ir/Annotations.h"
#include "interp/Interpreter.h"
#include "onnx/OnnxExporter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TestCase.h"
#include "passes/PassManager.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace edgec {
namespace {

std::string modelsDir() {
  if (const char *e = std::getenv("EDGEC_MODELS"); e && *e) return e;
  return std::string(EDGEC_SOURCE_DIR) + "/../shared/models";
}

std::unique_ptr<Model> load(const std::string &name,
                            std::map<std::string, TensorShape> shapes = {}) {
  std::string path = modelsDir() + "/" + name + "/model.onnx";
  if (!std::filesystem::exists(path)) return nullptr;
  ImportOptions io;
  io.inputShapes = std::move(shapes);
  auto m = importOnnxFile(path, test::evaluating(io));
  EXPECT_TRUE(m.isOk()) << (m.isOk() ? "" : m.error().message());
  return m.isOk() ? m.take() : nullptr;
}

void optimize(Model &m, int level, bool nhwc = false) {
  PassManager pm;
  ASSERT_TRUE(pm.addLevel(level).isOk());
  if (nhwc) {
    ASSERT_TRUE(pm.addStage(nhwcLayoutStage()).isOk());
  }
  Status s = pm.run(m);
  ASSERT_TRUE(s.isOk()) << s.error().message();
}

int countOps(const Model &m, const std::string &op) {
  int n = 0;
  for (const auto &node : m.graph->nodes()) n += node->opType == op;
  return n;
}

/// Runs both models on test_data_set_0's inputs; outputs must agree.
void expectSameOutputs(const Model &ref, const Model &opt, const std::string &name) {
  auto sets = loadTestDataSets(modelsDir() + "/" + name);
  ASSERT_TRUE(sets.isOk() && !sets->empty());
  std::map<std::string, Tensor> ins;
  size_t k = 0;
  for (const Value *v : ref.graph->inputs)
    if (!v->isInitializer() && k < (*sets)[0].inputs.size())
      ins[v->name] = (*sets)[0].inputs[k++];
  Interpreter a(ref), b(opt);
  auto ra = a.run(ins);
  auto rb = b.run(ins);
  ASSERT_TRUE(ra.isOk()) << ra.error().message();
  ASSERT_TRUE(rb.isOk()) << rb.error().message();
  ASSERT_EQ(ra->size(), rb->size());
  for (size_t i = 0; i < ra->size(); ++i)
    EXPECT_EQ(compareTensors((*rb)[i], (*ra)[i], {1e-4, 1e-5}), "") << "output " << i;
}

#define SKIP_IF_ABSENT(m)                                                      \
  if (!(m)) GTEST_SKIP() << "shared model not found under " << modelsDir()

TEST(OptimizerModelsTest, PaddleOcrClassifierShrinksAtO2) {
  auto ref = load("paddleocr-cls", {{"x", {1, 3, 48, 192}}});
  SKIP_IF_ABSENT(ref);
  auto m = load("paddleocr-cls", {{"x", {1, 3, 48, 192}}});
  size_t before = m->graph->nodes().size();
  optimize(*m, 2);
  EXPECT_EQ(countOps(*m, "Constant"), 0);
  EXPECT_EQ(countOps(*m, "BatchNormalization"), 0);
  EXPECT_EQ(countOps(*m, "Identity"), 0);
  EXPECT_EQ(countOps(*m, "HardSigmoid") + countOps(*m, "Clip"), 0)
      << "HardSwish/HardSigmoid spellings should be recognised and fused";
  EXPECT_LE(m->graph->nodes().size() * 10, before * 4)
      << before << " -> " << m->graph->nodes().size();
  expectSameOutputs(*ref, *m, "paddleocr-cls");
}

TEST(OptimizerModelsTest, PaddleOcrDynamicShapesStillShrink) {
  auto m = load("paddleocr-cls");
  SKIP_IF_ABSENT(m);
  size_t before = m->graph->nodes().size();
  optimize(*m, 2);
  EXPECT_EQ(countOps(*m, "Constant"), 0);
  EXPECT_EQ(countOps(*m, "BatchNormalization"), 0);
  EXPECT_LE(m->graph->nodes().size() * 10, before * 4);
}

TEST(OptimizerModelsTest, WakeWordClassifiersGetLayerNormAndFusedRelu) {
  int seen = 0;
  for (const char *name : {"wakeword-alexa", "wakeword-hey-jarvis",
                           "wakeword-hey-mycroft", "wakeword-hey-rhasspy"}) {
    auto ref = load(name);
    if (!ref) continue;
    ++seen;
    auto m = load(name);
    int means = countOps(*m, "ReduceMean");
    optimize(*m, 2);
    // Decomposed layer norms (two ReduceMeans each) become LayerNormalization.
    EXPECT_EQ(countOps(*m, "LayerNormalization"), means / 2) << name;
    EXPECT_EQ(countOps(*m, "ReduceMean"), 0) << name;
    EXPECT_EQ(countOps(*m, "Relu"), 0) << name;
    int fusedRelu = 0;
    for (const auto &n : m->graph->nodes())
      if (const Attribute *a = n->attr(kFusedActivationAttr); a && a->s == "Relu")
        ++fusedRelu;
    EXPECT_GE(fusedRelu, 2) << name;
    expectSameOutputs(*ref, *m, name);
  }
  if (!seen) GTEST_SKIP() << "no wake-word classifier under " << modelsDir();
}

/// Every Conv carries its activation; after NHWC every Transpose sits at the
/// network's edge: it reads a graph input (possibly through a Reshape) or
/// writes a graph output.
void checkCnn(const std::string &name, std::map<std::string, TensorShape> shapes) {
  auto ref = load(name, shapes);
  if (!ref) return;
  auto m = load(name, shapes);
  optimize(*m, 2, /*nhwc=*/true);
  int convs = 0, fused = 0;
  for (const auto &n : m->graph->nodes()) {
    if (n->opType == "Conv") {
      ++convs;
      fused += hasFusedActivation(*n);
      EXPECT_TRUE(isChannelsLast(*n)) << name << ": " << n->label();
    }
    // No activation is left running on its own after a Conv.
    if (n->domain.empty() && isFusibleActivation(n->opType)) {
      const Node *p = n->input(0)->producer();
      EXPECT_FALSE(p && p->opType == "Conv") << name << ": unfused " << n->label();
    }
    if (n->opType != "Transpose") continue;
    const Value *in = n->input(0);
    const Node *p = in->producer();
    bool atInput = in->isGraphInput() ||
                   (p && p->opType == "Reshape" && p->input(0)->isGraphInput());
    bool atOutput = m->graph->isGraphOutput(n->outputs[0]);
    EXPECT_TRUE(atInput || atOutput) << name << ": inner " << n->label();
  }
  // Every Conv but the final embedding/classifier layer carries one.
  EXPECT_GE(fused, convs - 1) << name;
  EXPECT_GT(convs, 0);
  expectSameOutputs(*ref, *m, name);
}

TEST(OptimizerModelsTest, CnnsCarryActivationsAndRunChannelsLast) {
  auto probe = load("mlperf-tiny-vww-onnx");
  SKIP_IF_ABSENT(probe);
  checkCnn("mlperf-tiny-vww-onnx", {});
  checkCnn("wakeword-embedding", {{"input_1", {1, 76, 32, 1}}});
}

TEST(OptimizerModelsTest, OptimizedExportIsDeterministic) {
  auto a = load("paddleocr-cls");
  SKIP_IF_ABSENT(a);
  auto b = load("paddleocr-cls");
  optimize(*a, 3);
  optimize(*b, 3);
  auto ba = exportOnnxBytes(*a);
  auto bb = exportOnnxBytes(*b);
  ASSERT_TRUE(ba.isOk() && bb.isOk());
  EXPECT_EQ(*ba, *bb);
  EXPECT_FALSE(ba->empty());
}

} // namespace
} // namespace edgec
