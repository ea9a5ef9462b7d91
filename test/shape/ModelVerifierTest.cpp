// The one verifier every command runs (shape/ModelVerifier.h): which models
// it rejects, with which code, message and node; what it accepts.
#include "shape/ModelVerifier.h"

#include "interp/ConstantEvaluation.h"
#include "onnx/OnnxImporter.h"

#include <gtest/gtest.h>

using namespace edgec;

namespace {

/// Imports without inference (as the frontend's loader does: the verifier
/// infers).
std::unique_ptr<Model> load(const std::string &graph) {
  ImportOptions o;
  o.inferShapes = false;
  auto m = importOnnxText("<ir_version: 8, opset_import: [\"\" : 13]>\n" + graph, o);
  EXPECT_TRUE(m.isOk()) << (m.isOk() ? "" : m.error().message());
  return m.isOk() ? m.take() : nullptr;
}

Verdict verify(Model &m, bool declared = true) {
  VerifyOptions o;
  o.inference.evaluator = &interpreterEvaluator();
  o.checkDeclaredTypes = declared;
  return verifyModel(m, o);
}

} // namespace

TEST(ModelVerifierTest, AcceptsAValidModelAndInfersItsShapes) {
  auto m = load("g (float[1,3,4,4] x) => (y) <float[2,3,1,1] w = {1,1,1,1,1,1}> {\n"
                "  c = Conv(x, w)\n  y = Relu(c)\n}");
  ASSERT_TRUE(m);
  Verdict v = verify(*m);
  ASSERT_TRUE(v.isOk()) << v.status.error().message();
  EXPECT_EQ(v.node, nullptr);
  EXPECT_EQ(m->graph->outputs[0]->type.str(), "f32[1,2,4,4]");
}

TEST(ModelVerifierTest, ReshapeConstantMustHoldTheElementCount) {
  auto m = load("g (float[2,3] x) => (y) <int64[2] s = {4, 4}> {\n"
                "  y = Reshape(x, s)\n}");
  ASSERT_TRUE(m);
  Verdict v = verify(*m);
  ASSERT_FALSE(v.isOk());
  EXPECT_EQ(v.status.error().code(), ErrorCode::InvalidModel);
  EXPECT_EQ(v.status.error().message(),
            "node 'Reshape_0' (Reshape): cannot reshape 6 elements into 16");
  ASSERT_NE(v.node, nullptr);
  EXPECT_EQ(v.node->opType, "Reshape");
}

TEST(ModelVerifierTest, ConvWeightsMustMatchInputChannelsAndGroup) {
  auto bad = load("g (float[1,4,4,4] x) => (y) <float[2,4,1,1] w = {1,1,1,1,1,1,1,1}> {\n"
                  "  y = Conv<group = 2>(x, w)\n}");
  ASSERT_TRUE(bad);
  Verdict v = verify(*bad);
  ASSERT_FALSE(v.isOk());
  EXPECT_EQ(v.status.error().message(),
            "node 'Conv_0' (Conv): weights f32[2,4,1,1] do not match input "
            "f32[1,4,4,4] with group 2");
  auto good = load("g (float[1,4,4,4] x) => (y) <float[2,2,1,1] w = {1,1,1,1}> {\n"
                   "  y = Conv<group = 2>(x, w)\n}");
  ASSERT_TRUE(good);
  EXPECT_TRUE(verify(*good).isOk());
}

TEST(ModelVerifierTest, SameTypeOpsRejectMixedElementTypesButPowDoesNot) {
  auto add = load("g (float[2] x, int64[2] c) => (y) {\n  y = Add(x, c)\n}");
  ASSERT_TRUE(add);
  Verdict v = verify(*add);
  ASSERT_FALSE(v.isOk());
  EXPECT_EQ(v.status.error().message(),
            "node 'Add_0' (Add): input types differ (f32 vs i64)");
  auto pow = load("g (float[2] x, int64[2] c) => (y) {\n  y = Pow(x, c)\n}");
  ASSERT_TRUE(pow);
  EXPECT_TRUE(verify(*pow).isOk());
}

TEST(ModelVerifierTest, DeclaredOutputTypesMustMatchWhatTheModelComputes) {
  const char *g = "g (float[2,3] x) => (float[3,2] y) {\n  y = Relu(x)\n}";
  auto m = load(g);
  ASSERT_TRUE(m);
  Verdict v = verify(*m);
  ASSERT_FALSE(v.isOk());
  EXPECT_EQ(v.status.error().message(),
            "node 'Relu_0' (Relu): output 'y' is declared f32[3,2] but the "
            "model computes f32[2,3]");
  // Not compared when input shapes were overridden.
  auto again = load(g);
  ASSERT_TRUE(again);
  EXPECT_TRUE(verify(*again, /*declared=*/false).isOk());
}

TEST(ModelVerifierTest, QuantizedNodesAreLeftToTheirIntegerKernels) {
  const char *g = "g (int8[1,4] x) => (y) {\n  y = Softmax(x)\n}";
  auto flt = load(g);
  ASSERT_TRUE(flt);
  EXPECT_FALSE(verify(*flt).isOk()); // a float Softmax on int8
  auto q = load(g);
  ASSERT_TRUE(q);
  Value *y = q->graph->outputs[0];
  y->type = TensorType(DataType::Int8, {1, 4});
  y->quant = QuantParams{{1.0f / 256}, {-128}, -1};
  Verdict v = verify(*q);
  EXPECT_TRUE(v.isOk()) << v.status.error().message();
}

TEST(ModelVerifierTest, ParameterConstantsMustMatchTheirUses) {
  struct Case {
    const char *graph, *message;
  } cases[] = {
      {"g (float[1,3,4,4] x) => (y) <float[2,3,1,1] w = {1,1,1,1,1,1}, float[3] b = {0,0,0}> {\n"
       "  y = Conv(x, w, b)\n}",
       "node 'Conv_0' (Conv): bias f32[3] does not match the 2 output channels "
       "of weights f32[2,3,1,1]"},
      {"g (float[1,3,2,2] x) => (y) <float[2] s = {1,1}, float[3] b = {0,0,0}, "
       "float[3] m = {0,0,0}, float[3] v = {1,1,1}> {\n"
       "  y = BatchNormalization(x, s, b, m, v)\n}",
       "node 'BatchNormalization_0' (BatchNormalization): parameter 1 f32[2] "
       "does not match the channel count 3"},
      {"g (float[2,3] x) => (y) <float[3,2] w = {1,1,1,1,1,1}, float[3] b = {1,1,1}> {\n"
       "  y = Gemm(x, w, b)\n}",
       "node 'Gemm_0' (Gemm): bias C f32[3] cannot be broadcast to [2,2]"},
      {"g (float[2,3] x) => (y) <float[4,2] w = {1,1,1,1,1,1,1,1}> {\n"
       "  y = MatMul(x, w)\n}",
       "node 'MatMul_0' (MatMul): matmul inner dimensions differ: f32[2,3] x "
       "f32[4,2]"},
      {"g (float[2,3] x) => (y) <int64[2] i = {0, -4}> {\n"
       "  y = Gather<axis = 1>(x, i)\n}",
       "node 'Gather_0' (Gather): index -4 is out of range for a dim of size 3"},
  };
  for (const Case &c : cases) {
    auto m = load(c.graph);
    ASSERT_TRUE(m);
    Verdict v = verify(*m);
    ASSERT_FALSE(v.isOk()) << c.message;
    EXPECT_EQ(v.status.error().code(), ErrorCode::InvalidModel);
    EXPECT_EQ(v.status.error().message(), c.message);
  }
  // The same parameters with matching sizes verify.
  auto ok = load("g (float[1,3,2,2] x) => (y) <float[3] s = {1,1,1}, float[3] b = {0,0,0}, "
                 "float[3] m = {0,0,0}, float[3] v = {1,1,1}, float[2,3,1,1] w = {1,1,1,1,1,1}, "
                 "float[2] cb = {0,0}, float[2,8] g = {1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}, "
                 "float[2] gb = {1,1}> {\n"
                 "  n = BatchNormalization(x, s, b, m, v)\n"
                 "  c = Conv(n, w, cb)\n  f = Flatten(c)\n"
                 "  y = Gemm<transB = 1>(f, g, gb)\n}");
  ASSERT_TRUE(ok);
  Verdict v = verify(*ok);
  ASSERT_TRUE(v.isOk()) << v.status.error().message();
  EXPECT_EQ(ok->graph->outputs[0]->type.str(), "f32[1,2]");
}

TEST(ModelVerifierTest, UnsupportedFeaturesAreNotValidityErrors) {
  // An output_dtype edgec does not know: unsupported (exit 5 where a
  // command needs it), not an invalid model.
  const char *g = "g (float[2] x, float sc) => (y) {\n  y = QuantizeLinear<output_dtype = 8>(x, sc)\n}";
  auto probe = load(g);
  ASSERT_TRUE(probe);
  std::vector<ShapeDiagnostic> d = inferShapesDiagnose(*probe);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].error.code(), ErrorCode::Unsupported);
  auto m = load(g);
  ASSERT_TRUE(m);
  Verdict v = verify(*m);
  EXPECT_TRUE(v.isOk()) << v.status.error().message();
}
