// Every pass against the reference interpreter (the Glow/ORT-optimizer way):
// each model of the lit tests (test/passes/**/*.onnxtxt) and the extra
// fusion cases below are run on deterministic pseudo-random inputs before
// and after optimization (-O3, and -O2 plus the NHWC layout); outputs must
// agree within rtol 1e-4 / atol 1e-5.
#include "interp/Interpreter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TestCase.h"
#include "passes/PassManager.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace edgec {
namespace {

namespace fs = std::filesystem;

std::map<std::string, Tensor> randomInputs(const Model &m) {
  std::map<std::string, Tensor> r;
  uint32_t state = 12345;
  for (const Value *v : m.graph->inputs) {
    if (v->isInitializer()) continue;
    EXPECT_TRUE(v->type.isStatic()) << v->name;
    Tensor t(v->type.dtype, v->type.staticShape());
    for (int64_t i = 0; i < t.numElements(); ++i) {
      state = state * 1664525u + 1013904223u;
      t.setDouble(i, ((double)(state >> 8) / (double)(1u << 24)) * 4.0 - 2.0);
    }
    r[v->name] = t;
  }
  return r;
}

void checkSame(const std::string &text, const std::string &what) {
  auto ref = importOnnxText(text, test::evaluating());
  ASSERT_TRUE(ref.isOk()) << what << ": " << ref.error().message();
  auto ins = randomInputs(**ref);
  Interpreter ri(**ref);
  auto expected = ri.run(ins);
  ASSERT_TRUE(expected.isOk()) << what << ": " << expected.error().message();
  for (int variant = 0; variant < 2; ++variant) {
    auto m = importOnnxText(text, test::evaluating());
    ASSERT_TRUE(m.isOk());
    PassManager pm;
    ASSERT_TRUE(pm.addLevel(variant == 0 ? 3 : 2).isOk());
    if (variant == 1) {
      ASSERT_TRUE(pm.addStage(nhwcLayoutStage()).isOk());
    }
    Status s = pm.run(**m);
    ASSERT_TRUE(s.isOk()) << what << ": " << s.error().message();
    Interpreter oi(**m);
    auto got = oi.run(ins);
    ASSERT_TRUE(got.isOk()) << what << ": " << got.error().message();
    ASSERT_EQ(got->size(), expected->size());
    for (size_t i = 0; i < got->size(); ++i)
      EXPECT_EQ(compareTensors((*got)[i], (*expected)[i], {1e-4, 1e-5}), "")
          << what << (variant ? " (O2+nhwc)" : " (O3)") << " output " << i;
  }
}

TEST(PassSemanticsTest, LitModelsKeepTheirOutputs) {
  fs::path root = fs::path(EDGEC_SOURCE_DIR) / "test" / "passes";
  std::vector<fs::path> files;
  for (const auto &e : fs::recursive_directory_iterator(root))
    if (e.path().extension() == ".onnxtxt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 10u);
  for (const fs::path &f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    checkSame(ss.str(), f.filename().string());
  }
}

const char *kHeader = "<\n  ir_version: 8,\n  opset_import: [\"\" : 13]\n>\n";

TEST(PassSemanticsTest, BatchNormFoldsIntoEveryAnchor) {
  // ConvTranspose with groups, Gemm with transB and alpha/beta and a bias,
  // and a rank-2 MatMul by a constant.
  checkSame(std::string(kHeader) + R"(
g (float[1,4,3,3] x, float[2,3] a) => (float[1,4,4,4] y, float[2,2] z, float[2,2] w)
  <float[4,2,2,2] tw = {1,2,3,4, -1,0,1,2, 3,2,1,0, 0.5,0.5,-0.5,1, 2,1,0,-1, 0,0,1,1, -2,1,1,0, 1,1,1,1},
   float[4] tb = {0.1, 0.2, 0.3, 0.4}, float[4] s = {1, 2, 0.5, -1}, float[4] bb = {0, 1, -1, 2},
   float[4] m = {0.1, -0.2, 0.3, 0}, float[4] v = {1, 2, 0.5, 4},
   float[2,3] gw = {1, 2, 3, -1, 0, 1}, float[2] gc = {0.5, -0.5},
   float[3,2] mw = {1, 0, -1, 2, 0.5, 1},
   float[2] s2 = {2, 3}, float[2] b2 = {1, -1}, float[2] m2 = {0.5, 0}, float[2] v2 = {1, 4}> {
  t = ConvTranspose <group = 2, kernel_shape = [2, 2]> (x, tw, tb)
  y = BatchNormalization <epsilon = 0.001> (t, s, bb, m, v)
  gm = Gemm <transB = 1, alpha = 0.5, beta = 2.0> (a, gw, gc)
  z = BatchNormalization(gm, s2, b2, m2, v2)
  mm = MatMul(a, mw)
  w = BatchNormalization(mm, s2, b2, m2, v2)
}
)", "bn anchors");
}

TEST(PassSemanticsTest, ConstantArithmeticFoldsIntoConvAndGemm) {
  checkSame(std::string(kHeader) + R"(
g (float[1,2,3,3] x, float[2,3] a) => (float[1,2,3,3] y, float[1,2,3,3] y2, float[2,2] z)
  <float[2,2,1,1] w = {1, 2, 3, 4}, float[2] b = {0.5, -0.5}, float[2,1,1] k = {2, -3},
   float five = {5}, float[2,3] gw = {1, 2, 3, -1, 0, 1}, float[2] c = {1, 2}> {
  c1 = Conv <kernel_shape = [1, 1]> (x, w, b)
  d1 = Div(c1, k)
  y = Sub(five, d1)
  c2 = Conv <kernel_shape = [1, 1]> (x, w)
  s2 = Sub(c2, k)
  y2 = Mul(s2, five)
  g1 = Gemm <transB = 1> (a, gw)
  g2 = Mul(g1, c)
  z = Add(g2, c)
}
)", "mul/add into anchors");
}

TEST(PassSemanticsTest, ActivationsFuseWithTheirParameters) {
  checkSame(std::string(kHeader) + R"(
g (float[1,2,3,3] x, float[2,2] a) => (float[1,2,3,3] y1, float[1,2,3,3] y2, float[2,2] y3, float[2,2] y4)
  <float[2,2,1,1] w = {1, -2, 3, -4}, float[2,2,1,1] w2 = {-1, 2, 0.5, 1}, float lo = {-0.5}, float hi = {0.75}, float[2,2] gw = {1, 2, -3, 1}> {
  c1 = Conv <kernel_shape = [1, 1]> (x, w)
  y1 = LeakyRelu <alpha = 0.3> (c1)
  c2 = Conv <kernel_shape = [1, 1]> (x, w2)
  y2 = Clip(c2, lo, hi)
  g1 = Gemm(a, gw)
  y3 = HardSigmoid <alpha = 0.3, beta = 0.4> (g1)
  m1 = MatMul(a, gw)
  y4 = HardSwish(m1)
}
)", "activations");
}

TEST(PassSemanticsTest, NhwcSinksThroughConcatAndPools) {
  checkSame(std::string(kHeader) + R"(
g (float[1,2,6,6] x) => (float[1,8] y)
  <float[2,2,3,3] w = {1,0,0, 0,1,0, 0,0,1,  1,1,1, 0,0,0, -1,-1,-1, 0,1,0, 1,0,1, 0,1,0, 2,0,0, 0,0,0, 0,0,-2},
   float[4,4,1,1] w2 = {1,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1}, int64[2] shp = {1, 8}> {
  a = Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1]> (x, w)
  b = Relu(a)
  p = MaxPool <kernel_shape = [2, 2], strides = [2, 2]> (b)
  q = AveragePool <kernel_shape = [2, 2], strides = [2, 2]> (b)
  c = Concat <axis = 1> (p, q)
  d = Conv <kernel_shape = [1, 1]> (c, w2)
  e = GlobalAveragePool(d)
  f = Concat <axis = 1> (e, e)
  y = Reshape(f, shp)
}
)", "nhwc concat/pools");
}

} // namespace
} // namespace edgec
