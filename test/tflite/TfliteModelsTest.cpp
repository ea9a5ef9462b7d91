// The TFLite front end on the shared .tflite models: every file imports and
// runs; the MLPerf Tiny int8 models reproduce TensorFlow Lite Micro's golden
// outputs byte for byte; the openWakeWord float models match their ONNX
// twins' reference outputs. Skips when ../shared/models (or $EDGEC_MODELS,
// or $EDGEC_SHARED_DIR/models) is absent.
#include "ZeroInputs.h"
#include "frontend/ModelLoader.h"
#include "ir/Annotations.h"
#include "interp/Interpreter.h"
#include "onnx/TensorProto.h"
#include "onnx/TestCase.h"
#include "support/FileIO.h"
#include "tflite/TfliteImporter.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace edgec {
namespace {

std::string modelsDir() {
  if (const char *e = std::getenv("EDGEC_MODELS"); e && *e) return e;
  if (const char *e = std::getenv("EDGEC_SHARED_DIR"); e && *e)
    return std::string(e) + "/models";
  return std::string(EDGEC_SOURCE_DIR) + "/../shared/models";
}

std::vector<std::string> sharedTfliteFiles() {
  std::vector<std::string> r;
  for (const char *dir : {"mlperf-tiny-tflite", "wakeword-tflite"}) {
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(modelsDir() + "/" + dir, ec))
      if (e.path().extension() == ".tflite") r.push_back(e.path().string());
  }
  std::sort(r.begin(), r.end());
  return r;
}

TEST(TfliteModels, EverySharedFileImportsAndRuns) {
  auto files = sharedTfliteFiles();
  if (files.empty())
    GTEST_SKIP() << "no shared .tflite models in " << modelsDir();
  int mlperfChecked = 0;
  for (const std::string &f : files) {
    SCOPED_TRACE(f);
    EXPECT_EQ(detectModelFormat(f), ModelFormat::Tflite);
    ImportOptions io;
    if (f.find("melspectrogram") != std::string::npos)
      io.inputShapes["serving_default_input:0"] = {1, 1280};
    auto m = loadModelFile(f, io);
    ASSERT_TRUE(m.isOk()) << m.error().message();
    // No transposes inside the CNNs: layout-sensitive ops are annotated.
    int transposes = 0;
    for (const auto &n : (*m)->graph->nodes())
      transposes += n->opType == "Transpose";
    if (f.find("mlperf") != std::string::npos) {
      ++mlperfChecked;
      EXPECT_EQ(transposes, 0);
    }
    Interpreter interp(**m);
    auto r = interp.run(edgec::test::zeroInputs(**m));
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ(r->size(), (*m)->graph->outputs.size());
  }
  // The layout property was checked on at least one CNN.
  EXPECT_GT(mlperfChecked, 0) << "no MLPerf Tiny model among the shared .tflite files";
}

TEST(TfliteModels, CorruptedSharedFileFailsCleanly) {
  std::string path = modelsDir() + "/mlperf-tiny-tflite/kws_ref_model.tflite";
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  auto bytes = readFileBytes(path);
  ASSERT_TRUE(bytes.isOk());
  const std::string &b = *bytes;
  // Truncations, then deterministic byte corruptions (a fixed LCG).
  for (size_t k = 0; k < 64; ++k) {
    size_t n = b.size() * k / 64;
    auto r = importTfliteBytes(b.data(), n, edgec::test::evaluating());
    ASSERT_FALSE(r.isOk()) << n;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidModel) << r.error().message();
  }
  uint64_t state = 12345;
  for (int i = 0; i < 400; ++i) {
    std::string c = b;
    for (int j = 0; j < 4; ++j) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      c[(size_t)((state >> 33) % c.size())] ^= (char)(1 + (state >> 20) % 255);
    }
    auto r = importTfliteBytes(c.data(), c.size(), edgec::test::evaluating());
    if (!r.isOk()) {
      EXPECT_NE(r.error().code(), ErrorCode::Internal) << r.error().message();
      continue;
    }
    bool small = true;
    for (const Value *v : (*r)->graph->inputs) {
      auto n = v->type.isStatic() ? checkedNumElements(v->type.staticShape())
                                  : Expected<int64_t>(int64_t(0));
      small = small && v->type.isStatic() && n.isOk() && *n <= (1 << 20);
    }
    if (!small) continue;
    Interpreter interp(**r);
    (void)interp.run(edgec::test::zeroInputs(**r));
  }
}

struct Golden {
  const char *model;
  const char *task;
};

class TfliteGolden : public ::testing::TestWithParam<Golden> {};

TEST_P(TfliteGolden, BitExactWithTfliteMicro) {
  const Golden &g = GetParam();
  std::string model = modelsDir() + "/mlperf-tiny-tflite/" + g.model;
  std::string set =
      modelsDir() + "/mlperf-tiny-tflite/golden/" + g.task + "/test_data_set_0";
  if (!fs::exists(model) || !fs::exists(set + "/output_0.pb"))
    GTEST_SKIP() << model << " or its golden data is absent";
  auto m = importTfliteFile(model, edgec::test::evaluating());
  ASSERT_TRUE(m.isOk()) << m.error().message();
  auto in = readTensorProtoFile(set + "/input_0.pb");
  auto want = readTensorProtoFile(set + "/output_0.pb");
  ASSERT_TRUE(in.isOk() && want.isOk());
  ASSERT_EQ((*m)->graph->inputs.size(), 1u);
  Interpreter interp(**m);
  auto r = interp.run({{(*m)->graph->inputs[0]->name, *in}});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  const Tensor &got = (*r)[0];
  ASSERT_EQ(got.dtype(), want->dtype());
  ASSERT_EQ(got.numElements(), want->numElements());
  int64_t diffs = 0, first = -1;
  for (int64_t i = 0; i < got.numElements(); ++i)
    if (got.getInt64(i) != want->getInt64(i)) {
      if (first < 0) first = i;
      ++diffs;
    }
  EXPECT_EQ(diffs, 0) << diffs << " of " << got.numElements()
                      << " elements differ; first at " << first << ": got "
                      << (first >= 0 ? got.getInt64(first) : 0) << ", want "
                      << (first >= 0 ? want->getInt64(first) : 0);
  EXPECT_TRUE(got.reshaped(want->shape()).identical(*want));
}

INSTANTIATE_TEST_SUITE_P(
    MlperfTiny, TfliteGolden,
    ::testing::Values(Golden{"kws_ref_model.tflite", "mlperf-tiny-kws-int8"},
                      Golden{"vww_96_int8.tflite", "mlperf-tiny-vww-int8"},
                      Golden{"pretrainedResnet_quant.tflite",
                             "mlperf-tiny-resnet-int8"},
                      Golden{"ad01_int8.tflite", "mlperf-tiny-ad-int8"}),
    [](const ::testing::TestParamInfo<Golden> &i) {
      std::string n = i.param.task;
      for (char &c : n)
        if (!std::isalnum((unsigned char)c)) c = '_';
      return n;
    });

/// Elements of all float initializers with more than one element (weights).
int64_t parameterCount(const Model &m) {
  int64_t n = 0;
  std::vector<const Graph *> todo{m.graph.get()};
  while (!todo.empty()) {
    const Graph *g = todo.back();
    todo.pop_back();
    for (const auto &v : g->values())
      if (v->isInitializer() && v->constant->dtype() == DataType::Float32 &&
          v->constant->numElements() > 1)
        n += v->constant->numElements();
    for (const auto &node : g->nodes())
      for (const Graph *sg : node->subgraphs())
        todo.push_back(sg);
  }
  return n;
}

struct Twin {
  const char *tflite;
  const char *onnxCase;
};

class TfliteOnnxTwin : public ::testing::TestWithParam<Twin> {};

TEST_P(TfliteOnnxTwin, MatchesOnnxReferenceOutputs) {
  const Twin &t = GetParam();
  std::string model = modelsDir() + "/wakeword-tflite/" + t.tflite;
  std::string caseDir = modelsDir() + "/" + t.onnxCase;
  if (!fs::exists(model) || !fs::exists(caseDir))
    GTEST_SKIP() << model << " or " << caseDir << " is absent";
  auto sets = loadTestDataSets(caseDir);
  ASSERT_TRUE(sets.isOk() && !sets->empty());
  const TestDataSet &ds = (*sets)[0];
  ASSERT_EQ(ds.inputs.size(), 1u);
  // Peek at the input name, then import with the ONNX input's shape.
  auto probe = importTfliteFile(model, edgec::test::evaluating());
  ASSERT_TRUE(probe.isOk()) << probe.error().message();
  ASSERT_EQ((*probe)->graph->inputs.size(), 1u);
  const Value *in = (*probe)->graph->inputs[0];
  Tensor x = ds.inputs[0];
  ImportOptions io;
  if (in->type.isStatic() && in->type.staticShape() != x.shape()) {
    if (checkedNumElements(in->type.staticShape()).isOk() &&
        *checkedNumElements(in->type.staticShape()) == x.numElements())
      x = x.reshaped(in->type.staticShape());
    else
      io.inputShapes[in->name] = x.shape();
  }
  auto m = importTfliteFile(model, edgec::test::evaluating(io));
  ASSERT_TRUE(m.isOk()) << m.error().message();
  // Only true twins are comparable: the shared hey_rhasspy ONNX and TFLite
  // files are different trainings (hidden width 32 vs 64).
  auto onnx = importOnnxFile(caseDir + "/model.onnx", edgec::test::evaluating());
  ASSERT_TRUE(onnx.isOk()) << onnx.error().message();
  const int64_t pOnnx = parameterCount(**onnx), pTflite = parameterCount(**m);
  if (std::abs(pOnnx - pTflite) * 10 > pOnnx) // converters add a few constants
    GTEST_SKIP() << t.tflite << " (" << parameterCount(**m)
                 << " parameters) is not the same model as " << t.onnxCase
                 << " (" << parameterCount(**onnx) << ")";
  Interpreter interp(**m);
  auto r = interp.run({{(*m)->graph->inputs[0]->name, x}});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ(r->size(), ds.outputs.size());
  for (size_t i = 0; i < r->size(); ++i) {
    const Tensor &want = ds.outputs[i];
    ASSERT_EQ((*r)[i].numElements(), want.numElements())
        << describe((*r)[i]) << " vs " << describe(want);
    Tensor got = (*r)[i].reshaped(want.shape());
    CompareOptions co;
    co.rtol = 1e-4;
    co.atol = 1e-5;
    EXPECT_EQ(compareTensors(got, want, co), "") << "output " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Wakeword, TfliteOnnxTwin,
    ::testing::Values(Twin{"melspectrogram.tflite", "wakeword-melspectrogram"},
                      Twin{"embedding_model.tflite", "wakeword-embedding"},
                      Twin{"alexa_v0.1.tflite", "wakeword-alexa"},
                      Twin{"hey_jarvis_v0.1.tflite", "wakeword-hey-jarvis"},
                      Twin{"hey_mycroft_v0.1.tflite", "wakeword-hey-mycroft"}),
    // Not hey_rhasspy: the shared ONNX and TFLite files are different
    // trainings (hidden width 32 vs 64), so it would only ever skip.
    [](const ::testing::TestParamInfo<Twin> &i) {
      std::string n = i.param.onnxCase;
      for (char &c : n)
        if (!std::isalnum((unsigned char)c)) c = '_';
      return n;
    });

} // namespace
} // namespace edgec
