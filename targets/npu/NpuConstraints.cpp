// Vela's NPU operator constraints as data (see NpuConstraints.h).
#include "targets/npu/NpuConstraints.h"

#include "targets/npu/NpuConstraintRules.h"

#include "qmath/KernelParams.h"

#include <algorithm>
#include <set>

namespace edgec::ethosu {

namespace {

// Vela 3.10's operator list for U55/U65 and TFLite input (A.6 and its
// SUPPORTED_OPS.md summary table), sorted.
const std::vector<std::string> kNpuOperators = {
    "ABS", "ADD", "ARG_MAX", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D",
    "EXP", "EXPAND_DIMS", "FULLY_CONNECTED", "HARD_SWISH", "LEAKY_RELU", "LOGISTIC", "MAXIMUM",
    "MAX_POOL_2D", "MEAN", "MINIMUM", "MUL", "PACK", "PAD", "PRELU", "QUANTIZE", "RELU", "RELU6",
    "RELU_N1_TO_1", "RESHAPE", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR", "RSQRT", "SHAPE",
    "SLICE", "SOFTMAX", "SPLIT", "SPLIT_V", "SQUARED_DIFFERENCE", "SQUEEZE", "STRIDED_SLICE", "SUB",
    "TANH", "TRANSPOSE", "TRANSPOSE_CONV", "UNPACK"};

constexpr const char *kCpuOnlySentence =
    "The operator must be one Vela places on the NPU (it is a CPU only op)";
constexpr const char *kCpuOnlySource =
    "Vela 3.10 SUPPORTED_OPS.md summary table (NPU-EDGETPU.md A.6, A.10)";
constexpr const char *kWriterSentence = "The node must be writable as TFLite operators";
constexpr const char *kWriterSource = "edgec's TFLite writer (docs/tflite.md)";

using rules::isOneOf;

/// The IR inputs that are data (IFM, IFM2, ...) for each kind of operator.
bool dataInput(const std::string &op, size_t slot) {
  if (isOneOf(op, {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED"}))
    return slot == 0;
  if (isOneOf(op, {"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "PRELU"}))
    return slot <= 1;
  if (isOneOf(op, {"CONCATENATION", "PACK"})) return true;
  return slot == 0;
}

} // namespace

bool Constraint::appliesTo(const std::string &op) const {
  bool listed = std::find(ops.begin(), ops.end(), op) != ops.end();
  return generic ? !listed : listed;
}

const std::vector<Constraint> &constraints() {
  static const std::vector<Constraint> all = [] {
    std::vector<Constraint> v;
    for (auto family : {rules::genericConstraints, rules::convConstraints,
                        rules::poolingConstraints, rules::elementwiseConstraints,
                        rules::otherConstraints})
      for (Constraint &c : family()) v.push_back(std::move(c));
    return v;
  }();
  return all;
}
const std::vector<std::string> &npuOperators() { return kNpuOperators; }

bool isNpuOperator(const std::string &op) {
  return std::binary_search(kNpuOperators.begin(), kNpuOperators.end(), op);
}

std::string Failure::sentence() const {
  if (constraint) return constraint->sentence;
  return detail.rfind("cannot be written", 0) == 0 ? kWriterSentence : kCpuOnlySentence;
}
std::string Failure::source() const {
  if (constraint) return constraint->source;
  return detail.rfind("cannot be written", 0) == 0 ? kWriterSource : kCpuOnlySource;
}
std::string Failure::id() const {
  if (constraint) return constraint->id;
  return detail.rfind("cannot be written", 0) == 0 ? "tflite.writable" : "operator.npu";
}

OpView viewOf(const Node &n, const std::string &op) {
  OpView v;
  v.node = &n;
  v.op = op;
  const bool weighted = isOneOf(op, {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED"});
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    const Value *x = n.inputs[i];
    if (!x) continue;
    if (weighted && i == 1) v.weights = x;
    else if (weighted && i == 2) v.bias = x;
    else if (dataInput(op, i)) v.ifms.push_back(x);
  }
  for (const Value *y : n.outputs)
    if (y) v.ofms.push_back(y);
  return v;
}

std::vector<Failure> judgeOperator(const Node &n, const std::string &op, bool principal) {
  std::vector<Failure> out;
  if (!isNpuOperator(op)) out.push_back({nullptr, op, op + " '" + n.name + "' is a CPU only op"});
  if (!principal) return out;
  OpView v = viewOf(n, op);
  for (const Constraint &c : constraints()) {
    if (!c.appliesTo(op)) continue;
    // A CPU only operator is judged on the generic constraints alone.
    if (!c.generic && !isNpuOperator(op)) continue;
    std::string d = c.check(v);
    if (!d.empty()) out.push_back({&c, op, d});
  }
  return out;
}

NodeJudgement judgeNode(const Node &n, const TfliteSupport &support) {
  NodeJudgement j;
  // A convolution or fully connected layer with a fused LeakyRelu (alpha
  // in (0, 1); `edgec quantize` leaves no quantization between them) has
  // no TFLite form, but the NPU runs it (NpuLowerConv.cpp: two
  // convolutions and a MAX): judged as the layer it is.
  const std::optional<float> leaky = qmath::fusedLeakyReluAlpha(n);
  if (!support.supported() && leaky && *leaky > 0.0f && *leaky < 1.0f) {
    const bool depthwise = n.opType == "Conv" && n.attrInt("group", 1) > 1;
    const std::string op = n.opType != "Conv" ? "FULLY_CONNECTED" : depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
    j.operators = {{op, 0, 1}};
    j.failures = judgeOperator(n, op, true);
    return j;
  }
  if (!support.supported()) {
    j.failures.push_back({nullptr, "(" + n.opType + ")", "cannot be written as TFLite: " + support.reason});
    return j;
  }
  j.operators = support.operators;
  for (size_t i = 0; i < support.operators.size(); ++i) {
    std::vector<Failure> f =
        judgeOperator(n, support.operators[i].name, int(i) == support.principal);
    j.failures.insert(j.failures.end(), f.begin(), f.end());
  }
  return j;
}

std::string failuresText(const std::vector<Failure> &fs) {
  std::string r;
  for (const Failure &f : fs) {
    if (!r.empty()) r += "; ";
    if (!f.constraint) {
      r += f.detail;
      continue;
    }
    r += f.op + ": " + f.sentence() + " (" + f.detail + ")";
  }
  return r;
}

} // namespace edgec::ethosu
