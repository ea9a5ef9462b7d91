// The TFLite export pipeline (lib/export/TfliteExport): round trips of the shared
// .tflite models (identical interpreter outputs, the MLPerf Tiny int8
// goldens byte for byte), deterministic bytes, ONNX float models exported
// and re-imported (rtol 1e-4), and the one clean error for unsupported
// nodes. Shared-data tests skip without ../shared/models ($EDGEC_MODELS or
// $EDGEC_SHARED_DIR/models point elsewhere).
#include "export/TfliteExport.h"
#include "frontend/ModelLoader.h"
#include "interp/Interpreter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TestCase.h"
#include "onnx/TensorProto.h"
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

/// Deterministic inputs of the declared (static) input types.
std::map<std::string, Tensor> patternInputs(const Model &m) {
  std::map<std::string, Tensor> r;
  for (const Value *v : m.graph->inputs) {
    if (v->constant) continue;
    TensorShape s;
    for (const Dim &d : v->type.dims) s.push_back(d.isStatic() ? d.value : 1);
    Tensor t(v->type.dtype, s);
    for (int64_t i = 0; i < t.numElements(); ++i) {
      if (isFloatType(v->type.dtype)) t.setDouble(i, std::sin(0.37 * (double)i) * 0.9);
      else t.setInt64(i, (i * 7) % 256 - 128);
    }
    r[v->name] = t;
  }
  return r;
}

struct RoundTrip {
  std::vector<Tensor> before, after;
  std::string bytes;
};

/// Imports `path`, runs it, exports it, re-imports the bytes and runs again.
RoundTrip roundTrip(const std::string &path, const ImportOptions &io = {}) {
  RoundTrip rt;
  auto m = loadModelFile(path, io);
  EXPECT_TRUE(m.isOk()) << m.error().message();
  if (!m) return rt;
  auto in = patternInputs(**m);
  Interpreter i1(**m);
  auto r1 = i1.run(in);
  EXPECT_TRUE(r1.isOk()) << r1.error().message();
  if (!r1) return rt;
  rt.before = *r1;
  auto bytes = exportTfliteBytes(**m);
  EXPECT_TRUE(bytes.isOk()) << bytes.error().message();
  if (!bytes) return rt;
  rt.bytes = *bytes;
  EXPECT_TRUE(looksLikeTflite(bytes->data(), bytes->size()));
  auto m2 = importTfliteBytes(bytes->data(), bytes->size(), edgec::test::evaluating());
  EXPECT_TRUE(m2.isOk()) << m2.error().message();
  if (!m2) return rt;
  std::map<std::string, Tensor> in2;
  for (const Value *v : (*m2)->graph->inputs)
    if (in.count(v->name)) in2[v->name] = in[v->name];
  Interpreter i2(**m2);
  auto r2 = i2.run(in2);
  EXPECT_TRUE(r2.isOk()) << r2.error().message();
  if (r2) rt.after = *r2;
  return rt;
}

TEST(TfliteExport, SharedTfliteModelsRoundTripIdentically) {
  std::vector<std::string> files;
  for (const char *dir : {"mlperf-tiny-tflite", "wakeword-tflite"}) {
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(modelsDir() + "/" + dir, ec))
      if (e.path().extension() == ".tflite") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) GTEST_SKIP() << "no shared .tflite models in " << modelsDir();
  for (const std::string &f : files) {
    SCOPED_TRACE(f);
    ImportOptions io;
    if (f.find("melspectrogram") != std::string::npos)
      io.inputShapes["serving_default_input:0"] = {1, 1280};
    RoundTrip rt = roundTrip(f, io);
    ASSERT_EQ(rt.before.size(), rt.after.size());
    for (size_t i = 0; i < rt.before.size(); ++i)
      EXPECT_TRUE(rt.before[i].identical(rt.after[i])) << "output " << i;
  }
}

TEST(TfliteExport, MlperfInt8GoldensSurviveTheRoundTrip) {
  const std::string root = modelsDir() + "/mlperf-tiny-tflite";
  const std::pair<const char *, const char *> cases[] = {
      {"kws_ref_model.tflite", "kws"},
      {"vww_96_int8.tflite", "vww"},
      {"pretrainedResnet_quant.tflite", "resnet"},
      {"ad01_int8.tflite", "ad"}};
  if (!fs::exists(root + "/golden")) GTEST_SKIP() << "no goldens in " << root;
  int checked = 0;
  for (const auto &[file, task] : cases) {
    SCOPED_TRACE(file);
    std::string dir;
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(root + "/golden", ec))
      if (e.path().filename().string().find(task) != std::string::npos) dir = e.path().string();
    if (dir.empty()) continue;
    auto in = readTensorProtoFile(dir + "/test_data_set_0/input_0.pb");
    auto want = readTensorProtoFile(dir + "/test_data_set_0/output_0.pb");
    ASSERT_TRUE(in.isOk() && want.isOk());
    auto m = loadModelFile(root + "/" + file);
    ASSERT_TRUE(m.isOk()) << m.error().message();
    auto bytes = exportTfliteBytes(**m);
    ASSERT_TRUE(bytes.isOk()) << bytes.error().message();
    auto m2 = importTfliteBytes(bytes->data(), bytes->size(), edgec::test::evaluating());
    ASSERT_TRUE(m2.isOk()) << m2.error().message();
    Interpreter interp(**m2);
    std::map<std::string, Tensor> feeds{{(*m2)->graph->inputs[0]->name, *in}};
    auto out = interp.run(feeds);
    ASSERT_TRUE(out.isOk()) << out.error().message();
    EXPECT_TRUE((*out)[0].reshaped(want->shape()).identical(*want));
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST(TfliteExport, BytesAreDeterministic) {
  const std::string f = modelsDir() + "/mlperf-tiny-tflite/vww_96_int8.tflite";
  if (!fs::exists(f)) GTEST_SKIP() << f << " is absent";
  auto a = loadModelFile(f), b = loadModelFile(f);
  ASSERT_TRUE(a.isOk() && b.isOk());
  auto x = exportTfliteBytes(**a), y = exportTfliteBytes(**b), z = exportTfliteBytes(**a);
  ASSERT_TRUE(x.isOk() && y.isOk() && z.isOk());
  EXPECT_EQ(*x, *y);
  EXPECT_EQ(*x, *z);
  // Buffer 0 is TFLite's empty sentinel; the file is 16-byte aligned.
  EXPECT_EQ(x->size() % 4, 0u);
}

TEST(TfliteExport, OnnxFloatModelsMatchAfterExport) {
  const std::pair<const char *, std::vector<int64_t>> cases[] = {
      {"mlperf-tiny-vww-onnx", {}},
      {"wakeword-hey-jarvis", {}},
      {"wakeword-alexa", {}},
      {"paddleocr-cls", {1, 3, 48, 192}}};
  int checked = 0;
  for (const auto &[dir, shape] : cases) {
    const std::string f = modelsDir() + "/" + dir + "/model.onnx";
    if (!fs::exists(f)) continue;
    SCOPED_TRACE(f);
    ImportOptions io;
    if (!shape.empty()) io.inputShapes["x"] = shape;
    RoundTrip rt = roundTrip(f, io);
    ASSERT_EQ(rt.before.size(), rt.after.size());
    for (size_t i = 0; i < rt.before.size(); ++i) {
      const Tensor &a = rt.before[i], &b = rt.after[i];
      ASSERT_EQ(a.numElements(), b.numElements());
      double maxRef = 0;
      for (int64_t e = 0; e < a.numElements(); ++e) maxRef = std::max(maxRef, std::fabs(a.getDouble(e)));
      for (int64_t e = 0; e < a.numElements(); ++e)
        EXPECT_NEAR(a.getDouble(e), b.getDouble(e), 1e-4 * std::max(1.0, maxRef)) << "element " << e;
    }
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no shared ONNX models in " << modelsDir();
}

TEST(TfliteExport, NchwCnnGetsTransposesOnlyAtTheBoundary) {
  auto m = importOnnxText(R"(
<ir_version: 8, opset_import: ["" : 13]>
g (float[1,3,8,8] x) => (float[1,4,4,4] y) {
  w = Constant<value=float[4,3,3,3] {1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,
    1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,
    1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,
    1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9}>()
  c = Conv<pads=[1,1,1,1], strides=[1,1]>(x, w)
  r = Relu(c)
  y = MaxPool<kernel_shape=[2,2], strides=[2,2]>(r)
}
)", edgec::test::evaluating());
  ASSERT_TRUE(m.isOk()) << m.error().message();
  auto in = patternInputs(**m);
  Interpreter i1(**m);
  auto r1 = i1.run(in);
  ASSERT_TRUE(r1.isOk());
  auto bytes = exportTfliteBytes(**m);
  ASSERT_TRUE(bytes.isOk()) << bytes.error().message();
  auto m2 = importTfliteBytes(bytes->data(), bytes->size(), edgec::test::evaluating());
  ASSERT_TRUE(m2.isOk()) << m2.error().message();
  int transposes = 0, convs = 0;
  for (const auto &n : (*m2)->graph->nodes()) {
    transposes += n->opType == "Transpose";
    convs += n->opType == "Conv";
  }
  EXPECT_EQ(convs, 1);
  EXPECT_EQ(transposes, 2); // after the input and before the output
  Interpreter i2(**m2);
  auto r2 = i2.run(in);
  ASSERT_TRUE(r2.isOk()) << r2.error().message();
  for (int64_t e = 0; e < (*r1)[0].numElements(); ++e)
    EXPECT_NEAR((*r1)[0].getDouble(e), (*r2)[0].getDouble(e), 1e-4);
}

/// A QDQ Conv with explicit pads that are not SAME (stride 2, pads 1 on a
/// 5x5 input), an input zero point of 3 and a bias whose scale is 1% off
/// s_in * s_w (as a quantizer may write it).
constexpr const char *kPaddedQdqConv = R"(
<ir_version: 8, opset_import: ["" : 13]>
g (float[1,2,6,6] x) => (float[1,2,3,3] y)
  <float s = {0.05}, int8 z = {3}, float s2 = {0.1}, int8 z2 = {-7},
   int8[2,2,3,3] wq = {10,-20,30,127,5,6,7,8,9,1,2,3,4,5,6,7,8,9,-1,-2,-3,-4,-5,-6,-7,-8,-9,
                       11,12,13,14,15,16,17,18,19},
   float ws = {0.01}, int8 wz = {0},
   int32[2] bq = {100, -250}, float bs = {0.000505}, int32 bz = {0}> {
  xq = QuantizeLinear(x, s, z)
  xd = DequantizeLinear(xq, s, z)
  wd = DequantizeLinear(wq, ws, wz)
  bd = DequantizeLinear(bq, bs, bz)
  c = Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]> (xd, wd, bd)
  cq = QuantizeLinear(c, s2, z2)
  y = DequantizeLinear(cq, s2, z2)
}
)";

std::map<std::string, int> opCounts(const Model &m) {
  std::map<std::string, int> r;
  for (const auto &n : m.graph->nodes()) ++r[n->opType];
  return r;
}

TEST(TfliteExport, QuantizedZeroPaddingIsWrittenAsConcatenation) {
  // Arm NN 20.08 pads quantized tensors with 0 instead of the zero point:
  // by default the padding is CONCATENATIONs of zero-point blocks; both
  // forms mean the same to a TFLite reader (identical outputs here).
  std::vector<Tensor> outs[2];
  for (int form = 0; form < 2; ++form) {
    auto m = importOnnxText(kPaddedQdqConv, edgec::test::evaluating());
    ASSERT_TRUE(m.isOk()) << m.error().message();
    TfliteExportOptions o;
    o.profile.quantizedPadAsConcat = form == 0;
    auto bytes = exportTfliteBytes(**m, o);
    ASSERT_TRUE(bytes.isOk()) << bytes.error().message();
    auto m2 = importTfliteBytes(bytes->data(), bytes->size(), edgec::test::evaluating());
    ASSERT_TRUE(m2.isOk()) << m2.error().message();
    auto ops = opCounts(**m2);
    EXPECT_EQ(ops["Pad"], form == 0 ? 0 : 1);
    EXPECT_EQ(ops["Concat"], form == 0 ? 2 : 0); // one per padded dim (H, W)
    if (form == 0) {
      // The blocks hold the zero point in the input's parameters.
      int blocks = 0;
      for (const auto &n : (*m2)->graph->nodes())
        if (n->opType == "Concat")
          for (const Value *v : n->inputs)
            if (v && v->constant) {
              ++blocks;
              ASSERT_TRUE(v->quant.has_value());
              EXPECT_FLOAT_EQ(v->quant->scale.at(0), 0.05f);
              EXPECT_EQ(v->quant->zeroPoint.at(0), 3);
              for (int64_t e = 0; e < v->constant->numElements(); ++e)
                ASSERT_EQ(v->constant->getInt64(e), 3);
            }
      EXPECT_EQ(blocks, 4); // top, bottom, left, right
    }
    auto in = patternInputs(**m2);
    Interpreter interp(**m2);
    auto r = interp.run(in);
    ASSERT_TRUE(r.isOk()) << r.error().message();
    outs[form] = *r;
  }
  ASSERT_EQ(outs[0].size(), 1u);
  ASSERT_EQ(outs[1].size(), 1u);
  ASSERT_EQ(outs[0][0].numElements(), 18);
  bool anyNonZero = false;
  for (int64_t e = 0; e < 18; ++e) {
    EXPECT_EQ(outs[0][0].getDouble(e), outs[1][0].getDouble(e)) << "element " << e;
    anyNonZero = anyNonZero || outs[0][0].getDouble(e) != 0.0;
  }
  EXPECT_TRUE(anyNonZero);
}

TEST(TfliteExport, QuantizedBiasHasTheAccumulatorScale) {
  // The bias keeps its int32 values (TFLite adds them to the accumulator as
  // they are) and gets the scale s_in * s_w, not the QDQ model's 0.000505.
  auto m = importOnnxText(kPaddedQdqConv, edgec::test::evaluating());
  ASSERT_TRUE(m.isOk()) << m.error().message();
  auto bytes = exportTfliteBytes(**m);
  ASSERT_TRUE(bytes.isOk()) << bytes.error().message();
  auto m2 = importTfliteBytes(bytes->data(), bytes->size(), edgec::test::evaluating());
  ASSERT_TRUE(m2.isOk()) << m2.error().message();
  int convs = 0;
  for (const auto &n : (*m2)->graph->nodes()) {
    if (n->opType != "Conv") continue;
    ++convs;
    const Value *b = n->input(2);
    ASSERT_TRUE(b && b->constant && b->quant);
    EXPECT_FLOAT_EQ(b->quant->scale.at(0), (float)((double)0.05f * (double)0.01f));
    EXPECT_EQ(b->constant->getInt64(0), 100);
    EXPECT_EQ(b->constant->getInt64(1), -250);
  }
  EXPECT_EQ(convs, 1);
}

TEST(TfliteExport, UnsupportedNodesAreAllListedInOneError) {
  auto m = importOnnxText(R"(
<ir_version: 8, opset_import: ["" : 13]>
g (float[2,3] x) => (float[2,3] y) {
  a = Erf(x)
  b = Relu(a)
  c = Softplus(b)
  y = Abs(c)
}
)", edgec::test::evaluating());
  ASSERT_TRUE(m.isOk()) << m.error().message();
  auto bytes = exportTfliteBytes(**m);
  ASSERT_FALSE(bytes.isOk());
  EXPECT_EQ(bytes.error().code(), ErrorCode::Unsupported);
  const std::string &msg = bytes.error().message();
  EXPECT_NE(msg.find("2 nodes cannot be written as TFLite"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(Erf)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(Softplus)"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("(Relu)"), std::string::npos) << msg;
}

} // namespace
} // namespace edgec
