// The support query (tflite/TfliteSupport.h) against the writer: for every
// op of the writer's table, small graphs in accepted and refused forms,
// prepared as `edgec export` prepares them; tfliteSupport must agree with
// writeTflite node for node (accepted: the file holds exactly the reported
// operators and versions; refused: the writer's error names the node with
// the same reason). Every accepted form is also refused once by a profile
// that lacks its operator, and the max-version, type and rank limits of
// TfliteProfile are checked on their own.
#include "export/TfliteExport.h"
#include "ir/Annotations.h"
#include "onnx/OnnxImporter.h"
#include "tflite/TfliteSupport.h"
#include "tflite/TfliteVerify.h"

#include <gtest/gtest.h>

#include <set>

namespace edgec {
namespace {

struct Case {
  std::string op;     ///< the table entry under test (first node of that type)
  std::string text;   ///< the model, ONNX text syntax
  std::string expect; ///< accepted: its principal operator; refused: "!" + part of the reason
  bool nhwc = false;  ///< annotate the node edgec.layout = "NHWC" first
};

std::string model(const std::string &sig, const std::string &body, int opset = 13,
                  const std::string &inits = "") {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\ng " + sig +
         (inits.empty() ? "" : "\n  <" + inits + ">") + " {\n" + body + "\n}\n";
}

std::string unary(const std::string &op, const std::string &attrs = "", int opset = 13) {
  return model("(float[1,4] x) => (float[1,4] y)", "  y = " + op + attrs + "(x)", opset);
}
std::string binary(const std::string &op, const std::string &t = "float",
                   const std::string &out = "float") {
  return model("(" + t + "[2,3] a, " + t + "[2,3] b) => (" + out + "[2,3] y)",
               "  y = " + op + "(a, b)");
}

const char *kW3 = "float[4,3,3,3] w = {1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,"
                  "1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,"
                  "1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,"
                  "1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9}";

/// An int8 QDQ Conv (per-tensor weights): folded to an integer Conv.
std::string qdqConv() {
  return model("(float[1,2,4,4] x) => (float[1,2,4,4] y)",
               "  xq = QuantizeLinear(x, s, z)\n"
               "  xd = DequantizeLinear(xq, s, z)\n"
               "  wd = DequantizeLinear(wq, ws, wz)\n"
               "  c = Conv <kernel_shape = [1, 1]> (xd, wd)\n"
               "  cq = QuantizeLinear(c, s2, z2)\n"
               "  y = DequantizeLinear(cq, s2, z2)",
               13,
               "float s = {0.05}, int8 z = {3}, float s2 = {0.1}, int8 z2 = {-5}, "
               "int8[2,2,1,1] wq = {10, -20, 30, 127}, float ws = {0.01}, int8 wz = {0}");
}

std::vector<Case> cases() {
  const std::string img = "(float[1,3,8,8] x) => (float[1,3,4,4] y)";
  const std::string nhwcImg = "(float[1,8,8,4] x) => (float[1,8,8,4] y)";
  const std::string nhwcPool = "(float[1,8,8,3] x) => (float[1,4,4,3] y)";
  std::vector<Case> c = {
      // Convolutions and pools (channels-first: the layout stage runs first).
      {"Conv", model("(float[1,3,8,8] x) => (float[1,4,8,8] y)",
                     "  y = Conv <pads = [1, 1, 1, 1]> (x, w)", 13, kW3),
       "CONV_2D"},
      {"Conv", model("(float[1,3,8,8] x) => (float[1,3,8,8] y)",
                     "  y = Conv <group = 3, pads = [1, 1, 1, 1]> (x, w)", 13,
                     "float[3,1,3,3] w = {1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9}"),
       "DEPTHWISE_CONV_2D"},
      {"Conv", model("(float[1,3,8,8] x, float[4,3,3,3] w) => (float[1,4,8,8] y)",
                     "  y = Conv <pads = [1, 1, 1, 1]> (x, w)"),
       "!weights must be a constant"},
      {"Conv", model("(float[1,3,8,8] x) => (float[1,4,6,6] y)",
                     "  y = Conv <pads = [0, 0, 0, 0], dilations = [1, 1]> (x, w)", 13, kW3),
       "CONV_2D"},
      {"Conv", qdqConv(), "CONV_2D"},
      {"ConvTranspose", model("(float[1,1,3,3] x) => (float[1,1,6,6] y)",
                              "  y = ConvTranspose <strides = [2, 2]> (x, w)", 13,
                              "float[1,1,2,2] w = {1, 2, 3, 4}"),
       "TRANSPOSE_CONV"},
      {"ConvTranspose", model("(float[1,1,3,3] x) => (float[1,1,4,4] y)",
                              "  y = ConvTranspose <dilations = [2, 2]> (x, w)", 13,
                              "float[1,1,2,2] w = {1, 2, 3, 4}"),
       "!dilated ConvTranspose"},
      {"MaxPool", model(img, "  y = MaxPool <kernel_shape = [2, 2], strides = [2, 2]> (x)"),
       "MAX_POOL_2D"},
      {"MaxPool", model("(float[1,3,5,5] x) => (float[1,3,3,3] y)",
                        "  y = MaxPool <kernel_shape = [2, 2], strides = [2, 2], ceil_mode = 1> (x)"),
       "!ceil_mode or unusual padding"},
      {"AveragePool", model(img, "  y = AveragePool <kernel_shape = [2, 2], strides = [2, 2]> (x)"),
       "AVERAGE_POOL_2D"},
      {"LpPool", model(nhwcPool, "  y = LpPool <kernel_shape = [2, 2], strides = [2, 2]> (x)"),
       "L2_POOL_2D", true},
      {"LpPool",
       model(nhwcPool, "  y = LpPool <kernel_shape = [2, 2], strides = [2, 2], p = 1> (x)"),
       "!LpPool with p != 2", true},
      {"GlobalAveragePool", model("(float[1,3,8,8] x) => (float[1,3,1,1] y)",
                                  "  y = GlobalAveragePool(x)"),
       "MEAN"},
      {"GlobalMaxPool", model("(float[1,3,8,8] x) => (float[1,3,1,1] y)", "  y = GlobalMaxPool(x)"),
       "REDUCE_MAX"},
      {"LRN", model(nhwcImg, "  y = LRN <size = 3> (x)"), "LOCAL_RESPONSE_NORMALIZATION", true},
      {"LRN", model(nhwcImg, "  y = LRN <size = 2> (x)"), "!LRN with an even size", true},
      {"LRN", model(nhwcImg, "  y = LRN <size = 3> (x)"), "!channels-first LRN"},
      {"DepthToSpace", model("(float[1,2,2,8] x) => (float[1,4,4,2] y)",
                             "  y = DepthToSpace <blocksize = 2> (x)"),
       "DEPTH_TO_SPACE", true},
      {"DepthToSpace", model("(float[1,2,2,8] x) => (float[1,4,4,2] y)",
                             "  y = DepthToSpace <blocksize = 2, mode = \"CRD\"> (x)"),
       "!DepthToSpace mode CRD", true},
      {"SpaceToDepth", model("(float[1,4,4,2] x) => (float[1,2,2,8] y)",
                             "  y = SpaceToDepth <blocksize = 2> (x)"),
       "SPACE_TO_DEPTH", true},
      {"BatchNormalization",
       model("(float[2,3] x) => (float[2,3] y)", "  y = BatchNormalization(x, s, b, m, v)", 13,
             "float[3] s = {1, 2, 3}, float[3] b = {0, 1, 0}, float[3] m = {0, 0, 1}, "
             "float[3] v = {1, 1, 4}"),
       "MUL"},
      {"BatchNormalization",
       model("(float[2,3] x, float[3] s) => (float[2,3] y)",
             "  y = BatchNormalization(x, s, b, m, v)", 13,
             "float[3] b = {0, 1, 0}, float[3] m = {0, 0, 1}, float[3] v = {1, 1, 4}"),
       "!parameters must be constants"},
      // Fully connected.
      {"Gemm", model("(float[2,3] a) => (float[2,2] y)", "  y = Gemm <transB = 1> (a, b, c)", 13,
                     "float[2,3] b = {1, 2, 3, 4, 5, 6}, float[2] c = {1, -1}"),
       "FULLY_CONNECTED"},
      {"Gemm", model("(float[3,2] a) => (float[2,2] y)", "  y = Gemm <transA = 1> (a, b)", 13,
                     "float[3,2] b = {1, 2, 3, 4, 5, 6}"),
       "!transA = 1"},
      {"MatMul", model("(float[2,3] a) => (float[2,2] y)", "  y = MatMul(a, b)", 13,
                       "float[3,2] b = {1, 2, 3, 4, 5, 6}"),
       "FULLY_CONNECTED"},
      {"MatMul", model("(float[2,3] a, float[3,2] b) => (float[2,2] y)", "  y = MatMul(a, b)"),
       "BATCH_MATMUL"},
      // Element-wise.
      {"Add", binary("Add"), "ADD"},
      {"Sub", binary("Sub"), "SUB"},
      {"Mul", binary("Mul"), "MUL"},
      {"Div", binary("Div"), "DIV"},
      {"Max", binary("Max"), "MAXIMUM"},
      {"Max", model("(float[2,3] a, float[2,3] b, float[2,3] c) => (float[2,3] y)",
                    "  y = Max(a, b, c)"),
       "!expects 2 inputs"},
      {"Min", binary("Min"), "MINIMUM"},
      {"Pow", binary("Pow"), "POW"},
      {"Greater", binary("Greater", "float", "bool"), "GREATER"},
      {"GreaterOrEqual", binary("GreaterOrEqual", "float", "bool"), "GREATER_EQUAL"},
      {"Less", binary("Less", "float", "bool"), "LESS"},
      {"LessOrEqual", binary("LessOrEqual", "float", "bool"), "LESS_EQUAL"},
      {"Equal", binary("Equal", "float", "bool"), "EQUAL"},
      {"And", binary("And", "bool", "bool"), "LOGICAL_AND"},
      {"Or", binary("Or", "bool", "bool"), "LOGICAL_OR"},
      {"PRelu", model("(float[2,3] a) => (float[2,3] y)", "  y = PRelu(a, s)", 13,
                      "float[3] s = {0.1, 0.2, 0.3}"),
       "PRELU"},
      {"Where", model("(bool[2,3] c, float[2,3] a, float[2,3] b) => (float[2,3] y)",
                      "  y = Where(c, a, b)"),
       "SELECT_V2"},
      {"Sigmoid", unary("Sigmoid"), "LOGISTIC"},
      {"Tanh", unary("Tanh"), "TANH"},
      {"Relu", unary("Relu"), "RELU"},
      {"Elu", unary("Elu"), "ELU"},
      {"Exp", unary("Exp"), "EXP"},
      {"Log", unary("Log"), "LOG"},
      {"Abs", unary("Abs"), "ABS"},
      {"Neg", unary("Neg"), "NEG"},
      {"Floor", unary("Floor"), "FLOOR"},
      {"Ceil", unary("Ceil"), "CEIL"},
      {"Round", unary("Round"), "ROUND"},
      {"Sin", unary("Sin"), "SIN"},
      {"Cos", unary("Cos"), "COS"},
      {"Sign", unary("Sign"), "SIGN"},
      {"Not", model("(bool[1,4] x) => (bool[1,4] y)", "  y = Not(x)"), "LOGICAL_NOT"},
      {"HardSwish", unary("HardSwish", "", 14), "HARD_SWISH"},
      {"LeakyRelu", unary("LeakyRelu", " <alpha = 0.2>"), "LEAKY_RELU"},
      {"Gelu", unary("Gelu", "", 20), "GELU"},
      {"HardSigmoid", unary("HardSigmoid"), "MUL"},
      {"Clip", model("(float[1,4] x) => (float[1,4] y)", "  y = Clip(x, lo, hi)", 13,
                     "float lo = {0}, float hi = {6}"),
       "RELU6"},
      {"Clip", model("(float[1,4] x) => (float[1,4] y)", "  y = Clip(x, lo, hi)", 13,
                     "float lo = {-2}, float hi = {3}"),
       "MAXIMUM"},
      {"Clip", model("(float[1,4] x, float lo) => (float[1,4] y)", "  y = Clip(x, lo)"),
       "!Clip bounds must be constants"},
      {"Sqrt", unary("Sqrt"), "SQRT"},
      {"Reciprocal", unary("Reciprocal"), "DIV"},
      {"Reciprocal", model("(float[1,4] x) => (float[1,4] y)", "  s = Sqrt(x)\n  y = Reciprocal(s)"),
       "RSQRT"},
      // Data movement.
      {"Reshape", model("(float[2,3] x) => (float[3,2] y)", "  y = Reshape(x, s)", 13,
                        "int64[2] s = {3, 2}"),
       "RESHAPE"},
      {"Flatten", model("(float[2,3,2] x) => (float[2,6] y)", "  y = Flatten(x)"), "RESHAPE"},
      {"Unsqueeze", model("(float[2,3] x) => (float[2,1,3] y)", "  y = Unsqueeze(x, a)", 13,
                          "int64[1] a = {1}"),
       "RESHAPE"},
      {"Squeeze", model("(float[2,1,3] x) => (float[2,3] y)", "  y = Squeeze(x, a)", 13,
                        "int64[1] a = {1}"),
       "SQUEEZE"},
      {"Squeeze", model("(float[2,1,3] x, int64[1] a) => (float[2,3] y)", "  y = Squeeze(x, a)"),
       "!axes must be a constant"},
      {"Transpose", model("(float[2,3] x) => (float[3,2] y)", "  y = Transpose <perm = [1, 0]> (x)"),
       "TRANSPOSE"},
      {"Concat", model("(float[2,3] a, float[2,3] b) => (float[4,3] y)",
                       "  y = Concat <axis = 0> (a, b)"),
       "CONCATENATION"},
      {"Pad", model("(float[2,3] x) => (float[4,5] y)", "  y = Pad(x, p)", 13,
                    "int64[4] p = {1, 1, 1, 1}"),
       "PAD"},
      {"Pad", model("(float[2,3] x) => (float[2,5] y)", "  y = Pad <mode = \"reflect\"> (x, p)", 13,
                    "int64[4] p = {0, 1, 0, 1}"),
       "MIRROR_PAD"},
      {"Pad", model("(float[2,3] x) => (float[4,5] y)", "  y = Pad(x, p, v)", 13,
                    "int64[4] p = {1, 1, 1, 1}, float v = {2}"),
       "PADV2"},
      {"Pad", model("(float[2,3] x) => (float[4,5] y)", "  y = Pad <mode = \"edge\"> (x, p)", 13,
                    "int64[4] p = {1, 1, 1, 1}"),
       "!Pad mode 'edge'"},
      {"Slice", model("(float[4,6] x) => (float[2,3] y)", "  y = Slice(x, s, e, a, st)", 13,
                      "int64[2] s = {1, 0}, int64[2] e = {3, 6}, int64[2] a = {0, 1}, "
                      "int64[2] st = {1, 2}"),
       "STRIDED_SLICE"},
      {"Slice", model("(float[4,6] x, int64[1] s) => (float[2,6] y)", "  y = Slice(x, s, e)", 13,
                      "int64[1] e = {3}"),
       "!starts must be a constant"},
      {"Gather", model("(float[4,3] x) => (float[2,3] y)", "  y = Gather(x, i)", 13,
                       "int64[2] i = {3, -1}"),
       "GATHER"},
      {"GatherND", model("(float[4,3] x, int64[2,1] i) => (float[2,3] y)", "  y = GatherND(x, i)"),
       "GATHER_ND"},
      {"Split", model("(float[4,6] x) => (float[4,3] a, float[4,3] b)",
                      "  a, b = Split <axis = 1, num_outputs = 2> (x)", 18),
       "SPLIT"},
      {"Split", model("(float[4,6] x) => (float[4,2] a, float[4,4] b)",
                      "  a, b = Split <axis = 1> (x, s)", 13, "int64[2] s = {2, 4}"),
       "SPLIT_V"},
      {"ReduceMean", model("(float[2,3] x) => (float[2,1] y)", "  y = ReduceMean(x, a)", 18,
                           "int64[1] a = {1}"),
       "MEAN"},
      {"ReduceMean", model("(float[2,3] x, int64[1] a) => (float[2,1] y)",
                           "  y = ReduceMean(x, a)", 18),
       "!axes must be a constant"},
      {"ReduceSum", model("(float[2,3] x) => (float[2,1] y)", "  y = ReduceSum(x, a)", 13,
                          "int64[1] a = {1}"),
       "SUM"},
      {"ReduceMax", model("(float[2,3] x) => (float[2,1] y)", "  y = ReduceMax <axes = [1]> (x)"),
       "REDUCE_MAX"},
      {"ReduceMin", model("(float[2,3] x) => (float[2,1] y)", "  y = ReduceMin <axes = [1]> (x)"),
       "REDUCE_MIN"},
      {"ReduceProd", model("(float[2,3] x) => (float[2,1] y)", "  y = ReduceProd <axes = [1]> (x)"),
       "REDUCE_PROD"},
      {"ArgMax", model("(float[2,3] x) => (int64[2] y)", "  y = ArgMax <axis = 1, keepdims = 0> (x)"),
       "ARG_MAX"},
      {"ArgMax", model("(float[2,3] x) => (int64[2] y)",
                       "  y = ArgMax <axis = 1, keepdims = 0, select_last_index = 1> (x)"),
       "!select_last_index"},
      {"ArgMin", model("(float[2,3] x) => (int64[2,1] y)", "  y = ArgMin <axis = 1> (x)"),
       "ARG_MIN"},
      {"Softmax", model("(float[2,3] x) => (float[2,3] y)", "  y = Softmax(x)"), "SOFTMAX"},
      {"Softmax", model("(float[2,3] x) => (float[2,3] y)", "  y = Softmax <axis = 0> (x)"),
       "!softmax over an axis other than the last"},
      {"LogSoftmax", model("(float[2,3] x) => (float[2,3] y)", "  y = LogSoftmax(x)"),
       "LOG_SOFTMAX"},
      {"LpNormalization", model("(float[2,3] x) => (float[2,3] y)", "  y = LpNormalization(x)"),
       "L2_NORMALIZATION"},
      {"LpNormalization", model("(float[2,3] x) => (float[2,3] y)",
                                "  y = LpNormalization <p = 1> (x)"),
       "!only L2 normalization over the last axis"},
      {"Identity", model("(float[2,3] x) => (float[2,3] y)", "  y = Identity(x)"), "RESHAPE"},
      {"Identity", model("(float[2,3] x) => (float[2,3] y)",
                         "  r = Relu(x)\n  i = Identity(r)\n  y = Neg(i)"),
       ""},
      {"Dropout", model("(float[2,3] x) => (float[2,3] y)", "  y = Dropout(x)"), "RESHAPE"},
      {"Cast", model("(float[2,3] x) => (int32[2,3] y)", "  y = Cast <to = 6> (x)"), "CAST"},
      {"Tile", model("(float[2,3] x) => (float[4,3] y)", "  y = Tile(x, r)", 13,
                     "int64[2] r = {2, 1}"),
       "TILE"},
      {"Tile", model("(float[2,3] x, int64[2] r) => (float[4,3] y)", "  y = Tile(x, r)"),
       "!repeats must be a constant"},
      {"Expand", model("(float[1,3] x) => (float[2,3] y)", "  y = Expand(x, s)", 13,
                       "int64[2] s = {2, 3}"),
       "BROADCAST_TO"},
      {"Resize", model("(float[1,2,2,3] x) => (float[1,4,4,3] y)",
                       "  y = Resize <mode = \"linear\"> (x, r, s)", 13,
                       "float[0] r = {}, float[4] s = {1, 2, 2, 1}"),
       "RESIZE_BILINEAR"},
      {"Resize", model("(float[1,2,2,3] x) => (float[1,4,4,3] y)",
                       "  y = Resize <mode = \"nearest\", coordinate_transformation_mode = "
                       "\"asymmetric\", nearest_mode = \"floor\"> (x, r, s)",
                       13, "float[0] r = {}, float[4] s = {1, 2, 2, 1}"),
       "RESIZE_NEAREST_NEIGHBOR"},
      {"Resize", model("(float[1,2,2,3] x) => (float[1,4,4,3] y)",
                       "  y = Resize <mode = \"cubic\"> (x, r, s)", 13,
                       "float[0] r = {}, float[4] s = {1, 2, 2, 1}"),
       "!resize mode cubic"},
      // Control flow.
      {"If", model("(bool c, float[2] x) => (float[2] y)",
                   "  y = If(c) <then_branch = g1 () => (float[2] t) { t = Relu(x) },"
                   " else_branch = g2 () => (float[2] e) { e = Neg(x) }>"),
       "IF"},
      {"If", model("(bool c, float[2] x) => (float[2] y)",
                   "  y = If(c) <then_branch = g1 () => (float[2] t) { t = Erf(x) },"
                   " else_branch = g2 () => (float[2] e) { e = Neg(x) }>"),
       "!no TFLite builtin operator for Erf"},
      // Quantization (a QDQ pair at the graph boundary stays).
      {"QuantizeLinear", model("(float[2,3] x) => (int8[2,3] y)", "  y = QuantizeLinear(x, s, z)",
                               13, "float s = {0.1}, int8 z = {2}"),
       "QUANTIZE"},
      {"DequantizeLinear", model("(int8[2,3] x) => (float[2,3] y)",
                                 "  y = DequantizeLinear(x, s, z)", 13,
                                 "float s = {0.1}, int8 z = {2}"),
       "DEQUANTIZE"},
      {"DequantizeLinear", model("(int8[2,3] x, float s) => (float[2,3] y)",
                                 "  y = DequantizeLinear(x, s, z)", 13, "int8 z = {2}"),
       "!non-constant quantization parameters"},
      // No TFLite form at all.
      {"Erf", unary("Erf"), "!no TFLite builtin operator for Erf"},
  };
  return c;
}

/// The operators of subgraph 0 of a written file, in order.
std::vector<TfliteOperatorUse> writtenOperators(const std::string &bytes) {
  std::vector<TfliteOperatorUse> r;
  auto m = tflite::verifyTflite(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
  EXPECT_TRUE(m.isOk()) << m.error().message();
  if (!m) return r;
  const auto *sg = (*m)->subgraphs()->Get(0);
  for (const auto *o : *sg->operators()) {
    const auto *oc = (*m)->operator_codes()->Get(o->opcode_index());
    r.push_back({tflite::opCodeName(*oc), tflite::builtinCode(*oc), oc->version()});
  }
  return r;
}

/// tfliteSupport and writeTflite agree on every node of the model.
void expectAgreement(const Model &m, const TfliteProfile &p) {
  std::vector<TfliteSupport> answers = tfliteSupport(*m.graph, p);
  ASSERT_EQ(answers.size(), m.graph->nodes().size());
  TfliteWriteOptions o;
  o.profile = p;
  auto bytes = writeTflite(m, o);
  size_t refused = 0;
  std::vector<TfliteOperatorUse> reported;
  for (size_t i = 0; i < answers.size(); ++i) {
    const TfliteSupport &a = answers[i];
    const Node &n = *m.graph->nodes()[i];
    // The single-node form gives the same answer.
    TfliteSupport one = tfliteSupport(n, p);
    EXPECT_EQ(one.reason, a.reason);
    EXPECT_EQ(one.operators, a.operators);
    EXPECT_EQ(one.principal, a.principal);
    if (!a.supported()) {
      ++refused;
      EXPECT_TRUE(a.operators.empty());
      ASSERT_FALSE(bytes.isOk()) << n.label() << " refused (" << a.reason << ") but written";
      EXPECT_NE(bytes.error().message().find(n.label() + ": " + a.reason), std::string::npos)
          << bytes.error().message() << "\n  wants: " << n.label() << ": " << a.reason;
      continue;
    }
    EXPECT_EQ(a.principal < 0, a.operators.empty()) << n.label();
    reported.insert(reported.end(), a.operators.begin(), a.operators.end());
  }
  if (refused) {
    ASSERT_FALSE(bytes.isOk());
    EXPECT_EQ(bytes.error().code(), ErrorCode::Unsupported);
    EXPECT_EQ(bytes.error().message().rfind(std::to_string(refused) + " node", 0), 0u)
        << bytes.error().message();
    return;
  }
  ASSERT_TRUE(bytes.isOk()) << bytes.error().message();
  EXPECT_EQ(writtenOperators(*bytes), reported);
}

/// The case's model, prepared as `edgec export` prepares it.
std::unique_ptr<Model> prepared(const Case &c) {
  auto m = importOnnxText(c.text);
  EXPECT_TRUE(m.isOk()) << m.error().message();
  if (!m) return nullptr;
  for (const auto &n : (*m)->graph->nodes())
    if (c.nhwc && n->opType == c.op) n->attrs[kLayoutAttr] = Attribute::makeString("NHWC");
  Status s = prepareForTflite(**m);
  EXPECT_TRUE(s.isOk()) << s.error().message();
  return std::move(*m);
}

const Node *nodeUnderTest(const Model &m, const std::string &op) {
  for (const auto &n : m.graph->nodes())
    if (n->opType == op) return n.get();
  return nullptr;
}

TEST(TfliteSupport, AgreesWithTheWriterOnEveryOpOfTheTable) {
  std::set<std::string> accepted, refusedByProfile;
  for (const Case &c : cases()) {
    SCOPED_TRACE(c.op + " -> " + c.expect + "\n" + c.text);
    std::unique_ptr<Model> m = prepared(c);
    ASSERT_TRUE(m);
    const Node *n = nodeUnderTest(*m, c.op);
    ASSERT_TRUE(n) << "no " << c.op << " node after preparation";
    TfliteSupport a = tfliteSupport(*n, genericTfliteProfile());
    if (!c.expect.empty() && c.expect[0] == '!') {
      EXPECT_NE(a.reason.find(c.expect.substr(1)), std::string::npos) << a.reason;
    } else if (!a.supported()) {
      ADD_FAILURE() << "refused: " << a.reason;
    } else if (c.expect.empty()) {
      EXPECT_TRUE(a.operators.empty()); // read through
      accepted.insert(c.op);
    } else if (a.principal < 0) {
      ADD_FAILURE() << "no principal operator";
    } else {
      EXPECT_EQ(a.operators[(size_t)a.principal].name, c.expect);
      accepted.insert(c.op);
    }
    expectAgreement(*m, genericTfliteProfile());
    if (a.supported() && a.principal >= 0) {
      // Refused once more by a consumer without that operator.
      TfliteProfile p;
      p.name = "test";
      p.operators[a.operators[(size_t)a.principal].name].available = false;
      TfliteSupport b = tfliteSupport(*n, p);
      EXPECT_EQ(b.reason, a.operators[(size_t)a.principal].name +
                              " is not available in TFLite profile 'test'");
      expectAgreement(*m, p);
      refusedByProfile.insert(c.op);
    }
  }
  // Every op of the table has an accepted form here, refused once more by a
  // profile (the cases above add the converters' own refusals).
  for (const std::string &op : tfliteWritableOps()) {
    EXPECT_TRUE(accepted.count(op)) << op << " has no accepted case";
    EXPECT_TRUE(refusedByProfile.count(op)) << op << " has no case refused by a profile";
  }
}

TEST(TfliteSupport, MaxOperatorVersionIsAProfileLimit) {
  // An int8 Conv is CONV_2D version 3, a float one version 1.
  Case q{"Conv", qdqConv(), "CONV_2D"};
  std::unique_ptr<Model> m = prepared(q);
  ASSERT_TRUE(m);
  const Node *conv = nodeUnderTest(*m, "Conv");
  ASSERT_TRUE(conv);
  TfliteSupport a = tfliteSupport(*conv, genericTfliteProfile());
  ASSERT_TRUE(a.supported()) << a.reason;
  EXPECT_EQ(a.operators.at((size_t)a.principal), (TfliteOperatorUse{"CONV_2D", 3, 3}));

  TfliteProfile p;
  p.name = "old";
  p.operators["CONV_2D"].maxVersion = 2;
  TfliteSupport b = tfliteSupport(*conv, p);
  EXPECT_EQ(b.reason, "CONV_2D version 3 is above version 2, the highest TFLite profile 'old' reads");
  expectAgreement(*m, p);
  p.operators["CONV_2D"].maxVersion = 3;
  EXPECT_TRUE(tfliteSupport(*conv, p).supported());
  expectAgreement(*m, p);

  std::unique_ptr<Model> f = prepared(cases()[0]);
  ASSERT_TRUE(f);
  p.operators["CONV_2D"].maxVersion = 1;
  TfliteSupport c = tfliteSupport(*nodeUnderTest(*f, "Conv"), p);
  ASSERT_TRUE(c.supported()) << c.reason;
  EXPECT_EQ(c.operators.at((size_t)c.principal).version, 1);
}

TEST(TfliteSupport, AllowListTypesAndRanksAreProfileLimits) {
  // An Edge TPU-like profile: listed operators only, int8/uint8 activations,
  // rank 4 at most.
  TfliteProfile p;
  p.name = "edgetpu-like";
  p.listedOperatorsOnly = true;
  p.operators["CONV_2D"].maxVersion = 3;
  p.operators["QUANTIZE"] = {};
  p.operators["DEQUANTIZE"] = {};
  p.activationTypes = {DataType::Int8, DataType::UInt8};
  p.maxRank = 4;

  std::unique_ptr<Model> q = prepared(Case{"Conv", qdqConv(), "CONV_2D"});
  ASSERT_TRUE(q);
  // The integer Conv is accepted (int8 tensors, int32 bias constant); the
  // boundary QUANTIZE reads the float input, which the profile refuses.
  EXPECT_TRUE(tfliteSupport(*nodeUnderTest(*q, "Conv"), p).supported());
  TfliteSupport boundary = tfliteSupport(*nodeUnderTest(*q, "QuantizeLinear"), p);
  EXPECT_EQ(boundary.reason, "tensor 'x' of QUANTIZE has element type f32, but TFLite "
                             "profile 'edgetpu-like' allows only i8, u8");
  // TRANSPOSE is not listed.
  std::unique_ptr<Model> t = prepared(Case{
      "Transpose",
      model("(int8[2,3] x) => (int8[3,2] y)", "  y = Transpose <perm = [1, 0]> (x)"), ""});
  ASSERT_TRUE(t);
  EXPECT_EQ(tfliteSupport(*nodeUnderTest(*t, "Transpose"), p).reason,
            "TRANSPOSE is not available in TFLite profile 'edgetpu-like'");
  expectAgreement(*t, p);
  // Rank 5 is above the limit.
  p.operators["RESHAPE"] = {};
  std::unique_ptr<Model> r = prepared(Case{
      "Reshape",
      model("(int8[2,6] x) => (int8[1,1,2,3,2] y)", "  y = Reshape(x, s)", 13,
            "int64[5] s = {1, 1, 2, 3, 2}"),
      ""});
  ASSERT_TRUE(r);
  EXPECT_EQ(tfliteSupport(*nodeUnderTest(*r, "Reshape"), p).reason,
            "tensor 'y' of RESHAPE has rank 5, above rank 4, the highest TFLite profile "
            "'edgetpu-like' reads");
  expectAgreement(*r, p);
}

TEST(TfliteSupport, ProfileChecksNameTheLimit) {
  TfliteProfile p = genericTfliteProfile();
  EXPECT_EQ(checkTfliteOperator(p, "TRANSPOSE", 6), "");
  EXPECT_EQ(checkTfliteTensor(p, "ADD", "x", DataType::Float64, 9, false), "");
  p.name = "p";
  p.operators["ADD"].maxVersion = 2;
  EXPECT_EQ(checkTfliteOperator(p, "ADD", 2), "");
  EXPECT_EQ(checkTfliteOperator(p, "ADD", 3),
            "ADD version 3 is above version 2, the highest TFLite profile 'p' reads");
  EXPECT_EQ(checkTfliteOperator(p, "SUB", 9), "");
  p.listedOperatorsOnly = true;
  EXPECT_EQ(checkTfliteOperator(p, "SUB", 1), "SUB is not available in TFLite profile 'p'");
  p.activationTypes = {DataType::Int8};
  EXPECT_EQ(checkTfliteTensor(p, "ADD", "b", DataType::Int32, 1, true), ""); // a constant
  EXPECT_NE(checkTfliteTensor(p, "ADD", "a", DataType::Int32, 1, false), "");
}

} // namespace
} // namespace edgec
