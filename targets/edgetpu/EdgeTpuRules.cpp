// The Edge TPU compiler's rules as data (see EdgeTpuRules.h).
#include "targets/edgetpu/EdgeTpuRules.h"

#include "ir/Annotations.h"

#include <algorithm>
#include <optional>

namespace edgec::edgetpu {

const char *statusString(OpStatus s) {
  switch (s) {
  case OpStatus::Mapped: return "Mapped to Edge TPU";
  case OpStatus::MoreThanOneSubgraph: return "More than one subgraph is not supported";
  case OpStatus::UnspecifiedLimitation:
    return "Operation is otherwise supported, but not mapped due to some unspecified limitation";
  case OpStatus::UnsupportedDataType: return "Operation is working on an unsupported data type";
  case OpStatus::NotSupported: return "Operation not supported";
  case OpStatus::VersionNotSupported: return "Operation version not supported";
  case OpStatus::UnsupportedRank:
    return "Tensor has unsupported rank (up to 3 innermost dimensions mapped)";
  }
  return "?";
}

std::vector<OpStatus> allStatuses() {
  return {OpStatus::Mapped,           OpStatus::MoreThanOneSubgraph, OpStatus::UnspecifiedLimitation,
          OpStatus::UnsupportedDataType, OpStatus::NotSupported,     OpStatus::VersionNotSupported,
          OpStatus::UnsupportedRank};
}

namespace {

// Versions: where B.2.4 records a refused version the cap is one below it;
// elsewhere the cap is the int8 version TFLite converters of the compiler's
// time write (and edgec's writer writes), which no recorded issue refuses.
constexpr const char *kInt8Version =
    "; version: the int8 version converters of TF <= 2.5 write (no refusal recorded)";

const std::vector<OperatorRule> kRules = {
    {"ADD", 2, "", "NPU-EDGETPU.md B.3 (Add)"},
    {"SUB", 2, "", "NPU-EDGETPU.md B.3 (Sub, older coral.ai table)"},
    {"MUL", 2, "", "NPU-EDGETPU.md B.3 (Mul)"},
    {"MAXIMUM", 2, "", "NPU-EDGETPU.md B.3 (Maximum)"},
    {"MINIMUM", 2, "", "NPU-EDGETPU.md B.3 (Minimum)"},
    {"AVERAGE_POOL_2D", 2, "no fused activation", "NPU-EDGETPU.md B.3 (AveragePool2d)"},
    {"MAX_POOL_2D", 2, "no fused activation", "NPU-EDGETPU.md B.3 (MaxPool2d)"},
    {"CONCATENATION", 2,
     "no fused activation; a constant input only as one of two inputs, all zeros",
     "NPU-EDGETPU.md B.3 (Concatenation)"},
    {"CONV_2D", 5, "same dilation in x and y",
     "NPU-EDGETPU.md B.3 (Conv2d); version 6 (TF 2.9) refused: B.2.4, google-coral/edgetpu#631"},
    {"DEPTHWISE_CONV_2D", 3, "same dilation in x and y",
     "NPU-EDGETPU.md B.3 (DepthwiseConv2d)"},
    {"EXPAND_DIMS", 1, "", "NPU-EDGETPU.md B.3 (ExpandDims, runtime 13)"},
    {"FULLY_CONNECTED", 4, "default weight format; output 1-D",
     "NPU-EDGETPU.md B.3 (FullyConnected)"},
    {"L2_NORMALIZATION", 2, "", "NPU-EDGETPU.md B.3 (L2Normalization)"},
    {"LOGISTIC", 2, "", "NPU-EDGETPU.md B.3 (Logistic)"},
    {"RELU", 2, "", "NPU-EDGETPU.md B.3 (ReLU)"},
    {"RELU6", 2, "", "NPU-EDGETPU.md B.3 (ReLU6)"},
    {"RELU_N1_TO_1", 2, "", "NPU-EDGETPU.md B.3 (ReLUN1To1)"},
    {"TANH", 2, "", "NPU-EDGETPU.md B.3 (Tanh)"},
    {"MEAN", 2, "no reduction over the batch", "NPU-EDGETPU.md B.3 (Mean)"},
    {"SUM", 2, "no reduction over the batch", "NPU-EDGETPU.md B.3 (Sum, runtime 13)"},
    {"REDUCE_MAX", 2, "no reduction over the batch", "NPU-EDGETPU.md B.3 (ReduceMax)"},
    {"REDUCE_MIN", 2, "no reduction over the batch", "NPU-EDGETPU.md B.3 (ReduceMin)"},
    {"PACK", 2, "not along the batch", "NPU-EDGETPU.md B.3 (Pack, runtime 13)"},
    {"PAD", 2, "no padding of the batch", "NPU-EDGETPU.md B.3 (Pad)"},
    {"PRELU", 2, "alpha 1-D (innermost only)", "NPU-EDGETPU.md B.3 (PReLU)"},
    {"QUANTIZE", 2, "", "NPU-EDGETPU.md B.3 (Quantize, runtime 13)"},
    // B.3 lists DEQUANTIZE as not supported; the compiler knows the
    // operator and refuses it for its float output, which is what its log
    // prints.
    {"DEQUANTIZE", 2, "never mapped: its output is float",
     "NPU-EDGETPU.md B.3 (Not supported: DEQUANTIZE); status as logged in "
     "google-coral/edgetpu#490 (\"DEQUANTIZE 2 Operation is working on an unsupported data "
     "type\")"},
    {"RESHAPE", 1, "large reshapes may not be mapped", "NPU-EDGETPU.md B.3 (Reshape)"},
    {"RESIZE_BILINEAR", 2, "3-D input and output",
     "NPU-EDGETPU.md B.3 (ResizeBilinear); version 3 refused: B.2.4, google-coral/edgetpu#45"},
    {"RESIZE_NEAREST_NEIGHBOR", 2, "3-D input and output",
     "NPU-EDGETPU.md B.3 (ResizeNearestNeighbor)"},
    {"RSQRT", 2, "", "NPU-EDGETPU.md B.3 (Rsqrt) [G]"},
    {"SLICE", 2, "", "NPU-EDGETPU.md B.3 (Slice) [G]"},
    {"SOFTMAX", 2, "1-D input, at most 16,000 elements", "NPU-EDGETPU.md B.3 (Softmax) [G]"},
    {"SPACE_TO_DEPTH", 2, "", "NPU-EDGETPU.md B.3 (SpaceToDepth) [G]"},
    {"SPLIT", 2, "not along the batch", "NPU-EDGETPU.md B.3 (Split) [G]"},
    {"SQUEEZE", 1, "", "NPU-EDGETPU.md B.3 (Squeeze) [G]"},
    {"STRIDED_SLICE", 2, "all strides 1", "NPU-EDGETPU.md B.3 (StridedSlice) [G]"},
    {"SQUARED_DIFFERENCE", 2, "", "NPU-EDGETPU.md B.3 (SquaredDifference) [G]"},
    {"TRANSPOSE_CONV", 2, "",
     "NPU-EDGETPU.md B.3 (TransposeConv, runtime 13); versions 3 and 4 refused: B.2.4, "
     "google-coral/edgetpu#147, #845"},
};

/// Where "not supported" comes from: the table's "Not supported" row names
/// some operators with issues; the rest are simply absent from the table.
std::string notSupportedSource(const std::string &op) {
  if (op == "TRANSPOSE")
    return "NPU-EDGETPU.md B.3 (Not supported: TRANSPOSE; google-coral/edgetpu#342, #193)";
  for (const char *named : {"CUSTOM", "FLOOR_MOD", "GATHER", "DIV", "EXP",
                            "HARD_SWISH", "BATCH_MATMUL"})
    if (op == named) return "NPU-EDGETPU.md B.3 (Not supported: " + op + ")";
  return "NPU-EDGETPU.md B.3 (not in the compiler's operator table)";
}

Verdict refuse(OpStatus s, std::string detail, std::string source) {
  return Verdict{s, std::move(detail), std::move(source)};
}

std::string shapeText(const std::vector<int64_t> &s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? "," : "") + std::to_string(s[i]);
  return t + "]";
}

} // namespace

std::optional<std::vector<int64_t>> reductionAxes(const Node &n, int64_t rank) {
  std::vector<int64_t> axes;
  if (const Attribute *a = n.attr("axes")) {
    axes = a->ints;
  } else if (const Value *v = n.input(1)) {
    if (!v->constant) return std::nullopt;
    axes = v->constant->toInt64Vector();
  }
  for (int64_t &x : axes)
    if (x < 0) x += rank;
  return axes;
}

namespace {

/// Rewrites that would make an operator map (what edgec does itself is in
/// EdgeTpuRewrites.h; the rest is for the user).
struct Hint {
  const char *op;
  const char *hint;
};
const Hint kOperatorHints[] = {
    {"TRANSPOSE", "a layout TRANSPOSE at an input or output goes with --option io-layout=nhwc; "
                  "one inside the network must be folded into its neighbours (edgec folds those "
                  "that only move 1-sized dimensions)"},
    {"HARD_SWISH", "x * ReLU6(x + 3) / 6 as MUL, ADD, MUL (edgec does this: rewrite hard-swish)"},
    {"LEAKY_RELU", "MAXIMUM(x, MUL(x, alpha)) (edgec does this for a LeakyRelu fused into a "
                   "quantized node: rewrite leaky-relu)"},
    {"EXP", "no mapped equivalent; move it after the network (post-processing on the CPU)"},
    {"DIV", "a MUL by the reciprocal when the divisor is constant"},
    {"GATHER", "a STRIDED_SLICE or SLICE when the indices are constant and contiguous"},
    {"BATCH_MATMUL", "a FULLY_CONNECTED when one operand is constant"},
    {"DEQUANTIZE", "quantize the model fully (--quantize); float outputs become int8"},
    {"CUSTOM", "keep it as post-processing after the network (the CPU tail)"},
    {"POW", "MUL(x, x) when the exponent is the constant 2 (not done by edgec)"},
    {"LOG", "no mapped equivalent: keep it after the network (the CPU tail)"},
    // Nodes edgec's TFLite writer cannot write, by ONNX op type.
    {"(Conv)", "a 1-D convolution as a 2-D one of height 1 (edgec's TFLite writer writes 2-D "
               "convolutions only; not done by edgec)"},
    {"(MatMul)", "quantize the value before its fused activation (edgec's quantizer leaves "
                 "none between them; not done by edgec)"},
    {"(Clip)", "constant Clip bounds (fold what computes them)"},
};
const Hint kStatusHints[] = {
    {"rank", "fold the leading dimensions into the three innermost (batch 1, at most 3 "
             "dimensions larger than 1)"},
    {"type", "quantize the model to int8 (--quantize with --calib DIR)"},
    {"version", "none in edgec: its writer already writes the oldest version of each operator"},
};

} // namespace

const char *rewriteHint(const std::string &op, OpStatus status) {
  for (const Hint &h : kOperatorHints)
    if (op == h.op) return h.hint;
  switch (status) {
  case OpStatus::UnsupportedRank: return kStatusHints[0].hint;
  case OpStatus::UnsupportedDataType: return kStatusHints[1].hint;
  case OpStatus::VersionNotSupported: return kStatusHints[2].hint;
  default: return "";
  }
}

const std::vector<OperatorRule> &operatorRules() { return kRules; }

const OperatorRule *findOperatorRule(const std::string &op) {
  for (const OperatorRule &r : kRules)
    if (op == r.op) return &r;
  return nullptr;
}

size_t effectiveRank(const std::vector<int64_t> &shape) {
  size_t lead = 0;
  while (lead < shape.size() && shape[lead] == 1) ++lead;
  return shape.size() - lead;
}

Verdict checkOperator(const std::string &op, int version) {
  const OperatorRule *r = findOperatorRule(op);
  if (!r) return refuse(OpStatus::NotSupported, op + " is not an Edge TPU operator",
                         notSupportedSource(op));
  if (version > r->maxVersion)
    return refuse(OpStatus::VersionNotSupported,
                  op + " version " + std::to_string(version) + " is above version " +
                      std::to_string(r->maxVersion) +
                      ", the highest the compiler reads (it may also fail with \"Didn't find op "
                      "for builtin opcode '" + op + "' version '" + std::to_string(version) + "'\")",
                  std::string(r->source) +
                      (std::string(r->source).find("refused") == std::string::npos ? kInt8Version
                                                                                   : ""));
  return {};
}

Verdict checkTensor(const Value &v, const std::string &what) {
  DataType t = v.type.dtype;
  if (t != DataType::Int8 && t != DataType::UInt8)
    return refuse(OpStatus::UnsupportedDataType,
                  what + " '" + v.name + "' is " + v.type.str() + " (only int8 and uint8 map)",
                  "NPU-EDGETPU.md B.2.1 (fully 8-bit quantized)");
  if (!v.type.hasRank || !v.type.isStatic())
    return refuse(OpStatus::UnspecifiedLimitation,
                  what + " '" + v.name + "' has the dynamic shape " + v.type.str(),
                  "NPU-EDGETPU.md B.2.2 (tensor sizes constant at compile time)");
  std::vector<int64_t> s = v.type.staticShape();
  if (effectiveRank(s) > 3)
    return refuse(OpStatus::UnsupportedRank,
                  what + " '" + v.name + "' " + shapeText(s) + " has " +
                      std::to_string(effectiveRank(s)) +
                      " dimensions after its leading 1s (at most 3, the innermost, may exceed 1" +
                      (s.size() == 4 && s[0] > 1 ? "; batch must be 1)" : ")"),
                  "NPU-EDGETPU.md B.2.3 (google-coral/edgetpu#30, #75, #537, #708)");
  return {};
}

Verdict checkLimits(const Node &n, const std::string &op) {
  const OperatorRule *r = findOperatorRule(op);
  if (!r) return {};
  const std::string src = r->source;
  const Value *x = n.input(0);
  const Value *y = n.outputs.empty() ? nullptr : n.outputs[0];
  auto limit = [&](const std::string &d) { return refuse(OpStatus::UnspecifiedLimitation, d, src); };
  if ((op == "AVERAGE_POOL_2D" || op == "MAX_POOL_2D" || op == "CONCATENATION") &&
      hasFusedActivation(n))
    return limit(op + " with the fused activation " +
                 n.attr(kFusedActivationAttr)->s + " (no fused activation)");
  if (op == "CONV_2D" || op == "DEPTHWISE_CONV_2D") {
    std::vector<int64_t> d = n.attrInts("dilations", {1, 1});
    if (d.size() == 2 && d[0] != d[1])
      return limit(op + " with dilations " + shapeText(d) + " (same dilation in x and y)");
  }
  if (op == "FULLY_CONNECTED" && y && y->type.isStatic() &&
      effectiveRank(y->type.staticShape()) > 1)
    return limit("FULLY_CONNECTED output '" + y->name + "' " +
                 shapeText(y->type.staticShape()) + " is not 1-D (batch must be 1)");
  if ((op == "MEAN" || op == "SUM" || op == "REDUCE_MAX" || op == "REDUCE_MIN") && x &&
      x->type.isStatic() && n.opType.rfind("Reduce", 0) == 0) {
    int64_t rank = (int64_t)x->type.staticShape().size();
    auto axes = reductionAxes(n, rank);
    if (axes && rank >= 2 && x->type.staticShape()[0] > 1 &&
        (axes->empty() || std::count(axes->begin(), axes->end(), 0)))
      return limit(op + " reduces over the batch dimension of '" + x->name + "'");
    int64_t count = 1;
    for (int64_t d : x->type.staticShape()) count *= d;
    if (op == "MEAN" && count >= kMeanInputUnmapped)
      return refuse(OpStatus::UnspecifiedLimitation,
                    "MEAN input '" + x->name + "' " + shapeText(x->type.staticShape()) + " has " +
                        std::to_string(count) + " elements (a [1,256,128,3] MEAN, " +
                        std::to_string(kMeanInputUnmapped) + ", is not mapped; [1,64,128,3] "
                        "pieces are)",
                    "NPU-EDGETPU.md B.3 (Mean; google-coral/edgetpu#461)");
  }
  if (op == "SOFTMAX" && x && x->type.isStatic()) {
    std::vector<int64_t> s = x->type.staticShape();
    int64_t count = 1;
    for (int64_t d : s) count *= d;
    if (effectiveRank(s) > 1 || count > 16000)
      return limit("SOFTMAX input '" + x->name + "' " + shapeText(s) +
                   " is not 1-D with at most 16,000 elements");
  }
  if (op == "STRIDED_SLICE" && n.opType == "Slice") {
    if (const Value *st = n.input(4); st && st->constant)
      for (int64_t v : st->constant->toInt64Vector())
        if (v != 1) return limit("STRIDED_SLICE with step " + std::to_string(v) + " (all strides 1)");
  }
  if (op == "PRELU" && n.opType == "PRelu") {
    if (const Value *a = n.input(1); a && a->type.isStatic() &&
                                     effectiveRank(a->type.staticShape()) > 1)
      return limit("PRELU alpha '" + a->name + "' " + shapeText(a->type.staticShape()) +
                   " is not 1-D (innermost only)");
  }
  if (op == "CONCATENATION" && n.opType == "Concat") {
    for (const Value *in : n.inputs) {
      if (!in || !in->constant) continue;
      int64_t zero = in->quant && !in->quant->zeroPoint.empty() ? in->quant->zeroPoint[0] : 0;
      bool zeros = true;
      for (int64_t v : in->constant->toInt64Vector()) zeros = zeros && v == zero;
      if (n.inputs.size() != 2 || !zeros)
        return limit("CONCATENATION with the constant input '" + in->name +
                     "' (a constant only as one of two inputs, all zeros)");
    }
  }
  if (op == "PAD" && n.opType == "Pad" && x && x->type.isStatic()) {
    if (const Value *p = n.input(1); p && p->constant) {
      std::vector<int64_t> pads = p->constant->toInt64Vector();
      size_t rank = x->type.staticShape().size();
      if (pads.size() == 2 * rank && rank >= 2 && (pads[0] != 0 || pads[rank] != 0))
        return limit("PAD pads the batch dimension of '" + x->name + "'");
    }
  }
  return {};
}

} // namespace edgec::edgetpu
