// The TFLite writer's core (TfliteWriter.h, docs/tflite.md "Writing"):
// model-wide state (ModelWriter: the flatbuffer builder, buffers, operator
// codes, subgraphs) and one SubgraphWriter per graph, which turns the
// graph's values into tensors and each node into builtin operators through
// the op table (OpTable.cpp) and the converters of each op family
// (ConvPool.cpp, FullyConnected.cpp, Elementwise.cpp, Normalization.cpp,
// DataMovement.cpp, Reduce.cpp, Quantize.cpp, ControlFlow.cpp).
//
// SubgraphWriter::run() records, for every node, the operators it became
// or the reason it could not be written (NodeResult); the writer reports
// those reasons and the support query (TfliteSupport.h) returns them, so
// the two cannot disagree. Every operator goes through op(), which checks
// it against the profile.
#pragma once

#include "tflite/TfliteOps.h"
#include "tflite/TfliteProfile.h"

#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgec::tflite {

using BO = fb::BuiltinOperator;
using BOpt = fb::BuiltinOptions;
using Act = fb::ActivationFunctionType;
using flatbuffers::Offset;

/// TFLite's element type of an IR type (nullopt: none).
std::optional<fb::TensorType> fbType(DataType t);
/// Element types that carry TFLite quantization parameters.
bool isQuantType(DataType t);
/// The operator version written for `code` on element type t.
int opVersion(BO code, DataType t);

/// s_in * s_w[c] per channel, zero point 0: the parameters of a quantized
/// bias (TFLite adds its int32 values to the accumulator as they are).
QuantParams accumulatorParams(const QuantParams &input,
                              const QuantParams &weights);

struct TensorDef {
  std::string name;
  std::vector<int32_t> shape;
  std::vector<int32_t> signature; ///< empty when fully static
  fb::TensorType type = fb::TensorType::FLOAT32;
  uint32_t buffer = 0;
  std::optional<QuantParams> quant;
};

struct OpDef {
  uint32_t opcode = 0;
  std::vector<int32_t> inputs, outputs;
  BOpt optType = BOpt::NONE;
  Offset<void> options;
  std::vector<uint8_t> customOptions; ///< CUSTOM operators only
};

/// Model-wide state: the builder, buffers and operator codes.
class ModelWriter {
public:
  /// keepData = false (the support query): buffers are numbered but their
  /// bytes are not copied; nothing else changes.
  ModelWriter(const TfliteProfile &profile, bool keepData = true);

  flatbuffers::FlatBufferBuilder fbb{1 << 16};
  std::vector<Offset<fb::Buffer>> buffers;
  /// (builtin code, version) of every operator code, in first-use order.
  std::vector<std::pair<int32_t, int>> opcodes;
  /// Subgraph tables by index (0: the main graph, then control-flow bodies
  /// in the order they are met).
  std::vector<Offset<fb::SubGraph>> subgraphs{Offset<fb::SubGraph>()};
  const TfliteProfile &profile;

  uint32_t opcode(BO code, int version);
  /// A CUSTOM operator code named `name` (its entry in `customNames`).
  uint32_t customOpcode(const std::string &name, int version);
  /// custom_code of the CUSTOM entries of `opcodes`, by index.
  std::map<uint32_t, std::string> customNames;
  uint32_t buffer(const uint8_t *data, size_t size);

private:
  bool keepData;
};

/// What became of one node.
struct NodeResult {
  const Node *node = nullptr;
  std::string reason;      ///< "" when written
  size_t firstOp = 0;      ///< its operators: ops [firstOp, endOp)
  size_t endOp = 0;
  int principal = -1;      ///< index in ops of the one the node becomes
};

/// Values a subgraph (and the graphs nested in it) reads from enclosing
/// graphs, in first-use order; constants are copied instead.
void collectCaptures(const Graph &body, const Graph &g,
                     std::vector<const Value *> &out);

class SubgraphWriter {
public:
  SubgraphWriter(ModelWriter &w, const Graph &g,
                 std::vector<const Value *> captures = {})
      : w(w), g(g), captures(std::move(captures)) {}

  /// Converts every node (results in `nodes`, problems in `problems`).
  Status run();
  Offset<fb::SubGraph> finish();

  /// One line per node (label: reason) or graph input/output that cannot
  /// be written.
  std::vector<std::string> problems;
  /// One per node of the graph, in order.
  std::vector<NodeResult> nodes;
  std::vector<int32_t> subgraphInputs, subgraphOutputs;
  std::vector<OpDef> ops;
  /// Per tensor, its OfflineMemoryAllocation arena offset (-1: planned
  /// online); empty unless an `ethos-u` operator was written (EthosU.cpp).
  std::vector<int32_t> offlineOffsets;
  size_t tensorCount() const { return tensors.size(); }
  /// Graph metadata (the main graph's `edgec.tflite.dynamic.*` entries).
  const std::map<std::string, std::string> *metadata = nullptr;

  using Fn = std::function<Status(SubgraphWriter &, const Node &)>;
  struct Rule {
    Fn write;
    bool channelsLast = false; ///< accepts edgec.layout = "NHWC"
    bool multiOutput = false;  ///< writes outputs beyond the first
  };
  /// The op table (OpTable.cpp): IR op type -> converter.
  static const std::map<std::string, Rule> &table();

private:
  // --- errors ---
  Error unsupported(const std::string &msg) const {
    return Error(ErrorCode::Unsupported, msg);
  }

  // --- values read through (no operator of their own) ---
  /// The value a node input stands for: read through the Identity / Dropout
  /// / no-op Reduce nodes of this graph that are written as no operator.
  const Value *resolve(const Value *v) const;
  /// For a node written as no operator because its output is its input 0
  /// (an Identity or Dropout that is not a graph output and neither
  /// requantizes nor reads a graph input; a Reduce* with
  /// noop_with_empty_axes and no axes, likewise): that input. Else nullptr.
  const Value *aliasedInput(const Node &n) const;
  /// A Sqrt whose only reader is a float Reciprocal of this graph: the pair
  /// is written as one RSQRT, the Sqrt as no operator.
  bool sqrtFoldsIntoRsqrt(const Node &sqrt) const;
  /// Reduce* axes from input 1 or the attribute.
  Expected<std::vector<int64_t>> reduceAxes(const Node &n) const;

  // --- tensors ---
  Expected<TensorShape> shapeOf(const Value *v) const;
  int32_t addTensor(TensorDef d);
  Expected<int32_t> constTensor(const std::string &name, const Tensor &t,
                                std::optional<QuantParams> q);
  int32_t int32Const(const std::string &name, const std::vector<int64_t> &v,
                     bool scalar = false);
  /// The tensor of an IR value (created on first use; constants keep their
  /// data as is).
  Expected<int32_t> tensorOf(const Value *v0);
  /// A fresh intermediate tensor.
  int32_t temp(const std::string &base, DataType dt, const TensorShape &shape,
               std::optional<QuantParams> q);
  /// Constant weights of input `slot`, permuted (quantization axis remapped).
  Expected<int32_t> weights(const Node &n, size_t slot,
                            const std::vector<int64_t> &perm);
  /// The bias a convolution or fully connected layer without one gets:
  /// `units` zeros of the input's type, or, quantized with q, int32 (int64
  /// for 16-bit activations).
  Expected<int32_t> zeroBias(const Node &n, DataType input, int64_t units,
                             const std::optional<QuantParams> &q);
  const TensorDef &def(int32_t t) const { return tensors[(size_t)t]; }
  DataType dtypeOfTensor(int32_t t) const { return irType(def(t).type); }
  TensorShape shapeOfTensor(int32_t t) const;

  // --- operators ---
  /// Appends an operator; checks it and its tensors against the profile
  /// (the first refusal of the node is kept and reported for it).
  Status op(BO code, std::vector<int32_t> ins, std::vector<int32_t> outs,
            DataType t, BOpt optType = BOpt::NONE,
            Offset<void> options = Offset<void>());
  /// Operators written while one is alive prepare the node's inputs
  /// (padding, requantization): none of them is the node's principal one.
  struct Preparation {
    explicit Preparation(SubgraphWriter &sw) : sw(sw) { ++sw.preparing; }
    ~Preparation() { --sw.preparing; }
    SubgraphWriter &sw;
  };

  /// Requantizes tensor `in` to parameters `q` when its own differ (a
  /// QUANTIZE operator); returns the tensor to read.
  int32_t requantized(int32_t in, const std::optional<QuantParams> &q);

  /// For data-movement ops on quantized tensors (TFLite keeps the input's
  /// parameters): the tensor the operator writes, with `inQuant`; a
  /// QUANTIZE to `out` follows when out's parameters differ.
  struct OutPlan {
    int32_t write;
    int32_t final;
  };
  OutPlan sameParamsOut(int32_t out, const std::optional<QuantParams> &inQuant);
  void finishOut(const OutPlan &p);

  /// A quantized scalar constant holding `value` in parameters q (or a
  /// float scalar when q is empty).
  Expected<int32_t> scalarLike(const std::string &name, float value,
                               DataType dt, const std::optional<QuantParams> &q,
                               const TensorShape &shape = {});

  /// Pads tensor `in` with (real) zeros into tensor `outT`; `pairs` holds
  /// [before, after] per dimension. A PAD operator, except for quantized
  /// tensors with a non-zero zero point when the profile's
  /// quantizedPadAsConcat is set: then one CONCATENATION per padded
  /// dimension (per padded side with padConcatTwoInputs) with constant
  /// blocks of the zero point (the same values:
  /// TFLite pads with the zero point, but Arm NN 20.08's PAD pads with the
  /// raw value 0; docs/tflite.md).
  Status zeroPad(int32_t in, const std::vector<int64_t> &pairs, int32_t outT,
                 const std::string &base);

  // --- activations (FusedActivation.cpp) ---
  struct ActSpec {
    std::string kind; ///< "" none, Relu, Clip, LeakyRelu, ...
    float alpha = 0.01f, beta = 0.5f;
    float lo = -std::numeric_limits<float>::infinity();
    float hi = std::numeric_limits<float>::infinity();
  };
  static ActSpec fusedSpec(const Node &n);
  /// The fused_activation_function that computes `a` exactly (nullopt:
  /// it needs an operator of its own).
  static std::optional<Act> fusable(const ActSpec &a, bool quantized);
  /// Writes activation `a` from tensor `in` to `out` as operators. `base`
  /// is taken by value: callers pass a tensor's name, and adding tensors
  /// here may move it.
  Status activation(const ActSpec &a, int32_t in, int32_t out, std::string base);
  /// Fused activation handling for an operator writing node output 0:
  /// returns (fused code, tensor the operator writes); call finishAct after.
  struct ActPlan {
    Act fused = Act::NONE;
    int32_t write = -1;
    int32_t final = -1;
    ActSpec spec;
  };
  Expected<ActPlan> planAct(const Node &n, int32_t out);
  Status finishAct(const ActPlan &p);

  // --- node inputs and outputs ---
  Expected<std::vector<int64_t>> constIntsInput(const Node &n, size_t slot,
                                                const char *what) const;
  Expected<int32_t> in(const Node &n, size_t i);
  Expected<int32_t> out(const Node &n, size_t i = 0);
  DataType outType(const Node &n) const {
    return n.outputs.empty() || !n.outputs[0] ? DataType::Undefined
                                              : n.outputs[0]->type.dtype;
  }
  DataType inType(const Node &n) const {
    return n.inputs.empty() || !n.inputs[0] ? DataType::Undefined
                                            : n.inputs[0]->type.dtype;
  }

  /// Checks common to every node, then its converter (OpTable.cpp).
  Status convertNode(const Node &n);
  /// Writes body graph `b` as a subgraph reading `caps` first; returns its
  /// index.
  Expected<int32_t> body(const Graph &b, const std::vector<const Value *> &caps);

  // --- converters, one per op family file ---
  // ConvPool.cpp
  Status conv(const Node &n);
  Status convTranspose(const Node &n);
  Status pool(const Node &n);
  Status globalPool(const Node &n);
  // FullyConnected.cpp
  Status gemm(const Node &n);
  Status matmul(const Node &n);
  // Elementwise.cpp
  Status binaryAct(const Node &n, BO code);
  Status binary(const Node &n, BO code, BOpt ot = BOpt::NONE,
                Offset<void> opts = Offset<void>());
  Status unaryOp(const Node &n, BO code, BOpt ot = BOpt::NONE,
                 Offset<void> opts = Offset<void>());
  Status clip(const Node &n);
  Status hardSigmoid(const Node &n);
  Status where(const Node &n);
  Status reciprocal(const Node &n);
  Status sqrt(const Node &n);
  // Normalization.cpp
  Status batchNorm(const Node &n);
  Status lrn(const Node &n);
  Status l2norm(const Node &n);
  Status softmax(const Node &n, bool log);
  // DataMovement.cpp
  Status reshape(const Node &n);
  Status squeeze(const Node &n);
  Status transpose(const Node &n);
  Status concat(const Node &n);
  Status pad(const Node &n);
  Status slice(const Node &n);
  Status gather(const Node &n);
  Status split(const Node &n);
  Status identity(const Node &n);
  Status cast(const Node &n);
  Status broadcastLike(const Node &n, BO code);
  Status resize(const Node &n);
  Status spaceDepth(const Node &n, bool toSpace);
  // Reduce.cpp
  Status reduce(const Node &n, BO code);
  Status argMinMax(const Node &n, BO code);
  // Quantize.cpp
  Status quantizeLinear(const Node &n);
  Status dequantizeLinear(const Node &n);
  // ControlFlow.cpp
  Status ifNode(const Node &n);
  // EthosU.cpp: edgec.npu.EthosU as Vela's CUSTOM `ethos-u` operator.
  Status ethosU(const Node &n);
  /// Records tensor t's arena offset; error when it already has another.
  Status placeOffline(int32_t t, int64_t offset);
  /// The scratch and scratch_fast tensors every `ethos-u` operator of the
  /// subgraph shares (-1 until the first is written).
  int32_t scratch = -1, scratchFast = -1;

  ModelWriter &w;
  const Graph &g;
  std::vector<TensorDef> tensors;
  std::map<const Value *, int32_t> tensorIds;
  std::vector<const Value *> captures;
  /// Per node being converted: Preparation depth, the principal operator,
  /// the first profile refusal.
  int preparing = 0;
  int principal = -1;
  std::string refusal;
};

} // namespace edgec::tflite
